"""The page syntax that ties a page to its snippets, read the same way by every engine, checker and test.

A page shows a snippet's cell with `--8<-- "generated/<post>/<section>/<name>/cell-K.md"` (pymdownx.snippets) and
cites its values with `{{ <section>.<name>.<value> }}`, or `{{ <post>.<section>.<name>.<value> }}` for a snippet of
another post. Citations count only in prose: not in fenced code, not in code spans, not after a backslash.
Nothing here is execution code: a change to the page syntax reruns no snippet.
"""

from __future__ import annotations

import html
import itertools
import json
import re
from collections.abc import Iterator
from pathlib import Path

from sitebuild.values import CITATION, NAME, CiteError, resolve, snippet_slug

FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})(?P<info>.*)$")
BACKTICKS = re.compile(r"`+")
INCLUDE = re.compile(r'^(?P<indent>[ \t]*)-{1,}8<-{1,}\s+"generated/(?P<slug>[^"]+?)/cell-(?P<cell>\d+)\.md"\s*$', re.M)
# A notebook shown as a page: its body, the cells' includes under their titles (sitebuild.render.notebook_page).
NOTEBOOK = re.compile(r'^(?P<indent>[ \t]*)-{1,}8<-{1,}\s+"generated/(?P<slug>[^"]+?)/notebook\.md"\s*$', re.M)
# A page with a snippet's outputs: an included fragment or a hand-written console example.
SHOWS_OUTPUT = re.compile(r'^\s*(```pycon|-+8<-+\s+"generated/)', re.M)


def needs(markdown: str, post: str | None, values: dict[str, dict]) -> set[str]:
    """The snippets ("post/section/name") whose outputs a page of `post` includes or whose values it cites."""
    slugs = {match["slug"] for pattern in (INCLUDE, NOTEBOOK) for match in pattern.finditer(markdown)}
    for citation in citations(markdown):  # not a `{{` in code, nor an escaped one
        name = NAME.match(citation["expr"].split("|")[0].strip())
        if name:
            try:
                slugs.add(snippet_slug(name, values, post))
            except CiteError:
                pass  # citing reports it, with the page's line
    return slugs


def load_values(generated: Path) -> dict[str, dict]:
    """Every snippet's values.json, keyed by `post/section/name`."""
    return {
        path.parent.relative_to(generated).as_posix(): json.loads(path.read_text(encoding="utf-8"))
        for path in sorted(generated.glob("*/*/*/values.json"))
    }


def post_of(page: str) -> str | None:
    """The post a page belongs to: the folder below docs/ it sits in (None for the site's own pages)."""
    parts = page.removeprefix("docs/").split("/")
    return parts[0] if len(parts) > 1 and parts[0] != "generated" else None


def citations(markdown: str) -> Iterator[re.Match]:
    """Each `{{ ... }}` outside code; `\\{{` is not one (Markdown's backslash escape shows it as a literal `{{`)."""
    for start, end in prose_ranges(markdown):
        for match in CITATION.finditer(markdown, start, end):
            if not _escaped(markdown, match.start(), start):
                yield match


def cite_outside_code(markdown: str, page: str, values: dict[str, dict], post: str | None = None) -> str:
    """Replace each citation (`citations`) of a page of `post`; CiteError names `page:line` on the first bad one."""
    out, done = [], 0
    for match in citations(markdown):
        line = markdown.count("\n", 0, match.start()) + 1
        try:
            name, text = resolve(match["expr"].strip(), values, post=post)
        except CiteError as exc:
            raise CiteError(f"{page}:{line}: Error: {exc}") from None
        out += [markdown[done : match.start()], f'<span class="value" data-value="{html.escape(name)}">']
        out += [html.escape(text), "</span>"]
        done = match.end()
    return "".join([*out, markdown[done:]])


def prose_ranges(markdown: str) -> Iterator[tuple[int, int]]:
    """(start, end) offsets of the text outside fenced code blocks and inline code spans."""
    for start, end in _prose_blocks(markdown):
        yield from _outside_code_spans(markdown, start, end)


def _prose_blocks(markdown: str) -> Iterator[tuple[int, int]]:
    """Each run of non-blank lines outside fenced code: a code span never crosses a blank line or a fence."""
    lines = markdown.split("\n")
    starts = list(itertools.accumulate((len(line) + 1 for line in lines), initial=0))
    code = {i for first, last in _fenced_blocks(lines) for i in range(first, last + 1)}
    first = None
    for i, line in enumerate(lines):
        if i in code or not line.strip():
            if first is not None:
                yield starts[first], starts[i] - 1
            first = None
        elif first is None:
            first = i
    if first is not None:
        yield starts[first], len(markdown)


def _fenced_blocks(lines: list[str]) -> Iterator[tuple[int, int]]:
    """(opening, closing) line index of each fenced code block, at any indentation (admonitions, tabs)."""
    i = 0
    while i < len(lines):
        opening = FENCE.match(lines[i])
        # A backtick fence's info string has no backtick: "```x```" is an inline code span.
        is_fence = opening and not (opening["fence"][0] == "`" and "`" in opening["info"])
        closing = _closing_line(lines, i, opening) if is_fence else None
        if closing is None:
            i += 1  # an unclosed fence is no fence to pymdownx.superfences either: its lines stay prose
            continue
        yield i, closing
        i = closing + 1


def _closing_line(lines: list[str], opening_line: int, opening: re.Match) -> int | None:
    """CommonMark: the same character, at least as many, nothing after; indented at most 3 more than the opening."""
    fence, indent = opening["fence"], len(opening["indent"].expandtabs(4))
    for i in range(opening_line + 1, len(lines)):
        closing = FENCE.match(lines[i])
        if (
            closing
            and closing["fence"][0] == fence[0]
            and len(closing["fence"]) >= len(fence)
            and not closing["info"].strip()
            and len(closing["indent"].expandtabs(4)) <= indent + 3
        ):
            return i
    return None


def _outside_code_spans(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """Pieces of text[start:end] outside code spans: N backticks open one, the next run of exactly N closes it."""
    runs = list(BACKTICKS.finditer(text, start, end))
    piece, i = start, 0
    while i < len(runs):
        opens = runs[i].start() + _escaped(text, runs[i].start(), start)  # "\`" is a literal backtick
        size = runs[i].end() - opens
        closing = next((k for k in range(i + 1, len(runs)) if len(runs[k][0]) == size), None) if size else None
        if closing is None:
            i += 1  # an unmatched run is literal text
            continue
        yield piece, opens
        piece, i = runs[closing].end(), closing + 1
    yield piece, end


def _escaped(text: str, at: int, start: int) -> bool:
    """Whether text[at] follows an odd number of backslashes (counted back to start)."""
    count = 0
    while at - count > start and text[at - count - 1] == "\\":
        count += 1
    return count % 2 == 1
