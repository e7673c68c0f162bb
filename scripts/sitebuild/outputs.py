"""Write outputs atomically, keep the manifest of hashes, and lock the build.

An output is replaced by rename, never rewritten in place, so Ctrl-C or a
SIGKILL leaves either the old file or the new one, never half of either.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import sys
import tempfile
from pathlib import Path

from .discover import GENERATED, ROOT

MANIFEST = GENERATED / "manifest.json"
MANIFEST_VERSION = 1
LOCK = ROOT / ".cache" / "build.lock"
TEMP_PREFIX = ".partial-"


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def write_atomic(path: Path, data: bytes) -> bool:
    """Write `data` to `path` unless it already holds exactly those bytes; True if written."""
    if path.exists() and path.read_bytes() == data:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(prefix=TEMP_PREFIX, dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp)
        raise
    return True


def remove_output(relpath: str) -> None:
    path = GENERATED / relpath
    with contextlib.suppress(FileNotFoundError):
        path.unlink()
    with contextlib.suppress(OSError):  # drop folders left empty
        path.parent.rmdir()


def clean_partial_files() -> list[Path]:
    """Remove temp files left by a build that was killed before its rename."""
    leftovers = sorted(GENERATED.rglob(f"{TEMP_PREFIX}*")) if GENERATED.exists() else []
    for path in leftovers:
        path.unlink()
    return leftovers


def load_manifest() -> tuple[dict, str | None]:
    """The manifest, or an empty one and a warning when it is missing, corrupt or foreign."""
    empty = {"version": MANIFEST_VERSION, "environment": {}, "snippets": {}}
    if not MANIFEST.exists():
        return empty, None
    try:
        data = json.loads(MANIFEST.read_text(encoding="utf-8"))
        if data.get("version") != MANIFEST_VERSION or not isinstance(data.get("snippets"), dict):
            raise ValueError(f"version {data.get('version')!r}, expected {MANIFEST_VERSION}")
        return data, None
    except (ValueError, AttributeError) as exc:
        return empty, f"{MANIFEST.relative_to(ROOT)} is unreadable ({exc}); rebuilding every snippet"


def manifest_bytes(manifest: dict) -> bytes:
    return (json.dumps(manifest, indent=2, sort_keys=True) + "\n").encode()


def edited_outputs(entry: dict) -> list[str]:
    """Outputs of one manifest entry that are missing or whose bytes changed since the build wrote them."""
    changed = []
    for relpath, digest in entry.get("outputs", {}).items():
        path = GENERATED / relpath
        if not path.exists() or sha256(path.read_bytes()) != digest:
            changed.append(relpath)
    return changed


@contextlib.contextmanager
def build_lock():
    """One build at a time: a second one waits instead of interleaving writes."""
    LOCK.parent.mkdir(parents=True, exist_ok=True)
    with open(LOCK, "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            print("another build is running; waiting for it to finish", file=sys.stderr, flush=True)
            fcntl.flock(handle, fcntl.LOCK_EX)
        yield
