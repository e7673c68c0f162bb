"""Every page of the built site, as a reader's browser shows it.

The site is built once (`mkdocs build --strict`), served on localhost under the
same path prefix as on GitHub Pages, and each page is visited once in each
palette by Debian's Chromium; the tests below check what those visits saw.
Page weights go to .cache/browser-report/, screenshots to .cache/screenshots/.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

import nbformat
import pytest
from axe_playwright_python.async_playwright import Axe
from browsing import (
    CHROMIUM,
    CHROMIUM_ARGS,
    LOCAL_HOSTS,
    MAX_HTML_BYTES,
    MAX_TRANSFERRED_BYTES,
    MIN_TEXT_CONTRAST,
    SCREENSHOT_DIR,
    build_site,
    clear_screenshots,
    expected_snippet_copy,
    nav_pages,
    parse_css_colour,
    pycon_statements,
    serve,
    site_prefix,
    sitemap_pages,
    svg_text_contrasts,
    whole_programs,
    write_report,
)
from narrow import SMALL_TEXT_PAGES, figure_problems, look_narrow, switch_to_dark
from playwright.async_api import TimeoutError as PlaywrightTimeout
from playwright.async_api import async_playwright

PAGES = nav_pages()
PAGE_IDS = [page.strip("/") or "home" for page in PAGES]
PALETTES = ("light", "dark")
SCHEMES = {"light": "default", "dark": "slate"}
NOTEBOOK_PAGE = "generated/code/steps/"
CONCURRENT_PAGES = 4
COPY_BUTTON = 'button.md-code__button[data-md-type="copy"]'
SERIOUS = ("serious", "critical")
# Violations judged not to be real problems, by rule id, each with its reason. Empty: none so far.
AXE_EXCEPTIONS: dict[str, str] = {}


@dataclass
class Visit:
    page: str
    html_bytes: int = 0
    transferred_bytes: int = 0  # everything the first view loaded, headers included
    requests: list[str] = field(default_factory=list)
    foreign: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # console errors and uncaught exceptions
    scheme: dict[str, str] = field(default_factory=dict)
    images: dict[str, list[dict]] = field(default_factory=dict)
    math: dict = field(default_factory=dict)
    copies: list[dict] = field(default_factory=list)
    axe: dict[str, list[dict]] = field(default_factory=dict)
    scripts: list[str] = field(default_factory=list)  # every <script> the page ran: file name or "inline"
    narrow: dict = field(default_factory=dict)  # what the 375 px visit saw (tests/browser/narrow.py)
    problem: str = ""  # set when the visit itself broke


@dataclass
class Observations:
    """Everything the browser saw, gathered in one pass so that the tests only read it."""

    visits: dict[str, Visit]
    search_hits: list[str] | str  # result link paths, or what went wrong
    download: tuple[str, str] | str  # (suggested file name, content), or what went wrong
    seconds: float


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Path:
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is missing: the browser tests need Debian's Chromium (apt-get install chromium)"
        if os.environ.get("CI") == "true":
            pytest.fail(message + "; under CI=true they must run, not skip")
        pytest.skip(message)
    return build_site(tmp_path_factory.mktemp("pages"))


@pytest.fixture(scope="session")
def seen(site, pytestconfig) -> Observations:
    """Serve the built site on localhost and look at it with one Chromium; write the report."""
    root = site
    for _ in filter(None, site_prefix().split("/")):
        root = root.parent
    server = serve(root)
    try:
        observations = asyncio.run(_observe(f"http://127.0.0.1:{server.server_port}{site_prefix()}", site))
    finally:
        server.shutdown()
        server.server_close()
    rows = [
        {
            "page": v.page,
            "html_bytes": v.html_bytes,
            "transferred_bytes": v.transferred_bytes,
            "requests": len(v.requests),
            "scripts": v.scripts,
            "cls_375": round(v.narrow.get("cls", -1), 4),
            "scroll_width_375": v.narrow.get("scroll_width"),
            "split_numbers_375": v.narrow.get("split_numbers"),
            "axe_serious_light": len(_serious(v.axe.get("light", []))),
            "axe_serious_dark": len(_serious(v.axe.get("dark", []))),
            "axe_other": sum(len(x) - len(_serious(x)) for x in v.axe.values()),
            "axe_violations": {p: [f"{x['impact']}: {x['id']}" for x in vs] for p, vs in v.axe.items()},
        }
        for v in observations.visits.values()
        if not v.problem
    ]
    # tests/conftest.py prints the table in the terminal summary.
    pytestconfig.browser_report = write_report(rows, observations.seconds)
    return observations


@pytest.fixture
def visit(seen):
    def get(page: str) -> Visit:
        v = seen.visits[page]
        if v.problem:
            pytest.fail(f"visiting /{page} failed: {v.problem}")
        return v

    return get


async def _observe(base_url: str, site: Path) -> Observations:
    started = time.monotonic()
    clear_screenshots()
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        slots = asyncio.Semaphore(CONCURRENT_PAGES)
        clipboard = asyncio.Lock()  # one clipboard for every page

        async def visit(page: str) -> Visit:
            async with slots:
                v = Visit(page)
                try:
                    await _look(browser, base_url, site, v, clipboard)
                    slug = v.page.strip("/").replace("/", "--") or "index"
                    v.narrow = await look_narrow(browser, base_url + v.page, SCREENSHOT_DIR, slug)
                except Exception as exc:  # every test of this page reports it
                    v.problem = f"{type(exc).__name__}: {exc}"
                return v

        visits, search_hits, download = await asyncio.gather(
            asyncio.gather(*(visit(page) for page in PAGES)),
            _guarded(_search(browser, base_url, "GELU")),
            _guarded(_download_notebook(browser, base_url + NOTEBOOK_PAGE)),
        )
        await browser.close()
    return Observations({v.page: v for v in visits}, search_hits, download, time.monotonic() - started)


async def _guarded(coroutine):
    try:
        return await coroutine
    except Exception as exc:
        return f"{type(exc).__name__}: {exc}"


async def _look(browser, base_url: str, site: Path, v: Visit, clipboard: asyncio.Lock) -> None:
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(base_url))
    context = await browser.new_context(viewport={"width": 1280, "height": 800}, color_scheme="light")
    await context.grant_permissions(["clipboard-read", "clipboard-write"], origin=origin)
    page = await context.new_page()

    def on_request(request):
        v.requests.append(request.url)
        parts = urlsplit(request.url)
        if parts.scheme not in ("data", "blob") and parts.hostname not in LOCAL_HOSTS:
            v.foreign.append(request.url)

    page.on("request", on_request)
    page.on("requestfailed", lambda r: v.failed.append(f"{r.url} ({r.failure})"))
    page.on("response", lambda r: r.status >= 400 and v.failed.append(f"{r.url} (HTTP {r.status})"))
    page.on("console", lambda m: m.type == "error" and v.errors.append(f"console: {m.text}"))
    page.on("pageerror", lambda e: v.errors.append(f"exception: {e}"))
    axe = Axe()
    try:
        response = await page.goto(base_url + v.page, wait_until="networkidle")
        assert response is not None and response.ok, f"HTTP {response and response.status}"
        v.html_bytes = len(await response.body())
        # Resource Timing counts every response of the first view, compressed, headers included.
        v.transferred_bytes = await page.evaluate(TRANSFERRED_JS)
        v.math = await page.evaluate(MATH_JS)
        v.scripts = await page.evaluate(SCRIPTS_JS)
        await page.evaluate(EAGER_IMAGES_JS)  # lazy images below the fold or hidden by the palette, too
        for palette in PALETTES:
            if palette == "dark":
                await switch_to_dark(page)
            v.scheme[palette] = await page.evaluate("document.body.getAttribute('data-md-color-scheme')")
            v.images[palette] = await page.evaluate(IMAGES_JS)
            for image in v.images[palette]:
                image["svg"] = _svg_source(image["src"], site)
            slug = v.page.strip("/").replace("/", "--") or "index"
            await page.screenshot(path=SCREENSHOT_DIR / f"{slug}-{palette}.png", full_page=True, animations="disabled")
            v.axe[palette] = (await axe.run(page)).response["violations"]
        async with clipboard:  # last: the "Copied" notice would show in screenshots and axe runs
            v.copies = await _copy_every_block(page)
    finally:
        await context.close()


async def _search(browser, base_url: str, query: str) -> list[str]:
    """Type the query into the header's search box; return the paths the results link to."""
    context = await browser.new_context(viewport={"width": 1280, "height": 800})
    try:
        page = await context.new_page()
        await page.goto(base_url, wait_until="networkidle")
        await page.locator("input.md-search__input").click()
        await page.locator("input.md-search__input").press_sequentially(query, delay=20)
        hits = page.locator(".md-search-result__item a")
        await hits.first.wait_for(timeout=10_000)
        return [urlsplit(href).path for href in await hits.evaluate_all("(links) => links.map((a) => a.href)")]
    finally:
        await context.close()


