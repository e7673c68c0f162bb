"""The site plugin's page work (scripts/siteplugin/): provenance line, error notices, which pages wait, file lists."""

from __future__ import annotations

import pytest
from sitepages.syntax import needs
from siteplugin import plugin, session

ENV = {"python": "3.11.7", "torch": "2.13.0", "numpy": "2.4.6", "matplotlib": "3.11.2", "platform": "Linux x86_64"}


def test_progress_goes_through_mkdocs_plugin_logger(caplog):
    caplog.set_level("DEBUG", logger="mkdocs.plugins.site")
    plugin._log("[1/2] snippets/a/b.py: cached")
    plugin._log("[2/2] snippets/a/c.py: ran in 1.00 s")
    levels = [(r.name, r.levelname) for r in caplog.records]
    assert levels == [("mkdocs.plugins.site", "DEBUG"), ("mkdocs.plugins.site", "INFO")]


def test_a_page_needs_the_snippets_it_includes_and_cites():
    page = (
        'Intro.\n\n--8<-- "generated/activation-functions/code/steps/cell-2.md"\n\n'
        '  --8<-- "generated/activation-functions/gelu/exact_vs_tanh/cell-4.md"\n\n'
        "The gap is {{ silu.minima.x_min | fmt('.2f') }} and {{ relu.dead_unit.share[0] }}.\n"
    )
    slugs = {"code/steps", "gelu/exact_vs_tanh", "silu/minima", "relu/dead_unit"}
    assert needs(page, "activation-functions", {}) == {f"activation-functions/{slug}" for slug in slugs}


def test_a_page_without_outputs_needs_nothing():
    page = (
        '```python\nprint(f"{{ code.steps.z }}")\n```\n\nA bad citation {{ no_dots }} and "generated/x/y/cell-1.md" '
        "in prose; `{{ gelu.gap.in_code }}` and \\{{ gelu.gap.escaped }} cite nothing.\n"
    )
    assert needs(page, "activation-functions", {}) == set()


@pytest.mark.parametrize(
    ("old_entries", "serving", "expected"),
    [
        ([], False, False),  # nothing stale: the in-process build only reads the manifest
        ([], True, False),
        ([{"key": "a"}], False, True),  # an edit: beside MkDocs' page work
        ([{"key": "a"}, None], False, False),  # a new snippet under `mkdocs build` (a cold build): in process
        ([None], True, True),  # under `mkdocs serve` the warm worker runs everything
    ],
)
def test_which_builds_run_in_the_worker(old_entries, serving, expected):
    assert session.use_worker(old_entries, serving) is expected


def test_after_an_edit_the_files_under_generated_are_listed_as_mkdocs_would_list_them(tmp_path, monkeypatch):
    """An edit that adds and removes outputs: the list synced after the wait equals a fresh `get_files`."""
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import get_files

    docs = tmp_path / "docs"
    (docs / "generated/a/b").mkdir(parents=True)
    (docs / "index.md").write_text("# Home\n")
    for name in ("cell-1.md", "cell-1-fig-1.svg", "cell-1-fig-2.svg"):
        (docs / "generated/a/b" / name).write_text("before the edit")
    config = MkDocsConfig()
    config.load_dict(
        {
            "site_name": "t",
            "docs_dir": str(docs),
            "site_dir": str(tmp_path / "site"),
            "exclude_docs": "generated/**/*.md",
        }
    )
    assert config.validate() == ([], [])
    files = get_files(config)
    (docs / "generated/a/b/cell-1-fig-2.svg").unlink()  # the edited snippet draws one figure fewer
    (docs / "generated/a/b/cell-2.md").write_text("a new cell")
    (docs / "generated/a/b/cell-2-fig-1.svg").write_text("its figure")
    monkeypatch.setattr(session, "GENERATED", docs / "generated")
    session.relist(files, config)
    listed = {file.src_uri: file.inclusion for file in files}
    assert listed == {file.src_uri: file.inclusion for file in get_files(config)}
    assert "generated/a/b/cell-2-fig-1.svg" in listed and "generated/a/b/cell-1-fig-2.svg" not in listed
