"""Capture the figures a cell left open, as SVG for the light and the dark palette.

The dark variant is the same figure with its greys inverted (black text and
axes become light, white frames become dark) while coloured lines keep their hue.
A figure too wide for a phone also gets a stacked narrow variant (stacking.py), in both palettes.
"""

from __future__ import annotations

import contextlib
import io

import matplotlib
from matplotlib import colors
from matplotlib.layout_engine import PlaceHolderLayoutEngine

from .results import FigureOutput
from .stacking import stacked_copy

SVG_RC = {
    "svg.hashsalt": "activation-functions",  # stable element ids, so bytes repeat
    "svg.fonttype": "none",  # real <text>: smaller files, selectable labels
}


class FigureWithoutAlt(Exception):
    pass


def prepare_matplotlib() -> None:
    """Matplotlib's own defaults plus SVG_RC: an author's matplotlibrc or style must not reach the figures."""
    matplotlib.use("Agg")
    matplotlib.rcdefaults()  # the backend is kept: rcdefaults leaves style-blacklisted keys alone
    matplotlib.rcParams.update(SVG_RC)


def capture_figures(relpath: str, cell_line: int, alts: list[str] | None = None) -> list[FigureOutput]:
    """Every open figure, in creation order, as light and dark SVG; then close them.

    Alt text comes from the cell's `alt=` metadata when it has one, else from each figure's label.
    """
    import matplotlib.pyplot as plt

    numbers = plt.get_fignums()
    if alts is not None and len(alts) != len(numbers):
        raise FigureWithoutAlt(f"the cell's alt= gives {len(alts)} text(s) for {len(numbers)} figure(s)")
    captured = []
    for index, number in enumerate(numbers):
        fig = plt.figure(number)
        alt = (alts[index] if alts is not None else fig.get_label()).strip()
        if not alt:
            raise FigureWithoutAlt(
                f'figure {number} has no description; give the cell\'s marker alt="what the figure shows" '
                "(it may cite published values: {{ max_gap | sci(1) }}), or create it with plt.subplots(..., num=...)"
            )
        light = _svg(fig)
        narrow = _narrow_variant(fig, light)
        _invert_greys(fig)
        captured.append(FigureOutput(alt, light, _svg(fig), *narrow))
        plt.close(fig)
    return captured


def _narrow_variant(fig, svg: str) -> tuple[str, str, str]:
    """Light and dark SVG of the figure stacked for phones, or ("", "", why there is none)."""
    import matplotlib.pyplot as plt

    copy, reason = stacked_copy(fig, svg)
    if copy is None:
        return "", "", reason
    light = _svg(copy)
    _invert_greys(copy)
    dark = _svg(copy)
    plt.close(copy)
    return light, dark, ""


def _svg(fig) -> str:
    buffer = io.StringIO()
    with _placeholder_layout_off(fig):
        fig.savefig(buffer, format="svg", transparent=True, metadata={"Date": None})
    return buffer.getvalue()


@contextlib.contextmanager
def _placeholder_layout_off(fig):
    """Without a layout engine for the duration, when the figure's engine is one that lays nothing out.

    fig.tight_layout() leaves such a placeholder behind, and any engine makes savefig draw the whole
    figure once before the real draw, for layout: about 45% of an SVG's time, spent on nothing here.
    """
    engine = fig.get_layout_engine()
    if not isinstance(engine, PlaceHolderLayoutEngine):
        yield
        return
    with matplotlib.rc_context({"figure.autolayout": False, "figure.constrained_layout.use": False}):
        fig.set_layout_engine(None)  # with those two off, None means no engine at all
    try:
        yield
    finally:
        fig.set_layout_engine(engine)


# The dark variant maps white to the slate palette's background and black to
# a soft light ink, so frames blend into the page instead of showing as black boxes.
DARK_BACKGROUND = colors.to_rgb("#1e2029")
DARK_INK = colors.to_rgb("#e2e4e9")


def _invert_grey(color):
    r, g, b, a = colors.to_rgba(color)
    if max(r, g, b) - min(r, g, b) > 0.08:  # a real colour: keep its hue
        return (r, g, b, a)
    lightness = (r + g + b) / 3
    return (*(bg + (1 - lightness) * (ink - bg) for bg, ink in zip(DARK_BACKGROUND, DARK_INK, strict=True)), a)


def _invert_greys(fig) -> None:
    """Recolour in place every grey of every artist: text, spines, ticks, frames."""
    pairs = [
        ("get_color", "set_color"),
        ("get_edgecolor", "set_edgecolor"),
        ("get_facecolor", "set_facecolor"),
        ("get_markeredgecolor", "set_markeredgecolor"),
        ("get_markerfacecolor", "set_markerfacecolor"),
    ]
    for artist in fig.findobj():
        for getter, setter in pairs:
            if not (hasattr(artist, getter) and hasattr(artist, setter)):
                continue
            try:
                value = getattr(artist, getter)()
                if isinstance(value, str) and value in ("none", "auto"):
                    continue
                if hasattr(value, "ndim") and value.ndim == 2:  # collections: one colour per item
                    new = [_invert_grey(c) for c in value]
                else:
                    new = _invert_grey(value)
                getattr(artist, setter)(new)
            except (ValueError, TypeError):
                continue  # an artist whose colour is not a plain colour (a colormap, say)
