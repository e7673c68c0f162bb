"""One MkDocs build of the site, from on_pre_build to on_post_build: its plan, its snippets' run, what they left.

The session plans once. With nothing stale, or on a cold `mkdocs build`, it runs the stale snippets in this
process before MkDocs reads a page. On an edit (and always under `mkdocs serve`) it hands them to the worker
process and lets MkDocs read the other pages meanwhile: a page waits only if it needs a running snippet's
outputs or values. The failures and the published values are its own.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files, set_exclusions
from sitebuild.discover import GENERATED
from sitebuild.pipeline import Plan, build, plan
from sitebuild.results import BuildReport
from sitebuild.worker import Worker
from sitepages.syntax import load_values, needs, post_of

Log = Callable[[str], None]


class BuildSession:
    """What one build knows: `running` ("post/section/name" in the worker), `failures` and `values`."""

    def __init__(self, *, serving: bool, timeout: float, jobs: int, log: Log) -> None:
        self.serving, self.timeout, self.jobs, self.log = serving, timeout, jobs, log
        self.running: set[str] = set()
        self.stale: set[str] = set()
        self.failures: dict[str, str] = {}
        self.order: list[File] | None = None  # MkDocs' order of files, while the waiting pages are moved last
        self.worker: Worker | None = None
        self.new_outputs = False  # the worker builds a snippet that has no outputs yet
        self.values: dict[str, dict] = {}

    def start(self, worker: Callable[[], Worker]) -> None:
        """Plan; run the stale snippets here, or hand them to the worker and return at once (see the module)."""
        report = BuildReport()
        try:
            work: Plan | None = plan(report, force=False, check=False, only=None, log=lambda message: None)
        except Exception:  # the in-process build below plans again and reports whatever broke
            work = None
        jobs_to_run = work.jobs if work else []
        self.stale = {job.snippet.slug for job in jobs_to_run}  # run or re-rendered by this build, wherever
        # Re-rendering a stored run (only rendering code changed) is quick and needs no torch: done here.
        if not use_worker([job.old for job in jobs_to_run if job.result is None], self.serving):
            done = build(work=work, report=report, timeout=self.timeout, jobs=self.jobs, log=self.log)
            self._record(done.failures)
            self.values = load_values(GENERATED)
            return
        self.values = load_values(GENERATED)  # the cited values of the snippets not running are already final
        self.worker = worker()
        self.worker.submit([job.snippet.relpath for job in jobs_to_run], self.log)
        self.running = set(self.stale)
        self.new_outputs = any(job.old is None for job in jobs_to_run)

    def waits(self, file: File) -> bool:
        """Whether a page needs a snippet the worker is running (includes its outputs or cites its values)."""
        return self._needs_any(file, self.running)

    def _needs_any(self, file: File, slugs: set[str]) -> bool:
        if not slugs or not file.is_documentation_page() or file.inclusion.is_excluded():
            return False
        markdown = Path(file.abs_src_path).read_text(encoding="utf-8")
        return bool(needs(markdown, post_of(file.src_uri), self.values) & slugs)

    def expire_dependent_pages(self, files: Files) -> None:
        """For a dirty build (`mkdocs serve --dirty`): MkDocs rebuilds only the pages whose source is newer than
        their HTML, so the HTML of a page that needs a snippet this build runs or re-renders is removed."""
        for file in files:
            if self._needs_any(file, self.stale) and Path(file.abs_dest_path).is_file():
                Path(file.abs_dest_path).unlink()

    def move_waiting_pages_last(self, files: Files) -> None:
        """MkDocs reads pages in the order of its files: every page that need not wait is read first."""
        if not self.running:
            return
        self.order = list(files)
        for file in [file for file in files if self.waits(file)]:
            files.remove(file)
            files.append(file)

    def put_order_back(self, files: Files) -> None:
        """MkDocs' own order of files (the outputs the worker added come last), once every page is read."""
        if self.order is None:
            return
        present = dict(files.src_uris)
        for file in present.values():
            files.remove(file)
        for uri in [file.src_uri for file in self.order if file.src_uri in present] + list(present):
            if uri not in files.src_uris:
                files.append(present[uri])
        self.order = None

    def finish(self, files: Files | None, config) -> None:
        """Wait for the worker's build; record its failures, read the values again, list the outputs it changed."""
        if not self.running:
            return
        self.running = set()
        self._record(self.worker.wait().get("failures", {}))
        self.values = load_values(GENERATED)
        if files is not None and config is not None:
            relist(files, config)

    def _record(self, failures: dict[str, str]) -> None:
        self.failures = {path.removeprefix("snippets/").removesuffix(".py"): msg for path, msg in failures.items()}
        if failures and not self.serving:
            raise PluginError("snippets failed:\n" + "\n".join(failures.values()))


def use_worker(old_entries: list, serving: bool) -> bool:
    """Run the snippets in the worker, beside MkDocs' own work? Not when none is stale; under `mkdocs build`,
    only for snippets that have outputs already (an edit): a cold build keeps every core busy with snippets."""
    return bool(old_entries) and (serving or all(old is not None for old in old_entries))


def relist(files: Files, config) -> None:
    """Bring MkDocs' list of files under docs/generated/ in line with the disk, as get_files() would list it."""
    docs = Path(config["docs_dir"])
    listed = {file.src_uri: file for file in files if file.src_uri.startswith("generated/")}
    on_disk = {path.relative_to(docs).as_posix() for path in GENERATED.rglob("*") if path.is_file()}
    for uri in listed.keys() - on_disk:
        files.remove(listed[uri])
    new = sorted(on_disk - listed.keys())
    added = [File(uri, str(docs), config["site_dir"], config["use_directory_urls"]) for uri in new]
    for file in added:
        files.append(file)
    set_exclusions(added, config)
