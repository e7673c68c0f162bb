"""The notebook page: made from its snippet's fragments (siteplugin/notebooks.py), with the notebook to download."""

from __future__ import annotations

import json
import re

from conftest import GENERATED, ROOT
from mkdocs.structure.files import File
from sitebuild.discover import split_cells
from siteplugin.notebooks import NotebookFile, page_markdown

SLUG = "activation-functions/code/steps"
PAGE = f"generated/{SLUG}/index.html"


def _file() -> NotebookFile:
    return NotebookFile(f"generated/{SLUG}.ipynb", str(ROOT / "docs"), str(ROOT / "site"), True)


def test_the_page_is_every_cell_of_the_snippet_in_order_under_its_title():
    markdown = page_markdown(_file())
    cells = split_cells((ROOT / f"snippets/{SLUG}.py").read_text())
    positions = []
    for cell in cells:
        fragment = (GENERATED / SLUG / f"cell-{cell.number}.md").read_text()
        body = fragment.replace("](../generated/", "](../../../generated/")  # from docs/generated/<post>/<section>/
        assert body.strip() in markdown, f"cell {cell.number}'s fragment is not on the page"
        positions.append(markdown.index(body.strip()))
        if cell.title:
            assert f"\n## {cell.title}\n" in markdown
    assert positions == sorted(positions)
    assert markdown.startswith("# Three steps")


def test_its_figure_links_resolve_from_the_notebooks_folder():
    """The fragments are written for docs/<post>/<page>.md; the page sits in docs/generated/<post>/<section>/."""
    file = _file()
    links = re.findall(r"\]\(([^)#]+)#only-(?:light|dark)\)", page_markdown(file))
    assert links
    for link in links:
        target = (ROOT / "docs" / file.src_uri).parent / link
        assert target.resolve().is_file(), link


def test_the_built_page_offers_the_notebook_beside_it_as_the_build_wrote_it(built_site):
    html = (built_site / PAGE).read_text()
    assert re.search(r'<a href="steps\.ipynb" download="steps\.ipynb"[^>]*class="md-content__button', html)
    assert (built_site / f"generated/{SLUG}/steps.ipynb").read_bytes() == (GENERATED / f"{SLUG}.ipynb").read_bytes()
    assert "data:image/svg+xml" not in html and "jp-Cell" not in html  # figures are files, no notebook markup
    for palette in ("", "-dark"):
        assert f'src="cell-3-fig-1{palette}.svg#only-' in html
    assert 'class="run-it"' in html and "provenance" in html  # like every page that shows a snippet


def test_the_page_is_left_out_of_the_search_index(built_site):
    index = json.loads((built_site / "search/search_index.json").read_text())
    assert not [doc["location"] for doc in index["docs"] if doc["location"].startswith(f"generated/{SLUG}/")]


def test_only_the_navs_notebooks_become_pages_at_any_depth():
    from mkdocs.structure.files import Files
    from siteplugin.notebooks import as_pages

    uris = (
        "index.md",
        "generated/activation-functions/code/steps.ipynb",
        "generated/activation-functions/gelu/exact_vs_tanh.ipynb",
    )
    files = Files([File(uri, str(ROOT / "docs"), str(ROOT / "site"), True) for uri in uris])
    nav = [
        {"Home": "index.md"},
        {"Post": [{"Deep": [{"Notebook": "generated/activation-functions/code/steps.ipynb"}]}]},
    ]
    as_pages(files, nav)
    kinds = {file.src_uri: type(file).__name__ for file in files}
    assert kinds == {
        "index.md": "File",
        "generated/activation-functions/code/steps.ipynb": "NotebookFile",
        "generated/activation-functions/gelu/exact_vs_tanh.ipynb": "File",
    }
