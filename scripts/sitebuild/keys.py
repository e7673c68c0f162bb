"""The two cache keys of a snippet, and the store of execution results behind the first.

- The execution key covers what can change what a snippet prints, draws or publishes: its path and source, the
  package versions, the numeric environment, and the code that runs it (EXECUTION). A change there reruns it.
- The render key covers what turns that result into files under docs/generated/: the execution key plus the
  rendering code (RENDERING). A change there re-renders every snippet from its stored execution result, and
  runs none.

Every module of sitebuild/ is in exactly one of EXECUTION, RENDERING and OTHER; tests/unit/test_keys.py checks
that, and that the code a snippet's run imports is all in EXECUTION, so a rendering change cannot alter a run.
Nothing here imports torch.
"""

from __future__ import annotations

import hashlib
import json
import platform
from dataclasses import asdict
from importlib import metadata
from pathlib import Path

from . import numerics
from .discover import ROOT, Snippet
from .outputs import write_atomic
from .results import CellResult, FigureOutput, SnippetResult

BUILD_CODE = Path(__file__).resolve().parent
STORE = ROOT / ".cache" / "executions"  # one JSON per execution key; kept out of git, kept by CI's cache
# Packages whose version can change a printed digit or a figure's bytes (nbformat: the notebook's bytes).
PINNED = ("torch", "numpy", "matplotlib", "nbformat")

# The code that runs a snippet and captures its outputs (figures are drawn to SVG in the snippet's process).
EXECUTION = (
    "capture",
    "discover",  # how a file is split into cells
    "execute",
    "figures",
    "headers",
    "messages",
    "numerics",
    "randomness",
    "results",
    "stacking",
    "values",  # alt= texts cite the snippet's own values
)
# The code that turns an execution result into the fragments, the notebook and the script.
RENDERING = ("downloads", "render")
# The rest decides what runs, writes or compares; it changes no output's bytes. Pages are read by sitepages/.
OTHER = ("__init__", "compare", "keys", "outputs", "pipeline", "shards", "tolerance", "worker")


def environment() -> dict[str, str]:
    """Versions that can change an output, read without importing anything heavy."""
    env = {"python": platform.python_version(), "platform": f"{platform.system()} {platform.machine()}"}
    env.update(numerics.fingerprint())  # the CPU family and kernel settings change digits too
    for name in PINNED:
        try:
            env[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            env[name] = "missing"
    return env


def code_hash(modules: tuple[str, ...]) -> str:
    """Hash of some of the build's modules, by name and bytes."""
    digest = hashlib.sha256()
    for name in sorted(modules):
        path = BUILD_CODE / f"{name}.py"
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def execution_key(snippet: Snippet, env: dict[str, str], execution_code: str) -> str:
    """Everything that can change what the snippet prints, draws or publishes, in one hash."""
    digest = hashlib.sha256()
    digest.update(snippet.relpath.encode() + b"\0" + snippet.source.encode())
    digest.update(repr(sorted(env.items())).encode() + execution_code.encode())
    return digest.hexdigest()


def render_key(execution: str, rendering_code: str) -> str:
    """Everything that can change the snippet's files: its execution, and the code that renders it."""
    return hashlib.sha256(f"{execution}\0{rendering_code}".encode()).hexdigest()


class Keys:
    """The two code hashes and the environment, computed once per build."""

    def __init__(self) -> None:
        self.env = environment()
        self.execution_code = code_hash(EXECUTION)
        self.rendering_code = code_hash(RENDERING)

    def of(self, snippet: Snippet) -> tuple[str, str]:
        execution = execution_key(snippet, self.env, self.execution_code)
        return execution, render_key(execution, self.rendering_code)


def store(key: str, result: SnippetResult) -> None:
    """Keep a successful run, so a rendering change can re-render it without running it again."""
    write_atomic(STORE / f"{key}.json", json.dumps(asdict(result)).encode())


def stored(key: str) -> SnippetResult | None:
    """The run stored under `key`, or None when there is none (or it cannot be read)."""
    try:
        data = json.loads((STORE / f"{key}.json").read_text(encoding="utf-8"))
        cells = [CellResult(**{**c, "figures": [FigureOutput(**f) for f in c["figures"]]}) for c in data["cells"]]
        return SnippetResult(data["relpath"], cells, data["seconds"], data["error"], data["warnings"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def prune(keep: set[str]) -> None:
    """Drop stored runs no snippet's current execution key names, so the store does not grow without end."""
    if STORE.is_dir():
        for path in STORE.glob("*.json"):
            if path.stem not in keep:
                path.unlink(missing_ok=True)
