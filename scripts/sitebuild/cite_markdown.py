"""Python-Markdown extension that turns `{{ section.snippet.value | filter }}` in a page into the published value.

The MkDocs plugin calls `set_page` before each page, naming its post; Zensical lists `sitebuild.cite_markdown`
under markdown_extensions and names no page, so there a short name must belong to one post only (cite.snippet_slug).
"""

from __future__ import annotations

from pathlib import Path

from markdown import Markdown
from markdown.extensions import Extension
from markdown.preprocessors import Preprocessor

from sitebuild.cite import CiteError, cite_outside_code, load_values

# Preprocessors run from the highest priority down. In the installed Markdown 3.11.3 and pymdown-extensions 13.1.2
# (see each one's extendMarkdown), pymdownx.snippets inserts files at 32, pymdownx.superfences stashes fenced code
# at 25 (fenced_code_block) and, with preserve_tabs, at 31.05 after its tab-keeping pass at 35 (pymdownx._bypassnorm);
# pymdownx.critic runs at 31.1 and Markdown's normalize_whitespace at 30. Above all of them, citations are read in
# the page's own lines, so `page:line` is the line the author wrote (and an included file is not cited, as before).
PRIORITY = 40


class CitationsExtension(Extension):
    """Cites the values in `generated` (read on first use), or those given to `set_page`."""

    def __init__(self, **kwargs) -> None:
        self.config = {
            "generated": ["docs/generated", "folder holding <post>/<section>/<snippet>/values.json"],
            "page": ["<page>", "the page's name in error messages, e.g. docs/activation-functions/gelu.md"],
        }
        super().__init__(**kwargs)
        self.values: dict | None = None
        self.post: str | None = None

    def set_page(self, page: str, values: dict | None, post: str | None = None) -> None:
        """Name the next page and its post; values=None reads `generated` again on first use."""
        self.setConfig("page", page)
        self.values, self.post = values, post

    def current_values(self) -> dict:
        """The values to cite, read from `generated` if none were given."""
        if self.values is None:
            generated = Path(self.getConfig("generated"))
            if not generated.is_dir():
                raise CiteError(
                    f"{self.getConfig('page')}: Error: CitationsExtension option generated = {str(generated)!r} "
                    f"is not a folder (from {Path.cwd()}); give the folder holding "
                    "<post>/<section>/<snippet>/values.json, e.g. docs/generated"
                )
            self.values = load_values(generated)
        return self.values

    def extendMarkdown(self, md: Markdown) -> None:
        md.preprocessors.register(CitationsPreprocessor(md, self), "citations", PRIORITY)


class CitationsPreprocessor(Preprocessor):
    """Cites on the page's lines as the author wrote them."""

    def __init__(self, md: Markdown, extension: CitationsExtension) -> None:
        super().__init__(md)
        self.extension = extension

    def run(self, lines: list[str]) -> list[str]:
        text = "\n".join(lines)
        if "{{" not in text:
            return lines  # no citation: nothing to read from `generated`
        extension = self.extension
        cited = cite_outside_code(text, extension.getConfig("page"), extension.current_values(), extension.post)
        return cited.split("\n")


def makeExtension(**kwargs) -> CitationsExtension:
    """Entry point for `markdown_extensions: [sitebuild.cite_markdown]`."""
    return CitationsExtension(**kwargs)
