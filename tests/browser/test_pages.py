"""Every page of the built site, as a reader's browser shows it.

The site is built once (`mkdocs build --strict`, tests/conftest.py), served on localhost under the same
path prefix as on GitHub Pages, and visited by one Chromium (visits.py); the tests read what it saw.
Page weights go to .cache/browser-report/; `make screenshots` writes pictures of every page.
"""

from __future__ import annotations

import asyncio

import nbformat
import pytest
from browsing import (
    GENERATED,
    MAX_HTML_BYTES,
    MAX_TRANSFERRED_BYTES,
    MIN_TEXT_CONTRAST,
    expected_snippet_copy,
    included_snippets,
    parse_css_colour,
    pycon_statements,
    report_rows,
    require_chromium,
    serious,
    svg_text_contrasts,
    whole_programs,
    write_report,
)
from narrow import figure_problems
from siteserve import ROOT, repository, site_prefix, sitemap_pages
from visits import PAGES, PALETTES, Observations, Visit, observe

PAGE_IDS = [page.strip("/") or "home" for page in PAGES]
SCHEMES = {"light": "default", "dark": "slate"}


@pytest.fixture(scope="session")
def seen(served_site, pytestconfig) -> Observations:
    """Look at the served site with one Chromium; write the report that tests/conftest.py prints."""
    require_chromium()
    base_url, site = served_site
    observations = asyncio.run(observe(base_url, site))
    write_report(report_rows(observations.visits), observations.seconds)
    return observations


@pytest.fixture
def visit(seen):
    def get(page: str) -> Visit:
        v = seen.visits[page]
        if v.problem:
            pytest.fail(f"visiting /{page} failed: {v.problem}")
        return v

    return get


# --- the tests ----------------------------------------------------------------------------------


def test_the_nav_lists_every_page_of_the_sitemap(built_site):
    assert sorted(PAGES) == sorted(sitemap_pages(built_site))


@pytest.mark.parametrize("page", PAGES, ids=PAGE_IDS)
def test_loads_without_errors_and_only_from_localhost(visit, page):
    v = visit(page)
    assert not v.foreign, f"requests leaving localhost: {v.foreign}"
    assert not v.failed, f"failed requests: {v.failed}"
    assert not v.errors, f"errors in the page: {v.errors}"


@pytest.mark.parametrize("page", PAGES, ids=PAGE_IDS)
def test_html_is_at_most_128_kb(visit, page):
    v = visit(page)
    assert v.html_bytes <= MAX_HTML_BYTES, f"/{page}: {v.html_bytes:,} bytes of HTML"


@pytest.mark.parametrize("page", PAGES, ids=PAGE_IDS)
def test_every_image_loads_and_has_alt_text(visit, page):
    for palette, images in visit(page).images.items():
        for image in images:
            assert image["naturalWidth"] > 0, f"{palette}: {image['src'][:100]} did not load"
            assert (image["alt"] or "").strip(), f"{image['src'][:100]} has no alt text"
            assert "No description has been provided" not in image["alt"], f"{image['src'][:100]}: placeholder alt"


@pytest.mark.parametrize("page", PAGES, ids=PAGE_IDS)
def test_math_is_rendered(visit, page):
    math = visit(page).math
    # A long inline formula is one <math> per side of its equals signs (scripts/sitepages/mathml.py).
    assert math["unrendered"] == 0 and math["mathml"] >= math["arithmatex"], math
    assert not math["mathAssets"], f"math assets requested: {math['mathAssets']}"
    for raw in ("\\(", "\\[", "$$", "\\begin{"):
        assert raw not in math["text"], f"raw LaTeX {raw!r} left in the page text"


@pytest.mark.parametrize("page", PAGES, ids=PAGE_IDS)
def test_copy_buttons_copy_the_code(visit, page):
    for block in visit(page).copies:
        snippet = expected_snippet_copy(block["title"])
        if snippet is not None:
            expected = snippet
        elif block["language"] == "language-pycon":
            expected = pycon_statements(block["text"])
            assert ">>>" not in block["clipboard"] and expected
        else:
            expected = block["text"].rstrip()
        assert block["clipboard"] == expected, f"copy button of {block['title'] or block['language']}"


@pytest.mark.parametrize("page", PAGES, ids=PAGE_IDS)
def test_the_copied_code_in_page_order_is_each_snippets_whole_program(visit, page):
    """What the build ran and printed, cell by cell in one namespace (tests/test_copy_run.py shows this
    check fails exactly when a fresh interpreter running the copied code does)."""
    for path, (copied, program) in whole_programs(visit(page).copies).items():
        assert copied == program, f"{page}: the copied blocks of {path} are not all its cells, in order"


def test_copy_buttons_were_tried_on_snippet_and_pycon_blocks(seen):
    copies = [block for v in seen.visits.values() for block in v.copies]
    assert any(expected_snippet_copy(block["title"]) is not None for block in copies), "no snippet block copied"
    assert any(block["language"] == "language-pycon" for block in copies), "no pycon block copied"


