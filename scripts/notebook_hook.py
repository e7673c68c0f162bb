"""MkDocs hook: each notebook in the nav becomes a page, rendered by mkdocs-jupyter's converter and cached on disk.

A rebuild reuses the body rendered for the same notebook bytes, options, versions and render code; only a changed
notebook is sent to scripts/notebook_render.py (nbconvert, BeautifulSoup), a process of its own that renders it
while MkDocs builds the other pages, started beside the snippets' run and kept warm under `mkdocs serve`.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import html as html_text
import json
import re
import shutil
import sys
import threading
from importlib import metadata
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import get_plugin_logger
from mkdocs.structure.files import File
from mkdocs.structure.toc import get_toc
from mkdocs.utils import get_relative_url

sys.path.insert(0, str(Path(__file__).resolve().parent))

import build_worker  # noqa: E402
from notebook_render import OPTIONS, TOC_DEPTH, Renderer  # noqa: E402
from sitebuild.discover import ROOT  # noqa: E402
from sitebuild.pipeline import WHEN_ONE_LEFT, plan  # noqa: E402
from sitebuild.results import BuildReport  # noqa: E402

log = get_plugin_logger("notebook_hook")
RENDERER = Path(__file__).resolve().with_name("notebook_render.py")
# Besides the notebook's bytes and OPTIONS, the rendered body depends on this code and these packages.
CODE = (RENDERER, RENDERER.parent / "sitebuild" / "render.py")
PACKAGES = ("mkdocs-jupyter", "nbconvert", "nbformat", "mistune", "pygments", "jupyterlab-pygments", "beautifulsoup4")
CACHE = ROOT / ".cache" / "notebook-pages"
# mkdocs-jupyter inlines about 590 KB of JupyterLab CSS; the site's own stylesheet replaces it.
STYLESHEET = "assets/notebook.css"
DOWNLOAD_ICON = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" aria-hidden="true">'
    '<path d="M5 20h14v-2H5m14-9h-4V3H9v6H5l7 7z"/></svg>'
)
# A figure as the notebook embeds it, and as the snippet's fragments show it: light and dark files, each with
# its size and (scripts/figure_hook.py) its stacked variant for phones.
INLINE_SVG = re.compile(r'<img\b[^>]*\bsrc="data:image/svg\+xml;base64,(?P<data>[^"]+)"[^>]*>')
FRAGMENT_IMAGE = re.compile(
    r"^!\[(?P<alt>[^\]]*)\]\((?P<src>[^)#]+)#only-(?P<palette>light|dark)\)\{(?P<attrs>[^}]*)\}$", re.M
)
ATTRIBUTE = re.compile(r'(?P<name>[\w-]+)=(?:"(?P<quoted>[^"]*)"|(?P<bare>\S+))')
state: dict = {"serving": False, "renderer": None}
renders: dict[str, Path] = {}  # src_uri -> its cached body
pending: list[str] = []  # src_uris sent to the renderer and not answered yet, in the order it answers
problems: dict[str, str] = {}  # src_uri -> why its render failed
requesting = threading.Lock()  # requests leave in the order of `pending`, also from build_worker's reader thread


def _renderer(warm: Path | None = None) -> Renderer:
    """The running renderer, started if there is none (or it died); `warm`: a notebook to render first, unasked."""
    if state["renderer"] is None or state["renderer"].process.poll() is not None:
        state["renderer"] = Renderer(RENDERER, warm)
    return state["renderer"]


class NotebookFile(File):
    """A `.ipynb` that MkDocs builds as a page; on_pre_page swaps its Markdown rendering for the cached body."""

    def is_documentation_page(self) -> bool:
        return True


def nav_notebooks(nav) -> list[str]:
    """Every `.ipynb` the nav names, at any depth."""
    if isinstance(nav, str):
        return [nav] if nav.endswith(".ipynb") else []
    items = nav.values() if isinstance(nav, dict) else nav or []
    return [uri for item in items for uri in nav_notebooks(item)]


@functools.cache  # versions do not change while `mkdocs serve` runs... except by a reinstall, which restarts it
def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "absent"


def cache_key(notebook: bytes) -> str:
    """sha256 over everything the rendered body depends on; each part length-prefixed, so parts cannot run together."""
    parts = [notebook, json.dumps([OPTIONS, TOC_DEPTH], sort_keys=True).encode()]
    parts += [f"{name}=={_version(name)}".encode() for name in PACKAGES]
    parts += [path.read_bytes() for path in CODE]
    digest = hashlib.sha256()
    for part in parts:
        digest.update(len(part).to_bytes(8, "big") + part)
    return digest.hexdigest()


def on_startup(command: str, dirty: bool) -> None:
    state["serving"] = command == "serve"
    if state["serving"]:  # one warm renderer for every rebuild while serving
        _renderer()


def on_pre_build(config) -> None:
    """Start the renderer beside the snippets' run when a nav notebook's snippet is among them.

    It starts when one snippet is left running (at once for an edit), or, when they run in build_worker.py, once
    MkDocs waits for them: a core is idle then. It warms up on the notebook as it was.
    """
    notebooks = nav_notebooks(config["nav"])
    if state["renderer"] is None and _stale_notebook(notebooks):
        WHEN_ONE_LEFT.append(functools.partial(_start, ROOT / "docs" / notebooks[0]))


def _start(warm: Path) -> None:
    with requesting:  # build_worker's reader thread may be asking for a render at the same moment
        _renderer(warm)


def _stale_notebook(notebooks: list[str]) -> bool:
    """Whether the build will run a nav notebook's snippet; False when unknown (the build reports what broke)."""
    slugs = {uri.removeprefix("generated/").removesuffix(".ipynb") for uri in notebooks}
    try:
        jobs = plan(BuildReport(), force=False, check=False, only=None, log=lambda message: None).jobs
    except Exception:
        return False
    return any(job.snippet.slug in slugs for job in jobs)


