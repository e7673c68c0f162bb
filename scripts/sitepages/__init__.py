"""The page layer: Python-Markdown extensions that any engine runs (MkDocs, ProperDocs, Zensical).

Everything a page shows beyond plain Markdown is done here, at Markdown time, from the files the execution core
wrote under docs/generated/: citations of published values, the bibliography, run-it and provenance lines, search
exclusion, formulas as MathML, table wrappers and phone figures. No engine plugin changes a page.
"""
