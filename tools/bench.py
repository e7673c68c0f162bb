"""Measure the build's cost against its floor, on a temporary copy of the project.

Prints a table, then each engine's author loop (tools/engines.py: cold, no-change, one edit, serve reload, peak
memory; issue 30), then one line of JSON with the keys issue 7 asks for. All figures come from this one run, so
compare the ratios, not the seconds.
Usage: python tools/bench.py [--no-tests] [--engines mkdocs,properdocs,zensical] [--rounds 3]
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from engines import ENGINES, author_loops
from siteserve import ENV, mkdocs_env

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable

# One process, torch and matplotlib imported once, every cell of every snippet
# run in turn: no fork, no capture of figures, nothing written.
FLOOR = """
import io, sys, contextlib, pathlib
import matplotlib; matplotlib.use("Agg")
import matplotlib.pyplot as plt, torch
sys.path.insert(0, "scripts")
from sitebuild.discover import find_snippets
for snippet in find_snippets():
    namespace = {"__name__": "__main__"}
    with contextlib.redirect_stdout(io.StringIO()):
        for cell in snippet.cells:
            exec(compile("\\n" * (cell.first_line - 1) + cell.code, snippet.relpath, "exec"), namespace)
    plt.close("all")
"""

NOOP_PROBE = """
import runpy, sys
sys.argv = ["scripts/build.py"]
try:
    runpy.run_path("scripts/build.py", run_name="__main__")
except SystemExit:
    pass
