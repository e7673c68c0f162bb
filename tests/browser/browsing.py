"""Helpers for the browser tests: build and serve the site, find its pages, colours and reports.

Kept out of a `conftest.py`: a second conftest module beside tests/conftest.py
would shadow it for `from conftest import ...` in the other test files.
"""

from __future__ import annotations

import doctest
import functools
import gzip
import http.server
import io
import json
import os
import re
import shutil
import subprocess
import sys
import threading
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import urlsplit

import yaml
from conftest import ENV

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
SCREENSHOT_DIR = ROOT / ".cache" / "screenshots"
MAX_HTML_BYTES = 100 * 1024
MAX_TRANSFERRED_BYTES = 200 * 1024  # everything a first view loads, gzip-compressed as GitHub Pages sends it
MIN_TEXT_CONTRAST = 4.5  # WCAG AA for normal text; figure labels are small text
LOCAL_HOSTS = {"127.0.0.1", "localhost"}


def mkdocs_config() -> dict:
    return yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))


def site_prefix() -> str:
    """The path the site lives under on GitHub Pages, e.g. "/activation-functions/"."""
    path = urlsplit(mkdocs_config()["site_url"]).path
    return path if path.endswith("/") else path + "/"


def _nav_files(nav) -> list[str]:
    files = []
    for entry in nav:
        value = next(iter(entry.values())) if isinstance(entry, dict) else entry
        if isinstance(value, list):
            files += _nav_files(value)
        elif isinstance(value, str) and not re.match(r"^[a-z]+://", value):
            files.append(value)
    return files


def page_url(src: str) -> str:
    """The site-relative URL MkDocs gives a source file (directory URLs): "a/b.md" -> "a/b/"."""
    stem = re.sub(r"\.(md|ipynb)$", "", src)
    if stem == "index":
        return ""
    return stem.removesuffix("/index") + "/"


def nav_pages() -> list[str]:
    """Every page in the nav, as a URL relative to the site root ("" is the home page)."""
    return [page_url(src) for src in _nav_files(mkdocs_config()["nav"])]


def sitemap_pages(site: Path) -> list[str]:
    site_url = mkdocs_config()["site_url"]
    locs = [el.text for el in ET.parse(site / "sitemap.xml").iter() if el.tag.endswith("loc")]
    return [loc.removeprefix(site_url) for loc in locs]


def build_site(root: Path) -> Path:
    """`mkdocs build --strict` into `root` + the site prefix, as GitHub Pages would lay it out."""
    site = root / site_prefix().strip("/")
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=ENV,
        timeout=900,
    )
    assert result.returncode == 0, f"mkdocs build --strict failed:\n{result.stderr[-4000:]}"
    return site


# GitHub Pages compresses text responses; the budgets count bytes as a reader would receive them.
GZIP_TYPES = ("text/", "application/javascript", "application/json", "image/svg+xml", "application/xml")


class _GzipHandler(http.server.SimpleHTTPRequestHandler):
    """Static files, gzip-compressed for text types when the client accepts it, as GitHub Pages serves them."""

    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass

    def send_head(self):
        path = self.translate_path(self.path)
        if os.path.isdir(path) and self.path.split("?")[0].endswith("/"):
            path = os.path.join(path, "index.html")
        if "gzip" not in self.headers.get("Accept-Encoding", ""):
            return super().send_head()
        ctype = self.guess_type(path)
        if not ctype.startswith(GZIP_TYPES) or not os.path.isfile(path):
            return super().send_head()
        body = gzip.compress(Path(path).read_bytes(), compresslevel=6, mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)


def serve(root: Path) -> http.server.ThreadingHTTPServer:
    """A static file server for `root` on a free localhost port, in a daemon thread."""
    handler = functools.partial(_GzipHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


# --- what the copy buttons should copy -----------------------------------------------------------


def snippet_cells(relpath: str) -> dict[str, str]:
    """A snippet's cells by title (metadata such as publish= left out, as the build does); "" is cell 0."""
    sys.path.insert(0, str(ROOT / "scripts"))
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


def clear_screenshots() -> None:
    shutil.rmtree(SCREENSHOT_DIR, ignore_errors=True)
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
