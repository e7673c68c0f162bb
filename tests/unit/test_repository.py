"""siteplugin/repository.py: the repository setting is checked, the placeholder hides every link, the run-it line."""

from __future__ import annotations

import os
import platform
import subprocess
import sys
import types
from importlib import metadata
from types import SimpleNamespace

import pytest
from mkdocs.config import config_options as c
from sitebuild.downloads import pin_cell, reader_pins
from sitebuild.numerics import SETTINGS
from siteplugin import repository


@pytest.mark.parametrize("value", ["activation-functions", "octo org/site", "", "a/b/c"])
def test_a_repository_that_is_not_owner_slash_name_is_refused_with_an_example(value):
    option = repository.Matching(repository.REPOSITORY, "octo-org/activation-functions")
    with pytest.raises(c.ValidationError, match=r"expected something like 'octo-org/activation-functions'"):
        option.run_validation(value)


def test_a_bad_branch_is_refused():
    with pytest.raises(c.ValidationError, match=r"expected something like 'main'"):
        repository.Matching(repository.BRANCH, "main").run_validation("two words")


def test_the_placeholder_owner_means_no_repository():
    assert repository.real("example/activation-functions") is None
    assert repository.real("octo-org/site") == "octo-org/site"


def test_links_are_derived_from_the_repository_or_cleared():
    config = SimpleNamespace(repo_url="x", repo_name="x", edit_uri="x")
    repository.set_links(config, "octo-org/site", "main")
    assert (config.repo_url, config.edit_uri) == ("https://github.com/octo-org/site", "edit/main/docs/")
    repository.set_links(config, None, "main")
    assert config.repo_url is config.edit_uri is config.repo_name is None


class _Files:
    def __init__(self, *uris: str):
        self.found = {uri: SimpleNamespace(url=uri, name="", is_documentation_page=lambda: False) for uri in uris}

    def get_file_from_path(self, uri: str):
        return self.found.get(uri)


def test_the_run_it_line_goes_above_each_snippets_first_include_only():
    page = SimpleNamespace(url="post/page/")
    files = _Files("generated/a/b.ipynb", "generated/a/b.py")
    markdown = '--8<-- "generated/a/b/cell-0.md"\n\n=== "Tab"\n\n    --8<-- "generated/a/b/cell-1.md"\n'
    out = repository.add_run_it_lines(markdown, page, files, None, "main")
    assert out.count('class="run-it"') == 1 and out.index("run-it") < out.index("cell-0.md")
    assert 'href="../../generated/a/b.ipynb" download' in out and "colab" not in out


def test_no_line_for_a_snippet_without_outputs_yet():
    markdown = '--8<-- "generated/new/one/cell-0.md"\n'
    assert repository.add_run_it_lines(markdown, SimpleNamespace(url="p/"), _Files(), None, "main") == markdown


def test_colab_gets_the_pinned_cpu_torch_and_the_versions_the_build_ran_with():
    assert reader_pins() == [
        f"torch=={metadata.version('torch').split('+')[0]}+cpu",
        f"numpy=={metadata.version('numpy')}",
        f"matplotlib=={metadata.version('matplotlib')}",
    ]
    assert '"google.colab" in sys.modules' in pin_cell()


@pytest.mark.parametrize(("machine", "note"), [("x86_64", False), ("AMD64", False), ("aarch64", True), ("arm64", True)])
def test_the_pin_cell_sets_the_settings_and_says_so_off_x86_64(machine, note, monkeypatch, capsys):
    monkeypatch.setattr(os, "environ", {"ATEN_CPU_CAPABILITY": "default"})
    monkeypatch.setattr(platform, "machine", lambda: machine)
    exec(compile(pin_cell(), "pin cell", "exec"), {})
    assert os.environ == SETTINGS
    printed = capsys.readouterr().out
    assert ("the last digits will differ" in printed and machine in printed) == note, printed


@pytest.mark.parametrize("on_colab", [False, True])
def test_the_pin_cell_installs_the_pinned_cpu_torch_on_colab_and_only_there(on_colab, monkeypatch):
    calls = []
    monkeypatch.setattr(os, "environ", {})
    monkeypatch.setattr(subprocess, "run", lambda command, **kwargs: calls.append(command))
    if on_colab:
        monkeypatch.setitem(sys.modules, "google.colab", types.ModuleType("google.colab"))
    exec(compile(pin_cell(), "pin cell", "exec"), {})
    if not on_colab:
        assert calls == []
        return
    [command] = calls
    assert command[:4] == [sys.executable, "-m", "pip", "install"] and command[-3:] == reader_pins()
    assert command[-3].endswith("+cpu") and "https://download.pytorch.org/whl/cpu" in command
