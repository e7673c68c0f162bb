"""What a reader downloads prints the page: every notebook in a fresh kernel, the scripts, the reader's requirements.

The kernel starts as a reader's would, with none of the build's numeric settings in its environment, and with
ATEN_CPU_CAPABILITY=default, a dispatch that prints other digits than the pinned one. Only the notebook's own
first cell can make it print the page's digits; the controls below show that without that cell it does not.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import venv
from pathlib import Path

import nbformat
import pytest
from conftest import ENV, GENERATED, PYTHON, ROOT
from nbclient import NotebookClient
from sitebuild.discover import find_snippets
from sitebuild.downloads import pin_cell
from sitebuild.numerics import SETTINGS, UNPINNED_VARIABLE

SLUGS = [snippet.slug for snippet in find_snippets()]
# A reader's machine: none of the build's settings, and an ATen dispatch other than the pinned one.
READER_ENV = {key: value for key, value in ENV.items() if key not in SETTINGS and key != UNPINNED_VARIABLE}
READER_ENV |= {"ATEN_CPU_CAPABILITY": "default", "MPLBACKEND": "Agg"}
QEMU = shutil.which("qemu-x86_64")
needs_qemu = pytest.mark.skipif(
    QEMU is None and os.environ.get("CI") != "true",
    reason="qemu-x86_64 is not installed (Debian: qemu-user); `make test` installs it under CI=true",
)


def printed(nb) -> list[str]:
    """What each code cell printed, in order."""
    return [
        "".join(o.get("text", "") for o in c.outputs if o.output_type == "stream")
        for c in nb.cells
        if c.cell_type == "code"
    ]


def run_fresh(nb, tmp_path: Path, kernel: str = "python3", timeout: int = 600):
    """The notebook with its outputs cleared, run top to bottom in a new kernel started with READER_ENV."""
    nb = nbformat.from_dict(nb)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = []
    client = NotebookClient(nb, timeout=timeout, kernel_name=kernel, resources={"metadata": {"path": str(tmp_path)}})
    client.execute(env=READER_ENV)
    return nb


def without_pin_cell(nb):
    """The notebook as it was before it pinned itself: its first code cell removed."""
    nb = nbformat.from_dict(nb)
    first = next(i for i, c in enumerate(nb.cells) if c.cell_type == "code")
    assert nb.cells[first].source == pin_cell().rstrip("\n"), "the first code cell should be the pin cell"
    del nb.cells[first]
    return nb


def notebook(slug: str):
    return nbformat.read(GENERATED / f"{slug}.ipynb", as_version=4)


@pytest.mark.parametrize("slug", SLUGS)
def test_every_notebook_prints_the_page_in_a_fresh_unpinned_kernel(slug, tmp_path):
    committed = notebook(slug)
    fresh = run_fresh(committed, tmp_path)
    assert printed(fresh) == printed(committed), f"docs/generated/{slug}.ipynb printed other text in a fresh kernel"
    assert any(printed(committed)), f"{slug}: the notebook should print something"


def test_without_its_first_cell_a_notebook_shows_the_readers_dispatch(tmp_path):
    """The control: the kernel really runs unpinned, so the pin cell is what the test above relies on."""
    committed = notebook("activation-functions/reproducibility/environment")
    fresh = run_fresh(without_pin_cell(committed), tmp_path)
    assert printed(fresh) != printed(without_pin_cell(committed))
    assert re.search(r"ATen kernels\s+DEFAULT", "".join(printed(fresh))), printed(fresh)


def _qemu_kernel(tmp_path: Path, monkeypatch, cpu: str) -> str:
    """A Jupyter kernel whose Python runs on an emulated CPU model (qemu-user); returns its name."""
    assert QEMU, "CI=true but qemu-x86_64 is missing: the Makefile should have installed qemu-user"
    name = f"qemu-{cpu.lower()}"
    spec = {"argv": [QEMU, "-cpu", cpu, PYTHON, "-m", "ipykernel_launcher", "-f", "{connection_file}"]}
    folder = tmp_path / "jupyter" / "kernels" / name
    folder.mkdir(parents=True)
    (folder / "kernel.json").write_text(json.dumps({**spec, "display_name": name, "language": "python"}))
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path / "jupyter"))
    return name


@needs_qemu
def test_on_an_emulated_haswell_the_code_notebook_needs_its_first_cell(tmp_path, monkeypatch):
    """On another CPU model (MKL dispatches by CPU), the page's digits come back only with the pin cell."""
    kernel = _qemu_kernel(tmp_path, monkeypatch, "Haswell")
    committed = notebook("activation-functions/code/steps")
    pinned = run_fresh(committed, tmp_path, kernel=kernel, timeout=900)
    assert printed(pinned) == printed(committed)
    unpinned = run_fresh(without_pin_cell(committed), tmp_path, kernel=kernel, timeout=900)
    assert printed(unpinned) != printed(without_pin_cell(committed))


