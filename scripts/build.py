"""Run the snippets under snippets/ and write their outputs to docs/generated/.

Usage: python scripts/build.py [--check [--unpinned]] [--force] [--timeout S] [--jobs N] [SNIPPET ...]
       python scripts/build.py --check [--changed-since REF [--rotate K/M]] [--shard K/N] [--report FILE]  (CI)
Exit status: 0 when everything is built (or, with --check, matches);
1 when a snippet fails or, with --check, an output is stale; 2 for bad options.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

# The build beside this file, also when run with runpy or from another checkout's venv (whose editable install
# puts that checkout's scripts/ on the path): the outputs it writes are this checkout's.
sys.path.insert(0, str(Path(__file__).resolve().parent))

from sitebuild.discover import ROOT  # noqa: E402
from sitebuild.numerics import UNPINNED_VARIABLE  # noqa: E402
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


def make_parser() -> argparse.ArgumentParser:
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
    parser.add_argument(
        "--unpinned",
        action="store_true",
        help="with --check: run without the numeric pins (scripts/sitebuild/numerics.py), as a copied snippet "
        "runs, and compare within tolerance; shows which numbers depend on the CPU",
    )
    parser.add_argument(
        "--shard", type=shard_part, metavar="K/N", help="only shard K of N of the snippets (a hash of each path)"
    )
    parser.add_argument(
        "--changed-since",
        metavar="REF",
        help="only the snippets whose execution key differs from the manifest's at git REF or in the working tree",
    )
    parser.add_argument(
        "--rotate",
        type=shard_part,
        metavar="K/M",
        help="with --changed-since: also slice K of M of the unchanged snippets (K = the CI run's number, mod M)",
    )
    parser.add_argument("--report", type=Path, metavar="FILE", help="write what was checked, stale and failed as JSON")
    parser.add_argument(
        "snippets", nargs="*", help="only these snippets (snippets/<post>/<section>/<name>.py); default: all"
    )
    return parser


def shard_part(text: str) -> tuple[int, int]:
    """ "K/N" for --shard; --rotate takes any K (a run number) and uses K mod M."""
    index, _, count = text.partition("/")
    if not (index.isdigit() and count.isdigit() and int(count) >= 1 and int(index) >= 1):
        raise argparse.ArgumentTypeError(f"give K/N with whole numbers K, N >= 1, e.g. 2/4, not {text!r}")
    return int(index), int(count)


def select(parser: argparse.ArgumentParser, args) -> list[str] | None:
    """The snippets this run builds or checks: the named ones, the changed ones (plus a slice), one shard."""
    from sitebuild import shards
    from sitebuild.discover import find_snippets
    from sitebuild.outputs import load_manifest

    named = [snippet_path(parser, name) for name in args.snippets]
    if not (args.shard or args.changed_since):
        return named or None
    snippets = [s for s in find_snippets() if not named or s.relpath in named]
    if args.changed_since:
        try:
            before = shards.base_keys(args.changed_since)
        except ValueError as exc:
            parser.error(f"--changed-since: {exc}")
        picked = {s.relpath for s in shards.changed(snippets, before, load_manifest()[0]["snippets"])}
        if args.rotate:
            turn, count = args.rotate
            picked |= {s.relpath for s in shards.in_shard(snippets, (turn - 1) % count + 1, count)}
        snippets = [s for s in snippets if s.relpath in picked]
    if args.shard:
        index, count = args.shard
        if index > count:
            parser.error(f"--shard {index}/{count}: K must be at most N")
        snippets = shards.in_shard(snippets, index, count)
    return [snippet.relpath for snippet in snippets]


def main(argv: list[str] | None = None) -> int:
    parser = make_parser()
    args = parser.parse_args(argv)
    if args.timings:
        return print_timings()
    if args.unpinned and not args.check:
        parser.error("--unpinned only goes with --check: outputs are always written under the pins")
    if args.unpinned:
        os.environ[UNPINNED_VARIABLE] = "1"
    if args.rotate and not args.changed_since:
        parser.error("--rotate only goes with --changed-since: without it every snippet is checked anyway")
    only = select(parser, args)
    try:
        report = build(force=args.force, check=args.check, timeout=args.timeout, jobs=args.jobs, only=only)
    except KeyboardInterrupt:
        print("interrupted: outputs already written are complete; the rest are unchanged", file=sys.stderr)
        return 130
    print_report(report, check=args.check)
    if args.report:
        shard = "{}/{}".format(*args.shard) if args.shard else "1/1"
        checked = sorted(only) if only is not None else sorted([*report.ran, *report.cached, *report.failures])
        data = {"shard": shard, "checked": checked, "stale": sorted(report.stale), "failures": report.failures}
        args.report.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    return 0 if report.ok else 1


def print_report(report, *, check: bool) -> None:
    """Stale outputs on stdout (a diff each), failures and the one-line summary on stderr."""
    for name, diff in report.stale.items():
        print(f"{name}: stale or edited by hand; run `python scripts/build.py` and commit the result\n{diff}\n")
    for message in report.failures.values():
        print(message, file=sys.stderr)
    if report.foreign:
        print(tolerance_summary(report), file=sys.stderr)
    rendered = f"{len(report.rendered)} re-rendered from stored runs, " if report.rendered else ""
    summary = f"{len(report.ran)} ran, {rendered}{len(report.cached)} cached, {len(report.failures)} failed"
    if check:
        summary += f", {len(report.stale)} stale outputs"
    else:
        summary += f", {len(report.written)} files written"
    print(summary, file=sys.stderr)


def tolerance_summary(report) -> str:
    """Off the reference platform: the outputs that match within tolerance, and each one's largest move."""
    head = f"compared within tolerance, since the outputs were built on another platform (this one: {report.foreign})"
    if not report.tolerated:
        return head
    name, worst = max(report.tolerated.items(), key=lambda item: item[1].size)
    lines = [
        f"{head}: {len(report.tolerated)} outputs match the reference within tolerance "
        f"(largest difference {worst.size:.1g} in {name}, line {worst.line})"
    ]
    for name, moved in sorted(report.tolerated.items()):
        if moved.size > 0:
            lines.append(f"  moved: {name}:{moved.line}: {moved.committed} is now {moved.current}")
    return "\n".join(lines)


def snippet_path(parser: argparse.ArgumentParser, name: str) -> str:
    """ "snippets/p/s/n.py" for a path given from anywhere, or a usage error naming it."""
    path = Path(name).resolve()
    if path.suffix != ".py" or not path.is_file() or not path.is_relative_to(ROOT / "snippets"):
        parser.error(
            f"{name!r} is not a snippet: give a file under snippets/, e.g. snippets/activation-functions/code/steps.py"
        )
    return path.relative_to(ROOT).as_posix()


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
