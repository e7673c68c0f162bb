"""Helpers for the browser tests: Chromium, budgets, what copy buttons should copy, colours, the report.

Kept out of a `conftest.py`: a second conftest module beside tests/conftest.py
would shadow it for `from conftest import ...` in the other test files.
"""

from __future__ import annotations

import doctest
import json
import os
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from axe_playwright_python.async_playwright import Axe
from sitepages.syntax import INCLUDE, NOTEBOOK

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
REPORT_DIR = ROOT / ".cache" / "browser-report"
GENERATED = ROOT / "docs" / "generated"
# A page's HTML before compression: 128 KiB since this round's teaching additions (the Xavier derivation and the
# normalisation examples took the vanishing-gradient page to 113 KB, over half of it highlighted code); what a reader
# downloads is held by the 200 KB transfer budget below, unchanged.
MAX_HTML_BYTES = 128 * 1024
MAX_TRANSFERRED_BYTES = 200 * 1024  # everything a first view loads, gzip-compressed as GitHub Pages sends it
MIN_TEXT_CONTRAST = 4.5  # WCAG AA for normal text; figure labels are small text
LOCAL_HOSTS = {"127.0.0.1", "localhost"}
SERIOUS = ("serious", "critical")
# Violations judged not to be real problems, by rule id, each with its reason. Empty: none so far.
AXE_EXCEPTIONS: dict[str, str] = {}


def require_chromium() -> None:
    """Skip when Debian's Chromium is missing; under CI=true fail instead, since there it must run."""
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is missing: the browser tests need Debian's Chromium (apt-get install chromium)"
        if os.environ.get("CI") == "true":
            pytest.fail(message + "; under CI=true they must run, not skip")
        pytest.skip(message)


def included_snippets(page: str) -> list[str]:
    """The snippets ("section/name") whose cells a nav page includes, in the order they first appear."""
    from siteserve import _nav_files, mkdocs_config, page_url

    source = {page_url(src): src for src in _nav_files(mkdocs_config()["nav"])}[page]
    text = (ROOT / "docs" / source).read_text(encoding="utf-8")
    found = sorted([*INCLUDE.finditer(text), *NOTEBOOK.finditer(text)], key=lambda match: match.start())
    return list(dict.fromkeys(match["slug"] for match in found))


# --- what the copy buttons should copy -----------------------------------------------------------


def snippet_cells(relpath: str) -> dict[str, str]:
    """A snippet's cells by title (metadata such as publish= left out, as the build does); "" is cell 0."""
    from sitebuild.discover import split_cells

    source = (ROOT / relpath).read_text(encoding="utf-8")
    return {cell.title: cell.code.strip("\n") for cell in split_cells(source)}


def whole_programs(copies: list[dict]) -> dict[str, tuple[str, str]]:
    """Per snippet on a page: (the text its copy buttons gave, in page order; all its cells in order)."""
    copied: dict[str, list[str]] = {}
    for block in copies:
        path = block["title"].partition(" · ")[0].strip()
        if expected_snippet_copy(block["title"]) is not None:
            copied.setdefault(path, []).append(block["clipboard"])
    return {path: ("\n\n".join(texts), "\n\n".join(snippet_cells(path).values())) for path, texts in copied.items()}


def expected_snippet_copy(block_title: str) -> str | None:
    """For a block titled "snippets/<x>.py · <cell title>" the cell's code; None for other blocks."""
    path, _, title = block_title.partition(" · ")
    if not re.fullmatch(r"snippets/[\w./-]+\.py", path.strip()):
        return None
    # The title attribute cannot hold double quotes: the build writes them as single ones.
    cells = {key.replace('"', "'"): code for key, code in snippet_cells(path.strip()).items()}
    title = title.strip().replace('"', "'")
    assert title in cells, f"{block_title!r}: no cell with that title in {path}"
    return cells[title]


def pycon_statements(text: str) -> str:
    """The code of a `>>>` session without prompts and outputs, as the standard library parses it."""
    examples = doctest.DocTestParser().get_examples(text)
    return "\n".join(example.source.rstrip("\n") for example in examples)


# --- colours ------------------------------------------------------------------------------------

RGB = tuple[float, float, float]


def parse_css_colour(value: str) -> tuple[RGB, float]:
    """'rgb(1, 2, 3)' / 'rgba(1, 2, 3, 0.5)' / '#abc' / '#aabbcc' -> ((r, g, b) in 0..255, alpha)."""
    value = value.strip().lower()
    if value.startswith("#"):
        digits = value[1:]
        if len(digits) == 3:
            digits = "".join(d * 2 for d in digits)
        return (int(digits[0:2], 16), int(digits[2:4], 16), int(digits[4:6], 16)), 1.0
    named = {"black": "#000000", "white": "#ffffff", "none": None, "transparent": None}
    if value in named:
        return ((0, 0, 0), 0.0) if named[value] is None else parse_css_colour(named[value])
    numbers = [float(n) for n in re.findall(r"[\d.]+", value)]
    if len(numbers) >= 3:
        return (numbers[0], numbers[1], numbers[2]), (numbers[3] if len(numbers) > 3 else 1.0)
    raise ValueError(f"cannot read colour {value!r}")


def over(top: RGB, alpha: float, bottom: RGB) -> RGB:
    return tuple(alpha * t + (1 - alpha) * b for t, b in zip(top, bottom, strict=True))


def luminance(rgb: RGB) -> float:
    def channel(c: float) -> float:
        c /= 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: RGB, b: RGB) -> float:
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


SVG_NS = "{http://www.w3.org/2000/svg}"


