"""sitepages.bibliography: citations of a BibTeX file rendered by a real Python-Markdown, code left alone."""

from __future__ import annotations

import re

import markdown
import pytest
from sitepages.bibliography import BibliographyError

BIB = r"""
@misc{hendrycks2016gaussian,
  author = {Hendrycks, Dan and Gimpel, Kevin},
  title = {Gaussian error linear units ({GELUs})},
  year = {2016},
  url = {https://arxiv.org/abs/1606.08415},
}
@article{leshno1993multilayer,
  author = {Leshno, Moshe and Lin, Vladimir Ya. and Pinkus, Allan and Schocken, Shimon},
  title = {Multilayer feedforward networks},
  journal = {Neural Networks},
  volume = {6}, number = {6}, pages = {861--867},
  year = {1993},
  doi = {10.1016/S0893-6080(05)80131-5},
}
@incollection{lecun1998efficient,
  author = {LeCun, Yann and Bottou, L{\'e}on},
  title = {Efficient BackProp},
  booktitle = {Neural Networks: Tricks of the Trade},
  series = {Lecture Notes in Computer Science}, volume = {1524}, pages = {9--50},
  year = {1998},
}
@inproceedings{nair2010rectified,
  author = {Nair, Vinod and Hinton, Geoffrey E.},
  title = {Rectified linear units},
  booktitle = {Proceedings of ICML},
  pages = {807--814},
  year = {2010},
}
@article{hyphen2001,
  author = {Hyphen, Ann},
  title = {Pages typed with a single hyphen},
  journal = {Journal of Tests},
  pages = {1-8},
  year = {2001},
  url = {https://example.org/hyphen},
}
@article{single2002,
  author = {Single, Sam},
  title = {One page},
  journal = {Journal of Tests},
  volume = {3}, pages = {42},
  year = {2002},
  url = {https://example.org/single},
}
"""
GELU = '<a class="citation" href="https://arxiv.org/abs/1606.08415" title="Gaussian error linear units (GELUs)">'
LESHNO = (
    '<a class="citation" href="https://doi.org/10.1016/S0893-6080(05)80131-5" title="Multilayer feedforward networks">'
)


@pytest.fixture
def render(tmp_path):
    """Markdown text to HTML with the site's block extensions, citing BIB as docs/p.md."""
    (tmp_path / "refs.bib").write_text(BIB, encoding="utf-8")
    configs = {"sitepages.bibliography": {"bibliography": str(tmp_path / "refs.bib"), "page": "docs/p.md"}}
    extensions = ["sitepages.bibliography", "admonition", "pymdownx.superfences", "footnotes", "tables"]
    md = markdown.Markdown(extensions=extensions, extension_configs=configs)
    return lambda text: md.reset().convert(text)


@pytest.mark.parametrize(
    ("written", "shown"),
    [
        ("[@hendrycks2016gaussian]", f"({GELU}Hendrycks &amp; Gimpel, 2016</a>)"),
        ("@hendrycks2016gaussian", f"{GELU}Hendrycks &amp; Gimpel (2016)</a>"),
        ("[-@hendrycks2016gaussian]", f"({GELU}2016</a>)"),
        (
            "[@hendrycks2016gaussian; see @leshno1993multilayer, theorem 1]",
            f"({GELU}Hendrycks &amp; Gimpel, 2016</a>; see {LESHNO}Leshno et al., 1993</a>, theorem 1)",
        ),
    ],
    ids=["parenthetical", "in-text", "year", "two-with-words"],
)
def test_each_form_links_author_and_year_to_the_paper(render, written, shown):
    assert render(f"GELU {written} is smooth.").startswith(f"<p>GELU {shown} is smooth.</p>")


def test_a_citing_page_ends_with_its_references_in_author_order(render):
    html = render("First @leshno1993multilayer, then [@hendrycks2016gaussian].\n\n[^1]: A note.\n")
    references = html.split("<h2>References</h2>")[1]
    assert references.index("Hendrycks, D. &amp; Gimpel, K. (2016).") < references.index("Leshno, M., Lin, V. Y.")
    assert '<a href="https://doi.org/10.1016/S0893-6080(05)80131-5">Multilayer feedforward networks</a>' in references
    assert "<em>Neural Networks</em>, 6(6), pp. 861–867. doi:10.1016/S0893-6080(05)80131-5" in references


@pytest.mark.parametrize(
    ("key", "venue"),
    [
        (
            "lecun1998efficient",
            "<em>Neural Networks: Tricks of the Trade</em>. Lecture Notes in Computer Science, vol. 1524, pp. 9–50.",
        ),
        ("nair2010rectified", "<em>Proceedings of ICML</em>, pp. 807–814."),
        ("hyphen2001", "<em>Journal of Tests</em>, pp. 1–8."),
        ("single2002", "<em>Journal of Tests</em>, 3, p. 42."),
    ],
    ids=["series-volume-pages", "pages-without-volume", "single-hyphen-range", "single-page"],
)
def test_a_listing_shows_series_volume_and_pages(render, key, venue):
    references = render(f"See [@{key}].").split("<h2>References</h2>")[1]
    assert f"</a>. {venue}</li>" in references


@pytest.mark.parametrize("key", ["leshno1993multilayer", "lecun1998efficient", "nair2010rectified", "hyphen2001"])
def test_every_page_range_reads_pp(render, key):
    # one form in every listing, in a series or not: "pp. 9–50", never a bare "807–814"
    references = render(f"See [@{key}].").split("<h2>References</h2>")[1]
    ranges = re.findall(r"(\S*\s?)\b\d+–\d+", references)
    assert ranges and all(before == "pp. " for before in ranges), ranges


def test_a_page_without_citations_gets_no_references(render):
    assert "References" not in render("No paper here, and x@y.org is an address.")


@pytest.mark.parametrize(
    "page",
    [
        "`[@nope]` and `@nope`",
        "```python\nx = a @nope\n```",
        "!!! note\n\n    ```python\n    [@nope]\n    ```",
        "An address me@nope.org, a path docs/@nope and a handle [@nope](https://example.org/@nope)",
    ],
    ids=["code-span", "fence", "admonition-fence", "link-and-address"],
)
def test_code_and_addresses_are_not_citations(render, page):
    html = render(page)
    assert "citation" not in html and "References" not in html


def test_a_citation_inside_a_table_and_a_footnote_is_rendered(render):
    table = "| a | b |\n|---|---|\n| x | [@hendrycks2016gaussian] |"
    html = render(f"{table}\n\nText.[^n]\n\n[^n]: See @leshno1993multilayer.")
    assert f"<td>({GELU}Hendrycks &amp; Gimpel, 2016</a>)</td>" in html
    assert f"See {LESHNO}Leshno et al. (1993)</a>." in html


def test_an_unknown_key_names_page_line_and_a_near_key(render):
    with pytest.raises(BibliographyError) as error:
        render("Fine.\n\nGELU [@hendrycks2016gausian] is smooth.")
    assert str(error.value) == (
        "docs/p.md:3: Error: [@hendrycks2016gausian] cites 'hendrycks2016gausian', which the bibliography does not "
        "hold; add the entry to the .bib file or fix the key; did you mean hendrycks2016gaussian?"
    )


def test_a_missing_bibliography_names_the_option(tmp_path):
    configs = {"sitepages.bibliography": {"bibliography": str(tmp_path / "none.bib"), "page": "docs/p.md"}}
    md = markdown.Markdown(extensions=["sitepages.bibliography"], extension_configs=configs)
    with pytest.raises(BibliographyError, match=r"^docs/p.md: Error: sitepages.bibliography's option bibliography"):
        md.convert("[@x]")
