"""scripts/notebook_hook.py and notebook_render.py: the cache key, the nav walk, and what a cached body replays."""

from __future__ import annotations

import json
import logging
import re
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import nbformat
import notebook_hook
import notebook_render
import pytest
from mkdocs.exceptions import PluginError

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOK = ROOT / "docs/generated/code/steps.ipynb"


@pytest.fixture
def code(tmp_path, monkeypatch):
    """The render code the key hashes, as two files the test may edit."""
    files = (tmp_path / "render_a.py", tmp_path / "render_b.py")
    files[0].write_text("ab")
    files[1].write_text("c")
    monkeypatch.setattr(notebook_hook, "CODE", files)
    return files


def test_the_same_inputs_give_the_same_key(code):
    assert notebook_hook.cache_key(b'{"cells": []}') == notebook_hook.cache_key(b'{"cells": []}')


def test_a_changed_byte_of_the_notebook_changes_the_key(code):
    assert notebook_hook.cache_key(b'{"cells": [1]}') != notebook_hook.cache_key(b'{"cells": [2]}')


def test_a_changed_option_changes_the_key(code, monkeypatch):
    before = notebook_hook.cache_key(b"{}")
    monkeypatch.setitem(notebook_hook.OPTIONS, "no_prompt", True)
    after_option = notebook_hook.cache_key(b"{}")
    monkeypatch.setattr(notebook_hook, "TOC_DEPTH", 2)
    assert len({before, after_option, notebook_hook.cache_key(b"{}")}) == 3


def test_another_version_of_a_rendering_package_changes_the_key(code, monkeypatch):
    before = notebook_hook.cache_key(b"{}")
    real = notebook_hook._version
    monkeypatch.setattr(notebook_hook, "_version", lambda name: "0.0.1" if name == "nbconvert" else real(name))
    assert notebook_hook.cache_key(b"{}") != before


def test_edited_render_code_changes_the_key_and_parts_cannot_run_together(code):
    before = notebook_hook.cache_key(b"{}")
    code[0].write_text("a")
    code[1].write_text("bc")  # the same bytes end to end, split elsewhere
    assert notebook_hook.cache_key(b"{}") != before


def test_every_notebook_of_the_nav_is_found_at_any_depth():
    nav = [{"Home": "index.md"}, {"Post": ["post/index.md", {"Notebook": "generated/a.ipynb"}, "generated/b.ipynb"]}]
    assert notebook_hook.nav_notebooks(nav) == ["generated/a.ipynb", "generated/b.ipynb"]
    assert notebook_hook.nav_notebooks(None) == []


def _page(uri: str):
    return SimpleNamespace(file=SimpleNamespace(src_uri=uri), content=None, toc=None)


def test_a_cached_body_replays_its_warnings_so_strict_fails_on_every_build(tmp_path, monkeypatch, caplog):
    cached = tmp_path / "body.json"
    cached.write_text(json.dumps({"content": "<p>x</p>", "toc_tokens": [], "warnings": ["no <style> element found"]}))
    monkeypatch.setitem(notebook_hook.renders, "generated/x.ipynb", (cached, None))
    page = _page("generated/x.ipynb")
    with caplog.at_level(logging.WARNING):
        notebook_hook._render(page, {}, None)
    assert page.content == "<p>x</p>"
    assert [r.getMessage() for r in caplog.records] == ["notebook_hook: generated/x.ipynb: no <style> element found"]


def test_a_failed_render_stops_the_build_naming_the_notebook_and_the_error(tmp_path, monkeypatch):
    failing = [sys.executable, "-c", "import sys; sys.exit('nbconvert: bad notebook')"]
    process = subprocess.Popen(failing, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    monkeypatch.setitem(notebook_hook.renders, "generated/x.ipynb", (tmp_path / "never.json", process))
    with pytest.raises(PluginError, match=r"(?s)generated/x\.ipynb: mkdocs-jupyter could not.*bad notebook"):
        notebook_hook._render(_page("generated/x.ipynb"), {}, None)


def test_the_site_notebook_renders_trimmed_and_without_warnings():
    body = notebook_render.render(NOTEBOOK)
    assert body["warnings"] == []
    assert "<style" not in body["content"] and 'class="headerlink"' in body["content"]
    assert re.search(r'class="highlight-ipynb[^"]* highlight" tabindex="0"', body["content"])
    assert 'role="button"' in body["content"]
    assert body["toc_tokens"][0]["level"] == 1


def test_markup_the_trim_expects_but_misses_becomes_a_warning(tmp_path):
    notebook = tmp_path / "prose.ipynb"
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("Only prose, no heading.")])
    notebook.write_text(nbformat.writes(nb))
    warnings = notebook_render.render(notebook)["warnings"]
    assert any("highlight-ipynb code block" in w for w in warnings)
    assert any("heading anchor-link" in w for w in warnings)
