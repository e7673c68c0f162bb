"""Faults and bad input: the build names what broke and never loses a good output.

Most faulty snippets share one real build of one temporary project (the build
goes on past a failing snippet, so each one is reported on its own); faults of
the build itself (a corrupt manifest, SIGKILL, two builds at once, broken
links) get a project each. The hung snippet gets a build of its own in the
same project, with a short timeout of its own; the shared build's timeout is
generous, so a slow machine cannot fail a snippet that merely runs slowly.
"""

from __future__ import annotations

import json
import re
import signal
import subprocess
from pathlib import Path

import pytest
from conftest import ENV, PYTHON, copy_mini_project, copy_project, run_build, run_mkdocs, snapshot, wait_until
from fault_cases import FAULTS, GOOD, HANG, HANG_TIMEOUT

SHARED_TIMEOUT = 120  # seconds per snippet of the shared build: each takes about one, even under load
# How far the build's peak RSS may rise above a bare `import torch, matplotlib` (about 250 MB):
# keeping all 50 MB of the printed text would add 100 MB in the child alone, more in the parent.
EXTRA_RSS_LIMIT_MB = 50


@pytest.fixture(scope="module")
def faulty_build(tmp_path_factory):
    """One build of code/steps plus every snippet above, then one of the hung snippet alone.

    Returns the project, the build's CompletedProcess, the outputs before it, the hung snippet's build
    and the file where it wrote its child's pid, and the peak RSS (MB) of a bare torch import and of the build.
    """
    project = copy_mini_project(tmp_path_factory.mktemp("faults") / "project", "activation-functions/code/steps")
    assert run_build(project).returncode == 0
    good = snapshot(project / "docs/generated")
    pid_file = project.parent / "child.pid"  # outside the project: not one of the snippet's own files
    author_rc = project.parent / "matplotlibrc"  # an author's own settings, which must not reach the figures
    author_rc.write_text("lines.linewidth: 7\n")
    folder = project / "snippets/post/faults"
    folder.mkdir(parents=True)
    for name, fault in FAULTS.items():
        (folder / f"{name}.py").write_bytes(fault.body.replace(b"{pid_file}", str(pid_file).encode()))
    for name, body in GOOD.items():
        (folder / f"{name}.py").write_text(body)
    measure = (  # peak RSS (MB) of a bare import, then of the build and its children
        "import resource, subprocess, sys\n"
        "def peak(): return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024\n"
        "subprocess.run([sys.argv[1], '-c', 'import torch, matplotlib.pyplot'])\n"
        "bare = peak()\n"
        "code = subprocess.run(sys.argv[1:]).returncode\n"
        "print(bare, peak(), file=sys.stderr)\n"
        "sys.exit(code)\n"
    )
    result = subprocess.run(
        [PYTHON, "-c", measure, PYTHON, "scripts/build.py", "--timeout", str(SHARED_TIMEOUT)],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=600,
        env={**ENV, "MATPLOTLIBRC": str(author_rc)},
    )
    bare_mb, peak_mb = map(int, result.stderr.splitlines()[-1].split())
    hung = folder / "hang_with_child.py"
    hung.write_bytes(HANG.body.replace(b"{pid_file}", str(pid_file).encode()))
    hang_result = run_build(project, "--timeout", str(HANG_TIMEOUT), "snippets/post/faults/hang_with_child.py")
    return project, result, good, (hang_result, pid_file), (bare_mb, peak_mb)


@pytest.mark.parametrize("name", FAULTS)
def test_faulty_snippet_is_named_with_its_line(faulty_build, name):
    _, result, *_ = faulty_build
    assert FAULTS[name].message in result.stderr, result.stderr


def test_the_traceback_shows_the_authors_own_line(faulty_build):
    _, result, *_ = faulty_build
    assert "x = math.log(-1)" in result.stderr


def test_faulty_snippets_fail_the_build_and_every_good_output_stays(faulty_build):
    project, result, good, *_ = faulty_build
    assert result.returncode == 1
    assert f"{len(GOOD)} ran, 1 cached, {len(FAULTS)} failed" in result.stderr
    assert "sitebuild" not in result.stderr  # no frame of the build's own code
    after = snapshot(project / "docs/generated")
    assert {path: after.get(path) for path in _outputs(good)} == _outputs(good)
    outputs = [path for path in after if any(f"post/faults/{name}" in path for name in FAULTS)]
    # A failed snippet leaves only its error, for the pages' notice (sitepages/snippets.py); never an output.
    assert sorted(outputs) == sorted(f"post/faults/{name}.failed.txt" for name in FAULTS)
    manifest = json.loads(after["manifest.json"])
    listed = ["snippets/activation-functions/code/steps.py"] + [
        f"snippets/post/faults/{name}.py" for name in sorted(GOOD)
    ]
    assert sorted(manifest["snippets"]) == listed


