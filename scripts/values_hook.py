"""MkDocs hook: replace each `{{ section.snippet.value | format }}` in a page with the value its snippet published.

Runs after mkdocs_hook.py, which makes a page that cites a snippet still running in build_worker.py wait for it;
the values are read again once such a build is done. A bad citation fails the build, naming page and line.
"""

from __future__ import annotations

import sys
from pathlib import Path

from mkdocs.exceptions import PluginError

sys.path.insert(0, str(Path(__file__).resolve().parent))

import build_worker  # noqa: E402
from sitebuild.cite import CiteError, cite_all, load_values  # noqa: E402
from sitebuild.discover import GENERATED  # noqa: E402

state: dict = {"values": {}, "read_after": -1}  # read_after: how many worker builds had finished then


def on_pre_build(config) -> None:
    _read()  # once per build, and again only after a worker's build (the in-process one ran just before)


def _read() -> None:
    state["read_after"] = build_worker.FINISHED[0]
    state["values"] = load_values(GENERATED)


def on_page_markdown(markdown: str, page, config, files) -> str:
    if state["read_after"] != build_worker.FINISHED[0]:
        _read()
    try:
        return cite_all(markdown, f"docs/{page.file.src_uri}", state["values"])
    except CiteError as exc:
        raise PluginError(str(exc)) from None
