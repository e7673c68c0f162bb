"""Prove the committed outputs on other x86-64 CPUs, emulated with qemu-user, and within tolerance on aarch64.

Part 1: `build.py --check` under each CPU model must find every output byte-identical (pinned). `--cpus aarch64`
runs it on an emulated ARM CPU instead (tools/aarch64.py: Neoverse-N1, PyTorch's aarch64 wheel at the pin), where
the check compares numbers within tolerance and figures as pictures, and reports the outputs whose numbers moved.
Part 2: each experiment, run as a reader runs it (plain `python`, no pins), must print exactly the
committed text under every kernel dispatch this machine offers: its printed statistics are robust.
Usage: python tools/portability.py [--cpus native,Haswell,EPYC-Rome|aarch64] [--skip-statistics] [--shard K/N]
(--shard: only the snippets, and the experiments, of shard K of N: sitebuild/shards.py, as CI splits them)
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from sitebuild.numerics import SETTINGS

ROOT = Path(__file__).resolve().parents[1]


CPUS = ["native", "Haswell", "EPYC-Rome"]  # this machine (AVX-512), Intel AVX2, AMD AVX2
# Unpinned: what a reader gets without the settings, on this CPU and two narrower kernel choices.
DISPATCHES = {
    "native": ({}, "native"),
    "ATEN_CPU_CAPABILITY=default": ({"ATEN_CPU_CAPABILITY": "default"}, "native"),
    "ATEN_CPU_CAPABILITY=avx2": ({"ATEN_CPU_CAPABILITY": "avx2"}, "native"),
    "qemu -cpu Haswell": ({}, "Haswell"),
}
EXPERIMENTS = sorted((ROOT / "snippets").glob("*/experiments/*.py"))  # every post's experiments
PYTHON = str(ROOT / ".venv" / "bin" / "python") if (ROOT / ".venv").exists() else sys.executable
RECORD = ROOT / ".cache" / "portability.json"
TIMEOUT = 3600  # seconds per command: emulation is about 20 times slower than the real CPU


ARM = "aarch64"  # not an x86-64 model: tools/aarch64.py's emulated Neoverse-N1


def python_on(cpu: str) -> list[str]:
    """The command that runs Python on `cpu`: this machine's, qemu-user's x86-64 model, or tools/aarch64.py's."""
    if cpu == "native":
        return [PYTHON]
    if cpu == ARM:
        return [PYTHON, str(ROOT / "tools" / "aarch64.py"), "--"]
    qemu = shutil.which("qemu-x86_64")
    if qemu is None:
        raise SystemExit("qemu-x86_64 not found: install Debian's qemu-user (apt-get install -y qemu-user)")
    return [qemu, "-cpu", cpu, PYTHON]


def check_bytes(cpu: str, snippets: list[str], shard: str | None = None) -> tuple[bool, float, str]:
    """`build.py --check` on `cpu`; one job, because qemu 7.2 can crash when a pool thread forks."""
    started = time.perf_counter()
    timeout = ["--timeout", str(TIMEOUT)]  # the default 300 s per snippet is too short under emulation
    selection = ["--shard", shard] if shard else []
    command = [*python_on(cpu), "scripts/build.py", "--check", "--jobs", "1", *timeout, *selection, *snippets]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=TIMEOUT * 4)
    report = result.stdout + "\n".join(
        line for line in result.stderr.splitlines() if "qemu-x86_64: warning" not in line
    )
    if cpu == ARM:  # another CPU family: numbers within tolerance, the moved ones named in the report
        return result.returncode == 0, time.perf_counter() - started, report
    exact = result.returncode == 0 and "within tolerance" not in result.stderr
    return exact, time.perf_counter() - started, report


def committed_stdout(snippet: Path) -> str:
    """What the page shows the experiment printing: the stdout streams of its committed notebook."""
    notebook = ROOT / "docs" / "generated" / snippet.relative_to(ROOT / "snippets").with_suffix(".ipynb")
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    streams = [o for c in cells for o in c.get("outputs", []) if o.get("name") == "stdout"]
    return "".join("".join(o["text"]) if isinstance(o["text"], list) else o["text"] for o in streams)


