"""Which snippets a CI job checks: one shard of a deterministic split, and, on a pull request, only the changed ones.

A snippet's shard is a hash of its path, so adding a snippet never moves another one to a different shard, and
every machine computes the same split with no list to keep. "Changed" compares execution keys (keys.py): a
snippet is changed when its key differs from the one recorded in the base branch's manifest or in the working
tree's (outputs not rebuilt). A rotating slice adds a share of the unchanged ones, so every snippet is checked
again within a known number of pull requests even when nothing it depends on changed.
"""

from __future__ import annotations

import hashlib
import json
import subprocess

from .discover import ROOT, Snippet
from .keys import Keys


def shard_of(relpath: str, count: int) -> int:
    """The 1-based shard of `count` that a snippet belongs to."""
    return int(hashlib.sha256(relpath.encode()).hexdigest()[:12], 16) % count + 1


def in_shard(snippets: list[Snippet], index: int, count: int) -> list[Snippet]:
    return [snippet for snippet in snippets if shard_of(snippet.relpath, count) == index]


def base_keys(ref: str) -> dict[str, str]:
    """Execution keys recorded in the manifest at git `ref` (empty where the ref has no manifest)."""
    known = subprocess.run(
        ["git", "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"], cwd=ROOT, capture_output=True
    )
    if known.returncode != 0:
        raise ValueError(f"git knows no {ref!r} here; fetch it first (actions/checkout: fetch-depth: 0)")
    shown = subprocess.run(
        ["git", "show", f"{ref}:docs/generated/manifest.json"], cwd=ROOT, capture_output=True, text=True
    )
    if shown.returncode != 0:
        return {}  # the ref has no manifest
    return {path: entry.get("execution", "") for path, entry in json.loads(shown.stdout)["snippets"].items()}


def changed(snippets: list[Snippet], before: dict[str, str], now: dict[str, dict]) -> list[Snippet]:
    """Snippets whose execution key differs from `before` (the base branch's) or from `now`'s entries."""
    keys = Keys()
    out = []
    for snippet in snippets:
        execution, _ = keys.of(snippet)
        if before.get(snippet.relpath) != execution or now.get(snippet.relpath, {}).get("execution") != execution:
            out.append(snippet)
    return out
