"""The build in three steps, shared by scripts/build.py, the MkDocs plugin, mutate.py and bench.py.

plan() decides which snippets must run, which only re-render from a stored run (their rendering code changed,
keys.py) and which are cached; run_all() runs and renders them; settle() writes each one's outputs, or with
--check compares them (compare.py). build() does all three under the lock;
the MkDocs plugin, which plans before it decides where the snippets run, hands its plan to build().
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from . import numerics
from .compare import compare, reference_keys, report_strays
from .discover import GENERATED, ROOT, Snippet, find_snippets
from .keys import Keys, prune, store, stored
from .outputs import (
    MANIFEST,
    OutputStats,
    build_lock,
    clean_partial_files,
    edited_outputs,
    failure_note,
    load_manifest,
    manifest_bytes,
    remove_output,
    sha256,
    write_atomic,
)
from .results import BuildReport, Outcome, SnippetResult

__all__ = ["BuildReport", "Outcome", "build", "compare", "plan", "run_all", "settle", "write"]

TIMINGS = ROOT / ".cache" / "timings.json"
DEFAULT_JOBS = min(4, os.cpu_count() or 1)  # snippets run side by side, each in its own process
Log = Callable[[str], None]


@dataclass
class Job:
    index: int  # 1-based among all snippets, for "[3/17]" progress lines
    snippet: Snippet
    key: str  # the render key (keys.py), which the manifest records
    execution: str  # the execution key
    old: dict | None  # its manifest entry before this build
    result: SnippetResult | None = None  # its stored run, when only its rendering changed: render, do not run


@dataclass
class Plan:
    total: int
    manifest: dict  # as loaded (or empty, when it was unreadable)
    env: dict
    entries: dict = field(default_factory=dict)  # the new manifest's entries, filled as snippets settle
    jobs: list[Job] = field(default_factory=list)


def log_to_stderr(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def build(
    *,
    force: bool = False,
    check: bool = False,
    timeout: float = 300.0,
    jobs: int = DEFAULT_JOBS,
    only: list[str] | None = None,
    log: Log = log_to_stderr,
    work: Plan | None = None,
    report: BuildReport | None = None,
) -> BuildReport:
    """Bring docs/generated/ up to date (or, with check, compare it and write nothing).

    `only` limits the work to those snippets ("snippets/p/s/n.py"); the others keep their entries. `work` is a plan
    the caller made (with `report`, which holds what planning found) moments before; without one, build() plans.
    """
    report = report if report is not None else BuildReport()
    with build_lock(shared=check):
        if not check:
            for leftover in clean_partial_files():
                log(f"removed {leftover.relative_to(ROOT)}, left by an interrupted build")
        if work is None:
            work = plan(report, force=force, check=check, only=only, log=log)
        runs = {job.snippet.relpath: job.result for job in work.jobs if job.result is not None}
        outcomes = run_all([job.snippet for job in work.jobs], timeout, jobs, runs)
        for job, outcome in zip(work.jobs, outcomes, strict=True):
            settle(work, job, outcome, report, check=check, log=log)
        manifest = {"version": work.manifest["version"], "environment": work.env, "snippets": work.entries}
        if check and only is None:
            if not report.foreign:  # the committed manifest holds the reference platform's hashes
                compare({"manifest.json": manifest_bytes(manifest)}, report)
            report_strays(manifest, report)
        elif not check:
            _finish_writing(work.manifest["snippets"], manifest, report)
    return report


def plan(report: BuildReport, *, force: bool, check: bool, only: list[str] | None, log: Log) -> Plan:
    """Which snippets must run: new, changed, edited by hand, or all of them with force or check."""
    snippets = find_snippets()
    manifest, warning = load_manifest()
    if warning:
        log(warning)
    keys, stats = Keys(), OutputStats()
    if check and reference_keys(manifest["environment"]) not in (reference_keys(keys.env), {}):
        report.foreign = numerics.describe(keys.env)
    work = Plan(len(snippets), manifest, keys.env)
    for index, snippet in enumerate(snippets, start=1):
        old = manifest["snippets"].get(snippet.relpath)
        if only is not None and snippet.relpath not in only:
            if old:
                work.entries[snippet.relpath] = old
            continue
        execution, key = keys.of(snippet)
        edited = edited_outputs(old, stats) if old else []
        if old and old.get("key") == key and not edited and not (force or check):
            report.cached.append(snippet.relpath)
            work.entries[snippet.relpath] = old
            if not check:  # back to the source of its last good run (an edit undone): its outputs are current
                failure_note(snippet.slug).unlink(missing_ok=True)
            log(f"[{index}/{len(snippets)}] {snippet.relpath}: cached")
            continue
        if edited and not check:
            log(f"{snippet.relpath}: docs/generated/{edited[0]} was edited or deleted by hand; regenerating it")
        # Only the rendering changed (or an output was edited): its stored run is rendered again, not rerun.
        result = stored(execution) if old and old.get("execution") == execution and not (force or check) else None
        work.jobs.append(Job(index, snippet, key, execution, old, result))
    if not check:  # --check writes nothing, not even this cache
        stats.save()
    return work


def run_all(
    snippets: list[Snippet], timeout: float, jobs: int, runs: dict[str, SnippetResult] | None = None
) -> Iterator[Outcome]:
    """Run and render snippets `jobs` at a time (each in its own fork); yield their outcomes in order.

    A snippet with a stored run in `runs` (by relpath) is only rendered: no fork, and torch is not imported for it.
    """
    if not snippets:
        return
    from .execute import preload, stop_all

    runs = runs or {}
    if any(snippet.relpath not in runs for snippet in snippets):
        preload()  # once, before any fork, so every child starts with torch imported
    if jobs == 1 or len(snippets) == 1:  # fork from the main thread: qemu-user 7.2 can crash when a pool thread forks
        try:  # one fork at a time, so the parent may import while a child runs (no fork can copy a half-done import)
            for snippet in snippets:
                yield run_one(snippet, timeout, _import_writer, runs.get(snippet.relpath))
        except BaseException:
            stop_all()
            raise
        return
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        try:
            yield from pool.map(lambda snippet: run_one(snippet, timeout, None, runs.get(snippet.relpath)), snippets)
        except BaseException:  # Ctrl-C: stop the snippets before the pool waits for them; none may outlive the build
            stop_all()
            raise


def _import_writer() -> None:
    """Import the notebook writer and build its schema validator (about 0.3 s) while the snippet runs, not after."""
    import nbformat

    from . import render  # noqa: F401

    nbformat.validate(nbformat.v4.new_notebook())


def run_one(
    snippet: Snippet,
    timeout: float,
    while_running: Callable[[], None] | None = None,
    result: SnippetResult | None = None,
) -> Outcome:
    """Check the snippet's source and headers, run it (unless its stored `result` is given), and render it."""
    from .execute import run_snippet
    from .headers import header_error
    from .render import render_snippet

    if result is not None:
        started = time.perf_counter()
        return Outcome(render_snippet(snippet, result.cells), None, time.perf_counter() - started, rendered_only=True)
    if snippet.error:
        return Outcome({}, snippet.error, 0.0)
    try:
        compile(snippet.source, snippet.relpath, "exec")
    except SyntaxError as exc:
        return Outcome({}, f"{snippet.relpath}:{exc.lineno}: SyntaxError: {exc.msg}", 0.0)
    header_problem = header_error(snippet.relpath, snippet.cells)
    if header_problem:
        return Outcome({}, header_problem, 0.0)
    started = time.perf_counter()
    result = run_snippet(snippet, timeout, while_running)
    files = {} if result.error else render_snippet(snippet, result.cells)
    return Outcome(files, result.error, time.perf_counter() - started, result.warnings, result=result)


