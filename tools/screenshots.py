"""Full-page screenshots of every page, at 1280 and 375 px in both palettes, for people to look at.

`make screenshots` writes .cache/screenshots/<page>-<width>-<palette>.png (outside git). The browser tests
check what these show (contrast, layout, weight); this only makes the pictures, since they assert nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import sys
import tempfile
from pathlib import Path

from playwright.async_api import async_playwright
from siteserve import ROOT, build_site, nav_pages, serve

CHROMIUM = "/usr/bin/chromium"
OUT = ROOT / ".cache" / "screenshots"
WIDTHS = (1280, 375)
# Material fades colours when the palette changes; what is looked at next waits until no animation runs.
ANIMATIONS_DONE_JS = "() => document.getAnimations().every((a) => a.playState !== 'running')"


async def switch_to_dark(page) -> None:
    """The header's palette toggle, as a reader clicks it; also used by the browser tests (tests/browser/)."""
    await page.locator('form[data-md-component="palette"] label:visible').first.click()
    await page.wait_for_selector('body[data-md-color-scheme="slate"]', state="attached")
    await page.wait_for_function(ANIMATIONS_DONE_JS)


async def shoot(browser, url: str, slug: str, width: int) -> None:
    """Both palettes of one page at one width: light as loaded, then dark through the header's toggle."""
    context = await browser.new_context(viewport={"width": width, "height": 800}, color_scheme="light")
    try:
        page = await context.new_page()
        await page.goto(url, wait_until="networkidle")
        await page.evaluate("() => document.querySelectorAll('img').forEach((img) => { img.loading = 'eager'; })")
        for palette in ("light", "dark"):
            if palette == "dark":
                await switch_to_dark(page)
            await page.wait_for_load_state("networkidle")  # the dark figures, loaded by the switch
            await page.screenshot(path=OUT / f"{slug}-{width}-{palette}.png", full_page=True, animations="disabled")
    finally:
        await context.close()


async def shoot_all(base_url: str, pages: list[str]) -> None:
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=["--headless", "--no-sandbox"])
        for page in pages:
            slug = page.strip("/").replace("/", "--") or "index"
            for width in WIDTHS:
                await shoot(browser, base_url + page, slug, width)
            print(f"{slug}: {len(WIDTHS) * 2} screenshots", file=sys.stderr)
        await browser.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pages", nargs="*", help="site-relative URLs such as activation-functions/gelu/ (all if none)")
    pages = parser.parse_args().pages or nav_pages()
    shutil.rmtree(OUT, ignore_errors=True)
    OUT.mkdir(parents=True)
    with tempfile.TemporaryDirectory() as folder:
        server, base_url = serve(build_site(Path(folder)))
        try:
            asyncio.run(shoot_all(base_url, pages))
        finally:
            server.shutdown()
    print(f"screenshots in {OUT.relative_to(ROOT)}/", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
