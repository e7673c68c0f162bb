"""The explorer page in Chromium: keyboard-driven sliders draw exactly the values the snippet published.

Uses the suite's one site build, served on localhost (tests/conftest.py), and drives the page the way a
keyboard user would.
"""

from __future__ import annotations

import asyncio
import gzip
import json
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from browsing import CHROMIUM, CHROMIUM_ARGS, LOCAL_HOSTS, ROOT, axe_violations, require_chromium
from playwright.async_api import async_playwright
from siteserve import site_prefix

PAGE = "activation-functions/explorer/"
VALUES = ROOT / "docs" / "generated" / "activation-functions" / "explorer" / "curves" / "values.json"
MAX_COMPRESSED = 150 * 1024
POLYLINE_JS = """(key) => {
  const line = document.querySelector(`polyline[data-curve="${key}"]`);
  return line && line.getAttribute("points").trim().split(/\\s+/).map((p) => p.split(",").map(Number));
}"""


@pytest.fixture(scope="module")
def published() -> dict:
    """What the snippet published: the explorer's only source of numbers."""
    return json.loads(VALUES.read_text(encoding="utf-8"))["explorer"]


@pytest.fixture(scope="module")
def site_url(served_site) -> str:
    require_chromium()
    return served_site[0]


@pytest.fixture(scope="module")
def run(site_url):
    """`run(scenario)` awaits `scenario(browser)` with the module's one Chromium (a launch costs about a CPU-second)."""
    loop = asyncio.new_event_loop()
    playwright = loop.run_until_complete(async_playwright().start())
    browser = loop.run_until_complete(playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS))

    async def scenario_then_close(scenario):
        try:
            return await scenario(browser)
        finally:
            for context in browser.contexts:  # each scenario starts from a browser with no page open
                await context.close()

    yield lambda scenario: loop.run_until_complete(scenario_then_close(scenario))
    loop.run_until_complete(browser.close())
    loop.run_until_complete(playwright.stop())
    loop.close()


async def open_page(browser, base, scheme="light", script=True):
    context = await browser.new_context(
        viewport={"width": 1280, "height": 900}, color_scheme=scheme, java_script_enabled=script
    )
    page = await context.new_page()
    requests = []
    page.on("request", lambda r: requests.append(r.url))
    await page.goto(base + PAGE, wait_until="networkidle")
    if script:
        await page.wait_for_selector("#explorer[data-ready]", timeout=15_000)
    return page, requests


async def press_until(page, selector: str, key: str, wanted: str) -> None:
    """Press `key` on the focused slider until its visible value reads `wanted` (at most 50 presses)."""
    await page.focus(selector)
    for _ in range(50):
        if await page.locator(f'output[for="{selector[1:]}"]').text_content() == wanted:
            return
        await page.keyboard.press(key)
    raise AssertionError(f"{selector} never showed {wanted}")


def expected_points(published, key, value, kind, half):
    xs = published["x"]
    ys = published["functions"][key]["curves"][value][kind]
    return [[x, y] for x, y in zip(xs, ys, strict=True) if abs(x) <= half + 1e-9]


def test_keyboard_sliders_draw_the_published_values(run, site_url, published):
    async def scenario(browser):
        page, _ = await open_page(browser, site_url)
        await press_until(page, "#explorer-beta", "ArrowRight", "2.00")
        await press_until(page, "#explorer-range", "ArrowRight", "6")
        swish_f = await page.evaluate(POLYLINE_JS, "swish")
        await page.focus("#explorer-derivative")
        await page.keyboard.press("Space")
        swish_df = await page.evaluate(POLYLINE_JS, "swish")
        await page.focus('input[data-show="leaky"]')
        await page.keyboard.press("Space")
        await press_until(page, "#explorer-slope", "End", "0.50")
        leaky_df = await page.evaluate(POLYLINE_JS, "leaky")
        valuetext = await page.get_attribute("#explorer-beta", "aria-valuetext")
        return swish_f, swish_df, leaky_df, valuetext

    swish_f, swish_df, leaky_df, valuetext = run(scenario)
    half = max(published["x"])
    assert swish_f == expected_points(published, "swish", "2.00", "f", half)
    assert swish_df == expected_points(published, "swish", "2.00", "df", half)
    assert leaky_df == expected_points(published, "leaky", "0.50", "df", half)
    assert valuetext == "beta 2.00"


