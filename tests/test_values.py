"""Published values: snippets publish named values with `publish=`, run by the real CLI on a temporary project.

How pages cite them (`{{ ... }}`) is tested in process, in tests/unit/test_cite.py.
"""

from __future__ import annotations

import json

from conftest import run_build

GOOD = """# publishes values
import matplotlib.pyplot as plt
import torch

# %% Step 1: values publish=["gap", "where", "table"]
gap = torch.tensor(0.00047324, dtype=torch.float64).max()
where = 2.6989
table = {"1.5": [0.25, -0.5], "note": "text"}
print("gap", round(gap.item(), 6))

# %% Step 2: a figure alt="A gap of {{ gap | sci(1) }} at x = {{ where | fmt('.1f') }}"
fig, ax = plt.subplots()
ax.plot([0, 1], [0, 1])
plt.show()
"""

BAD = {
    "object": ('# %% Step 1 publish=["thing"]\nthing = object()\n', ":1: PublishError: thing is a object"),
    "missing": ('# %% Step 1 publish=["nope"]\nx = 1\n', ":1: PublishError: publish= names 'nope'"),
    "malformed": ('# %% Step 1 publish=["x"\nx = 1\n', ":1: Error: cell metadata"),
    "nan": ('# %% Step 1 publish=["x"]\nx = float("nan")\n', ":1: PublishError: x is nan"),
    "alt_unknown": (
        '# %% Step 1 alt="{{ y | sci(1) }}"\nimport matplotlib.pyplot as plt\nfig, ax = plt.subplots()\nplt.show()\n',
        ":1: PublishError: alt= text: 'y' is not published by this cell or an earlier one",
    ),
}


def test_a_snippet_publishes_values_json_and_alt_text_cites_them(tmp_path, mini_project):
    project = mini_project()
    (project / "snippets" / "post" / "demo").mkdir(parents=True)
    (project / "snippets/post/demo/good.py").write_text(GOOD)
    for name, (body, _) in BAD.items():
        (project / f"snippets/post/demo/{name}.py").write_text(f"# bad: {name}\n" + body)
    result = run_build(project)
    assert result.returncode == 1
    values = json.loads((project / "docs/generated/post/demo/good/values.json").read_text())
    assert values == {"gap": 0.00047324, "where": 2.6989, "table": {"1.5": [0.25, -0.5], "note": "text"}}
    assert "![A gap of 4.7×10⁻⁴ at x = 2.7]" in (project / "docs/generated/post/demo/good/cell-2.md").read_text()
    manifest = json.loads((project / "docs/generated/manifest.json").read_text())
    assert "post/demo/good/values.json" in manifest["snippets"]["snippets/post/demo/good.py"]["outputs"]
    for name, (_, message) in BAD.items():
        line, rest = message.split(": ", 1)
        assert f"snippets/post/demo/{name}.py:{int(line[1:]) + 1}: {rest}" in result.stderr, (name, result.stderr)
    assert run_build(project, "--check").returncode == 1  # the bad ones still fail
    edited = json.dumps(values | {"gap": 0.0005}, indent=2, sort_keys=True) + "\n"
    (project / "docs/generated/post/demo/good/values.json").write_text(edited)
    for name in BAD:
        (project / f"snippets/post/demo/{name}.py").unlink()
    check = run_build(project, "--check")
    assert check.returncode == 1 and '-  "gap": 0.0005,' in check.stdout + check.stderr
