"""sitebuild.tolerance: numbers compared closely, the words around them exactly."""

from __future__ import annotations

import pytest
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
