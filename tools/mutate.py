"""Mutation check: change every printed digit, one at a time, and count how many the checks catch.

Outputs: each digit in a generated cell's "Output" block (docs/generated/**/cell-*.md), checked as
`build.py --check` does: against the bytes one fresh run of the snippets renders, with the same
comparison. Pages: each digit on an expected-output line of a `pycon` block, checked by running the
page's examples (scripts/pages.py). Prose: each value a page cites, its first significant digit changed in the
snippet's values.json, must change the rendered text; each digit of a literal number in a page's rendered prose,
changed, must be caught by the prose-number test (scripts/prose.py). Everything happens in a temporary copy.

Usage: python tools/mutate.py [--every N] [--snippet POST/SECTION/NAME ...] [--page docs/PATH.md ...]
Exit status: 0 when every mutation is caught, 1 when one slips through, 2 when the copy is not clean to begin with.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUTPUT_BLOCK = re.compile(r'^(?P<ticks>`{3,})text title="Output"\n(?P<body>.*?)^(?P=ticks)$', re.M | re.S)


@dataclass
class Mutation:
    path: Path  # the file in the temporary copy
    offset: int  # of the digit in the file's text
    line: int

    def apply(self, text: str) -> str:
        digit = int(text[self.offset])
        return text[: self.offset] + str((digit + 1) % 10) + text[self.offset + 1 :]


def digits(path: Path, spans: Iterator[tuple[int, int]]) -> list[Mutation]:
    """One mutation per ASCII digit inside the given (start, end) spans of the file's text."""
    text = path.read_text(encoding="utf-8")
    return [
        Mutation(path, offset, text.count("\n", 0, offset) + 1)
        for start, end in spans
        for offset in range(start, end)
        if text[offset] in "0123456789"
    ]


def output_spans(text: str) -> Iterator[tuple[int, int]]:
    for match in OUTPUT_BLOCK.finditer(text):
        yield match.span("body")


def pycon_output_spans(text: str, fence: re.Pattern) -> Iterator[tuple[int, int]]:
    """Spans of the expected-output lines (not `>>>` or `...` lines) of every pycon block."""
    for match in fence.finditer(text):
        at = match.start("body")
        for line in match["body"].splitlines(keepends=True):
            if not line.lstrip().startswith((">>>", "...")):
                yield at, at + len(line)
            at += len(line)


def run(mutations: list[Mutation], caught: Callable[[Mutation], bool]) -> list[Mutation]:
    """Apply each mutation alone, ask `caught`, restore the file; return those that slipped through."""
    missed = []
    for mutation in mutations:
        original = mutation.path.read_text(encoding="utf-8")
        mutation.path.write_text(mutation.apply(original), encoding="utf-8")
        try:
            if not caught(mutation):
                missed.append(mutation)
        finally:
            mutation.path.write_text(original, encoding="utf-8")
    return missed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--every", type=int, default=1, help="try only every N-th mutation (default: all)")
    parser.add_argument(
        "--snippet", action="append", help="only this snippet's outputs, e.g. activation-functions/code/steps"
    )
    parser.add_argument("--page", action="append", help="only this page's pycon blocks, e.g. docs/index.md")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="mutate-") as scratch:
        copy = Path(scratch) / "project"
        for name in ("scripts", "snippets", "docs", "overrides"):
            shutil.copytree(ROOT / name, copy / name, ignore=shutil.ignore_patterns("__pycache__"))
        shutil.copy(ROOT / "mkdocs.yml", copy / "mkdocs.yml")
        (copy / "tests").mkdir()
        shutil.copy(ROOT / "tests/allowed-numbers.toml", copy / "tests")  # read by prose.py in the copy
        sys.path[:0] = [str(copy / "scripts")]  # the build from the copy, not the repo
        results = [check_outputs(copy, args), check_pages(copy, args), check_prose(copy, args)]
    if any(result is None for result in results):
        return 2
    total = sum(len(mutations) for mutations, _ in results)
    missed = [m for _, slipped in results for m in slipped]
    for mutation in missed:
        print(f"MISSED {mutation.path.relative_to(copy)}:{mutation.line}: a changed digit went unnoticed")
    print(f"mutation score: {total - len(missed)}/{total} caught")
    return 1 if missed else 0


def check_outputs(copy: Path, args) -> tuple[list[Mutation], list[Mutation]] | None:
    from sitebuild import pipeline
    from sitebuild.discover import GENERATED, find_snippets

    snippets = [s for s in find_snippets() if not args.snippet or s.slug in args.snippet]
    fresh: dict[str, bytes] = {}
    for outcome in pipeline.run_all(snippets, 300.0, 2):
        if outcome.error:
            print(f"cannot check outputs: {outcome.error}", file=sys.stderr)
            return None
        fresh.update(outcome.files)
    report = pipeline.BuildReport()
    pipeline.compare(fresh, report)
    if report.stale:
        print(f"outputs are stale before any mutation: {', '.join(report.stale)}", file=sys.stderr)
        return None

    def caught(mutation: Mutation) -> bool:
        relpath = mutation.path.relative_to(GENERATED).as_posix()
        report = pipeline.BuildReport()
        pipeline.compare({relpath: fresh[relpath]}, report)  # exactly what --check does with this file
        return bool(report.stale)

    cells = sorted(GENERATED / p for p in fresh if re.search(r"/cell-\d+\.md$", p))
    mutations = [m for cell in cells for m in digits(cell, output_spans(cell.read_text(encoding="utf-8")))]
    mutations = mutations[:: args.every]
    print(f"outputs: {len(mutations)} mutations in {len(cells)} cells", file=sys.stderr)
    return mutations, run(mutations, caught)


