"""Medians, ratios peer/ours, the printed table and the one JSON line of `make bench-peers`.

A ratio above 1.0 means the peer is slower (or uses more memory) than this project.
"""

from __future__ import annotations

import json
import statistics

FIGURES = {
    "cold_s": "cold build",
    "noop_s": "rebuild, nothing changed",
    "edit_s": "one snippet edited, then mkdocs build",
    "reload_s": "mkdocs serve: save -> new output served",
    "cold_cpu_s": "cold build, CPU s of the process tree",
    "noop_cpu_s": "nothing changed, CPU s",
    "edit_cpu_s": "one edit, CPU s",
    "peak_tree_mb": "peak memory of the process tree (MB)",
    "peak_rss_sum_mb": "same, as a sum of RSS (MB)",
}


def summarise(runs: dict[str, list[dict]], failures: dict[str, dict], versions: dict[str, str]) -> dict:
    medians = {tool: {k: statistics.median(r[k] for r in rounds) for k in FIGURES} for tool, rounds in runs.items()}
    ours = medians["ours"]
    peers = [tool for tool in medians if tool != "ours"]
    ratios = {tool: {k: medians[tool][k] / ours[k] for k in FIGURES} for tool in peers}
    leanest = min(peers, key=lambda tool: medians[tool]["peak_tree_mb"]) if peers else None
    return {
        "rounds": len(next(iter(runs.values()))),
        "versions": versions,
        "median": _rounded(medians),
        "all_runs": {tool: [_rounded(r) for r in rounds] for tool, rounds in runs.items()},
        "ratio_peer_over_ours": _rounded(ratios),
        "min_ratio": {k: round(min(ratios[t][k] for t in peers), 2) for k in FIGURES} if peers else {},
        "peak_vs_leanest_peer": round(ours["peak_tree_mb"] / medians[leanest]["peak_tree_mb"], 2) if leanest else None,
        "failures": failures,
    }


def _rounded(value):
    if isinstance(value, dict):
        return {k: _rounded(v) for k, v in value.items()}
    return round(value, 2) if isinstance(value, float) else value


def print_report(summary: dict, json_line: bool = True) -> None:
    tools = list(summary["median"])
    print(f"medians of {summary['rounds']} rounds, order rotated each round; (x) = peer/ours")
    if "numerics" in summary:
        print(f"numeric environment: {summary['numerics']}")
    print(f"{'':<42}" + "".join(f"{t:>22}" for t in tools))
    for key, label in FIGURES.items():
        cells = []
        for tool in tools:
            value = summary["median"][tool][key]
            ratio = summary["ratio_peer_over_ours"].get(tool, {}).get(key)
            cells.append(f"{value:.2f}" + (f" ({ratio:.2f}x)" if ratio is not None else ""))
        print(f"{label:<42}" + "".join(f"{c:>22}" for c in cells))
    print(f"ours' peak memory / leanest peer's: {summary['peak_vs_leanest_peer']}")
    for tool, modes in summary["failures"].items():
        for mode, found in modes.items():
            print(f"failure  {tool:<16} {mode:<7} " + ", ".join(f"{k}={v}" for k, v in found.items()))
    if json_line:
        print(json.dumps(summary, sort_keys=True), flush=True)
    else:
        print(flush=True)
