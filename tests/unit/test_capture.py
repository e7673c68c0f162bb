"""sitebuild.capture: stdout that is capped, keeps text and bytes in order, and is always valid UTF-8."""

from __future__ import annotations

import pytest
from sitebuild import capture
from sitebuild.capture import CappedStdout, OutputTooLarge


def test_text_and_bytes_land_in_one_stream_in_order():
    out = CappedStdout()
    out.write("a ")
    out.buffer.write(b"b ")
    out.write("c")
    assert out.text() == "a b c"


def test_bytes_that_are_not_utf8_are_shown_as_escapes():
    out = CappedStdout()
    out.buffer.write(b"ok \xff\xfe end")
    assert out.text() == "ok \\xff\\xfe end"


def test_a_utf8_character_split_across_two_writes_is_joined():
    out = CappedStdout()
    encoded = "σ".encode()
    out.buffer.write(encoded[:1])
    out.buffer.write(encoded[1:])
    assert out.text() == "σ"


def test_an_incomplete_sequence_at_the_end_is_kept_visible():
    out = CappedStdout()
    out.buffer.write("σ".encode()[:1])
    assert out.text() == "\\xcf"


def test_reset_empties_it_for_the_next_cell():
    out = CappedStdout()
    out.write("first cell")
    out.reset()
    out.write("second")
    assert out.text() == "second"


def test_writing_past_the_cap_raises_and_says_what_to_do(monkeypatch):
    monkeypatch.setattr(capture, "MAX_OUTPUT_CHARS", 10)
    out = CappedStdout()
    out.write("x" * 10)
    with pytest.raises(OutputTooLarge, match="print a summary"):
        out.write("y")
    assert out.text() == "x" * 10  # what fitted is kept
