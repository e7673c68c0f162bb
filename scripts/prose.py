"""Numbers in a page's rendered prose and maths, and number words: outside code, output and cited values.

Shared by tests/test_prose_numbers.py and tools/mutate.py (kept under scripts/: tools import nothing from tests/).
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
    ".filename, pre, code, .arithmatex, .katex, span.value, .provenance, .headerlink, .footnote-ref, .footnote-backref,"
    " a.citation, .references"  # a citation's year and the reference list come from docs/references.bib
)
# Numbers written as words: a snippet's setting ("three hidden layers") drifts as silently as a digit.
WORDS = "two three four five six seven eight nine ten eleven twelve twenty thirty forty fifty hundred thousand"
NUMBER_WORD = re.compile(rf"\b(?:{'|'.join(WORDS.split())})\b", re.IGNORECASE)
# A number in LaTeX, as a reader sees it: 10^{-38} -> 10⁻³⁸, \tfrac14 or 1/4 -> 1/4, \sqrt 2 -> √2, 1.702.
LATEX_NUMBER = re.compile(
    r"10\^\{?(?P<power>-?\d+)\}?"
    r"|\\[dt]?frac\s*(?:\{(?P<num>\d+)\}|(?P<num1>\d))\s*(?:\{(?P<den>\d+)\}|(?P<den1>\d))"
    r"|(?P<a>\d+(?:\.\d+)?)\s*/\s*(?P<b>\d+(?:\.\d+)?)"
    r"|\\sqrt\s*\{?\s*(?P<root>\d+)\s*\}?"
    r"|(?P<plain>\d+(?:\.\d+)?)"
)
SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def _article(html: str):
    soup = BeautifulSoup(html, "html.parser")
    return soup.select_one("article") or soup


def _prose_text(html: str) -> str:
    article = _article(html)
    for node in article.select(SKIP):
        node.decompose()
    return article.get_text(" ")


def prose_numbers(html: str) -> list[str]:
    """Every number in the article's text that is not code, output, math or a cited value."""
    return NUMBER.findall(_prose_text(html))


def number_words(html: str) -> list[str]:
    """Every number word ("two" to "twelve", "twenty", ..., "thousand") in the same text, in lower case."""
    return [word.lower() for word in NUMBER_WORD.findall(_prose_text(html))]


def latex_numbers(tex: str) -> list[str]:
    """The numbers of one formula's LaTeX, each as a reader sees it."""
    found = []
    for match in LATEX_NUMBER.finditer(tex):
        if match["power"] is not None:
            found.append("10" + match["power"].translate(SUPERSCRIPT))
        elif match["num"] or match["num1"]:
            found.append(f"{match['num'] or match['num1']}/{match['den'] or match['den1']}")
        elif match["a"]:
            found.append(f"{match['a']}/{match['b']}")
        elif match["root"]:
            found.append("√" + match["root"])
        else:
            found.append(match["plain"])
    return found


def math_numbers(html: str) -> list[str]:
    """Every number in the article's formulas (read from the LaTeX each MathML formula keeps)."""
    found = []
    for formula in _article(html).select(".arithmatex"):
        for node in formula.select(".headerlink, span.value"):
            node.decompose()
        annotations = formula.select("annotation")
        tex = " ".join(a.get_text() for a in annotations) if annotations else formula.get_text(" ")
        found += latex_numbers(tex)
    return found


def allowed() -> dict[str, dict[str, int]]:
    """Page (relative to docs/) -> {literal number: how many times it appears}, each listed with its source.

    An exact count, not a set: a year edited into another allowed year (2018 -> 2019), or a 0 into a 1,
    changes two counts and is caught.
    """
    data = tomllib.loads(ALLOWED_FILE.read_text(encoding="utf-8"))
    return {page: {entry["number"]: entry["count"] for entry in entries} for page, entries in data.items()}


def source_line(markdown: str, number: str) -> int:
    """The first line of the page's Markdown where `number` stands on its own, else 1."""
    pattern = re.compile(rf"(?<![\w.]){_as_written(number)}(?![\w])", re.IGNORECASE)
    for lineno, line in enumerate(markdown.splitlines(), start=1):
        if pattern.search(line) and "{{" not in pattern.split(line)[0][-30:]:
            return lineno
    return 1


def _as_written(number: str) -> str:
    """A pattern for `number` as the Markdown may write it (10⁻³⁸ as 10^{-38}, 1/4 as \tfrac14)."""
    if number.startswith("10") and number[2:3] in "⁻⁰¹²³⁴⁵⁶⁷⁸⁹" and len(number) > 2:
        power = number[2:].translate(str.maketrans("⁻⁰¹²³⁴⁵⁶⁷⁸⁹", "-0123456789"))
        return rf"(?:{re.escape(number)}|10\^\{{?{re.escape(power)}\}}?)"
    if "/" in number:
        a, b = number.split("/")
        return rf"(?:{re.escape(number)}|\\[dt]?frac\s*\{{?{a}\}}?\s*\{{?{b}\}}?)"
    if number.startswith("√"):
        return rf"(?:{re.escape(number)}|\\sqrt\s*\{{?\s*{re.escape(number[1:])})"
    return re.escape(number)


def found_numbers(html: str) -> Counter:
    """Numbers in prose and maths, and number words, counted together."""
    return Counter(prose_numbers(html) + math_numbers(html) + number_words(html))


def unbound(page: str, html: str, markdown: str) -> list[str]:
    """`docs/<page>:LINE: number N ...` per number not cited nor allowed, or allowed another number of times."""
    permitted = allowed().get(page, {})
    found = found_numbers(html)
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
