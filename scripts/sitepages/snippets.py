"""What a page shows around its snippets' outputs (a Python-Markdown extension, `sitepages.snippets`).

- Above the first cell of each snippet a page includes, the "run it yourself" line: the snippet's notebook and
  script as downloads from this site and, once the site names its repository, the notebook in Colab.
- Above the include of a snippet whose last run failed, a notice with its error (the last good output stays).
- Under a page that shows outputs, the provenance line: the versions and the numeric environment they came from.
- A snippet's code and output blocks stay out of the search index (`data-search-exclude`, which the search of
  Material and of Zensical both honour): the prose that explains the code is what a query should find.

All of it is written as Markdown before the includes are expanded, so every engine resolves its links.
"""

from __future__ import annotations

import re

from markdown import Markdown
from markdown.extensions import Extension
from markdown.postprocessors import Postprocessor
from markdown.preprocessors import Preprocessor
from sitebuild.keys import PINNED

from sitepages.page import generated, source_of
from sitepages.syntax import INCLUDE, NOTEBOOK, SHOWS_OUTPUT

# Below citations (40), above pymdownx.snippets (32), which replaces the include lines with the fragments.
PRIORITY = 36
COLAB = "https://colab.research.google.com/github/{repository}/blob/{branch}/docs/generated/{slug}.ipynb"
GITHUB = re.compile(r"^https://github\.com/(?P<repository>[A-Za-z0-9][A-Za-z0-9-]{0,38}/[A-Za-z0-9._-]{1,100})/?$")
# A snippet's code or printed output, as pymdownx.highlight renders the fences of sitebuild.render.cell_markdown.
GENERATED_BLOCK = re.compile(
    r'<div class="language-(?:python|text) highlight(?=">\s*<span class="filename">(?:snippets/|Output<))'
)


class SnippetsExtension(Extension):
    def __init__(self, **kwargs) -> None:
        self.config = {
            "generated": ["docs/generated", "folder holding the snippets' outputs"],
            "repo_url": ["", "the GitHub repository's address (the site's repo_url); empty: no Colab link"],
            "branch": ["main", "the branch the site is published from"],
        }
        super().__init__(**kwargs)

    def extendMarkdown(self, md: Markdown) -> None:
        md.preprocessors.register(AroundOutputs(md, self), "snippet_lines", PRIORITY)
        md.postprocessors.register(ExcludeFromSearch(md), "snippet_search_exclusion", 5)


class AroundOutputs(Preprocessor):
    def __init__(self, md: Markdown, extension: SnippetsExtension) -> None:
        super().__init__(md)
        self.extension = extension

    def run(self, lines: list[str]) -> list[str]:
        text = "\n".join(lines)
        if not SHOWS_OUTPUT.search(text):
            return lines
        folder = generated(self.extension.getConfig("generated"))
        source = source_of(self.md) or "<post>/<page>.md"  # pages sit one folder deep, as the fragments assume
        up = "../" * source.count("/")
        seen: set[str] = set()

        def above(match: re.Match) -> str:
            slug, indent = match["slug"], match["indent"]
            added = []
            failure = folder.failure(slug)
            if failure is not None:
                added.append(failure_notice(slug, failure))
            if slug not in seen and (folder.folder / f"{slug}.ipynb").is_file():
                added.append(self.run_it(slug, up))
            seen.add(slug)
            if not added:
                return match[0]
            block = "\n\n".join(added)
            return "\n".join(indent + line if line else line for line in block.splitlines()) + "\n\n" + match[0]

        text = _each_include(text, above)
        return (text + provenance(folder.environment(), up)).split("\n")

    def run_it(self, slug: str, up: str) -> str:
        name = slug.rsplit("/", 1)[-1]
        links = [
            f"[{name}.ipynb]({up}generated/{slug}.ipynb){{ download }}",
            f"[{name}.py]({up}generated/{slug}.py){{ download }}",
        ]
        repository = GITHUB.match(self.extension.getConfig("repo_url") or "")
        if repository:
            colab = COLAB.format(
                repository=repository["repository"], branch=self.extension.getConfig("branch"), slug=slug
            )
            links.append(f"[Open in Colab]({colab})")
        return f"Run `snippets/{slug}.py` yourself: " + " · ".join(links) + "\n{: .run-it data-search-exclude }"


def _each_include(text: str, replace) -> str:
    """Apply `replace` to every include line of a cell's fragment or a notebook's body, in page order."""
    matches = sorted([*INCLUDE.finditer(text), *NOTEBOOK.finditer(text)], key=lambda match: match.start())
    out, done = [], 0
    for match in matches:
        out += [text[done : match.start()], replace(match)]
        done = match.end()
    return "".join([*out, text[done:]])


def failure_notice(slug: str, message: str) -> str:
    """A failed snippet's error, as an admonition above its last good output."""
    body = "\n".join("        " + line for line in message.rstrip("\n").splitlines())
    title = f"snippets/{slug}.py failed: the output below is out of date"
    return f'!!! failure "{title}"\n\n    ```text\n{body}\n    ```'


def provenance(env: dict, up: str) -> str:
    """A line naming the versions that produced the page's outputs, as the manifest records them."""
    if not env:
        return ""
    versions = ", ".join(f"{name} {env[name]}" for name in ("python", *PINNED) if name in env)
    return (
        f"\n\nOutputs on this page were produced and checked with {versions} "
        f"on {env.get('platform', 'an unknown platform')}, "
        f"[pinned CPU kernels]({up}reproducibility.md#the-numeric-environment) "
        f"({env.get('numerics', 'not recorded')}).\n{{: .provenance }}\n"
    )


class ExcludeFromSearch(Postprocessor):
    """Marks the snippets' code and output blocks, after the fenced blocks are back in the page's HTML."""

    def run(self, text: str) -> str:
        return GENERATED_BLOCK.sub(lambda m: m.group(0) + '" data-search-exclude="', text)


def makeExtension(**kwargs) -> SnippetsExtension:
    return SnippetsExtension(**kwargs)
