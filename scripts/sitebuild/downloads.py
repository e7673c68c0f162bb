"""What a reader downloads to run a snippet: its script and the first cell both it and the notebook open with.

That cell puts the numeric environment of numerics.SETTINGS in place before torch is imported, so a fresh kernel
prints the page's digits on any x86-64 CPU, and on Colab (only there) installs the versions the build ran with
(the pins of requirements.txt and requirements-reader.txt; keys.environment() puts them in the cache key).
On another CPU family it sets only what applies there (the thread counts) and says how far the numbers may move:
within the tolerance that `make portability --cpus aarch64` checks every output against.
"""

from __future__ import annotations

import json
from importlib import metadata

from .discover import Snippet
from .numerics import SETTINGS, X86_64, X86_ONLY, settings

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
    everywhere = "\n".join(f"        {json.dumps(k)}: {json.dumps(v)}," for k, v in settings("other").items())
    x86 = "\n".join(f"            {json.dumps(k)}: {json.dumps(SETTINGS[k])}," for k in X86_ONLY)
    install = ", ".join(json.dumps(pin) for pin in pins)
    machines = ", ".join(json.dumps(machine) for machine in X86_64)
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
{everywhere}
    }}
)
if platform.machine().lower() in ({machines}):  # kernel choices that exist only on x86-64
    os.environ.update(
        {{
{x86}
        }}
    )
else:
    print(
        f"Note: on {{platform.machine()}} a printed number can differ from the site's by 0.1 %"
        " or by one unit in its last digit, whichever is more (checked on an emulated ARM CPU)."
        " A figure can differ where its result depends on the CPU."
    )
if "google.colab" in sys.modules:  # on Colab only: the versions the site was built with
    pins = [{install}]
    cpu_index = "{CPU_INDEX}"  # torch's CPU build
    command = [sys.executable, "-m", "pip", "install", "-q", "--extra-index-url", cpu_index]
    subprocess.run([*command, *pins], check=True)
"""


def script(snippet: Snippet) -> str:
    """The snippet as a reader downloads it: the pin cell, then the snippet's own source, unchanged."""
    return f"# %% {PIN_TITLE}\n{pin_cell()}\n# %%\n{snippet.source.rstrip()}\n"