async def _download_notebook(browser, url: str) -> tuple[str, str]:
    """Click the page's download button; return the suggested file name and the file's text."""
    context = await browser.new_context(accept_downloads=True)
    try:
        page = await context.new_page()
        await page.goto(url, wait_until="networkidle")
        button = page.locator("a.md-content__button[download]")
        assert await button.count() == 1, "no download button on the notebook page"
        async with page.expect_download() as info:
            await button.click()
        download = await info.value
        return download.suggested_filename, Path(await download.path()).read_text(encoding="utf-8")
    finally:
        await context.close()


# Formulas arrive as MathML from the build (scripts/math_hook.py); none may be left as LaTeX.
MATH_JS = """() => {
  const article = document.querySelector("article").cloneNode(true);
  article.querySelectorAll("pre, code, annotation, script, style").forEach((el) => el.remove());
  return {
    arithmatex: document.querySelectorAll(".arithmatex").length,
    unrendered: [...document.querySelectorAll(".arithmatex")].filter((el) => !el.querySelector("math")).length,
    mathml: document.querySelectorAll(".arithmatex math").length,
    mathAssets: performance.getEntriesByType("resource").map((r) => r.name).filter((n) => /katex|mathjax/i.test(n)),
    text: article.textContent,
  };
}"""

TRANSFERRED_JS = """() => [...performance.getEntriesByType("navigation"), ...performance.getEntriesByType("resource")]
  .reduce((sum, entry) => sum + entry.transferSize, 0)"""

