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


def test_colab_gets_the_pinned_cpu_torch_and_the_versions_the_build_ran_with():
    assert reader_pins() == [
        f"torch=={metadata.version('torch').split('+')[0]}+cpu",
        f"numpy=={metadata.version('numpy')}",
        f"matplotlib=={metadata.version('matplotlib')}",
    ]
    assert '"google.colab" in sys.modules' in pin_cell()


@pytest.mark.parametrize(("machine", "note"), [("x86_64", False), ("AMD64", False), ("aarch64", True), ("arm64", True)])
def test_the_pin_cell_sets_the_settings_and_says_so_off_x86_64(machine, note, monkeypatch, capsys):
    monkeypatch.setattr(os, "environ", {"ATEN_CPU_CAPABILITY": "default"})
    monkeypatch.setattr(platform, "machine", lambda: machine)
    exec(compile(pin_cell(), "pin cell", "exec"), {})
    assert os.environ == SETTINGS
    printed = capsys.readouterr().out
    assert ("the last digits will differ" in printed and machine in printed) == note, printed


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
