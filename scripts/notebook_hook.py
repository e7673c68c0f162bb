"""MkDocs hook for the pages mkdocs-jupyter renders from notebooks: light, valid, readable on a phone.

It edits the notebook's article with an HTML parser and warns (so `--strict` fails) when a part it expects is missing.
"""

from __future__ import annotations

import base64
import json
import sys
from pathlib import Path
from urllib.parse import unquote, urlsplit

from bs4 import BeautifulSoup
from mkdocs.plugins import get_plugin_logger
from mkdocs.utils import get_relative_url

sys.path.insert(0, str(Path(__file__).resolve().parent))

from sitebuild.render import svg_size  # noqa: E402

log = get_plugin_logger("notebook_hook")
ARTICLE_START = '<article class="md-content__inner md-typeset">'
ARTICLE_END = "</article>"
# mkdocs-jupyter inlines about 590 KB of JupyterLab CSS; the site's own stylesheet replaces it.
STYLESHEET = "assets/notebook.css"
DOWNLOAD_ICON = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" aria-hidden="true">'
    '<path d="M5 20h14v-2H5m14-9h-4V3H9v6H5l7 7z"/></svg>'
)
PLACEHOLDER_ALT = "No description has been provided for this image"


def on_page_content(html: str, page, config, files) -> str:
    """The download button Material 9.8 no longer renders from `page.nb_url` (a copy sits beside the page)."""
    nb_url = getattr(page, "nb_url", None)
    if not nb_url:
        return html
    name = Path(urlsplit(nb_url).path).name
    button = (
        f'<a href="{name}" download="{name}" title="Download the notebook ({name})" '
        f'aria-label="Download the notebook ({name})" class="md-content__button md-icon">{DOWNLOAD_ICON}</a>'
    )
    return button + html


def on_post_page(output: str, page, config) -> str:
    if 'class="jupyter-wrapper"' not in output:
        return output
    start = output.index(ARTICLE_START) + len(ARTICLE_START)
    end = output.index(ARTICLE_END, start)
    article = BeautifulSoup(output[start:end], "html.parser")
    where = page.file.src_uri
    _drop_theme(article, where)
    _fix_copy_buttons(article, where)
    _code_like_the_site(article, where)
    _describe_images(article, page)
    link = f'<link rel="stylesheet" href="{get_relative_url(STYLESHEET, page.url)}">'
    head_end = output.index("</head>")
    return output[:head_end] + link + "\n" + output[head_end:start] + str(article) + output[end:]


def _expect(found: list, what: str, where: str) -> list:
    """Warn when a part of mkdocs-jupyter's markup the hook edits is missing: an upgrade may have changed it."""
    if not found:
        log.warning("%s: no %s found in mkdocs-jupyter's HTML; update scripts/notebook_hook.py", where, what)
    return found


def _drop_theme(article, where: str) -> None:
    """JupyterLab's inline CSS, the MathJax and Mermaid loaders (unused; Mermaid's is from a CDN), stray comments."""
    for style in _expect(article.find_all("style"), "<style> element", where):
        style.decompose()
    for script in article.find_all("script"):
        text = script.string or ""
        if script.get("src") == "" or "mathjax" in (script.get("type") or "") or "mermaid" in text:
            script.decompose()
    for comment in article.find_all(string=lambda s: type(s).__name__ == "Comment"):
        comment.extract()


def _fix_copy_buttons(article, where: str) -> None:
    """<clipboard-copy> as valid HTML: no stray `,` attribute, and the button role it gives itself anyway."""
    for button in _expect(article.find_all("clipboard-copy"), "<clipboard-copy> button", where):
        button.attrs.pop(",", None)
        button["role"] = "button"
        button["tabindex"] = "0"


def _code_like_the_site(article, where: str) -> None:
    """Code cells take Material's highlighting; scrollable ones are reachable by keyboard (axe-core)."""
    for block in _expect(article.select("div.highlight-ipynb"), "highlight-ipynb code block", where):
        block["class"] = [*block["class"], "highlight"]
        block["tabindex"] = "0"
    # Heading anchors look and behave like the site's own (Material's .headerlink).
    for anchor in _expect(article.select("a.anchor-link"), "heading anchor-link", where):
        anchor["class"] = ["headerlink"]


def _describe_images(article, page) -> None:
    """Give each output image the description the build wrote (its output's metadata) and its intrinsic size."""
    notebook = json.loads(Path(page.file.abs_src_path).read_text(encoding="utf-8"))
    texts = []  # per image: its description, from the output metadata {"image/svg+xml": {"alt": ...}}
    for cell in notebook.get("cells", []):
        for output in cell.get("outputs", []):
            if any(kind.startswith("image/") for kind in output.get("data", {})):
                described = [m.get("alt") for m in output.get("metadata", {}).values() if isinstance(m, dict)]
                texts.append(next((alt for alt in described if alt), None))
    images = article.select(".jp-OutputArea-output img")
    if len(images) != len(texts):
        log.warning("%s: %d output images but %d in the notebook", page.file.src_uri, len(images), len(texts))
    for image, alt in zip(images, texts, strict=False):
        if alt and image.get("alt") == PLACEHOLDER_ALT:
            image["alt"] = alt
        src = image.get("src", "")
        if src.startswith("data:image/svg+xml"):
            header, _, data = src.partition(",")
            svg = base64.b64decode(data).decode() if header.endswith(";base64") else unquote(data)
            image["width"], image["height"] = (str(n) for n in svg_size(svg))
