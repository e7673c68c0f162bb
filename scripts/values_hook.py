"""MkDocs hook: replace each `{{ section.snippet.value | format }}` in a page with the value its snippet published.

Runs after mkdocs_hook.py has brought docs/generated/ up to date; a bad citation fails the build, naming page and line.
"""

from __future__ import annotations

import sys
from pathlib import Path

from mkdocs.exceptions import PluginError

sys.path.insert(0, str(Path(__file__).resolve().parent))

from sitebuild.cite import CiteError, cite_all, load_values  # noqa: E402
from sitebuild.discover import GENERATED  # noqa: E402

state: dict[str, dict] = {"values": {}}


def on_pre_build(config) -> None:
    state["values"] = load_values(GENERATED)  # read once per build; the snippets' build ran just before


def on_page_markdown(markdown: str, page, config, files) -> str:
    try:
        return cite_all(markdown, f"docs/{page.file.src_uri}", state["values"])
    except CiteError as exc:
        raise PluginError(str(exc)) from None
