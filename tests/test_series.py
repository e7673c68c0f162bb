"""A series of posts: a second post with the very same section and snippet names builds beside this one.

The post is made by tools/bench_scale.py's `add_post`, the generator `make bench-scale` measures with.
"""

from __future__ import annotations

import re
import subprocess

import pytest
from bench_scale import add_post
from conftest import GENERATED, PYTHON, ROOT, copy_project, run_mkdocs, snapshot
from siteserve import ENV

SECOND = "activation-functions-2"


@pytest.fixture(scope="module")
def series(tmp_path_factory):
    project = copy_project(tmp_path_factory.mktemp("series") / "project")
    assert add_post(project, 2) == SECOND
    outputs = subprocess.run(
        [PYTHON, "scripts/build.py"], cwd=project, capture_output=True, text=True, env=ENV, timeout=900
    )
    site = run_mkdocs(project, "build", "--strict")
    return project, outputs, site


def test_the_second_post_runs_its_own_snippets_and_leaves_the_first_posts_outputs(series):
    project, outputs, _ = series
    assert outputs.returncode == 0, outputs.stderr[-3000:]
    count = len(list((ROOT / "snippets/activation-functions").rglob("*.py")))
    assert f"{count} ran, {count} cached, 0 failed" in outputs.stderr  # the second post ran, the first was cached
    assert snapshot(project / "docs/generated/activation-functions") == snapshot(GENERATED / "activation-functions")
    second = snapshot(project / f"docs/generated/{SECOND}")
    assert len(second) == len(snapshot(GENERATED / "activation-functions"))


def test_the_site_builds_strictly_and_each_post_cites_its_own_snippets(series):
    project, _, site = series
    assert site.returncode == 0, site.stderr[-3000:]
    for post in ("activation-functions", SECOND):
        page = (project / f"site/{post}/relu/index.html").read_text()
        assert f'href="../../generated/{post}/relu/dead_unit.ipynb" download' in page
        assert f"Run <code>snippets/{post}/relu/dead_unit.py</code> yourself" in page
        cited = re.findall(r'<span class="value" data-value="relu\.dead_unit\.(\w+)">', page)
        assert cited, f"{post}: the page cites its own post's relu/dead_unit by the short name"
    assert (project / f"site/generated/{SECOND}/code/steps/index.html").is_file()  # its notebook page
