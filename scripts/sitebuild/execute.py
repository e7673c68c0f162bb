"""Run one snippet in a forked child process and capture each cell's output.

The parent imports torch and matplotlib once (`preload`); every snippet then
runs in its own fork, in its own session and scratch directory, so it cannot
change what the next snippet sees, and a hang or crash kills only the child.
"""

from __future__ import annotations

import contextlib
import gc
import json
import linecache
import os
import select
import shutil
import signal
import sys
import tempfile
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path

from . import numerics
from .capture import CappedStdout
from .discover import Snippet
from .messages import collect_warnings, describe_error, wrote_files
from .results import CellResult, FigureOutput, SnippetResult

_REAL_EXIT = os._exit  # the child swaps os._exit for one that names the snippet's line
STACK_SIGNAL = signal.SIGUSR1  # asks a hung child for its Python stack before it is killed
STACK_WAIT = 1.0  # seconds the child gets to write that stack


RUNNING: set[int] = set()  # children in flight, so an interrupted build can stop them all


def stop_all() -> None:
    """Kill every running snippet and whatever it started (used on Ctrl-C)."""
    for pid in list(RUNNING):
        _kill_group(pid)


def preload() -> None:
    """Import the heavy libraries once, in the parent, so each fork starts warm.

    The parent only imports: a fork after a parallel torch op can hang in the child (OpenMP is not
    fork-safe), which the child's single thread (numerics.pin_threads) also rules out.
    """
    numerics.pin()
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot  # noqa: F401
    import torch  # noqa: F401


def run_snippet(snippet: Snippet, timeout: float, while_running: Callable[[], None] | None = None) -> SnippetResult:
    """Run `snippet` in a fork; never raises for the snippet's own faults.

    `while_running` is called in the parent right after the fork, to use the time the child runs.
    """
    preload()
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="snippet-") as scratch:
        result_file = Path(scratch) / "result.json"
        workdir = Path(scratch) / "cwd"
        workdir.mkdir()
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:  # the child: never returns
            _child(snippet, workdir, result_file)
        RUNNING.add(pid)
        try:
            if while_running is not None:
                while_running()
            problem = _wait(pid, timeout, Path(scratch) / "stderr.txt", snippet.relpath)
        finally:
            RUNNING.discard(pid)
        seconds = time.perf_counter() - started
        if problem is None and not result_file.exists():
            problem = "the snippet stopped the interpreter before its last line; let it run to the end"
        if problem is not None:
            where = _crash_location(snippet, Path(scratch) / "stderr.txt")
            return SnippetResult(snippet.relpath, [], seconds, f"{where}: Error: {problem}")
        data = json.loads(result_file.read_text(encoding="utf-8"))
        data["error"] = data["error"] or wrote_files(snippet.relpath, sorted(p.name for p in workdir.iterdir()))
    cells = [
        CellResult(c["number"], c["stdout"], [FigureOutput(**f) for f in c["figures"]], c["seconds"], c["values"])
        for c in data["cells"]
    ]
    return SnippetResult(snippet.relpath, cells, seconds, data["error"], data["warnings"])


def _wait(pid: int, timeout: float, stderr_file: Path, relpath: str) -> str | None:
    """Wait for the child; kill its whole process group on timeout or interrupt."""
    pidfd = os.pidfd_open(pid)
    try:
        ready, _, _ = select.select([pidfd], [], [], timeout)
    except BaseException:  # Ctrl-C: take the child (and anything it started) down with us
        _kill_group(pid)
        raise
    finally:
        os.close(pidfd)
    if not ready:
        _ask_for_stack(pid, stderr_file, relpath)
        _kill_group(pid)
        return f"timed out after {timeout:g} s (raise --timeout if it is really that slow)"
    _, status = os.waitpid(pid, 0)
    _kill_group(pid)  # children the snippet left behind
    if os.WIFSIGNALED(status):
        name = signal.Signals(os.WTERMSIG(status)).name
        return f"the interpreter crashed ({name}) in native code (ctypes or a C extension) called from here"
    code = os.WEXITSTATUS(status)
    if code == 0:
        return None
    return f"the snippet ended the interpreter with status {code} (os._exit or a library's exit); let it run to the end"


def _ask_for_stack(pid: int, stderr_file: Path, relpath: str) -> None:
    """Have the hung child's faulthandler dump its stack, so the report can name the line it hangs on."""
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, STACK_SIGNAL)
    deadline = time.monotonic() + STACK_WAIT
    while time.monotonic() < deadline:
        if stderr_file.exists() and f'File "{relpath}"' in stderr_file.read_text(errors="replace"):
            return
        time.sleep(0.02)


