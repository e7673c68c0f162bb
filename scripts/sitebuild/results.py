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
    narrow_light_svg: str = ""  # the panels stacked for phones (stacking.py); "" when not needed or not made
    narrow_dark_svg: str = ""
    narrow_skipped: str = ""  # why a figure too wide for a phone has no narrow variant


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


@dataclass
class Outcome:
    """One snippet run and rendered: its output files (path under docs/generated/ -> bytes), or its error."""

    files: dict[str, bytes]
    error: str | None
    seconds: float
    warnings: list[str] = field(default_factory=list)
    result: SnippetResult | None = None  # the run behind the files, stored under its execution key (keys.py)
    rendered_only: bool = False  # rendered again from a stored run, not run


@dataclass
class BuildReport:
    ran: list[str] = field(default_factory=list)
    rendered: list[str] = field(default_factory=list)  # re-rendered from a stored run: only rendering code changed
    cached: list[str] = field(default_factory=list)
    failures: dict[str, str] = field(default_factory=dict)  # snippet -> "file:line: ..." message
    stale: dict[str, str] = field(default_factory=dict)  # output -> unified diff (--check)
    written: list[str] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)
    foreign: str = ""  # with --check off the reference platform: "aarch64, unpinned", say
    tolerated: dict = field(default_factory=dict)  # output -> tolerance.Difference, the largest number difference

    @property
    def ok(self) -> bool:
        return not self.failures and not self.stale
