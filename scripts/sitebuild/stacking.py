"""A phone-sized copy of a figure: its panels stacked in one column, narrow enough that text stays legible.

A figure shrunk into a 343 px phone column scales its text with it; the copy is laid out again instead.
"""

from __future__ import annotations

import math
import pickle
import re
import textwrap

# Matplotlib is imported where it is used: render.py reads the constants below in builds that run nothing.

# The content column of Material on a 375 px phone (0.8 rem margins each side).
PHONE_COLUMN_PX = 343
# The bar this project sets for figure text a phone reader makes out without zooming (WCAG sets no
# minimum size): 9 CSS px, 70% of the 13.3 px that Matplotlib's 10 pt labels take at natural size.
# Shrunk into the phone column, the wide two- to four-panel figures put their ticks at 3-6 px.
MIN_TEXT_PX = 9
NARROW_INCHES = 4.0  # 384 CSS px: 8 pt text still lands at 9.5 px in the phone column
MAX_PANEL_INCHES = 3.2  # a stacked panel taller than this scrolls past before it can be read


def text_px_at_phone_width(font_pt: float, figure_inches: float) -> float:
    """CSS px of `font_pt` text in a figure `figure_inches` wide, shown in the phone column (never enlarged)."""
    shown_px = min(PHONE_COLUMN_PX, figure_inches * 96)  # 96 CSS px to the inch
    return font_pt * shown_px / (figure_inches * 72)


FONT_SIZE = re.compile(r"font-size: (?P<size>[\d.]+)px")


def smallest_text_pt(svg: str) -> float | None:
    """The smallest font size in a Matplotlib SVG (in pt, its user unit), exponents of log ticks included."""
    return min((float(m["size"]) for m in FONT_SIZE.finditer(svg)), default=None)


def stacked_copy(fig, svg: str):
    """(copy, "") with the panels stacked, (None, "") when `fig` is legible as it is, or (None, reason).

    `svg` is the figure as already drawn: its font sizes include mathtext's smaller exponents.
    """
    small = smallest_text_pt(svg)
    if small is None or text_px_at_phone_width(small, fig.get_figwidth()) >= MIN_TEXT_PX:
        return None, ""
    # Down to a 20th of an inch, so the SVG's rounded width cannot put the text a hair under the minimum.
    width = min(NARROW_INCHES, math.floor(small * PHONE_COLUMN_PX / (MIN_TEXT_PX * 72) * 20) / 20)
    reason = _unstackable(fig)
    if reason:
        return None, reason
    try:
        copy = pickle.loads(pickle.dumps(fig))  # the original keeps its layout for the wide SVGs
    except Exception as exc:  # an artist that cannot be copied: a lambda formatter, say
        return None, f"the figure cannot be copied ({type(exc).__name__}: {exc})"
    _restack(copy, width)
    return copy, ""


def _unstackable(fig) -> str:
    if fig.legends:
        return "a figure-level legend (fig.legend) has no panel to move with"
    if fig.subfigs:
        return "subfigures"
    specs = [ax.get_subplotspec() for ax in fig.axes]
    if any(spec is None for spec in specs):
        return "an axes outside the subplot grid (fig.add_axes, or a colorbar's own axes)"
    if len({id(spec.get_gridspec()) for spec in specs}) > 1:
        return "panels from more than one grid (a colorbar, or a nested grid)"
    return ""


def _restack(fig, width: float) -> None:
    """Put the panels in one column, row by row; each keeps the height of its rows, up to MAX_PANEL_INCHES."""
    from matplotlib.gridspec import GridSpec

    panels = sorted(fig.axes, key=lambda ax: (ax.get_subplotspec().rowspan.start, ax.get_subplotspec().colspan.start))
    grid = panels[0].get_subplotspec().get_gridspec()
    nrows, ncols = grid.get_geometry()
    ratios = grid.get_height_ratios() or [1] * nrows
    heights = [
        min(fig.get_figheight() * sum(ratios[r] for r in ax.get_subplotspec().rowspan) / sum(ratios), MAX_PANEL_INCHES)
        for ax in panels
    ]
    fig.set_size_inches(width, sum(heights))
    column = GridSpec(len(panels), 1, figure=fig, height_ratios=heights)
    for index, ax in enumerate(panels):
        ax.set_subplotspec(column[index])
        if ncols > 1:  # subplots(sharex/sharey) hid inner tick labels; in a column each panel needs its own
            if len(ax.get_shared_x_axes().get_siblings(ax)) > 1:
                ax.tick_params(labelbottom=True)
            if len(ax.get_shared_y_axes().get_siblings(ax)) > 1:
                ax.tick_params(labelleft=True)
    titles = list(fig.texts) + [t for ax in panels for t in (ax.title, ax.xaxis.label, ax.yaxis.label)]
    for text in titles:  # fig.texts holds the suptitle
        text.set_wrap(True)  # a title written for the wide figure breaks at the narrow figure's edges
    _layout(fig)
    if _fit_legends(panels):
        _layout(fig)


def _layout(fig) -> None:
    from matplotlib.layout_engine import ConstrainedLayoutEngine

    if isinstance(fig.get_layout_engine(), ConstrainedLayoutEngine):
        fig.draw_without_rendering()  # constrained layout runs at each draw; no pixels are needed
    else:
        fig.tight_layout()


def _fit_legends(panels) -> bool:
    """Break the labels of a legend wider than its panel over more lines, so it stays inside the figure."""
    renderer, changed = panels[0].figure.canvas.get_renderer(), False
    for ax in panels:
        legend = ax.get_legend()
        if legend is None:
            continue
        for _ in range(3):  # each pass narrows the labels by what the last one measured
            spare = ax.get_window_extent(renderer).width / legend.get_window_extent(renderer).width
            longest = max(len(line) for t in legend.get_texts() for line in t.get_text().splitlines())
            if spare >= 1 or longest <= 12:
                break
            for text in legend.get_texts():
                text.set_text(textwrap.fill(text.get_text(), max(12, int(longest * spare * 0.9))))
            changed = True
    return changed