def run_unpinned(snippet: Path, variables: dict[str, str], cpu: str) -> tuple[str, float]:
    """Run one experiment as a copied script, with none of the build's settings, and return its stdout."""
    env = {k: v for k, v in os.environ.items() if k not in SETTINGS} | variables | {"MPLBACKEND": "Agg"}
    started = time.perf_counter()
    result = subprocess.run(
        [*python_on(cpu), str(snippet.relative_to(ROOT))],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=TIMEOUT,
    )  # fmt: skip
    if result.returncode != 0:
        return f"FAILED ({result.returncode}): {result.stderr.strip().splitlines()[-1:]}", 0.0
    return result.stdout, time.perf_counter() - started


def statistics(experiments: list[Path]) -> dict[str, dict[str, bool]]:
    """For each dispatch and experiment: does the plain run print exactly the committed text?"""
    table: dict[str, dict[str, bool]] = {}
    jobs = [(name, snippet) for name in DISPATCHES for snippet in experiments]
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        outputs = pool.map(lambda job: run_unpinned(job[1], *DISPATCHES[job[0]]), jobs)
        for (name, snippet), (printed, seconds) in zip(jobs, outputs, strict=True):
            same = printed == committed_stdout(snippet)
            table.setdefault(name, {})[snippet.stem] = same
            print(f"  {name:<28} {snippet.stem:<20} {'same' if same else 'DIFFERENT'} ({seconds:.0f} s)", flush=True)
            if not same:
                print(_first_difference(committed_stdout(snippet), printed), flush=True)
    return table


def _first_difference(expected: str, printed: str) -> str:
    for number, (old, new) in enumerate(zip(expected.splitlines(), printed.splitlines(), strict=False), start=1):
        if old != new:
            return f"    line {number}: page shows {old!r}\n    {'':{len(str(number)) + 5}} printed {new!r}"
    return f"    {len(expected.splitlines())} lines on the page, {len(printed.splitlines())} printed"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cpus", default=",".join(CPUS), help=f"qemu CPU models, or native (default {CPUS})")
    parser.add_argument("--skip-statistics", action="store_true", help="only part 1, the byte check")
    parser.add_argument("--shard", metavar="K/N", help="only shard K of N of the snippets and experiments")
    parser.add_argument("snippets", nargs="*", help="limit part 1 to these snippets")
    args = parser.parse_args(argv)
    experiments = EXPERIMENTS
    if args.shard:
        from sitebuild.shards import shard_of

        index, _, count = args.shard.partition("/")
        experiments = [e for e in EXPERIMENTS if shard_of(e.relative_to(ROOT).as_posix(), int(count)) == int(index)]
    cpus, started = args.cpus.split(","), time.perf_counter()
    print(f"part 1: build.py --check under {', '.join(cpus)}", flush=True)
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        checks = dict(zip(cpus, pool.map(lambda cpu: check_bytes(cpu, args.snippets, args.shard), cpus), strict=True))
    for cpu, (exact, seconds, report) in checks.items():
        verdict = ("within tolerance" if cpu == ARM else "byte-identical") if exact else "DIFFERENT"
        print(f"  {cpu:<12} {verdict} ({seconds:.0f} s)", flush=True)
        if not exact or cpu == ARM:
            print(report)
    table = {}
    if not args.skip_statistics:
        print("part 2: experiments run unpinned, as a reader runs them", flush=True)
        table = statistics(experiments)
    ok = all(exact for exact, _, _ in checks.values()) and all(all(row.values()) for row in table.values())
    seconds = {cpu: round(s, 1) for cpu, (_, s, _) in checks.items()}
    total = round(time.perf_counter() - started, 1)
    summary = {"ok": ok, "total_seconds": total, "seconds": seconds, "statistics": table}
    RECORD.parent.mkdir(exist_ok=True)
    RECORD.write_text(json.dumps(summary, indent=2) + "\n")  # tools/bench.py reports the time
    print(json.dumps(summary))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
