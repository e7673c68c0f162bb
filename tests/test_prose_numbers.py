"""Every number in a page's rendered prose is a cited value or an allowed stable fact (tests/allowed-numbers.toml).

Allowed facts are counted per page, so editing one allowed literal into another is caught as well.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from conftest import PYTHON, ROOT
from prose import unbound

DOCS = ROOT / "docs"
PAGES = sorted(p.relative_to(DOCS).as_posix() for p in DOCS.rglob("*.md") if "generated" not in p.parts)


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("site")
    result = subprocess.run(
        [PYTHON, "-m", "mkdocs", "build", "--site-dir", str(out)], cwd=ROOT, capture_output=True, text=True, timeout=600
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return out


def built(site: Path, page: str) -> str:
    stem = page.removesuffix(".md")
    return (
        site / (f"{stem.removesuffix('index')}index.html" if stem.endswith("index") else f"{stem}/index.html")
    ).read_text()


@pytest.mark.parametrize("page", PAGES)
def test_every_number_in_the_prose_is_cited_or_allowed(site, page):
    markdown = (DOCS / page).read_text(encoding="utf-8")
    assert unbound(page, built(site, page), markdown) == []


def test_a_number_typed_into_a_page_fails_naming_file_and_line(site):
    page = "activation-functions/gelu.md"
    markdown = (DOCS / page).read_text(encoding="utf-8") + "\nThe gap is about 0.00047 here.\n"
    html = built(site, page).replace("</article>", "<p>The gap is about 0.00047 here.</p></article>")
    line = markdown.count("\n")
    assert unbound(page, html, markdown) == [
        f"docs/{page}:{line}: number 0.00047 is typed by hand; publish it from a snippet and cite it "
        "({{ section.name.value | fmt }}), or list it in tests/allowed-numbers.toml"
    ]


def test_an_allowed_number_edited_into_another_allowed_number_fails(site):
    # "two" and "four" are both allowed on the why page; only the counts tell the edit apart (publication years,
    # which this test used to edit, now come from docs/references.bib and are not in the prose at all)
    page = "activation-functions/why.md"
    markdown = (DOCS / page).read_text(encoding="utf-8")
    html = built(site, page).replace("The two results agree", "The four results agree", 1)
    problems = unbound(page, html, markdown.replace("The two results agree", "The four results agree", 1))
    assert sorted(p.split(": number ")[1].split(" appears")[0] for p in problems) == ["four", "two"]
    assert all("tests/allowed-numbers.toml allows it" in p for p in problems)


def test_a_number_in_maths_or_in_words_typed_into_a_page_fails_naming_file_and_line(site):
    # a setting restated in a formula or spelled out drifts as silently as a digit in prose
    page = "activation-functions/exp-dying-relu.md"
    added = "\nEach network has seven hidden layers and a learning rate of $0.37$.\n"
    markdown = (DOCS / page).read_text(encoding="utf-8") + added
    formula = (
        '<span class="arithmatex"><math><semantics><mrow><mn>0.37</mn></mrow>'
        '<annotation encoding="application/x-tex">0.37</annotation></semantics></math></span>'
    )
    html = built(site, page).replace(
        "</article>", f"<p>Each network has seven hidden layers and a learning rate of {formula}.</p></article>"
    )
    line = markdown.count("\n")
    assert sorted(unbound(page, html, markdown)) == [
        f"docs/{page}:{line}: number {number} is typed by hand; publish it from a snippet and cite it "
        "({{ section.name.value | fmt }}), or list it in tests/allowed-numbers.toml"
        for number in ("0.37", "seven")
    ]
