"""sitebuild.tolerance: numbers compared closely, the words around them exactly."""

from __future__ import annotations

import json
import re

import pytest
from sitebuild import tolerance
from sitebuild.discover import GENERATED
from sitebuild.tolerance import ABSOLUTE, largest_difference


def test_equal_texts_differ_by_nothing():
    difference = largest_difference("max 0.5000\n", "max 0.5000\n", svg=False)
    assert difference.size == 0 and difference.within


def test_changed_words_are_no_match_at_all():
    assert largest_difference("max 0.5\n", "min 0.5\n", svg=False) is None


def test_a_change_in_the_last_printed_place_is_within():
    difference = largest_difference("a 1.234\nb 0.0001\n", "a 1.234\nb 0.0002\n", svg=False)
    assert (
        difference.within
        and difference.line == 2
        and (difference.committed, difference.current)
        == (
            "0.0001",
            "0.0002",
        )
    )


def test_a_real_change_is_beyond_and_reported_over_smaller_tolerated_ones():
    difference = largest_difference("x 1.0001 y 5.00\n", "x 1.0002 y 5.10\n", svg=False)
    assert not difference.within and difference.committed == "5.00"


def test_rounding_noise_is_within_the_absolute_floor():
    difference = largest_difference("1.2e-07", "1.7e-07", svg=False)
    assert difference.size < ABSOLUTE and difference.within


def test_svg_coordinates_get_half_a_pixel():
    assert largest_difference('<path d="M 10.2 5"/>', '<path d="M 10.6 5"/>', svg=True).within
    assert not largest_difference('<path d="M 10.2 5"/>', '<path d="M 10.8 5"/>', svg=True).within


@pytest.mark.parametrize(
    ("committed", "current", "svg", "within"),
    [
        ("largest difference: 1.2e-07", "largest difference: 2.0e-08", False, True),  # rounding noise
        ("tensor([0.7616, 0.9640])", "tensor([0.7617, 0.9640])", False, True),  # last printed digit
        ("tensor([0.7616, 0.9640])", "tensor([0.7716, 0.9640])", False, False),
        ("accuracy 56.2 %", "accuracy 36.2 %", False, False),
        ('<path d="M 10.25 20.5"/>', '<path d="M 10.5 20.5"/>', True, True),
        ('<path d="M 10.25 20.5"/>', '<path d="M 11.25 20.5"/>', True, False),
    ],
)
def test_tolerance_rules(committed, current, svg, within):
    assert largest_difference(committed, current, svg).within is within


def test_tolerance_needs_the_same_words_around_the_numbers():
    assert largest_difference("ReLU 0.5", "GELU 0.5", svg=False) is None


# Words that look like numbers: compared as text, never parsed (a float parse of #1e2029 overflows to inf).
@pytest.mark.parametrize(
    "text",
    [
        'fill="#1e2029"',  # the dark palette's background, "1e2029" as a float
        '<path id="m1e2029a3f" clip-path="url(#p8e0f5c2b1a)"/>',  # matplotlib's element ids
        '"sha256": "1e2029ab77c0"',  # a hash
        "torch 2.13.0, numpy 2.4.6",  # versions
        "dtype=torch.float32",
    ],
)
def test_colours_ids_hashes_and_versions_are_words(text):
    assert tolerance.NUMBER.findall(text) == []
    assert largest_difference(text, text, svg=True).within
    assert largest_difference(text, text.replace("2", "3"), svg=True) is None  # any change is a changed word


def test_a_number_may_end_a_sentence():
    assert largest_difference("the gap is 0.1234.", "the gap is 0.1235.", svg=False).within


def test_the_dark_palette_svg_compares_to_itself_and_its_numbers_still_count():
    svg = (GENERATED / "activation-functions/derivatives/slopes/cell-3-fig-1-dark.svg").read_text()
    assert "#1e2029" in svg
    assert largest_difference(svg, svg, svg=True).within
    assert tolerance.judge("slopes/cell-3-fig-1-dark.svg", svg, svg).within
    moved = re.sub(r"(?<=<svg )(.*?viewBox=\"0 0 )(\d+)", lambda m: m[1] + str(int(m[2]) + 5), svg, count=1)
    assert moved != svg and not largest_difference(svg, moved, svg=True).within


