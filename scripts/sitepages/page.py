"""What the page layer knows of the page being rendered, and the generated files it reads, under any engine.

Python-Markdown gives an extension the page's text, not its name. Each engine leaves the name on the Markdown
instance it renders with: MkDocs 1.x (and its fork ProperDocs) registers a `relpath` treeprocessor that holds the
page's File; Zensical registers a `rendering_context` preprocessor that holds its Page. Both are read here and
nowhere else; with neither (a plain Markdown call, a test), the extension's `page` option names the page.
"""

from __future__ import annotations

import json
import threading
from pathlib import Path

from click import ClickException

from sitepages.syntax import load_values, post_of


class PageError(ClickException):
    """A page the layer cannot render, named with its file and line.

    Both engines' command lines are click's: a ClickException ends the build with its message alone, not a
    traceback. (MkDocs first logs "Error reading page" with the same message.)
    """


def source_of(md) -> str | None:
    """The page's path below docs/ ("activation-functions/gelu.md"), if the engine says."""
    if "relpath" in md.treeprocessors:
        file = getattr(md.treeprocessors["relpath"], "file", None)
        if file is not None:
            return file.src_uri
    if "rendering_context" in md.preprocessors:
        page = getattr(md.preprocessors["rendering_context"], "page", None)
        if page is not None and getattr(page, "path", None):
            return Path(page.path).as_posix().removeprefix("docs/")
    return None


class Page:
    """The page as error messages name it ("docs/<post>/<page>.md") and the post its short citations mean."""

    def __init__(self, md, fallback: str) -> None:
        source = source_of(md)
        self.name = f"docs/{source}" if source else fallback
        self.post = post_of(source) if source else None


class Generated:
    """docs/generated/'s values and environment, read again only when the build has rewritten its manifest.

    Every engine makes a new extension per page; this one object, shared by them, reads the folder once per build.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._stamp: tuple | None = None
        self._values: dict[str, dict] = {}
        self._environment: dict[str, str] = {}
        self._lock = threading.Lock()

    def _refresh(self) -> None:
        manifest = self.folder / "manifest.json"
        try:
            stat = manifest.stat()
            stamp = (stat.st_mtime_ns, stat.st_size)
        except OSError:
            stamp = None
        with self._lock:
            if stamp == self._stamp and self._stamp is not None:
                return
            self._values = load_values(self.folder)
            text = manifest.read_text(encoding="utf-8") if stamp else "{}"
            self._environment = json.loads(text).get("environment", {})
            self._stamp = stamp

    def values(self) -> dict[str, dict]:
        self._refresh()
        return self._values

    def environment(self) -> dict[str, str]:
        self._refresh()
        return self._environment

    def failure(self, slug: str) -> str | None:
        """The error of a snippet that failed its last run (sitebuild.outputs.failure_note), if it still fails."""
        try:
            return (self.folder / f"{slug}.failed.txt").read_text(encoding="utf-8")
        except OSError:
            return None


_folders: dict[Path, Generated] = {}


def generated(folder: str) -> Generated:
    """The one reader of this generated folder (relative to the directory the engine runs in)."""
    path = Path(folder).resolve()
    if path not in _folders:
        if not path.is_dir():
            raise FileNotFoundError(
                f"the page layer's option generated = {folder!r} is not a folder (from {Path.cwd()}); "
                "give the folder holding <post>/<section>/<snippet>/values.json, e.g. docs/generated"
            )
        _folders[path] = Generated(path)
    return _folders[path]
