"""Turn a snippet's results into the bytes of its outputs under docs/generated/.

Per cell: `cell-K.md` (code, output, figures; a page includes it with
`--8<--`) and its SVGs; per snippet: `<name>.ipynb` with the real outputs and `<name>.py`, both opening
with the cell that pins the numeric environment (downloads.py), and `<name>/notebook.md`, the notebook as a page's
body (a page of the nav includes it, to show the notebook on the site).
"""

from __future__ import annotations

import html
import json
import math
import re

import nbformat

from .discover import Cell, Snippet
from .downloads import pin_cell, script
from .results import CellResult
from .stacking import MIN_TEXT_PX, smallest_text_pt

# Pages live one folder below docs/ (docs/<post>/<page>.md), so this prefix
# leads from a page that includes a fragment to docs/generated/.
FROM_PAGE = "../generated"


def render_snippet(snippet: Snippet, results: list[CellResult]) -> dict[str, bytes]:
    """Map of path (relative to docs/generated/) to bytes, for one snippet."""
    files: dict[str, bytes] = {}
    by_number = {r.number: r for r in results}
    for cell in snippet.cells:
        result = by_number[cell.number]
        for index, figure in enumerate(result.figures, start=1):
            stem = f"{snippet.slug}/cell-{cell.number}-fig-{index}"
            files[f"{stem}.svg"] = figure.light_svg.encode()
            files[f"{stem}-dark.svg"] = figure.dark_svg.encode()
            if figure.narrow_light_svg:  # named so sitepages/layout.py finds it from the wide one's name
                files[f"{stem}-narrow.svg"] = figure.narrow_light_svg.encode()
                files[f"{stem}-dark-narrow.svg"] = figure.narrow_dark_svg.encode()
        files[f"{snippet.slug}/cell-{cell.number}.md"] = cell_markdown(snippet, cell, result).encode()
    files[f"{snippet.slug}/notebook.md"] = notebook_page(snippet).encode()
    files[f"{snippet.slug}.ipynb"] = notebook(snippet, results).encode()
    files[f"{snippet.slug}.py"] = script(snippet).encode()
    values = {name: value for result in results for name, value in result.values.items()}
    if values:  # pages cite these by name: {{ section.name.value | fmt(".2f") }}
        files[f"{snippet.slug}/values.json"] = (json.dumps(values, indent=2, sort_keys=True) + "\n").encode()
    return files


def fence(text: str, lang: str, title: str) -> str:
    """A fenced block long enough that backticks inside cannot close it."""
    ticks = "`" * max(3, 1 + max((len(m) for m in re.findall(r"`+", text)), default=0))
    title = title.replace('"', "'")
    return f'{ticks}{lang} title="{title}"\n{text.rstrip()}\n{ticks}\n'


def cell_markdown(snippet: Snippet, cell: Cell, result: CellResult) -> str:
    title = snippet.relpath + (f" · {cell.title}" if cell.title else "")
    parts = [fence(cell.code.strip("\n"), "python", title)]
    if result.stdout:
        parts.append(fence(readable(result.stdout), "text", "Output"))
    images = []
    for index, figure in enumerate(result.figures, start=1):
        stem = f"{FROM_PAGE}/{snippet.slug}/cell-{cell.number}-fig-{index}"
        alt = html.escape(figure.alt, quote=True).replace("[", "&#91;").replace("]", "&#93;")
        # Intrinsic size, so the browser reserves the figure's box before it loads (no layout shift).
        size = "width={} height={}".format(*svg_size(figure.light_svg))
        if figure.narrow_light_svg:  # sitepages/layout.py makes these a <picture> with the narrow variant
            size += ' data-narrow-media="{}" data-narrow-size="{}x{}"'.format(
                narrow_media(figure.light_svg), *svg_size(figure.narrow_light_svg)
            )
        elif figure.narrow_skipped:
            images.append(f"<!-- {stem}: no narrow variant: {html.escape(figure.narrow_skipped)} -->")
        images.append(f"![{alt}]({stem}.svg#only-light){{ loading=lazy {size} }}")
        images.append(f"![{alt}]({stem}-dark.svg#only-dark){{ loading=lazy {size} }}")
    if images:
        parts.append("\n".join(images) + "\n")
    return "\n".join(parts)


