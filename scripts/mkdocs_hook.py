"""MkDocs hook: rebuild stale snippet outputs before each build and watch snippets/.

It calls the same pipeline as scripts/build.py. Under `mkdocs serve` a failing
snippet is shown on its page as an error notice and the server keeps running;
under `mkdocs build` it stops the build.
"""

from __future__ import annotations

import json
import logging
import re
import sys
import threading
from pathlib import Path

from mkdocs.exceptions import PluginError

sys.path.insert(0, str(Path(__file__).resolve().parent))

from sitebuild.discover import PINNED, SNIPPETS  # noqa: E402
from sitebuild.execute import preload  # noqa: E402
from sitebuild.outputs import MANIFEST  # noqa: E402
from sitebuild.pipeline import build  # noqa: E402

INCLUDE = re.compile(r'^(?P<indent>\s*)-{1,}8<-{1,}\s+"generated/(?P<slug>[^"]+?)/cell-\d+\.md"\s*$', re.M)
SHOWS_OUTPUT = re.compile(r'^\s*(```pycon|-+8<-+\s+"generated/)', re.M)

# MkDocs' own logger for plugins and hooks: -q, -v and --strict apply to what the build reports.
log = logging.getLogger("mkdocs.plugins.snippets")
state = {"serving": False, "failures": {}, "environment": {}}


def on_startup(command: str, dirty: bool) -> None:
    state["serving"] = command == "serve"
    if state["serving"]:  # import torch while the first build runs, so the first edit reloads fast
        threading.Thread(target=preload, daemon=True).start()


def on_pre_build(config) -> None:
    report = build(log=_log)
    state["failures"] = {
        relpath.removeprefix("snippets/").removesuffix(".py"): msg for relpath, msg in report.failures.items()
    }
    # Read once per build, not once per page: every page's provenance line names the same versions.
    state["environment"] = json.loads(MANIFEST.read_text()).get("environment", {}) if MANIFEST.exists() else {}
    if report.failures and not state["serving"]:
        raise PluginError("snippets failed:\n" + "\n".join(report.failures.values()))


def on_serve(server, config, builder):
    server.watch(str(SNIPPETS))
    return server


def on_page_markdown(markdown: str, page, config, files) -> str:
    if state["failures"]:
        markdown = INCLUDE.sub(_error_notice, markdown)
    if SHOWS_OUTPUT.search(markdown):
        markdown += provenance(page.file.src_uri)
    return markdown


def _error_notice(match: re.Match) -> str:
    message = state["failures"].get(match["slug"])
    if message is None:
        return match.group(0)
    body = "\n".join("        " + line for line in message.splitlines())
    title = f"snippets/{match['slug']}.py failed: this output is out of date"
    notice = f'!!! failure "{title}"\n\n    ```text\n{body}\n    ```\n'
    return "\n".join(match["indent"] + line if line else line for line in notice.splitlines())


def provenance(src_uri: str) -> str:
    """A line naming the versions that produced the page's outputs, as the manifest records them."""
    env = state["environment"]
    if not env:
        return ""
    up = "../" * src_uri.count("/")
    versions = ", ".join(f"{name} {env[name]}" for name in ("python", *PINNED) if name in env)
    return (
        f"\n\nOutputs on this page were produced and checked with {versions} "
        f"on {env.get('platform', 'an unknown platform')}, "
        f"[pinned CPU kernels]({up}reproducibility.md#the-numeric-environment) "
        f"({env.get('numerics', 'not recorded')}).\n{{: .provenance }}\n"
    )


def _log(message: str) -> None:
    """The pipeline's progress: cached snippets only with -v; warnings stay INFO so --strict keeps passing."""
    if message.endswith(": cached"):
        log.debug(message)
    else:
        log.info(message)
