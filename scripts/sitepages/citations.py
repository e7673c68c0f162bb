"""`{{ section.snippet.value | filter }}` in a page becomes the value its snippet published (`sitepages.citations`).

A Python-Markdown extension, listed under markdown_extensions. A short name means a snippet of the page's own post
(page.py learns the page from the engine); `post.section.snippet.value` names any post's. A bad citation stops the
build with the page's file and line.
"""

from __future__ import annotations

from markdown import Markdown
from markdown.extensions import Extension
from markdown.preprocessors import Preprocessor
from sitebuild.values import CiteError

from sitepages.page import Page, PageError, generated
from sitepages.syntax import cite_outside_code

# Preprocessors run from the highest priority down. In the installed Markdown 3.11.3 and pymdown-extensions 13.1.2
# (see each one's extendMarkdown), pymdownx.snippets inserts files at 32, pymdownx.superfences stashes fenced code
# at 25 (fenced_code_block) and, with preserve_tabs, at 31.05 after its tab-keeping pass at 35 (pymdownx._bypassnorm);
# pymdownx.critic runs at 31.1 and Markdown's normalize_whitespace at 30. Above all of them, citations are read in
# the page's own lines, so `page:line` is the line the author wrote (and an included file is not cited).
PRIORITY = 40


class CitationError(PageError, CiteError):
    """A citation that names no published value, or one that cannot be formatted: `docs/<page>:LINE: Error: ...`."""


class CitationsExtension(Extension):
    def __init__(self, **kwargs) -> None:
        self.config = {
            "generated": ["docs/generated", "folder holding <post>/<section>/<snippet>/values.json"],
            "page": ["<page>", "the page's name in error messages when the engine names none"],
        }
        super().__init__(**kwargs)

    def extendMarkdown(self, md: Markdown) -> None:
        md.preprocessors.register(CitationsPreprocessor(md, self), "citations", PRIORITY)


class CitationsPreprocessor(Preprocessor):
    def __init__(self, md: Markdown, extension: CitationsExtension) -> None:
        super().__init__(md)
        self.extension = extension

    def run(self, lines: list[str]) -> list[str]:
        text = "\n".join(lines)
        if "{{" not in text:
            return lines  # no citation: nothing to read
        page = Page(self.md, self.extension.getConfig("page"))
        try:
            values = generated(self.extension.getConfig("generated")).values()
        except FileNotFoundError as exc:
            raise CitationError(f"{page.name}: Error: {exc}") from None
        try:
            return cite_outside_code(text, page.name, values, page.post).split("\n")
        except CiteError as exc:
            raise CitationError(str(exc)) from None


def makeExtension(**kwargs) -> CitationsExtension:
    return CitationsExtension(**kwargs)
