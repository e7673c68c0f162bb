"""Published values: snippets publish named values with `publish=`, pages cite them with `{{ ... }}`.

The build half runs the real CLI on a temporary project; the page half runs the citation code on text.
"""

from __future__ import annotations

import json

import pytest
from conftest import run_build
from sitebuild.cite import CiteError, cite_all, resolve

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
    (project / "snippets" / "demo").mkdir(parents=True)
    (project / "snippets/demo/good.py").write_text(GOOD)
    for name, (body, _) in BAD.items():
        (project / f"snippets/demo/{name}.py").write_text(f"# bad: {name}\n" + body)
    result = run_build(project)
    assert result.returncode == 1
    values = json.loads((project / "docs/generated/demo/good/values.json").read_text())
    assert values == {"gap": 0.00047324, "where": 2.6989, "table": {"1.5": [0.25, -0.5], "note": "text"}}
    assert "![A gap of 4.7×10⁻⁴ at x = 2.7]" in (project / "docs/generated/demo/good/cell-2.md").read_text()
    manifest = json.loads((project / "docs/generated/manifest.json").read_text())
    assert "demo/good/values.json" in manifest["snippets"]["snippets/demo/good.py"]["outputs"]
    for name, (_, message) in BAD.items():
        line, rest = message.split(": ", 1)
        assert f"snippets/demo/{name}.py:{int(line[1:]) + 1}: {rest}" in result.stderr, (name, result.stderr)
    assert run_build(project, "--check").returncode == 1  # the bad ones still fail
    edited = json.dumps(values | {"gap": 0.0005}, indent=2, sort_keys=True) + "\n"
    (project / "docs/generated/demo/good/values.json").write_text(edited)
    for name in BAD:
        (project / f"snippets/demo/{name}.py").unlink()
    check = run_build(project, "--check")
    assert check.returncode == 1 and '-  "gap": 0.0005,' in check.stdout + check.stderr


VALUES = {"gelu/exact_vs_tanh": {"max_gap": 0.00047324, "at": 2.6989, "n": -3, "d": {"1.5": 0.25}, "xs": [1.0, 2.5]}}


@pytest.mark.parametrize(
    ("expr", "text"),
    [
        ("gelu.exact_vs_tanh.max_gap | sci(1)", "4.7×10⁻⁴"),
        ('gelu.exact_vs_tanh.max_gap | fmt(".2e")', "4.73e−04"),
        ('gelu.exact_vs_tanh.at | fmt(".1f")', "2.7"),
        ("gelu.exact_vs_tanh.n", "−3"),
        ("gelu.exact_vs_tanh.n | abs", "3"),
        ('gelu.exact_vs_tanh.d[1.5] | fmt(".0%")', "25%"),
        ('gelu.exact_vs_tanh.xs[1] | fmt(".1f")', "2.5"),
    ],
)
def test_a_citation_renders_the_value_as_the_page_asks(expr, text):
    assert resolve(expr, VALUES) == (expr.split("|")[0].strip(), text)


@pytest.mark.parametrize(
    ("expr", "message"),
    [
        ("gelu.exact_vs_tanh.max_gapp | sci(1)", "publishes no 'max_gapp' (it publishes: at, d, max_gap, n, xs)"),
        ("relu.dead_unit.x", "snippets/relu/dead_unit.py publishes no values"),
        ('gelu.exact_vs_tanh.max_gap | fmt(".1q")', "bad format"),
        ("gelu.exact_vs_tanh.max_gap | round(2)", "unknown filter"),
        ("gelu.exact_vs_tanh.max_gap", "is a float; give a format"),
        ("gelu.exact_vs_tanh.xs[5]", "no item [5]"),
        ("max_gap", "is not a value name"),
    ],
)
def test_a_bad_citation_fails_naming_page_and_line(expr, message):
    page = "Intro.\n\nThe gap is {{ " + expr + " }} here.\n"
    with pytest.raises(CiteError) as caught:
        cite_all(page, "docs/x/page.md", VALUES)
    assert str(caught.value).startswith("docs/x/page.md:3: Error: ") and message in str(caught.value)


def test_a_cited_value_is_marked_so_the_prose_test_can_tell_it_from_a_typed_number():
    html = cite_all("Gap {{ gelu.exact_vs_tanh.max_gap | sci(2) }}.", "p.md", VALUES)
    assert html == 'Gap <span class="value" data-value="gelu.exact_vs_tanh.max_gap">4.73×10⁻⁴</span>.'
