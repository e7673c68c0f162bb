"""The site plugin inside real MkDocs builds: one plan per build, its settings checked, no page changed by it."""

from __future__ import annotations

import re

import pytest
from conftest import ROOT, copy_project, run_mkdocs, snapshot
from mkdocs.commands.build import build
from mkdocs.config import load_config
from sitebuild import pipeline
from siteplugin import session


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    return copy_project(tmp_path_factory.mktemp("plugin") / "project")


def test_a_build_plans_once(tmp_path, monkeypatch):
    """One plan per build, made by the session (the hooks used to make it three times)."""
    calls = []
    real = pipeline.plan

    def counted(*args, **kwargs):
        calls.append(kwargs)
        return real(*args, **kwargs)

    monkeypatch.setattr(pipeline, "plan", counted)
    monkeypatch.setattr(session, "plan", counted)
    config = load_config(str(ROOT / "mkdocs.yml"), site_dir=str(tmp_path / "site"))
    build(config)
    assert len(calls) == 1, calls


def test_the_plugin_changes_no_page_and_mkdocs_yml_has_no_hooks(project, tmp_path):
    """The adapter only runs snippets: with outputs up to date, a build without it is the same site, byte for byte."""
    config = (project / "mkdocs.yml").read_text()
    assert not re.search(r"^hooks:", config, re.M), "every page feature lives in the page layer (sitepages/)"
    entry = re.search(r"^  - site:\n(?:      .*\n)+", config, re.M)[0]
    first = run_mkdocs(project, "build", "--strict", "--site-dir", str(tmp_path / "with"))
    assert first.returncode == 0, first.stderr[-3000:]
    (project / "mkdocs.yml").write_text(config.replace(entry, ""))
    try:
        second = run_mkdocs(project, "build", "--strict", "--site-dir", str(tmp_path / "without"))
    finally:
        (project / "mkdocs.yml").write_text(config)
    assert second.returncode == 0, second.stderr[-3000:]
    with_plugin, without = snapshot(tmp_path / "with"), snapshot(tmp_path / "without")
    assert with_plugin.keys() == without.keys()
    assert [name for name in with_plugin if with_plugin[name] != without[name]] == []


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        ("timeout: 0", "option 'timeout': must be at least 1, got 0"),
        ("timeout: soon", "option 'timeout': Expected type"),
        ("jobs: 0", "option 'jobs': must be at least 1, got 0"),
    ],
)
def test_a_bad_plugin_setting_stops_the_build_naming_it(project, tmp_path, setting, message):
    config = (project / "mkdocs.yml").read_text()
    key = setting.split(":")[0]
    changed = re.sub(rf"(?m)^(      ){key}: .*$", rf"\g<1>{setting}", config, count=1)
    if changed == config:  # not set in mkdocs.yml: add it under the plugin
        changed = config.replace("  - site:\n", f"  - site:\n      {setting}\n", 1)
    assert changed != config
    (project / "mkdocs.yml").write_text(changed)
    try:
        result = run_mkdocs(project, "build", "--site-dir", str(tmp_path / "site"))
    finally:
        (project / "mkdocs.yml").write_text(config)
    assert result.returncode == 1
    assert "Plugin 'site'" in result.stderr and message in result.stderr, result.stderr[-2000:]


def test_an_install_of_another_checkout_stops_the_build_naming_both(project, tmp_path):
    """The plugin imported from this repository refuses to build the copy: it would run this repository's snippets."""
    import subprocess
    import sys

    from siteserve import mkdocs_env

    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--site-dir", str(tmp_path / "site")],
        cwd=project,
        capture_output=True,
        text=True,
        env=mkdocs_env(ROOT),
        timeout=300,
    )
    assert result.returncode == 1
    assert f"imported from {ROOT}/scripts, but this build is of {project}" in result.stderr, result.stderr[-2000:]
