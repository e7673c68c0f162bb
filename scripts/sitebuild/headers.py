"""Published values: cell headers with Jupytext metadata, the globals a cell publishes, and alt text from them.

Markers such as `# %% Step 3: sweep publish=["max_gap"] alt="gap {{ max_gap | sci(1) }}"` follow Jupytext.
"""

from __future__ import annotations

import functools
import math
import re
from numbers import Integral, Real

IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
# Jupytext only finds metadata after the title when the header has a `key=` or a JSON object in it.
MAYBE_METADATA = re.compile(r"[A-Za-z_][\w.-]*=|\{")


class PublishError(Exception):
    """A value or header that cannot be published; the runner reports it at the cell's marker line."""


@functools.lru_cache(maxsize=4096)
def _parse(header: str) -> tuple[str, tuple]:
    header = header.strip()
    if not MAYBE_METADATA.search(header):
        return header, ()  # the common case: a plain title, and no need to import Jupytext
    from jupytext.cell_metadata import text_to_metadata

    title, metadata = text_to_metadata(header, allow_title=True)
    return title.strip(), tuple(metadata.items())


def parse_header(header: str) -> tuple[str, dict]:
    """(title, metadata) of the text after `# %%`; metadata is {} when there is none."""
    title, items = _parse(header)
    return title, dict(items)


def header_error(relpath: str, cells) -> str | None:
    """`file:line: Error: ...` for the first cell whose marker metadata is malformed, else None."""
    for cell in cells:
        line = max(cell.first_line - 1, 1)
        _, metadata = parse_header(cell.header)
        if "incorrectly_encoded_metadata" in metadata:
            bad = metadata["incorrectly_encoded_metadata"]
            return f"{relpath}:{line}: Error: cell metadata {bad!r} is not key=value with a JSON value"
        publish = metadata.get("publish", [])
        if not (isinstance(publish, list) and all(isinstance(n, str) and IDENTIFIER.match(n) for n in publish)):
            return f'{relpath}:{line}: Error: publish= takes a list of variable names, e.g. publish=["max_gap"]'
        alt = metadata.get("alt", [])
        if not (isinstance(alt, str) or (isinstance(alt, list) and all(isinstance(a, str) for a in alt))):
            return f"{relpath}:{line}: Error: alt= takes a string, or a list of strings (one per figure)"
    return None


def to_json(value, name: str):
    """`value` as plain JSON data (tensors and numpy values through .tolist()), or PublishError."""
    if hasattr(value, "tolist") and callable(value.tolist):  # torch tensors, numpy arrays and scalars
        value = value.tolist()
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, Integral):
        return int(value)
    if isinstance(value, Real):
        if not math.isfinite(value):
            raise PublishError(f"{name} is {value!r}; JSON has no NaN or infinity, so publish a finite number")
        return float(value)
    if isinstance(value, (list, tuple)):
        return [to_json(item, f"{name}[{index}]") for index, item in enumerate(value)]
    if isinstance(value, dict):
        bad = [key for key in value if not isinstance(key, str)]
        if bad:
            raise PublishError(f"{name} has a key {bad[0]!r} that is not a str; publish dicts with str keys")
        return {key: to_json(item, f"{name}[{key!r}]") for key, item in value.items()}
    raise PublishError(
        f"{name} is a {type(value).__name__}; publish numbers, strings, bools, lists, "
        "dicts with str keys, tensors or numpy values"
    )


def publish(namespace: dict, cell, already: dict) -> dict:
    """The values `cell` publishes, read from the snippet's namespace after the cell ran."""
    _, metadata = parse_header(cell.header)
    published = {}
    for name in metadata.get("publish", []):
        if name not in namespace:
            raise PublishError(f"publish= names {name!r}, but the cell left no global of that name")
        if name in already:
            raise PublishError(f"{name!r} is already published by an earlier cell; publish each name once")
        published[name] = to_json(namespace[name], name)
    return published


def alt_texts(cell, values: dict) -> list[str] | None:
    """The cell's alt= text(s), citing the values published so far; None when it has no alt=."""
    from .values import CiteError, cite_local

    _, metadata = parse_header(cell.header)
    alt = metadata.get("alt")
    if alt is None:
        return None
    try:
        return [cite_local(text, values) for text in ([alt] if isinstance(alt, str) else alt)]
    except CiteError as exc:
        raise PublishError(f"alt= text: {str(exc).replace('this.snippet.', '')}") from None
