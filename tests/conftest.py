"""Shared fixtures: the repository's paths and throw-away copies of the project."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from filelock import FileLock

ROOT = Path(__file__).resolve().parents[1]
GENERATED = ROOT / "docs" / "generated"
PYTHON = sys.executable
# scripts/ holds the build, the plugin and the page checkers (pages.py, prose.py) that tests and tools share;
# tools/ the benchmarks, screenshots and mutation check, which some tests run too. This checkout's, first.
for folder in ("tools", "scripts"):
    if str(ROOT / folder) not in sys.path:
        sys.path.insert(0, str(ROOT / folder))
from siteserve import ENV, build_site, mkdocs_env, serve  # noqa: E402 - after the path set-up above

# The typo every "a snippet fails" test injects into snippets/activation-functions/code/steps.py.
GOOD_LINE, BROKEN_LINE = "z = torch.linspace", "z = torch.linspaec"


def run_build(project: Path, *args: str, timeout: float = 600) -> subprocess.CompletedProcess:
    """Run the real build CLI in `project`, as an author would."""
    return subprocess.run(
        [PYTHON, "scripts/build.py", *args],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=timeout,
        env=ENV,
    )


def run_mkdocs(project: Path, *args: str, timeout: float = 600) -> subprocess.CompletedProcess:
    """`mkdocs ARGS` in `project`, with this interpreter's MkDocs."""
    return subprocess.run(
        [PYTHON, "-m", "mkdocs", *args],
        cwd=project,
        capture_output=True,
        text=True,
        env=mkdocs_env(project),
        timeout=timeout,
    )


def break_snippet(path: Path) -> str:
    """Put a typo into a snippet (an AttributeError at run time); returns the good text to restore."""
    good = path.read_text()
    assert GOOD_LINE in good, f"{path} no longer has the line `{GOOD_LINE}` the fault tests break"
    path.write_text(good.replace(GOOD_LINE, BROKEN_LINE))
    return good


def wait_until(condition, seconds: float, what: str, pause: float = 0.05):
    """Poll `condition` until it returns something truthy (returned) or the deadline passes (fails)."""
    deadline = time.monotonic() + seconds
    while not (result := condition()):
        assert time.monotonic() < deadline, f"gave up after {seconds} s waiting for {what}"
        time.sleep(pause)
    return result


def free_port() -> int:
    """A TCP port nothing listens on now, for a server the test starts."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


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
    """`copy_mini_project` into this test's temporary folder: `mini_project("activation-functions/code/steps")`."""

    def make(*slugs: str) -> Path:
        return copy_mini_project(tmp_path / "project", *slugs)

    return make


@pytest.fixture(scope="session")
def built_site(tmp_path_factory, worker_id) -> Path:
    """The site from one strict build of the repository, laid out under the GitHub Pages prefix.

    MkDocs builds it; `SITE_ENGINE=zensical` has Zensical build it instead (from a copy of the project), so the
    browser suite can be run on either engine's site. Built once per run: xdist workers share it through a folder
    and a lock beside their own temporary folders, as pytest-xdist documents for session fixtures ("Making
    session-scoped fixtures execute only once").
    """
    engine = os.environ.get("SITE_ENGINE", "mkdocs")

    def build(root: Path) -> Path:
        project = ROOT if engine == "mkdocs" else copy_project(root.parent / f"{root.name}-project")
        return build_site(root, engine=engine, project=project)

    if worker_id == "master":  # no xdist: this process is the only one
        return build(tmp_path_factory.mktemp("site"))
    shared = tmp_path_factory.getbasetemp().parent / "site"
    with FileLock(f"{shared}.lock"):
        done = shared / "built"  # written last, so a build that failed is tried again by the next worker
        if not done.exists():
            shutil.rmtree(shared, ignore_errors=True)
            shutil.rmtree(shared.parent / f"{shared.name}-project", ignore_errors=True)
            site = build(shared)
            done.write_text(str(site))
        return Path(done.read_text())


@pytest.fixture(scope="session")
def served_site(built_site):
    """(base URL, site folder): `built_site` served on localhost with gzip, as GitHub Pages serves it."""
    server, base_url = serve(built_site)
    yield base_url, built_site
    server.shutdown()
    server.server_close()


def pytest_sessionstart(session) -> None:
    session.config.started_at = time.time()


def pytest_terminal_summary(terminalreporter) -> None:
    """The page-weight table, when the browser tests wrote it in this run (in whichever xdist worker)."""
    report = ROOT / ".cache" / "browser-report" / "report.md"
    if report.exists() and report.stat().st_mtime >= terminalreporter.config.started_at:
        terminalreporter.write_sep("-", "browser: page weight and axe (.cache/browser-report/)")
        terminalreporter.write_line(report.read_text(encoding="utf-8").strip())
