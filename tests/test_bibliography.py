"""The bibliography keeps the home page's promise: "each historical claim links to the paper it comes from".

Every `[@key]` names an entry of docs/references.bib, every entry links to a DOI or a stable https address, no page
types a paper's link or an author-year by hand, and a page that teaches a method (a heading or a bold term that
starts with its name) cites the entries whose `credits` field names it. Each check reads the Markdown: no build.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
from conftest import ROOT
from pybtex.database import parse_file, parse_string
from sitepages.bibliography import CITATION, BibliographyError, Reference, cite, load_bibliography, reference
from sitepages.syntax import prose_ranges

DOCS = ROOT / "docs"
BIB = DOCS / "references.bib"
PAGES = sorted(p.relative_to(DOCS).as_posix() for p in DOCS.rglob("*.md") if "generated" not in p.parts)
# Where papers live: a link to one of these (or to any PDF) is a paper's, and belongs in the bibliography.
PAPER_LINK = re.compile(
    r"https?://(?:[\w-]+\.)*(?:arxiv\.org|doi\.org|proceedings\.mlr\.press|papers\.nips\.cc|proceedings\.neurips\.cc"
    r"|openreview\.net|jmlr\.org|aclanthology\.org|ieeexplore\.ieee\.org|dl\.acm\.org|link\.springer\.com"
    r"|sciencedirect\.com|nature\.com|semanticscholar\.org)[^\s)>\]]*"
    r"|https?://[^\s)>\]]+\.pdf\b"
)
# "Shazeer (2020)", "Dauphin et al. 2017", "(Glorot & Bengio, 2010)", "GLU (2017)": a source named with its year.
MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
AUTHOR_YEAR = re.compile(
    rf"\b(?!(?:{MONTHS})\b)(?P<who>[A-Z][\w'’-]*(?:\s+et\s+al\.)?(?:,?\s+(?:&|and)\s+[A-Z][\w'’-]*)?)"
    r",?\s+\(?(?P<year>(?:19|20)\d\d)(?![\d\w])"
)
# What a page teaches: a heading that starts with the name ("## SwiGLU: SiLU as a gate"), or a term set in bold
# ("**Leaky ReLU**", at most four words; a bold lead-in sentence teaches nothing by itself).
HEADING = re.compile(r"^#{1,6}\s+(?P<text>.+)$", re.M)
BOLD = re.compile(r"\*\*(?P<text>(?:[^*\s]+\s?){1,4})\*\*")


def page_text(page: str) -> str:
    return (DOCS / page).read_text(encoding="utf-8")


def unresolved(page: str, markdown: str, bibliography: dict[str, Reference]) -> list[str]:
    """The first citation of a key the bibliography does not hold, as `docs/page:line: Error: ...`."""
    try:
        cite(markdown, bibliography, f"docs/{page}")
    except BibliographyError as exc:
        return [str(exc)]
    return []


def unlinked(bib: str) -> list[str]:
    """Each entry with neither a DOI nor an https address."""
    entries = parse_string(bib, "bibtex").entries
    return [
        f"docs/references.bib: entry {key!r} has no doi and no https url; give one a reader can open for years"
        for key, entry in entries.items()
        if not entry.fields.get("doi") and not entry.fields.get("url", "").startswith("https://")
    ]


def _lines(markdown: str, start: int) -> int:
    return markdown.count("\n", 0, start) + 1


def typed_paper_links(page: str, markdown: str) -> list[str]:
    """Each link to a paper written into the page's prose instead of cited."""
    return [
        f"docs/{page}:{_lines(markdown, link.start())}: {link[0]} is a paper's link typed by hand; add the paper "
        "to docs/references.bib and cite it as [@key]"
        for start, end in prose_ranges(markdown)
        for link in PAPER_LINK.finditer(markdown, start, end)
    ]


