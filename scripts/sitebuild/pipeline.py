"""The build's steps in order, shared by scripts/build.py and the MkDocs hook.

For each snippet: cached if its key and its outputs' hashes match the
manifest; otherwise run it, render its outputs, and (unless checking) write them.
"""

from __future__ import annotations

import difflib
import json
import os
import sys
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from . import numerics
from .discover import GENERATED, ROOT, build_code_hash, cache_key, environment, find_snippets
from .outputs import (
    MANIFEST,
    build_lock,
    clean_partial_files,
    edited_outputs,
    load_manifest,
    manifest_bytes,
    remove_output,
    sha256,
    write_atomic,
)
from .tolerance import Difference, largest_difference

TIMINGS = ROOT / ".cache" / "timings.json"
DIFF_LINES = 60  # per file, in --check reports
DEFAULT_JOBS = min(4, os.cpu_count() or 1)  # snippets run side by side, each in its own process


@dataclass
class BuildReport:
    ran: list[str] = field(default_factory=list)
    cached: list[str] = field(default_factory=list)
    failures: dict[str, str] = field(default_factory=dict)  # snippet -> "file:line: ..." message
    stale: dict[str, str] = field(default_factory=dict)  # output -> unified diff (--check)
    written: list[str] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)
    foreign: str = ""  # with --check off the reference platform: "aarch64, unpinned", say
    tolerated: dict[str, Difference] = field(default_factory=dict)  # output -> largest number difference

    @property
    def ok(self) -> bool:
        return not self.failures and not self.stale


