"""The peers' virtualenv under .cache/: the project's venv plus the peers' pinned packages.

A .pth file puts the project's site-packages on the path, so torch, mkdocs and Material
are the very same installs; torch==2.13.0 is passed as a constraint so pip never pulls another.
"""

from __future__ import annotations

import subprocess
import sys
import sysconfig
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PEERS_VENV = ROOT / ".cache" / "peers-venv"
PINS = Path(__file__).resolve().parent / "requirements-peers.txt"
STAMP = PEERS_VENV / ".installed"


def peers_python() -> Path:
    """Python of the peers' venv, created and filled on first use (and when the pins change)."""
    python = PEERS_VENV / "bin" / "python"
    if STAMP.exists() and STAMP.read_text() == PINS.read_text() + _base_site():
        return python
    if not python.exists():
        subprocess.run([sys._base_executable, "-m", "venv", str(PEERS_VENV)], check=True)
    site = subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    Path(site, "project-venv.pth").write_text(_base_site() + "\n")
    constraints = PEERS_VENV / "constraints.txt"
    # The project's exact pins plus torch, so nothing already installed is re-resolved.
    constraints.write_text((ROOT / "requirements.txt").read_text() + "torch==2.13.0\n")
    subprocess.run(
        [python, "-m", "pip", "install", "--quiet", "-c", constraints, "-r", PINS],
        check=True,
    )
    STAMP.write_text(PINS.read_text() + _base_site())
    return python


def _base_site() -> str:
    """site-packages of the project's venv (the one running this script), symlinks resolved."""
    return str(Path(sysconfig.get_paths()["purelib"]).resolve())
