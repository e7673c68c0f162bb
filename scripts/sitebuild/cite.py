"""Pages cite published values by name: `{{ gelu.exact_vs_tanh.max_gap | sci(1) }}` becomes the formatted number.

Each renders as `<span class="value" data-value="NAME">TEXT</span>`: the prose test tells bound numbers from typed ones.
Code (fenced blocks, inline spans) stays as is, and so does `\\{{ ... }}`: Markdown shows it as a literal `{{ ... }}`.
"""

from __future__ import annotations

import html
import itertools
import json
import re
from collections.abc import Iterator
from pathlib import Path

CITATION = re.compile(r"\{\{(?P<expr>.*?)\}\}")
FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})(?P<info>.*)$")
BACKTICKS = re.compile(r"`+")
# `section.snippet.value` cites a snippet of the page's own post; `post.section.snippet.value` one of any post.
NAME = re.compile(
    r"^(?:(?P<post>[\w-]+)\.)?(?P<section>[\w-]+)\.(?P<snippet>\w+)\.(?P<value>\w+)(?P<keys>(\[[^\]]+\])*)$"
)
FILTER = re.compile(r"^(?P<name>\w+)(\((?P<arg>.*)\))?$")
SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")
MINUS = "\u2212"  # a typographic minus sign, as in the pages' math


class CiteError(Exception):
    """A citation that names no published value or cannot be formatted; the message starts with file:line."""


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


def snippet_slug(match: re.Match, values: dict[str, dict], post: str | None) -> str:
    """`post/section/name` for a NAME match: in the page's own post, unless the citation names one.

    Without a page (Zensical gives none), a short name must belong to one post only: a clash is an error.
    """
    short = f"{match['section']}/{match['snippet']}"
    if match["post"] or post:
        return f"{match['post'] or post}/{short}"
    owners = sorted(slug for slug in values if slug.split("/", 1)[-1] == short)
    if len(owners) > 1:
        posts = " and ".join(slug.split("/")[0] for slug in owners)
        raise CiteError(
            f"{match.group(0)}: posts {posts} both have snippets/<post>/{short}.py; name the post, "
            f"e.g. {owners[0].split('/')[0]}.{match.group(0)}"
        )
    return owners[0] if owners else short


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


def cite_local(text: str, published: dict) -> str:
    """A snippet's alt= text with `{{ value | format }}` citing its own values (plain text, no markup)."""
    return CITATION.sub(lambda match: resolve(match["expr"].strip(), {}, published)[1], text)


def resolve(expr: str, values: dict[str, dict], local: dict | None = None, post: str | None = None) -> tuple[str, str]:
    """(name, formatted text) for one citation's expression `name[key]... | filter | ...`."""
    name, *filters = [part.strip() for part in expr.split("|")]
    value = lookup(name, values, local, post)
    for spec in filters:
        value = apply_filter(spec, value, name)
    if isinstance(value, float):
        raise CiteError(f'{name} is a float; give a format, e.g. {{{{ {name} | fmt(".3f") }}}}')
    if isinstance(value, (list, dict)):
        raise CiteError(f"{name} is a {type(value).__name__}; pick one item, e.g. {name}[0]")
    return name, str(value).replace("-", MINUS) if isinstance(value, int) else str(value)


def lookup(name: str, values: dict[str, dict], local: dict | None = None, post: str | None = None):
    if local is not None:  # alt= text: the snippet's own values, by their bare names
        if re.match(r"\w+", name) and re.match(r"\w+", name)[0] not in local:
            raise CiteError(f"{name!r} is not published by this cell or an earlier one (so far: {', '.join(local)})")
        values, name = {"this/this/snippet": local}, f"this.this.snippet.{name}"
    match = NAME.match(name)
    if not match:
        raise CiteError(f"{name!r} is not a value name; write section.snippet.value, e.g. gelu.exact_vs_tanh.max_gap")
    slug = snippet_slug(match, values, post)
    if slug not in values:
        raise CiteError(f"{name}: snippets/{slug}.py publishes no values (known: {', '.join(sorted(values))})")
    published = values[slug]
    if match["value"] not in published:
        known = ", ".join(sorted(published))
        raise CiteError(f"{name}: snippets/{slug}.py publishes no {match['value']!r} (it publishes: {known})")
    value = published[match["value"]]
    for key in re.findall(r"\[([^\]]+)\]", match["keys"]):
        value = _item(value, key.strip().strip("\"'"), name)
    return value


def _item(value, key: str, name: str):
    if isinstance(value, dict) and key in value:
        return value[key]
    if isinstance(value, list) and re.fullmatch(r"-?\d+", key) and -len(value) <= int(key) < len(value):
        return value[int(key)]
    keys = list(value) if isinstance(value, dict) else f"0 to {len(value) - 1}" if isinstance(value, list) else "none"
    raise CiteError(f"{name}: no item [{key}] (items: {keys})")


def apply_filter(spec: str, value, name: str):
    """abs | fmt(".2f") (Python's format mini-language) | sci(1) (4.7×10⁻⁴)."""
    match = FILTER.match(spec)
    arg = (match["arg"] or "").strip().strip("\"'") if match else ""
    if not match or match["name"] not in ("abs", "fmt", "sci"):
        raise CiteError(f'{name}: unknown filter {spec!r}; use abs, fmt(".2f") or sci(1)')
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        raise CiteError(f"{name} is {value!r}, not a number; {match['name']} formats numbers")
    if match["name"] == "abs":
        return abs(value)
    try:
        if match["name"] == "fmt":
            return format(value, arg).replace("-", MINUS)
        mantissa, exponent = format(value, f".{int(arg)}e").split("e")
    except ValueError as exc:
        raise CiteError(f"{name}: bad format {spec!r} for {value!r}: {exc}") from None
    power = int(exponent)
    text = mantissa if power == 0 else f"{mantissa}×10{str(power).translate(SUPERSCRIPT)}"
    return text.replace("-", MINUS)
