"""The site's MkDocs plugin (`site` in mkdocs.yml's plugins): snippets, citations, notebook pages, repository links.

Every build gets one BuildSession (session.py), made in on_pre_build, that plans and runs the stale snippets;
the plugin object itself lives as long as the MkDocs process, so under `mkdocs serve` it keeps the worker warm.
Which event does what, and in what order, is in CONTRIBUTING.md ("The MkDocs plugin").
"""

from __future__ import annotations

import functools
import os
import re
from pathlib import Path

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from sitebuild.cite import CiteError, cite_outside_code, post_of
from sitebuild.cite_markdown import CitationsExtension
from sitebuild.discover import GENERATED, ROOT, SNIPPETS
from sitebuild.includes import INCLUDE, SHOWS_OUTPUT, needs
from sitebuild.keys import PINNED
from sitebuild.pipeline import DEFAULT_JOBS

from . import notebooks
from . import repository as links
from .mathml import FormulaError, MathML
from .repository import BRANCH, REPOSITORY, Matching
from .session import BuildSession
from .worker import Worker

log = get_plugin_logger("site")
CITATIONS = "sitebuild.cite_markdown"  # the citations extension's name under markdown_extensions
# A snippet's code or printed output, as pymdownx.highlight renders the fences of render.cell_markdown.
GENERATED_BLOCK = re.compile(
    r'<div class="language-(?:python|text) highlight(?=">\s*<span class="filename">(?:snippets/|Output<))'
)


class AtLeast(c.Type):
    """A number option with a lower bound."""

    def __init__(self, kind: type, minimum: float, **kwargs) -> None:
        super().__init__(kind, **kwargs)
        self.minimum = minimum

    def run_validation(self, value: object) -> object:
        value = super().run_validation(value)
        if value < self.minimum:
            raise c.ValidationError(f"must be at least {self.minimum}, got {value!r}")
        return value


class SiteConfig(base.Config):
    timeout = AtLeast((int, float), 1, default=300)  # seconds one snippet may run before it is stopped
    jobs = AtLeast(int, 1, default=DEFAULT_JOBS)  # snippets run side by side
    # The GitHub repository ("owner/name") and branch the site is published from: the one place for its address.
    # The owner "example" is a placeholder: while it stands, the site shows no link into the repository.
    repository = Matching(REPOSITORY, "octo-org/activation-functions", default="example/activation-functions")
    branch = Matching(BRANCH, "main", default="main")


class SitePlugin(BasePlugin[SiteConfig]):
    supports_multiple_instances = False

    def __init__(self) -> None:
        self.serving, self.dirty = False, False
        self.worker: Worker | None = None  # kept across `mkdocs serve` rebuilds
        self.session: BuildSession | None = None
        self.citations = CitationsExtension()
        self.math: MathML | None = None

    def on_startup(self, *, command: str, dirty: bool) -> None:
        """Defined, so MkDocs keeps this object across rebuilds; under `serve` the worker starts importing torch."""
        self.serving, self.dirty = command == "serve", dirty
        if self.serving:
            self._worker()

    def on_config(self, config):
        check_project(config)
        self.repository = links.real(self.config.repository)
        links.set_links(config, self.repository, self.config.branch)
        # mkdocs.yml lists the citations extension by name, for Zensical; MkDocs gets this instance, which
        # the plugin tells each page's name and values.
        names = config.markdown_extensions
        config.markdown_extensions = [name for name in names if name != CITATIONS] + [self.citations]
        config.mdx_configs.pop(CITATIONS, None)
        return config

    def on_pre_build(self, *, config) -> None:
        self.math = MathML()
        self.session = BuildSession(
            serving=self.serving, timeout=self.config.timeout, jobs=self.config.jobs, worker=self._worker, log=_log
        )
        if self.session.running and self.session.new_outputs:  # they must exist before MkDocs lists docs/
            self.session.finish(None, config)

    def _worker(self) -> Worker:
        if self.worker is None or not self.worker.usable(self.config.timeout, self.config.jobs):
            self._stop_worker()
            self.worker = Worker(self.config.timeout, self.config.jobs)
        return self.worker

    def on_files(self, files, *, config):
        """Nav notebooks become pages; the pages that wait for the worker are read last; under --dirty, the pages
        that need a snippet this build runs are rebuilt too, not only those whose Markdown changed."""
        notebooks.as_pages(files, config.nav)
        if self.dirty:
            self.session.expire_dependent_pages(files)
        self.session.move_waiting_pages_last(files)
        return files

    def on_page_read_source(self, *, page, config) -> str | None:
        """A notebook page is made from its snippet's fragments: once they are written, if its snippet runs."""
        if not isinstance(page.file, notebooks.NotebookFile):
            return None
        if page.file.slug in self.session.running:
            self.session.finish(None, config)
        return notebooks.page_markdown(page.file)

    @event_priority(50)  # first among page hooks: they see outputs that are final and the notices of failures
    def on_page_markdown(self, markdown: str, *, page, config, files) -> str:
        where, post = f"docs/{page.file.src_uri}", post_of(page.file.src_uri)
        if self.session.running and needs(markdown, post, self.session.values) & self.session.running:
            self.session.finish(files, config)
        try:  # here, to report the page's own line; the Markdown extension then replaces them
            cite_outside_code(markdown, where, self.session.values, post)
        except CiteError as exc:
            raise PluginError(str(exc)) from None
        self.citations.set_page(where, self.session.values, post)
        if self.session.failures:
            markdown = INCLUDE.sub(functools.partial(error_notice, self.session.failures), markdown)
        markdown = links.add_run_it_lines(markdown, page, files, self.repository, self.config.branch)
        notebook = isinstance(page.file, notebooks.NotebookFile)
        if notebook:  # the run-it line under its title
            line = links.run_it(page.file.slug, page, files, self.repository, self.config.branch)
            title, _, rest = markdown.partition("\n\n")
            markdown = f"{title}\n\n{line}\n\n{rest}" if line else markdown
        if notebook or SHOWS_OUTPUT.search(markdown):
            markdown += provenance(self.session.environment, page.file.src_uri)
        return markdown

    def on_page_content(self, html: str, *, page, config, files) -> str:
        """A snippet's cells stay out of the search index (Material reads `data-search-exclude` after this event).

        They were over half of the index, which every page's first view loads; a reader's query finds the prose
        that explains the code, and the whole snippet sits one link away. A notebook page, the snippet's cells
        again, is left out whole, and gets its download button.
        """
        html = GENERATED_BLOCK.sub(lambda m: m.group(0) + '" data-search-exclude="', html)
        if isinstance(page.file, notebooks.NotebookFile):
            page.meta["search"] = {"exclude": True}  # read by Material's search plugin in on_page_context
            html = notebooks.download_button(page.file) + html
        return html

    def on_page_context(self, context, *, page, config, nav):
        page.edit_url = links.edit_url(page, config, self.config.branch)
        return context

    def on_post_page(self, output: str, *, page, config) -> str:
        """Formulas as MathML (after the search plugin has indexed the page, so the index keeps the LaTeX)."""
        if isinstance(page.file, notebooks.NotebookFile):
            notebooks.copy_beside(page.file)
        try:
            return self.math.page(output, page.file.src_uri)
        except FormulaError as exc:
            raise PluginError(str(exc)) from None

    def on_env(self, env, *, config, files):
        """Every page has been read: wait for the worker if no page did, and give MkDocs back its order of files."""
        self.session.finish(files, config)
        self.session.put_order_back(files)
        return env

    def on_post_build(self, *, config) -> None:
        self.math.save()
        if not self.serving:
            self._stop_worker()

    def on_build_error(self, *, error) -> None:
        if not self.serving:
            self._stop_worker()

    def on_shutdown(self) -> None:
        self._stop_worker()

    def _stop_worker(self) -> None:
        if self.worker is not None:
            self.worker.close()
            self.worker = None

    def on_serve(self, server, *, config, builder):
        server.watch(str(SNIPPETS))
        ignore_own_writes(server, config["docs_dir"])
        return server


