"""The execution core: the build that turns snippets/ into docs/generated/. No MkDocs and no page syntax here.

Running snippets: discover (find, name-check and hash snippets), headers (cell headers: titles, publish=, alt=),
execute (run one snippet in a child process), capture (what it prints: capped, valid UTF-8), randomness (catch
unseeded generators), numerics (the pinned numeric environment), messages (errors at file:line), results,
values (a published value read by name, for alt= texts).
Writing outputs: figures (matplotlib figures as SVG), stacking (phone variants), render (cell results ->
Markdown, SVG, notebook and script bytes), downloads (the notebook's pin cell), outputs (atomic writes,
manifest, lock), compare and tolerance (`--check`), pipeline (the steps in order, for the CLI and the plugin).
Pages are read by the page layer, sitepages/.
"""
