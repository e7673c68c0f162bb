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
import secrets
import sys
from pathlib import Path

from .discover import GENERATED, ROOT

MANIFEST = GENERATED / "manifest.json"
MANIFEST_VERSION = 1
LOCK = ROOT / ".cache" / "build.lock"
TEMP_PREFIX = ".partial-"
STATS = ROOT / ".cache" / "output-stats.json"
# While a snippet fails, its error sits beside its outputs (not in git); every engine's page layer shows it as a
# notice in the pages that include the snippet (sitepages/snippets.py), and a good run removes it.
FAILED = ".failed.txt"


def failure_note(slug: str) -> Path:
    """Where the error of the failing snippet `post/section/name` is kept until it runs again."""
    return GENERATED / f"{slug}{FAILED}"


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def write_atomic(path: Path, data: bytes) -> bool:
    """Write `data` to `path` unless it already holds exactly those bytes; True if written."""
    if path.exists() and path.read_bytes() == data:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.parent / f"{TEMP_PREFIX}{secrets.token_hex(8)}"
    # 0o666 less the umask, like any file the author creates; O_EXCL: never another build's temp file.
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
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
    leftovers = sorted(
        p for folder in (GENERATED, LOCK.parent) if folder.exists() for p in folder.rglob(f"{TEMP_PREFIX}*")
    )
    for path in leftovers:
        path.unlink()
    return leftovers


def load_manifest() -> tuple[dict, str | None]:
    """The manifest, or an empty one and a warning when it is missing, corrupt or foreign."""
    empty = {"version": MANIFEST_VERSION, "environment": {}, "snippets": {}}
    if not MANIFEST.exists():
        return empty, None
    name = MANIFEST.relative_to(ROOT)
    try:
        data = json.loads(MANIFEST.read_bytes())
    except (ValueError, RecursionError) as exc:  # ValueError covers bytes that are not UTF-8
        return empty, f"{name} is corrupt (not JSON: {exc}); rebuilding every snippet"
    version = data.get("version") if isinstance(data, dict) else None
    if version != MANIFEST_VERSION:
        return empty, (
            f"{name} is from another version of the build (version {version!r}, this build writes "
            f"{MANIFEST_VERSION}); rebuilding every snippet"
        )
    if not _well_formed(data.get("snippets")):
        return empty, f"{name} is corrupt (a snippet entry is malformed); rebuilding every snippet"
    return data, None


def _well_formed(entries) -> bool:
    """Entries map snippet -> {"key": str, "outputs": {path under docs/generated: sha256}}."""

    def safe(relpath) -> bool:  # a path that cannot point outside docs/generated/
        return isinstance(relpath, str) and not relpath.startswith("/") and ".." not in relpath.split("/")

    return isinstance(entries, dict) and all(
        isinstance(entry, dict)
        and isinstance(entry.get("key"), str)
        and isinstance(entry.get("outputs"), dict)
        and all(safe(path) and isinstance(digest, str) for path, digest in entry["outputs"].items())
        for entry in entries.values()
    )


def manifest_bytes(manifest: dict) -> bytes:
    return (json.dumps(manifest, indent=2, sort_keys=True) + "\n").encode()


def edited_outputs(entry: dict, stats: OutputStats | None = None) -> list[str]:
    """Outputs of one manifest entry that are missing or whose bytes changed since the build wrote them."""
    stats = stats if stats is not None else OutputStats({})
    return [relpath for relpath, digest in entry.get("outputs", {}).items() if stats.digest(relpath) != digest]


class OutputStats:
    """The sha256 of each output under docs/generated/, keyed by its size and modification time, as git's index
    keeps them: a build with nothing to do stats the outputs instead of reading them all (.cache/output-stats.json).
    An edit changes the time (nanoseconds) and so reads the file again."""

    def __init__(self, seen: dict[str, list] | None = None) -> None:
        self.seen = self._load() if seen is None else seen
        self.changed = False

    @staticmethod
    def _load() -> dict[str, list]:
        try:
            data = json.loads(STATS.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def digest(self, relpath: str) -> str | None:
        """The output's sha256, or None when it is missing."""
        path = GENERATED / relpath
        try:
            info = path.stat()
        except OSError:
            return None
        stamp = [info.st_size, info.st_mtime_ns]
        known = self.seen.get(relpath)
        if isinstance(known, list) and known[:2] == stamp and len(known) == 3:
            return known[2]
        digest = sha256(path.read_bytes())
        self.seen[relpath], self.changed = [*stamp, digest], True
        return digest

    def save(self) -> None:
        if self.changed:
            write_atomic(STATS, (json.dumps(self.seen, sort_keys=True) + "\n").encode())


@contextlib.contextmanager
def build_lock(shared: bool = False):
    """One writing build at a time: a second one waits instead of interleaving writes.

    Checks only read, so they share the lock with each other and wait only for a writer.
    """
    LOCK.parent.mkdir(parents=True, exist_ok=True)
    mode = fcntl.LOCK_SH if shared else fcntl.LOCK_EX
    with open(LOCK, "a") as handle:
        try:
            fcntl.flock(handle, mode | fcntl.LOCK_NB)
        except BlockingIOError:
            print("another build is running; waiting for it to finish", file=sys.stderr, flush=True)
            fcntl.flock(handle, mode)
        yield
