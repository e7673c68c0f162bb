"""The build CLI: freshness of the committed outputs, caching, and faults in snippets."""

from __future__ import annotations

import json
import re
import subprocess

import pytest
from conftest import ENV, PYTHON, ROOT, break_snippet, run_build, snapshot
from sitebuild import shards
from sitebuild.discover import find_snippets
from sitebuild.outputs import load_manifest


def test_committed_outputs_match_a_fresh_run():
    result = run_build(ROOT, "--check")
    assert result.returncode == 0, f"stale outputs:\n{result.stdout}\n{result.stderr}"
    assert re.search(r"\b0 stale outputs", result.stderr)


def test_check_names_an_output_whose_digit_was_changed_and_writes_nothing(mini_project):
    project = mini_project(
        "activation-functions/code/steps"
    )  # its outputs are the committed ones, which a fresh run matches
    output = project / "docs/generated/activation-functions/code/steps/cell-1.md"
    text = output.read_text()
    digit = re.search(r"tensor\(\[\[.*?(\d)", text)
    changed = str((int(digit.group(1)) + 1) % 10)
    output.write_text(text[: digit.start(1)] + changed + text[digit.end(1) :])
    before = snapshot(project / "docs")
    result = run_build(project, "--check")
    assert snapshot(project / "docs") == before  # --check reports; it never repairs
    assert result.returncode == 1
    assert re.search(r"\b1 stale outputs", result.stderr), result.stderr  # that one, and nothing else
    assert "docs/generated/activation-functions/code/steps/cell-1.md" in result.stdout
    assert f"-{text.splitlines()[0]}" not in result.stdout  # the diff shows the changed line, not the title
    assert re.search(r"^\+.*tensor", result.stdout, re.M)


def test_nothing_changed_means_nothing_runs_and_torch_is_not_imported(mini_project):
    project = mini_project("activation-functions/code/steps")
    probe = (
        "import runpy, sys; sys.argv = ['scripts/build.py']\n"
        "try: runpy.run_path('scripts/build.py', run_name='__main__')\n"
        "except SystemExit as exit: code = exit.code\n"
        "print('torch imported' if 'torch' in sys.modules else 'torch not imported', code)"
    )
    result = subprocess.run([PYTHON, "-c", probe], cwd=project, capture_output=True, text=True, env=ENV, timeout=300)
    assert result.stdout.strip() == "torch not imported 0", result.stderr
    assert "0 ran, 1 cached" in result.stderr


def test_hand_edited_output_is_regenerated(mini_project):
    project = mini_project("activation-functions/code/steps")
    good = snapshot(project / "docs/generated")
    (project / "docs/generated/activation-functions/code/steps/cell-2.md").write_text("edited by hand\n")
    result = run_build(project)
    assert result.returncode == 0, result.stderr
    assert "cell-2.md was edited or deleted by hand" in result.stderr
    assert snapshot(project / "docs/generated") == good


def test_failing_snippet_keeps_its_last_good_outputs(mini_project):
    project = mini_project("activation-functions/code/steps")
    good = snapshot(project / "docs/generated")
    snippet = project / "snippets/activation-functions/code/steps.py"
    source = snippet.read_text()
    break_snippet(snippet)
    result = run_build(project)
    assert result.returncode == 1
    assert re.search(r"snippets/activation-functions/code/steps\.py:\d+: AttributeError: .*linspaec", result.stderr)
    after = snapshot(project / "docs/generated")
    note = "activation-functions/code/steps.failed.txt"  # for the pages' failure notice (sitepages/snippets.py)
    assert b"AttributeError" in after.pop(note) and after == good
    snippet.write_text(source)  # the edit undone: its outputs are current again, and so is its page
    fixed = run_build(project)
    assert fixed.returncode == 0 and "0 ran, 1 cached" in fixed.stderr
    assert snapshot(project / "docs/generated") == good


def test_bad_timeout_option_is_explained():
    result = run_build(ROOT, "--timeout", "soon")
    assert result.returncode == 2
    assert "--timeout takes a number of seconds above 0" in result.stderr


def test_a_change_to_the_page_layer_reruns_and_rerenders_no_snippet(mini_project):
    """Page syntax (citations, includes, the Markdown extensions) is not execution or rendering code."""
    project = mini_project("activation-functions/code/steps")
    for module in sorted((project / "scripts/sitepages").glob("*.py")):
        with open(module, "a") as page_layer:
            page_layer.write("# a change to the page layer\n")
    result = run_build(project)
    assert result.returncode == 0, result.stderr
    assert "0 ran, 1 cached" in result.stderr


def test_a_rendering_change_runs_nothing_and_an_execution_change_runs_everything(mini_project):
    """The two cache layers (scripts/sitebuild/keys.py), on the real CLI."""
    slugs = (
        "activation-functions/code/steps",
        "activation-functions/relu/dead_unit",
        "activation-functions/silu/minima",
    )
    project = mini_project(*slugs)
    assert run_build(project, "--force").returncode == 0  # fills the store of runs, as any build does
    committed = snapshot(project / "docs/generated")
    with open(project / "scripts/sitebuild/render.py", "a") as render:
        render.write("# a change to the rendering code\n")
    result = run_build(project)
    assert result.returncode == 0, result.stderr
    assert f"0 ran, {len(slugs)} re-rendered from stored runs" in result.stderr
    assert {k: v for k, v in snapshot(project / "docs/generated").items() if k != "manifest.json"} == {
        k: v for k, v in committed.items() if k != "manifest.json"
    }
    with open(project / "scripts/sitebuild/execute.py", "a") as execute:
        execute.write("# a change to the execution code\n")
    result = run_build(project)
    assert result.returncode == 0, result.stderr
    assert f"{len(slugs)} ran, 0 cached" in result.stderr


def test_a_shard_checks_its_share_of_the_snippets_and_reports_it(tmp_path):
    report = tmp_path / "report.json"
    result = run_build(ROOT, "--check", "--shard", "2/4", "--report", str(report))
    assert result.returncode == 0, result.stderr
    expected = sorted(s.relpath for s in shards.in_shard(find_snippets(), 2, 4))
    assert json.loads(report.read_text()) == {"shard": "2/4", "checked": expected, "stale": [], "failures": {}}
    assert f"{len(expected)} ran, 0 cached" in result.stderr


def test_a_pull_request_checks_its_changed_snippets_and_a_rotating_slice(tmp_path):
    """What CI's pull-request shards run: against HEAD, the changed snippets (none once committed) and slice 3 of 8."""
    report = tmp_path / "report.json"
    result = run_build(ROOT, "--check", "--changed-since", "HEAD", "--rotate", "11/8", "--report", str(report))
    assert result.returncode == 0, result.stderr
    snippets = find_snippets()
    changed = shards.changed(snippets, shards.base_keys("HEAD"), load_manifest()[0]["snippets"])
    expected = {s.relpath for s in changed} | {s.relpath for s in shards.in_shard(snippets, 3, 8)}
    assert set(json.loads(report.read_text())["checked"]) == expected
    assert len(expected) < len(snippets)


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--check", "--rotate", "1/8"], "--rotate only goes with --changed-since"),
        (["--check", "--changed-since", "no-such-branch-anywhere"], "fetch it first"),
        (["--check", "--shard", "5/4"], "K must be at most N"),
        (["--check", "--shard", "two"], "give K/N with whole numbers"),
    ],
)
def test_a_bad_selection_is_explained(args, words):
    result = run_build(ROOT, *args)
    assert result.returncode == 2 and words in result.stderr, result.stderr
