"""Each tool's copy of the site: this project as it is, and one per peer built from snippets/.

Every copy keeps all pages, the theme and the Markdown extensions; only the way a
snippet's cells reach the page differs (our --8<-- fragments, markdown-exec blocks,
mkdocs-jupyter notebooks, mkdocs-gallery examples).
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import yaml
from mkdocs.utils.yaml import yaml_load  # reads mkdocs.yml's !ENV tags as MkDocs does
from sitebuild.discover import find_snippets
from sitepages.syntax import INCLUDE

ROOT = Path(__file__).resolve().parents[2]


EDITED = "snippets/activation-functions/code/steps.py"  # the snippet every tool's edit touches
SKIP = shutil.ignore_patterns(".git", ".venv", "site", ".cache", "__pycache__", "node_modules", ".*_cache")
# Cells that draw leave figures open; markdown-exec shows them only if a block prints them.
FIGURES = (
    "import io as _io, matplotlib.pyplot as _plt\n"
    "for _n in _plt.get_fignums():\n"
    "    _b = _io.StringIO(); _plt.figure(_n).savefig(_b, format='svg'); print(_b.getvalue()); _plt.close(_n)"
)

# mkdocs-gallery runs every example in one process and resets only matplotlib between them; one snippet
# sets torch's default dtype to float64, which made a later one fail. Our build runs each in a fresh fork.
GALLERY_CONF = """
def reset_torch(gallery_conf, file):
    import torch

    torch.set_default_dtype(torch.float32)
    torch.set_printoptions(profile="default", sci_mode=None)


conf = {"reset_modules": ("matplotlib", reset_torch)}
"""


@dataclass
class Tool:
    name: str
    project: Path
    python: Path
    cold_paths: tuple[str, ...]  # removed before a cold build: outputs and caches
    edit_file: str  # what the author edits to change the snippet
    page: str  # served path of the page showing the edited cell

    def edit(self, token: str) -> int:
        """Insert `print(token)` after the first code line of the edited snippet's first cell."""
        return self.insert(f'print("{token}")')

    def insert(self, code: str) -> int:
        """Insert a line of code there; its 1-based line number in the edited file."""
        path = self.project / self.edit_file
        anchor = next(c for c in _snippet(EDITED).cells if c.number == 1).code.strip("\n").splitlines()[0].strip()
        lines = path.read_text().splitlines(keepends=True)
        at = next(i for i, line in enumerate(lines) if line.strip() == anchor)
        indent = lines[at][: len(lines[at]) - len(lines[at].lstrip())]
        lines.insert(at + 1, f"{indent}{code}\n")
        path.write_text("".join(lines))
        return at + 2


def make_tools(scratch: Path, ours_python: Path, peers_python: Path) -> list[Tool]:
    """Copy the project once per tool and rewrite the peers' copies."""
    tools = [
        Tool("ours", _copy(scratch / "ours"), ours_python, ("docs/generated", ".cache"), EDITED,
             "activation-functions/code/"),
        Tool("markdown-exec", _copy(scratch / "markdown-exec"), peers_python, (), "docs/activation-functions/code.md",
             "activation-functions/code/"),
        Tool("mkdocs-jupyter", _copy(scratch / "mkdocs-jupyter"), peers_python, (".cache",),
             "docs/notebooks/code/steps.py", "notebooks/code/steps/"),
        Tool("mkdocs-gallery", _copy(scratch / "mkdocs-gallery"), peers_python, ("docs/gallery",),
             "docs/examples/code/steps.py", "gallery/code/steps/"),
    ]  # fmt: skip
    for tool in tools[1:]:
        shutil.rmtree(tool.project / "docs" / "generated")
        globals()["_setup_" + tool.name.replace("-", "_")](tool.project)
    return tools


def _copy(project: Path) -> Path:
    shutil.copytree(ROOT, project, ignore=SKIP)
    return project


def _snippet(relpath: str):
    return next(s for s in find_snippets() if s.relpath == relpath)


