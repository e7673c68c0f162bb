"""Run the snippets under snippets/ and write their outputs to docs/generated/.

Usage: python scripts/build.py [--check] [--force] [--timeout S]
Exit status: 0 when everything is built (or, with --check, matches);
1 when a snippet fails or, with --check, an output is stale; 2 for bad options.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from sitebuild.pipeline import DEFAULT_JOBS, TIMINGS, build  # noqa: E402


def positive_jobs(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"--jobs takes a whole number of at least 1 (e.g. --jobs 2), not {text!r}")
    return int(text)


def positive_seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if value <= 0:
        raise argparse.ArgumentTypeError(
            f"--timeout takes a number of seconds above 0 (e.g. --timeout 300), not {text!r}"
        )
    return value


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--check", action="store_true", help="run everything afresh, write nothing, diff against committed outputs"
    )
    parser.add_argument("--force", action="store_true", help="ignore the cache and rerun every snippet")
    parser.add_argument(
        "--timeout", type=positive_seconds, default=300.0, help="seconds one snippet may take (default 300)"
    )
    parser.add_argument(
        "--jobs", type=positive_jobs, default=DEFAULT_JOBS, help=f"snippets run at once (default {DEFAULT_JOBS})"
    )
    parser.add_argument(
        "--timings", action="store_true", help="print each snippet's last run time, slowest first, and exit"
    )
    args = parser.parse_args(argv)
    if args.timings:
        return print_timings()
    try:
        report = build(force=args.force, check=args.check, timeout=args.timeout, jobs=args.jobs)
    except KeyboardInterrupt:
        print("interrupted: outputs already written are complete; the rest are unchanged", file=sys.stderr)
        return 130
    for name, diff in report.stale.items():
        print(f"{name}: stale or edited by hand; run `python scripts/build.py` and commit the result\n{diff}\n")
    for message in report.failures.values():
        print(message, file=sys.stderr)
    summary = f"{len(report.ran)} ran, {len(report.cached)} cached, {len(report.failures)} failed"
    if args.check:
        summary += f", {len(report.stale)} stale outputs"
    else:
        summary += f", {len(report.written)} files written"
    print(summary, file=sys.stderr)
    return 0 if report.ok else 1


def print_timings() -> int:
    import json

    if not TIMINGS.exists():
        print("no timings yet: run `python scripts/build.py --force` first")
        return 0
    timings = json.loads(TIMINGS.read_text())
    width = max(map(len, timings), default=10)
    for name, seconds in sorted(timings.items(), key=lambda item: -item[1]):
        print(f"{name:<{width}}  {seconds:8.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
