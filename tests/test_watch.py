"""`make serve ENGINE=zensical`: a real `zensical serve` beside scripts/watch.py, on a copy of the project.

A snippet broken on disk reaches its page as the failure notice, with the last good output still below it; fixed,
its new output reaches the page and the notice goes.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from conftest import copy_project
from siteserve import mkdocs_env, site_prefix

SNIPPET = "snippets/activation-functions/code/steps.py"
PAGE = "activation-functions/code/"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def page_text(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode()
    except OSError:
        return ""


def wait_for(url: str, condition, what: str, timeout: float = 180) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        text = page_text(url)
        if condition(text):
            return text
        time.sleep(0.25)
    pytest.fail(f"after {timeout:.0f} s, {url} still does not show {what}")


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    project = copy_project(tmp_path_factory.mktemp("watch") / "project")
    port = free_port()
    log = (project.parent / "watch.log").open("w")
    command = [sys.executable, "scripts/watch.py", "--dev-addr", f"127.0.0.1:{port}"]
    process = subprocess.Popen(command, cwd=project, env=mkdocs_env(project), stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}{site_prefix()}{PAGE}"
    try:
        wait_for(url, lambda text: "Step 1" in text, "the page")
        yield project, url
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()


def test_a_broken_then_fixed_snippet_reaches_its_page(served):
    project, url = served
    source = (project / SNIPPET).read_text()
    (project / SNIPPET).write_text(source + 'raise ValueError("planted by the watch test")\n')
    broken = wait_for(url, lambda text: "planted by the watch test" in text, "the failure notice")
    assert "failed: the output below is out of date" in broken and "Step 1" in broken  # the last good output stays
    (project / SNIPPET).write_text(source + 'print("fixed, and on the page")\n')
    fixed = wait_for(url, lambda text: "fixed, and on the page" in text, "the new output")
    assert "planted by the watch test" not in fixed
    assert not Path(project / "docs/generated/activation-functions/code/steps.failed.txt").exists()


def test_a_saved_bibliography_reaches_a_page_zensical_would_cache(served):
    """why.md holds no `--8<--` line, so Zensical caches it: only an emptied page cache shows an edited reference."""
    project, url = served
    why = url.replace(PAGE, "activation-functions/why/")
    assert "Approximation by superpositions" in wait_for(why, lambda text: "Cybenko" in text, "the page")
    bibliography = project / "docs/references.bib"
    old = "{Approximation by superpositions of a sigmoidal function}"
    assert old in bibliography.read_text()
    bibliography.write_text(bibliography.read_text().replace(old, "{Approximation by superpositions, edited}"))
    wait_for(why, lambda text: "Approximation by superpositions, edited" in text, "the edited reference")


def test_the_pages_zensical_caches_are_known_with_what_feeds_them():
    from watch import cached_pages_fed_by

    cites = cached_pages_fed_by({"docs/references.bib"})
    assert "docs/activation-functions/why.md" in cites  # cites Cybenko, includes nothing
    assert "docs/activation-functions/gelu.md" not in cites  # cites too, but includes cells: never cached
    fed = cached_pages_fed_by({"snippets/activation-functions/gelu/exact_vs_tanh.py"})
    assert {"docs/activation-functions/summary.md", "docs/activation-functions/takeaways.md"} <= set(fed)  # its max_gap
    assert "docs/activation-functions/why.md" not in fed
    assert cached_pages_fed_by({"snippets/activation-functions/code/steps.py"}) == []  # code.md includes: never cached
