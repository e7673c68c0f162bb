"""repository_hook: the repository setting is checked, the placeholder hides every link, the run-it line's place."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
import repository_hook
from mkdocs.exceptions import PluginError
from sitebuild.downloads import pin_cell, reader_pins


@pytest.mark.parametrize("value", ["activation-functions", "octo org/site", "", None, "a/b/c"])
def test_a_repository_that_is_not_owner_slash_name_is_an_error_naming_the_key(value):
    with pytest.raises(PluginError, match=r"extra\.repository must be a GitHub repository as owner/name"):
        repository_hook.repository({"repository": value})


def test_a_bad_branch_is_an_error_naming_the_key():
    with pytest.raises(PluginError, match=r"extra\.branch must be a branch name"):
        repository_hook.repository({"repository": "octo-org/site", "branch": "two words"})


def test_the_placeholder_owner_means_no_repository():
    assert repository_hook.repository({"repository": "example/activation-functions"}) == (None, "main")
    assert repository_hook.repository({"repository": "octo-org/site", "branch": "gh"}) == ("octo-org/site", "gh")


def _config(repository: str):
    return SimpleNamespace(extra={"repository": repository}, repo_url="x", repo_name="x", edit_uri="x")


def test_on_config_derives_repo_url_and_edit_uri_or_clears_them():
    config = repository_hook.on_config(_config("octo-org/site"))
    assert (config.repo_url, config.edit_uri) == ("https://github.com/octo-org/site", "edit/main/docs/")
    config = repository_hook.on_config(_config("example/site"))
    assert config.repo_url is config.edit_uri is config.repo_name is None


class _Files:
    def __init__(self, *uris: str):
        self.found = {uri: SimpleNamespace(url=uri, name="", is_documentation_page=lambda: False) for uri in uris}

    def get_file_from_path(self, uri: str):
        return self.found.get(uri)


def test_the_run_it_line_goes_above_each_snippets_first_include_only(monkeypatch):
    monkeypatch.setitem(repository_hook.state, "repository", None)
    page = SimpleNamespace(url="post/page/")
    files = _Files("generated/a/b.ipynb", "generated/a/b.py")
    markdown = '--8<-- "generated/a/b/cell-0.md"\n\n=== "Tab"\n\n    --8<-- "generated/a/b/cell-1.md"\n'
    out = repository_hook.on_page_markdown(markdown, page, None, files)
    assert out.count('class="run-it"') == 1 and out.index("run-it") < out.index("cell-0.md")
    assert 'href="../../generated/a/b.ipynb"' in out and "colab" not in out


def test_no_line_for_a_snippet_without_outputs_yet():
    markdown = '--8<-- "generated/new/one/cell-0.md"\n'
    assert repository_hook.on_page_markdown(markdown, SimpleNamespace(url="p/"), None, _Files()) == markdown


def test_colab_gets_the_pinned_cpu_torch_from_the_readers_requirements():
    requirements = 'torch==2.13.0+cpu; sys_platform != "darwin"\ntorch==2.13.0; sys_platform == "darwin"\n'
    assert reader_pins(requirements + "numpy==1.0\nmatplotlib==2.0\n") == [
        "torch==2.13.0+cpu",
        "numpy==1.0",
        "matplotlib==2.0",
    ]
    with pytest.raises(ValueError, match="pins no matplotlib"):
        reader_pins(requirements + "numpy==1.0\n")
    assert '"google.colab" in sys.modules' in pin_cell()
