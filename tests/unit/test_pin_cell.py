"""The downloads' pin cell: the pinned CPU torch on Colab, the numeric settings everywhere else."""

from __future__ import annotations

import os
import platform
import subprocess
import sys
import types
from importlib import metadata

import pytest
from sitebuild.downloads import pin_cell, reader_pins
from sitebuild.numerics import SETTINGS
from sitebuild.tolerance import RELATIVE


def test_colab_gets_the_pinned_cpu_torch_and_the_versions_the_build_ran_with():
    assert reader_pins() == [
        f"torch=={metadata.version('torch').split('+')[0]}+cpu",
        f"numpy=={metadata.version('numpy')}",
        f"matplotlib=={metadata.version('matplotlib')}",
    ]
    assert '"google.colab" in sys.modules' in pin_cell()


@pytest.mark.parametrize(("machine", "x86"), [("x86_64", True), ("AMD64", True), ("aarch64", False), ("arm64", False)])
def test_the_pin_cell_sets_what_applies_and_says_how_far_numbers_move_off_x86_64(machine, x86, monkeypatch, capsys):
    monkeypatch.setattr(os, "environ", {})
    monkeypatch.setattr(platform, "machine", lambda: machine)
    exec(compile(pin_cell(), "pin cell", "exec"), {})
    assert os.environ == (SETTINGS if x86 else {"OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"})
    printed = capsys.readouterr().out
    assert printed.startswith(f"Note: on {machine}") != x86, printed
    if not x86:  # the note states the tolerance that tools/portability.py --cpus aarch64 holds every output to
        assert f"by {RELATIVE:.1%}".replace("%", " %") in printed and "one unit in its last digit" in printed


@pytest.mark.parametrize("on_colab", [False, True])
def test_the_pin_cell_installs_the_pinned_cpu_torch_on_colab_and_only_there(on_colab, monkeypatch):
    calls = []
    monkeypatch.setattr(os, "environ", {})
    monkeypatch.setattr(subprocess, "run", lambda command, **kwargs: calls.append(command))
    if on_colab:
        monkeypatch.setitem(sys.modules, "google.colab", types.ModuleType("google.colab"))
    exec(compile(pin_cell(), "pin cell", "exec"), {})
    if not on_colab:
        assert calls == []
        return
    [command] = calls
    assert command[:4] == [sys.executable, "-m", "pip", "install"] and command[-3:] == reader_pins()
    assert command[-3].endswith("+cpu") and "https://download.pytorch.org/whl/cpu" in command
