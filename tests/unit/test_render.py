"""sitebuild.render: fences that cannot be closed early, readable control characters."""

from __future__ import annotations

from sitebuild.render import fence, readable


def test_a_fence_is_longer_than_any_backticks_inside():
    block = fence("a ```` b", "text", "Output")
    assert block.startswith('`````text title="Output"\n') and block.endswith("\n`````\n")


def test_a_title_with_double_quotes_cannot_break_the_attribute():
    assert fence("x", "python", 'say "hi"').splitlines()[0] == "```python title=\"say 'hi'\""


def test_colour_codes_are_shown_as_escapes_and_newlines_and_tabs_kept():
    assert readable("\x1b[31mred\x1b[0m\tok\n") == "\\x1b[31mred\\x1b[0m\tok\n"
