"""sitebuild.shards and scripts/gather.py: how CI splits the snippets, picks the changed ones, and gathers."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from gather import gather
from sitebuild import shards
from sitebuild.discover import Snippet, find_snippets, split_cells
from sitebuild.keys import Keys


def _snippet(relpath: str, source: str = "print(1)\n") -> Snippet:
    return Snippet(Path("/nowhere") / relpath, relpath, source, split_cells(source))


SERIES = [_snippet(f"snippets/post-{p}/section-{s}/name_{n}.py") for p in range(5) for s in range(4) for n in range(25)]


@pytest.mark.parametrize("count", [1, 2, 4, 7])
def test_every_snippet_is_in_exactly_one_shard(count):
    parts = [shards.in_shard(SERIES, index, count) for index in range(1, count + 1)]
    assert sorted(s.relpath for part in parts for s in part) == sorted(s.relpath for s in SERIES)


def test_the_split_is_fair_enough_at_series_scale():
    sizes = [len(shards.in_shard(SERIES, index, 4)) for index in range(1, 5)]
    assert max(sizes) <= 1.25 * len(SERIES) / 4, sizes  # 500 snippets: no shard a quarter above its share


def test_a_new_snippet_moves_no_other_snippet_to_another_shard():
    before = {s.relpath: shards.shard_of(s.relpath, 4) for s in SERIES}
    grown = [*SERIES, _snippet("snippets/post-9/new/added.py")]
    assert {s.relpath: shards.shard_of(s.relpath, 4) for s in grown[:-1]} == before
    assert shards.in_shard(list(reversed(SERIES)), 3, 4) == list(reversed(shards.in_shard(SERIES, 3, 4)))


def test_this_sites_shards_cover_its_snippets():
    snippets = find_snippets()
    covered = [s.relpath for index in range(1, 5) for s in shards.in_shard(snippets, index, 4)]
    assert sorted(covered) == sorted(s.relpath for s in snippets)


def test_changed_means_a_new_execution_key_against_the_base_or_the_working_manifest():
    keys = Keys()
    same, edited, rebuilt, stale = (
        _snippet(f"snippets/p/s/{name}.py") for name in ("same", "edited", "rebuilt", "stale")
    )
    key = {s.relpath: keys.of(s)[0] for s in (same, edited, rebuilt, stale)}
    before = {**key, edited.relpath: "an older key", rebuilt.relpath: "an older key"}
    now = {path: {"execution": k} for path, k in key.items()} | {stale.relpath: {"execution": "not rebuilt"}}
    now[edited.relpath] = {"execution": "not rebuilt"}
    picked = shards.changed([same, edited, rebuilt, stale], before, now)
    assert [s.relpath for s in picked] == [edited.relpath, rebuilt.relpath, stale.relpath]


def _report(tmp_path: Path, shard: str, stale=(), failures=None) -> Path:
    path = tmp_path / f"report-{shard.replace('/', '-')}.json"
    data = {"shard": shard, "checked": ["snippets/p/s/a.py"], "stale": list(stale), "failures": failures or {}}
    path.write_text(json.dumps(data))
    return path


def test_gather_passes_when_every_shard_reported_and_matched(tmp_path):
    lines, status = gather(2, [_report(tmp_path, "1/2"), _report(tmp_path, "2/2")])
    assert status == 0 and lines == ["2 snippets checked in 2 shards: 0 problems"]


def test_gather_lists_every_shards_problems_and_a_missing_report(tmp_path):
    reports = [
        _report(tmp_path, "1/3", stale=["p/s/a/cell-1.md", "p/s/a.ipynb"]),
        _report(tmp_path, "2/3", failures={"snippets/p/s/b.py": "snippets/p/s/b.py:3: ValueError: x\n  trace"}),
    ]
    lines, status = gather(3, reports)
    assert status == 1
    assert lines == [
        "shard 1/3: p/s/a/cell-1.md: stale or edited by hand",
        "shard 1/3: p/s/a.ipynb: stale or edited by hand",
        "shard 2/3: snippets/p/s/b.py:3: ValueError: x",
        "shard 3/3: no report (the job failed before its check finished; see its log)",
        "2 snippets checked in 3 shards: 4 problems",
    ]
