"""MkDocs hook for the pages mkdocs-jupyter renders from notebooks.

mkdocs-jupyter (0.26) puts about 590 KB of JupyterLab CSS inline into every
notebook page, plus a MathJax loader with an empty `src`, a Mermaid loader
that imports from cdnjs, and a stray `<style>` holding a Python list repr.
This hook:

- moves the inline CSS into one stylesheet, `assets/stylesheets/notebook.<hash>.css`,
  linked where the styles were (so the cascade order is unchanged) and cached
  by the browser across pages and visits;
- drops the MathJax and Mermaid loaders (the notebooks use neither; math on
  the site is rendered by the vendored KaTeX, and nothing may load from a CDN);
- gives each output image the description the build wrote into the notebook
  (the output's metadata `{"image/svg+xml": {"alt": ...}}`) instead of nbconvert's placeholder
  alt text "No description has been provided for this image";
- makes the horizontally scrollable code cells reachable by keyboard (`tabindex="0"`,
  as axe-core's scrollable-region-focusable asks);
- adds the download button that Material 9.8 no longer renders from
  `page.nb_url` (mkdocs-jupyter's `include_source` copies the notebook next to
  the page; the button links to that copy).
"""

from __future__ import annotations

import hashlib
import html as htmlmod
import json
import re
from pathlib import Path
from urllib.parse import urlsplit

from mkdocs.utils import get_relative_url

WRAPPER = '<div class="jupyter-wrapper">'
WRAPPER_END = "<!-- jupyter-wrapper -->"
ARTICLE = re.compile(r'<article class="md-content__inner md-typeset">')
STYLE = re.compile(r"<style[^>]*>(?P<css>.*?)</style>\s*", re.S)
UNUSED_SCRIPTS = [
    re.compile(r"<!-- Load mathjax -->\s*", re.S),
    re.compile(r'<script src="">\s*</script>\s*', re.S),
    re.compile(r"<!-- MathJax configuration -->\s*<script type=\"text/x-mathjax-config\">.*?</script>\s*", re.S),
    re.compile(r"<!-- End of mathjax configuration -->", re.S),
    re.compile(r'<script type="module">(?:(?!</script>).)*?mermaid.*?</script>\s*', re.S),
    re.compile(r"<!-- End of mermaid configuration -->", re.S),
]
# A `<style>` whose body is a Python list repr: mkdocs-jupyter prints its highlight CSS list as text.
LIST_REPR_STYLE = re.compile(r"<style>\s*\['.*?'\]\s*</style>\s*", re.S)
DOWNLOAD_ICON = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" aria-hidden="true">'
    '<path d="M5 20h14v-2H5m14-9h-4V3H9v6H5l7 7z"/></svg>'
)
STYLESHEET_DIR = "assets/stylesheets"
PLACEHOLDER_ALT = 'alt="No description has been provided for this image"'
KEPT = "\x00placeholder\x00"


def on_page_content(html: str, page, config, files) -> str:
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
    if WRAPPER not in output:
        return output
    article = ARTICLE.search(output)
    start = article.end() if article else 0
    head_end = output.index(WRAPPER, start)
    head = output[start:head_end]
    css = "\n".join(m["css"].strip() for m in STYLE.finditer(head))
    if css:
        target = f"{STYLESHEET_DIR}/notebook.{hashlib.sha256(css.encode()).hexdigest()[:8]}.css"
        path = Path(config["site_dir"]) / target
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(css + "\n", encoding="utf-8")
        link = f'<link rel="stylesheet" href="{get_relative_url(target, page.url)}">\n'
        head = STYLE.sub("", head)
        head = link + head
    for pattern in UNUSED_SCRIPTS:
        head = pattern.sub("", head)
    tail_start = output.find(WRAPPER_END, head_end)
    tail_end = output.find("</article>", tail_start) if tail_start >= 0 else -1
    rest = output[head_end:]
    if tail_start >= 0 and tail_end >= 0:
        tail = LIST_REPR_STYLE.sub("", output[tail_start:tail_end])
        rest = output[head_end:tail_start] + tail + output[tail_end:]
    rest = rest.replace('<div class="highlight-ipynb', '<div tabindex="0" class="highlight-ipynb')
    return output[:start] + head + _describe_images(rest, page)


def _describe_images(html: str, page) -> str:
    """Replace nbconvert's placeholder alt texts, in order, by the figures' own descriptions."""
    notebook = json.loads(Path(page.file.abs_src_path).read_text(encoding="utf-8"))
    for cell in notebook.get("cells", []):
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if not any(kind.startswith("image/") for kind in data):
                continue
            described = [meta.get("alt") for meta in output.get("metadata", {}).values() if isinstance(meta, dict)]
            # An image without a description keeps the placeholder, so the next ones stay in step.
            alt = htmlmod.escape(described[0]) if described and described[0] else KEPT
            html = html.replace(PLACEHOLDER_ALT, f'alt="{alt}"', 1)
    return html.replace(f'alt="{KEPT}"', PLACEHOLDER_ALT)
