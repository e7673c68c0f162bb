"""The snippets' build in a process of its own, so that MkDocs reads and renders pages while the snippets run.

The worker imports torch and pyplot once (kept warm across `mkdocs serve` rebuilds); each request line runs
sitebuild.pipeline.build and is answered with JSON lines: {"log": text} while it runs, then {"report": {...}}.
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
from pathlib import Path

SCRIPTS = Path(__file__).resolve().parent
Log = Callable[[str], None]
FINISHED = [0]  # builds finished by any worker of this process: readers of the outputs reload when it moves


class Worker:
    """The parent's side: one worker process, at most one build in flight; its answers are read by a thread."""

    def __init__(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, str(Path(__file__).resolve())], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )
        self.done = threading.Event()
        self.done.set()
        self.report: dict = {}
        self.slugs: set[str] = set()  # the snippets of the build in flight, as "section/name"
        self.then: list[Callable[[], None]] = []
        self.lock = threading.Lock()  # between when_done() and the end of a build

    def submit(self, relpaths: list[str], log: Log) -> None:
        """Start building these snippets ("snippets/x/y.py"); returns at once."""
        self.done.clear()
        self.report, self.then = {}, []
        self.slugs = {path.removeprefix("snippets/").removesuffix(".py") for path in relpaths}
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
        with self.lock:
            self.report, self.slugs, callbacks, self.then = report, set(), self.then, []
            FINISHED[0] += 1
        for callback in callbacks:  # before done is set: a page that waits finds their effects in place
            callback()
        self.done.set()

    def when_done(self, slug: str, callback: Callable[[], None]) -> bool:
        """Queue `callback` for the end of the build in flight if it builds `slug`; False (not queued) if not."""
        with self.lock:
            if slug not in self.slugs:
                return False
            self.then.append(callback)
            return True

    def wait(self) -> dict:
        """The report of the last build ({"failures": {relpath: message}}), once it is done."""
        self.done.wait()
        return self.report

    def alive(self) -> bool:
        return self.process.poll() is None

    def close(self) -> None:
        """End the worker: it exits when its input ends; a build in flight is stopped with it."""
        with contextlib.suppress(BrokenPipeError):
            self.process.stdin.close()
        if not self.done.is_set():
            self.process.terminate()
        self.process.wait()


CURRENT: list[Worker] = []  # the parent's worker, if one was started (one per MkDocs process)


def worker() -> Worker:
    """The running worker, started (it begins importing torch at once) if there is none or it died."""
    if not CURRENT or not CURRENT[0].alive():
        CURRENT[:] = [Worker()]
    return CURRENT[0]


def when_done(slug: str, callback: Callable[[], None]) -> bool:
    """Queue `callback` for the end of the build in flight if it builds `slug`; False (not queued) if not."""
    return bool(CURRENT) and CURRENT[0].when_done(slug, callback)


def wait() -> dict:
    """The last build's report, once it is done ({} when no worker ran)."""
    return CURRENT[0].wait() if CURRENT else {}


def stop() -> None:
    if CURRENT:
        CURRENT.pop().close()


def serve(requests, answers) -> None:
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
        report = build(only=json.loads(line)["only"], log=lambda text: send({"log": text}))
        send({"report": {"failures": report.failures}})


def main() -> None:
    sys.path.insert(0, str(SCRIPTS))
    answers = os.fdopen(os.dup(1), "w")  # a private copy of the pipe: a stray write to fd 1 cannot garble it
    os.dup2(2, 1)
    serve(sys.stdin, answers)
    answers.close()
    os._exit(0)  # every answer is flushed; skip the interpreter's teardown of torch


if __name__ == "__main__":
    main()
