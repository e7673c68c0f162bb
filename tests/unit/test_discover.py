"""sitebuild.discover: cells, source decoding, and snippet names (test_keys.py: the cache keys)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sitebuild import discover
from sitebuild.discover import Snippet, read_source, split_cells

SOURCE = """# Sigmoid and its slope.
import math

# %% Step 1: values
x = 1.0
print(math.tanh(x))

# %%
print("untitled")
"""


def _snippet(source: str = SOURCE, relpath: str = "snippets/sigmoid/values.py") -> Snippet:
    return Snippet(Path("/nowhere") / relpath, relpath, source, split_cells(source))


def test_code_before_the_first_marker_is_cell_zero():
    cells = split_cells(SOURCE)
    assert [c.number for c in cells] == [0, 1, 2]
    assert cells[0].code.strip().endswith("import math")


def test_a_comment_only_preamble_is_dropped():
    cells = split_cells("# just a comment\n\n# %% first\nprint(1)\n")
    assert [c.number for c in cells] == [1]


def test_each_cell_knows_the_file_line_of_its_first_code_line():
    cells = split_cells(SOURCE)
    lines = SOURCE.splitlines()
    for cell in cells[1:]:
        assert lines[cell.first_line - 2].startswith("# %%")  # the marker is the line above
        assert cell.code.splitlines()[0] == lines[cell.first_line - 1]


def test_the_marker_text_is_the_header_and_a_plain_title_is_the_title():
    cells = split_cells(SOURCE)
    assert cells[1].header == "Step 1: values" and cells[1].title == "Step 1: values"
    assert cells[2].header == "" and cells[2].title == ""


def test_a_marker_must_start_the_line():
    cells = split_cells("x = 1\n    # %% not a marker\ny = 2\n")
    assert len(cells) == 1 and "not a marker" in cells[0].code


def test_an_empty_cell_is_kept_so_numbering_matches_the_file():
    cells = split_cells("# %% a\n# %% b\nprint(2)\n")
    assert [(c.number, c.code) for c in cells] == [(1, ""), (2, "print(2)")]


def test_source_that_is_not_utf8_names_the_line_of_the_bad_byte():
    text, error = read_source(b"x = 1\ny = '\xff'\n", "snippets/a/b.py")
    assert error == "snippets/a/b.py:2: SyntaxError: byte 0xff is not UTF-8; save the file as UTF-8"
    assert text.startswith("x = 1")


def test_utf8_source_has_no_error():
    assert read_source("s = 'σ'\n".encode(), "snippets/a/b.py") == ("s = 'σ'\n", None)


def test_slug_and_summary():
    snippet = _snippet()
    assert snippet.slug == "sigmoid/values"
    assert snippet.summary == "Sigmoid and its slope."
    assert _snippet("import math\n").summary == ""


@pytest.mark.parametrize(
    ("relpath", "words"),
    [
        ("snippets/activation-functions/gelu/exact-vs-tanh.py", "rename it to exact_vs_tanh.py"),
        ("snippets/activation-functions/gelu/2nd.py", "is not a Python identifier"),
        ("snippets/post/GELU stuff/gap.py", "the section 'GELU stuff' must be"),
        ("snippets/Post 2/gelu/gap.py", "the post 'Post 2' must be"),
        ("snippets/gelu/gap.py", "move it to snippets/<post>/<section>/gap.py"),
        ("snippets/generated/gelu/gap.py", "'generated' cannot name a post"),
    ],
)
def test_a_name_no_page_could_cite_is_an_error_naming_the_file(relpath, words):
    assert discover.name_error(relpath).startswith(f"{relpath}:1: Error:")
    assert words in discover.name_error(relpath)


def test_the_names_of_this_site_are_good():
    assert [s.relpath for s in discover.find_snippets() if discover.name_error(s.relpath)] == []
