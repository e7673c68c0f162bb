"""The LaTeX that pymdownx.arithmatex leaves in a page, as MathML written at build time (`sitepages.mathml`).

Browsers render MathML Core natively, so pages carry no math script, stylesheet or font. It is a Python-Markdown
extension, so every engine's search index and table of contents get what the page shows: the formulas are
converted in the page's HTML as Markdown finishes it, and a heading's entry in the table of contents gets the
formula's plain text instead of its LaTeX. Conversions are kept in .cache/mathml.json, for the same latex2mathml
version and this file's code, so a rebuild converts only new formulas; the cache only grows (a build of a few
pages, `mkdocs serve --dirty`, keeps the others' formulas) until that key changes.
"""

from __future__ import annotations

import hashlib
import html
import json
import os
import re
import threading
import xml.etree.ElementTree as etree
from importlib import metadata
from pathlib import Path

from markdown import Markdown
from markdown.extensions import Extension
from markdown.postprocessors import Postprocessor
from markdown.treeprocessors import Treeprocessor

from sitepages.page import PageError, source_of

CODE = Path(__file__).resolve()
CACHE = CODE.parents[2] / ".cache" / "mathml.json"

# arithmatex's generic output: `<span class="arithmatex">\(…\)</span>`, `<div class="arithmatex">\[…\]</div>`.
FORMULA = re.compile(r'<(?P<tag>span|div) class="arithmatex">(?P<tex>.*?)</(?P=tag)>', re.S)
# MathML Core renders mathvariant only as "normal"; use the Unicode letters the variants stand for.
LETTERS = {"double-struck": {"E": "\U0001d53c", "R": "\u211d", "N": "\u2115"}, "script": {"N": "\U0001d4a9"}}
VARIANT = re.compile(r'<mi mathvariant="(?P<variant>[a-z-]+)">(?P<letter>[A-Za-z])</mi>')
# latex2mathml writes `\!` as a named space that MathML Core does not define.
NEGATIVE_THIN = '<mspace width="negativethinmathspace" />'
# It writes \operatorname{GELU} as an operator, which MathML spaces like a sign; a name is an identifier.
NAMED_OPERATOR = re.compile(r"<mo>(?P<name>[A-Za-z]{2,})</mo>")


class FormulaError(PageError):
    """A formula latex2mathml cannot convert; the message names the page."""


def cache_key() -> str:
    """What a cached conversion depends on besides the formula: the converter's version and this file's code."""
    version = f"latex2mathml=={metadata.version('latex2mathml')}\n".encode()
    return hashlib.sha256(version + CODE.read_bytes()).hexdigest()


class MathML:
    """The conversions known so far (`known`), read from `path` and written back when a page adds some."""

    def __init__(self, path: Path = CACHE) -> None:
        self.path, self.key, self.added = path, cache_key(), 0
        self.lock = threading.Lock()
        try:
            stored = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):  # none yet, or unreadable: convert everything again
            stored = {}
        self.known: dict[str, str] = stored.get("formulas", {}) if stored.get("key") == self.key else {}

    def page(self, output: str, where: str) -> str:
        """Every formula of a page's HTML as MathML."""
        if 'class="arithmatex"' not in output:
            return output
        return FORMULA.sub(lambda match: self._render(match, where), output)

    def save(self) -> None:
        """Write the conversions whole or not at all, if a page added any since the last save."""
        with self.lock:
            if not self.added:
                return
            self.path.parent.mkdir(parents=True, exist_ok=True)
            partial = self.path.with_name(f"{self.path.name}.{os.getpid()}.{threading.get_ident()}.partial")
            partial.write_text(json.dumps({"key": self.key, "formulas": self.known}), encoding="utf-8")
            os.replace(partial, self.path)
            self.added = 0

    def _render(self, match: re.Match, where: str) -> str:
        source = html.unescape(match["tex"]).strip()
        tex = source[2:-2].strip()  # drop the \( \) or \[ \] delimiters
        if match["tag"] == "div":
            # A display formula wider than a phone scrolls sideways; tabindex lets the keyboard scroll it.
            return f'<div class="arithmatex" tabindex="0">{self.formula(tex, True, source, where)}</div>'
        # Browsers do not break a line inside MathML; one <math> per side of each `=` lets a long
        # inline formula wrap at its equals signs on a phone, as KaTeX's HTML did.
        parts = [self.formula(part, False, source, where) for part in split_at_equals(tex)]
        return f'<span class="arithmatex">{"<wbr>".join(parts)}</span>'

    def formula(self, tex: str, display: bool, source: str, where: str) -> str:
        key = f"{'block' if display else 'inline'} {tex}"
        mathml = self.known.get(key)
        if mathml is None:
            mathml = convert(tex, display, source, where)
            with self.lock:
                self.known[key], self.added = mathml, self.added + 1
        return mathml


