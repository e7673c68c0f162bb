"""One numeric environment for every snippet run, and honest checks off the reference platform."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess

import pytest
from conftest import PYTHON, ROOT, run_build, snapshot
from sitebuild import numerics


def test_every_setting_is_explained_where_it_is_set():
    source = (ROOT / "scripts/sitebuild/numerics.py").read_text()
    for key in numerics.SETTINGS:
        line = next(n for n, text in enumerate(source.splitlines()) if f'"{key}":' in text)
        assert source.splitlines()[line - 1].strip().startswith("#"), f"{key} has no comment saying why"


def test_manifest_records_the_reference_fingerprint():
    environment = json.loads((ROOT / "docs/generated/manifest.json").read_text())["environment"]
    assert environment["architecture"] == "x86_64"
    assert environment["numerics"] == numerics.fingerprint()["numerics"] != "unpinned"


def test_fork_after_a_parallel_op_in_the_parent_does_not_hang():
    # OpenMP is not fork-safe: a child forked after the parent ran a multi-threaded op used to hang on
    # its first matmul. The child's single thread (numerics.pin_threads) keeps it out of OpenMP.
    program = (
        "import sys; sys.path.insert(0, 'scripts')\n"
        "import torch\n"
        "torch.set_num_threads(2); a = torch.randn(600, 600); (a @ a).sum()\n"
        "from sitebuild.discover import find_snippets\n"
        "from sitebuild.execute import run_snippet\n"
        "[steps] = [s for s in find_snippets() if s.relpath == 'snippets/activation-functions/code/steps.py']\n"
        "result = run_snippet(steps, timeout=60)\n"
        "print(result.error or 'ok')\n"
    )
    env = {k: v for k, v in os.environ.items() if k not in numerics.SETTINGS}
    result = subprocess.run([PYTHON, "-c", program], cwd=ROOT, capture_output=True, text=True, timeout=120, env=env)
    assert result.stdout.strip() == "ok", result.stdout + result.stderr


def _foreign(project, architecture="aarch64"):
    """Pretend the committed outputs were built on another CPU family."""
    manifest = project / "docs/generated/manifest.json"
    data = json.loads(manifest.read_text())
    data["environment"]["architecture"] = architecture
    manifest.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n")


def test_foreign_reference_is_compared_within_tolerance_and_a_real_change_still_fails(mini_project):
    project = mini_project("activation-functions/code/steps")
    _foreign(project)
    output = project / "docs/generated/activation-functions/code/steps/cell-1.md"
    text = output.read_text()
    number = re.search(r"^largest difference: (\d\.\d)e-(\d\d)$", text, re.M)
    assert number, f"the Code page's output changed its wording:\n{text}"
    nudged = f"{number.group(1)[:-1]}{(int(number.group(1)[-1]) + 1) % 10}"  # last printed digit, off by one
    output.write_text(text.replace(number.group(0), f"largest difference: {nudged}e-{number.group(2)}"))
    result = run_build(project, "--check")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "compared within tolerance" in result.stderr and "(this one: x86_64, pinned)" in result.stderr
    assert "1 outputs match the reference within tolerance" in result.stderr
    assert "docs/generated/activation-functions/code/steps/cell-1.md" in result.stderr

    output.write_text(
        text.replace(number.group(0), f"largest difference: {number.group(1)}e-0{int(number.group(2)) - 2}")
    )
    before = snapshot(project)
    result = run_build(project, "--check")
    assert snapshot(project) == before  # off the reference platform, --check still writes nothing
    assert result.returncode == 1
    assert "docs/generated/activation-functions/code/steps/cell-1.md" in result.stdout
    assert "beyond the tolerance for x86_64, pinned" in result.stdout


def test_unpinned_only_goes_with_check():
    result = run_build(ROOT, "--unpinned")
    assert result.returncode == 2 and "--unpinned only goes with --check" in result.stderr


@pytest.mark.skipif(
    shutil.which("qemu-x86_64") is None and os.environ.get("CI") != "true",
    reason="qemu-x86_64 is not installed (Debian: qemu-user); `make test` installs it under CI=true",
)
def test_code_page_is_byte_identical_on_an_emulated_intel_haswell():
    qemu = shutil.which("qemu-x86_64")
    assert qemu, "CI=true but qemu-x86_64 is missing: the Makefile should have installed qemu-user"
    # One pool thread at most: qemu 7.2 can crash when a pool thread forks.
    check = [PYTHON, "scripts/build.py", "--check", "--jobs", "1", "snippets/activation-functions/code/steps.py"]
    run = subprocess.run([qemu, "-cpu", "Haswell", *check], cwd=ROOT, capture_output=True, text=True, timeout=900)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "0 stale outputs" in run.stderr and "within tolerance" not in run.stderr


def test_reproducibility_page_exports_exactly_the_build_settings():
    page = (ROOT / "docs/reproducibility.md").read_text()
    block = re.search(r"```bash\n(export .*?)```", page, re.S)
    assert block, "docs/reproducibility.md lost its export block"
    exported = dict(pair.split("=") for line in block.group(1).splitlines() for pair in line.split()[1:])
    assert exported == numerics.SETTINGS
