"""Page layout that must not wait for a script (`sitepages.layout`, a Python-Markdown extension).

- Tables: Material's JavaScript wraps every `table:not([class])` in a scrolling wrapper after the page has painted;
  on a slow phone that reflow is a visible layout shift. Wrapped in the HTML already, the table keeps its layout
  when the script adds its own (inner) wrapper, which docs/assets/extra.css makes take no room.
- Figures: a figure too wide for a phone becomes a <picture> that serves its stacked narrow variant there.
  sitebuild/render.py marks such an image with data-narrow-media and data-narrow-size; the variant is the wide
  SVG's name with `-narrow` (sitebuild/stacking.py). One image is downloaded per viewport, and no script.
"""

from __future__ import annotations

import html
import re

from markdown import Markdown
from markdown.extensions import Extension
from markdown.postprocessors import Postprocessor

from sitepages.page import PageError, source_of

# Python-Markdown writes a table as a bare `<table>`, and a Markdown table holds no other table, so the first
# `</table>` after it is its own. Tables with attributes (notebook outputs, code line numbers) are left alone.
BARE_TABLE = re.compile(r"<table>.*?</table>", re.S)
WRAPPER = '<div class="md-typeset__scrollwrap"><div class="md-typeset__table">{}</div></div>'
MARKED = re.compile(r"<img\b(?P<attributes>[^>]*\bdata-narrow-media=[^>]*?)\s*/?>")
ATTRIBUTE = re.compile(r'\s(?P<name>[\w-]+)="(?P<value>[^"]*)"')
# The wide image's file name and its palette marker (Material's #only-light / #only-dark).
WIDE_SVG = re.compile(r"\.svg(?=#only-(?:light|dark)$)")


class LayoutError(PageError):
    """A figure marked for a phone variant that cannot have one; the message names the page."""


def wrap(html_text: str) -> str:
    """Every bare table of a page's HTML in the wrapper."""
    if "<table>" not in html_text:
        return html_text
    return BARE_TABLE.sub(lambda match: WRAPPER.format(match[0]), html_text)


def pictures(content: str, where: str) -> str:
    """Every marked figure of a page's HTML as a <picture>."""
    if "data-narrow-media=" not in content:
        return content
    return MARKED.sub(lambda match: _picture(match["attributes"], where), content)


def _picture(text: str, where: str) -> str:
    attributes = {m["name"]: m["value"] for m in ATTRIBUTE.finditer(" " + text)}
    media, size = attributes.pop("data-narrow-media"), attributes.pop("data-narrow-size", "")
    width, _, height = size.partition("x")
    src = html.unescape(attributes.get("src", ""))
    if not (width.isdigit() and height.isdigit() and WIDE_SVG.search(src)):
        raise LayoutError(f"{where}: a figure marked for a narrow variant needs data-narrow-size=WxH and an SVG src")
    narrow = WIDE_SVG.sub("-narrow.svg", src).rpartition("#")[0]
    image = "".join(f' {name}="{value}"' for name, value in attributes.items())
    source = f'<source media="{media}" srcset="{html.escape(narrow)}" width="{width}" height="{height}">'
    return f"<picture>{source}<img{image}></picture>"


class LayoutExtension(Extension):
    def __init__(self, **kwargs) -> None:
        self.config = {"page": ["<page>", "the page's name in error messages when the engine names none"]}
        super().__init__(**kwargs)

    def extendMarkdown(self, md: Markdown) -> None:
        md.postprocessors.register(Layout(md, self), "layout", 24)  # after raw HTML (30) and MathML (25)


class Layout(Postprocessor):
    def __init__(self, md: Markdown, extension: LayoutExtension) -> None:
        super().__init__(md)
        self.extension = extension

    def run(self, text: str) -> str:
        source = source_of(self.md)
        return pictures(wrap(text), f"docs/{source}" if source else self.extension.getConfig("page"))


def makeExtension(**kwargs) -> LayoutExtension:
    return LayoutExtension(**kwargs)
