"""The site's MkDocs plugin (`site` in mkdocs.yml's plugins): an adapter that runs snippets, and nothing else.

Every build gets one BuildSession (session.py), made in on_pre_build, that plans and runs the stale snippets;
the plugin object itself lives as long as the MkDocs process, so under `mkdocs serve` it keeps the worker warm.
Pages are the page layer's (sitepages/): the same Markdown extensions build them under MkDocs and Zensical.
Which event does what is in CONTRIBUTING.md ("Three layers, two engines").
"""

from __future__ import annotations

import functools
import os
from pathlib import Path

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from sitebuild.discover import GENERATED, ROOT, SNIPPETS
from sitebuild.pipeline import DEFAULT_JOBS
from sitebuild.worker import Worker
from sitepages.syntax import needs, post_of

from .session import BuildSession

log = get_plugin_logger("site")


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


class SitePlugin(BasePlugin[SiteConfig]):
    """MkDocs' adapter: runs the stale snippets before the pages are read, keeps the worker warm under `serve`.

    It changes no page: everything a page shows is done by the page layer (sitepages/, under markdown_extensions),
    which every engine runs. It only decides when a page may be read: after the snippets it needs have run.
    """

    supports_multiple_instances = False

    def __init__(self) -> None:
        self.serving, self.dirty = False, False
        self.worker: Worker | None = None  # kept across `mkdocs serve` rebuilds
        self.session: BuildSession | None = None

    def on_startup(self, *, command: str, dirty: bool) -> None:
        """Defined, so MkDocs keeps this object across rebuilds; under `serve` the worker starts importing torch."""
        self.serving, self.dirty = command == "serve", dirty
        if self.serving:
            self._worker()

    def on_config(self, config):
        check_project(config)
        return config

    def on_pre_build(self, *, config) -> None:
        self.session = BuildSession(serving=self.serving, timeout=self.config.timeout, jobs=self.config.jobs, log=_log)
        self.session.start(self._worker)
        if self.session.running and self.session.new_outputs:  # they must exist before MkDocs lists docs/
            self.session.finish(None, config)

    def _worker(self) -> Worker:
        if self.worker is None or not self.worker.usable(self.config.timeout, self.config.jobs):
            self._stop_worker()
            self.worker = Worker(self.config.timeout, self.config.jobs)
        return self.worker

    def on_files(self, files, *, config):
        """The pages that wait for the worker are read last; under --dirty, the pages that need a snippet this build
        runs are rebuilt too, not only those whose Markdown changed."""
        if self.dirty:
            self.session.expire_dependent_pages(files)
        self.session.move_waiting_pages_last(files)
        return files

    @event_priority(50)  # before any other page hook: a page is read once the outputs it needs are final
    def on_page_markdown(self, markdown: str, *, page, config, files) -> str:
        if (
            self.session.running
            and needs(markdown, post_of(page.file.src_uri), self.session.values) & self.session.running
        ):
            self.session.finish(files, config)
        return markdown

    def on_env(self, env, *, config, files):
        """Every page has been read: wait for the worker if no page did, and give MkDocs back its order of files."""
        self.session.finish(files, config)
        self.session.put_order_back(files)
        return env

    def on_post_build(self, *, config) -> None:
        if not self.serving:
            self._stop_worker()

    def on_build_error(self, *, error) -> None:
        if self.serving:  # the worker stays warm, but no build of this session is left in flight
            self.session.finish(None, None)
        else:
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


def _log(message: str) -> None:
    """The pipeline's progress: cached snippets only with -v; warnings stay INFO so --strict keeps passing."""
    if message.endswith(": cached"):
        log.debug(message)
    else:
        log.info(message)
