"""The snippets' build in a process of its own, so that an engine renders pages while the snippets run.

The worker imports torch and pyplot once (kept warm across rebuilds while a site is served); each request line
runs sitebuild.pipeline.build and is answered with JSON lines: {"log": text} while it runs, then {"report": {...}}.
Both sides of that protocol are here: `Worker` is the engine adapters' (the MkDocs plugin, scripts/watch.py for
Zensical), `serve()` the child process's.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Callable

Log = Callable[[str], None]


class Worker:
    """The parent's side: one worker process, at most one build in flight; its answers are read by a thread."""

    def __init__(self, timeout: float, jobs: int) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "sitebuild.worker", str(timeout), str(jobs)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        self.settings = (timeout, jobs)
        self.done = threading.Event()
        self.done.set()
        self.report: dict = {}

    def submit(self, relpaths: list[str], log: Log) -> None:
        """Start building these snippets ("snippets/p/s/n.py"); returns at once, once the last build is done.

        A build abandoned by a failed page (`mkdocs serve` keeps the worker) still answers on the pipe; waiting for
        its report keeps one reader on the pipe, and its stale report away from this build."""
        self.done.wait()
        self.done.clear()
        self.report = {}
        try:
            self.process.stdin.write(json.dumps({"only": relpaths}) + "\n")
            self.process.stdin.flush()
        except BrokenPipeError:
            pass  # the reader finds the process gone and reports it
        threading.Thread(target=self._read, args=(log,), daemon=True).start()

    def _read(self, log: Log) -> None:
        report = None
        for line in self.process.stdout:
            answer = json.loads(line)
            if "log" not in answer:
                report = answer["report"]
                break
            log(answer["log"])
        if report is None:
            report = {"failures": {"build": f"the snippets' build process stopped (status {self.process.wait()})"}}
        self.report = report
        self.done.set()

    def wait(self) -> dict:
        """The report of the last build ({"failures": {relpath: message}}), once it is done."""
        self.done.wait()
        return self.report

    def usable(self, timeout: float, jobs: int) -> bool:
        """Still running, with these settings (an edit of mkdocs.yml under `mkdocs serve` may change them)."""
        return self.process.poll() is None and self.settings == (timeout, jobs)

    def close(self) -> None:
        """End the worker: it exits when its input ends; a build in flight is stopped with it."""
        with contextlib.suppress(BrokenPipeError):
            self.process.stdin.close()
        if not self.done.is_set():
            self.process.terminate()
        self.process.wait()


def serve(requests, answers, timeout: float, jobs: int) -> None:
    """The worker's side: import once, then one build per request line, until the input ends."""
    from sitebuild.execute import preload
    from sitebuild.pipeline import build

    # Stopped while building (the server quits): run_all then stops the snippets' processes, as on Ctrl-C.
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    preload()

    def send(message: dict) -> None:
        answers.write(json.dumps(message) + "\n")
        answers.flush()

    for line in requests:
        only = json.loads(line)["only"]
        report = build(only=only, timeout=timeout, jobs=jobs, log=lambda text: send({"log": text}))
        send({"report": {"failures": report.failures}})


def main() -> None:
    answers = os.fdopen(os.dup(1), "w")  # a private copy of the pipe: a stray write to fd 1 cannot garble it
    os.dup2(2, 1)
    serve(sys.stdin, answers, float(sys.argv[1]), int(sys.argv[2]))
    answers.close()
    os._exit(0)  # every answer is flushed; skip the interpreter's teardown of torch


if __name__ == "__main__":
    main()