SCRIPTS_JS = "() => [...document.scripts].map((s) => s.src ? s.src.split('/').pop() : 'inline')"

EAGER_IMAGES_JS = """async () => {
  const images = [...document.images];
  images.forEach((img) => { img.loading = "eager"; });
  await Promise.all(images.map((img) => img.complete ? img.decode().catch(() => {}) : new Promise((done) => {
    img.addEventListener("load", done, { once: true });
    img.addEventListener("error", done, { once: true });
    setTimeout(done, 5000);
  })));
}"""

IMAGES_JS = """() => [...document.images].map((img) => {
  const style = getComputedStyle(img);
  const rect = img.getBoundingClientRect();
  let background = "rgb(255, 255, 255)";
  for (let el = img; el; el = el.parentElement) {
    const colour = getComputedStyle(el).backgroundColor;
    if (colour !== "transparent" && !/rgba\\(.*,\\s*0\\)$/.test(colour)) { background = colour; break; }
  }
  return {
    src: img.getAttribute("src").startsWith("data:") ? img.getAttribute("src") : img.src,
    alt: img.getAttribute("alt"),
    naturalWidth: img.naturalWidth,
    visible: style.display !== "none" && style.visibility !== "hidden" && rect.width > 0 && rect.height > 0,
    background,
  };
})"""

COPY_BLOCKS_JS = """(selector) => [...document.querySelectorAll(selector)].map((button) => {
  const block = button.closest(".highlight");
  const filename = block && block.querySelector(".filename");
  const code = document.querySelector(button.getAttribute("data-clipboard-target"));
  return {
    title: filename ? filename.textContent.trim() : "",
    language: block ? ([...block.classList].find((c) => c.startsWith("language-")) || "") : "",
    text: code ? code.textContent : "",
  };
})"""

SHOW_TAB_JS = """([selector, index]) => {
  let el = document.querySelectorAll(selector)[index];
  while ((el = el.parentElement)) {
    if (el.tagName === "DETAILS") el.open = true;  // a collapsed solution (`???`) hides its code
    if (el.classList.contains("tabbed-block")) {
      const set = el.closest(".tabbed-set");
      const position = [...el.parentElement.children].indexOf(el);
      set.querySelectorAll(":scope > input")[position].click();
    }
  }
}"""


async def _copy_every_block(page) -> list[dict]:
    """Click each copy button; return the block's title, language, own text and the clipboard text."""
    blocks = await page.evaluate(COPY_BLOCKS_JS, COPY_BUTTON)
    for index, block in enumerate(blocks):
        await page.bring_to_front()
        await page.evaluate("navigator.clipboard.writeText('')")
        await page.evaluate(SHOW_TAB_JS, [COPY_BUTTON, index])
        await page.locator(COPY_BUTTON).nth(index).click()
        # Material writes the clipboard asynchronously after the click: wait for text, up to a deadline.
        with contextlib.suppress(PlaywrightTimeout):  # nothing copied: the caller's comparison reports it
            await page.wait_for_function(CLIPBOARD_FILLED_JS, timeout=10_000)
        block["clipboard"] = await page.evaluate("navigator.clipboard.readText()")
    return blocks


CLIPBOARD_FILLED_JS = "async () => (await navigator.clipboard.readText()) !== ''"


