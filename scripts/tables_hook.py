"""MkDocs hook: put each Markdown table into Material's scrolling wrapper when the page is built.

Material's JavaScript wraps every `table:not([class])` after the page has painted; on a slow phone
that reflow is a visible layout shift. Wrapped in the HTML already, the table keeps its layout when
the script adds its own (inner) wrapper, which docs/assets/extra.css makes take no room.
"""

from __future__ import annotations

# Python-Markdown writes a table as a bare `<table>`; tables with attributes (notebook outputs) are left alone.
OPEN, CLOSE = "<table>", "</table>"
WRAP_OPEN = '<div class="md-typeset__scrollwrap"><div class="md-typeset__table"><table>'
WRAP_CLOSE = "</table></div></div>"


def on_page_content(html: str, page, config, files) -> str:
    if OPEN not in html:
        return html
    return html.replace(OPEN, WRAP_OPEN).replace(CLOSE, WRAP_CLOSE)
