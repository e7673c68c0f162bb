"""A series of posts: a second post with the very same section and snippet names builds beside this one.

The post is made by tools/bench_scale.py's `add_post`, the generator `make bench-scale` measures with. Both
engines build it, and under both a page's short citations mean its own post's snippets.
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest
from bench_scale import add_post
from conftest import GENERATED, PYTHON, ROOT, copy_project, run_mkdocs, snapshot
from siteserve import ENV, mkdocs_env

SECOND = "activation-functions-2"


@pytest.fixture(scope="module")
def series(tmp_path_factory):
    project = copy_project(tmp_path_factory.mktemp("series") / "project")
    assert add_post(project, 2) == SECOND
    outputs = subprocess.run(
        [PYTHON, "scripts/build.py"], cwd=project, capture_output=True, text=True, env=ENV, timeout=900
    )
    site = run_mkdocs(project, "build", "--strict")
    zensical = subprocess.run(
        [str(Path(PYTHON).parent / "zensical"), "build", "--strict", "--clean"],
        cwd=project,
        capture_output=True,
        text=True,
        env=mkdocs_env(project),
        timeout=900,
    )
    if zensical.returncode == 0:
        (project / "site").rename(project / "zensical-site")
        site = run_mkdocs(project, "build", "--strict")  # MkDocs' site, in site/ again
    return project, outputs, site, zensical


def test_the_second_post_runs_its_own_snippets_and_leaves_the_first_posts_outputs(series):
    project, outputs, *_ = series
    assert outputs.returncode == 0, outputs.stderr[-3000:]
    count = len(list((ROOT / "snippets/activation-functions").rglob("*.py")))
    assert f"{count} ran, {count} cached, 0 failed" in outputs.stderr  # the second post ran, the first was cached
    assert snapshot(project / "docs/generated/activation-functions") == snapshot(GENERATED / "activation-functions")
    second = snapshot(project / f"docs/generated/{SECOND}")
    assert len(second) == len(snapshot(GENERATED / "activation-functions"))


@pytest.mark.parametrize("engine", ["mkdocs", "zensical"])
def test_the_site_builds_strictly_and_each_post_cites_its_own_snippets(series, engine):
    project, _, mkdocs, zensical = series
    result, site = (mkdocs, "site") if engine == "mkdocs" else (zensical, "zensical-site")
    assert result.returncode == 0 and "Error" not in result.stdout, (result.stdout + result.stderr)[-3000:]
    for post in ("activation-functions", SECOND):
        page = (project / f"{site}/{post}/relu/index.html").read_text()
        assert re.search(rf'<a[^>]*href="../../generated/{post}/relu/dead_unit.ipynb"', page)
        assert f"Run <code>snippets/{post}/relu/dead_unit.py</code> yourself" in page
        values = json.loads((project / f"docs/generated/{post}/relu/dead_unit/values.json").read_text())
        cited = re.findall(r'<span class="value" data-value="relu\.dead_unit\.(\w+)">([^<]*)<', page)
        assert cited, f"{post}: the page cites its own post's relu/dead_unit by the short name"
        assert {name for name, _ in cited} <= set(values)
    assert (project / f"{site}/{SECOND}/code-notebook/index.html").is_file()  # its notebook page
    # Without the page's name, a short citation that both posts could mean stops the build (values.snippet_slug):
    # the strict build passing is what shows that each engine told the page layer which page, and so which post.
