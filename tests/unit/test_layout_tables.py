"""sitepages.layout: a Markdown table is wrapped as Material's script would wrap it; other tables are left alone."""

from __future__ import annotations

from sitepages import layout

WRAP = '<div class="md-typeset__scrollwrap"><div class="md-typeset__table">'


def test_a_bare_table_is_wrapped_and_a_table_with_attributes_is_not():
    html = '<table class="highlighttable"><tr><td>1</td></tr></table><p>x</p><table><tr><td>a</td></tr></table>'
    out = layout.wrap(html)
    assert out == (
        '<table class="highlighttable"><tr><td>1</td></tr></table><p>x</p>'
        f"{WRAP}<table><tr><td>a</td></tr></table></div></div>"
    )


def test_a_page_without_tables_is_returned_as_it_is():
    html = "<p>no table here</p>"
    assert layout.wrap(html) is html
