"""The phone-sized visit of the browser suite: layout shift, sideways scrolling, numbers split across lines,
and the figures a phone is shown (a <picture> picks the stacked narrow variant there).

Each page is opened once at 375 px; the checks read what `look_narrow` records.
The palette switch comes from tools/screenshots.py, so tests and screenshots toggle it alike.
"""

from __future__ import annotations

import re

from browsing import MIN_TEXT_CONTRAST, parse_css_colour, svg_text_contrasts
from screenshots import switch_to_dark

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

# Each shown image: the file the browser picked (currentSrc), its width on screen, its background and SVG text.
SHOWN_FIGURES_JS = """async () => Promise.all([...document.querySelectorAll("article img")]
  .filter((img) => img.offsetParent !== null && img.getBoundingClientRect().width > 0)
  .map(async (img) => {
    let background = "rgb(255, 255, 255)";
    for (let el = img; el; el = el.parentElement) {
      const colour = getComputedStyle(el).backgroundColor;
      if (colour !== "transparent" && !/rgba\\(.*,\\s*0\\)$/.test(colour)) { background = colour; break; }
    }
    const src = img.currentSrc;
    const svg = /\\.svg(#|$)|^data:image\\/svg/.test(src) ? await (await fetch(src)).text() : null;
    const offered = img.closest("picture")?.querySelector("source")?.getAttribute("srcset") || null;
    return { src, shownWidth: img.getBoundingClientRect().width, background, svg, offered };
  }))"""

SCROLL_WIDTH_JS = "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"


async def look_narrow(page, url: str) -> dict:
    """Open `url` in a 375 px tab running CLS_OBSERVER_JS; return its layout shift, page and viewport widths,
    split numbers and shown figures."""
    await page.goto(url, wait_until="networkidle")
    seen = {"cls": await page.evaluate(SCROLL_IMAGES_JS), "shifted": await page.evaluate("window.__shifted")}
    seen["scroll_width"], seen["client_width"] = await page.evaluate(SCROLL_WIDTH_JS)
    seen["split_numbers"] = await page.evaluate(SPLIT_NUMBERS_JS)
    seen["figures"] = {"light": await page.evaluate(SHOWN_FIGURES_JS)}
    await switch_to_dark(page)
    await page.evaluate(SCROLL_IMAGES_JS)  # the dark variants are lazy: load them before looking
    seen["figures"]["dark"] = await page.evaluate(SHOWN_FIGURES_JS)
    return seen


# Smallest figure text on a phone, measured as shown (tests/test_narrow_figures.py gives the reason for 9 px).
MIN_TEXT_PX = 9
FONT_SIZE = re.compile(r"font-size: ?([\d.]+)px")
VIEWBOX_WIDTH = re.compile(r'<svg[^>]*viewBox="[\d.]+ [\d.]+ ([\d.]+)')


def shown_text_px(svg: str, shown_width: float) -> float:
    """The smallest text of an SVG drawn `shown_width` CSS px wide (its font sizes are in viewBox units)."""
    return min(float(size) for size in FONT_SIZE.findall(svg)) * shown_width / float(VIEWBOX_WIDTH.search(svg)[1])


def figure_problems(figures: list[dict], palette: str) -> list[str]:
    """What is wrong with the figures a 375 px phone was shown: not the narrow variant, small text, low contrast."""
    problems = []
    for figure in figures:
        name = figure["src"]
        if figure["offered"] and not figure["src"].split("/")[-1].startswith(figure["offered"].split("/")[-1]):
            problems.append(f"{palette}: {name} shown instead of the narrow variant {figure['offered']}")
        if figure["svg"] is None:
            continue
        px = shown_text_px(figure["svg"], figure["shownWidth"])
        if px < MIN_TEXT_PX:
            problems.append(f"{palette}: {name} has text at {px:.1f} px, under {MIN_TEXT_PX} px")
        contrasts = svg_text_contrasts(figure["svg"], parse_css_colour(figure["background"])[0])
        worst = min(contrasts, key=lambda item: item[1], default=("(no text)", 0.0))
        if worst[1] < MIN_TEXT_CONTRAST:
            problems.append(f"{palette}: text {worst[0]!r} in {name} has contrast {worst[1]:.2f}")
    return problems
