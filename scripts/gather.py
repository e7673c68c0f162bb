"""Gather the sharded `build.py --check` jobs' reports: one list of every stale output and failed snippet.

Usage: python scripts/gather.py SHARDS REPORT.json ...   (SHARDS: how many shards ran, e.g. 4)
Exit status: 0 when every shard reported and all matched; 1 otherwise (a missing report counts as a failure).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path


def gather(count: int, paths: list[Path]) -> tuple[list[str], int]:
    """(lines to print, exit status)."""
    reports = {}
    for path in paths:
        report = json.loads(path.read_text(encoding="utf-8"))
        reports[report["shard"]] = report
    lines, checked = [], 0
    for index in range(1, count + 1):
        name = f"{index}/{count}"
        report = reports.get(name)
        if report is None:
            lines.append(f"shard {name}: no report (the job failed before its check finished; see its log)")
            continue
        checked += len(report["checked"])
        lines += [f"shard {name}: {output}: stale or edited by hand" for output in report["stale"]]
        lines += [f"shard {name}: {message.splitlines()[0]}" for message in report["failures"].values()]
    bad = len(lines)
    lines.append(f"{checked} snippets checked in {count} shards: {bad} problems")
    return lines, int(bad > 0)


def main(argv: list[str]) -> int:
    if len(argv) < 1 or not argv[0].isdigit() or int(argv[0]) < 1:
        print(__doc__.splitlines()[2], file=sys.stderr)
        return 2
    lines, status = gather(int(argv[0]), [Path(arg) for arg in argv[1:]])
    print("\n".join(lines))
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
