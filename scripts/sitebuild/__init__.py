"""The build that turns snippets/ into docs/generated/.

One module per job: discover (find and hash snippets), execute (run one
snippet in a child process), capture (what it prints: capped, valid UTF-8),
randomness (catch unseeded generators), figures (capture matplotlib figures
as SVG), render (cell results -> Markdown, SVG and notebook bytes), outputs
(atomic writes, manifest, lock) and pipeline (the steps in order, shared by
the CLI and the MkDocs hook).
"""
