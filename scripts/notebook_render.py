"""Render one notebook to the page body the site shows: mkdocs-jupyter's HTML, trimmed with BeautifulSoup.

notebook_hook.py runs it as a process of its own (`--worker`: one JSON reply line per request line
"NOTEBOOK<TAB>OUT.json" on stdin) only when a notebook changed: a rebuild that reuses the body never imports nbconvert.
`Renderer` is the hook's side of that process.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import subprocess
import sys
import tempfile
import traceback
from pathlib import Path
from urllib.parse import unquote

SCRIPTS = Path(__file__).resolve().parent
# mkdocs_jupyter imports NbConvertApp, whose class body otherwise instantiates every installed exporter (PDF,
# LaTeX, slides...) only to list their names: about a quarter of a render. The HTML exporter used here is unaffected.
os.environ.setdefault("NBCONVERT_DISABLE_CONFIG_EXPORTERS", "1")
# The options the site used as mkdocs-jupyter plugin settings; part of the cache key (notebook_hook.py).
OPTIONS = {
    "execute": False,  # the build already ran the snippet: the notebook holds its real outputs
    "kernel_name": "",
    "theme": "",
    "allow_errors": True,
    "show_input": True,
    "no_input": False,
    "no_prompt": False,
    "remove_tag_config": {},
    "highlight_extra_classes": "",
    "include_requirejs": False,
    "custom_mathjax_url": "",
}
TOC_DEPTH = 6
PLACEHOLDER_ALT = "No description has been provided for this image"


def render(notebook: Path) -> dict:
    """{"content": HTML, "toc_tokens": [...], "warnings": [...]} for one notebook."""
    from bs4 import BeautifulSoup
    from mkdocs_jupyter import convert
    from mkdocs_jupyter.plugin import _get_nb_toc_tokens  # noqa: PLC2701 - the plugin's own TOC, kept identical

    body = convert.nb2html(str(notebook), **OPTIONS)
    toc_tokens, _title = _get_nb_toc_tokens(str(notebook), TOC_DEPTH)  # the nav label is the title, not the h1
    soup, warnings = BeautifulSoup(body, "html.parser"), []

    def expect(found: list, what: str) -> list:
        """Warn when a part of mkdocs-jupyter's markup this edits is missing: an upgrade may have changed it."""
        if not found:
            warnings.append(f"no {what} found in mkdocs-jupyter's HTML; update scripts/notebook_render.py")
        return found

    _drop_theme(soup, expect)
    _fix_copy_buttons(soup, expect)
    _code_like_the_site(soup, expect)
    warnings += _describe_images(soup, notebook)
    return {"content": str(soup), "toc_tokens": toc_tokens, "warnings": warnings}


def _drop_theme(soup, expect) -> None:
    """JupyterLab's inline CSS, the MathJax and Mermaid loaders (unused; Mermaid's is from a CDN), stray comments."""
    for style in expect(soup.find_all("style"), "<style> element"):
        style.decompose()
    for script in soup.find_all("script"):
        text = script.string or ""
        if script.get("src") == "" or "mathjax" in (script.get("type") or "") or "mermaid" in text:
            script.decompose()
    for comment in soup.find_all(string=lambda s: type(s).__name__ == "Comment"):
        comment.extract()


def _fix_copy_buttons(soup, expect) -> None:
    """<clipboard-copy> as valid HTML: no stray `,` attribute, and the button role it gives itself anyway."""
    for button in expect(soup.find_all("clipboard-copy"), "<clipboard-copy> button"):
        button.attrs.pop(",", None)
        button["role"] = "button"
        button["tabindex"] = "0"


def _code_like_the_site(soup, expect) -> None:
    """Code cells take Material's highlighting; scrollable ones are reachable by keyboard (axe-core)."""
    for block in expect(soup.select("div.highlight-ipynb"), "highlight-ipynb code block"):
        block["class"] = [*block["class"], "highlight"]
        block["tabindex"] = "0"
    # Heading anchors look and behave like the site's own (Material's .headerlink).
    for anchor in expect(soup.select("a.anchor-link"), "heading anchor-link"):
        anchor["class"] = ["headerlink"]


