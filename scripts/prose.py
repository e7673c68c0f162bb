"""Numbers in a page's rendered prose: outside code, output, math and cited values, with the source line.

Shared by tests/test_prose_numbers.py and scripts/mutate.py (kept under scripts/: scripts import nothing from tests/).
"""

from __future__ import annotations

import re
import tomllib
from collections import Counter
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


def allowed() -> dict[str, dict[str, int]]:
    """Page (relative to docs/) -> {literal number: how many times it appears}, each listed with its source.

    An exact count, not a set: a year edited into another allowed year (2018 -> 2019), or a 0 into a 1,
    changes two counts and is caught.
    """
    data = tomllib.loads(ALLOWED_FILE.read_text(encoding="utf-8"))
    return {page: {entry["number"]: entry["count"] for entry in entries} for page, entries in data.items()}


def source_line(markdown: str, number: str) -> int:
    """The first line of the page's Markdown where `number` stands on its own, else 1."""
    pattern = re.compile(rf"(?<![\w.]){re.escape(number)}(?![\w])")
    for lineno, line in enumerate(markdown.splitlines(), start=1):
        if pattern.search(line) and "{{" not in line.split(number)[0][-30:]:
            return lineno
    return 1


def unbound(page: str, html: str, markdown: str) -> list[str]:
    """`docs/<page>:LINE: number N ...` per number not cited nor allowed, or allowed another number of times."""
    permitted = allowed().get(page, {})
    found = Counter(prose_numbers(html))
    problems = []
    for number in dict.fromkeys([*found, *permitted]):
        where = f"docs/{page}:{source_line(markdown, number)}: number {number}"
        if number not in permitted:
            problems.append(
                f"{where} is typed by hand; publish it from a snippet and cite it "
                f"({{{{ section.name.value | fmt }}}}), or list it in tests/allowed-numbers.toml"
            )
        elif found[number] != permitted[number]:
            problems.append(
                f"{where} appears {found[number]} times, but tests/allowed-numbers.toml allows it "
                f"{permitted[number]} times on this page; cite a computed value, or correct the count"
            )
    return problems
