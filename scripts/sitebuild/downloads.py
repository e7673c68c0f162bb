"""What a reader downloads to run a snippet: its script and the first cell both it and the notebook open with.

That cell puts the numeric environment of numerics.SETTINGS in place before torch is imported, so a fresh kernel
prints the page's digits on any x86-64 CPU, and on Colab (only there) installs the versions the build ran with
(the pins of requirements.txt and requirements-reader.txt; keys.environment() puts them in the cache key).
"""

from __future__ import annotations

import json
from importlib import metadata

from .discover import Snippet
from .numerics import SETTINGS

# What a snippet imports; requirements-reader.txt adds what these need in turn.
DIRECT = ("torch", "numpy", "matplotlib")
CPU_INDEX = "https://download.pytorch.org/whl/cpu"  # PyPI's Linux torch is the CUDA build
PIN_TITLE = "Run first: the numeric environment the site's outputs were made in"


def reader_pins() -> list[str]:
    """`name==version` of the packages a snippet imports, as installed for the build; torch as its CPU build."""
    versions = {name: metadata.version(name) for name in DIRECT}
    return [f"torch=={versions['torch'].split('+')[0]}+cpu", *(f"{name}=={versions[name]}" for name in DIRECT[1:])]


def pin_cell() -> str:
    """The code of the first cell: the same in every notebook and script, generated from SETTINGS."""
    pins = reader_pins()
    settings = "\n".join(f"        {json.dumps(key)}: {json.dumps(value)}," for key, value in SETTINGS.items())
    install = ", ".join(json.dumps(pin) for pin in pins)
    return f"""\
# Run this cell first. PyTorch, MKL and oneDNN choose their kernels by CPU, and kernels
# of different widths round the last digits differently. These settings, read when
# torch first computes, make every x86-64 CPU take the path the site's outputs were
# produced on (see the site's Reproducibility page).
import os
import platform
import subprocess
import sys

os.environ.update(
    {{
{settings}
    }}
)
if "google.colab" in sys.modules:  # on Colab only: the versions the site was built with
    pins = [{install}]
    cpu_index = "{CPU_INDEX}"  # torch's CPU build
    command = [sys.executable, "-m", "pip", "install", "-q", "--extra-index-url", cpu_index]
    subprocess.run([*command, *pins], check=True)
if platform.machine().lower() not in ("x86_64", "amd64"):
    print(f"Note: on {{platform.machine()}} the last digits will differ from the site's.")
"""


def script(snippet: Snippet) -> str:
    """The snippet as a reader downloads it: the pin cell, then the snippet's own source, unchanged."""
    return f"# %% {PIN_TITLE}\n{pin_cell()}\n# %%\n{snippet.source.rstrip()}\n"
