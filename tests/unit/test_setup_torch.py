"""scripts/setup_torch.py: which pip commands give the CPU build of the pinned torch, decided offline."""

from __future__ import annotations

import pytest
import setup_torch

PIN = "2.13.0"


def test_the_pin_is_read_from_the_requirements_line():
    assert setup_torch.pinned_version("numpy==2.4.6\ntorch==2.13.0\nzizmor==1.32.0\n") == "2.13.0"


def test_a_requirements_file_without_torch_is_an_error_that_says_so():
    with pytest.raises(SystemExit, match="pins no torch"):
        setup_torch.pinned_version("numpy==2.4.6\n")


def test_linux_tries_local_wheels_first_then_the_cpu_index():
    local, remote = setup_torch.attempts("Linux", PIN, installed=None)
    assert "--no-index" in local and "--index-url" not in local
    assert remote[remote.index("--index-url") + 1] == setup_torch.CPU_INDEX
    assert local[-1] == remote[-1] == "torch==2.13.0+cpu"  # never the bare pin, which PyPI serves as CUDA


def test_a_cuda_build_already_installed_is_replaced():
    assert setup_torch.attempts("Linux", PIN, installed="2.13.0") != []


def test_nothing_to_do_when_the_cpu_build_is_installed():
    assert setup_torch.attempts("Linux", PIN, installed="2.13.0+cpu") == []


@pytest.mark.parametrize("system", ["Darwin", "Windows"])
def test_other_systems_take_pypis_wheel_which_is_already_cpu_only(system):
    assert setup_torch.attempts(system, PIN, installed=None) == []


def test_the_pin_in_this_repository_has_a_cpu_wheel_name():
    text = (setup_torch.ROOT / "requirements.txt").read_text()
    assert setup_torch.attempts("Linux", setup_torch.pinned_version(text), None)[0][-1].endswith("+cpu")
