"""The engines `make bench` and `make bench-scale` compare, and how each runs one author's loop on a project copy.

mkdocs: MkDocs 1.6 as pinned, the `site` plugin running the snippets. properdocs: ProperDocs, a fork of MkDocs 1.x,
in a venv of its own under .cache/ (the project's venv beside it) that loads the same plugin. zensical: Zensical as
pinned, with scripts/build.py before each build and scripts/watch.py (`make serve ENGINE=zensical`) to serve.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import psutil
from mkdocs.utils.yaml import yaml_load  # reads mkdocs.yml's !ENV tags as MkDocs does
from siteserve import mkdocs_env

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
ENGINES = ("mkdocs", "properdocs", "zensical")
PROPERDOCS_VENV = ROOT / ".cache" / "properdocs-venv"
PROPERDOCS_PINS = Path(__file__).resolve().parent / "requirements-properdocs.txt"
SAMPLE = 0.05  # seconds between memory samples
EDITED = "snippets/activation-functions/code/steps.py"
MARKER = "# %% Step 1: two linear layers equal one layer\n"
PAGE = "activation-functions/code/"  # the page that shows EDITED's output


@dataclass
class Engine:
    name: str
    cold: list[list[str]]  # the commands of a build from no outputs and no caches
    build: list[list[str]]  # the commands of a build after an edit, or after none
    serve: list[str]  # serves the site and reruns a saved snippet; --dev-addr is appended
    dirty_serve: list[str] | None = None  # the same, rebuilding only the pages that changed (None: no such mode)


def engine(name: str) -> Engine:
    if name == "mkdocs":
        mkdocs = [PYTHON, "-m", "mkdocs"]
        build = [*mkdocs, "build", "--strict"]
        return Engine(name, [build], [build], [*mkdocs, "serve"], [*mkdocs, "serve", "--dirty"])
    if name == "properdocs":
        properdocs = [str(properdocs_python()), "-m", "properdocs"]
        config = ["-f", "mkdocs.yml"]  # named, so ProperDocs does not note the legacy file name on every run
        build = [*properdocs, "build", "--strict", *config]
        serve = [*properdocs, "serve", *config]
        return Engine(name, [build], [build], serve, [*serve, "--dirty"])
    if name == "zensical":
        zensical = str(Path(PYTHON).parent / "zensical")
        outputs = [PYTHON, "scripts/build.py"]  # what `make build ENGINE=zensical` runs first
        cold = [outputs, [zensical, "build", "--strict", "--clean"]]
        return Engine(name, cold, [outputs, [zensical, "build", "--strict"]], [PYTHON, "scripts/watch.py"])
    raise SystemExit(f"unknown engine {name!r}: choose from {', '.join(ENGINES)}")


def properdocs_python() -> Path:
    """Python of ProperDocs' venv, created and filled on first use (and when its pin changes).

    As tools/peers does: a .pth file puts the project's site-packages on its path, so torch, Material and the
    plugin are the very same installs, and the project's pins are a constraint, so pip pulls nothing else.
    """
    python = PROPERDOCS_VENV / "bin" / "python"
    base = str(Path(sysconfig.get_paths()["purelib"]).resolve())
    stamp = PROPERDOCS_VENV / ".installed"
    if stamp.exists() and stamp.read_text() == PROPERDOCS_PINS.read_text() + base:
        return python
    if not python.exists():
        subprocess.run([sys._base_executable, "-m", "venv", str(PROPERDOCS_VENV)], check=True)
    code = "import sysconfig; print(sysconfig.get_paths()['purelib'])"
    site = subprocess.run([python, "-c", code], check=True, capture_output=True, text=True).stdout.strip()
    Path(site, "project-venv.pth").write_text(base + "\n")
    constraints = PROPERDOCS_VENV / "constraints.txt"
    constraints.write_text((ROOT / "requirements.txt").read_text())
    pip = [python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    subprocess.run([*pip, "-c", constraints, "-r", PROPERDOCS_PINS], check=True)
    stamp.write_text(PROPERDOCS_PINS.read_text() + base)
    return python


def run(args: list[str], project: Path) -> tuple[float, int, str]:
    """Wall seconds, the peak RSS of the largest process in its tree (bytes) and the output of one command."""
    started = time.perf_counter()
    with tempfile.TemporaryFile() as out:
        proc = subprocess.Popen(args, cwd=project, env=mkdocs_env(project), stdout=out, stderr=subprocess.STDOUT)
        peak = watch(proc)
        seconds = time.perf_counter() - started
        out.seek(0)
        text = out.read().decode(errors="replace")
    # zensical build --strict exits 0 on some errors it logs (siteserve.build_site checks the same way)
    if proc.returncode != 0 or (Path(args[0]).name == "zensical" and "Error" in text):
        raise SystemExit(f"{' '.join(args)} failed in {project}:\n{text[-3000:]}")
    return seconds, peak, text


def run_all(commands: list[list[str]], project: Path) -> tuple[float, int, str]:
    """run() for commands in turn: their total seconds, the largest peak of any one of them, their outputs."""
    results = [run(args, project) for args in commands]
    return sum(r[0] for r in results), max(r[1] for r in results), "".join(r[2] for r in results)


def watch(proc: subprocess.Popen) -> int:
    """The largest RSS any one process of the tree reached (the engine's process, in practice)."""
    root, peak = psutil.Process(proc.pid), 0
    while proc.poll() is None:
        try:
            members = [root, *root.children(recursive=True)]
            peak = max([peak] + [m.memory_info().rss for m in members if m.is_running()])
        except psutil.NoSuchProcess:
            pass
        time.sleep(SAMPLE)
    proc.wait()
    return peak


def reset(project: Path) -> None:
    """No outputs, no caches, no site: what a cold build starts from."""
    for folder in ("docs/generated", ".cache", "site"):
        shutil.rmtree(project / folder, ignore_errors=True)


def reload_seconds(project: Path, serve: list[str], edits: int = 1) -> float:
    """From saving a changed snippet to the page `serve` serves showing its new output: the median of `edits` saves."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    base = urllib.parse.urlsplit(yaml_load((project / "mkdocs.yml").read_text())["site_url"]).path
    url = f"http://127.0.0.1:{port}{base}{PAGE}"
    # A session of its own, so stopping it stops what it started too (watch.py's zensical serve, the warm worker).
    server = subprocess.Popen(
        [*serve, "--dev-addr", f"127.0.0.1:{port}"],
        cwd=project,
        env=mkdocs_env(project),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    snippet = project / EDITED
    text = snippet.read_text()
    seconds = []
    try:
        wait_for(url, "Step 3", 600)
        for _ in range(edits):
            token = f"reload-token-{time.time_ns()}"
            started = time.perf_counter()
            snippet.write_text(text.replace(MARKER, MARKER + f'print("{token}")\n'))
            wait_for(url, token, 120)
            seconds.append(time.perf_counter() - started)
        return statistics.median(seconds)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
        snippet.write_text(text)


def wait_for(url: str, text: str, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if text in response.read().decode():
                    return
        except OSError:
            pass
        time.sleep(0.05)
    raise SystemExit(f"{url} never showed {text!r}")


def author_loops(projects: dict[str, Path], rounds: int = 3) -> list[dict]:
    """Each engine's cold build, no-change build, one edited snippet then a build, and serve reload, with peaks.

    `projects` maps each engine to a copy of its own. The engines take turns at every step, and the repeated steps
    (`rounds` times; the medians are kept), so a noisy moment on a shared machine hits all of them alike. Leaves each
    copy with its edited snippet as it was and up-to-date outputs.
    """
    steps = {name: engine(name) for name in projects}
    rows = {name: {"engine": name} for name in projects}
    for name, project in projects.items():
        reset(project)
        seconds, peak, log = run_all(steps[name].cold, project)
        rows[name].update({"ran cold": log.count(": ran in "), "cold s": seconds, "cold peak MB": peak / 2**20})
    for key, edit in (("no-change", False), ("one edit", True)):
        runs: dict[str, list] = {name: [] for name in projects}
        for number in range(rounds):
            for name, project in projects.items():
                if edit:  # a new output each time, so every round runs the snippet
                    edited = project / EDITED
                    edited.write_text(edited.read_text().replace(MARKER, MARKER + f'print("edit {number}")\n', 1))
                runs[name].append(run_all(steps[name].build, project))
        for name, results in runs.items():
            rows[name][f"{key} s"] = statistics.median(r[0] for r in results)
            rows[name][f"{key} peak MB"] = max(r[1] for r in results) / 2**20
    for name, project in projects.items():
        edited = project / EDITED
        edited.write_text(re.sub(r'print\("edit \d+"\)\n', "", edited.read_text()))
        run_all(steps[name].build, project)
    for name, project in projects.items():
        rows[name]["reload s"] = reload_seconds(project, steps[name].serve, rounds)
    return list(rows.values())
