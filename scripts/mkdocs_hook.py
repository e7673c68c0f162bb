"""MkDocs hook: rebuild stale snippet outputs before each build and watch snippets/.

It calls the same pipeline as scripts/build.py; an edit runs in build_worker.py's process while MkDocs
reads the other pages, and only a page that shows an edited snippet's outputs or values waits for it.
Under `mkdocs serve` a failing snippet is shown on its page as an error notice and the server keeps
running; under `mkdocs build` it stops the build.
"""

from __future__ import annotations

import functools
import json
import logging
import os
import re
import sys
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, set_exclusions

sys.path.insert(0, str(Path(__file__).resolve().parent))

import build_worker  # noqa: E402
from sitebuild.cite import CITATION, NAME  # noqa: E402
from sitebuild.discover import GENERATED, PINNED, SNIPPETS  # noqa: E402
from sitebuild.outputs import MANIFEST  # noqa: E402
from sitebuild.pipeline import WHEN_ONE_LEFT, build, plan  # noqa: E402
from sitebuild.results import BuildReport  # noqa: E402

INCLUDE = re.compile(r'^(?P<indent>\s*)-{1,}8<-{1,}\s+"generated/(?P<slug>[^"]+?)/cell-\d+\.md"\s*$', re.M)
SHOWS_OUTPUT = re.compile(r'^\s*(```pycon|-+8<-+\s+"generated/)', re.M)

# MkDocs' own logger for plugins and hooks: -q, -v and --strict apply to what the build reports.
log = logging.getLogger("mkdocs.plugins.snippets")
# running: the snippets ("section/name") the worker builds for this MkDocs build, until a page has waited for them;
# order: the files as MkDocs listed them, while the pages that wait are moved to the end.
state = {"serving": False, "failures": {}, "environment": {}, "running": set(), "order": None}


def on_startup(command: str, dirty: bool) -> None:
    state["serving"] = command == "serve"
    if state["serving"]:  # the worker imports torch while the first build runs, so the first edit reloads fast
        build_worker.worker()


def on_pre_build(config) -> None:
    state["running"], state["order"] = set(), None
    try:
        work = plan(BuildReport(), force=False, check=False, only=None, log=lambda message: None)
    except Exception:  # the build below reports whatever broke the plan
        work = None
    jobs = work.jobs if work else []
    if not use_worker([job.old for job in jobs], state["serving"]):
        _record(build(log=_log).failures)
        # Read once per build, not once per page: every page's provenance line names the same versions.
        state["environment"] = json.loads(MANIFEST.read_text()).get("environment", {}) if MANIFEST.exists() else {}
        return
    # What the in-process build starts beside its last snippet starts once a page waits: MkDocs is idle then.
    state["idle"] = WHEN_ONE_LEFT.copy()
    WHEN_ONE_LEFT.clear()
    state["environment"] = work.env  # what the build will write to the manifest
    build_worker.worker().submit([job.snippet.relpath for job in jobs], _log)
    state["running"] = {job.snippet.slug for job in jobs}
    if any(job.old is None for job in jobs):  # new outputs: they must exist before MkDocs lists docs/
        _finish(None, config)


def use_worker(old_entries: list, serving: bool) -> bool:
    """Run the snippets in the worker, beside MkDocs' own work? Not when none is stale; under `mkdocs build`,
    only for snippets that have outputs already (an edit): a cold build keeps every core busy with snippets."""
    return bool(old_entries) and (serving or all(old is not None for old in old_entries))


def needs(markdown: str) -> set[str]:
    """The snippets ("section/name") whose outputs a page's Markdown includes or whose values it cites."""
    slugs = {match["slug"] for match in INCLUDE.finditer(markdown)}
    for citation in CITATION.finditer(markdown):
        name = NAME.match(citation["expr"].split("|")[0].strip())
        if name:
            slugs.add(f"{name['section']}/{name['snippet']}")
    return slugs


def on_files(files, config):
    """Move the pages that wait for the worker to the end, so MkDocs reads every other page first."""
    if not state["running"]:
        return files
    state["order"] = list(files)
    for file in [file for file in files if _waits(file)]:
        files.remove(file)
        files.append(file)
    return files


def _waits(file) -> bool:
    if not file.is_documentation_page() or file.inclusion.is_excluded():
        return False
    if file.src_uri.endswith(".ipynb"):  # a notebook page (notebook_hook.py) renders generated/<slug>.ipynb
        return file.src_uri.removeprefix("generated/").removesuffix(".ipynb") in state["running"]
    return bool(needs(Path(file.abs_src_path).read_text(encoding="utf-8")) & state["running"])


