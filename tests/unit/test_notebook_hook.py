"""scripts/notebook_hook.py and notebook_render.py: the cache key, the nav walk, and what a cached body replays."""

from __future__ import annotations

import json
import logging
import re
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
    monkeypatch.setitem(notebook_hook.renders, "generated/x.ipynb", cached)
    page = _page("generated/x.ipynb")
    with caplog.at_level(logging.WARNING):
        notebook_hook._render(page, {}, None)
    assert page.content == "<p>x</p>"
    assert [r.getMessage() for r in caplog.records] == ["notebook_hook: generated/x.ipynb: no <style> element found"]


@pytest.fixture
def renderer(monkeypatch):
    """A fresh renderer slot, closed after the test."""
    monkeypatch.setitem(notebook_hook.state, "renderer", None)
    monkeypatch.setattr(notebook_hook, "pending", [])
    monkeypatch.setattr(notebook_hook, "problems", {})
    yield
    notebook_hook.on_shutdown()


def test_the_renderer_process_writes_the_body_it_was_asked_for(tmp_path, renderer, monkeypatch):
    out = tmp_path / "body.json"
    monkeypatch.setitem(notebook_hook.renders, "generated/code/steps.ipynb", out)
    notebook_hook._renderer().request(str(NOTEBOOK), out)
    notebook_hook.pending.append("generated/code/steps.ipynb")
    page = _page("generated/code/steps.ipynb")
    notebook_hook._render(page, {}, None)
    assert "<style" not in page.content and json.loads(out.read_text())["content"] == page.content


def test_a_failed_render_stops_the_build_naming_the_notebook_and_the_error(tmp_path, renderer, monkeypatch):
    bad = tmp_path / "bad.ipynb"
    bad.write_text("{not json")
    monkeypatch.setitem(notebook_hook.renders, "generated/bad.ipynb", tmp_path / "never.json")
    notebook_hook._renderer().request(str(bad), tmp_path / "never.json")
    notebook_hook.pending.append("generated/bad.ipynb")
    with pytest.raises(PluginError, match=r"(?s)generated/bad\.ipynb: mkdocs-jupyter could not.*Error"):
        notebook_hook._render(_page("generated/bad.ipynb"), {}, None)


def test_a_renderer_that_dies_is_reported_with_its_last_words(tmp_path, renderer, monkeypatch):
    dying = tmp_path / "dying.py"
    dying.write_text("import sys\nsys.exit('out of memory, say')\n")
    monkeypatch.setattr(notebook_hook, "RENDERER", dying)
    notebook_hook._renderer().request("x.ipynb", tmp_path / "never.json")
    assert re.search(r"(?s)stopped \(status 1\).*out of memory, say", notebook_hook.state["renderer"].reply())


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