def _describe_images(soup, notebook: Path) -> list[str]:
    """Give each output image the description the build wrote (its output's metadata) and its intrinsic size."""
    sys.path.insert(0, str(SCRIPTS))
    from sitebuild.render import svg_size

    cells = json.loads(notebook.read_text(encoding="utf-8")).get("cells", [])
    texts = []  # per image: its description, from the output metadata {"image/svg+xml": {"alt": ...}}
    for cell in cells:
        for output in cell.get("outputs", []):
            if any(kind.startswith("image/") for kind in output.get("data", {})):
                described = [m.get("alt") for m in output.get("metadata", {}).values() if isinstance(m, dict)]
                texts.append(next((alt for alt in described if alt), None))
    images = soup.select(".jp-OutputArea-output img")
    for image, alt in zip(images, texts, strict=False):
        if alt and image.get("alt") == PLACEHOLDER_ALT:
            image["alt"] = alt
        src = image.get("src", "")
        if src.startswith("data:image/svg+xml"):
            header, _, data = src.partition(",")
            svg = base64.b64decode(data).decode() if header.endswith(";base64") else unquote(data)
            image["width"], image["height"] = (str(n) for n in svg_size(svg))
    if len(images) != len(texts):
        return [f"{len(images)} output images but {len(texts)} in the notebook"]
    return []


def write(notebook: str, out: str) -> None:
    result = render(Path(notebook))
    partial = Path(f"{out}.{os.getpid()}.partial")
    partial.parent.mkdir(parents=True, exist_ok=True)
    partial.write_text(json.dumps(result), encoding="utf-8")
    os.replace(partial, out)  # whole or absent: a killed render leaves no half-written page


class Renderer:
    """notebook_hook.py's side of one `--worker` process: nbconvert imported once, then one render per request."""

    def __init__(self, script: Path, warm: Path | None = None) -> None:
        self.errors = tempfile.TemporaryFile(mode="w+")  # a file, not a pipe: nothing blocks if nobody reads it
        self.process = subprocess.Popen(
            [sys.executable, str(script), "--worker", *([str(warm)] if warm and warm.exists() else [])],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self.errors,
            text=True,
        )

    def request(self, notebook: str, out: Path) -> None:
        with contextlib.suppress(BrokenPipeError):  # a dead renderer is reported by reply()
            self.process.stdin.write(f"{notebook}\t{out}\n")
            self.process.stdin.flush()

    def reply(self) -> str | None:
        """None when the oldest request rendered, else what went wrong."""
        line = self.process.stdout.readline()
        if not line:
            self.errors.seek(0)
            return f"the render process stopped (status {self.process.wait()}):\n{self.errors.read()[-3000:]}"
        answer = json.loads(line)
        return None if answer.get("ok") else answer["error"]

    def close(self) -> None:
        with contextlib.suppress(BrokenPipeError):
            self.process.stdin.close()
        self.process.wait()
        self.process.stdout.close()
        self.errors.close()


def work(warm: str | None = None) -> None:
    """Import the converter before the first request arrives (while the build runs snippets), then serve requests.

    `warm`: a notebook rendered once and thrown away first; a process's first render costs about 0.25 s more
    (nbconvert's lazy imports), paid then rather than after the snippet that the edited notebook waits for.
    """
    import bs4  # noqa: F401
    import mkdocs_jupyter.plugin  # noqa: F401 - imports the converter too

    if warm:
        with contextlib.suppress(Exception):  # only a warm-up: a real request reports its own failure
            render(Path(warm))

    for line in sys.stdin:
        notebook, out = line.rstrip("\n").split("\t")
        try:
            write(notebook, out)
            reply = {"ok": True}
        except Exception:  # any failure is the notebook's render's, reported to the build in full
            reply = {"error": traceback.format_exc()}
        print(json.dumps(reply), flush=True)
    # Every reply is flushed and every body written: skip the interpreter's teardown of nbconvert and its
    # imports (about 0.2 s that `mkdocs build` would otherwise wait for at its very end).
    os._exit(0)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--worker"]:
        work(*sys.argv[2:3])
    else:
        write(*sys.argv[1:])