def split_at_equals(tex: str) -> list[str]:
    """`a = b = c` -> ["a", "= b", "= c"]: split before each `=` outside braces and brackets."""
    if "\\begin" in tex:  # an environment's rows may hold `=`; keep it whole
        return [tex]
    parts, depth, start = [], 0, 0
    for index, char in enumerate(tex):
        depth += {"{": 1, "}": -1, "(": 1, ")": -1}.get(char, 0)
        if char == "=" and depth == 0 and index > start:
            parts.append(tex[start:index].strip())
            start = index
    parts.append(tex[start:].strip())
    return [part for part in parts if part]


def convert(tex: str, display: bool, source: str, where: str) -> str:
    from latex2mathml.converter import convert as to_mathml  # only when a formula is new: most rebuilds need none

    try:
        mathml = to_mathml(tex, display="block" if display else "inline")
    except Exception as exc:  # latex2mathml raises several unrelated types
        raise FormulaError(f"{where}: cannot convert the formula {source!r} to MathML: {exc}") from exc
    mathml = mathml.replace(NEGATIVE_THIN, '<mspace width="-0.167em" />')
    mathml = NAMED_OPERATOR.sub(r"<mi>\g<name></mi>", VARIANT.sub(_letter, mathml))
    # Keep the LaTeX as an annotation: assistive technology and copy-as-TeX tools can use it.
    head, _, body = mathml.partition(">")
    body = body.removesuffix("</math>")
    annotation = f'<annotation encoding="application/x-tex">{html.escape(tex)}</annotation>'
    return f"{head}><semantics><mrow>{body}</mrow>{annotation}</semantics></math>"


def _letter(match: re.Match) -> str:
    letter = LETTERS.get(match["variant"], {}).get(match["letter"])
    if letter is None:
        return match[0]
    return f"<mi>{letter}</mi>"


def plain_text(mathml: str) -> str:
    """What a formula reads as in plain text: its MathML's characters, without the LaTeX annotation."""
    element = etree.fromstring(mathml)
    for semantics in element.iter("{http://www.w3.org/1998/Math/MathML}semantics"):
        for annotation in list(semantics):
            if annotation.tag.endswith("annotation"):
                semantics.remove(annotation)
    return "".join(element.itertext())


HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
_shared: MathML | None = None


def shared() -> MathML:
    """One set of conversions for the process: every engine makes a new extension per page."""
    global _shared
    if _shared is None or _shared.key != cache_key():
        _shared = MathML()
    return _shared


class MathMLExtension(Extension):
    def __init__(self, **kwargs) -> None:
        self.config = {"page": ["<page>", "the page's name in error messages when the engine names none"]}
        super().__init__(**kwargs)

    def extendMarkdown(self, md: Markdown) -> None:
        # The table of contents (toc, 5) reads the headings after this; the HTML is finished after raw HTML is put
        # back (raw_html, 30).
        md.treeprocessors.register(HeadingLabels(md, self), "mathml_toc_labels", 6)
        md.postprocessors.register(Formulas(md, self), "mathml", 25)


def _where(md: Markdown, extension: MathMLExtension) -> str:
    source = source_of(md)
    return f"docs/{source}" if source else extension.getConfig("page")


class HeadingLabels(Treeprocessor):
    """A heading with a formula is listed in the table of contents by its plain text, not its LaTeX."""

    def __init__(self, md: Markdown, extension: MathMLExtension) -> None:
        super().__init__(md)
        self.extension = extension

    def run(self, root: etree.Element) -> None:
        for heading in root.iter():
            if heading.tag not in HEADINGS:
                continue
            if "data-toc-label" in heading.attrib or not heading.findall(".//span[@class='arithmatex']"):
                continue
            label = self._label(heading)
            heading.set("data-toc-label", html.escape(label, quote=False))
            toc = self.md.treeprocessors["toc"] if "toc" in self.md.treeprocessors else None
            if toc is not None and "id" not in heading.attrib:  # the anchor a reader would guess: from the label
                heading.set("id", toc.slugify(label, toc.sep))

    def _label(self, element: etree.Element) -> str:
        if element.get("class") == "arithmatex":
            tex = (element.text or "").strip()[2:-2].strip()
            where = _where(self.md, self.extension)
            text = plain_text(shared().formula(tex, False, element.text or "", where))
        else:
            text = element.text or ""
        return text + "".join(self._label(child) + (child.tail or "") for child in element)


class Formulas(Postprocessor):
    def __init__(self, md: Markdown, extension: MathMLExtension) -> None:
        super().__init__(md)
        self.extension = extension

    def run(self, text: str) -> str:
        if 'class="arithmatex"' not in text:
            return text
        math = shared()
        try:
            return math.page(text, _where(self.md, self.extension))
        finally:
            math.save()


def makeExtension(**kwargs) -> MathMLExtension:
    return MathMLExtension(**kwargs)
