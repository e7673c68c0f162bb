"""tools/mutate.py: every changed digit in an output or a page example is caught, on a sample."""

from __future__ import annotations

import re
import subprocess

from conftest import PYTHON, ROOT, snapshot


def test_every_changed_digit_in_a_sample_is_caught_and_the_repository_is_untouched():
    before = snapshot(ROOT / "docs")
    result = subprocess.run(
        [
            PYTHON,
            "tools/mutate.py",
            "--snippet",
            "activation-functions/code/steps",
            "--page",
            "docs/activation-functions/sigmoid-tanh.md",
            "--every",
            "3",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    caught, total = map(int, re.search(r"mutation score: (\d+)/(\d+) caught", result.stdout).groups())
    assert caught == total > 20
    assert re.search(r"pages: [1-9]\d* mutations", result.stderr)  # both kinds were tried
    assert snapshot(ROOT / "docs") == before
