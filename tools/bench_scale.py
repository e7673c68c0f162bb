"""How the build's costs grow with the series: this post copied into 1, 5 and 20 posts, each in a temporary copy.

For each size: the cold `mkdocs build` (no outputs, no caches, the plugin's two jobs), a no-change build, one
edited snippet then a build, the reload of `mkdocs serve` after that edit (and of `mkdocs serve --dirty`, which
rebuilds only the pages that changed or need the edited snippet), and the peak memory of the MkDocs process.
"ours" is the snippets' build alone (`scripts/build.py`): planning, running, writing; the rest of a `mkdocs
build` is MkDocs reading and rendering every page, which it does on every build. All figures come from this one
run: compare the ratios, not the seconds.
Usage: python tools/bench_scale.py [--sizes 1,5,20] [--json FILE]
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil
from bench import copy_project, reload_seconds
from siteserve import mkdocs_env

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
POST = "activation-functions"
NAV_START = "  - 1.2 Activation functions:\n"
NAV_END = "  - Reproducibility:"
EDITED = "snippets/activation-functions/code/steps.py"
MARKER = "# %% Step 1: two linear layers equal one layer\n"
SAMPLE = 0.05  # seconds between memory samples
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


def run(args: list[str], project: Path) -> tuple[float, int, str]:
    """Wall seconds, the peak RSS of the largest process in its tree (bytes) and stderr of one command."""
    started = time.perf_counter()
    with tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(args, cwd=project, env=mkdocs_env(project), stdout=subprocess.DEVNULL, stderr=err)
        peak = watch(proc)
        seconds = time.perf_counter() - started
        err.seek(0)
        text = err.read().decode(errors="replace")
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed in {project}:\n{text[-3000:]}")
    return seconds, peak, text


def watch(proc: subprocess.Popen) -> int:
    """The largest RSS any one process of the tree reached (the MkDocs process, in practice)."""
    root, peak = psutil.Process(proc.pid), 0
    while proc.poll() is None:
        try:
            members = [root, *root.children(recursive=True)]
            peak = max([peak] + [m.memory_info().rss for m in members if m.is_running()])
        except psutil.NoSuchProcess:
            pass
        time.sleep(SAMPLE)
    proc.wait()
    return peak


def measure(posts: int) -> dict:
    with tempfile.TemporaryDirectory(prefix=f"bench-scale-{posts}-") as folder:
        project = make_series(Path(folder), posts)
        mkdocs = [PYTHON, "-m", "mkdocs", "build", "--strict"]
        build = [PYTHON, "scripts/build.py", "--jobs", "2"]
        snippets = sum(1 for _ in (project / "snippets").rglob("*.py"))
        pages = sum(1 for _ in (project / "docs").rglob("*.md"))
        cold, cold_peak, log = run(mkdocs, project)
        ran = log.count(": ran in ")
        no_change, peak, _ = run(mkdocs, project)
        ours_no_change, _, _ = run(build, project)
        edited = project / EDITED
        text = edited.read_text()
        edited.write_text(text.replace(MARKER, MARKER + 'print("edited")\n'))
        one_edit, _, _ = run(mkdocs, project)
        edited.write_text(text.replace(MARKER, MARKER + 'print("edited again")\n'))
        ours_one_edit, _, _ = run(build, project)
        edited.write_text(text)
        run(build, project)
        reload = reload_seconds(project)
        dirty_reload = reload_seconds(project, "--dirty")
    return {
        "posts": posts,
        "snippets": snippets,
        "pages": pages,
        "ran cold": ran,
        "cold s": cold,
        "no-change s": no_change,
        "ours no-change s": ours_no_change,
        "one edit s": one_edit,
        "ours one edit s": ours_one_edit,
        "reload s": reload,
        "dirty reload s": dirty_reload,
        "cold peak MB": cold_peak / 2**20,
        "no-change peak MB": peak / 2**20,
    }


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
]


def report(rows: list[dict]) -> str:
    head = ["posts", "snippets", "pages", "ran cold", *COLUMNS]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for row in rows:
        cells = [str(row[k]) for k in head[:4]] + [
            f"{row[k]:.2f}" if row[k] < 100 else f"{row[k]:.0f}" for k in COLUMNS
        ]
        lines.append("| " + " | ".join(cells) + " |")
    first, last = rows[0], rows[-1]
    size = last["posts"] / first["posts"]
    lines.append("")
    lines.append(f"growth from {first['posts']} to {last['posts']} posts ({size:g}x the snippets and pages):")
    for key in COLUMNS:
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
    parser.add_argument("--json", type=Path, help="also write the rows as JSON to this file")
    args = parser.parse_args(argv)
    sizes = [int(size) for size in args.sizes.split(",")]
    rows = []
    for posts in sizes:
        print(f"measuring {posts} posts ...", file=sys.stderr, flush=True)
        rows.append(measure(posts))
        print(json.dumps(rows[-1]), file=sys.stderr, flush=True)
    print(report(rows))
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
