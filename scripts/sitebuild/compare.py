"""`--check`: compare freshly rendered outputs with the committed ones and report what differs.

Off the reference platform numbers are compared within tolerance (tolerance.py); otherwise bytes must match.
"""

from __future__ import annotations

import difflib

from .discover import GENERATED
from .outputs import FAILED
from .results import BuildReport
from .tolerance import judge

DIFF_LINES = 60  # per file, in --check reports
STRAY = "not written by scripts/build.py (delete it, or add its snippet)"


def compare(files: dict[str, bytes], report: BuildReport) -> None:
    """Add to `report.stale` (or `report.tolerated`) every file whose committed bytes differ from `files`."""
    for relpath, data in files.items():
        path = GENERATED / relpath
        current = path.read_bytes() if path.exists() else b""
        if current == data:
            continue
        name = f"docs/generated/{relpath}"
        if report.foreign and path.exists() and _judged_by_tolerance(name, current, data, report):
            continue
        report.stale[name] = _diff(name, current, data, path.exists())


def _judged_by_tolerance(name: str, current: bytes, data: bytes, report: BuildReport) -> bool:
    """On a foreign platform: True when the numbers decided (within, or a reported change beyond)."""
    old, new = current.decode(errors="replace"), data.decode(errors="replace")
    difference = judge(name, old, new)
    if difference is None:
        return False  # the words differ too: show the plain diff
    if difference.within:
        report.tolerated[name] = difference
    else:
        report.stale[name] = (
            f"line {difference.line}: {difference.committed} is now {difference.current}, "
            f"beyond the tolerance for {report.foreign}"
        )
    return True


def _diff(name: str, current: bytes, data: bytes, exists: bool) -> str:
    lines = list(
        difflib.unified_diff(
            current.decode(errors="replace").splitlines(),
            data.decode(errors="replace").splitlines(),
            f"{name} (committed)" if exists else f"{name} (missing)",
            f"{name} (what the snippet prints now)",
            lineterm="",
        )
    )
    if len(lines) > DIFF_LINES:
        lines = lines[:DIFF_LINES] + [f"... {len(lines) - DIFF_LINES} more diff lines"]
    return "\n".join(lines)


def report_strays(manifest: dict, report: BuildReport) -> None:
    """Files under docs/generated/ that no snippet produces."""
    expected = {"manifest.json"} | {o for e in manifest["snippets"].values() for o in e["outputs"]}
    for path in sorted(GENERATED.rglob("*")) if GENERATED.exists() else []:
        relpath = path.relative_to(GENERATED).as_posix()
        if path.is_file() and relpath not in expected and not relpath.endswith(FAILED):
            report.stale[f"docs/generated/{relpath}"] = STRAY


def reference_keys(env: dict) -> dict:
    """The parts of an environment that decide whether outputs must match byte for byte."""
    return {key: env[key] for key in ("architecture", "numerics") if key in env}
