"""Find the `pycon` examples a page shows (its own and those it includes) and run them.

Includes are expanded by pymdownx.snippets itself, configured as in mkdocs.yml,
so the examples tested are exactly the ones the site renders.
"""

from __future__ import annotations

import doctest
import random
import re
from dataclasses import dataclass
from pathlib import Path

import markdown
from mkdocs.utils.yaml import yaml_load  # reads mkdocs.yml's !ENV tags as MkDocs does

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
FENCE = re.compile(
    r"^(?P<indent>[ \t]*)(?P<ticks>`{3,})pycon[^\n]*\n(?P<body>.*?)^(?P=indent)(?P=ticks)[ \t]*$", re.M | re.S
)
INCLUDE_LINE = re.compile(r'^\s*-+8<-+\s+"(?P<path>[^"]+)"', re.M)


@dataclass
class Example:
    source: Path  # the file the block is written in
    line: int  # 1-based line of the block's first `>>>` in that file
    text: str


def pages(docs: Path = DOCS) -> list[Path]:
    return sorted(p for p in docs.rglob("*.md") if "generated" not in p.relative_to(docs).parts)


def snippets_config() -> dict:
    config = yaml_load((ROOT / "mkdocs.yml").read_text())
    for entry in config["markdown_extensions"]:
        if isinstance(entry, dict) and "pymdownx.snippets" in entry:
            return dict(entry["pymdownx.snippets"])
    raise AssertionError("mkdocs.yml does not configure pymdownx.snippets")


def expand(page: Path, docs: Path = DOCS) -> str:
    """The page's Markdown with every `--8<--` include resolved, as MkDocs will see it."""
    config = snippets_config()
    config["base_path"] = [str(docs)]
    md = markdown.Markdown(extensions=["pymdownx.snippets"], extension_configs={"pymdownx.snippets": config})
    return "\n".join(md.preprocessors["snippet"].run(page.read_text(encoding="utf-8").split("\n")))


def examples(page: Path, docs: Path = DOCS) -> list[Example]:
    """Every pycon block the rendered page shows, located in the file that holds it."""
    candidates = [page] + [docs / m["path"] for m in INCLUDE_LINE.finditer(page.read_text(encoding="utf-8"))]
    found = []
    for match in FENCE.finditer(expand(page, docs)):
        body = "\n".join(line[len(match["indent"]) :] for line in match["body"].splitlines())
        found.append(Example(*_locate(match["body"], candidates), body))
    return found


def _locate(body: str, candidates: list[Path]) -> tuple[Path, int]:
    for path in candidates:
        text = path.read_text(encoding="utf-8") if path.is_file() else ""
        at = text.find(body)
        if at >= 0:
            return path, text.count("\n", 0, at) + 1
    return candidates[0], 1


def run_examples(page: Path, docs: Path = DOCS) -> tuple[int, list[str]]:
    """Run a page's examples in one fresh namespace; return (count, failure reports)."""
    import torch

    torch.manual_seed(0)
    random.seed(0)
    torch.set_printoptions(profile="default")
    namespace: dict = {"__name__": "__page__"}
    parser = doctest.DocTestParser()
    runner = doctest.DocTestRunner(optionflags=doctest.NORMALIZE_WHITESPACE)
    reports: list[str] = []
    count = 0
    for example in examples(page, docs):
        name = example.source.relative_to(docs.parent).as_posix()
        test = parser.get_doctest(example.text, namespace, name, name, example.line - 1)
        count += len(test.examples)
        runner.run(test, out=reports.append, clear_globs=False)
    torch.set_printoptions(profile="default")
    return count, reports
