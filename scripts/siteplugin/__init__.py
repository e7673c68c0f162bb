"""The MkDocs plugin `site` (plugin.py), installed by `make setup` from pyproject.toml's entry point.

plugin.py handles MkDocs' events; session.py is one build (plan, snippets' run, failures, values); worker.py is
the process that runs an edit's snippets beside MkDocs; notebooks.py makes a nav notebook a page; repository.py
holds the repository's address and the links into it.
"""
