"""scripts/prose.py: the numbers a reader sees in prose, in formulas and as words."""

from __future__ import annotations

import pytest
from prose import latex_numbers, math_numbers, number_words, prose_numbers, source_line


@pytest.mark.parametrize(
    ("tex", "numbers"),
    [
        (r"10^{-38}", ["10⁻³⁸"]),
        (r"\tfrac14 + \frac{1}{4} + 1/4", ["1/4", "1/4", "1/4"]),
        (r"\sqrt 2 \sqrt{2} x/\sqrt2", ["√2", "√2", "√2"]),
        (r"x\,\sigma(1.702\,x)", ["1.702"]),
        (r"\frac{x}{2} + x^3", ["2", "3"]),
        (r"5/3", ["5/3"]),
    ],
)
def test_a_formula_s_numbers_are_read_as_a_reader_sees_them(tex, numbers):
    assert latex_numbers(tex) == numbers


HTML = (
    '<article><p>Three units, <span class="value">4.7</span> and 25 % of <code>7</code>; '
    'a slope of <span class="arithmatex"><math><semantics><mrow><mn>2</mn></mrow>'
    '<annotation encoding="application/x-tex">2 \\cdot 10^{-3}</annotation></semantics></math></span>, '
    "twelve times, ten per cent, twofold.</p></article>"
)


def test_prose_maths_and_words_are_scanned_apart_from_code_and_cited_values():
    assert prose_numbers(HTML) == ["25"]
    assert math_numbers(HTML) == ["2", "10⁻³"]
    assert number_words(HTML) == ["three", "twelve", "ten"]


def test_a_number_is_found_in_the_markdown_as_the_author_wrote_it():
    markdown = "Intro.\n\nAt most $10^{-38}$ and $\\tfrac14$.\n\nThree of them.\n"
    assert [source_line(markdown, n) for n in ("10⁻³⁸", "1/4", "three")] == [3, 3, 5]
