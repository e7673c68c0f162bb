"""Each notebook in the nav becomes a page made of its snippet's fragments, with the notebook as a download.

The page is Markdown like any other: the snippet's title, a heading per titled cell and each cell's fragment
(code, output, light and dark figures; figure_hook.py adds the phone variants), so it renders as the snippet's
other pages do. The fragments are written for a page one folder deep (docs/<post>/<page>.md), so their figure
links are rewritten for the notebook's own folder. The `.ipynb` itself is copied beside the page.
"""

from __future__ import annotations

import json
from pathlib import Path

from mkdocs.structure.files import File, Files
from sitebuild.discover import GENERATED

DOWNLOAD_ICON = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" aria-hidden="true">'
    '<path d="M5 20h14v-2H5m14-9h-4V3H9v6H5l7 7z"/></svg>'
)


class NotebookFile(File):
    """A `.ipynb` of the nav that MkDocs builds as a page (its source is given by `page_markdown`)."""

    def is_documentation_page(self) -> bool:
        return True

    @property
    def slug(self) -> str:
        return self.src_uri.removeprefix("generated/").removesuffix(".ipynb")


def nav_notebooks(nav) -> list[str]:
    """Every `.ipynb` the nav names, at any depth."""
    if isinstance(nav, str):
        return [nav] if nav.endswith(".ipynb") else []
    items = nav.values() if isinstance(nav, dict) else nav or []
    return [uri for item in items for uri in nav_notebooks(item)]


def as_pages(files: Files, nav) -> None:
    """Swap each nav notebook's File for a NotebookFile (MkDocs reports a nav entry without a file itself)."""
    for uri in nav_notebooks(nav):
        found = files.get_file_from_path(uri)
        if found is not None and not isinstance(found, NotebookFile):
            files.remove(found)
            files.append(NotebookFile(found.src_path, found.src_dir, found.dest_dir, found.use_directory_urls))


def page_markdown(file: NotebookFile) -> str:
    """The page: the notebook's title, then each code cell's fragment, under the cell titles the notebook holds.

    Read from the notebook the build wrote (render.notebook: a title cell, the pin cell, then the snippet's cells
    with a `## title` cell before each titled one), so a build with nothing to do imports no cell parser.
    """
    cells = json.loads(Path(file.abs_src_path).read_text(encoding="utf-8"))["cells"]
    fragments = iter(sorted((GENERATED / file.slug).glob("cell-*.md"), key=lambda path: int(path.stem[5:])))
    title = "".join(cells[0]["source"]).splitlines()[0] if cells else f"# {file.slug}"
    up = "../" * file.src_uri.count("/")
    lines = [
        title,
        "",
        f"The notebook's cells with the outputs the build captured. The download opens with one more cell, which "
        f"sets the [numeric environment]({up}reproducibility.md#run-a-snippet-yourself) these outputs were made in.",
    ]
    for cell in cells[2:]:  # after the title and the pin cell
        if cell["cell_type"] == "markdown":
            lines += ["", "".join(cell["source"])]
            continue
        fragment = next(fragments, None)
        text = fragment.read_text(encoding="utf-8") if fragment else "A cell's fragment is missing: run the build.\n"
        lines += ["", text.replace("](../generated/", f"]({up}generated/").rstrip("\n")]
    return "\n".join(lines) + "\n"


def download_button(file: NotebookFile) -> str:
    """Material's button row gets a download of the notebook, which sits beside the page."""
    name = Path(file.src_uri).name
    return (
        f'<a href="{name}" download="{name}" title="Download the notebook ({name})" '
        f'aria-label="Download the notebook ({name})" class="md-content__button md-icon">{DOWNLOAD_ICON}</a>'
    )


def copy_beside(file: NotebookFile) -> None:
    """The notebook file itself, next to its page's index.html, for the download button."""
    beside = Path(file.abs_dest_path).parent / Path(file.src_uri).name
    beside.parent.mkdir(parents=True, exist_ok=True)
    beside.write_bytes(Path(file.abs_src_path).read_bytes())