def check_pages(copy: Path, args) -> tuple[list[Mutation], list[Mutation]] | None:
    import pages

    docs = copy / "docs"
    chosen = [docs / Path(p).relative_to("docs") for p in args.page] if args.page else pages.pages(docs)
    mutations = []
    for page in chosen:
        if pages.run_examples(page, docs)[1]:
            print(f"cannot check {page.relative_to(copy)}: its examples fail before any mutation", file=sys.stderr)
            return None
        text = page.read_text(encoding="utf-8")
        mutations += digits(page, pycon_output_spans(text, pages.FENCE))
    mutations = mutations[:: args.every]
    print(f"pages: {len(mutations)} mutations in {len(chosen)} pages", file=sys.stderr)
    return mutations, run(mutations, lambda m: bool(pages.run_examples(m.path, docs)[1]))


def check_prose(copy: Path, args) -> tuple[list, list] | None:
    """Cited values must follow their snippet; literal numbers in prose must be caught when edited."""
    import subprocess

    import prose
    from sitepages.syntax import citations, load_values, post_of
    from siteserve import mkdocs_env

    site = copy / "site"
    command = [sys.executable, "-m", "mkdocs", "build", "-q", "--site-dir", str(site)]
    built = subprocess.run(command, cwd=copy, env=mkdocs_env(copy))  # the copy's own plugin
    if built.returncode:
        return None
    values = load_values(copy / "docs" / "generated")
    docs = copy / "docs"
    every_page = sorted(p for p in docs.rglob("*.md") if "generated" not in p.parts)
    chosen = [docs / Path(p).relative_to("docs") for p in args.page] if args.page else every_page
    tried, missed = [], []
    for page in chosen:
        relpath, markdown = page.relative_to(docs).as_posix(), page.read_text(encoding="utf-8")
        for match in citations(markdown):  # not a `{{` in code, nor an escaped one
            mutation = Mutation(page, match.start(), markdown.count("\n", 0, match.start()) + 1)
            tried.append(mutation)
            if _cited_text_survives(match["expr"].strip(), values, post_of(relpath)):
                missed.append(mutation)
        stem = relpath.removesuffix(".md")
        html = site / (f"{stem.removesuffix('index')}index.html" if stem.endswith("index") else f"{stem}/index.html")
        text = html.read_text(encoding="utf-8")
        if prose.unbound(relpath, text, markdown):
            continue  # a page with typed numbers fails already; tests/test_prose_numbers.py lists it
        for number in dict.fromkeys(prose.prose_numbers(text)):
            edited = str((int(number[-1]) + 1) % 10).join([number[:-1], ""])
            mutation = Mutation(page, 0, prose.source_line(markdown, number))
            tried.append(mutation)
            # the scanner's own pattern, so "7" in "Mistral 7B" is edited just as the scanner reads it
            mutated_html = prose.NUMBER.sub(lambda m, n=number, e=edited: e if m[0] == n else m[0], text)
            if not prose.unbound(relpath, mutated_html, markdown.replace(number, edited)):
                missed.append(mutation)
    print(f"prose: {len(tried)} mutations in {len(chosen)} pages", file=sys.stderr)
    return tried, missed


def _cited_text_survives(expr: str, values: dict, post: str | None) -> bool:
    """True when bumping the cited value's first significant digit leaves the rendered text unchanged."""
    from sitebuild.values import NAME, resolve, snippet_slug

    name = NAME.match(expr.split("|")[0].strip())
    slug = snippet_slug(name, values, post)
    original = resolve(expr, values, post=post)[1]
    bumped = json.loads(json.dumps(values[slug]))
    bumped[name["value"]] = _bump(bumped[name["value"]])
    return resolve(expr, {**values, slug: bumped}, post=post)[1] == original


def _bump(value):
    """The same structure with the first significant digit of every number raised by one."""
    if isinstance(value, bool) or not isinstance(value, (int, float, list, dict)):
        return value
    if isinstance(value, list):
        return [_bump(v) for v in value]
    if isinstance(value, dict):
        return {k: _bump(v) for k, v in value.items()}
    text = repr(value)
    at = next(i for i, c in enumerate(text) if c in "123456789") if any(c in "123456789" for c in text) else None
    if at is None:
        return value + 1
    return type(value)(text[:at] + str((int(text[at]) + 1) % 10) + text[at + 1 :])


if __name__ == "__main__":
    sys.exit(main())
