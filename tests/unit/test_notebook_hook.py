"""scripts/notebook_hook.py: the cache key, the nav walk, and what a cached body replays."""

from __future__ import annotations

import json
import logging
from types import SimpleNamespace

import notebook_hook
import pytest


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


@pytest.mark.parametrize(("stale", "queued"), [(True, 1), (False, 0)])
def test_the_renderer_is_queued_beside_the_snippets_only_when_a_notebook_will_change(monkeypatch, stale, queued):
    """Queued for when one snippet is left running (at once for an edit); it warms up on the notebook as it was."""
    started, queue = [], []
    monkeypatch.setitem(notebook_hook.state, "renderer", None)
    monkeypatch.setattr(notebook_hook, "_stale_notebook", lambda notebooks: stale)
    monkeypatch.setattr(notebook_hook, "_renderer", lambda warm=None: started.append(warm))
    monkeypatch.setattr(notebook_hook, "WHEN_ONE_LEFT", queue)
    notebook_hook.on_pre_build({"nav": ["generated/code/steps.ipynb"]})
    assert (started, len(queue)) == ([], queued)
    for callback in queue:
        callback()
    assert started == [notebook_hook.ROOT / "docs" / "generated/code/steps.ipynb"] * queued
