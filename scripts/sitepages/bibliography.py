"""Python-Markdown extension: Pandoc-style citations of a BibTeX file, and each citing page's list of references.

`[@key]` is "(Hendrycks & Gimpel, 2016)", `[@a; @b]` cites both, `[see @key, section 6.1]` adds words around one,
`@key` is "Hendrycks & Gimpel (2016)" and `[-@key]` the year alone, "(2016)". Each links to the paper; a page that
cites ends with "References". It reads only the Markdown, so every engine that runs Python-Markdown extensions shows
the same page.
"""

from __future__ import annotations

import difflib
import html
import re
from dataclasses import dataclass
from pathlib import Path

from markdown import Markdown
from markdown.extensions import Extension
from markdown.preprocessors import Preprocessor
from pybtex.backends.plaintext import Backend
from pybtex.database import Entry, parse_file
from pybtex.exceptions import PybtexError
from pybtex.richtext import Text

from sitepages.page import Page, PageError
from sitepages.syntax import prose_ranges

# Above pymdownx.snippets (32) and superfences (25), as sitepages.citations: the page's own lines, so the error's
# line is the author's and an included file is left alone.
PRIORITY = 39
KEY = r"[A-Za-z][\w:-]*[A-Za-z0-9]"
# `[@a; see @b, suffix]` and `[-@a]`; not a link's text (`[@a](url)`), nor a footnote (`[^a]`).
BRACKET = re.compile(rf"\[(?P<items>[^\[\]@]*-?@{KEY}[^\[\]]*)\](?![(\[])")
ITEM = re.compile(rf"^(?:(?P<prefix>[^@]*?)\s+)?(?P<suppress>-)?@(?P<key>{KEY})(?:\s*,\s*(?P<suffix>.+))?$")
# `@key` in running text; not an e-mail address, a path, a decorator in a word or a bracketed citation.
IN_TEXT = re.compile(rf"(?<![\w@./\\`\[-])@(?P<key>{KEY})")
CITATION = re.compile(f"{BRACKET.pattern}|{IN_TEXT.pattern}")


class BibliographyError(PageError):
    """A citation that names no entry, or a bibliography that cannot be read; the message says where."""


@dataclass(frozen=True)
class Reference:
    key: str
    names: str  # "Hendrycks & Gimpel", "Radford et al."
    year: str
    link: str  # https://doi.org/... or the entry's url
    title: str
    listing: str  # the reference list's entry, as HTML


_CACHE: dict[tuple[str, int], dict[str, Reference]] = {}
PLAIN_TEXT = Backend()


def load_bibliography(path: Path) -> dict[str, Reference]:
    """Each entry of the BibTeX file at `path`, by key (parsed again only when the file changes)."""
    try:
        stamp = (str(path.resolve()), path.stat().st_mtime_ns)
    except FileNotFoundError:
        raise BibliographyError(
            f"sitepages.bibliography's option bibliography = {str(path)!r} is not a file (from {Path.cwd()}); "
            "give the BibTeX file, e.g. docs/references.bib"
        ) from None
    if stamp not in _CACHE:
        try:
            entries = parse_file(str(path), bib_format="bibtex").entries
        except PybtexError as exc:
            raise BibliographyError(f"cannot read {path}: {exc}") from None
        _CACHE.clear()
        _CACHE[stamp] = {key: reference(key, entry) for key, entry in entries.items()}
    return _CACHE[stamp]


def plain(latex: str) -> str:
    """BibTeX's LaTeX as text: `{GLU}` -> GLU, `M{\\"u}ller` -> Müller."""
    # The backend itself: render_as("text") looks the backend up among the installed entry points on every call.
    return Text.from_latex(latex).render(PLAIN_TEXT)


def link_of(entry: Entry) -> str:
    doi = entry.fields.get("doi")
    return f"https://doi.org/{doi}" if doi else entry.fields.get("url", "")


def reference(key: str, entry: Entry) -> Reference:
    people = entry.persons.get("author", [])
    last = [plain(" ".join(p.prelast_names + p.last_names)) for p in people]
    others = bool(last) and last[-1] == "others"
    names = last[0] if len(last) == 1 else " & ".join(last) if len(last) == 2 and not others else f"{last[0]} et al."
    year, title = entry.fields.get("year", ""), plain(entry.fields.get("title", ""))
    return Reference(key, names, year, link_of(entry), title, listing(entry, year, title))


def _author(person) -> str:
    initials = " ".join(
        "-".join(f"{part[0]}." for part in plain(name).split("-")) for name in person.first_names + person.middle_names
    )
    last = plain(" ".join(person.prelast_names + person.last_names))
    return f"{last}, {initials}" if initials else last


