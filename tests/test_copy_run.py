"""Copy and run: the code blocks of a page, copied in page order, are whole programs that print the page's outputs.

The cheap check (each snippet's cells all included, in order, imports first; every printed line shown) is proved
equivalent to a fresh-interpreter run on the pages whose snippets are quick, including a page with its imports cut.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path

import pytest
from conftest import GENERATED, PYTHON, ROOT
from sitebuild.discover import find_snippets
from sitebuild.numerics import SETTINGS
from sitepages.syntax import INCLUDE

DOCS = ROOT / "docs"
FENCE = re.compile(r'^(?P<ticks>`{3,})(?P<lang>\w+) title="(?P<title>[^"]*)"\n(?P<body>.*?)\n(?P=ticks)$', re.M | re.S)
PAGES = sorted(p for p in DOCS.rglob("*.md") if "generated" not in p.parts)
CELLS = {s.slug: [c.number for c in s.cells] for s in find_snippets()}
QUICK_PAGES = ["activation-functions/gelu.md", "activation-functions/silu.md", "activation-functions/code.md"]


def included(text: str) -> dict[str, list[tuple[int, int]]]:
    """Per snippet, the (cell number, line) of each include, in page order."""
    found: dict[str, list[tuple[int, int]]] = {}
    for match in INCLUDE.finditer(text):
        line = text.count("\n", 0, match.start()) + 1
        found.setdefault(match["slug"], []).append((int(match["cell"]), line))
    return found


def copy_problems(page: str, text: str) -> list[str]:
    """Why the page's copied code would not be each snippet's whole program, in order ([] when it is)."""
    problems = []
    for slug, cells in included(text).items():
        numbers = [number for number, _ in cells]
        if numbers != CELLS[slug]:
            problems.append(
                f"{page}:{cells[0][1]}: includes cells {numbers} of snippets/{slug}.py, which has cells "
                f"{CELLS[slug]}: include every one, in order (cell 0 holds the imports), or the copied code fails"
            )
    return problems


def page_program(text: str) -> tuple[str, str]:
    """The code a reader copies from the page's fragments, in page order, and the outputs the page shows."""
    code, shown = [], []
    for match in INCLUDE.finditer(text):
        fragment = (GENERATED / match["slug"] / f"cell-{match['cell']}.md").read_text(encoding="utf-8")
        for block in FENCE.finditer(fragment):
            (code if block["lang"] == "python" else shown).append(block["body"] + "\n")
    return "\n".join(code), "".join(shown)


def run_fresh(code: str, tmp_path: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, **SETTINGS, "MPLBACKEND": "Agg"}  # the build's numeric environment; no window
    return subprocess.run([PYTHON, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.relative_to(DOCS).as_posix())
def test_each_page_includes_every_cell_of_its_snippets_in_order(page):
    assert copy_problems(f"docs/{page.relative_to(DOCS).as_posix()}", page.read_text(encoding="utf-8")) == []


NOTEBOOKS = sorted(GENERATED.glob("*/*/*.ipynb"))


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda n: n.stem)
def test_every_output_block_shows_every_line_the_cell_printed(notebook):
    """Markdown drops a code block's trailing blank lines, so a cell must not print any."""
    for cell in json.loads(notebook.read_text())["cells"]:
        for output in cell.get("outputs", []):
            text = "".join(output.get("text", ""))
            assert not text.endswith("\n\n"), f"{notebook.relative_to(ROOT)}: a cell ends its output with a blank line"


@pytest.mark.parametrize("page", QUICK_PAGES)
def test_the_copied_code_runs_in_a_fresh_interpreter_and_prints_the_page(page, tmp_path):
    code, shown = page_program((DOCS / page).read_text(encoding="utf-8"))
    result = run_fresh(code, tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout == shown


def test_the_cheap_check_fails_exactly_where_the_fresh_run_fails(tmp_path):
    """Cutting the imports (cell 0) or a middle cell from a page: both the check and the real run fail."""
    text = (DOCS / "activation-functions/gelu.md").read_text(encoding="utf-8")
    for cut in ("cell-0.md", "cell-1.md"):
        broken = "\n".join(line for line in text.splitlines() if not line.endswith(f'exact_vs_tanh/{cut}"'))
        assert copy_problems("docs/activation-functions/gelu.md", broken), cut
        code, shown = page_program(broken)
        result = run_fresh(code, tmp_path)
        assert result.returncode != 0 or result.stdout != shown, cut
        assert "NameError" in result.stderr, cut
