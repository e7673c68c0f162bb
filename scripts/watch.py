"""Serve with Zensical and rerun an edited snippet on save: the Zensical adapter (`make serve ENGINE=zensical`).

Zensical runs no MkDocs plugin, so this does what the `site` plugin does under `mkdocs serve`: it brings the
outputs up to date, starts `zensical serve`, and watches snippets/ (watchdog). A saved snippet is handed to the
warm worker (sitebuild.worker, torch imported once), which writes only the outputs whose bytes changed under
docs/generated/, or, if it fails, the error beside them; Zensical sees those files change and rebuilds the pages
that include them, where the page layer shows the new output or the failure notice.

    .venv/bin/python scripts/watch.py [--dev-addr 127.0.0.1:8000]
"""

from __future__ import annotations

import argparse
import os
import queue
import subprocess
import sys
import threading
from pathlib import Path

from sitebuild.discover import ROOT, SNIPPETS
from sitebuild.pipeline import DEFAULT_JOBS, build
from sitebuild.worker import Worker
from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer

QUIET = 0.2  # seconds without another save before the edited snippets run (an editor may write twice)


class SnippetEvents(FileSystemEventHandler):
    """Puts the path of every created, changed or moved-in snippet on a queue."""

    def __init__(self, saved: queue.Queue) -> None:
        self.saved = saved

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.is_directory or event.event_type not in ("created", "modified", "moved"):
            return
        path = Path(os.fsdecode(getattr(event, "dest_path", "") or event.src_path))
        if path.suffix == ".py" and path.is_file():
            self.saved.put(path.resolve().relative_to(ROOT).as_posix())


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def run_saved(saved: queue.Queue, worker: Worker) -> None:
    """Forever: wait for a save, gather the saves that follow it closely, build those snippets in the worker."""
    while True:
        batch = {saved.get()}
        while True:
            try:
                batch.add(saved.get(timeout=QUIET))
            except queue.Empty:
                break
        worker.submit(sorted(batch), log)
        failures = worker.wait().get("failures", {})
        for relpath in sorted(batch):
            log(f"{relpath}: {'FAILED (the page shows the error)' if relpath in failures else 'done'}")


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
    observer = Observer()
    observer.schedule(SnippetEvents(saved), str(SNIPPETS), recursive=True)
    observer.start()
    threading.Thread(target=run_saved, args=(saved, worker), daemon=True).start()
    zensical = Path(sys.executable).parent / "zensical"
    server = subprocess.Popen([str(zensical), "serve", "--dev-addr", args.dev_addr], cwd=ROOT)
    try:
        return server.wait()
    except KeyboardInterrupt:
        server.terminate()
        return server.wait()
    finally:
        observer.stop()
        worker.close()


if __name__ == "__main__":
    sys.exit(main())
