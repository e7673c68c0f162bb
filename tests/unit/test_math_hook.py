"""scripts/math_hook.py: the on-disk cache of MathML conversions and what invalidates it."""

from __future__ import annotations

import json

import latex2mathml.converter
import math_hook
import pytest
from mkdocs.exceptions import PluginError


@pytest.fixture
def cache_file(tmp_path, monkeypatch):
    code = tmp_path / "math_hook_code.py"
    code.write_text("version 1")
    monkeypatch.setattr(math_hook, "CODE", code)
    monkeypatch.setattr(math_hook, "CACHE", tmp_path / "mathml.json")
    monkeypatch.setattr(math_hook, "cache", {"key": "", "known": {}, "used": {}})
    return tmp_path / "mathml.json"


def _build(*formulas: str) -> list[str]:
    math_hook.on_pre_build({})
    out = [math_hook._mathml(tex, False, f"\\({tex}\\)", "page.md") for tex in formulas]
    math_hook.on_post_build({})
    return out


def _no_converter(monkeypatch):
    def fail(*args, **kwargs):
        raise AssertionError("converted again")

    monkeypatch.setattr(latex2mathml.converter, "convert", fail)


def test_a_rebuild_takes_known_formulas_from_the_cache(cache_file, monkeypatch):
    first = _build(r"\sigma(x)")
    _no_converter(monkeypatch)
    assert _build(r"\sigma(x)") == first
    assert "<mi>&#x003C3;</mi>" in first[0] and "application/x-tex" in first[0]


def test_formulas_no_page_uses_any_more_leave_the_cache(cache_file):
    _build("a + b", "c")
    _build("c")
    assert list(json.loads(cache_file.read_text())["formulas"]) == ["inline c"]


@pytest.mark.parametrize("change", ["code", "version"])
def test_new_hook_code_or_latex2mathml_version_converts_everything_again(cache_file, monkeypatch, change):
    _build("a + b")
    if change == "code":
        math_hook.CODE.write_text("version 2")
    else:
        monkeypatch.setattr(math_hook.metadata, "version", lambda name: "0.0.0")
    math_hook.on_pre_build({})
    assert math_hook.cache["known"] == {}


def test_an_unreadable_cache_is_ignored(cache_file):
    cache_file.write_text("{half a json")
    assert _build("x")[0].startswith("<math")


def test_a_bad_formula_names_the_page_and_is_not_cached(cache_file):
    math_hook.on_pre_build({})
    with pytest.raises(PluginError, match=r"page\.md: cannot convert the formula"):
        math_hook._mathml(r"\frac{", False, r"\(\frac{\)", "page.md")
    assert math_hook.cache["used"] == {}
