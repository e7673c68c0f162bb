"""One pass of Chromium over every page of the built site, recording what the browser tests check.

Each page is opened at 1280 px in the light palette, then switched to dark, then once more at 375 px
(tests/browser/narrow.py). Nothing here asserts: the tests in test_pages.py read the `Visit` records.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from browsing import CHROMIUM, CHROMIUM_ARGS, axe_violations
from narrow import PHONE, look_narrow
from playwright.async_api import TimeoutError as PlaywrightTimeout
from playwright.async_api import async_playwright
from screenshots import switch_to_dark
from siteserve import nav_pages, site_prefix
from tabs import WIDE, Tab

PAGES = nav_pages()
PALETTES = ("light", "dark")
NOTEBOOK_PAGE = "activation-functions/code-notebook/"
CONCURRENT_TABS = 4  # pairs of tabs (wide, phone) visiting pages side by side
COPY_BUTTON = 'button.md-code__button[data-md-type="copy"]'
# axe's options per palette: only colours change with the palette, so the dark pass runs the contrast rule alone.
AXE_OPTIONS = {"light": {}, "dark": {"runOnly": {"type": "rule", "values": ["color-contrast"]}}}


@dataclass
class Visit:
    page: str
    html_bytes: int = 0
    transferred_bytes: int = 0  # everything the first view loaded, headers included
    from_cache: list[str] = field(default_factory=list)  # responses that did not come over the network
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
    run_it: list[dict] = field(default_factory=list)  # each "run it yourself" line: its snippet, links, their status
    problem: str = ""  # set when the visit itself broke


@dataclass
class Observations:
    """Everything the browser saw, gathered in one pass so that the tests only read it."""

    visits: dict[str, Visit]
    search_hits: list[str] | str  # result link paths, or what went wrong
    download: tuple[str, str] | str  # (suggested file name, content), or what went wrong
    seconds: float


async def observe(base_url: str, site: Path) -> Observations:
    """Visit every page (a few at a time), search the site and download the notebook, with one Chromium."""
    started = time.monotonic()
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        waiting = list(reversed(PAGES))
        clipboard = asyncio.Lock()  # one clipboard for every page

        async def visit_in_turn() -> list[Visit]:
            """Pages one after another in one wide and one phone tab: a new tab per page costs ~1 CPU-s."""
            wide, phone = await Tab.open(browser, base_url, WIDE), await Tab.open(browser, base_url, PHONE)
            done = []
            try:
                while waiting:
                    v = Visit(waiting.pop())
                    try:
                        await _look(await wide.go(v), base_url + v.page, site, v, clipboard)
                        at_375 = Visit(v.page)  # its requests are not the first view's, its problems count
                        v.narrow = await look_narrow(await phone.go(at_375), base_url + v.page)
                        v.foreign += at_375.foreign
                        v.failed += [f"at 375 px: {failure}" for failure in at_375.failed]
                        v.errors += [f"at 375 px: {error}" for error in at_375.errors]
                    except Exception as exc:  # every test of this page reports it
                        v.problem = f"{type(exc).__name__}: {exc}"
                    done.append(v)
            finally:
                await wide.context.close()
                await phone.context.close()
            return done

        turns, search_hits, download = await asyncio.gather(
            asyncio.gather(*(visit_in_turn() for _ in range(CONCURRENT_TABS))),
            _guarded(_search(browser, base_url, "GELU")),
            _guarded(_download_notebook(browser, base_url + NOTEBOOK_PAGE)),
        )
        await browser.close()
    visits = {v.page: v for turn in turns for v in turn}
    return Observations({page: visits[page] for page in PAGES}, search_hits, download, time.monotonic() - started)


async def _guarded(coroutine):
    try:
        return await coroutine
    except Exception as exc:
        return f"{type(exc).__name__}: {exc}"


async def _look(page, url: str, site: Path, v: Visit, clipboard: asyncio.Lock) -> None:
    """The 1280 px visit: weight, scripts, math, images and axe in both palettes, then every copy button."""
    response = await page.goto(url, wait_until="networkidle")
    assert response is not None and response.ok, f"HTTP {response and response.status}"
    # Material fetches the search index once its search worker is up; on a busy machine that can follow
    # networkidle, and the weight must count it. One CI run timed out here at 10 s on one page (not reproduced
    # here, even with stress-ng on both cores): the check now polls on a timer rather than on animation
    # frames, waits longer, and says whether the index was requested at all.
    try:
        await page.wait_for_function(SEARCH_INDEX_LOADED_JS, polling=200, timeout=30_000)
    except PlaywrightTimeout:
        asked = [url for url in v.requests if url.endswith(SEARCH_INDEXES)]
        raise AssertionError(f"no search index within 30 s of networkidle; requested: {asked or 'never'}") from None
    v.html_bytes = len(await response.body())
    # Resource Timing counts every response of the first view, compressed, headers included.
    v.transferred_bytes = await page.evaluate(TRANSFERRED_JS)
    v.from_cache = await page.evaluate(FROM_CACHE_JS)
    v.math = await page.evaluate(MATH_JS)
    v.scripts = await page.evaluate(SCRIPTS_JS)
    v.run_it = await page.evaluate(RUN_IT_JS)  # after the weight: it fetches the downloads it links
    await page.evaluate(EAGER_IMAGES_JS)  # lazy images below the fold or hidden by the palette, too
    for palette in PALETTES:
        if palette == "dark":
            await switch_to_dark(page)
        v.scheme[palette] = await page.evaluate("document.body.getAttribute('data-md-color-scheme')")
        v.images[palette] = await page.evaluate(IMAGES_JS)
        for image in v.images[palette]:
            image["svg"] = _svg_source(image["src"], site)
        v.axe[palette] = await axe_violations(page, AXE_OPTIONS[palette])
    async with clipboard:  # last: the "Copied" notice would be part of what axe sees
        v.copies = await _copy_every_block(page)


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
    """Click the notebook's link in the page's run-it line; return the suggested file name and the file's text."""
    context = await browser.new_context(accept_downloads=True)
    try:
        page = await context.new_page()
        await page.goto(url, wait_until="networkidle")
        button = page.locator('article p.run-it a[download][href$=".ipynb"]')
        assert await button.count() == 1, "no notebook download on the notebook page"
        async with page.expect_download() as info:
            await button.click()
        download = await info.value
        return download.suggested_filename, Path(await download.path()).read_text(encoding="utf-8")
    finally:
        await context.close()


