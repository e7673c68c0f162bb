"""sitebuild.messages.describe_error: the author's file and line, and a traceback without the build's frames."""

from __future__ import annotations

import pytest
from sitebuild.messages import describe_error, wrote_files

RELPATH = "snippets/demo/fails.py"


def _raised(source: str) -> BaseException:
    """Run `source` as the runner does (compiled under the snippet's path) and return what it raised."""
    try:
        exec(compile(source, RELPATH, "exec"), {"__name__": "__main__"})
    except BaseException as exc:  # SystemExit is one of the cases
        return exc
    pytest.fail("the source raised nothing")


def test_names_the_line_that_raised():
    message = describe_error(_raised("x = 1\ny = x / 0\n"), RELPATH)
    assert message.splitlines()[0] == f"{RELPATH}:2: ZeroDivisionError: division by zero"


def test_names_the_innermost_line_of_the_snippet_and_shows_the_calls():
    source = "def f():\n    raise ValueError('bad input')\n\nf()\n"
    head, *trace = describe_error(_raised(source), RELPATH).splitlines()
    assert head == f"{RELPATH}:2: ValueError: bad input"
    assert any(f'"{RELPATH}", line 4' in line for line in trace)
    assert not any(__file__ in line for line in trace)  # frames before the snippet's are cut


def test_a_syntax_error_names_its_line():
    with pytest.raises(SyntaxError) as info:
        compile("x = (\n", RELPATH, "exec")
    assert describe_error(info.value, RELPATH).startswith(f"{RELPATH}:1: SyntaxError: ")


def test_sys_exit_is_explained():
    message = describe_error(_raised("import sys\nsys.exit(3)\n"), RELPATH)
    assert message == f"{RELPATH}:2: SystemExit: the snippet called sys.exit(3); let it run to the end"


def test_an_error_outside_the_snippet_falls_back_to_the_cell_line():
    try:
        raise RuntimeError("from the runner")
    except RuntimeError as exc:
        assert describe_error(exc, RELPATH, default_line=7) == f"{RELPATH}:7: RuntimeError: from the runner"


def test_a_snippet_that_wrote_files_is_named_with_them():
    assert wrote_files(RELPATH, []) is None
    message = wrote_files(RELPATH, ["a.txt", "b.png"])
    assert message.startswith(f"{RELPATH}:1: Error: the snippet wrote files (a.txt, b.png)")