def check_project(config) -> None:
    """This code must be the project's own: an install of another checkout would build with that one's snippets."""
    project = Path(config.config_file_path).resolve().parent
    if project != ROOT:
        raise PluginError(
            f"the site plugin was imported from {ROOT}/scripts, but this build is of {project}: "
            f"run `make setup` in {project}, or set PYTHONPATH={project}/scripts"
        )


def ignore_own_writes(server, docs_dir: str) -> None:
    """Under `mkdocs serve`, the outputs this build writes to docs/generated/ must not start a second rebuild.

    MkDocs' server rebuilds on any event under docs/ and has no filter, so the docs/ watch's handler is wrapped
    (mkdocs-gallery's on_serve does the same); a change elsewhere under docs/ still rebuilds.
    """
    watch = server._watch_refs.get(os.path.abspath(docs_dir))
    handlers = server.observer._handlers.get(watch, ()) if watch is not None else ()
    if not handlers:
        log.warning("cannot find MkDocs' watch of docs/; each build's own outputs rebuild once more")
    for handler in handlers:
        handler.on_any_event = functools.partial(_unless_generated, handler.on_any_event)


def _unless_generated(callback, event) -> None:
    paths = [path for path in (event.src_path, getattr(event, "dest_path", "")) if path]
    if not all(Path(os.fsdecode(path)).is_relative_to(GENERATED) for path in paths):
        callback(event)


def error_notice(failures: dict[str, str], match: re.Match) -> str:
    """A failed snippet's include becomes a notice with its error, at the include's indent."""
    message = failures.get(match["slug"])
    if message is None:
        return match.group(0)
    body = "\n".join("        " + line for line in message.splitlines())
    title = f"snippets/{match['slug']}.py failed: this output is out of date"
    notice = f'!!! failure "{title}"\n\n    ```text\n{body}\n    ```\n'
    return "\n".join(match["indent"] + line if line else line for line in notice.splitlines())


def provenance(env: dict, src_uri: str) -> str:
    """A line naming the versions that produced the page's outputs, as the manifest records them."""
    if not env:
        return ""
    up = "../" * src_uri.count("/")
    versions = ", ".join(f"{name} {env[name]}" for name in ("python", *PINNED) if name in env)
    return (
        f"\n\nOutputs on this page were produced and checked with {versions} "
        f"on {env.get('platform', 'an unknown platform')}, "
        f"[pinned CPU kernels]({up}reproducibility.md#the-numeric-environment) "
        f"({env.get('numerics', 'not recorded')}).\n{{: .provenance }}\n"
    )


def _log(message: str) -> None:
    """The pipeline's progress: cached snippets only with -v; warnings stay INFO so --strict keeps passing."""
    if message.endswith(": cached"):
        log.debug(message)
    else:
        log.info(message)