def _svg_source(src: str, site: Path) -> str | None:
    """The SVG text behind an image: decoded from a data: URI or read from the built site."""
    if src.startswith("data:image/svg+xml"):
        header, _, data = src.partition(",")
        return base64.b64decode(data).decode() if header.endswith(";base64") else unquote(data)
    path = urlsplit(src).path
    if not path.endswith(".svg"):
        return None
    return (site / unquote(path).removeprefix(site_prefix())).read_text(encoding="utf-8")


def _serious(violations: list[dict]) -> list[dict]:
    return [x for x in violations if x["impact"] in SERIOUS and x["id"] not in AXE_EXCEPTIONS]


# --- the tests ----------------------------------------------------------------------------------


def test_the_nav_lists_every_page_of_the_sitemap(site):
    assert sorted(PAGES) == sorted(sitemap_pages(site))


@pytest.mark.parametrize("page", PAGES, ids=PAGE_IDS)
def test_loads_without_errors_and_only_from_localhost(visit, page):
    v = visit(page)
    assert not v.foreign, f"requests leaving localhost: {v.foreign}"
    assert not v.failed, f"failed requests: {v.failed}"
    assert not v.errors, f"errors in the page: {v.errors}"


@pytest.mark.parametrize("page", PAGES, ids=PAGE_IDS)
def test_html_is_at_most_100_kb(visit, page):
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
    # A long inline formula is one <math> per side of its equals signs (scripts/math_hook.py).
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
    for image in v.images[palette]:
        name = image["src"][:100]
        if image["src"].endswith(hidden_variant):
            assert not image["visible"], f"{palette}: {name} should be hidden"
            continue
        if palette == "dark" and image["src"].endswith("#only-dark"):
            assert image["src"].endswith("-dark.svg#only-dark"), name
        if not image["visible"] or image["svg"] is None:
            continue
        background, _ = parse_css_colour(image["background"])
        contrasts = svg_text_contrasts(image["svg"], background)
        assert contrasts, f"{name}: no text found in the SVG"
        worst = min(contrasts, key=lambda item: item[1])
        assert worst[1] >= MIN_TEXT_CONTRAST, (
            f"{palette}: text {worst[0]!r} in {name} has contrast {worst[1]:.2f} against {image['background']}"
        )


@pytest.mark.parametrize("page", PAGES, ids=PAGE_IDS)
def test_no_serious_or_critical_accessibility_violations(visit, page):
    v = visit(page)
    for palette in PALETTES:
        found = [
            f"{x['impact']} {x['id']}: {x['help']} at {[n['target'] for n in x['nodes']][:5]}"
            for x in _serious(v.axe[palette])
        ]
        assert not found, f"{palette} palette:\n" + "\n".join(found)


def test_search_finds_the_gelu_page(seen):
    assert isinstance(seen.search_hits, list), f"search failed: {seen.search_hits}"
    assert f"{site_prefix()}activation-functions/gelu/" in seen.search_hits, seen.search_hits


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
    assert v.transferred_bytes <= MAX_TRANSFERRED_BYTES, f"/{page}: {v.transferred_bytes:,} bytes transferred"


@pytest.mark.parametrize("page", PAGES, ids=PAGE_IDS)
def test_no_layout_shift_at_375_px(visit, page):
    assert visit(page).narrow["cls"] == 0, f"/{page}: cumulative layout shift {visit(page).narrow['cls']}"


@pytest.mark.parametrize("palette", PALETTES)
@pytest.mark.parametrize("page", PAGES, ids=PAGE_IDS)
def test_figures_at_375_px_are_the_narrow_variants_legible_and_contrasted(visit, page, palette):
    problems = figure_problems(visit(page).narrow["figures"][palette], palette)
    if problems and page in SMALL_TEXT_PAGES and all(" px, under " in p for p in problems):
        pytest.xfail(f"{SMALL_TEXT_PAGES[page]}: {problems}")
    assert not problems, f"/{page}: " + "; ".join(problems)


@pytest.mark.parametrize("page", PAGES, ids=PAGE_IDS)
def test_no_horizontal_scroll_at_375_px(visit, page):
    narrow = visit(page).narrow
    assert narrow["scroll_width"] <= narrow["client_width"], f"/{page}: {narrow['scroll_width']} px wide"


@pytest.mark.parametrize("page", PAGES, ids=PAGE_IDS)
def test_no_number_split_across_lines_at_375_px(visit, page):
    assert not visit(page).narrow["split_numbers"], f"/{page}: numbers split: {visit(page).narrow['split_numbers']}"