def on_env(env, config, files):
    """Every page has been read: wait for the worker if no page did, and give MkDocs back its order of files."""
    _finish(files, config)
    if state["order"] is not None:
        present = dict(files.src_uris)
        for file in present.values():
            files.remove(file)
        for uri in [file.src_uri for file in state["order"] if file.src_uri in present] + list(present):
            if uri not in files.src_uris:  # the outputs _relist added come last
                files.append(present[uri])
        state["order"] = None
    return env


def _finish(files, config) -> None:
    """Wait for the worker's build; record its failures and list the outputs it added or removed."""
    if not state["running"]:
        return
    state["running"] = set()
    for callback in state.pop("idle", []):
        callback()
    _record(build_worker.wait().get("failures", {}))
    if files is not None:
        _relist(files, config)


def _relist(files, config) -> None:
    """Bring MkDocs' list of files under docs/generated/ in line with the disk, as get_files() would list it."""
    docs = Path(config["docs_dir"])
    listed = {file.src_uri: file for file in files if file.src_uri.startswith("generated/")}
    on_disk = {path.relative_to(docs).as_posix() for path in GENERATED.rglob("*") if path.is_file()}
    for uri in listed.keys() - on_disk:
        files.remove(listed[uri])
    new = sorted(on_disk - listed.keys())
    added = [File(uri, str(docs), config["site_dir"], config["use_directory_urls"]) for uri in new]
    for file in added:
        files.append(file)
    set_exclusions(added, config)


def _record(failures: dict[str, str]) -> None:
    state["failures"] = {
        relpath.removeprefix("snippets/").removesuffix(".py"): msg for relpath, msg in failures.items()
    }
    if failures and not state["serving"]:
        raise PluginError("snippets failed:\n" + "\n".join(failures.values()))


def on_post_build(config) -> None:
    if not state["serving"]:
        build_worker.stop()


def on_build_error(error) -> None:
    if not state["serving"]:
        build_worker.stop()


def on_shutdown() -> None:
    build_worker.stop()


def on_serve(server, config, builder):
    server.watch(str(SNIPPETS))
    ignore_own_writes(server, config["docs_dir"])
    return server


def ignore_own_writes(server, docs_dir: str) -> None:
    """Under `mkdocs serve`, the outputs this build writes to docs/generated/ must not start a second rebuild.

    MkDocs' server rebuilds on any event under docs/ and has no filter, so the docs/ watch's handler is wrapped
    (mkdocs-gallery's on_serve does the same); a change elsewhere under docs/ still rebuilds.
    """
    watch = server._watch_refs.get(os.path.abspath(docs_dir))
    handlers = server.observer._handlers.get(watch, ()) if watch is not None else ()
    if not handlers:
        log.warning("mkdocs_hook: cannot find MkDocs' watch of docs/; each build's own outputs rebuild once more")
    for handler in handlers:
        handler.on_any_event = functools.partial(_unless_generated, handler.on_any_event)


def _unless_generated(callback, event) -> None:
    paths = [path for path in (event.src_path, getattr(event, "dest_path", "")) if path]
    if not all(Path(os.fsdecode(path)).is_relative_to(GENERATED) for path in paths):
        callback(event)


def on_page_markdown(markdown: str, page, config, files) -> str:
    if state["running"] and needs(markdown) & state["running"]:
        _finish(files, config)
    if state["failures"]:
        markdown = INCLUDE.sub(_error_notice, markdown)
    if SHOWS_OUTPUT.search(markdown):
        markdown += provenance(page.file.src_uri)
    return markdown


# A snippet's code or printed output, as pymdownx.highlight renders the fences of render.cell_markdown.
GENERATED_BLOCK = re.compile(
    r'<div class="language-(?:python|text) highlight(?=">\s*<span class="filename">(?:snippets/|Output<))'
)


def on_page_content(html: str, page, config, files) -> str:
    """A snippet's cells stay out of the search index (Material reads `data-search-exclude` after this event).

    They were over half of the index, which every page's first view loads; a reader's query finds the prose
    that explains the code, and the whole snippet sits one link away.
    """
    return GENERATED_BLOCK.sub(lambda m: m.group(0) + '" data-search-exclude="', html)


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