SVG_SIZE = re.compile(r'<svg[^>]*?\swidth="(?P<width>[\d.]+)pt"\s+height="(?P<height>[\d.]+)pt"')


def svg_size(svg: str) -> tuple[int, int]:
    """A Matplotlib SVG's size in CSS pixels (it writes points; 1 pt = 4/3 px)."""
    match = SVG_SIZE.search(svg)
    if match is None:
        raise ValueError("the figure's SVG has no width and height in pt")
    return round(float(match["width"]) * 4 / 3), round(float(match["height"]) * 4 / 3)


# Material's one-column layout leaves the content this many px narrower than the viewport (0.8 rem margins);
# from 60em (960 px) on it puts the table of contents beside it, a desktop layout that keeps the wide figure.
COLUMN_MARGINS_PX = 32
ONE_COLUMN_MAX_PX = 959


def narrow_media(svg: str) -> str:
    """The one-column viewports whose column would shrink the figure's smallest text under MIN_TEXT_PX."""
    width_pt = float(SVG_SIZE.search(svg)["width"])  # the SVG's font sizes are in the same units
    smallest = smallest_text_pt(svg)
    widest = math.ceil(MIN_TEXT_PX * width_pt / smallest) + COLUMN_MARGINS_PX
    return f"(max-width: {min(widest, ONE_COLUMN_MAX_PX)}px)"


def readable(text: str) -> str:
    """Show control characters (ANSI colour codes, say) as escapes instead of raw bytes."""
    return re.sub(r"[\x00-\x08\x0b-\x1f\x7f]", lambda m: repr(m.group())[1:-1], text)


def notebook_page(snippet: Snippet) -> str:
    """The notebook as Markdown: each cell's fragment under the cell titles the notebook has (a page adds its own
    title above it); the fragments are included, not copied, so the page shows the same bytes as every other."""
    lines = [
        "The notebook's cells with the outputs the build captured. The download opens with one more cell, which "
        "sets the [numeric environment](../reproducibility.md#run-a-snippet-yourself) these outputs were made in.",
    ]
    for cell in snippet.cells:
        if cell.title:
            lines += ["", f"## {cell.title}"]
        lines += ["", f'--8<-- "generated/{snippet.slug}/cell-{cell.number}.md"']
    return "\n".join(lines) + "\n"


def notebook(snippet: Snippet, results: list[CellResult]) -> str:
    """A notebook with the snippet's cells and the outputs the build captured."""
    nb = nbformat.v4.new_notebook()
    nb.metadata = {
        "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
        "language_info": {"name": "python"},
    }
    intro = (
        f"# {snippet.summary or snippet.relpath}\n\n"
        f"Generated from `{snippet.relpath}` by `scripts/build.py`; the outputs below are the ones the build captured. "
        "Its first code cell sets the numeric environment those outputs were made in: run it first."
    )
    nb.cells.append(nbformat.v4.new_markdown_cell(intro))
    nb.cells.append(nbformat.v4.new_code_cell(pin_cell().rstrip("\n"), execution_count=1))
    by_number = {r.number: r for r in results}
    for count, cell in enumerate(snippet.cells, start=2):
        if cell.title:
            nb.cells.append(nbformat.v4.new_markdown_cell(f"## {cell.title}"))
        result = by_number[cell.number]
        outputs = []
        if result.stdout:
            outputs.append(nbformat.v4.new_output("stream", name="stdout", text=result.stdout))
        for figure in result.figures:
            # The description travels as the image's own metadata; text/plain is what text-only frontends show.
            data = {"image/svg+xml": figure.light_svg, "text/plain": figure.alt}
            metadata = {"image/svg+xml": {"alt": figure.alt}}
            outputs.append(nbformat.v4.new_output("display_data", data=data, metadata=metadata))
        code = nbformat.v4.new_code_cell(cell.code.strip("\n"), execution_count=count, outputs=outputs)
        nb.cells.append(code)
    for index, cell in enumerate(nb.cells):
        cell["id"] = f"cell-{index}"  # stable ids instead of random ones
    return nbformat.writes(nb) + "\n"