def test_a_hung_snippet_is_named_with_its_line_and_fails_its_build(faulty_build):
    *_, (result, _), _ = faulty_build
    assert result.returncode == 1
    assert HANG.message in result.stderr, result.stderr


def test_a_hung_snippet_is_killed_with_every_process_it_started(faulty_build):
    *_, (_, pid_file), _ = faulty_build
    pid = int(pid_file.read_text())
    # SIGKILL is delivered at once; the kernel may take a moment to reap
    wait_until(lambda: not _alive(pid), 5, f"the snippet's child process {pid} to die with the build")


def test_fifty_megabytes_of_prints_do_not_blow_up_memory(faulty_build):
    *_, (bare_mb, peak_mb) = faulty_build
    assert peak_mb < bare_mb + EXTRA_RSS_LIMIT_MB, f"the build peaked at {peak_mb} MB, importing torch takes {bare_mb}"


def test_nothing_a_snippet_changes_reaches_the_next_one_nor_does_the_authors_matplotlibrc(faulty_build):
    project, *_ = faulty_build
    cell = (project / "docs/generated/post/faults/z_sees_clean_state/cell-1.md").read_text()
    assert re.search(r"^torch\.float32 1\.5 False None cwd$", cell, re.M), cell


def test_a_warning_is_shown_with_its_file_and_line_and_the_snippet_still_builds(faulty_build):
    project, result, *_ = faulty_build
    assert "warning: snippets/post/faults/warns.py:5: UserWarning: check this" in result.stderr
    assert "fine" in (project / "docs/generated/post/faults/warns/cell-1.md").read_text()


def test_dozens_of_unclosed_figures_are_all_captured_then_closed(faulty_build):
    project, *_ = faulty_build
    out = project / "docs/generated/post/faults/dozens_of_figures"
    assert len(list(out.glob("cell-1-fig-*-dark.svg"))) == 30
    assert len(list(out.glob("cell-1-fig-*.svg"))) == 60
    assert (out / "cell-1.md").read_text().count("![figure ") == 60  # light and dark, each with its alt text
    assert "open figures: 0" in (out / "cell-2.md").read_text()


def test_bytes_that_are_not_utf8_and_colour_codes_are_shown_as_escapes(faulty_build):
    project, *_ = faulty_build
    cell = (project / "docs/generated/post/faults/bytes_and_ansi/cell-1.md").read_bytes().decode("utf-8")
    assert "caf\\xe9 \\xff then é whole\n" in cell  # a character split across two writes stays whole
    assert "\\x1b[31mred\\x1b[0m lone \\udce9\n" in cell
    assert "\x1b" not in cell
    notebook = json.loads((project / "docs/generated/post/faults/bytes_and_ansi.ipynb").read_text(encoding="utf-8"))
    assert any("caf\\xe9" in "".join(o.get("text", "")) for c in notebook["cells"] for o in c.get("outputs", []))


def _outputs(files: dict[str, bytes]) -> dict[str, bytes]:
    """Every output but the manifest, whose cache keys change whenever the build code does."""
    return {path: data for path, data in files.items() if path != "manifest.json"}


def _alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"  # a zombie has stopped; only its exit status is left


# ---- faults of the build itself ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (b'{"version": 1, "snippets": {"snippets/co', "is corrupt (not JSON"),
        (b'{"version": 0, "snippets": {}}', "is from another version of the build (version 0, this build writes 1)"),
        (b'{"version": 1, "snippets": {"x.py": {"key": "k", "outputs": {"../../x": "0"}}}}', "is corrupt (a snippet"),
    ],
    ids=["truncated", "other-version", "path-outside"],
)
def test_a_damaged_manifest_is_detected_and_rebuilt(mini_project, damage, message):
    project = mini_project("activation-functions/silu/swiglu")
    good = snapshot(project / "docs/generated")
    (project / "docs/generated/manifest.json").write_bytes(damage)
    result = run_build(project)
    assert result.returncode == 0, result.stderr
    assert f"docs/generated/manifest.json {message}" in result.stderr
    assert "rebuilding every snippet" in result.stderr
    assert "Traceback" not in result.stderr
    rebuilt = snapshot(project / "docs/generated")
    assert _outputs(rebuilt) == _outputs(good)
    assert json.loads(rebuilt["manifest.json"])["snippets"].keys() == {"snippets/activation-functions/silu/swiglu.py"}


