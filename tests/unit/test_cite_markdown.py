"""sitepages.citations: citations rendered by a real Python-Markdown, with code and `\\{{` left alone."""

from __future__ import annotations

import json

import markdown
import pytest
from markdown.treeprocessors import Treeprocessor
from sitebuild.values import MINUS, CiteError, cite_local
from sitepages.citations import CitationsExtension
from sitepages.syntax import cite_outside_code

VALUES = {"post/gelu/gap": {"max_gap": -0.000473, "count": 3}}
SPAN = '<span class="value" data-value="gelu.gap.count">3</span>'
BAD = "{{ gelu.gap.nope }}"  # a name nothing publishes: citing it would raise


def publish(generated, values: dict) -> None:
    for slug, published in values.items():
        (generated / slug).mkdir(parents=True)
        (generated / slug / "values.json").write_text(json.dumps(published))


@pytest.fixture
def render(tmp_path):
    """Markdown text to HTML with the site's block extensions, citing VALUES as docs/p.md."""
    publish(tmp_path / "generated", VALUES)
    citations = CitationsExtension(generated=str(tmp_path / "generated"), page="docs/p.md")
    extensions = [citations, "admonition", "pymdownx.superfences", "pymdownx.snippets"]
    configs = {"pymdownx.snippets": {"base_path": [str(tmp_path)]}}
    md = markdown.Markdown(extensions=extensions, extension_configs=configs)
    return lambda text: md.reset().convert(text)


def test_a_citation_in_prose_becomes_a_marked_span(render):
    html = render("The gap is {{ gelu.gap.max_gap | sci(1) }}.")
    assert html == f'<p>The gap is <span class="value" data-value="gelu.gap.max_gap">{MINUS}4.7×10⁻⁴</span>.</p>'


@pytest.mark.parametrize(
    "page",
    [
        f"```\nx = '{BAD}'\n```",
        f"~~~python\nx = '{BAD}'\n~~~",
        f"!!! note\n\n    ```python\n    x = '{BAD}'\n    ```",
        f"!!! note\n\n    ~~~\n    {BAD}\n    ~~~",
        f"!!! note\n\n    !!! tip\n\n        ```text\n        {BAD}\n        ```",
        f"````markdown\n```python\n{BAD}\n```\n{BAD}\n````",
        f"~~~~\n~~~\n{BAD}\n~~~\n```\n{BAD}\n~~~~",
    ],
    ids=["backticks", "tildes", "admonition", "admonition-tildes", "nested-admonition", "longer-fence", "mixed"],
)
def test_a_citation_in_a_fenced_block_stays_as_written(render, page):
    html = render(f"{page}\n\nAfter: {{{{ gelu.gap.count }}}}")
    assert BAD in html and f"After: {SPAN}" in html


@pytest.mark.parametrize(
    "page",
    [f"`{BAD}`", f"``a ` {BAD}``", f"`` `{BAD}` ``", f"`x` and `{BAD}`", f"``x``` `{BAD}`", f"`wrapped\n{BAD}`"],
    ids=["single", "double-with-backtick", "padded", "second-span", "unequal-runs", "two-lines"],
)
def test_a_citation_in_an_inline_code_span_stays_as_written(render, page):
    assert BAD in render(f"{page} then {{{{ gelu.gap.count }}}}")


@pytest.mark.parametrize(
    "page",
    ["a ` b CITE", "```x``` CITE", "\\`CITE`", "``CITE`"],
    ids=["lone-backtick", "one-line-span-not-fence", "escaped-backtick", "unmatched-run"],
)
def test_a_backtick_that_opens_no_span_is_literal(page):
    assert SPAN in cite_outside_code(page.replace("CITE", "{{ gelu.gap.count }}"), "p.md", VALUES)


def test_an_unclosed_fence_is_prose_as_for_superfences(render):
    assert SPAN in render("```\n{{ gelu.gap.count }}")


def test_an_escaped_citation_renders_as_literal_braces(render):
    html = render("Write \\{{ gelu.gap.nope }} to cite; a backslash: \\\\{{ gelu.gap.count }}.")
    assert html == f"<p>Write {{{{ gelu.gap.nope }}}} to cite; a backslash: \\{SPAN}.</p>"


def test_a_bad_citation_names_page_and_line(render):
    with pytest.raises(
        CiteError,
        match=r"^docs/p\.md:3: Error: gelu\.gap\.nope: snippets/post/gelu/gap\.py publishes no",
    ):
        render(f"one\n\n{BAD}\n")


def test_line_numbers_count_the_source_lines_of_fences_and_included_files(render, tmp_path):
    (tmp_path / "included.md").write_text("a\nb\nc\nd\n")
    page = f'!!! note\n\n    ```\n    {{{{\n    ```\n\n--8<-- "included.md"\n\nSee {BAD}\n'
    with pytest.raises(CiteError, match=r"^docs/p\.md:9: "):
        render(page)


class EngineFile:
    src_uri = "other/page.md"


class Relpath(Treeprocessor):
    """What MkDocs 1.x registers on the Markdown instance of each page: a treeprocessor holding the page's File."""

    file = EngineFile()

    def run(self, root):
        return None


def test_the_engine_names_the_page_and_so_the_post_of_short_citations(tmp_path):
    publish(tmp_path, {"post/gelu/gap": {"count": 3}, "other/gelu/gap": {"count": 4}})
    md = markdown.Markdown(extensions=[CitationsExtension(generated=str(tmp_path), page="docs/fallback.md")])
    md.treeprocessors.register(Relpath(md), "relpath", 0)
    assert md.convert("{{ gelu.gap.count }}") == '<p><span class="value" data-value="gelu.gap.count">4</span></p>'
    with pytest.raises(CiteError, match=r"^docs/other/page\.md:1: "):
        md.convert(BAD)


def test_by_dotted_name_it_reads_values_from_generated_on_first_use(tmp_path):
    (tmp_path / "post" / "gelu" / "gap").mkdir(parents=True)
    (tmp_path / "post" / "gelu" / "gap" / "values.json").write_text('{"count": 3}')
    configs = {"sitepages.citations": {"generated": str(tmp_path), "page": "docs/p.md"}}
    md = markdown.Markdown(extensions=["sitepages.citations"], extension_configs=configs)
    assert md.convert("{{ gelu.gap.count }}") == f"<p>{SPAN}</p>"


def test_a_missing_generated_folder_is_named_only_when_a_page_cites(tmp_path):
    md = markdown.Markdown(extensions=[CitationsExtension(generated=str(tmp_path / "nope"), page="docs/p.md")])
    assert md.convert("No citation here.") == "<p>No citation here.</p>"
    with pytest.raises(CiteError, match=r"^docs/p\.md: Error: the page layer's option generated = .*nope"):
        md.convert("{{ gelu.gap.count }}")


def test_cite_local_still_cites_a_snippets_own_values():
    assert cite_local("A gap of {{ gap | sci(1) }} at {{ at | fmt('.1f') }}", {"gap": 4.7e-4, "at": 2.69}) == (
        "A gap of 4.7×10⁻⁴ at 2.7"
    )