def log_to_stderr(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def build(
    *,
    force: bool = False,
    check: bool = False,
    timeout: float = 300.0,
    jobs: int = DEFAULT_JOBS,
    only: list[str] | None = None,
    log: Callable[[str], None] = log_to_stderr,
) -> BuildReport:
    """Bring docs/generated/ up to date (or, with check, compare it and write nothing).

    `only` limits the work to those snippets ("snippets/x/y.py"); the others keep their entries.
    """
    report = BuildReport()
    with build_lock():
        if not check:
            for leftover in clean_partial_files():
                log(f"removed {leftover.relative_to(ROOT)}, left by an interrupted build")
        snippets = find_snippets()
        manifest, warning = load_manifest()
        if warning:
            log(warning)
        env, code_hash = environment(), build_code_hash()
        if check and _fingerprint(manifest["environment"]) not in (_fingerprint(env), {}):
            report.foreign = numerics.describe(env)
        old_entries = manifest["snippets"]
        entries: dict[str, dict] = {}
        to_run = []
        for index, snippet in enumerate(snippets, start=1):
            key = cache_key(snippet, env, code_hash)
            old = old_entries.get(snippet.relpath)
            if only is not None and snippet.relpath not in only:
                if old:
                    entries[snippet.relpath] = old
                continue
            edited = edited_outputs(old) if old else []
            if old and old.get("key") == key and not edited and not (force or check):
                report.cached.append(snippet.relpath)
                entries[snippet.relpath] = old
                log(f"[{index}/{len(snippets)}] {snippet.relpath}: cached")
                continue
            if edited and not check:
                log(f"{snippet.relpath}: docs/generated/{edited[0]} was edited or deleted by hand; regenerating it")
            to_run.append((index, snippet, key, old))
        for (index, snippet, key, old), (files, error, seconds, warned) in zip(
            to_run, _run_all([item[1] for item in to_run], timeout, jobs), strict=True
        ):
            step = f"[{index}/{len(snippets)}] {snippet.relpath}"
            report.seconds[snippet.relpath] = seconds
            for warning in warned:  # shown to the author; a warning does not fail the build
                log(f"warning: {warning}")
            if error:
                report.failures[snippet.relpath] = error
                log(f"{step}: FAILED after {seconds:.2f} s\n{error}")
                if old:
                    entries[snippet.relpath] = old  # the last good outputs stay, and stay listed
                continue
            report.ran.append(snippet.relpath)
            log(f"{step}: ran in {seconds:.2f} s")
            entries[snippet.relpath] = {"key": key, "outputs": {p: sha256(b) for p, b in sorted(files.items())}}
            if check:
                _compare(files, report)
            else:
                _write(files, old, report)
        new_manifest = {"version": manifest["version"], "environment": env, "snippets": entries}
        if check:
            if not report.foreign and only is None:  # the manifest holds the reference's hashes
                _compare({"manifest.json": manifest_bytes(new_manifest)}, report)
            if only is None:
                _report_strays(new_manifest, report)
        else:
            for relpath, old in old_entries.items():
                if relpath not in entries:  # the snippet was deleted: so are its outputs
                    for output in old.get("outputs", {}):
                        remove_output(output)
            if write_atomic(MANIFEST, manifest_bytes(new_manifest)):
                report.written.append("manifest.json")
            _save_timings(report.seconds)
    return report


def _run_all(snippets: list, timeout: float, jobs: int):
    """Run snippets `jobs` at a time (each in its own fork); yield results in order."""
    if not snippets:
        return
    from .execute import preload, stop_all

    preload()  # once, before any fork, so every child starts with torch imported
    if jobs == 1:  # fork from the main thread: qemu-user 7.2 can crash when a pool thread forks
        try:
            yield from (_run_and_render(snippet, timeout) for snippet in snippets)
        except BaseException:
            stop_all()
            raise
        return
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        try:
            yield from pool.map(lambda snippet: _run_and_render(snippet, timeout), snippets)
        except BaseException:  # Ctrl-C: no snippet may outlive the build
            stop_all()
            raise


def _run_and_render(snippet, timeout: float) -> tuple[dict[str, bytes], str | None, float, list[str]]:
    from .execute import run_snippet
    from .render import render_snippet
    from .values import header_error

    if snippet.error:
        return {}, snippet.error, 0.0, []
    try:
        compile(snippet.source, snippet.relpath, "exec")
    except SyntaxError as exc:
        return {}, f"{snippet.relpath}:{exc.lineno}: SyntaxError: {exc.msg}", 0.0, []
    header_problem = header_error(snippet.relpath, snippet.cells)
    if header_problem:
        return {}, header_problem, 0.0, []
    started = time.perf_counter()
    result = run_snippet(snippet, timeout)
    if result.error:
        return {}, result.error, time.perf_counter() - started, result.warnings
    return render_snippet(snippet, result.cells), None, time.perf_counter() - started, result.warnings


def _write(files: dict[str, bytes], old: dict | None, report: BuildReport) -> None:
    for relpath, data in files.items():
        if write_atomic(GENERATED / relpath, data):
            report.written.append(relpath)
    for relpath in (old or {}).get("outputs", {}):
        if relpath not in files:  # a cell or figure that no longer exists
            remove_output(relpath)


def _compare(files: dict[str, bytes], report: BuildReport) -> None:
    for relpath, data in files.items():
        path = GENERATED / relpath
        current = path.read_bytes() if path.exists() else b""
        if current == data:
            continue
        name = f"docs/generated/{relpath}"
        if report.foreign and path.exists():
            difference = largest_difference(
                current.decode(errors="replace"), data.decode(errors="replace"), name.endswith(".svg")
            )
            if difference and difference.within:
                report.tolerated[name] = difference
                continue
            if difference:
                report.stale[name] = (
                    f"line {difference.line}: {difference.committed} is now {difference.current}, "
                    f"beyond the tolerance for {report.foreign}"
                )
                continue
        diff = difflib.unified_diff(
            current.decode(errors="replace").splitlines(),
            data.decode(errors="replace").splitlines(),
            f"{name} (committed)" if path.exists() else f"{name} (missing)",
            f"{name} (what the snippet prints now)",
            lineterm="",
        )
        lines = list(diff)
        if len(lines) > DIFF_LINES:
            lines = lines[:DIFF_LINES] + [f"... {len(lines) - DIFF_LINES} more diff lines"]
        report.stale[name] = "\n".join(lines)


def _fingerprint(env: dict) -> dict:
    return {key: env[key] for key in ("architecture", "numerics") if key in env}


def _report_strays(manifest: dict, report: BuildReport) -> None:
    """Files under docs/generated/ that no snippet produces."""
    expected = {"manifest.json"} | {o for e in manifest["snippets"].values() for o in e["outputs"]}
    for path in sorted(GENERATED.rglob("*")) if GENERATED.exists() else []:
        relpath = path.relative_to(GENERATED).as_posix()
        if path.is_file() and relpath not in expected:
            report.stale[f"docs/generated/{relpath}"] = (
                "not written by scripts/build.py (delete it, or add its snippet)"
            )


def _save_timings(seconds: dict[str, float]) -> None:
    """Last run time per snippet, for the timing report; kept out of git (timings vary)."""
    timings = json.loads(TIMINGS.read_text()) if TIMINGS.exists() else {}
    timings.update({k: round(v, 3) for k, v in seconds.items()})
    write_atomic(TIMINGS, (json.dumps(timings, indent=2, sort_keys=True) + "\n").encode())
