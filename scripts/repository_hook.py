"""MkDocs hook: the repository's address in one place, and the links that lead into it or let a reader run a snippet.

`extra.repository` ("owner/name" on GitHub) and `extra.branch` in mkdocs.yml are the one setting; the deploy sets
them from the repository it runs in. From them come repo_url and edit_uri (Material's source and edit links), the
edit link of a generated page (its snippet), and the Colab link. Above the first cell of each snippet a page shows,
a line offers its notebook, its script and (with a real repository) the notebook in Colab. While the repository is
the placeholder owner `example`, no link into it is shown.
"""

from __future__ import annotations

import re

from mkdocs.exceptions import PluginError
from mkdocs.utils import get_relative_url

PLACEHOLDER_OWNER = "example"
REPOSITORY = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})/[A-Za-z0-9._-]{1,100}")
BRANCH = re.compile(r"[A-Za-z0-9._/-]+")
INCLUDE = re.compile(r'^(?P<indent>[ \t]*)-{1,}8<-{1,}\s+"generated/(?P<slug>[^"]+?)/cell-\d+\.md"\s*$', re.M)
COLAB = "https://colab.research.google.com/github/{repository}/blob/{branch}/docs/generated/{slug}.ipynb"
state: dict = {"repository": None, "branch": "main"}


def repository(extra: dict) -> tuple[str | None, str]:
    """(owner/name or None for the placeholder, branch), checked; a bad value is an error naming the key."""
    value, branch = extra.get("repository"), extra.get("branch", "main")
    if not isinstance(value, str) or not REPOSITORY.fullmatch(value):
        raise PluginError(
            f"mkdocs.yml: extra.repository must be a GitHub repository as owner/name, such as "
            f"'octo-org/activation-functions'; got {value!r}"
        )
    if not isinstance(branch, str) or not BRANCH.fullmatch(branch):
        raise PluginError(f"mkdocs.yml: extra.branch must be a branch name, such as 'main'; got {branch!r}")
    return (None if value.split("/")[0] == PLACEHOLDER_OWNER else value), branch


def on_config(config):
    state["repository"], state["branch"] = repository(config.extra)
    if state["repository"]:
        config.repo_url = f"https://github.com/{state['repository']}"
        config.repo_name = state["repository"]
        config.edit_uri = f"edit/{state['branch']}/docs/"
    else:  # a placeholder's links are all dead: show none
        config.repo_url = config.repo_name = config.edit_uri = None
    return config


def on_page_context(context, page, config, nav):
    """A generated page (the notebook) is edited in its snippet, not in docs/generated/."""
    uri = page.file.src_uri
    if page.edit_url and uri.startswith("generated/"):
        snippet = re.sub(r"\.ipynb$", ".py", uri.removeprefix("generated/"))
        page.edit_url = f"{config.repo_url}/edit/{state['branch']}/snippets/{snippet}"
    return context


def on_page_markdown(markdown: str, page, config, files) -> str:
    """Put the "run it yourself" line above the first cell of each snippet the page includes."""
    seen: set[str] = set()

    def links(match: re.Match) -> str:
        slug = match["slug"]
        line = run_it(slug, page, files) if slug not in seen else ""
        seen.add(slug)
        return f"{match['indent']}{line}\n\n{match.group(0)}" if line else match.group(0)

    return INCLUDE.sub(links, markdown)


def on_page_content(html_text: str, page, config, files) -> str:
    """A notebook page shows a snippet's cells too: the same line, under its title."""
    uri = page.file.src_uri
    if not (uri.startswith("generated/") and uri.endswith(".ipynb")):
        return html_text
    line = run_it(uri.removeprefix("generated/").removesuffix(".ipynb"), page, files)
    head, found, rest = html_text.partition("</h1>")
    return head + found + line + rest if found else line + html_text


def run_it(slug: str, page, files) -> str:
    """One paragraph of links: the notebook and the script as files of this site, and Colab's copy of the notebook."""
    notebook = files.get_file_from_path(f"generated/{slug}.ipynb")
    script = files.get_file_from_path(f"generated/{slug}.py")
    if notebook is None or script is None:  # a new snippet that failed: no outputs to offer yet
        return ""
    # A notebook in the nav is a page; notebook_hook.py puts the file itself beside that page.
    notebook_url = notebook.url + notebook.name + ".ipynb" if notebook.is_documentation_page() else notebook.url
    name = slug.rsplit("/", 1)[-1]
    links = [
        f'<a href="{get_relative_url(notebook_url, page.url)}" download>{name}.ipynb</a>',
        f'<a href="{get_relative_url(script.url, page.url)}" download>{name}.py</a>',
    ]
    if state["repository"]:
        colab = COLAB.format(repository=state["repository"], branch=state["branch"], slug=slug)
        links.append(f'<a href="{colab}">Open in Colab</a>')
    intro = f'<p class="run-it" data-search-exclude>Run <code>snippets/{slug}.py</code> yourself: '
    return intro + " · ".join(links) + "</p>"
