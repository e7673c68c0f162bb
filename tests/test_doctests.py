"""Every `pycon` example on every page prints exactly what the page says."""

from __future__ import annotations

import re
import shutil

import pytest
from pages import DOCS, examples, pages, run_examples

PAGES_WITH_EXAMPLES = [p for p in pages() if examples(p)]


def test_the_site_has_examples_to_check():
    assert len(PAGES_WITH_EXAMPLES) >= 1


@pytest.mark.parametrize("page", PAGES_WITH_EXAMPLES, ids=lambda p: p.relative_to(DOCS).as_posix())
def test_page_examples_print_what_the_page_shows(page):
    count, failures = run_examples(page)
    assert count > 0
    assert not failures, "\n".join(failures)


def _change_one_output_digit(text: str) -> str | None:
    """Change the first digit of an expected-output line (not a `>>>` line) in a pycon block."""
    lines = text.splitlines(keepends=True)
    inside = False
    for i, line in enumerate(lines):
        if line.lstrip().startswith("```pycon"):
            inside = True
        elif line.lstrip().startswith("```"):
            inside = False
        elif inside and not line.lstrip().startswith((">>>", "...")) and re.search(r"\d", line):
            digit = re.search(r"\d", line)
            changed = str((int(digit.group()) + 1) % 10)
            lines[i] = line[: digit.start()] + changed + line[digit.end() :]
            return "".join(lines)
    return None


def test_a_changed_digit_in_a_page_example_fails_naming_the_page(tmp_path):
    page = next(p for p in PAGES_WITH_EXAMPLES if _change_one_output_digit(p.read_text()))
    docs = tmp_path / "docs"
    shutil.copytree(DOCS, docs)
    copy = docs / page.relative_to(DOCS)
    copy.write_text(_change_one_output_digit(copy.read_text()))
    count, failures = run_examples(copy, docs)
    assert failures, "a wrong digit went unnoticed"
    assert f"docs/{page.relative_to(DOCS).as_posix()}" in failures[0]


def test_examples_pulled_in_with_an_include_are_run(tmp_path):
    docs = tmp_path / "docs"
    (docs / "parts").mkdir(parents=True)
    (docs / "parts" / "shared.md").write_text("```pycon\n>>> 6 * 7\n41\n```\n")
    (docs / "page.md").write_text('# A page\n\n--8<-- "parts/shared.md"\n')
    count, failures = run_examples(docs / "page.md", docs)
    assert count == 1
    assert "docs/parts/shared.md" in failures[0]
    assert "line 2" in failures[0]
