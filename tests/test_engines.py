"""One site from either engine: `zensical build --strict` and `mkdocs build --strict` give every page the same content.

The page layer (scripts/sitepages/, Markdown extensions) does everything a page shows, and Zensical runs no MkDocs
plugin or hook, so this compares each page's main content (the <article>) as a reader meets it: its text, its
cited values, its MathML, its links (downloads, Colab, edit and source included) and figures resolved to the
site's paths, and its provenance line. Only the engines' own chrome (header, search, footer) may differ.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import urljoin

import pytest
from bs4 import BeautifulSoup
from conftest import ROOT, copy_project
from siteserve import build_site

SNIPPETS = ROOT / "snippets"


@pytest.fixture(scope="module")
def zensical_site(tmp_path_factory) -> Path:
    project = copy_project(tmp_path_factory.mktemp("zensical") / "project")
    return build_site(tmp_path_factory.mktemp("zensical-site"), engine="zensical", project=project)


def content(page: Path, site: Path) -> dict[str, list[str]]:
    """What a reader gets from the page's main content, with links resolved against the page's own URL."""
    article = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").select_one("article")
    if article is None:
        return {}
    url = "/" + page.parent.relative_to(site).as_posix() + "/"

    def resolve(target: str) -> str:
        return re.sub(r"/index\.html(?=$|#)", "/", urljoin(url, target))

    return {
        "text": [" ".join(article.get_text(" ").split())],
        "values": [f"{span['data-value']}={span.get_text()}" for span in article.select("span.value")],
        "math": [str(math) for math in article.find_all("math")],
        "links": [
            resolve(a["href"]) + (" download" if a.has_attr("download") else "") for a in article.select("a[href]")
        ],
        "figures": [resolve(img["src"]) for img in article.select("img[src]")]
        + [resolve(source["srcset"]) for source in article.select("picture source")],
        "provenance": [p.get_text() for p in article.select("p.provenance")],
    }


def differences(ours: dict, theirs: dict) -> list[str]:
    return [
        f"{kind}: {ours[kind]!r:.300} != {theirs.get(kind)!r:.300}" for kind in ours if ours[kind] != theirs.get(kind)
    ]


def pages(site: Path) -> list[Path]:
    return sorted(page for page in site.rglob("index.html") if page.parent != site / "search")


def test_both_engines_build_every_page_with_the_same_content(built_site, zensical_site):
    ours = pages(built_site)
    assert len(ours) > 20
    assert [p.relative_to(built_site) for p in ours] == [p.relative_to(zensical_site) for p in pages(zensical_site)]
    found = {}
    for page in ours:
        theirs = zensical_site / page.relative_to(built_site)
        found[page.relative_to(built_site).as_posix()] = differences(
            content(page, built_site), content(theirs, zensical_site)
        )
    assert {page: diff for page, diff in found.items() if diff} == {}


def test_the_pages_show_what_the_page_layer_adds_under_both_engines(built_site, zensical_site):
    """So that "the same" is not "the same and both empty": the features are on the pages."""
    for site in (built_site, zensical_site):
        relu = content(site / "activation-functions/relu/index.html", site)
        assert relu["values"] and relu["provenance"]
        assert content(site / "activation-functions/code/index.html", site)["figures"]
        assert any(link.endswith(".ipynb download") for link in relu["links"])
        assert any("colab.research.google.com/github/octo-org/" in link for link in relu["links"])
        assert content(site / "activation-functions/gelu/index.html", site)["math"]
        notebook = content(site / "activation-functions/code-notebook/index.html", site)
        assert any(
            link.endswith("/generated/activation-functions/code/steps.ipynb download") for link in notebook["links"]
        )
        assert "<picture>" in (site / "activation-functions/code-notebook/index.html").read_text()


@pytest.mark.parametrize("kind", ["text", "values", "math", "links", "figures", "provenance"])
def test_the_comparison_fails_when_a_page_loses_any_kind_of_content(built_site, kind, tmp_path):
    """Each kind, removed or changed in a copy of a real page, is reported."""
    page = built_site / "activation-functions/code/index.html"
    html = page.read_text(encoding="utf-8")
    soup = BeautifulSoup(html, "html.parser")
    article = soup.select_one("article")
    if kind == "text":
        article.find("p").append(" and one more word")
    elif kind == "values":
        article.select_one("span.value").string = "9"
    elif kind == "math":
        article.find("math").decompose()
    elif kind == "links":
        article.select_one("a[download]").attrs.pop("download")
    elif kind == "figures":
        article.select_one("picture source").decompose()
    else:
        article.select_one("p.provenance").decompose()
    changed = tmp_path / page.relative_to(built_site)
    changed.parent.mkdir(parents=True)
    changed.write_text(str(soup), encoding="utf-8")
    found = differences(content(page, built_site), content(changed, tmp_path))
    assert any(diff.startswith(f"{kind}:") for diff in found)


def snippet_code_lines() -> list[str]:
    """Distinctive lines of every snippet (long enough not to occur in prose by chance)."""
    lines = []
    for path in sorted(SNIPPETS.rglob("*.py")):
        lines += [line.strip() for line in path.read_text().splitlines() if len(line.strip()) > 50]
    return lines


def indexed_text(index: Path) -> str:
    data = json.loads(index.read_text(encoding="utf-8"))
    entries = data.get("docs") or data.get("items")
    assert entries, f"{index} has no entries"
    text = " ".join(f"{entry.get('title', '')} {entry.get('text', '')}" for entry in entries)
    return BeautifulSoup(text, "html.parser").get_text(" ")


@pytest.mark.parametrize("engine", ["mkdocs", "zensical"])
def test_neither_search_index_holds_snippet_code_or_solutions(built_site, zensical_site, engine):
    index = built_site / "search/search_index.json" if engine == "mkdocs" else zensical_site / "search.json"
    text = " ".join(indexed_text(index).split())
    code = [line for line in snippet_code_lines() if " ".join(line.split()) in text]
    assert code == [], f"{engine}'s search index holds snippet code"
    assert "Solution." not in text, f"{engine}'s search index holds an exercise's solution"
    assert "Zero-centring" in text  # the prose is indexed
