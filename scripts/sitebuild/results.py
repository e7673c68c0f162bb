"""What running a snippet produces: per-cell output, figures and published values, and the snippet's error.

Kept apart from execute.py so figures.py and render.py can use them without importing the runner.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class FigureOutput:
    alt: str
    light_svg: str
    dark_svg: str


@dataclass
class CellResult:
    number: int
    stdout: str
    figures: list[FigureOutput] = field(default_factory=list)
    seconds: float = 0.0
    values: dict = field(default_factory=dict)  # what the cell's publish= names, as JSON data


@dataclass
class SnippetResult:
    relpath: str
    cells: list[CellResult]
    seconds: float
    error: str | None = None  # "snippets/x/y.py:LINE: Type: message\n<traceback>"
    warnings: list[str] = field(default_factory=list)  # "snippets/x/y.py:LINE: UserWarning: message"
