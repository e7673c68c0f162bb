"""pipeline.OneLeft: the callbacks a build runs once, when at most one of its snippets is left to finish.

The notebook hook starts its renderer there on a cold build (tests/unit/test_notebook_hook.py).
"""

from __future__ import annotations

import threading

from sitebuild.pipeline import OneLeft


def test_callbacks_run_once_when_one_snippet_is_left():
    calls = []
    one_left = OneLeft(3, [lambda: calls.append("started")])
    one_left.finished()
    assert calls == []
    assert one_left.finished("outcome") == "outcome"  # passes the outcome through, for pool.map
    assert calls == ["started"]
    one_left.finished()
    assert calls == ["started"]


def test_a_single_snippet_runs_them_at_once_and_none_never():
    calls = []
    OneLeft(1, [lambda: calls.append(1)])
    OneLeft(0, [lambda: calls.append(0)])
    assert calls == [1]


def test_threads_finishing_together_run_them_once():
    calls, barrier = [], threading.Barrier(8)
    one_left = OneLeft(9, [lambda: calls.append(1)])

    def finish():
        barrier.wait()
        one_left.finished()

    threads = [threading.Thread(target=finish) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert calls == [1]
