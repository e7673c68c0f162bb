"""The peer benchmark's numeric environment: like-for-like by default, the peers' own with --peer-defaults.

Only the environment is checked here; the builds themselves run in `make bench-peers`.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from peers import measure
from sitebuild.numerics import SETTINGS


@pytest.fixture
def mode():
    saved = measure.LIKE_FOR_LIKE[0]
    yield measure.LIKE_FOR_LIKE
    measure.LIKE_FOR_LIKE[0] = saved


def test_like_for_like_gives_every_tool_the_pinned_settings(mode):
    mode[0] = True
    env = measure.tool_env(Path("project"))
    assert {key: env[key] for key in SETTINGS} == SETTINGS
    assert env["MPLBACKEND"] == "Agg"  # the benchmark's own variables are kept
    assert "MKL_CBWR=COMPATIBLE" in measure.numerics_note()


def test_peer_defaults_leave_the_numeric_variables_as_the_caller_had_them(mode, monkeypatch):
    mode[0] = False
    for key in SETTINGS:
        monkeypatch.delitem(measure.ENV, key, raising=False)
    env = measure.tool_env(Path("project"))
    assert not set(SETTINGS) & set(env)
    assert "--peer-defaults" in measure.numerics_note()
