"""Serve with Zensical and rerun an edited snippet on save: the Zensical adapter (`make serve ENGINE=zensical`).

Zensical runs no MkDocs plugin, so this does what the `site` plugin does under `mkdocs serve`: it brings the
outputs up to date, starts `zensical serve`, and watches snippets/ (watchdog). A saved snippet is handed to the
warm worker (sitebuild.worker, torch imported once), which writes only the outputs whose bytes changed under
docs/generated/, or, if it fails, the error beside them; Zensical sees those files change and rebuilds the pages
that include them, where the page layer shows the new output or the failure notice.

Zensical renders a page again only when its source changes, unless the page holds a `--8<--` line: such pages
it never caches. A page without one that cites a snippet's values (`{{ ... }}`) or the bibliography (`[@key]`)
would stay stale when those change, so the server starts with its page cache emptied, and starts again with it
emptied when a saved snippet feeds such a page or docs/references.bib is saved.

    .venv/bin/python scripts/watch.py [--dev-addr 127.0.0.1:8000]
"""

from __future__ import annotations

import argparse
import os
import queue
import re
import subprocess
import sys
import threading
from pathlib import Path

from sitebuild.discover import GENERATED, ROOT, SNIPPETS
from sitebuild.pipeline import DEFAULT_JOBS, build
from sitebuild.worker import Worker
from sitepages.bibliography import CITATION as REFERENCE
from sitepages.syntax import load_values, needs, post_of
from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer

QUIET = 0.2  # seconds without another save before the edited snippets run (an editor may write twice)
DOCS = ROOT / "docs"
BIBLIOGRAPHY = DOCS / "references.bib"
UNCACHED = re.compile(r"^[ \t]*-+8<-+", re.M)  # the lines Zensical 0.0.73 looks for (in its binary) before caching
PAGE_CACHE = re.compile(r"\d+")  # Zensical's entries in .cache/, named by number (the rest of .cache/ is ours)


class SavedFiles(FileSystemEventHandler):
    """Puts the path of every created, changed or moved-in snippet, and of the bibliography, on a queue."""

    def __init__(self, saved: queue.Queue) -> None:
        self.saved = saved

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.is_directory or event.event_type not in ("created", "modified", "moved"):
            return
        path = Path(os.fsdecode(getattr(event, "dest_path", "") or event.src_path)).resolve()
        if (path.suffix == ".py" and path.is_relative_to(SNIPPETS) or path == BIBLIOGRAPHY) and path.is_file():
            self.saved.put(path.relative_to(ROOT).as_posix())


class Zensical:
    """`zensical serve`, which can be started again with its page cache emptied."""

    def __init__(self, dev_addr: str) -> None:
        self.command = [str(Path(sys.executable).parent / "zensical"), "serve", "--dev-addr", dev_addr]
        self.lock = threading.Lock()
        self.restarting = False
        self.process = self._start()

    def _start(self) -> subprocess.Popen:
        for entry in (ROOT / ".cache").glob("*"):
            if PAGE_CACHE.fullmatch(entry.name) and entry.is_file():
                entry.unlink()
        return subprocess.Popen(self.command, cwd=ROOT)

    def restart(self) -> None:
        with self.lock:
            self.restarting = True
            self.process.terminate()
            self.process.wait()
            self.process = self._start()
            self.restarting = False

    def wait(self) -> int:
        """The server's exit status, once it stops other than by restart()."""
        while True:
            status = self.process.wait()
            with self.lock:
                if not self.restarting:
                    return status

    def stop(self) -> int:
        with self.lock:
            self.process.terminate()
            return self.process.wait()


def cached_pages_fed_by(saved: set[str]) -> list[str]:
    """Pages Zensical caches (no `--8<--` line) whose text comes partly from these snippets or the bibliography."""
    slugs = {
        Path(relpath).relative_to("snippets").with_suffix("").as_posix() for relpath in saved if relpath.endswith(".py")
    }
    bibliography = BIBLIOGRAPHY.relative_to(ROOT).as_posix() in saved
    values = None
    fed = []
    for page in sorted(DOCS.rglob("*.md")):
        if page.is_relative_to(GENERATED):
            continue
        markdown = page.read_text(encoding="utf-8")
        if UNCACHED.search(markdown):
            continue
        if bibliography and REFERENCE.search(markdown):
            fed.append(page.relative_to(ROOT).as_posix())
            continue
        if slugs and "{{" in markdown:
            if values is None:
                values = load_values(GENERATED)
            if needs(markdown, post_of(page.relative_to(ROOT).as_posix()), values) & slugs:
                fed.append(page.relative_to(ROOT).as_posix())
    return fed


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def run_saved(saved: queue.Queue, worker: Worker, server: Zensical) -> None:
    """Forever: wait for a save, gather the saves that follow it closely, build those snippets in the worker."""
    while True:
        batch = {saved.get()}
        while True:
            try:
                batch.add(saved.get(timeout=QUIET))
            except queue.Empty:
                break
        snippets = sorted(relpath for relpath in batch if relpath.endswith(".py"))
        if snippets:
            worker.submit(snippets, log)
            failures = worker.wait().get("failures", {})
            for relpath in snippets:
                log(f"{relpath}: {'FAILED (the page shows the error)' if relpath in failures else 'done'}")
        fed = cached_pages_fed_by(batch)
        if fed:
            log(f"serving again with Zensical's page cache emptied, for {', '.join(fed)}")
            server.restart()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dev-addr", default="127.0.0.1:8000", help="address Zensical serves on (IP:PORT)")
    parser.add_argument("--timeout", type=float, default=300, help="seconds a snippet may run")
    parser.add_argument("--jobs", type=int, default=DEFAULT_JOBS, help="snippets run at once")
    args = parser.parse_args()
    report = build(timeout=args.timeout, jobs=args.jobs, log=log)  # the site starts from up-to-date outputs
    if report.failures:
        log(f"{len(report.failures)} snippet(s) failed; their pages show the error until they run again")
    worker = Worker(args.timeout, args.jobs)
    saved: queue.Queue = queue.Queue()
    server = Zensical(args.dev_addr)
    observer = Observer()
    observer.schedule(SavedFiles(saved), str(SNIPPETS), recursive=True)
    observer.schedule(SavedFiles(saved), str(DOCS), recursive=False)  # docs/references.bib
    observer.start()
    threading.Thread(target=run_saved, args=(saved, worker, server), daemon=True).start()
    try:
        return server.wait()
    except KeyboardInterrupt:
        return server.stop()
    finally:
        observer.stop()
        worker.close()


if __name__ == "__main__":
    sys.exit(main())
