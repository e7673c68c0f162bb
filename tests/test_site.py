"""The site: strict MkDocs build, valid HTML, live reload under `mkdocs serve` (notebooks: test_downloads.py)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import time
import urllib.parse
import urllib.request

import pytest
from conftest import PYTHON, ROOT, break_snippet, copy_project, free_port, run_mkdocs, wait_until
from mkdocs.utils.yaml import yaml_load  # reads mkdocs.yml's !ENV tags as MkDocs does
from siteserve import mkdocs_env, repository

VNU_JAR = ROOT / ".cache/node/node_modules/vnu-jar/build/dist/vnu.jar"  # installed by `make vnu`
# Nu HTML checker errors that come from upstream and stay, each with its reason.
VNU_KNOWN = {
    # Material's base.html puts autocomplete="off" on its drawer and search toggles so that Firefox does not
    # restore their checked state on reload or back (squidfunk/mkdocs-material#1513, closed as intended;
    # Mozilla bug 654072). The spec allows the attribute only on text-like inputs; removing it brings the bug back.
    "autocomplete-on-checkbox": re.compile(r"Attribute “autocomplete” is only allowed when the input type is"),
    # overrides/main.html holds the first paint until the content is parsed with <link rel="expect" blocking="render">
    # (HTML standard since whatwg/html#9970, 2024; in Chromium and WebKit). vnu 26.9.27 still only knows `blocking`
    # on rel=stylesheet (its rule from validator/validator#1466, 2022).
    "blocking-on-rel-expect": re.compile(r"A “link” element with a “blocking” attribute must have a “rel” attribute"),
}


def test_strict_build_passes(built_site):
    assert (built_site / "activation-functions/code/index.html").exists()
    assert (built_site / "activation-functions/code-notebook/index.html").exists()  # the notebook page


def test_html_is_valid_by_the_nu_checker(built_site):
    if not VNU_JAR.exists() or shutil.which("java") is None:
        message = f"{VNU_JAR} or java is missing: run `make vnu` (npm) and install a JRE"
        if os.environ.get("CI") == "true":
            pytest.fail(message + "; under CI=true the check must run, not skip")
        pytest.skip(message)
    result = subprocess.run(
        ["java", "-jar", str(VNU_JAR), "--errors-only", "--skip-non-html", "--format", "json", str(built_site)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    messages = json.loads(result.stderr or '{"messages": []}')["messages"]
    errors = [m for m in messages if m["type"] == "error" or m.get("subType") == "fatal"]
    unknown = [m for m in errors if not any(p.search(m["message"]) for p in VNU_KNOWN.values())]
    page = lambda m: m.get("url", "?").removeprefix(built_site.as_uri() + "/")  # noqa: E731
    where = [f"{page(m)}:{m.get('lastLine')}: {m['message']}" for m in unknown]
    assert not where, f"{len(where)} HTML errors:\n" + "\n".join(where[:30])
    assert errors or result.returncode == 0, result.stderr[-2000:]


def test_a_missing_include_fails_the_strict_build(tmp_path):
    project = copy_project(tmp_path / "project")
    page = project / "docs/activation-functions/code.md"
    page.write_text(page.read_text() + '\n--8<-- "generated/activation-functions/code/steps/cell-99.md"\n')
    result = run_mkdocs(project, "build", "--strict")
    assert result.returncode != 0
    assert "cell-99.md" in result.stderr


def _page(url: str, predicate, seconds: float, server: subprocess.Popen) -> str:
    """The page's body once `predicate(body)` holds; fails if the server stops or the deadline passes."""

    def fetch() -> str | None:
        assert server.poll() is None, "mkdocs serve stopped"
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                body = response.read().decode()
        except OSError:
            return None  # not listening yet, or rebuilding
        return body if predicate(body) else None

    return wait_until(fetch, seconds, f"{url} to reach the expected state", pause=0.3)


@pytest.mark.parametrize("dirty", [[], ["--dirty"]], ids=["clean", "dirty"])
def test_serve_shows_a_failing_snippet_on_its_page_and_recovers(tmp_path, dirty):
    """Also under --dirty, where MkDocs rebuilds only changed pages: the plugin adds those that include the snippet."""
    project = copy_project(tmp_path / "project")
    port = free_port()
    log = (tmp_path / "serve.log").open("w")
    server = subprocess.Popen(
        [PYTHON, "-m", "mkdocs", "serve", *dirty, "--dev-addr", f"127.0.0.1:{port}"],
        cwd=project,
        stdout=log,
        stderr=subprocess.STDOUT,
        env=mkdocs_env(project),
    )
    base = urllib.parse.urlsplit(yaml_load((ROOT / "mkdocs.yml").read_text())["site_url"]).path
    url = f"http://127.0.0.1:{port}{base}activation-functions/code/"
    try:
        _page(url, lambda body: "Step 3" in body, 120, server)
        snippet = project / "snippets/activation-functions/code/steps.py"
        good = break_snippet(snippet)
        broken = _page(url, lambda body: "failed: the output below is out of date" in body, 120, server)
        assert "AttributeError" in broken
        assert "snippets/activation-functions/code/steps.py:" in (tmp_path / "serve.log").read_text()
        snippet.write_text(good + '\nprint("edited and fixed")\n')  # new output: the build writes files
        _page(url, lambda body: "out of date" not in body and "edited and fixed" in body, 120, server)
        notebook = url.replace("/code/", "/code-notebook/")  # the notebook page, made from the same fragments
        _page(notebook, lambda body: "edited and fixed" in body, 30, server)
        time.sleep(3)  # a rebuild caused by the build's own writes would start as soon as the build ends
        saves = (tmp_path / "serve.log").read_text().count("Detected file changes")
        assert saves == 2, f"two saves of the snippet started {saves} rebuilds: the build's own writes rebuild again"
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()
    manifest = json.loads((project / "docs/generated/manifest.json").read_text())
    assert "snippets/activation-functions/code/steps.py" in manifest["snippets"]


def test_a_failing_snippet_stops_mkdocs_build(tmp_path):
    project = copy_project(tmp_path / "project")
    break_snippet(project / "snippets/activation-functions/code/steps.py")
    result = run_mkdocs(project, "build")
    assert result.returncode != 0
    assert "snippets/activation-functions/code/steps.py:" in result.stderr and "linspaec" in result.stderr


def _tracked() -> set[str]:
    """The files of this checkout that a clone of the repository would have (git's index, else the disk)."""
    listed = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, text=True)
    if listed.returncode == 0 and listed.stdout:
        return set(listed.stdout.split("\0")) - {""}
    return {p.relative_to(ROOT).as_posix() for p in ROOT.rglob("*") if p.is_file()}


def test_every_link_into_the_repository_names_a_file_of_this_checkout(built_site):
    """Edit links, source links and Colab links: each path after the branch must exist in the repository."""
    name, branch = repository()
    into = re.compile(
        rf'href="https://(?:github\.com|colab\.research\.google\.com/github)/{re.escape(name)}'
        rf'/(?:edit|blob|tree)/{re.escape(branch)}/(?P<path>[^"#?]+)"'
    )
    tracked, seen, dead = _tracked(), 0, []
    for page in sorted(built_site.rglob("*.html")):
        for match in into.finditer(page.read_text(encoding="utf-8")):
            seen += 1
            if urllib.parse.unquote(match["path"]) not in tracked:
                dead.append(f"{page.relative_to(built_site)}: {match['path']}")
    assert seen > 20, f"only {seen} links into {name}: did the site build with a repository set?"
    assert not dead, "links to files the repository does not have:\n" + "\n".join(sorted(set(dead)))
