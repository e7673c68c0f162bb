"""The phone-sized visit of the browser suite: layout shift, sideways scrolling and numbers split across lines.

Each page is opened once at 375 px; the checks read what `look_narrow` records.
`switch_to_dark` is shared with the 1280 px visit (visits.py).
"""

from __future__ import annotations

PHONE = {"width": 375, "height": 800}

# Installed before any page script: every layout shift not caused by input adds to window.__cls, and what
# moved (element, text, old -> new box) goes to window.__shifted so that a failure can say what to fix.
CLS_OBSERVER_JS = """window.__cls = 0;
window.__shifted = [];
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    if (entry.hadRecentInput) continue;
    window.__cls += entry.value;
    for (const s of entry.sources) {
      const node = s.node && s.node.nodeType === 1 ? s.node : s.node && s.node.parentElement;
      const name = node ? `${node.tagName.toLowerCase()}.${[...node.classList].join(".")}` : "?";
      const box = (r) => `${Math.round(r.x)},${Math.round(r.y)} ${Math.round(r.width)}x${Math.round(r.height)}`;
      const text = node ? node.textContent.trim().slice(0, 30) : "";
      const when = `${Math.round(entry.startTime)} ms`;
      window.__shifted.push(`${name} "${text}" at ${when}: ${box(s.previousRect)} -> ${box(s.currentRect)}`);
    }
  }
}).observe({ type: "layout-shift", buffered: true });"""

# Bring each visible image into view and wait until it is decoded, so a shift it causes is on screen.
SCROLL_IMAGES_JS = """async () => {
  const frames = () => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)));
  for (const img of document.images) {
    if (img.offsetParent === null) continue;
    img.scrollIntoView({ block: "center" });
    await frames();
    if (!img.complete) await new Promise((done) => {
      img.addEventListener("load", done, { once: true });
      img.addEventListener("error", done, { once: true });
    });
    await img.decode().catch(() => {});
    await frames();
  }
  window.scrollTo(0, 0);
  await frames();
  return window.__cls;
}"""

# Every number in an output block or a table cell whose characters land on more than one line.
SPLIT_NUMBERS_JS = """() => {
  const split = [];
  const blocks = document.querySelectorAll("article :is(td, th, pre, .jp-OutputArea-output)");
  for (const block of blocks) {
    const walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (const match of node.data.matchAll(/[-+\u2212]?\\d[\\d.,]*(?:e[-+]?\\d+)?/gi)) {
        const range = document.createRange();
        range.setStart(node, match.index);
        range.setEnd(node, match.index + match[0].length);
        const tops = new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top)));
        if (tops.size > 1) split.push(match[0]);
      }
    }
  }
  return split;
}"""

SCROLL_WIDTH_JS = "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"

# Material fades colours when the palette changes; what is measured next waits until no animation runs.
ANIMATIONS_DONE_JS = "() => document.getAnimations().every((a) => a.playState !== 'running')"


async def switch_to_dark(page) -> None:
    await page.locator('form[data-md-component="palette"] label:visible').first.click()
    await page.wait_for_selector('body[data-md-color-scheme="slate"]', state="attached")
    await page.wait_for_function(ANIMATIONS_DONE_JS)


async def look_narrow(browser, url: str) -> dict:
    """Open `url` at 375 px; return its layout shift, page and viewport widths, and split numbers."""
    context = await browser.new_context(viewport=PHONE, color_scheme="light")
    await context.add_init_script(CLS_OBSERVER_JS)
    try:
        page = await context.new_page()
        await page.goto(url, wait_until="networkidle")
        seen = {"cls": await page.evaluate(SCROLL_IMAGES_JS), "shifted": await page.evaluate("window.__shifted")}
        seen["scroll_width"], seen["client_width"] = await page.evaluate(SCROLL_WIDTH_JS)
        seen["split_numbers"] = await page.evaluate(SPLIT_NUMBERS_JS)
        return seen
    finally:
        await context.close()
