"""The notebook page: a page of the nav that includes the body the build wrote (sitebuild.render.notebook_page).

Every engine builds it the same way (tests/test_engines.py compares them); the `.ipynb` stays a download.
"""

from __future__ import annotations

import re

from conftest import GENERATED, ROOT
from sitebuild.discover import split_cells

SLUG = "activation-functions/code/steps"
STUB = ROOT / "docs/activation-functions/code-notebook.md"
PAGE = "activation-functions/code-notebook/index.html"


def test_the_body_includes_every_cell_of_the_snippet_in_order_under_its_title():
    body = (GENERATED / SLUG / "notebook.md").read_text()
    cells = split_cells((ROOT / f"snippets/{SLUG}.py").read_text())
    includes = re.findall(r'^--8<-- "generated/(.+)/cell-(\d+)\.md"$', body, re.M)
    assert includes == [(SLUG, str(cell.number)) for cell in cells]
    for cell in cells:
        if cell.title:
            heading, include = f"\n## {cell.title}\n", f'--8<-- "generated/{SLUG}/cell-{cell.number}.md"'
            assert body.index(heading) < body.index(include), f"cell {cell.number}'s title is not above it"


def test_the_nav_lists_the_page_and_the_page_includes_the_body():
    assert '"Notebook: the three steps": activation-functions/code-notebook.md' in (ROOT / "mkdocs.yml").read_text()
    assert f'--8<-- "generated/{SLUG}/notebook.md"' in STUB.read_text()


def test_the_built_page_shows_the_cells_and_offers_the_notebook_as_the_build_wrote_it(built_site):
    html = (built_site / PAGE).read_text()
    assert 'href="../../generated/activation-functions/code/steps.ipynb"' in html
    assert (built_site / f"generated/{SLUG}.ipynb").read_bytes() == (GENERATED / f"{SLUG}.ipynb").read_bytes()
    assert "data:image/svg+xml" not in html and "jp-Cell" not in html  # figures are files, no notebook markup
    for palette in ("", "-dark"):
        assert f'src="../../generated/{SLUG}/cell-3-fig-1{palette}.svg#only-' in html
    assert 'class="run-it"' in html and "provenance" in html  # like every page that shows a snippet
    cells = split_cells((ROOT / f"snippets/{SLUG}.py").read_text())
    assert html.count(f'<span class="filename">snippets/{SLUG}.py') == len(cells)  # every cell's code block
