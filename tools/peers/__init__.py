"""Side-by-side benchmark of this project's build against its peers (issue 17).

env (a separate venv with the peers), sites (each peer's copy of the site),
measure (timings, memory, serve reload), failures (a snippet that raises), report.
"""
