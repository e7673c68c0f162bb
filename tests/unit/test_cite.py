"""sitebuild.values and sitepages.syntax: `{{ section.snippet.value | filter }}`, resolved or refused with page:line."""

from __future__ import annotations

import pytest
from sitebuild.values import MINUS, CiteError, apply_filter, resolve
from sitepages.syntax import cite_outside_code, load_values, post_of

VALUES = {"post/gelu/gap": {"max_gap": -0.000473, "count": -3, "grid": [0.5, 1.5], "by": {"relu": 2}}}


def test_a_citation_becomes_a_marked_span():
    page = "The gap is {{ gelu.gap.max_gap | sci(1) }}."
    out = cite_outside_code(page, "docs/post/gelu.md", VALUES, "post")
    assert out == f'The gap is <span class="value" data-value="gelu.gap.max_gap">{MINUS}4.7×10⁻⁴</span>.'


@pytest.mark.parametrize(
    ("expr", "text"),
    [
        ('gelu.gap.max_gap | abs | fmt(".5f")', "0.00047"),
        ("gelu.gap.count", f"{MINUS}3"),
        ('gelu.gap.grid[1] | fmt(".1f")', "1.5"),
        ('gelu.gap.by["relu"]', "2"),
        ("gelu.gap.max_gap | abs | sci(2)", "4.73×10⁻⁴"),
    ],
)
def test_filters_and_items(expr, text):
    assert resolve(expr, VALUES, post="post") == (expr.split("|")[0].strip(), text)


@pytest.mark.parametrize(
    ("expr", "words"),
    [
        ("gelu.gap.max_gap", "is a float; give a format"),
        ("gelu.gap.grid", "is a list; pick one item"),
        ("gelu.gap.grid[5]", "no item [5] (items: 0 to 1)"),
        ("gelu.nope.x", "snippets/post/gelu/nope.py publishes no values"),
        ("gelu.gap.nope", "publishes no 'nope' (it publishes: by, count, grid, max_gap)"),
        ("max_gap", "is not a value name"),
        ("gelu.gap.count | round", "unknown filter 'round'"),
        ('gelu.gap.max_gap | fmt("q")', "bad format"),
    ],
)
def test_a_bad_citation_says_what_is_wrong(expr, words):
    with pytest.raises(CiteError) as info:
        resolve(expr, VALUES, post="post")
    assert words in str(info.value)


def test_a_bad_citation_in_a_page_names_page_and_line():
    with pytest.raises(CiteError, match=r"^docs/post/gelu\.md:3: Error: "):
        cite_outside_code("one\ntwo\n{{ gelu.gap.nope }}\n", "docs/post/gelu.md", VALUES, "post")


def test_filters_refuse_what_is_not_a_number():
    with pytest.raises(CiteError, match="not a number"):
        apply_filter("abs", True, "flag")


def test_load_values_keys_each_file_by_its_snippet(tmp_path):
    (tmp_path / "post" / "gelu" / "gap").mkdir(parents=True)
    (tmp_path / "post" / "gelu" / "gap" / "values.json").write_text('{"max_gap": 1.5}')
    assert load_values(tmp_path) == {"post/gelu/gap": {"max_gap": 1.5}}


PUBLISHED = {
    "x/gelu/exact_vs_tanh": {"max_gap": 0.00047324, "at": 2.6989, "n": -3, "d": {"1.5": 0.25}, "xs": [1.0, 2.5]}
}


@pytest.mark.parametrize(
    ("expr", "text"),
    [
        ("gelu.exact_vs_tanh.max_gap | sci(1)", "4.7×10⁻⁴"),
        ('gelu.exact_vs_tanh.max_gap | fmt(".2e")', "4.73e−04"),
        ('gelu.exact_vs_tanh.at | fmt(".1f")', "2.7"),
        ("gelu.exact_vs_tanh.n", "−3"),
        ("gelu.exact_vs_tanh.n | abs", "3"),
        ('gelu.exact_vs_tanh.d[1.5] | fmt(".0%")', "25%"),
        ('gelu.exact_vs_tanh.xs[1] | fmt(".1f")', "2.5"),
    ],
)
def test_a_citation_renders_the_value_as_the_page_asks(expr, text):
    assert resolve(expr, PUBLISHED, post="x") == (expr.split("|")[0].strip(), text)


@pytest.mark.parametrize(
    ("expr", "message"),
    [
        ("gelu.exact_vs_tanh.max_gapp | sci(1)", "publishes no 'max_gapp' (it publishes: at, d, max_gap, n, xs)"),
        ("relu.dead_unit.x", "snippets/x/relu/dead_unit.py publishes no values"),
        ('gelu.exact_vs_tanh.max_gap | fmt(".1q")', "bad format"),
        ("gelu.exact_vs_tanh.max_gap | round(2)", "unknown filter"),
        ("gelu.exact_vs_tanh.max_gap", "is a float; give a format"),
        ("gelu.exact_vs_tanh.xs[5]", "no item [5]"),
        ("max_gap", "is not a value name"),
    ],
)
def test_a_bad_citation_fails_naming_page_and_line(expr, message):
    page = "Intro.\n\nThe gap is {{ " + expr + " }} here.\n"
    with pytest.raises(CiteError) as caught:
        cite_outside_code(page, "docs/x/page.md", PUBLISHED, "x")
    assert str(caught.value).startswith("docs/x/page.md:3: Error: ") and message in str(caught.value)


def test_a_cited_value_is_marked_so_the_prose_test_can_tell_it_from_a_typed_number():
    html = cite_outside_code("Gap {{ gelu.exact_vs_tanh.max_gap | sci(2) }}.", "p.md", PUBLISHED)
    assert html == 'Gap <span class="value" data-value="gelu.exact_vs_tanh.max_gap">4.73×10⁻⁴</span>.'


TWO_POSTS = {"first/relu/dead": {"share": 3}, "second/relu/dead": {"share": 5}, "second/loss/mse": {"peak": 9}}


def test_a_page_cites_its_own_post_by_short_names_and_another_post_by_its_name():
    assert resolve("relu.dead.share", TWO_POSTS, post="first")[1] == "3"
    assert resolve("relu.dead.share", TWO_POSTS, post="second")[1] == "5"
    assert resolve("first.relu.dead.share", TWO_POSTS, post="second") == ("first.relu.dead.share", "3")


def test_a_short_name_two_posts_share_is_refused_where_the_page_is_unknown():
    assert resolve("loss.mse.peak", TWO_POSTS)[1] == "9"  # one post has it: no doubt (Zensical names no page)
    with pytest.raises(CiteError, match=r"posts first and second both have snippets/<post>/relu/dead\.py; name the"):
        resolve("relu.dead.share", TWO_POSTS)


def test_a_page_of_one_post_does_not_see_another_posts_sections():
    with pytest.raises(CiteError, match="snippets/first/loss/mse.py publishes no values"):
        resolve("loss.mse.peak", TWO_POSTS, post="first")


@pytest.mark.parametrize(
    ("page", "post"),
    [
        ("docs/first/relu.md", "first"),
        ("first/relu.md", "first"),
        ("docs/index.md", None),
        ("generated/a/b/c.ipynb", None),
    ],
)
def test_a_pages_post_is_its_folder_below_docs(page, post):
    assert post_of(page) == post
