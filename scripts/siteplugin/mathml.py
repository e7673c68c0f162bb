"""The LaTeX that pymdownx.arithmatex leaves in a page, as MathML written at build time.

Browsers render MathML Core natively, so pages carry no math script, stylesheet or font. Conversions are kept in
.cache/mathml.json, for the same latex2mathml version and this file's code, so a rebuild converts only new formulas.
Used by the site plugin on every page, and by scripts/postbuild.py on a site another tool built.
"""

from __future__ import annotations

import hashlib
import html
import json
import os
import re
from importlib import metadata
from pathlib import Path

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


class FormulaError(ValueError):
    """A formula latex2mathml cannot convert; the message names the page."""


def cache_key() -> str:
    """What a cached conversion depends on besides the formula: the converter's version and this file's code."""
    version = f"latex2mathml=={metadata.version('latex2mathml')}\n".encode()
    return hashlib.sha256(version + CODE.read_bytes()).hexdigest()


class MathML:
    """One build's conversions: those of the last build (`known`) and those this one used (`used`)."""

    def __init__(self, path: Path = CACHE) -> None:
        self.path, self.key, self.used = path, cache_key(), {}
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
        """Keep exactly this build's formulas, written whole or not at all."""
        if self.used == self.known:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        partial = self.path.with_name(f"{self.path.name}.{os.getpid()}.partial")
        partial.write_text(json.dumps({"key": self.key, "formulas": self.used}), encoding="utf-8")
        os.replace(partial, self.path)
        self.known = self.used

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
        mathml = self.known.get(key) or convert(tex, display, source, where)
        self.used[key] = mathml
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
