"""MkDocs hook: a figure too wide for a phone becomes a <picture> that serves its stacked narrow variant there.

scripts/sitebuild/render.py marks such an image with data-narrow-media and data-narrow-size; the variant
is the wide SVG's name with `-narrow` (stacking.py). One image is downloaded per viewport, and no script.
"""

from __future__ import annotations

import html
import re

from mkdocs.exceptions import PluginError

MARKED = re.compile(r"<img\b(?P<attributes>[^>]*\bdata-narrow-media=[^>]*?)\s*/?>")
ATTRIBUTE = re.compile(r'\s(?P<name>[\w-]+)="(?P<value>[^"]*)"')
# The wide image's file name and its palette marker (Material's #only-light / #only-dark).
WIDE_SVG = re.compile(r"\.svg(?=#only-(?:light|dark)$)")


def on_page_content(content: str, page, config, files) -> str:
    return pictures(content, page.file.src_uri)


def pictures(content: str, where: str) -> str:
    """Every marked figure of a page's HTML as a <picture> (also run by scripts/postbuild.py)."""
    if "data-narrow-media=" not in content:
        return content
    return MARKED.sub(lambda match: _picture(match["attributes"], where), content)


def _picture(text: str, where: str) -> str:
    attributes = {m["name"]: m["value"] for m in ATTRIBUTE.finditer(" " + text)}
    media, size = attributes.pop("data-narrow-media"), attributes.pop("data-narrow-size", "")
    width, _, height = size.partition("x")
    src = html.unescape(attributes.get("src", ""))
    if not (width.isdigit() and height.isdigit() and WIDE_SVG.search(src)):
        raise PluginError(f"{where}: a figure marked for a narrow variant needs data-narrow-size=WxH and an SVG src")
    narrow = WIDE_SVG.sub("-narrow.svg", src).rpartition("#")[0]
    image = "".join(f' {name}="{value}"' for name, value in attributes.items())
    source = f'<source media="{media}" srcset="{html.escape(narrow)}" width="{width}" height="{height}">'
    return f"<picture>{source}<img{image}></picture>"