def _style(element: ET.Element) -> dict[str, str]:
    props = {k: v for k, v in element.attrib.items() if k in ("fill", "opacity", "fill-opacity")}
    for decl in element.attrib.get("style", "").split(";"):
        if ":" in decl:
            key, _, val = decl.partition(":")
            props[key.strip()] = val.strip()
    return props


def _fill(element: ET.Element, parents: dict) -> tuple[RGB, float]:
    """An SVG element's painted fill colour and alpha: `fill` inherits (initially black), opacity multiplies."""
    colour, alpha, node = None, 1.0, element
    while node is not None:
        style = _style(node)
        alpha *= float(style.get("opacity", 1))
        if colour is None and "fill" in style:
            colour, fill_alpha = parse_css_colour(style["fill"])
            alpha *= fill_alpha * float(style.get("fill-opacity", 1))
        node = parents.get(node)
    return colour if colour is not None else (0, 0, 0), alpha


def svg_text_contrasts(svg: str, page_background: RGB) -> list[tuple[str, float]]:
    """(text, contrast) for every run of text in a Matplotlib SVG, against what is painted behind it.

    Behind a text is the figure patch (`patch_1`) if it is filled, else the page; inside a
    legend, the legend's frame (its first patch) painted over that.
    """
    tree = ET.fromstring(svg)
    parents = {child: parent for parent in tree.iter() for child in parent}
    figure_bg = page_background
    for group in tree.iter(f"{SVG_NS}g"):
        if group.get("id") == "patch_1":
            path = next(group.iter(f"{SVG_NS}path"), None)
            if path is not None:
                colour, alpha = _fill(path, {})
                figure_bg = over(colour, alpha, page_background)
            break
    results = []
    for text in tree.iter(f"{SVG_NS}text"):
        background = figure_bg
        node = text
        while node in parents:
            node = parents[node]
            if node.tag == f"{SVG_NS}g" and (node.get("id") or "").startswith("legend_"):
                frame = next(node.iter(f"{SVG_NS}path"), None)
                if frame is not None:
                    colour, alpha = _fill(frame, {})
                    background = over(colour, alpha, figure_bg)
                break
        for run in [text, *text.iter(f"{SVG_NS}tspan")]:
            if run.text and run.text.strip():
                fill, alpha = _fill(run, parents)
                results.append((run.text.strip(), contrast(over(fill, alpha, background), background)))
    return results


# --- the report ---------------------------------------------------------------------------------


def serious(violations: list[dict]) -> list[dict]:
    return [x for x in violations if x["impact"] in SERIOUS and x["id"] not in AXE_EXCEPTIONS]


async def axe_violations(page, options: dict | None = None) -> list[dict]:
    """axe-core's violations on the page as it is now, injected once per document.

    The nodes' CSS selectors cost about a fifth of a run, so they are asked for only when a serious violation
    needs naming.
    """
    if not await page.evaluate("() => typeof axe === 'object'"):
        await page.evaluate(Axe().axe_script)
    options = {"resultTypes": ["violations"], **(options or {})}
    found = await page.evaluate(AXE_RUN_JS, {**options, "selectors": False})
    return await page.evaluate(AXE_RUN_JS, options) if serious(found) else found


AXE_RUN_JS = "(options) => axe.run(document, options).then((results) => results.violations)"


def report_rows(visits: dict) -> list[dict]:
    """One row per page for .cache/browser-report/: weight, scripts, what the 375 px visit saw, axe counts."""
    return [
        {
            "page": v.page,
            "html_bytes": v.html_bytes,
            "transferred_bytes": v.transferred_bytes,
            "requests": len(v.requests),
            "scripts": v.scripts,
            "cls_375": round(v.narrow.get("cls", -1), 4),
            "scroll_width_375": v.narrow.get("scroll_width"),
            "split_numbers_375": v.narrow.get("split_numbers"),
            "axe_serious_light": len(serious(v.axe.get("light", []))),
            "axe_serious_dark": len(serious(v.axe.get("dark", []))),
            "axe_other": sum(len(x) - len(serious(x)) for x in v.axe.values()),
            "axe_violations": {p: [f"{x['impact']}: {x['id']}" for x in vs] for p, vs in v.axe.items()},
        }
        for v in visits.values()
        if not v.problem
    ]


def write_report(rows: list[dict], seconds: float) -> str:
    """Write .cache/browser-report/report.{json,md}; return the Markdown table."""
    REPORT_DIR.mkdir(parents=True, exist_ok=True)
    (REPORT_DIR / "report.json").write_text(
        json.dumps({"seconds": round(seconds, 1), "pages": rows}, indent=2) + "\n", encoding="utf-8"
    )
    lines = [
        "| page | HTML bytes | bytes transferred (gzip) | requests | scripts | CLS 375 px | width 375 px "
        "| split numbers | axe serious+critical (light/dark) | other axe |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---|---:|",
    ]
    for row in rows:
        lines.append(
            f"| /{row['page']} | {row['html_bytes']:,} | {row['transferred_bytes']:,} | {row['requests']} "
            f"| {len(row['scripts'])} | {row['cls_375']} | {row['scroll_width_375']} | {len(row['split_numbers_375'])} "
            f"| {row['axe_serious_light']}/{row['axe_serious_dark']} | {row['axe_other']} |"
        )
    table = "\n".join(lines)
    (REPORT_DIR / "report.md").write_text(
        f"# Browser report\n\nPages visited in {seconds:.1f} s (Chromium, cold cache per page).\n\n{table}\n",
        encoding="utf-8",
    )
    return table