@pytest.mark.parametrize(
    ("committed", "current", "within"),
    [
        ("value inf", "value inf", True),  # words: never parsed
        ("value nan", "value nan", True),
        ("big 1e400", "big 1e400", True),  # beyond float's range: equal text is within...
        ("big 1e400", "big 2e400", False),  # ...and other text is not, though both read as inf
        ("tiny 1e-400", "tiny 1e-400", True),
        ("x 1.5e308", "x 1.5e308", True),  # the last place is 1e307: no OverflowError
        ("x 1.5e308", "x 1.6e308", True),
        ("x 1.5e308", "x 1.8e308", False),  # 1.8e308 reads as inf
    ],
)
def test_infinities_nans_and_huge_exponents_never_crash(committed, current, within):
    assert largest_difference(committed, current, svg=False).within is within
    assert largest_difference("value nan", "value inf", svg=False) is None


def _figure(title="", shift=0.0, simplify=1 / 9, scale=1.0) -> str:
    """A figure as the build draws it (SVG settings of sitebuild.figures): a curve of differences of size 1e-4."""
    import io

    import matplotlib
    import matplotlib.pyplot as plt
    import numpy as np
    from sitebuild.figures import SVG_RC

    with matplotlib.rc_context({**SVG_RC, "path.simplify_threshold": simplify}):
        x = np.linspace(-4, 4, 2001)
        fig, ax = plt.subplots(figsize=(8, 3))
        ax.plot(x + shift, 1e-4 * scale * np.sin(3 * x) * np.exp(-(x**2) / 4))
        ax.set_title(title)
        out = io.StringIO()
        fig.savefig(out, format="svg")
        plt.close(fig)
    return out.getvalue()


def test_a_figure_that_looks_the_same_passes_though_its_text_differs():
    """Path simplification keeps other points (as on aarch64): other text, and ids, but the same picture."""
    base, other = _figure(), _figure(simplify=1 / 5)
    assert other != base and largest_difference(base, other, svg=True) is None
    assert tolerance.judge("fig.svg", base, other).within
    moved_in_the_last_digits = _figure(scale=1.001)  # values moved by a thousandth of their size
    assert tolerance.judge("fig.svg", base, moved_in_the_last_digits).within
    assert tolerance.judge("fig.svg", base, _figure(shift=0.01)).within  # moved by 0.8 px: drawn the same


@pytest.mark.parametrize(
    "changed",
    [
        {"title": "a"},  # one letter more
        {"shift": 0.02},  # the curve moved by 0.02 on x, about 1.5 px
        {"scale": 1.02},  # values 2 % larger
    ],
    ids=["a-letter", "moved-1.5-px", "values-2-percent"],
)
def test_a_figure_that_shows_something_else_fails(changed):
    difference = tolerance.judge("fig.svg", _figure(), _figure(**changed))
    assert not difference.within and difference.size > tolerance.FIGURE_CONTRAST


def test_a_notebook_compares_its_text_by_numbers_and_its_figures_as_pictures():
    notebook = (GENERATED / "activation-functions/gelu/exact_vs_tanh.ipynb").read_text()
    data = json.loads(notebook)
    assert tolerance.judge("nb.ipynb", notebook, notebook).within
    figures = [o for c in data["cells"] for o in c.get("outputs", []) if tolerance.SVG in o.get("data", {})]
    assert figures, "the notebook embeds no figure: pick one that does"

    def with_figure(svg: str) -> str:
        figures[0]["data"][tolerance.SVG] = svg.splitlines(keepends=True)
        return json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False)

    base = with_figure(_figure())
    assert tolerance.judge("nb.ipynb", base, with_figure(_figure(simplify=1 / 5))).within
    assert not tolerance.judge("nb.ipynb", base, with_figure(_figure(title="a"))).within
    assert tolerance.judge("nb.ipynb", base, base.replace("cell", "Cell", 1)) is None  # a changed word
