"""What a reader downloads to run a snippet: its script and the first cell both it and the notebook open with.

That cell puts the numeric environment of numerics.SETTINGS in place before torch is imported, so a fresh kernel
prints the page's digits on any x86-64 CPU, and on Colab (only there) installs the pins of requirements-reader.txt.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from .discover import Snippet
from .numerics import SETTINGS

READER_REQUIREMENTS = Path(__file__).resolve().parents[2] / "requirements-reader.txt"
# What a snippet imports; the other lines of requirements-reader.txt are what these need in turn.
DIRECT = ("torch", "numpy", "matplotlib")
CPU_INDEX = "https://download.pytorch.org/whl/cpu"  # PyPI's Linux torch is the CUDA build
PIN_TITLE = "Run first: the numeric environment the site's outputs were made in"


def reader_pins(requirements: str) -> list[str]:
    """The `name==version` pins of the packages a snippet imports (torch as its Linux CPU build), for Colab."""
    pins = {}
    for line in requirements.splitlines():
        match = re.fullmatch(r"(?P<name>[A-Za-z0-9_.-]+)==(?P<version>[^;\s]+)\s*(;.*)?", line.split("#")[0].strip())
        if match and match["name"].lower() in DIRECT:
            pins.setdefault(match["name"].lower(), match["version"].removesuffix("+cpu"))
    missing = [name for name in DIRECT if name not in pins]
    if missing:
        raise ValueError(f"{READER_REQUIREMENTS.name} pins no {', '.join(missing)} (expected lines `name==X.Y.Z`)")
    return [f"torch=={pins['torch']}+cpu", *(f"{name}=={pins[name]}" for name in DIRECT[1:])]


def pin_cell(requirements: str | None = None) -> str:
    """The code of the first cell: the same in every notebook and script, generated from SETTINGS."""
    pins = reader_pins(READER_REQUIREMENTS.read_text() if requirements is None else requirements)
    settings = "\n".join(f"        {json.dumps(key)}: {json.dumps(value)}," for key, value in SETTINGS.items())
    install = ", ".join(json.dumps(pin) for pin in pins)
    return f"""\
# PyTorch, MKL and oneDNN pick their kernels by CPU, and kernels of different widths round the last digits
# differently. These settings, read when torch first computes, make every x86-64 CPU take the same path:
# the one the site's outputs were produced on (see the site's Reproducibility page).
import os
import platform
import subprocess
import sys

os.environ.update(
    {{
{settings}
    }}
)
if "google.colab" in sys.modules:  # on Colab only: the site's pinned CPU build of torch, numpy and matplotlib
    pins, index = [{install}], "{CPU_INDEX}"
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--extra-index-url", index, *pins], check=True)
if platform.machine().lower() not in ("x86_64", "amd64"):
    print(f"Note: the site's outputs come from x86-64 CPUs; on {{platform.machine()}} the last digits will differ.")
"""


def script(snippet: Snippet, requirements: str | None = None) -> str:
    """The snippet as a reader downloads it: the pin cell, then the snippet's own source, unchanged."""
    return f"# %% {PIN_TITLE}\n{pin_cell(requirements)}\n# %%\n{snippet.source.rstrip()}\n"
