"""sitebuild.numerics: the fingerprint that a manifest records, pinned and unpinned."""

from __future__ import annotations

import platform

import pytest
from sitebuild import numerics


def test_the_pinned_fingerprint_lists_every_setting(monkeypatch):
    monkeypatch.delenv(numerics.UNPINNED_VARIABLE, raising=False)
    fingerprint = numerics.fingerprint()
    assert fingerprint["architecture"] == platform.machine()
    for key, value in numerics.SETTINGS.items():
        assert f"{key}={value}" in fingerprint["numerics"]


def test_the_unpinned_fingerprint_says_so(monkeypatch):
    monkeypatch.setenv(numerics.UNPINNED_VARIABLE, "1")
    assert numerics.fingerprint()["numerics"] == "unpinned"
    assert not numerics.pinned()


def test_describe_is_short_and_survives_an_old_manifest():
    assert numerics.describe({"architecture": "aarch64", "numerics": "unpinned"}) == "aarch64, unpinned"
    assert numerics.describe({"architecture": "x86_64", "numerics": "A=1"}) == "x86_64, pinned"
    assert numerics.describe({}) == "unknown CPU, pinned"


@pytest.mark.parametrize(("machine", "x86"), [("x86_64", True), ("AMD64", True), ("aarch64", False), ("arm64", False)])
def test_the_x86_kernel_settings_apply_only_on_x86_64(machine, x86):
    applied = numerics.settings(machine)
    assert applied == numerics.SETTINGS if x86 else applied == {"OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