# Formulas arrive as MathML from the build (scripts/sitepages/mathml.py); none may be left as LaTeX.
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

# Material's search index, and Zensical's (SITE_ENGINE=zensical builds the site the suite visits with Zensical).
SEARCH_INDEXES = ("/search/search_index.json", "/search.json")
SEARCH_INDEX_LOADED_JS = """() => performance.getEntriesByType("resource")
  .some((entry) => ["/search/search_index.json", "/search.json"].some((name) => entry.name.endsWith(name))
    && entry.responseEnd > 0)"""

TRANSFERRED_JS = """() => [...performance.getEntriesByType("navigation"), ...performance.getEntriesByType("resource")]
  .reduce((sum, entry) => sum + entry.transferSize, 0)"""

FROM_CACHE_JS = """() => [...performance.getEntriesByType("navigation"), ...performance.getEntriesByType("resource")]
  .filter((entry) => entry.transferSize === 0 && !entry.name.startsWith("data:")).map((entry) => entry.name)"""

# Each "run it yourself" line (scripts/sitepages/snippets.py) as the reader sees it; same-site targets are fetched
# (no cache), others are only read: Colab is not on this machine.
RUN_IT_JS = """async () => Promise.all([...document.querySelectorAll("article p.run-it")].map(async (p) => ({
  snippet: p.querySelector("code").textContent,
  visible: p.getBoundingClientRect().height > 0,
  links: await Promise.all([...p.querySelectorAll("a")].map(async (a) => ({
    text: a.textContent,
    href: a.href,
    download: a.hasAttribute("download"),
    status: a.origin === location.origin ? (await fetch(a.href, { cache: "no-store" })).status : null,
  }))),
})))"""

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