def listing(entry: Entry, year: str, title: str) -> str:
    """Authors (year). Title (linked). Venue, volume(number), pp. A–B. Note. doi or arXiv id.

    In a series (Lecture Notes in Computer Science, PMLR) the volume is the series': Venue. Series, vol. V, pp. A–B.
    """
    authors = [_author(p) for p in entry.persons.get("author", [])]
    others = bool(authors) and authors[-1] == "others"
    if others:
        authors[-1] = "et al."
    who = authors[-1] if len(authors) < 2 else f"{', '.join(authors[:-1])}{' ' if others else ' & '}{authors[-1]}"
    fields = {name: plain(value) for name, value in entry.fields.items()}
    venue = fields.get("journal") or fields.get("booktitle") or fields.get("institution") or fields.get("school")
    if fields.get("type"):
        venue = f"{fields['type']}, {venue}"
    venue = venue or fields.get("publisher", "")
    volume = fields.get("volume", "") + (f"({fields['number']})" if "number" in fields else "")
    pages = re.sub(r"\s*(?:--?|–)\s*", "–", fields.get("pages", ""))  # 9--50, 9-50 and 9–50 all read 9–50
    if pages:  # one form for every entry, with or without a series: pp. 9–50 (a single page: p. 9)
        pages = f"{'pp.' if re.search('[–,]', pages) else 'p.'} {pages}"
    if "series" in fields:
        details = ", ".join([fields["series"]] + [f"vol. {volume}"] * bool(volume) + [pages] * bool(pages))
        details = f". {details}"
    else:
        details = "".join(f", {part}" for part in (volume, pages) if part)
    parts = [
        f"{html.escape(who)} ({html.escape(year)}).",
        f'<a href="{html.escape(link_of(entry))}">{html.escape(title)}</a>.',
        f"<em>{html.escape(venue)}</em>{html.escape(details)}." if venue else "",
        f"{html.escape(fields['note'])}." if "note" in fields else "",
        f"doi:{html.escape(fields['doi'])}" if "doi" in fields else "",
        f"arXiv:{html.escape(fields['eprint'])}" if fields.get("archiveprefix", "").lower() == "arxiv" else "",
    ]
    return " ".join(part for part in parts if part)


def cite(markdown: str, bibliography: dict[str, Reference], page: str = "<page>") -> tuple[str, list[str]]:
    """The Markdown with its citations as links, and the keys it cites, in order of first citation."""
    out, done, cited = [], 0, []
    for start, end in prose_ranges(markdown):
        for match in CITATION.finditer(markdown, start, end):
            line = markdown.count("\n", 0, match.start()) + 1
            if match["items"]:
                items = [ITEM.match(" ".join(item.split())) for item in match["items"].split(";")]
                if not all(items):
                    raise BibliographyError(
                        f"{page}:{line}: Error: cannot read the citation {match[0]}; write [@key], [@a; @b], "
                        "[see @key, section 6.1] or [-@key] (the year alone)"
                    )
                refs = [_known(item["key"], bibliography, page, line, match[0]) for item in items]
                text = "; ".join(_parenthetical(ref, item) for ref, item in zip(refs, items, strict=True))
                text = f"({text})"
            else:
                refs = [_known(match["key"], bibliography, page, line, match[0])]
                text = _anchor(refs[0], f"{refs[0].names} ({refs[0].year})")
            cited += [ref.key for ref in refs if ref.key not in cited]
            out += [markdown[done : match.start()], text]
            done = match.end()
    return "".join([*out, markdown[done:]]), cited


def _known(key: str, bibliography: dict[str, Reference], page: str, line: int, citation: str) -> Reference:
    if key in bibliography:
        return bibliography[key]
    near = difflib.get_close_matches(key, bibliography, n=3)
    hint = f"; did you mean {', '.join(near)}?" if near else ""
    raise BibliographyError(
        f"{page}:{line}: Error: {citation} cites {key!r}, which the bibliography does not hold; "
        f"add the entry to the .bib file or fix the key{hint}"
    )


def _anchor(ref: Reference, text: str) -> str:
    title = html.escape(ref.title, quote=True)
    return f'<a class="citation" href="{html.escape(ref.link)}" title="{title}">{html.escape(text)}</a>'


def _parenthetical(ref: Reference, item: re.Match) -> str:
    text = _anchor(ref, ref.year if item["suppress"] else f"{ref.names}, {ref.year}")
    text = f"{item['prefix']} {text}" if item["prefix"] else text
    return f"{text}, {item['suffix']}" if item["suffix"] else text


def references_section(keys: list[str], bibliography: dict[str, Reference]) -> str:
    """The "References" section: the cited entries, by first author and year."""
    cited = sorted((bibliography[key] for key in keys), key=lambda ref: (ref.names, ref.year, ref.title))
    items = "\n".join(f"<li>{ref.listing}</li>" for ref in cited)
    return f'## References\n\n<ul class="references">\n{items}\n</ul>\n'


class BibliographyExtension(Extension):
    def __init__(self, **kwargs) -> None:
        self.config = {
            "bibliography": ["docs/references.bib", "the BibTeX file the pages cite, from the working directory"],
            "page": ["<page>", "the page's name in error messages, e.g. docs/activation-functions/gelu.md"],
        }
        super().__init__(**kwargs)

    def extendMarkdown(self, md: Markdown) -> None:
        md.preprocessors.register(BibliographyPreprocessor(md, self), "bibliography", PRIORITY)


class BibliographyPreprocessor(Preprocessor):
    def __init__(self, md: Markdown, extension: BibliographyExtension) -> None:
        super().__init__(md)
        self.extension = extension

    def run(self, lines: list[str]) -> list[str]:
        text = "\n".join(lines)
        if "@" not in text:
            return lines
        page = Page(self.md, self.extension.getConfig("page")).name
        try:
            bibliography = load_bibliography(Path(self.extension.getConfig("bibliography")))
        except BibliographyError as exc:
            raise BibliographyError(f"{page}: Error: {exc}") from None
        text, cited = cite(text, bibliography, page)
        if cited:
            text = f"{text.rstrip()}\n\n{references_section(cited, bibliography)}"
        return text.split("\n")


def makeExtension(**kwargs) -> BibliographyExtension:
    """Entry point for `markdown_extensions: [sitepages.bibliography]`."""
    return BibliographyExtension(**kwargs)