def settle(work: Plan, job: Job, outcome: Outcome, report: BuildReport, *, check: bool, log: Log) -> None:
    """Record one snippet's outcome in the report and the new manifest; write or compare its outputs."""
    relpath = job.snippet.relpath
    step = f"[{job.index}/{work.total}] {relpath}"
    report.seconds[relpath] = outcome.seconds
    for warning in outcome.warnings:  # shown to the author; a warning does not fail the build
        log(f"warning: {warning}")
    if outcome.error:
        report.failures[relpath] = outcome.error
        log(f"{step}: FAILED after {outcome.seconds:.2f} s\n{outcome.error}")
        if not check:
            write_atomic(failure_note(job.snippet.slug), outcome.error.encode())
        if job.old:
            work.entries[relpath] = job.old  # the last good outputs stay, and stay listed
        return
    if outcome.rendered_only:
        report.rendered.append(relpath)
        log(f"{step}: re-rendered from its stored run in {outcome.seconds:.2f} s")
    else:
        report.ran.append(relpath)
        log(f"{step}: ran in {outcome.seconds:.2f} s")
        if not check and outcome.result is not None:
            store(job.execution, outcome.result)
    outputs = {p: sha256(b) for p, b in sorted(outcome.files.items())}
    work.entries[relpath] = {"key": job.key, "execution": job.execution, "outputs": outputs}
    if check:
        compare(outcome.files, report)
    else:
        write(outcome.files, job.old, report)
        failure_note(job.snippet.slug).unlink(missing_ok=True)


def write(files: dict[str, bytes], old: dict | None, report: BuildReport) -> None:
    """Write a snippet's outputs atomically; remove the ones its last run made and this one did not."""
    for relpath, data in files.items():
        if write_atomic(GENERATED / relpath, data):
            report.written.append(relpath)
    for relpath in (old or {}).get("outputs", {}):
        if relpath not in files:  # a cell or figure that no longer exists
            remove_output(relpath)


def _finish_writing(old_entries: dict, manifest: dict, report: BuildReport) -> None:
    for relpath, old in old_entries.items():
        if relpath not in manifest["snippets"]:  # the snippet was deleted: so are its outputs
            for output in old.get("outputs", {}):
                remove_output(output)
    if write_atomic(MANIFEST, manifest_bytes(manifest)):
        report.written.append("manifest.json")
    prune({entry.get("execution") for entry in manifest["snippets"].values()})
    _save_timings(report.seconds)


def _save_timings(seconds: dict[str, float]) -> None:
    """Last run time per snippet, for the timing report; kept out of git (timings vary)."""
    timings = json.loads(TIMINGS.read_text()) if TIMINGS.exists() else {}
    timings.update({k: round(v, 3) for k, v in seconds.items()})
    write_atomic(TIMINGS, (json.dumps(timings, indent=2, sort_keys=True) + "\n").encode())
