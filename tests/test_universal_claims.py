"""Universal claims are tested or allowed: every never, always, stays, none, only, every, no longer and same in a page's
prose is listed in tests/universal-claims.toml with the test that holds it, or with the reason it needs none.

As tests/allowed-numbers.toml does for numbers. An entry names its page, the word and a short phrase of the sentence
(so moving lines breaks nothing); a sentence no entry covers fails, and so does an entry whose phrase is gone.
"""

from __future__ import annotations

import ast
import re
import tomllib
from dataclasses import dataclass

import pytest
from conftest import ROOT
from sitepages.bibliography import CITATION
from sitepages.syntax import prose_ranges

DOCS = ROOT / "docs"
CLAIMS_FILE = ROOT / "tests" / "universal-claims.toml"
PAGES = sorted(p.relative_to(DOCS).as_posix() for p in DOCS.rglob("*.md") if "generated" not in p.parts)
WORD = re.compile(r"\b(never|always|stays|none|only|every|no longer|same)\b", re.IGNORECASE)
# Blanked before reading: maths, cited values, citations, link targets, HTML tags and included files.
NOT_PROSE = [
    re.compile(r"\$\$.*?\$\$|\$[^$\n]+\$", re.S),
    re.compile(r"\{\{.*?\}\}"),
    CITATION,
    re.compile(r"\]\([^)\s]*\)"),
    re.compile(r"<[^>\n]+>"),
    re.compile(r"^\s*--8<--.*$", re.M),
]
SENTENCE_END = re.compile(r"(?<=[.!?:;])\s+(?=[A-Z(*\[\"'`])|\n\s*\n|\n\s*(?=[-*] |\d+\. |#|\?\?\?|!!!|\|)")


@dataclass(frozen=True)
class Claim:
    page: str
    line: int
    word: str
    sentence: str


def _blank(match: re.Match) -> str:
    return re.sub(r"[^\n]", " ", match[0])


def prose(markdown: str) -> str:
    """The page with everything but its prose blanked out, offsets (and so lines) kept."""
    kept = [c if c == "\n" else " " for c in markdown]
    for start, end in prose_ranges(markdown):
        kept[start:end] = markdown[start:end]
    text = "".join(kept)
    for pattern in NOT_PROSE:
        text = pattern.sub(_blank, text)
    return text


def normal(text: str) -> str:
    return " ".join(re.sub(r"[*_`\[\]]", "", text).split()).lower()


def claims(page: str, markdown: str) -> list[Claim]:
    """Each (sentence, universal word) of the page, with the line the word is on."""
    text, found, start = prose(markdown), [], 0
    for end in [m.start() for m in SENTENCE_END.finditer(text)] + [len(text)]:
        sentence = text[start:end]
        words = {}
        for match in WORD.finditer(sentence):
            words.setdefault(match[1].lower(), start + match.start())
        for word, at in words.items():
            found.append(Claim(page, text.count("\n", 0, at) + 1, word, normal(sentence)))
        start = end
    return found


def entries() -> dict[str, list[dict]]:
    return tomllib.loads(CLAIMS_FILE.read_text(encoding="utf-8"))


def covers(entry: dict, claim: Claim) -> bool:
    return entry["word"] == claim.word and normal(entry["phrase"]) in claim.sentence


def uncovered(found: list[Claim], listed: list[dict]) -> list[str]:
    return [
        f"docs/{c.page}:{c.line}: {c.word!r} makes a universal claim no entry covers: {c.sentence[:160]!r}; hold it "
        'with a test and list it in tests/universal-claims.toml (test = "tests/x.py::test_y"), reword it to what was '
        'measured, or allow it with a reason (why = "definition")'
        for c in found
        if not any(covers(entry, c) for entry in listed)
    ]


def stale(page: str, found: list[Claim], listed: list[dict]) -> list[str]:
    return [
        f"tests/universal-claims.toml: {page}: no sentence says {entry['word']!r} with {entry['phrase']!r} any more; "
        "remove the entry, or update its phrase"
        for entry in listed
        if not any(covers(entry, c) for c in found)
    ]


def names_of_tests(path: str) -> set[str]:
    tree = ast.parse((ROOT / path).read_text(encoding="utf-8"))
    return {node.name for node in ast.walk(tree) if isinstance(node, ast.FunctionDef) and node.name.startswith("test")}


def unknown_tests(listed: list[dict]) -> list[str]:
    problems = []
    for entry in listed:
        kinds = [kind for kind in ("test", "why", "open") if kind in entry]
        if len(kinds) != 1:
            problems.append(f"{entry['phrase']!r}: give exactly one of test, why or open (it has {kinds or 'none'})")
        elif "test" in entry:
            path, _, name = entry["test"].partition("::")
            if not (ROOT / path).is_file() or name.split("[")[0] not in names_of_tests(path):
                problems.append(f"{entry['phrase']!r}: {entry['test']} names no test in tests/")
    return problems


@pytest.mark.parametrize("page", PAGES)
def test_every_universal_claim_is_tested_or_allowed(page):
    listed = entries().get(page, [])
    found = claims(page, (DOCS / page).read_text(encoding="utf-8"))
    assert uncovered(found, listed) + stale(page, found, listed) + unknown_tests(listed) == []


def test_no_universal_claim_is_left_open():
    # An `open` entry is a claim read and found untested: listed so the scan passes, but still a failure here.
    still_open = [
        f"docs/{page}: {e['word']!r} in {e['phrase']!r}: {e['open']}"
        for page, es in entries().items()
        for e in es
        if "open" in e
    ]
    assert still_open == []


def test_every_page_in_the_claims_file_exists():
    assert sorted(set(entries()) - set(PAGES)) == []


PLANTED = (
    "# Page\n\nReLU is cheap. Its units never recover once dead.\n\n```python\nx.never()  # code: not prose\n```\n"
)


def test_a_new_universal_sentence_without_an_entry_fails():
    found = claims("activation-functions/relu.md", PLANTED)
    assert [(c.line, c.word) for c in found] == [(3, "never")]
    assert uncovered(found, []) == [
        "docs/activation-functions/relu.md:3: 'never' makes a universal claim no entry covers: 'its units never "
        "recover once dead.'; hold it with a test and list it in tests/universal-claims.toml (test = "
        '"tests/x.py::test_y"), reword it to what was measured, or allow it with a reason (why = "definition")'
    ]
    assert uncovered(found, [{"word": "never", "phrase": "units never recover", "why": "planted"}]) == []


def test_an_entry_whose_phrase_is_gone_fails():
    listed = [{"word": "always", "phrase": "units always recover", "why": "planted"}]
    assert stale("activation-functions/relu.md", claims("activation-functions/relu.md", PLANTED), listed) == [
        "tests/universal-claims.toml: activation-functions/relu.md: no sentence says 'always' with "
        "'units always recover' any more; remove the entry, or update its phrase"
    ]


def test_an_entry_naming_a_missing_test_fails():
    listed = [{"word": "never", "phrase": "p", "test": "tests/test_teaching_claims.py::test_nothing_like_this"}]
    assert unknown_tests(listed) == [
        "'p': tests/test_teaching_claims.py::test_nothing_like_this names no test in tests/"
    ]


def test_words_in_code_maths_and_citations_are_not_claims():
    page = (
        "Fine `x.only()` and $\\text{same}$ and {{ a.b.every }}.\n\n!!! note\n\n    ```pycon\n    >>> always\n    ```\n"
    )
    assert claims("p.md", page) == []
