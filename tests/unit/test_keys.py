"""sitebuild.keys: the execution and render keys, and the split of the build's code between them."""

from __future__ import annotations

import ast
from pathlib import Path

from sitebuild import keys
from sitebuild.discover import Snippet, split_cells

SOURCE = "import math\n\n# %% Step 1\nprint(math.tanh(1.0))\n"
ENV = {"python": "3.11.7", "torch": "2.13.0"}
# What a snippet's run goes through: its cells (discover), the header check before it runs (headers), the run.
RUN = ("discover", "headers", "execute")


def imported(module: str) -> set[str]:
    """The sitebuild modules `module` imports, directly or not, at the top or inside functions."""
    seen, todo = set(), [module]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        tree = ast.parse((keys.BUILD_CODE / f"{name}.py").read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.level == 1:
                todo += [node.module] if node.module else [alias.name for alias in node.names]
    return seen


def test_every_module_of_the_build_is_in_exactly_one_layer():
    modules = sorted(path.stem for path in keys.BUILD_CODE.glob("*.py"))
    layers = [*keys.EXECUTION, *keys.RENDERING, *keys.OTHER]
    assert sorted(layers) == modules, "each sitebuild module goes in one of keys.EXECUTION, RENDERING or OTHER"


def test_what_a_run_imports_is_all_execution_code():
    for root in RUN:
        outside = imported(root) - set(keys.EXECUTION)
        assert not outside, f"{root}.py imports {sorted(outside)}, which the execution key does not cover"


def test_rendering_imports_only_execution_and_rendering_code():
    outside = imported("render") - set(keys.EXECUTION) - set(keys.RENDERING)
    assert not outside, f"render.py imports {sorted(outside)}, which the render key does not cover"


def test_the_execution_key_is_stable_for_the_same_inputs():
    assert keys.execution_key(_snippet(), ENV, "abc") == keys.execution_key(
        _snippet(), dict(reversed(ENV.items())), "abc"
    )


def test_the_execution_key_changes_with_source_path_versions_and_execution_code():
    base = keys.execution_key(_snippet(), ENV, "abc")
    changed = [
        keys.execution_key(_snippet(SOURCE + "print(3)\n"), ENV, "abc"),
        keys.execution_key(_snippet(relpath="snippets/post/sigmoid/other.py"), ENV, "abc"),
        keys.execution_key(_snippet(), {**ENV, "torch": "2.14.0"}, "abc"),
        keys.execution_key(_snippet(), ENV, "abd"),
    ]
    assert base not in changed and len(set(changed)) == len(changed)


def test_rendering_code_changes_the_render_key_only():
    execution = keys.execution_key(_snippet(), ENV, "abc")
    assert keys.render_key(execution, "r1") != keys.render_key(execution, "r2")
    assert keys.render_key(execution, "r1") != keys.render_key(keys.execution_key(_snippet(), ENV, "abd"), "r1")


def test_a_stored_run_reads_back_and_a_damaged_one_is_ignored(tmp_path, monkeypatch):
    from sitebuild.results import CellResult, FigureOutput, SnippetResult

    monkeypatch.setattr(keys, "STORE", tmp_path)
    run = SnippetResult("snippets/p/s/n.py", [CellResult(1, "hi\n", [FigureOutput("alt", "<svg/>", "<svg/>")])], 1.5)
    keys.store("k1", run)
    assert keys.stored("k1") == run
    (tmp_path / "k2.json").write_text("{not json")
    assert keys.stored("k2") is None and keys.stored("absent") is None
    keys.prune({"k1"})
    assert [path.name for path in tmp_path.iterdir()] == ["k1.json"]


def _snippet(source: str = SOURCE, relpath: str = "snippets/post/sigmoid/values.py") -> Snippet:
    return Snippet(Path("/nowhere") / relpath, relpath, source, split_cells(source))