@pytest.mark.parametrize("palette", PALETTES)
@pytest.mark.parametrize("page", PAGES, ids=PAGE_IDS)
def test_figures_are_readable_in_each_palette(visit, page, palette):
    v = visit(page)
    assert v.scheme[palette] == SCHEMES[palette]
    hidden_variant = "#only-dark" if palette == "light" else "#only-light"
    measured = 0
    for image in v.images[palette]:
        name = image["src"][:100]
        if image["src"].endswith(hidden_variant):
            assert not image["visible"], f"{palette}: {name} should be hidden"
            continue
        if image["src"].endswith(f"#only-{palette}"):  # a figure's variant for this palette: shown, and an SVG
            assert image["visible"] and image["svg"] is not None, f"{palette}: {name} should be shown"
        if palette == "dark" and image["src"].endswith("#only-dark"):
            assert image["src"].endswith("-dark.svg#only-dark"), name
        if not image["visible"] or image["svg"] is None:
            continue
        measured += 1
        background, _ = parse_css_colour(image["background"])
        contrasts = svg_text_contrasts(image["svg"], background)
        assert contrasts, f"{name}: no text found in the SVG"
        worst = min(contrasts, key=lambda item: item[1])
        assert worst[1] >= MIN_TEXT_CONTRAST, (
            f"{palette}: text {worst[0]!r} in {name} has contrast {worst[1]:.2f} against {image['background']}"
        )
    figures = [image for image in v.images[palette] if image["src"].endswith(f"#only-{palette}")]
    assert measured >= len(figures), f"{palette}: {measured} figures measured of {len(figures)} shown"


@pytest.mark.parametrize("page", PAGES, ids=PAGE_IDS)
def test_no_serious_or_critical_accessibility_violations(visit, page):
    v = visit(page)
    for palette in PALETTES:
        found = [
            f"{x['impact']} {x['id']}: {x['help']} at {[n['target'] for n in x['nodes']][:5]}"
            for x in serious(v.axe[palette])
        ]
        assert not found, f"{palette} palette:\n" + "\n".join(found)


def test_search_finds_the_gelu_page(seen):
    assert isinstance(seen.search_hits, list), f"search failed: {seen.search_hits}"
    assert f"{site_prefix()}activation-functions/gelu/" in seen.search_hits, seen.search_hits


@pytest.mark.parametrize("page", PAGES, ids=PAGE_IDS)
def test_every_snippet_shown_offers_its_notebook_script_and_colab(visit, page, served_site):
    """Above each snippet's first cell: its notebook and script (served by this site, byte for byte the build's)
    and Colab's copy of the notebook as committed in the repository."""
    v, (base_url, site) = visit(page), served_site
    expected = included_snippets(page)
    assert [line["snippet"] for line in v.run_it] == [f"snippets/{slug}.py" for slug in expected], f"/{page}"
    name, branch = repository()
    for line, slug in zip(v.run_it, expected, strict=True):
        assert line["visible"], f"/{page}: the line for {slug} is not shown"
        stem = slug.rsplit("/", 1)[-1]
        links = {link["text"]: link for link in line["links"]}
        assert list(links) == [f"{stem}.ipynb", f"{stem}.py", "Open in Colab"], f"/{page}: {list(links)}"
        for suffix in ("ipynb", "py"):
            link = links[f"{stem}.{suffix}"]
            assert link["download"] and link["status"] == 200, f"/{page}: {link}"
            served = site / link["href"].removeprefix(base_url)
            assert served.read_bytes() == (GENERATED / f"{slug}.{suffix}").read_bytes(), f"/{page}: {link['href']}"
        colab = f"https://colab.research.google.com/github/{name}/blob/{branch}/docs/generated/{slug}.ipynb"
        assert links["Open in Colab"]["href"] == colab and not links["Open in Colab"]["download"]
        assert (ROOT / f"docs/generated/{slug}.ipynb").is_file()


def test_the_notebook_page_offers_a_valid_notebook_download(seen):
    assert isinstance(seen.download, tuple), f"download failed: {seen.download}"
    name, text = seen.download
    assert name.endswith(".ipynb"), name
    notebook = nbformat.reads(text, as_version=4)
    nbformat.validate(notebook)
    assert any(cell.cell_type == "code" for cell in notebook.cells)


@pytest.mark.parametrize("page", PAGES, ids=PAGE_IDS)
def test_page_weight_with_gzip_is_at_most_200_kb(visit, page):
    v = visit(page)
    # Tabs are reused from page to page (tabs.py): a response from the cache would weigh nothing.
    assert not v.from_cache, f"/{page}: served from the cache, so left out of the weight: {v.from_cache}"
    assert v.transferred_bytes <= MAX_TRANSFERRED_BYTES, f"/{page}: {v.transferred_bytes:,} bytes transferred"


@pytest.mark.parametrize("page", PAGES, ids=PAGE_IDS)
def test_no_layout_shift_at_375_px(visit, page):
    narrow = visit(page).narrow
    assert narrow["cls"] == 0, f"/{page}: cumulative layout shift {narrow['cls']}:\n" + "\n".join(narrow["shifted"])


@pytest.mark.parametrize("palette", PALETTES)
@pytest.mark.parametrize("page", PAGES, ids=PAGE_IDS)
def test_figures_at_375_px_are_the_narrow_variants_legible_and_contrasted(visit, page, palette):
    problems = figure_problems(visit(page).narrow["figures"][palette], palette)
    assert not problems, f"/{page}: " + "; ".join(problems)


@pytest.mark.parametrize("page", PAGES, ids=PAGE_IDS)
def test_no_horizontal_scroll_at_375_px(visit, page):
    narrow = visit(page).narrow
    assert narrow["scroll_width"] <= narrow["client_width"], f"/{page}: {narrow['scroll_width']} px wide"


@pytest.mark.parametrize("page", PAGES, ids=PAGE_IDS)
def test_no_number_split_across_lines_at_375_px(visit, page):
    assert not visit(page).narrow["split_numbers"], f"/{page}: numbers split: {visit(page).narrow['split_numbers']}"
