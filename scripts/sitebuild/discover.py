"""Find snippets and split them into `# %%` cells (keys.py computes their cache keys).

Nothing here imports torch: a build with nothing to do must stay cheap.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SNIPPETS = ROOT / "snippets"
GENERATED = ROOT / "docs" / "generated"

# A cell starts at a line "# %%", optionally followed by a title.
CELL_MARKER = re.compile(r"^# %%(?P<title>.*)$")
SECTION_NAME = re.compile(r"[a-z0-9][a-z0-9_-]*")
RESERVED = {"generated": "build outputs", "assets": "styles and scripts"}  # folders under docs/ that are no post


@dataclass
class Cell:
    number: int  # 1-based among "# %%" cells; 0 for code before the first marker
    header: str  # the marker's text after "# %%": a title, then Jupytext metadata (publish=, alt=)
    first_line: int  # 1-based line of the first code line in the file
    code: str

    @property
    def title(self) -> str:
        from .headers import parse_header

        return parse_header(self.header)[0]


@dataclass
class Snippet:
    path: Path  # absolute
    relpath: str  # "snippets/<post>/<section>/<name>.py", as shown in messages
    source: str
    cells: list[Cell]
    error: str | None = None  # set when the file cannot even be read as Python source

    @property
    def slug(self) -> str:
        """`<post>/<section>/<name>`: where its outputs live under docs/generated/."""
        return self.relpath.removeprefix("snippets/").removesuffix(".py")

    @property
    def summary(self) -> str:
        """The one-line comment a snippet starts with."""
        first = self.source.splitlines()[0] if self.source else ""
        return first.lstrip("# ").strip() if first.startswith("#") else ""


def find_snippets(root: Path = SNIPPETS) -> list[Snippet]:
    """Every `snippets/<post>/<section>/<name>.py`, sorted by path; a .py at another depth is an error of its own."""
    found = []
    for path in sorted(root.rglob("*.py")):
        if any(part.startswith(".") for part in path.relative_to(root).parts):
            continue  # an editor's or Jupyter's hidden copy (.ipynb_checkpoints/)
        relpath = path.relative_to(root.parent).as_posix()
        source, error = read_source(path.read_bytes(), relpath)
        found.append(Snippet(path, relpath, source, split_cells(source), name_error(relpath) or error))
    return found


def name_error(relpath: str) -> str | None:
    """Pages cite `{{ section.name.value }}`: a snippet's name is an identifier, its post and section plain words."""
    parts = relpath.removeprefix("snippets/").removesuffix(".py").split("/")
    if len(parts) != 3:
        return (
            f"{relpath}:1: Error: a snippet belongs to a post and a section: move it to "
            f"snippets/<post>/<section>/{parts[-1]}.py (the post is its pages' folder under docs/)"
        )
    post, section, name = parts
    if post in RESERVED:
        return f"{relpath}:1: Error: '{post}' cannot name a post: docs/{post}/ holds the site's {RESERVED[post]}"
    for kind, word in (("post", post), ("section", section)):
        if not SECTION_NAME.fullmatch(word):
            return f"{relpath}:1: Error: the {kind} '{word}' must be lower-case letters, digits, '-' and '_'"
    if not name.isidentifier():
        better = re.sub(r"\W", "_", name)
        return (
            f"{relpath}:1: Error: the snippet's name '{name}' is not a Python identifier, so no page could cite "
            f"its values ({{{{ {section}.{name}.value }}}} would not parse): rename it to {better}.py"
        )
    return None


def read_source(raw: bytes, relpath: str) -> tuple[str, str | None]:
    """The file as text, and an error naming the line when it is not UTF-8 (Python refuses to run it too)."""
    try:
        return raw.decode("utf-8"), None
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        error = f"{relpath}:{line}: SyntaxError: byte 0x{raw[exc.start]:02x} is not UTF-8; save the file as UTF-8"
        return raw.decode("utf-8", "replace"), error


def split_cells(source: str) -> list[Cell]:
    """Split percent-format source into cells; comment-only preambles are dropped."""
    cells: list[Cell] = []
    header, start, lines, number = "", 1, [], 0
    for lineno, line in enumerate(source.splitlines(), start=1):
        marker = CELL_MARKER.match(line)
        if marker:
            cells.append(Cell(number, header, start, "\n".join(lines)))
            number += 1
            header, start, lines = marker["title"].strip(), lineno + 1, []
        else:
            lines.append(line)
    cells.append(Cell(number, header, start, "\n".join(lines)))
    return [c for c in cells if c.number > 0 or _has_code(c.code)]


def _has_code(text: str) -> bool:
    return any(line.strip() and not line.lstrip().startswith("#") for line in text.splitlines())