def test_the_range_slider_shows_only_inputs_inside_the_range(run, site_url, published):
    async def scenario(browser):
        page, _ = await open_page(browser, site_url)
        await press_until(page, "#explorer-range", "ArrowLeft", "2")
        return await page.evaluate(POLYLINE_JS, "gelu")

    assert run(scenario) == expected_points(published, "gelu", "", "f", 2)


def test_no_serious_accessibility_violations_in_both_palettes(run, site_url):
    async def scenario(browser):
        found, colours = {}, {}
        for scheme in ("light", "dark"):
            page, _ = await open_page(browser, site_url, scheme)
            await page.focus("#explorer-beta")  # the focus ring is part of what axe sees
            result = await axe_violations(page)
            found[scheme] = [f"{v['impact']}: {v['id']}" for v in result if v["impact"] in ("serious", "critical")]
            colours[scheme] = await page.evaluate(
                "() => [getComputedStyle(document.querySelector('polyline[data-curve=gelu]')).stroke,"
                " getComputedStyle(document.body).backgroundColor]"
            )
        return found, colours

    found, colours = run(scenario)
    assert found == {"light": [], "dark": []}
    assert colours["light"][1] != colours["dark"][1], "the page did not switch palette"
    assert colours["light"][0] != colours["dark"][0], "the curves keep their light-palette colour on the dark page"


def test_without_javascript_a_figure_stands_in(run, site_url):
    async def scenario(browser):
        page, _ = await open_page(browser, site_url, script=False)
        hidden = await page.locator("#explorer").is_hidden()
        notice = await page.locator("article").inner_text()
        figure = page.locator('img[src*="generated/activation-functions/explorer/curves/cell-3-fig-1.svg"]')
        await figure.scroll_into_view_if_needed()
        loaded = await figure.evaluate("(img) => img.complete && img.naturalWidth > 0")
        return hidden, notice, loaded

    hidden, notice, loaded = run(scenario)
    assert hidden, "the controls show although nothing can drive them"
    assert "The explorer needs JavaScript" in notice
    assert loaded


def test_page_weight_and_no_outside_request(run, site_url, built_site):
    """Everything the first view loads, gzipped as a server would send it, at most 150 KiB.

    The whole first view (Material's bundle and the search index included) is written to the report.
    """

    async def scenario(browser):
        _, requests = await open_page(browser, site_url)
        return requests

    requests = run(scenario)
    foreign = [u for u in requests if urlsplit(u).hostname not in LOCAL_HOSTS and not u.startswith("data:")]
    assert not foreign
    sizes = {}
    for url in requests:
        path = urlsplit(url).path.removeprefix(site_prefix())
        file = built_site / (path + "index.html" if path.endswith("/") or not path else path)
        sizes[path] = len(gzip.compress(Path(file).read_bytes(), 9))
    own = sum(size for path, size in sizes.items() if "explorer" in path)
    report = ROOT / ".cache" / "browser-report" / "explorer-weight.json"
    report.parent.mkdir(parents=True, exist_ok=True)
    report.write_text(json.dumps({"own": own, "total": sum(sizes.values()), "files": sizes}, indent=2) + "\n")
    assert any("values.json" in path for path in sizes), "the data was not loaded"
    total = sum(sizes.values())
    assert total <= MAX_COMPRESSED, f"the explorer's first view weighs {total:,} bytes compressed: {sizes}"
