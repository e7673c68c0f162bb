"""sitebuild.results: the result types stand alone, so figures and render need not import the runner."""

from __future__ import annotations

import ast
from pathlib import Path

SITEBUILD = Path(__file__).resolve().parents[2] / "scripts" / "sitebuild"


def _imports(module: str) -> set[str]:
    tree = ast.parse((SITEBUILD / f"{module}.py").read_text())
    return {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module}


def test_figures_and_render_take_the_results_from_results_not_from_execute():
    for module in ("figures", "render"):
        assert "execute" not in _imports(module), f"{module}.py imports execute.py"
        assert "results" in _imports(module)


def test_results_imports_nothing_of_the_build():
    assert not {name for name in _imports("results") if not name.startswith(("__future__", "dataclasses"))}
