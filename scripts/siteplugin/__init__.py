"""The MkDocs plugin `site` (plugin.py), installed by `make setup` from pyproject.toml's entry point: an adapter.

plugin.py handles MkDocs' events; session.py is one build (plan, snippets' run, failures, values), which runs an
edit's snippets in sitebuild.worker's process beside MkDocs. What pages show is the page layer's (sitepages/).
"""
