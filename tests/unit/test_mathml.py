"""scripts/sitepages/mathml.py: the on-disk cache of MathML conversions and what invalidates it."""

from __future__ import annotations

import json

import latex2mathml.converter
import pytest
from sitepages import mathml


@pytest.fixture
def cache_file(tmp_path, monkeypatch):
    code = tmp_path / "mathml_code.py"
    code.write_text("version 1")
    monkeypatch.setattr(mathml, "CODE", code)
    return tmp_path / "mathml.json"


def _build(cache_file, *formulas: str) -> list[str]:
    build = mathml.MathML(cache_file)
    out = [build.formula(tex, False, f"\\({tex}\\)", "page.md") for tex in formulas]
    build.save()
    return out


def _no_converter(monkeypatch):
    def fail(*args, **kwargs):
        raise AssertionError("converted again")

    monkeypatch.setattr(latex2mathml.converter, "convert", fail)


def test_a_rebuild_takes_known_formulas_from_the_cache(cache_file, monkeypatch):
    first = _build(cache_file, r"\sigma(x)")
    _no_converter(monkeypatch)
    assert _build(cache_file, r"\sigma(x)") == first
    assert "<mi>&#x003C3;</mi>" in first[0] and "application/x-tex" in first[0]


def test_a_build_of_some_pages_keeps_the_other_pages_formulas(cache_file):
    """`mkdocs serve --dirty` renders a few pages: the cache must not shrink to their formulas (review 2, 2.3-3)."""
    _build(cache_file, "a + b", "c")
    _build(cache_file, "c")
    assert sorted(json.loads(cache_file.read_text())["formulas"]) == ["inline a + b", "inline c"]


@pytest.mark.parametrize("change", ["code", "version"])
def test_new_code_or_latex2mathml_version_converts_everything_again(cache_file, monkeypatch, change):
    _build(cache_file, "a + b")
    if change == "code":
        mathml.CODE.write_text("version 2")
    else:
        monkeypatch.setattr(mathml.metadata, "version", lambda name: "0.0.0")
    assert mathml.MathML(cache_file).known == {}


def test_an_unreadable_cache_is_ignored(cache_file):
    cache_file.write_text("{half a json")
    assert _build(cache_file, "x")[0].startswith("<math")


def test_a_bad_formula_names_the_page_and_is_not_cached(cache_file):
    build = mathml.MathML(cache_file)
    with pytest.raises(mathml.FormulaError, match=r"page\.md: cannot convert the formula"):
        build.formula(r"\frac{", False, r"\(\frac{\)", "page.md")
    assert build.known == {} and build.added == 0


def test_a_heading_formula_reads_as_plain_text_in_the_table_of_contents(cache_file):
    import markdown

    md = markdown.Markdown(
        extensions=["toc", "pymdownx.arithmatex", "sitepages.mathml"],
        extension_configs={"pymdownx.arithmatex": {"generic": True}},
    )
    html = md.convert(r"## Odd part $\sigma(x)$ here")
    assert md.toc_tokens[0]["name"] == "Odd part σ(x) here"
    assert md.toc_tokens[0]["id"] == "odd-part-x-here"
    assert "<math" in html and r"\(" not in html
