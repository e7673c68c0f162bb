"""MkDocs hook: put each Markdown table into Material's scrolling wrapper when the page is built.

Material's JavaScript wraps every `table:not([class])` after the page has painted; on a slow phone
that reflow is a visible layout shift. Wrapped in the HTML already, the table keeps its layout when
the script adds its own (inner) wrapper, which docs/assets/extra.css makes take no room.
"""

from __future__ import annotations

import re

# Python-Markdown writes a table as a bare `<table>`, and a Markdown table holds no other table, so the first
# `</table>` after it is its own. Tables with attributes (notebook outputs, code line numbers) are left alone.
BARE_TABLE = re.compile(r"<table>.*?</table>", re.S)
WRAPPER = '<div class="md-typeset__scrollwrap"><div class="md-typeset__table">{}</div></div>'


def on_page_content(html: str, page, config, files) -> str:
    return wrap(html)


def wrap(html: str) -> str:
    """Every bare table of a page's HTML in the wrapper (also run by scripts/postbuild.py)."""
    if "<table>" not in html:
        return html
    return BARE_TABLE.sub(lambda match: WRAPPER.format(match[0]), html)
