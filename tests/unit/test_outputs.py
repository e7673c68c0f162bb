"""sitebuild.outputs: the manifest as read back (missing, corrupt, foreign, malformed), atomic writes."""

from __future__ import annotations

import importlib
import json
import os

import pytest
from sitebuild import outputs


@pytest.fixture
def manifest(tmp_path, monkeypatch):
    """outputs.MANIFEST pointed into a temporary tree; returns the path to write."""
    generated = tmp_path / "docs" / "generated"
    generated.mkdir(parents=True)
    monkeypatch.setattr(outputs, "ROOT", tmp_path)
    monkeypatch.setattr(outputs, "GENERATED", generated)
    monkeypatch.setattr(outputs, "MANIFEST", generated / "manifest.json")
    return generated / "manifest.json"


def _entry(**outputs_by_path):
    return {"key": "k", "outputs": outputs_by_path or {"a/cell-1.md": "0" * 64}}


def test_importing_the_module_leaves_the_umask_alone(monkeypatch):
    calls = []
    monkeypatch.setattr(os, "umask", lambda *args: calls.append(args) or 0o022)
    importlib.reload(outputs)
    assert calls == []


def test_a_missing_manifest_is_empty_without_a_warning(manifest):
    data, warning = outputs.load_manifest()
    assert data["snippets"] == {} and warning is None


def test_a_good_manifest_is_read_back(manifest):
    good = {"version": outputs.MANIFEST_VERSION, "environment": {}, "snippets": {"snippets/a/b.py": _entry()}}
    manifest.write_bytes(outputs.manifest_bytes(good))
    assert outputs.load_manifest() == (good, None)


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"{not json", "is corrupt (not JSON"),
        (b"\xff\xfe", "is corrupt (not JSON"),
        (b"[" * 100_000, "is corrupt (not JSON"),
        (b'{"version": 99, "snippets": {}}', "from another version of the build (version 99"),
        (b"[1, 2]", "from another version of the build (version None"),
    ],
)
def test_an_unreadable_manifest_warns_and_rebuilds_everything(manifest, content, words):
    manifest.write_bytes(content)
    data, warning = outputs.load_manifest()
    assert data["snippets"] == {}
    assert warning.startswith("docs/generated/manifest.json ") and words in warning
    assert warning.endswith("rebuilding every snippet")


@pytest.mark.parametrize(
    "entry",
    [
        "not a dict",
        {"outputs": {}},
        {"key": "k", "outputs": []},
        {"key": "k", "outputs": {"../../etc/passwd": "0"}},
        {"key": "k", "outputs": {"/etc/passwd": "0"}},
        {"key": "k", "outputs": {"a/cell-1.md": 5}},
    ],
)
def test_a_malformed_entry_is_refused_before_any_path_is_used(manifest, entry):
    manifest.write_text(json.dumps({"version": outputs.MANIFEST_VERSION, "snippets": {"s.py": entry}}))
    data, warning = outputs.load_manifest()
    assert data["snippets"] == {} and "a snippet entry is malformed" in warning


def test_write_atomic_writes_only_changed_bytes_with_ordinary_permissions(tmp_path):
    target = tmp_path / "deep" / "file.md"
    ordinary = tmp_path / "ordinary"
    ordinary.write_bytes(b"")  # what the umask gives any new file
    assert outputs.write_atomic(target, b"one") is True
    assert outputs.write_atomic(target, b"one") is False
    assert target.read_bytes() == b"one"
    assert os.stat(target).st_mode & 0o777 == os.stat(ordinary).st_mode & 0o777
    assert not list(target.parent.glob(f"{outputs.TEMP_PREFIX}*"))


def test_edited_outputs_lists_changed_and_missing_files(manifest):
    generated = manifest.parent
    (generated / "a").mkdir()
    (generated / "a" / "same.md").write_bytes(b"same")
    (generated / "a" / "edited.md").write_bytes(b"edited by hand")
    entry = {
        "key": "k",
        "outputs": {
            "a/same.md": outputs.sha256(b"same"),
            "a/edited.md": outputs.sha256(b"as built"),
            "a/gone.md": outputs.sha256(b"deleted"),
        },
    }
    assert outputs.edited_outputs(entry) == ["a/edited.md", "a/gone.md"]


def test_a_known_output_is_not_read_again_until_its_size_or_time_changes(manifest, monkeypatch):
    generated = manifest.parent
    monkeypatch.setattr(outputs, "STATS", generated.parent / "stats.json")
    path = generated / "cell-1.md"
    path.write_bytes(b"as built")
    entry = {"key": "k", "outputs": {"cell-1.md": outputs.sha256(b"as built")}}
    stats = outputs.OutputStats()
    assert outputs.edited_outputs(entry, stats) == []
    stats.save()
    reads = []
    real_read = type(path).read_bytes
    monkeypatch.setattr(type(path), "read_bytes", lambda self: reads.append(self.name) or real_read(self))
    assert outputs.edited_outputs(entry, outputs.OutputStats()) == [] and reads == []  # from the saved stats
    path.write_bytes(b"hand-made")  # same size, a later time
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 1))
    assert outputs.edited_outputs(entry, outputs.OutputStats()) == ["cell-1.md"] and reads == ["cell-1.md"]