@pytest.mark.parametrize("slug", SLUGS)
def test_the_script_is_the_notebooks_code_in_order(slug):
    """Same cells, same order: so the notebook runs above also vouch for each script."""
    script = (GENERATED / f"{slug}.py").read_text(encoding="utf-8")
    code = [c.source for c in notebook(slug).cells if c.cell_type == "code"]
    assert script.startswith(f"# %% Run first: the numeric environment the site's outputs were made in\n{code[0]}\n")
    snippet = (ROOT / "snippets" / f"{slug}.py").read_text(encoding="utf-8")
    assert script.endswith(snippet.rstrip() + "\n"), "the script should end with the snippet's own source, unchanged"
    position = 0
    for cell in code[1:]:
        position = script.index(cell, position)  # raises ValueError when a cell is missing or out of order


def _page_prints(slug: str) -> str:
    return "".join(printed(notebook(slug)))


@pytest.mark.parametrize("slug", ["activation-functions/code/steps", "activation-functions/experiments/linear_depth"])
def test_a_downloaded_script_prints_the_page_unpinned(slug, tmp_path):
    script = shutil.copy(GENERATED / f"{slug}.py", tmp_path / "script.py")
    run = subprocess.run([PYTHON, script], cwd=tmp_path, env=READER_ENV, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr[-3000:]
    assert run.stdout == _page_prints(slug)


def _requirements(path: Path) -> dict[str, str]:
    pins = {}
    for line in path.read_text().splitlines():
        match = re.match(r"(?P<name>[A-Za-z0-9_.-]+)==(?P<version>[^;\s]+)", line.split("#")[0].strip())
        if match:
            name = match["name"].lower().replace("_", "-")
            pins.setdefault(name, match["version"].removesuffix("+cpu"))
    return pins


def test_the_readers_requirements_pin_what_the_build_pins():
    reader, build = _requirements(ROOT / "requirements-reader.txt"), _requirements(ROOT / "requirements.txt")
    assert {"torch", "numpy", "matplotlib"} <= reader.keys()
    assert {name: build.get(name) for name in reader} == reader, "requirements-reader.txt and requirements.txt differ"


def test_the_readers_requirements_alone_run_a_snippet(tmp_path):
    """A fresh venv gets requirements-reader.txt and nothing else (--no-deps): pip check, then a script runs."""
    folder = tmp_path / "reader-venv"
    venv.create(folder, with_pip=True)
    python = folder / "bin" / "python"
    # The file's own --extra-index-url (PyTorch's CPU index) is dropped: this machine reaches only the package
    # registries, and its pip configuration already finds the same CPU build of torch.
    lines = [line for line in (ROOT / "requirements-reader.txt").read_text().splitlines() if not line.startswith("--")]
    (tmp_path / "requirements.txt").write_text("\n".join(lines) + "\n")
    pip = [str(python), "-m", "pip", "--disable-pip-version-check"]
    install = subprocess.run(
        [*pip, "install", "--no-deps", "-q", "-r", tmp_path / "requirements.txt"],
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert install.returncode == 0, install.stderr[-3000:]
    check = subprocess.run([*pip, "check"], capture_output=True, text=True, timeout=120)
    assert check.returncode == 0, f"requirements-reader.txt misses what its packages need:\n{check.stdout}"
    listed = subprocess.run([*pip, "list", "--format=freeze"], capture_output=True, text=True, timeout=120).stdout
    installed = {line.split("==")[0].lower().replace("_", "-") for line in listed.split()} - {"pip"}
    assert installed == set(_requirements(ROOT / "requirements-reader.txt")), installed
    script = shutil.copy(GENERATED / "activation-functions/code/steps.py", tmp_path / "steps.py")
    run = subprocess.run(
        [str(python), script], cwd=tmp_path, env=READER_ENV, capture_output=True, text=True, timeout=300
    )
    assert run.returncode == 0, run.stderr[-3000:]
    assert run.stdout == _page_prints("activation-functions/code/steps")
