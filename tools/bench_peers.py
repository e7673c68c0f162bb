"""Build the same site with this project and with markdown-exec, mkdocs-jupyter and mkdocs-gallery.

Usage: python tools/bench_peers.py [--rounds N] [--tools a,b] [--no-failures] [--peer-defaults]
Every tool runs under our numeric settings (sitebuild/numerics.py) unless --peer-defaults is given.
Prints a table and one JSON line (every figure, every ratio peer/ours, failure behaviour).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

from peers import measure
from peers.env import ROOT, peers_python
from peers.failures import behaviour
from peers.report import print_report, summarise
from peers.sites import make_tools

PEER_PACKAGES = ("markdown-exec", "mkdocs-gallery", "mkdocs-jupyter", "mkdocs", "mkdocs-material", "torch")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3, help="rounds, each tool once per round (default 3)")
    parser.add_argument("--tools", default="", help="comma-separated subset (ours is always included)")
    parser.add_argument("--no-failures", action="store_true", help="skip the failure-behaviour runs")
    parser.add_argument(
        "--peer-defaults",
        action="store_true",
        help="run the peers at their own numeric defaults (threads, CPU kernels) instead of our pinned ones",
    )
    args = parser.parse_args()
    measure.LIKE_FOR_LIKE[0] = not args.peer_defaults
    python = peers_python()
    with tempfile.TemporaryDirectory(prefix="bench-peers-") as scratch:
        tools = make_tools(Path(scratch), ROOT / ".venv" / "bin" / "python", python)
        if args.tools:
            tools = [t for t in tools if t.name == "ours" or t.name in args.tools.split(",")]
        runs: dict[str, list[dict]] = {t.name: [] for t in tools}
        for round_number in range(args.rounds):
            shift = round_number % len(tools)  # rotate, so no tool always runs first on a cold disk
            for tool in tools[shift:] + tools[:shift]:
                runs[tool.name].append(measure.one_round(tool))
                print(f"round {round_number + 1} {tool.name}: {runs[tool.name][-1]}", file=sys.stderr, flush=True)
        print_report(_summary(runs, {}, python), json_line=False)  # timings first, flushed
        failures = {} if args.no_failures else {t.name: _behaviour(t) for t in tools}
    print_report(_summary(runs, failures, python))
    return 0


def _summary(runs: dict, failures: dict, python: Path) -> dict:
    return summarise(runs, failures, _versions(python)) | {"numerics": measure.numerics_note()}


def _behaviour(tool) -> dict:
    """The failure behaviour, or what stopped the attempt to record it (the timings are kept either way)."""
    try:
        return behaviour(tool)
    except (Exception, SystemExit) as exc:
        return {"error": {"could_not_record": str(exc)[-500:]}}


def _versions(python: Path) -> dict[str, str]:
    code = "import sys; from importlib import metadata as m; print(*(m.version(n) for n in sys.argv[1:]))"
    out = subprocess.run([python, "-c", code, *PEER_PACKAGES], capture_output=True, text=True, check=True)
    return dict(zip(PEER_PACKAGES, out.stdout.split(), strict=True)) | {"python": sys.version.split()[0]}


if __name__ == "__main__":
    sys.exit(main())