def _config(project: Path, plugin: dict | str, extra_nav: list) -> None:
    """mkdocs.yml without our hooks, plugin, citations and notebook, with the peer's plugin and pages."""
    path = project / "mkdocs.yml"
    config = yaml_load(path.read_text())
    config["hooks"] = []
    config["plugins"] = ["search", plugin]
    # Our citations read docs/generated/, which a peer's copy does not have: its pages keep the `{{ }}` text.
    config["markdown_extensions"] = [
        e for e in config["markdown_extensions"] if "sitepages." not in (e if isinstance(e, str) else e)
    ]
    section = config["nav"][1]["1.2 Activation functions"]
    section[:] = [e for e in section if "generated/activation-functions/code/steps.ipynb" not in str(e)] + extra_nav
    path.write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True))


def _rewrite_pages(project: Path, replace) -> None:
    """Run `replace(indent, snippet, cell_number, done)` on every --8<-- include of every page."""
    snippets = {s.slug: s for s in find_snippets()}
    for page in (project / "docs").rglob("*.md"):
        done: dict[str, int] = {}  # slug -> last cell number placed on this page
        text = INCLUDE.sub(
            lambda m, done=done: replace(m["indent"], snippets[m["slug"]], int(m["cell"]), done), page.read_text()
        )
        page.write_text(text.replace("../generated/activation-functions/code/steps.ipynb", "code.md"))


def _setup_markdown_exec(project: Path) -> None:
    def block(indent: str, snippet, number: int, done: dict) -> str:
        session = snippet.slug.replace("/", "-")
        out = []
        for cell in snippet.cells:  # earlier cells the page does not show still run first, hidden
            if done.get(snippet.slug, -1) < cell.number <= number:
                shown = 'source="above" result="text"' if cell.number == number else ""
                out.append(_fence(f'python exec="on" session="{session}" {shown}', cell.code))
                if "plt." in cell.code:
                    out.append(_fence(f'python exec="on" session="{session}" html="on"', FIGURES))
        done[snippet.slug] = number
        return "\n".join(indent + line if line else line for line in "\n".join(out).splitlines())

    _rewrite_pages(project, block)
    _config(project, "markdown-exec", [])


def _fence(info: str, code: str) -> str:
    return f"```{info}\n{code.strip(chr(10))}\n```\n"


def _link(folder: str):
    def link(indent: str, snippet, number: int, done: dict) -> str:
        if snippet.slug in done:
            return ""
        done[snippet.slug] = number
        return f"{indent}[The code and its outputs: `{snippet.relpath}`](../{folder}/{snippet.slug}.md)"

    return link


def _setup_mkdocs_jupyter(project: Path) -> None:
    snippets = find_snippets()
    for snippet in snippets:
        target = project / "docs" / "notebooks" / f"{snippet.slug}.py"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(snippet.source)
    _rewrite_pages(project, lambda indent, s, n, done: _link("notebooks")(indent, s, n, done).replace(".md)", ".py)"))
    plugin = {"mkdocs-jupyter": {"include": ["notebooks/**/*.py"], "execute": True, "include_source": True}}
    _config(project, plugin, [{"Notebooks": [{s.relpath: f"notebooks/{s.slug}.py"} for s in snippets]}])


def _setup_mkdocs_gallery(project: Path) -> None:
    examples = project / "docs" / "examples"
    examples.mkdir()
    (examples / "README.md").write_text("# Gallery\n\nEvery snippet, run by mkdocs-gallery.\n")
    for snippet in find_snippets():
        target = examples / f"{snippet.slug}.py"
        target.parent.mkdir(exist_ok=True)
        (target.parent / "README.md").write_text(f"## {target.parent.name}\n")
        target.write_text(f'"""\n# {snippet.summary or snippet.relpath}\n"""\n{snippet.source}')
    _rewrite_pages(project, _link("gallery"))
    (project / "docs" / "gallery_conf.py").write_text(GALLERY_CONF)
    plugin = {
        "gallery": {
            "conf_script": "docs/gallery_conf.py",
            "examples_dirs": "docs/examples",
            "gallery_dirs": "docs/gallery",
            "filename_pattern": ".",
        }
    }
    _config(project, plugin, [{"Gallery": "gallery"}])