print("torch" in sys.modules)
"""


def timed(args: list[str], cwd: Path) -> tuple[float, subprocess.CompletedProcess]:
    started = time.perf_counter()
    result = subprocess.run(args, cwd=cwd, env=mkdocs_env(Path(cwd)), capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return seconds, result


def copy_project(into: Path) -> Path:
    """A copy of the project in `into`/project, without git, venv, site or caches."""
    project = into / "project"
    skip = shutil.ignore_patterns(".git", ".venv", "site", ".cache", "__pycache__", "node_modules", ".*_cache")
    shutil.copytree(ROOT, project, ignore=skip)
    (project / "mkdocs-bare.yml").write_text("INHERIT: mkdocs.yml\nhooks: []\n")
    return project


def counts() -> dict[str, int]:
    """How much the suite covers: snippets, cells, doctest examples, tests."""
    from pages import examples, pages
    from sitebuild.discover import find_snippets

    snippets = find_snippets()
    collected = subprocess.run(
        [PYTHON, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider"],
        cwd=ROOT,
        env=ENV,
        capture_output=True,
        text=True,
    )
    return {
        "snippets": len(snippets),
        "cells": sum(len(s.cells) for s in snippets),
        "doctest_examples": sum(e.text.count(">>> ") for p in pages() for e in examples(p)),
        "tests": sum(1 for line in collected.stdout.splitlines() if "::" in line),
    }


def portability_seconds() -> dict[str, float | str]:
    """The last `make portability` run (it takes minutes under emulation, so bench reads its record)."""
    record = ROOT / ".cache" / "portability.json"
    if not record.exists():
        return {"portability_s": "not run here"}  # no record of `make portability` on this machine
    return {"portability_s": json.loads(record.read_text())["total_seconds"]}


def measure(skip_tests: bool = False, engines: tuple[str, ...] = ENGINES, rounds: int = 3) -> dict:
    """Every timing and count of the benchmark, measured on a copy of the project."""
    with tempfile.TemporaryDirectory(prefix="bench-") as scratch:
        project = copy_project(Path(scratch))
        import_s, _ = timed([PYTHON, "-c", "import torch, matplotlib.pyplot"], project)
        limit_s, _ = timed([PYTHON, "-c", FLOOR], project)
        cold_s, _ = timed([PYTHON, "scripts/build.py", "--force"], project)
        noop_s, _ = timed([PYTHON, "scripts/build.py"], project)
        _, probe = timed([PYTHON, "-c", NOOP_PROBE], project)
        # Warm-up: the first build fills the notebook page's and the MathML caches (.cache/).
        timed([PYTHON, "-m", "mkdocs", "build", "-d", f"{scratch}/site0"], project)
        mkdocs_runs, bare_runs = [], []
        for _ in range(3):  # alternate, so a noisy moment hits both alike; keep the medians
            mkdocs_runs.append(timed([PYTHON, "-m", "mkdocs", "build", "-d", f"{scratch}/site1"], project)[0])
            bare = [PYTHON, "-m", "mkdocs", "build", "-f", "mkdocs-bare.yml", "-d", f"{scratch}/site2"]
            bare_runs.append(timed(bare, project)[0])
        mkdocs_s, mkdocs_bare_s = sorted(mkdocs_runs)[1], sorted(bare_runs)[1]
        strict_s, _ = timed([PYTHON, "-m", "mkdocs", "build", "--strict", "-d", f"{scratch}/site3"], project)
        # Each engine in a copy of its own, from no outputs and no caches, the engines taking turns at every step.
        rows = author_loops({name: copy_project(Path(scratch) / name) for name in engines}, rounds)
    tests_s = None if skip_tests else timed([PYTHON, "-m", "pytest", "-q", "-p", "no:cacheprovider"], ROOT)[0]
    figures = {
        "import_s": round(import_s, 2),
        "limit_s": round(limit_s, 2),
        "cold_s": round(cold_s, 2),
        "cold_ratio": round(cold_s / limit_s, 2),
        "noop_s": round(noop_s, 2),
        "noop_imports_torch": probe.stdout.strip() == "True",
        "mkdocs_s": round(mkdocs_s, 2),
        "mkdocs_bare_s": round(mkdocs_bare_s, 2),
        "mkdocs_strict_s": round(strict_s, 2),
        "reload_s": round(next((r["reload s"] for r in rows if r["engine"] == "mkdocs"), 0.0), 2),
        "tests_s": "skipped" if tests_s is None else round(tests_s, 2),
    }
    figures.update(counts())
    figures.update(portability_seconds())
    figures["engines"] = [{k: round(v, 2) if isinstance(v, float) else v for k, v in row.items()} for row in rows]
    return figures


ENGINE_COLUMNS = ["cold s", "no-change s", "one edit s", "reload s", "cold peak MB", "no-change peak MB"]


def engine_table(rows: list[dict]) -> str:
    """One line per engine; serve reload (edit to page) is held to the issue's 3 s under every engine."""
    lines = ["| engine | " + " | ".join(ENGINE_COLUMNS) + " | reload <= 3 |", "|" + "---|" * (len(ENGINE_COLUMNS) + 2)]
    for row in rows:
        cells = [f"{row[k]:.2f}" if row[k] < 100 else f"{row[k]:.0f}" for k in ENGINE_COLUMNS]
        lines.append(
            f"| {row['engine']} | " + " | ".join(cells) + f" | {'met' if row['reload s'] <= 3 else 'missed'} |"
        )
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-tests", action="store_true", help="skip the test suite's time (quick iterations)")
    parser.add_argument(
        "--engines", default=",".join(ENGINES), help=f"engines to compare (default {','.join(ENGINES)})"
    )
    parser.add_argument("--rounds", type=int, default=3, help="runs of each engine's repeated steps (default 3)")
    args = parser.parse_args()
    figures = measure(skip_tests=args.no_tests, engines=tuple(args.engines.split(",")), rounds=args.rounds)
    mkdocs_bare_s = figures["mkdocs_bare_s"]
    targets = {
        "cold_ratio": "<= 1.3",
        "noop_imports_torch": "false",
        "mkdocs_s": f"<= mkdocs_bare_s + 0.3 = {mkdocs_bare_s + 0.3:.2f}",
        "reload_s": "<= 3",
    }
    for key, value in figures.items():
        if key != "engines":
            print(f"{key:<20} {value!s:>8}   {targets.get(key, '')}")
    print()
    print(engine_table(figures["engines"]))
    print()
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
