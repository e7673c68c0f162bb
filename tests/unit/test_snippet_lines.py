"""sitepages.snippets: the lines a page shows around its snippets' outputs, rendered by a real Python-Markdown."""

from __future__ import annotations

import json

import markdown
import pytest
from sitebuild.keys import PINNED

ENV = {"python": "3.11.7", "torch": "2.13.0", "numpy": "2.4.6", "matplotlib": "3.11.2", "nbformat": "5.11.1"}
ENV |= {"platform": "Linux x86_64", "numerics": "AVX2 kernels"}
INCLUDE = '--8<-- "generated/post/gelu/gap/cell-{}.md"'


@pytest.fixture
def generated(tmp_path):
    """A generated folder with one snippet's outputs and a manifest."""
    folder = tmp_path / "generated"
    (folder / "post" / "gelu" / "gap").mkdir(parents=True)
    for name in ("gap.ipynb", "gap.py"):
        (folder / "post" / "gelu" / name).write_text("x")
    for cell in (1, 2):
        (folder / "post" / "gelu" / "gap" / f"cell-{cell}.md").write_text(
            f'```python title="snippets/x"\nc{cell}\n```\n'
        )
    (folder / "manifest.json").write_text(json.dumps({"environment": ENV}))
    return folder


def render(generated, text: str, repo_url: str = "") -> str:
    configs = {
        "sitepages.snippets": {"generated": str(generated), "repo_url": repo_url},
        "pymdownx.snippets": {"base_path": [str(generated.parent)]},
    }
    extensions = ["attr_list", "admonition", "pymdownx.superfences", "pymdownx.snippets", "sitepages.snippets"]
    return markdown.Markdown(extensions=extensions, extension_configs=configs).convert(text)


def test_the_run_it_line_goes_above_each_snippets_first_include_only(generated):
    html = render(generated, f"{INCLUDE.format(1)}\n\n{INCLUDE.format(2)}\n")
    assert html.count('class="run-it"') == 1 and html.index("run-it") < html.index("c1")
    assert 'href="../generated/post/gelu/gap.ipynb"' in html and 'href="../generated/post/gelu/gap.py"' in html
    assert "Colab" not in html  # no repository named: no link into one


def test_colab_links_the_repository_and_branch_when_the_site_names_them(generated):
    html = render(generated, INCLUDE.format(1), repo_url="https://github.com/octo/act")
    assert "https://colab.research.google.com/github/octo/act/blob/main/docs/generated/post/gelu/gap.ipynb" in html


def test_no_run_it_line_for_a_snippet_without_outputs_yet(generated):
    (generated / "post" / "gelu" / "gap.ipynb").unlink()
    assert "run-it" not in render(generated, INCLUDE.format(1))


def test_a_failed_snippet_gets_a_notice_above_its_last_good_output_at_the_same_indent(generated):
    (generated / "post" / "gelu" / "gap.failed.txt").write_text("snippets/post/gelu/gap.py:4: ValueError: bad\n")
    html = render(generated, f"!!! note\n\n    {INCLUDE.format(1)}\n")
    notice = html.index("snippets/post/gelu/gap.py failed: the output below is out of date")
    assert notice < html.index("snippets/post/gelu/gap.py:4: ValueError: bad") < html.index("c1")
    assert html.index('<div class="admonition note">') < notice  # inside the note, where the include was


def test_the_provenance_line_names_every_pinned_version_and_links_the_numeric_environment(generated):
    html = render(generated, INCLUDE.format(1))
    for name in ("python", *PINNED):
        assert f"{name} {ENV[name]}" in html
    assert 'class="provenance"' in html and 'href="../reproducibility.md#the-numeric-environment"' in html


def test_no_manifest_means_no_provenance_line_and_a_page_without_outputs_gets_none(generated):
    assert "provenance" not in render(generated, "Just prose.")
    (generated / "manifest.json").unlink()
    assert "provenance" not in render(generated, INCLUDE.format(1))


def test_the_snippets_code_and_output_and_the_run_it_line_are_out_of_search(generated):
    (generated / "post" / "gelu" / "gap" / "cell-1.md").write_text(
        '```python title="snippets/post/gelu/gap.py"\nx = 1\n```\n\n```text title="Output"\n1\n```\n'
    )
    html = markdown.Markdown(
        extensions=[
            "attr_list",
            "pymdownx.superfences",
            "pymdownx.snippets",
            "pymdownx.highlight",
            "sitepages.snippets",
        ],
        extension_configs={
            "sitepages.snippets": {"generated": str(generated)},
            "pymdownx.snippets": {"base_path": [str(generated.parent)]},
            "pymdownx.highlight": {"pygments_lang_class": True},  # as mkdocs.yml sets it
        },
    ).convert(INCLUDE.format(1) + "\n\n```python\nhand = 'written'\n```\n")
    assert html.count("data-search-exclude") == 3  # the run-it line, the code, the output; not the hand-written block


def test_a_notebook_page_body_gets_the_run_it_line_too(generated):
    (generated / "post" / "gelu" / "gap" / "notebook.md").write_text(INCLUDE.format(1) + "\n")
    html = render(generated, '# Notebook\n\n--8<-- "generated/post/gelu/gap/notebook.md"\n')
    assert html.count('class="run-it"') == 1 and "c1" in html
