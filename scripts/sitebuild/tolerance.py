"""Compare an output with the committed one number by number, for `--check` on a foreign platform.

Off the reference platform (another CPU family, or the pins switched off) the last bits differ, so
bytes cannot match; the text around the numbers must still match exactly, and each number closely.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

NUMBER = re.compile(r"[-+]?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][-+]?\d+)?")
RELATIVE = 1e-3  # printed values: a thousandth of the value...
ABSOLUTE = 1e-6  # ...or a millionth, for values that are rounding noise themselves (1.2e-07)
SVG_PIXELS = 0.5  # figure coordinates: half a pixel at the SVG's own scale


@dataclass
class Difference:
    """The largest difference between two outputs, and where it is."""

    size: float
    line: int
    committed: str
    current: str
    within: bool


def largest_difference(committed: str, current: str, svg: bool) -> Difference | None:
    """None when the texts around the numbers differ; else the largest number difference."""
    old_parts, new_parts = NUMBER.split(committed), NUMBER.split(current)
    if old_parts != new_parts:
        return None
    worst = Difference(0.0, 1, "", "", True)
    line = 1
    for old, new, between in zip(NUMBER.findall(committed), NUMBER.findall(current), old_parts, strict=True):
        line += between.count("\n")
        size = abs(float(old) - float(new))
        allowed = (
            SVG_PIXELS if svg else max(RELATIVE * max(abs(float(old)), abs(float(new))), ABSOLUTE, _last_place(old))
        )
        within = size <= allowed
        if (not within and worst.within) or (within == worst.within and size > worst.size):
            worst = Difference(size, line, old, new, within)
    return worst


def _last_place(text: str) -> float:
    """One unit in the last printed place: rounding may move the last digit by one."""
    mantissa, _, exponent = text.lower().partition("e")
    decimals = len(mantissa.partition(".")[2])
    return 10.0 ** (int(exponent or 0) - decimals)