def _prose_without_citations(markdown: str) -> str:
    """The page with code, citations, link targets and cited values blanked out (offsets, and so lines, kept)."""
    kept = [" " if c != "\n" else c for c in markdown]
    for start, end in prose_ranges(markdown):
        kept[start:end] = markdown[start:end]
    text = "".join(kept)
    for pattern in (CITATION, re.compile(r"\]\([^)\s]*\)"), re.compile(r"\{\{.*?\}\}")):
        text = pattern.sub(lambda m: re.sub(r"[^\n]", " ", m[0]), text)
    return text


def uncited_sources(page: str, markdown: str, bibliography: dict[str, Reference], credits: dict[str, set]) -> list[str]:
    """A source named with its year but not cited; a method taught (heading, bold term) without its entries cited."""
    prose = _prose_without_citations(markdown)
    problems = [
        f"docs/{page}:{_lines(prose, m.start())}: {m[0]!r} names a source by its year; cite it ([@key], @key, or "
        "[-@key] for the year alone) so the year comes from docs/references.bib"
        for m in AUTHOR_YEAR.finditer(prose)
    ]
    cited = set(cite(markdown, bibliography)[1])
    taught = [m["text"] for m in [*HEADING.finditer(prose), *BOLD.finditer(prose)]]
    for name, keys in credits.items():
        if any(re.match(rf"{re.escape(name)}\b", text) for text in taught) and not keys <= cited:
            missing = ", ".join(f"[@{key}]" for key in sorted(keys - cited))
            problems.append(f"docs/{page}: teaches {name} (a heading or a bold term) but does not cite {missing}")
    return problems


@pytest.fixture(scope="module")
def bibliography() -> dict[str, Reference]:
    return load_bibliography(BIB)


@pytest.fixture(scope="module")
def credits() -> dict[str, set]:
    """Each name an entry's `credits` field lists -> the keys of the entries credited with it."""
    names: dict[str, set] = {}
    for key, entry in parse_file(str(BIB), "bibtex").entries.items():
        for name in filter(None, (n.strip() for n in entry.fields.get("credits", "").split(","))):
            names.setdefault(name, set()).add(key)
    return names


@pytest.mark.parametrize("page", PAGES)
def test_every_citation_names_an_entry(page, bibliography):
    assert unresolved(page, page_text(page), bibliography) == []


def test_a_citation_of_a_missing_entry_fails_naming_page_and_line(bibliography):
    planted = "GELU is smooth.\nIts origin [@hendrycks2016gelu] is a preprint.\n"
    assert unresolved("activation-functions/gelu.md", planted, bibliography) == [
        "docs/activation-functions/gelu.md:2: Error: [@hendrycks2016gelu] cites 'hendrycks2016gelu', which the "
        "bibliography does not hold; add the entry to the .bib file or fix the key; did you mean "
        "hendrycks2016gaussian?"
    ]


def test_every_entry_has_a_doi_or_a_stable_url():
    assert unlinked(BIB.read_text(encoding="utf-8")) == []


def test_an_entry_without_doi_or_https_url_fails():
    planted = "@misc{a, title = {A}, year = {2001}}\n@misc{b, title = {B}, year = {2002}, url = {http://x.org/b}}\n"
    assert unlinked(BIB.read_text(encoding="utf-8") + planted) == [
        f"docs/references.bib: entry {key!r} has no doi and no https url; give one a reader can open for years"
        for key in ("a", "b")
    ]


def misdated(bib: str) -> list[str]:
    """Each arXiv entry whose year breaks the file's rule, "`year` is the year of the version cited": a preprint
    (an `eprint` without `journal` or `booktitle`) carries its first arXiv version's year, which the identifier
    holds (YYMM.NNNNN); a venue's version cannot predate its preprint."""
    problems = []
    for key, entry in parse_string(bib, "bibtex").entries.items():
        fields = entry.fields
        if fields.get("archiveprefix", "").lower() != "arxiv":
            continue
        arxiv_year, year = 2000 + int(fields["eprint"][:2]), int(fields["year"])
        venue = fields.get("journal") or fields.get("booktitle")
        if (year < arxiv_year) if venue else (year != arxiv_year):
            why = (
                f"older than its preprint's, {arxiv_year}"
                if venue
                else f"but arXiv:{fields['eprint']} is of {arxiv_year}"
            )
            problems.append(f"docs/references.bib: entry {key!r} has year {year}, {why}")
    return problems


