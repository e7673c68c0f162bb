"""The page syntax that ties a page to its snippets: the include of a cell's fragment, and citations.

A page shows a snippet's cell with `--8<-- "generated/<post>/<section>/<name>/cell-K.md"` (pymdownx.snippets) and
cites its values with `{{ <section>.<name>.<value> }}`, or `{{ <post>.<section>.<name>.<value> }}` for a snippet of
another post (cite.py). The MkDocs plugin, the page checkers and the tests
read pages through these, so the syntax is written down once.
"""

from __future__ import annotations

import re

from .cite import NAME, CiteError, citations, snippet_slug

INCLUDE = re.compile(r'^(?P<indent>[ \t]*)-{1,}8<-{1,}\s+"generated/(?P<slug>[^"]+?)/cell-(?P<cell>\d+)\.md"\s*$', re.M)
# A page with a snippet's outputs: an included fragment or a hand-written console example.
SHOWS_OUTPUT = re.compile(r'^\s*(```pycon|-+8<-+\s+"generated/)', re.M)


def needs(markdown: str, post: str | None, values: dict[str, dict]) -> set[str]:
    """The snippets ("post/section/name") whose outputs a page of `post` includes or whose values it cites."""
    slugs = {match["slug"] for match in INCLUDE.finditer(markdown)}
    for citation in citations(markdown):  # not a `{{` in code, nor an escaped one
        name = NAME.match(citation["expr"].split("|")[0].strip())
        if name:
            try:
                slugs.add(snippet_slug(name, values, post))
            except CiteError:
                pass  # citing reports it, with the page's line
    return slugs
