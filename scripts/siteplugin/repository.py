"""The repository's address (the plugin's `repository` and `branch`), and the links that lead into it.

From them come repo_url and edit_uri (Material's source and edit links), the edit link of a generated page (its
snippet), and the Colab link. Above the first cell of each snippet a page shows, a line offers its notebook, its
script and (with a real repository) the notebook in Colab. While the repository is the placeholder owner
`example`, no link into it is shown.
"""

from __future__ import annotations

import re

from mkdocs.config import config_options as c
from mkdocs.utils import get_relative_url
from sitebuild.includes import INCLUDE

PLACEHOLDER_OWNER = "example"
REPOSITORY = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})/[A-Za-z0-9._-]{1,100}")
BRANCH = re.compile(r"[A-Za-z0-9._/-]+")
COLAB = "https://colab.research.google.com/github/{repository}/blob/{branch}/docs/generated/{slug}.ipynb"


class Matching(c.Type):
    """A string option that must match a pattern; the error shows an example of a good value."""

    def __init__(self, pattern: re.Pattern, example: str, **kwargs) -> None:
        super().__init__(str, **kwargs)
        self.pattern, self.example = pattern, example

    def run_validation(self, value: object) -> str:
        value = super().run_validation(value)
        if not self.pattern.fullmatch(value):
            raise c.ValidationError(f"expected something like {self.example!r}, got {value!r}")
        return value


def real(repository: str) -> str | None:
    """The repository, or None while it is the placeholder."""
    return None if repository.split("/")[0] == PLACEHOLDER_OWNER else repository


def set_links(config, repository: str | None, branch: str) -> None:
    """repo_url and edit_uri from the repository; a placeholder's links are all dead, so none."""
    if repository:
        config.repo_url = f"https://github.com/{repository}"
        config.repo_name = repository
        config.edit_uri = f"edit/{branch}/docs/"
    else:
        config.repo_url = config.repo_name = config.edit_uri = None


def edit_url(page, config, branch: str) -> str | None:
    """A generated page (a notebook's) is edited in its snippet, not in docs/generated/."""
    uri = page.file.src_uri
    if page.edit_url and uri.startswith("generated/"):
        snippet = re.sub(r"\.ipynb$", ".py", uri.removeprefix("generated/"))
        return f"{config.repo_url}/edit/{branch}/snippets/{snippet}"
    return page.edit_url


def add_run_it_lines(markdown: str, page, files, repository: str | None, branch: str) -> str:
    """Put the "run it yourself" line above the first cell of each snippet the page includes."""
    seen: set[str] = set()

    def links(match: re.Match) -> str:
        slug = match["slug"]
        line = run_it(slug, page, files, repository, branch) if slug not in seen else ""
        seen.add(slug)
        return f"{match['indent']}{line}\n\n{match.group(0)}" if line else match.group(0)

    return INCLUDE.sub(links, markdown)


def run_it(slug: str, page, files, repository: str | None, branch: str) -> str:
    """One paragraph of links: the notebook and the script as files of this site, and Colab's copy of the notebook."""
    notebook = files.get_file_from_path(f"generated/{slug}.ipynb")
    script = files.get_file_from_path(f"generated/{slug}.py")
    if notebook is None or script is None:  # a new snippet that failed: no outputs to offer yet
        return ""
    # A notebook in the nav is a page; the plugin puts the file itself beside that page.
    notebook_url = notebook.url + notebook.name + ".ipynb" if notebook.is_documentation_page() else notebook.url
    name = slug.rsplit("/", 1)[-1]
    links = [
        f'<a href="{get_relative_url(notebook_url, page.url)}" download>{name}.ipynb</a>',
        f'<a href="{get_relative_url(script.url, page.url)}" download>{name}.py</a>',
    ]
    if repository:
        colab = COLAB.format(repository=repository, branch=branch, slug=slug)
        links.append(f'<a href="{colab}">Open in Colab</a>')
    intro = f'<p class="run-it" data-search-exclude>Run <code>snippets/{slug}.py</code> yourself: '
    return intro + " · ".join(links) + "</p>"
