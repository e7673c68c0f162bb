"""The page passes of the MkDocs build, run over a site that Zensical built.

Zensical reads mkdocs.yml and runs its Markdown extensions (the citations' too), but no MkDocs hook or plugin.
This gives its pages what the hooks and the site plugin give them after Markdown: formulas as MathML, tables in
Material's scrolling wrapper, wide figures as a <picture> with their phone variant. See CONTRIBUTING.md, "Zensical":

    .venv/bin/python scripts/build.py && .venv/bin/zensical build && .venv/bin/python scripts/postbuild.py site
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import figure_hook
import tables_hook
from mkdocs.exceptions import PluginError
from siteplugin.mathml import FormulaError, MathML


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path, help="the folder zensical build wrote (site/)")
    site = parser.parse_args().site
    pages = sorted(site.rglob("*.html"))
    if not pages:
        print(f"{site}: no HTML pages; run `zensical build` first", file=sys.stderr)
        return 2
    math, changed = MathML(), 0
    for page in pages:
        where = page.relative_to(site).as_posix()
        text = page.read_text(encoding="utf-8")
        try:
            done = math.page(figure_hook.pictures(tables_hook.wrap(text), where), where)
        except (FormulaError, PluginError) as exc:
            print(f"{site}/{exc}", file=sys.stderr)
            return 1
        if done != text:
            page.write_text(done, encoding="utf-8")
            changed += 1
    math.save()
    print(f"{changed} of {len(pages)} pages given MathML, table wrappers and phone figures", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