def test_each_year_is_the_year_of_the_version_cited():
    assert misdated(BIB.read_text(encoding="utf-8")) == []


def test_a_preprint_dated_by_its_venue_fails():
    # kingma2015adam's old form: the arXiv preprint (December 2014) cited with the venue's year (ICLR 2015)
    planted = (
        "@misc{adam, title = {A}, eprint = {1412.6980}, archiveprefix = {arXiv}, note = {ICLR 2015}, year = {2015}}\n"
    )
    assert misdated(planted) == ["docs/references.bib: entry 'adam' has year 2015, but arXiv:1412.6980 is of 2014"]
    venue = planted.replace("@misc{adam,", "@inproceedings{adam, booktitle = {ICLR},")
    assert misdated(venue) == []
    assert misdated(venue.replace("2015}}", "2013}}")) == [
        "docs/references.bib: entry 'adam' has year 2013, older than its preprint's, 2014"
    ]


def test_no_two_entries_cite_alike(bibliography):
    # "He et al. (2015)" must name one paper; a second one would need its own label
    labels = Counter((ref.names, ref.year) for ref in bibliography.values())
    assert [label for label, count in labels.items() if count > 1] == []


@pytest.mark.parametrize("page", PAGES)
def test_no_paper_link_is_typed_by_hand(page):
    assert typed_paper_links(page, page_text(page)) == []


def test_a_paper_link_typed_into_a_page_fails():
    planted = "Intro.\n\nGLUs come from [Dauphin et al.](https://arxiv.org/abs/1612.08083).\n\n`https://arxiv.org/x`\n"
    assert typed_paper_links("activation-functions/silu.md", planted) == [
        "docs/activation-functions/silu.md:3: https://arxiv.org/abs/1612.08083 is a paper's link typed by hand; "
        "add the paper to docs/references.bib and cite it as [@key]"
    ]


@pytest.mark.parametrize("page", PAGES)
def test_each_historical_claim_cites_its_paper(page, bibliography, credits):
    assert uncited_sources(page, page_text(page), bibliography, credits) == []


@pytest.mark.parametrize(
    ("planted", "problem"),
    [
        ("As Shazeer (2020) showed, gates help.", "'Shazeer (2020' names a source by its year"),
        ("Gated units (Dauphin et al. 2017) came first.", "'Dauphin et al. 2017' names a source by its year"),
        ("The GLU, 2017, gates a projection.", "'GLU, 2017' names a source by its year"),
        (
            "## SwiGLU: SiLU as a gate\n\nThey use a **gated linear unit**: one projection of $x$ goes through the "
            "activation.\n@shazeer2020glu compared such gates.",
            "teaches gated linear unit (a heading or a bold term) but does not cite [@dauphin2017language]",
        ),
    ],
    ids=["author-year", "et-al-year", "method-year", "uncited-glu-y6"],
)
def test_an_uncited_source_fails(planted, problem, bibliography, credits):
    problems = uncited_sources("activation-functions/silu.md", f"Intro.\n\n{planted}\n", bibliography, credits)
    assert len(problems) == 1 and problem in problems[0], problems


def test_a_dated_event_and_a_cited_year_are_not_sources(bibliography, credits):
    text = "A commit (February 2019) and [-@shazeer2020glu], @shazeer2020glu, `Foo (2020)`.\n"
    assert uncited_sources("p.md", text, bibliography, credits) == []


def test_reference_reads_names_and_year():
    entry = parse_string("@misc{k, author = {A, B and C, D and others}, year = {2001}, url = {https://x}}", "bibtex")
    assert reference("k", entry.entries["k"]).names == "A et al."


def test_the_bibliography_is_the_one_mkdocs_yml_names():
    assert "bibliography: docs/references.bib" in (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    assert Path(BIB).is_file()