def _kill_group(pid: int) -> None:
    try:
        os.killpg(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    try:
        os.waitpid(pid, 0)
    except ChildProcessError:
        pass


def _crash_location(snippet: Snippet, stderr_file: Path) -> str:
    """`file:line` from faulthandler's dump of a crashed child, else just the file."""
    line = None
    if stderr_file.exists():
        marker = f'File "{snippet.relpath}", line '
        for text in stderr_file.read_text(errors="replace").splitlines():
            if marker in text:
                line = text.split(marker, 1)[1].split()[0]
                break  # faulthandler lists the innermost frame first
    return f"{snippet.relpath}:{line}" if line else snippet.relpath


def _child(snippet: Snippet, workdir: Path, result_file: Path) -> None:
    """Body of the forked child: run every cell, write JSON, exit without cleanup."""
    code, parent = 0, os.getppid()
    try:
        gc.freeze()  # the parent's objects are never collected here, so their pages stay shared, not copied
        os.setsid()  # own process group: a timeout kills everything it started
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        _die_with(parent, result_file.parent)
        os.chdir(workdir)
        _redirect_fds(result_file.parent)
        os._exit = _exit_naming_line
        result = _run_cells(snippet)
        result_file.write_text(json.dumps(asdict(result)), encoding="utf-8")
    except BaseException:  # a bug in the runner itself: leave a trace for the author
        traceback.print_exc()
        code = 70
    finally:
        _REAL_EXIT(code)


def _die_with(parent: int, scratch: Path) -> None:
    """When the build dies, even by SIGKILL, take the snippet, all it started and its scratch folder with it."""
    pidfd = os.pidfd_open(parent)

    def watch() -> None:
        select.select([pidfd], [], [])  # readable once the parent has exited
        shutil.rmtree(scratch, ignore_errors=True)
        os.killpg(0, signal.SIGKILL)

    threading.Thread(target=watch, name="die-with-build", daemon=True).start()


def _exit_naming_line(status: int) -> None:
    """os._exit for the snippet: dump the stack first, so the report names the calling line."""
    import faulthandler

    faulthandler.dump_traceback(file=sys.stderr, all_threads=False)
    sys.stderr.flush()
    _REAL_EXIT(status)


def _redirect_fds(folder: Path) -> None:
    """C-level writes to fd 1/2 go to files, not into the parent's terminal.

    faulthandler writes the Python stack there on a crash, and when the parent
    times the snippet out (STACK_SIGNAL), so both failures can name its line.
    """
    import faulthandler

    for fd, name in ((1, "fd1.txt"), (2, "stderr.txt")):
        target = os.open(folder / name, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.dup2(target, fd)
        os.close(target)
    sys.stderr = open(2, "w", closefd=False)
    faulthandler.enable(file=sys.stderr)
    faulthandler.register(STACK_SIGNAL, file=sys.stderr, all_threads=True)


def _run_cells(snippet: Snippet) -> SnippetResult:
    import matplotlib.pyplot as plt

    from .figures import prepare_matplotlib
    from .randomness import unseeded_message, watch_generators

    prepare_matplotlib()  # matplotlib's defaults plus the project's settings, whatever the author's matplotlibrc
    numerics.pin_threads()
    generators = watch_generators()
    lines = snippet.source.splitlines(keepends=True)
    linecache.cache[snippet.relpath] = (len(snippet.source), None, lines, snippet.relpath)
    namespace = {"__name__": "__main__", "__file__": snippet.relpath}
    result = SnippetResult(snippet.relpath, [], 0.0)
    collect_warnings(snippet.relpath, result.warnings)
    started, stdout, published = time.perf_counter(), CappedStdout(), {}  # published: for alt= texts
    for cell in snippet.cells:
        marker_line = max(cell.first_line - 1, 1)
        try:
            done = _run_cell(snippet, cell, namespace, stdout, published)
        except BaseException as exc:  # the author's error, reported with their line
            result.error = describe_error(exc, snippet.relpath, default_line=marker_line)
            break
        result.error = unseeded_message(snippet.relpath, marker_line, cell.title, generators)
        if result.error:
            break
        result.cells.append(done)
    plt.close("all")
    result.seconds = time.perf_counter() - started
    return result


def _run_cell(snippet: Snippet, cell, namespace: dict, stdout: CappedStdout, published: dict) -> CellResult:
    """Run one cell in the snippet's namespace: what it printed, its figures and its published values."""
    from .figures import capture_figures
    from .headers import alt_texts, publish

    started = time.perf_counter()
    stdout.reset()
    compiled = compile("\n" * (cell.first_line - 1) + cell.code, snippet.relpath, "exec")
    sys.stdout = stdout
    try:
        exec(compiled, namespace)
    finally:
        sys.stdout = sys.__stdout__
    values = publish(namespace, cell, published)
    published.update(values)
    figures = capture_figures(snippet.relpath, cell.first_line, alt_texts(cell, published))
    return CellResult(cell.number, stdout.text(), figures, time.perf_counter() - started, values)
