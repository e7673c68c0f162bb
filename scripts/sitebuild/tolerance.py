"""Compare an output with the committed one within tolerance, for `--check` on a foreign platform.

Off the reference platform (another CPU family, or the pins switched off) the last bits differ, so
bytes cannot match. Text must still match word for word and each number closely; colours, element ids,
hashes and version strings are words, not numbers. A figure must look the same: matplotlib's path
simplification keeps other points of a curve once its values move in the last bits, so an SVG's text can
change where the picture does not, and figures are compared as rendered pictures.
"""

from __future__ import annotations

import io
import json
import math
import re
from dataclasses import dataclass
from pathlib import Path

# A number stands alone: not part of a word or an id (m1e2029a, float32), a hex colour (#1e2029) or a dotted
# version (2.13.0). A full stop may end the sentence after it.
NUMBER = re.compile(r"(?<![\w#.])[-+]?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][-+]?\d+)?(?!\w|\.\d)")
RELATIVE = 1e-3  # printed values: a thousandth of the value...
ABSOLUTE = 1e-6  # ...or a millionth, for values that are rounding noise themselves (1.2e-07)
SVG_PIXELS = 0.5  # figure coordinates: half a pixel at the SVG's own scale
# Rendered figures, averaged over 2x2 pixel blocks at 96 dpi: no block may change by more than half of full
# contrast. Other simplification points change a block by 17 %, values moved by 1e-3 of their size by 13 %, a curve
# moved by less than a pixel by up to 38 % (the GELU difference curve on aarch64: 46 %); one added letter changes one
# by 77 %, a curve moved by 1.5 px by 67 %, values 2 % larger by 69 % (tests/unit/test_tolerance.py).
FIGURE_CONTRAST = 0.5
SVG = "image/svg+xml"


@dataclass
class Difference:
    """The largest difference between two outputs, and where it is."""

    size: float
    line: int
    committed: str
    current: str
    within: bool


def judge(name: str, committed: str, current: str) -> Difference | None:
    """The largest difference between two versions of the output `name`; None when their words differ."""
    if name.endswith(".svg"):
        as_text = largest_difference(committed, current, svg=True)
        return as_text if as_text is not None and as_text.within else figure_difference(committed, current)
    if name.endswith(".ipynb"):
        return notebook_difference(committed, current)
    return largest_difference(committed, current, svg=False)


def largest_difference(committed: str, current: str, svg: bool) -> Difference | None:
    """None when the texts around the numbers differ; else the largest number difference."""
    old_parts, new_parts = NUMBER.split(committed), NUMBER.split(current)
    if old_parts != new_parts:
        return None
    worst = Difference(0.0, 1, "", "", True)
    line = 1
    for old, new, between in zip(NUMBER.findall(committed), NUMBER.findall(current), old_parts[:-1], strict=True):
        line += between.count("\n")
        a, b = float(old), float(new)  # beyond float's range a number reads as inf
        if not (math.isfinite(a) and math.isfinite(b)):
            size, allowed = (0.0, 0.0) if old == new else (math.inf, 0.0)
        else:
            size = abs(a - b)
            allowed = SVG_PIXELS if svg else max(RELATIVE * max(abs(a), abs(b)), ABSOLUTE, _last_place(old))
        within = size <= allowed
        if (not within and worst.within) or (within == worst.within and size > worst.size):
            worst = Difference(size, line, old, new, within)
    return worst


def figure_difference(committed: str, current: str) -> Difference:
    """Both SVGs rendered: the largest change of a 2x2 block of pixels, as a share of full contrast."""
    old, new = _render(committed), _render(current)
    if old.shape != new.shape:
        return Difference(1.0, 1, f"{old.shape[1]}x{old.shape[0]} px", f"{new.shape[1]}x{new.shape[0]} px", False)
    change = abs(_blocks(old) - _blocks(new)).max(axis=2) / 255  # the largest over R, G, B and alpha
    size = float(change.max())
    row = int(change.argmax()) // change.shape[1]
    where = f"the rendered figure, pixel row {2 * row}"
    return Difference(size, 1, where, f"{size:.0%} of full contrast", size <= FIGURE_CONTRAST)


def notebook_difference(committed: str, current: str) -> Difference | None:
    """A notebook's text within tolerance, and each of its figures by figure_difference()."""
    old_text, old_figures = _without_figures(committed)
    new_text, new_figures = _without_figures(current, lines=[len(f.splitlines()) for f in old_figures])
    if len(old_figures) != len(new_figures):
        return None
    differences = [largest_difference(old_text, new_text, svg=False)]
    differences += [figure_difference(old, new) for old, new in zip(old_figures, new_figures, strict=True)]
    if None in differences:
        return None
    beyond = [d for d in differences if not d.within]
    return max(beyond or differences, key=lambda d: d.size)


def _without_figures(notebook: str, lines: list[int] | None = None) -> tuple[str, list[str]]:
    """The notebook's JSON with each SVG's lines replaced by placeholders, and the SVGs in order.

    Written as nbformat writes it (sorted keys, indent 1), with as many placeholder lines as the committed SVG had
    (`lines`, by default this notebook's own), so a line number still points into the committed file.
    """
    data = json.loads(notebook)
    figures = []
    for cell in data.get("cells", []):
        for output in cell.get("outputs", []):
            svg = output.get("data", {}).get(SVG)
            if svg is not None:
                figures.append("".join(svg))
                count = (
                    len(figures[-1].splitlines())
                    if lines is None or len(figures) > len(lines)
                    else lines[len(figures) - 1]
                )
                output["data"][SVG] = [f"figure {len(figures)}\n"] * count
    return json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False), figures


def _render(svg: str):
    """The SVG as RGBA pixels at 96 dpi, its text set in matplotlib's own DejaVu fonts (no system font)."""
    import matplotlib
    import numpy
    import resvg_py
    from PIL import Image

    fonts = str(Path(matplotlib.get_data_path()) / "fonts" / "ttf")
    png = resvg_py.svg_to_bytes(svg_string=svg, skip_system_fonts=True, font_dirs=[fonts], dpi=96.0)
    return numpy.asarray(Image.open(io.BytesIO(bytes(png))).convert("RGBA"), dtype=numpy.float64)


def _blocks(pixels):
    """The mean of each 2x2 block: a change smaller than a pixel spreads its effect instead of counting twice."""
    height, width = pixels.shape[0] // 2 * 2, pixels.shape[1] // 2 * 2
    return pixels[:height, :width].reshape(height // 2, 2, width // 2, 2, -1).mean(axis=(1, 3))


def _last_place(text: str) -> float:
    """One unit in the last printed place: rounding may move the last digit by one."""
    mantissa, _, exponent = text.lower().partition("e")
    decimals = len(mantissa.partition(".")[2])
    return float(f"1e{int(exponent or 0) - decimals}")  # inf or 0.0 beyond float's range, never OverflowError