SLOW = "# slow\nimport pathlib, os, time\n\n# %% Step 1\npathlib.Path('{pid_file}').write_text(str(os.getpid()))\n"


def test_a_build_killed_halfway_leaves_no_partial_output_and_the_next_one_recovers(mini_project, tmp_path):
    project = mini_project("activation-functions/silu/swiglu")
    generated = project / "docs/generated"
    good = snapshot(generated)
    pid_file = tmp_path / "slow.pid"
    slow = project / "snippets/post/faults/slow.py"
    slow.parent.mkdir(parents=True)
    slow.write_text(SLOW.format(pid_file=pid_file) + "time.sleep(600)\n")
    build = subprocess.Popen(
        [PYTHON, "scripts/build.py"], cwd=project, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        wait_until(pid_file.exists, 60, "the slow snippet to start")
        snippet_pid = int(pid_file.read_text())
        build.send_signal(signal.SIGKILL)
        build.wait(timeout=10)
    finally:
        build.kill()
    # the snippet (and anything it started) dies with the build, instead of running on unseen
    wait_until(lambda: not _alive(snippet_pid), 5, "the orphaned snippet to die")
    assert _outputs(snapshot(generated)) == _outputs(good)  # nothing truncated, nothing lost
    # what a build killed between writing a temp file and renaming it leaves behind
    (generated / "activation-functions/silu/.partial-x1y2").write_bytes(b"half of an output")

    slow.unlink()
    result = run_build(project)
    assert result.returncode == 0, result.stderr
    assert (
        "removed docs/generated/activation-functions/silu/.partial-x1y2, left by an interrupted build" in result.stderr
    )
    assert _outputs(snapshot(generated)) == _outputs(good)
    assert run_build(project, "--check").returncode == 0


def test_two_builds_at_once_take_turns(mini_project, tmp_path):
    project = mini_project("activation-functions/silu/swiglu")
    good = snapshot(project / "docs/generated")
    slow = project / "snippets/post/faults/slow.py"
    slow.parent.mkdir(parents=True)
    pid_file, release = tmp_path / "slow.pid", tmp_path / "release"
    # The first build holds the lock until the test releases it, after the second has started waiting.
    slow.write_text(
        SLOW.format(pid_file=pid_file)
        + f"while not pathlib.Path('{release}').exists():\n    time.sleep(0.02)\nprint('done')\n"
    )
    logs = [(tmp_path / f"build-{n}.log").open("w") for n in (1, 2)]
    first, second = subprocess.Popen([PYTHON, "scripts/build.py"], cwd=project, stderr=logs[0], env=ENV), None
    try:
        wait_until(pid_file.exists, 120, "the first build to run the slow snippet")
        second = subprocess.Popen([PYTHON, "scripts/build.py"], cwd=project, stderr=logs[1], env=ENV)
        waiting = "another build is running; waiting for it to finish"
        wait_until(lambda: waiting in Path(logs[1].name).read_text(), 120, "the second build to wait")
        release.touch()
        assert [first.wait(timeout=120), second.wait(timeout=120)] == [0, 0]
    finally:
        release.touch()
        for build in (first, second):
            if build is not None:
                build.kill()
        for log in logs:
            log.close()
    stderrs = [Path(log.name).read_text() for log in logs]
    assert waiting not in stderrs[0]
    assert "2 cached" in stderrs[1], stderrs  # it found the first build's finished manifest, not half of it
    after = snapshot(project / "docs/generated")
    assert {path: after.get(path) for path in _outputs(good)} == _outputs(good)
    assert "done" in after["post/faults/slow/cell-1.md"].decode()
    listed = json.loads(after["manifest.json"])["snippets"].keys()
    assert listed == {"snippets/post/faults/slow.py", "snippets/activation-functions/silu/swiglu.py"}
    assert not [k for k in after if ".partial-" in k]


def test_broken_links_and_anchors_fail_the_strict_site_build(tmp_path):
    project = copy_project(tmp_path / "project")
    page = project / "docs/activation-functions/relu.md"
    page.write_text(
        page.read_text() + "\nSee [a page](no-such-page.md), [a heading](gelu.md#no-such-heading) and [here](#nope).\n"
    )
    result = run_mkdocs(project, "build", "--strict", "--site-dir", str(tmp_path / "site"))
    assert result.returncode == 1
    for link in ("'no-such-page.md'", "'gelu.md#no-such-heading'", "'#nope'"):
        assert f"Doc file 'activation-functions/relu.md' contains a link {link}" in result.stderr, result.stderr