def on_files(files, config):
    """Turn the nav's notebooks into pages; ask for the render of those not in the cache (now, or, if their snippet
    is running in build_worker.py, as soon as it is done)."""
    _collect(list(pending))  # answers left by an interrupted rebuild under `mkdocs serve`
    renders.clear()
    problems.clear()
    for uri in nav_notebooks(config["nav"]):
        found = files.get_file_from_path(uri)
        if found is None:  # MkDocs itself reports a nav entry without a file
            continue
        files.remove(found)
        files.append(NotebookFile(found.src_path, found.src_dir, found.dest_dir, found.use_directory_urls))
        ask = functools.partial(_request, uri, Path(found.abs_src_path))
        if not build_worker.when_done(uri.removeprefix("generated/").removesuffix(".ipynb"), ask):
            ask()
    return files


def _request(uri: str, notebook: Path) -> None:
    """Note where the notebook's body is cached; have the renderer render it there unless it already is."""
    with requesting:
        renders[uri] = CACHE / f"{cache_key(notebook.read_bytes())}.json"
        if not renders[uri].exists():
            log.info("%s: rendering the notebook", uri)
            _renderer().request(str(notebook), renders[uri])
            pending.append(uri)


def _collect(uris: list[str]) -> None:
    """Read the renderer's answers up to the last of `uris`."""
    while any(uri in pending for uri in uris):
        problem = state["renderer"].reply()
        uri = pending.pop(0)
        if problem is not None:
            problems[uri] = problem


def on_pre_page(page, config, files):
    if isinstance(page.file, NotebookFile):
        page.render = functools.partial(_render, page)
    return page


