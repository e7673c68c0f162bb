"""sitebuild.headers: cell headers with Jupytext metadata, published values as JSON, alt texts."""

from __future__ import annotations

import math

import pytest
from sitebuild.discover import split_cells
from sitebuild.headers import PublishError, alt_texts, header_error, parse_header, publish, to_json


def _cell(header: str):
    return split_cells(f"# %% {header}\nx = 1\n")[0]


def test_a_plain_title_has_no_metadata():
    assert parse_header("Step 1: the slope at 0") == ("Step 1: the slope at 0", {})


def test_metadata_after_the_title_is_read_as_jupytext_does():
    title, metadata = parse_header('Step 2: sweep publish=["gap", "at"] alt="gap {{ gap | sci(1) }}"')
    assert title == "Step 2: sweep"
    assert metadata == {"publish": ["gap", "at"], "alt": "gap {{ gap | sci(1) }}"}


@pytest.mark.parametrize(
    ("header", "words"),
    [
        ("Step publish=gap", "is not key=value with a JSON value"),
        ('Step publish=["not a name"]', "publish= takes a list of variable names"),
        ("Step alt=[1, 2]", "alt= takes a string, or a list of strings"),
    ],
)
def test_a_bad_header_is_named_at_its_marker_line(header, words):
    cells = split_cells(f"x = 0\n\n# %% {header}\ny = 1\n")
    error = header_error("snippets/a/b.py", cells)
    assert error.startswith("snippets/a/b.py:3: Error: ") and words in error


def test_good_headers_have_no_error():
    assert header_error("snippets/a/b.py", split_cells('# %% A publish=["x"]\nx = 1\n# %% B\n')) is None


def test_to_json_takes_numbers_strings_and_nested_containers():
    value = {"a": [1, 2.5, True, None, "s"], "b": (3,)}
    assert to_json(value, "v") == {"a": [1, 2.5, True, None, "s"], "b": [3]}


def test_to_json_goes_through_tolist_for_arrays_and_tensors():
    class Array:
        def tolist(self):
            return [[1.0, 2.0]]

    assert to_json(Array(), "grid") == [[1.0, 2.0]]


@pytest.mark.parametrize(
    ("value", "words"),
    [
        (math.nan, "grid is nan; JSON has no NaN"),
        ([1, math.inf], "grid[1] is inf"),
        ({1: "x"}, "has a key 1 that is not a str"),
        ({1, 2}, "grid is a set; publish numbers"),
    ],
)
def test_to_json_refuses_what_json_cannot_hold_and_names_the_item(value, words):
    with pytest.raises(PublishError, match=words.replace("[", r"\[").replace("]", r"\]")):
        to_json(value, "grid")


def test_publish_reads_the_named_globals_once():
    cell = _cell('Step publish=["gap"]')
    assert publish({"gap": 0.25, "other": 1}, cell, already={}) == {"gap": 0.25}
    with pytest.raises(PublishError, match="left no global of that name"):
        publish({}, cell, already={})
    with pytest.raises(PublishError, match="already published by an earlier cell"):
        publish({"gap": 0.25}, cell, already={"gap": 0.1})


def test_alt_text_cites_values_published_so_far():
    cell = _cell('Plot alt="largest gap {{ gap | sci(1) }}"')
    assert alt_texts(cell, {"gap": 0.00047}) == ["largest gap 4.7×10⁻⁴"]
    assert alt_texts(_cell("Plot"), {}) is None


def test_alt_text_naming_an_unpublished_value_says_which_are_known():
    cell = _cell('Plot alt="{{ missing | sci(1) }}"')
    with pytest.raises(PublishError, match="'missing' is not published by this cell or an earlier one"):
        alt_texts(cell, {"gap": 1.0})
