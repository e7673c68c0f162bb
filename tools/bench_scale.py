"""How the build's costs grow with the series: this post copied into 1, 5 and 20 posts, each in a temporary copy.

For each size and engine (tools/engines.py: mkdocs, properdocs, zensical), in the same copy, each engine starting
from no outputs and no caches: the cold build (MkDocs and ProperDocs: the plugin runs the snippets; Zensical:
`scripts/build.py` then `zensical build --clean`), a no-change build, one edited snippet then a build, the reload
of the engine's server after that edit (`mkdocs serve`, `properdocs serve`, `scripts/watch.py` with `zensical
serve`; and `serve --dirty`, which rebuilds only the pages that changed or need the edited snippet, where the engine
has it), and the peak memory of the largest process. Zensical's builds include `scripts/build.py`'s check, as
`make build ENGINE=zensical` does. "ours" is the snippets' build alone (`scripts/build.py`): planning, running,
writing, the same under every engine; the rest of a build is the engine reading and rendering the pages. Each
engine works in a copy of its own and the engines take turns at every step; repeated steps keep their medians. All
figures come from this one run: compare the ratios, not the seconds.
Usage: python tools/bench_scale.py [--sizes 1,5,20] [--engines mkdocs,properdocs,zensical] [--rounds 3] [--json FILE]
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import sys
import tempfile
from pathlib import Path

from bench import copy_project
from engines import EDITED, ENGINES, MARKER, author_loops, engine, reload_seconds, run

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
POST = "activation-functions"
NAV_START = "  - 1.2 Activation functions:\n"
NAV_END = "  - Reproducibility:"
# The growth targets from 1 post to the largest size, by column.
TARGETS = {
    "no-change s": 2.0,
    "ours no-change s": 2.0,
    "one edit s": 1.5,
    "ours one edit s": 1.5,
    "cold peak MB": 1.5,
    "no-change peak MB": 1.5,
}


def add_post(project: Path, number: int) -> str:
    """Copy this post's snippets, pages and nav under a new name; returns the name."""
    name = f"{POST}-{number}"
    shutil.copytree(project / "snippets" / POST, project / "snippets" / name)
    (project / "docs" / name).mkdir()
    for page in (project / "docs" / POST).glob("*.md"):
        text = page.read_text(encoding="utf-8").replace(f'"generated/{POST}/', f'"generated/{name}/')
        (project / "docs" / name / page.name).write_text(text, encoding="utf-8")
    config = (project / "mkdocs.yml").read_text(encoding="utf-8")
    start = config.index(NAV_START)
    block = config[start : config.index("\n  - ", start + len(NAV_START)) + 1]  # up to the next top-level entry
    copy = block.replace("1.2 Activation functions:", f"1.2 Activation functions, copy {number}:")
    copy = re.sub(rf"(?<=[ :])(generated/)?{POST}/", lambda m: f"{m[1] or ''}{name}/", copy)
    (project / "mkdocs.yml").write_text(config.replace(NAV_END, copy + NAV_END, 1), encoding="utf-8")
    return name


def make_series(into: Path, posts: int) -> Path:
    """A copy of the project with `posts` posts and no outputs or caches: a cold start."""
    project = copy_project(into)
    for number in range(2, posts + 1):
        add_post(project, number)
    nav = (project / "mkdocs.yml").read_text(encoding="utf-8").count("  - 1.2 Activation functions")
    assert nav == posts, f"the nav has {nav} posts, not {posts}"
    shutil.rmtree(project / "docs" / "generated")
    return project


def measure(posts: int, engines: tuple[str, ...] = ENGINES, rounds: int = 3) -> list[dict]:
    """One row per engine, each engine in its own copy of the project with `posts` posts, taking turns."""
    with tempfile.TemporaryDirectory(prefix=f"bench-scale-{posts}-") as folder:
        projects = {name: make_series(Path(folder) / name, posts) for name in engines}
        project = projects[engines[0]]
        size = {  # counted before any build writes docs/generated/'s fragments
            "posts": posts,
            "snippets": sum(1 for _ in (project / "snippets").rglob("*.py")),
            "pages": sum(1 for _ in (project / "docs").rglob("*.md")),
        }
        rows = author_loops(projects, rounds)
        # The snippets' build alone is the same under every engine: measured once, in the first copy.
        build = [PYTHON, "scripts/build.py", "--jobs", "2"]
        ours_no_change, _, _ = run(build, project)
        edited = project / EDITED
        text = edited.read_text()
        edited.write_text(text.replace(MARKER, MARKER + 'print("edited again")\n'))
        ours_one_edit, _, _ = run(build, project)
        edited.write_text(text)
        run(build, project)
        for row in rows:
            dirty = engine(row["engine"]).dirty_serve
            row.update(
                size,
                **{"ours no-change s": ours_no_change, "ours one edit s": ours_one_edit},
                **{"dirty reload s": reload_seconds(projects[row["engine"]], dirty, rounds) if dirty else None},
            )
            print(json.dumps(row), file=sys.stderr, flush=True)
    return rows


COLUMNS = [
    "cold s",
    "no-change s",
    "ours no-change s",
    "one edit s",
    "ours one edit s",
    "reload s",
    "dirty reload s",
    "cold peak MB",
    "no-change peak MB",
    "one edit peak MB",
]


def cell(value: float | None) -> str:
    if value is None:
        return "—"  # the engine has no such mode
    return f"{value:.2f}" if value < 100 else f"{value:.0f}"


def report(rows: list[dict]) -> str:
    head = ["posts", "engine", "snippets", "pages", "ran cold", *COLUMNS]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for row in rows:
        lines.append("| " + " | ".join([str(row[k]) for k in head[:5]] + [cell(row[k]) for k in COLUMNS]) + " |")
    for name in dict.fromkeys(row["engine"] for row in rows):
        mine = [row for row in rows if row["engine"] == name]
        first, last = mine[0], mine[-1]
        size = last["posts"] / first["posts"]
        lines.append("")
        lines.append(
            f"{name}: growth from {first['posts']} to {last['posts']} posts ({size:g}x the snippets and pages):"
        )
        for key in COLUMNS:
            if first[key] is None or last[key] is None:
                continue
            ratio = last[key] / first[key]
            target = TARGETS.get(key)
            if key == "cold s":
                note = f"(linear would be {size:g}x; per post {ratio / size:.2f}x)"
            elif target is not None:
                note = f"(target <= {target:g}x: {'met' if ratio <= target else 'missed'})"
            else:
                note = ""
            lines.append(f"  {key:<18} {ratio:6.2f}x {note}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1,5,20", help="numbers of posts, smallest first (default 1,5,20)")
    parser.add_argument("--engines", default=",".join(ENGINES), help="engines to compare, comma-separated")
    parser.add_argument("--rounds", type=int, default=3, help="runs of each repeated step; medians kept (default 3)")
    parser.add_argument("--json", type=Path, help="also write the rows as JSON to this file")
    args = parser.parse_args(argv)
    sizes = [int(size) for size in args.sizes.split(",")]
    rows = []
    for posts in sizes:
        print(f"measuring {posts} posts ...", file=sys.stderr, flush=True)
        rows += measure(posts, tuple(args.engines.split(",")), args.rounds)
    print(report(rows))
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
