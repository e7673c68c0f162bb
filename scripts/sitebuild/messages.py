"""What the author reads about a snippet: its errors and warnings, each as `file:line: Type: message`.

Lines are the snippet's own; frames of the build's code are cut from tracebacks.
"""

from __future__ import annotations

import traceback
import warnings
from pathlib import Path

BUILD_CODE = str(Path(__file__).resolve().parent)  # frames from here are cut from tracebacks


def wrote_files(relpath: str, written: list[str]) -> str | None:
    """The error for a snippet that left files in its scratch folder; None when it left none."""
    if not written:
        return None
    return (
        f"{relpath}:1: Error: the snippet wrote files ({', '.join(written)}); "
        "snippets write nothing: print values and leave figures open for the build"
    )


def collect_warnings(relpath: str, sink: list[str]) -> None:
    """Keep each warning (once per place, Python's default) as `file:line: Category: message`.

    The line is the snippet's innermost line on the stack, also when a library raised the warning.
    """

    def show(message, category, filename, lineno, file=None, line=None) -> None:
        ours = [frame.lineno for frame in traceback.extract_stack() if frame.filename == relpath]
        sink.append(f"{relpath}:{ours[-1] if ours else lineno}: {category.__name__}: {message}")

    warnings.simplefilter("default")
    warnings.showwarning = show


def describe_error(exc: BaseException, relpath: str, default_line: int = 1) -> str:
    """`file:line: Type: message` and the traceback from the snippet's first frame on."""
    if isinstance(exc, SyntaxError) and exc.filename == relpath:
        return f"{relpath}:{exc.lineno}: SyntaxError: {exc.msg}"
    frames = traceback.extract_tb(exc.__traceback__)
    ours = [i for i, frame in enumerate(frames) if frame.filename == relpath]
    kept = [frame for frame in frames[ours[0] :] if not frame.filename.startswith(BUILD_CODE)] if ours else []
    line = frames[ours[-1]].lineno if ours else default_line
    if isinstance(exc, SystemExit):
        return f"{relpath}:{line}: SystemExit: the snippet called sys.exit({exc.code!r}); let it run to the end"
    message = str(exc).strip()
    head = f"{relpath}:{line}: {type(exc).__name__}: {message}"
    trace = "".join(traceback.format_list(kept)).rstrip()
    return f"{head}\n{trace}" if trace else head