def _render(page, config, files) -> None:
    """The page's body and table of contents: wait for its render if one runs, then read the cache."""
    where = page.file.src_uri
    if where not in renders:  # its snippet was still running when MkDocs listed the files
        build_worker.wait()
    _collect([where])
    if where in problems:
        raise PluginError(f"{where}: mkdocs-jupyter could not render the notebook:\n{problems[where]}")
    body = json.loads(renders[where].read_text(encoding="utf-8"))
    for warning in body["warnings"]:  # logged on every build, so `--strict` fails whether cached or not
        log.warning("%s: %s", where, warning)
    page.content = body["content"]
    page.toc = get_toc(body["toc_tokens"])


def on_page_content(html: str, page, config, files) -> str:
    """The download button (Material 9.8 no longer renders one for notebooks); a copy sits beside the page.

    The page is left out of the search index: its text is the snippet's, which a page of the site already shows.
    """
    if not isinstance(page.file, NotebookFile):
        return html
    page.meta["search"] = {"exclude": True}  # read by Material's search plugin in on_page_context
    name = Path(page.file.src_uri).name
    button = (
        f'<a href="{name}" download="{name}" title="Download the notebook ({name})" '
        f'aria-label="Download the notebook ({name})" class="md-content__button md-icon">{DOWNLOAD_ICON}</a>'
    )
    return button + _figures_from_files(html, page)


def _figures_from_files(html: str, page) -> str:
    """Swap each embedded SVG that is one of the snippet's figures for that figure's light and dark files.

    The notebook (what readers download) keeps its SVGs inline; the page shows the figures as the snippet's
    other pages do, so the dark palette gets the dark figure and a phone the stacked variant.
    """
    folder = Path(page.file.abs_src_path).with_suffix("")  # docs/generated/<slug>/ beside <slug>.ipynb
    figures: dict[bytes, str] = {}
    for fragment in sorted(folder.glob("cell-*.md")):
        images = list(FRAGMENT_IMAGE.finditer(fragment.read_text(encoding="utf-8")))
        for light in (image for image in images if image["palette"] == "light"):
            name = Path(light["src"]).name
            markup = "".join(
                _image(image, folder, page)
                for image in images
                if image["src"] in {light["src"], light["src"].replace(".svg", "-dark.svg")}
            )
            figures[(folder / name).read_bytes()] = markup
    return INLINE_SVG.sub(lambda match: figures.get(base64.b64decode(match["data"]), match[0]), html)


def _image(image: re.Match, folder: Path, page) -> str:
    """The <img> Python-Markdown's attr_list would write for one fragment image line, from this page's URL."""
    docs_path = f"{folder.relative_to(ROOT / 'docs').as_posix()}/{Path(image['src']).name}"
    src = f"{get_relative_url(docs_path, page.url)}#only-{image['palette']}"
    attributes = {
        m["name"]: m["quoted"] if m["quoted"] is not None else m["bare"] for m in ATTRIBUTE.finditer(image["attrs"])
    }
    extra = "".join(f' {name}="{html_text.escape(value)}"' for name, value in attributes.items())
    return f'<img alt="{html_text.escape(image["alt"])}" src="{html_text.escape(src)}"{extra} />'


def on_post_page(output: str, page, config) -> str:
    if not isinstance(page.file, NotebookFile):
        return output
    beside = Path(page.file.abs_dest_path).parent / Path(page.file.src_uri).name
    beside.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(page.file.abs_src_path, beside)
    link = f'<link rel="stylesheet" href="{get_relative_url(STYLESHEET, page.url)}">'
    head_end = output.index("</head>")
    return output[:head_end] + link + "\n" + output[head_end:]


def on_post_build(config) -> None:
    """Drop cached bodies no notebook of this build used; stop the renderer unless serving."""
    used = set(renders.values())
    for stale in CACHE.glob("*.json") if CACHE.is_dir() else ():
        if stale not in used:
            stale.unlink(missing_ok=True)
    if not state["serving"]:
        on_shutdown()


def on_shutdown() -> None:
    if state["renderer"] is not None:
        state["renderer"].close()
        state["renderer"] = None
