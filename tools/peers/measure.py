"""Time one tool's loop: cold build, no-change rebuild, one edit + build, serve reload.

Every build runs as `python -m mkdocs build` in the tool's copy; the peak memory is the
root's resident memory plus what each of its descendants holds alone, sampled every 20 ms.
"""

from __future__ import annotations

import os
import resource
import shutil
import socket
import subprocess
import time
import urllib.parse
import urllib.request
from pathlib import Path

import psutil
from mkdocs.utils.yaml import yaml_load  # reads mkdocs.yml's !ENV tags as MkDocs does
from sitebuild.numerics import SETTINGS

from .env import ROOT

ENV = {
    **os.environ,
    "NO_MKDOCS_2_WARNING": "1",
    "JUPYTER_PLATFORM_DIRS": "1",
    "PYTHONDONTWRITEBYTECODE": "1",
    "MPLBACKEND": "Agg",
    # nbconvert's templates live in the project venv's share/, which the peers' venv shares via .pth
    "JUPYTER_PATH": str((ROOT / ".venv" / "share" / "jupyter").resolve()),
}
# Like-for-like: every tool computes under our pinned kernels (one thread, MKL_CBWR=COMPATIBLE, AVX2),
# so each prints the same digits on every x86-64 CPU. False (--peer-defaults): the peers run at their
# own defaults (all cores, the widest vector unit), while our hook pins itself either way.
LIKE_FOR_LIKE = [True]
SAMPLE = 0.02


def tool_env(project: Path) -> dict[str, str]:
    """The environment every build and server runs in: ENV, plus the numeric settings when like-for-like; the
    copy's own scripts/ first, so our plugin builds the copy it runs in (siteserve.mkdocs_env)."""
    return (ENV | SETTINGS if LIKE_FOR_LIKE[0] else ENV) | {"PYTHONPATH": str(project / "scripts")}


def numerics_note() -> str:
    """One line for the report: which numeric environment the figures were measured under."""
    if LIKE_FOR_LIKE[0]:
        return "like-for-like: every tool ran with " + ", ".join(f"{k}={v}" for k, v in SETTINGS.items())
    return "--peer-defaults: the peers ran at their own numeric defaults (threads, ISA), ours pinned as always"


Build = tuple[float, float, tuple[int, int], subprocess.CompletedProcess]


def run_build(tool, *extra: str, check: bool = True) -> Build:
    """Wall seconds, CPU seconds and peak (tree, RSS sum) bytes of one `mkdocs build`; raises when it fails and
    `check` is set.

    The CPU seconds are the build's whole process tree (every process in it is waited for). The machine is shared:
    they, unlike wall seconds, barely change when other jobs load it.
    """
    args = [str(tool.python), "-m", "mkdocs", "build", "-d", str(tool.project / "site"), *extra]
    log = tool.project.parent / f"{tool.name}.log"
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    with open(log, "w") as out:
        proc = subprocess.Popen(
            args, cwd=tool.project, env=tool_env(tool.project), stdout=out, stderr=subprocess.STDOUT
        )
        peak = _watch_memory(proc)
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu_s = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    text = log.read_text(errors="replace")
    result = subprocess.CompletedProcess(args, proc.returncode, text, "")
    if check and proc.returncode != 0:
        raise SystemExit(f"{tool.name}: {' '.join(args)} failed:\n{text[-3000:]}")
    return seconds, cpu_s, peak, result


def _watch_memory(proc: subprocess.Popen) -> tuple[int, int]:
    """Wait for `proc`, sampling its whole tree; the largest (tree, RSS sum) seen.

    tree = the root's RSS plus each descendant's USS (pages only it holds), so library pages
    a forked child shares with its parent count once. PSS would depend on what other users of
    the same venv run at that moment; the plain RSS sum, which counts shared pages in every
    process, is kept too.
    """
    root, peak_tree, peak_rss = psutil.Process(proc.pid), 0, 0
    while proc.poll() is None:
        try:
            tree = rss = root.memory_info().rss
            family = root.children(recursive=True)
        except psutil.NoSuchProcess:
            break
        for member in family:
            try:
                info = member.memory_full_info()
            except (psutil.NoSuchProcess, psutil.AccessDenied):
                continue
            tree, rss = tree + info.uss, rss + info.rss
        peak_tree, peak_rss = max(peak_tree, tree), max(peak_rss, rss)
        time.sleep(SAMPLE)
    proc.wait()
    return peak_tree, peak_rss


def clean(tool) -> None:
    """Remove outputs and caches, so the next build is cold."""
    for relpath in (*tool.cold_paths, "site"):
        shutil.rmtree(tool.project / relpath, ignore_errors=True)


def built_page(tool) -> str:
    return (tool.project / "site" / tool.page / "index.html").read_text(errors="replace")


def one_round(tool) -> dict[str, float]:
    """The four timings and the cold build's peak memory; the edited file is restored afterwards."""
    edited = tool.project / tool.edit_file
    original = edited.read_text()
    clean(tool)
    load = os.getloadavg()[0]
    cold_s, cold_cpu_s, peak, _ = run_build(tool)
    noop_s, noop_cpu_s, _, _ = run_build(tool)
    token = f"edit-token-{time.time_ns()}"
    tool.edit(token)
    edit_s, edit_cpu_s, _, _ = run_build(tool)
    if built_page(tool).count(token) < 2:  # once in the source listing, once in the output
        raise SystemExit(f"{tool.name}: the edited page does not show the new output")
    reload_s = reload_seconds(tool)
    edited.write_text(original)
    figures = {"cold_s": cold_s, "noop_s": noop_s, "edit_s": edit_s, "reload_s": reload_s}
    cpu = {"cold_cpu_s": cold_cpu_s, "noop_cpu_s": noop_cpu_s, "edit_cpu_s": edit_cpu_s}
    memory = {"peak_tree_mb": peak[0] / 2**20, "peak_rss_sum_mb": peak[1] / 2**20}
    return figures | cpu | memory | {"load_1m_before": load}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def serve(tool) -> tuple[subprocess.Popen, str]:
    port = free_port()
    log = open(tool.project.parent / f"{tool.name}-serve.log", "w")  # noqa: SIM115 - lives as long as the server
    server = subprocess.Popen(
        [str(tool.python), "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{port}"],
        cwd=tool.project,
        env=tool_env(tool.project),
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = urllib.parse.urlsplit(yaml_load((tool.project / "mkdocs.yml").read_text())["site_url"]).path
    return server, f"http://127.0.0.1:{port}{base}{tool.page}"


def reload_seconds(tool) -> float:
    """From saving an edit to the served page showing the new output."""
    server, url = serve(tool)
    try:
        fetch_until(url, lambda page: page is not None, 600, server)
        token = f"reload-token-{time.time_ns()}"
        started = time.perf_counter()
        tool.edit(token)
        fetch_until(url, lambda page: page is not None and page.count(token) >= 2, 600, server)
        return time.perf_counter() - started
    finally:
        stop(server)


def fetch_until(url: str, done, seconds: float, server: subprocess.Popen) -> str | None:
    """Poll `url` until `done(page)`; the last page read (None when never served)."""
    deadline, page = time.monotonic() + seconds, None
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=10) as response:
                page = response.read().decode(errors="replace")
        except OSError:
            page = None
        if done(page):
            return page
        if server.poll() is not None:
            raise SystemExit(f"the server stopped (status {server.returncode}) before {url} was ready")
        time.sleep(0.02)
    raise SystemExit(f"{url} never became ready within {seconds:g} s")


def stop(server: subprocess.Popen) -> None:
    server.terminate()
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()
