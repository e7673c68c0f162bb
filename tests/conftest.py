"""Shared fixtures: the repository's paths and throw-away copies of the project."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
GENERATED = ROOT / "docs" / "generated"
PYTHON = sys.executable


def run_build(project: Path, *args: str, timeout: float = 600) -> subprocess.CompletedProcess:
    """Run the real build CLI in `project`, as an author would."""
    return subprocess.run(
        [PYTHON, "scripts/build.py", *args],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
    )


def copy_project(target: Path) -> Path:
    """A copy of the whole working tree (pages, snippets, build, config), without caches and the venv."""
    skip = shutil.ignore_patterns(".git", ".venv", "site", ".cache", "__pycache__", "node_modules", ".*_cache")
    shutil.copytree(ROOT, target, ignore=skip)
    return target


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under `folder`, by relative path, for byte-for-byte comparisons."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def copy_mini_project(project: Path, *slugs: str) -> Path:
    """A copy of the build code with only some snippets and their committed outputs.

    Its manifest keeps just those snippets, so `build.py --check` passes on it
    exactly as it does on the repository.
    """
    shutil.copytree(ROOT / "scripts", project / "scripts", ignore=shutil.ignore_patterns("__pycache__"))
    manifest = json.loads((GENERATED / "manifest.json").read_text())
    kept = {}
    for slug in slugs:
        relpath = f"snippets/{slug}.py"
        (project / relpath).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / relpath, project / relpath)
        kept[relpath] = manifest["snippets"][relpath]
        for output in kept[relpath]["outputs"]:
            target = project / "docs" / "generated" / output
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(GENERATED / output, target)
    manifest["snippets"] = kept
    out = project / "docs" / "generated" / "manifest.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    return project


@pytest.fixture
def mini_project(tmp_path: Path):
    """`copy_mini_project` into this test's temporary folder: `mini_project("code/steps")`."""

    def make(*slugs: str) -> Path:
        return copy_mini_project(tmp_path / "project", *slugs)

    return make


HASWELL_CHECK = ["-cpu", "Haswell", PYTHON, "scripts/build.py", "--check", "--jobs", "1", "snippets/code/steps.py"]


def pytest_collection_finish(session) -> None:
    """Start the emulated Haswell check as soon as it is collected: it runs beside the rest of the suite."""
    qemu = shutil.which("qemu-x86_64")
    wanted = any("haswell" in item.nodeid for item in session.items)
    session.config.haswell_run = (
        subprocess.Popen([qemu, *HASWELL_CHECK], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        if qemu and wanted
        else None
    )


def pytest_terminal_summary(terminalreporter) -> None:
    """The page-weight table of the browser tests (tests/browser/), when they ran in this session."""
    table = getattr(terminalreporter.config, "browser_report", None)
    if table:
        terminalreporter.write_sep("-", "browser: page weight and axe (.cache/browser-report/)")
        terminalreporter.write_line(table)
