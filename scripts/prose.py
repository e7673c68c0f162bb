"""Numbers in a page's rendered prose: outside code, output, math and cited values, with the source line.

Shared by tests/test_prose_numbers.py and scripts/mutate.py (kept under scripts/: scripts import nothing from tests/).
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parents[1]
ALLOWED_FILE = ROOT / "tests" / "allowed-numbers.toml"
# A number as a reader sees it: 2.7, 4,096, 5×10⁻⁴, 25 %, −0.75 (sign and unit are not part of it).
NUMBER = re.compile(r"(?<![\w.])(?<![A-Za-z]-)\d+(?:[.,]\d+)*(?:×10[⁻⁰¹²³⁴⁵⁶⁷⁸⁹]+)?")
SKIP = (
    ".filename, pre, code, .arithmatex, .katex, span.value, .provenance, .headerlink, .footnote-ref, .footnote-backref"
)


def prose_numbers(html: str) -> list[str]:
    """Every number in the article's text that is not code, output, math or a cited value."""
    soup = BeautifulSoup(html, "html.parser")
    article = soup.select_one("article") or soup
    for node in article.select(SKIP):
        node.decompose()
    return NUMBER.findall(article.get_text(" "))


def allowed() -> dict[str, set[str]]:
    """Page (relative to docs/) -> the literal numbers it may show, each listed with its source."""
    data = tomllib.loads(ALLOWED_FILE.read_text(encoding="utf-8"))
    return {page: {entry["number"] for entry in entries} for page, entries in data.items()}


def source_line(markdown: str, number: str) -> int:
    """The first line of the page's Markdown where `number` stands on its own, else 1."""
    pattern = re.compile(rf"(?<![\w.]){re.escape(number)}(?![\w])")
    for lineno, line in enumerate(markdown.splitlines(), start=1):
        if pattern.search(line) and "{{" not in line.split(number)[0][-30:]:
            return lineno
    return 1


def unbound(page: str, html: str, markdown: str) -> list[str]:
    """`docs/<page>:LINE: number N is typed by hand ...` for each number neither cited nor allowed."""
    lists = allowed()
    permitted = lists.get(page, set()) | lists.get("*", set())
    return [
        f"docs/{page}:{source_line(markdown, number)}: number {number} is typed by hand; publish it from a "
        f"snippet and cite it ({{{{ section.name.value | fmt }}}}), or list it in tests/allowed-numbers.toml"
        for number in dict.fromkeys(prose_numbers(html))
        if number not in permitted
    ]
