"""The notebook page's renderer as a real process: the body it writes, a failed render and a dead renderer.

In-process checks of notebook_hook.py (cache key, nav, replayed warnings) are in tests/unit/test_notebook_hook.py.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from types import SimpleNamespace

import nbformat
import pytest
from mkdocs.exceptions import PluginError

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "docs/generated/code/steps.ipynb"
sys.path.insert(0, str(ROOT / "scripts"))

import notebook_hook  # noqa: E402
import notebook_render  # noqa: E402


def _page(uri: str):
    return SimpleNamespace(file=SimpleNamespace(src_uri=uri), content=None, toc=None)


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
