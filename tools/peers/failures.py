"""What each tool does with a snippet that raises: under `build`, `build --strict` and `serve`.

For each mode: the exit status, whether the message names the edited file and the
raising line, and (under serve) whether the server stays up and the page shows the error.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from .measure import fetch_until, run_build, serve, stop

MESSAGE = "bench-peers: this snippet raises on purpose"
NEAR = 5  # lines either side of the message where the file and line must be named


def behaviour(tool) -> dict[str, dict]:
    """Each mode from the same start: a good build first (caches warm), then the raising line added."""
    edited = tool.project / tool.edit_file
    original = edited.read_text()
    name = Path(tool.edit_file).name
    found = {}
    try:
        for mode, extra in (("build", ()), ("strict", ("--strict",)), ("serve", None)):
            edited.write_text(original)
            run_build(tool)
            line = tool.insert(f'raise ValueError("{MESSAGE}")')
            found[mode] = _serve(tool, name, line) if extra is None else _build(tool, name, line, *extra)
    finally:
        edited.write_text(original)
    return found


def _named(text: str, name: str, line: int) -> dict[str, bool]:
    """Whether the error is shown, and whether the file (and its line) is named next to it."""
    lines = text.splitlines()
    hits = [i for i, text_line in enumerate(lines) if MESSAGE in text_line]
    near = "\n".join("\n".join(lines[max(0, i - NEAR) : i + NEAR + 1]) for i in hits)
    return {
        "shows_error": bool(hits),
        "names_file": name in near,
        "names_line": f"{name}:{line}" in near or f'{name}", line {line}' in near,
    }


def _build(tool, name: str, line: int, *extra: str) -> dict:
    shutil.rmtree(tool.project / "site", ignore_errors=True)
    seconds, _, _, result = run_build(tool, *extra, check=False)
    return {"status": result.returncode, "seconds": round(seconds, 2), **_named(result.stdout, name, line)}


def _serve(tool, name: str, line: int) -> dict:
    server, url = serve(tool)
    try:
        try:
            page = fetch_until(url, lambda page: page is not None, 600, server)
        except SystemExit:
            page = None
        alive = server.poll() is None
    finally:
        stop(server)
    log = (tool.project.parent / f"{tool.name}-serve.log").read_text(errors="replace")
    found = _named(page or "", name, line)
    return {
        "server_alive": alive,
        "page_served": page is not None,
        "page_shows_error": found["shows_error"],
        "page_names_line": found["names_line"],
        "log_names_line": _named(log, name, line)["names_line"],
    }
