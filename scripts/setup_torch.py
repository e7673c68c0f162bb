"""Install the CPU build of the pinned torch into the running interpreter, before requirements.txt.

PyPI's Linux wheel of torch is the CUDA build (gigabytes of nvidia-* wheels). The CPU build is tried first
from local wheels (pip's find-links, no index), then from PyPI's sibling, PyTorch's CPU wheel index.
"""

from __future__ import annotations

import platform
import subprocess
import sys
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CPU_INDEX = "https://download.pytorch.org/whl/cpu"


def pinned_version(requirements: str) -> str:
    """The version after `torch==` in requirements.txt, the one place the pin is kept."""
    for line in requirements.splitlines():
        if line.strip().startswith("torch=="):
            return line.strip().removeprefix("torch==")
    raise SystemExit("requirements.txt pins no torch (expected a line `torch==X.Y.Z`)")


def attempts(system: str, version: str, installed: str | None) -> list[list[str]]:
    """The pip argument lists to try in order; the first that succeeds wins. Empty: nothing to do.

    Only Linux needs care: macOS and Windows wheels on PyPI are CPU builds already.
    """
    wanted = f"{version}+cpu"
    if system != "Linux" or installed == wanted:
        return []
    requirement = f"torch=={wanted}"
    common = ["install", "--disable-pip-version-check", "--no-deps"]
    # Local wheels first: offline machines (and this project's own) carry the wheel on disk.
    return [[*common, "--no-index", requirement], [*common, "--index-url", CPU_INDEX, requirement]]


def installed_version() -> str | None:
    try:
        return metadata.version("torch")
    except metadata.PackageNotFoundError:
        return None


def main() -> int:
    version = pinned_version((ROOT / "requirements.txt").read_text())
    tries = attempts(platform.system(), version, installed_version())
    for number, args in enumerate(tries, 1):
        # Only the last attempt's errors matter; a missing local wheel is the normal case elsewhere.
        stderr = None if number == len(tries) else subprocess.DEVNULL
        if subprocess.run([sys.executable, "-m", "pip", *args, "--quiet"], stderr=stderr).returncode == 0:
            return 0
    if tries:
        print(f"setup_torch: torch=={version}+cpu is neither in a local wheel nor reachable at {CPU_INDEX}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
