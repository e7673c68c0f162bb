"""The values snippets publish, and how a name such as `gelu.exact_vs_tanh.max_gap | sci(1)` reads one.

Execution code: a snippet's alt= texts cite its own values (cite_local), so a change here changes every execution
key. How a page finds its citations (outside code, not escaped) is page syntax: sitepages/syntax.py.
"""

from __future__ import annotations

import re

CITATION = re.compile(r"\{\{(?P<expr>.*?)\}\}")
# `section.snippet.value` cites a snippet of the page's own post; `post.section.snippet.value` one of any post.
NAME = re.compile(
    r"^(?:(?P<post>[\w-]+)\.)?(?P<section>[\w-]+)\.(?P<snippet>\w+)\.(?P<value>\w+)(?P<keys>(\[[^\]]+\])*)$"
)
FILTER = re.compile(r"^(?P<name>\w+)(\((?P<arg>.*)\))?$")
SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")
MINUS = "\u2212"  # a typographic minus sign, as in the pages' math


class CiteError(Exception):
    """A citation that names no published value or cannot be formatted; the message starts with file:line."""


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
