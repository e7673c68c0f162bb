"""Hosting and upkeep: the GitHub workflows, the hosting settings, CONTRIBUTING.md's worked example, Zensical.

The worked example is applied to a copy of the project exactly as CONTRIBUTING.md
prints it, so the guide cannot drift from what the build accepts.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml
from conftest import GENERATED, PYTHON, ROOT, copy_project, snapshot
from mkdocs.utils.yaml import yaml_load  # reads mkdocs.yml's !ENV tags as MkDocs does
from packaging.specifiers import SpecifierSet
from pages import examples, pages, run_examples
from siteserve import mkdocs_env

BIN = Path(PYTHON).parent
WORKFLOWS = ROOT / ".github" / "workflows"
# A fenced block in CONTRIBUTING.md whose title is the file it shows.
TITLED_BLOCK = re.compile(
    r'^(?P<indent>[ ]*)(?P<fence>`{3,})\w+ title="(?P<path>[^"]+)"\n(?P<body>.*?)^(?P=indent)(?P=fence)[ ]*$',
    re.M | re.S,
)
NAV_ANCHOR = "  - Reproducibility: reproducibility.md\n"


def _tool(name: str) -> Path:
    """A command that requirements.txt installs into .venv; missing is a failure under CI."""
    path = BIN / name
    if not path.exists():
        message = f"{name} is not in {BIN}; requirements.txt pins it: run `make setup`"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return path


def _run(command: list, cwd: Path, timeout: float = 600) -> subprocess.CompletedProcess:
    """`command` in `cwd`, with mkdocs.yml's repository as committed (the placeholder), as a fresh clone builds."""
    unset = ("SITE_REPO_URL", "SITE_EDIT_URI", "SITE_BRANCH")
    env = {key: value for key, value in mkdocs_env(cwd).items() if key not in unset}
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, env=env, timeout=timeout)


def _actionlint(project: Path) -> subprocess.CompletedProcess:
    files = sorted(str(p.relative_to(project)) for p in (project / ".github" / "workflows").glob("*.yml"))
    # shellcheck and pyflakes are optional plug-ins; off, so every machine checks the same things.
    return _run([_tool("actionlint"), "-no-color", "-shellcheck=", "-pyflakes=", *files], project, timeout=60)


def _workflow(name: str) -> dict:
    return yaml.safe_load((WORKFLOWS / name).read_text())


# --- the GitHub workflows ---------------------------------------------------------------------------


def test_workflows_pass_actionlint():
    result = _actionlint(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr


def test_actionlint_catches_a_job_that_needs_a_missing_job(tmp_path):
    shutil.copytree(ROOT / ".github", tmp_path / ".github")
    deploy = tmp_path / ".github/workflows/deploy.yml"
    deploy.write_text(deploy.read_text().replace("needs: test\n", "needs: tests\n"))
    result = _actionlint(tmp_path)
    assert result.returncode == 1
    assert "deploy.yml" in result.stdout and '"tests"' in result.stdout


def test_test_workflow_runs_the_readme_command_on_pushes_and_pull_requests():
    workflow = _workflow("test.yml")
    triggers = workflow[True]  # YAML 1.1 reads the key `on` as True
    assert {"push", "pull_request", "workflow_call"} <= set(triggers)
    runs = [step.get("run", "") for step in workflow["jobs"]["test"]["steps"]]
    assert "make test" in runs
    assert "make test" in (ROOT / "README.md").read_text()


def test_deploy_publishes_to_pages_only_after_the_tests_pass():
    jobs = _workflow("deploy.yml")["jobs"]
    assert _workflow("deploy.yml")[True]["push"]["branches"] == ["main"]
    assert jobs["test"]["uses"] == "$/.github/workflows/test.yml"
    assert jobs["build"]["needs"] == "test"
    assert jobs["deploy"]["needs"] == "build"
    build_steps = jobs["build"]["steps"]
    assert any(step.get("run") == "make build" for step in build_steps)
    uses = [step.get("uses", "").split("@")[0] for job in jobs.values() for step in job.get("steps", [])]
    for action in ("actions/configure-pages", "actions/upload-pages-artifact", "actions/deploy-pages"):
        assert action in uses
    upload = next(s for s in build_steps if s.get("uses", "").startswith("actions/upload-pages-artifact"))
    assert upload["with"]["path"] == "site"  # where `mkdocs build` writes
    assert jobs["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}
    assert jobs["deploy"]["environment"]["name"] == "github-pages"


def test_every_action_is_pinned_to_a_commit_with_its_tag_in_a_comment():
    for path in sorted(WORKFLOWS.glob("*.yml")):
        uses = re.findall(r"^\s*(?:- )?uses: (\S+)(.*)$", path.read_text(), re.M)
        assert uses, path.name
        for ref, comment in uses:
            if ref.startswith("$/"):  # this repository's own workflow, at the same commit
                continue
            assert re.fullmatch(r"[\w.-]+/[\w.-]+@[0-9a-f]{40}", ref), f"{path.name}: {ref}"
            assert re.fullmatch(r" # v\d+(\.\d+)*", comment), f"{path.name}: {ref} has no `# vX.Y.Z` comment"


def test_zizmor_finds_nothing_in_the_workflows():
    result = _run([_tool("zizmor"), "--offline", "--no-progress", ".github/workflows"], ROOT, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No findings to report" in result.stdout


def test_zizmor_flags_an_unpinned_action(tmp_path):
    workflows = shutil.copytree(WORKFLOWS, tmp_path / ".github/workflows")
    test = workflows / "test.yml"
    text = test.read_text()
    unpinned = re.sub(r"actions/checkout@\S+ # \S+", "actions/checkout@v6", text)
    assert unpinned != text
    test.write_text(unpinned)
    result = _run([_tool("zizmor"), "--offline", "--no-progress", ".github/workflows"], tmp_path, timeout=60)
    assert result.returncode != 0 and "unpinned-uses" in result.stdout


def test_setup_installs_the_cpu_build_of_torch_before_the_other_pins():
    recipe = (ROOT / "Makefile").read_text()
    assert recipe.index("scripts/setup_torch.py") < recipe.index("-r requirements.txt")
    for name in ("test.yml", "deploy.yml"):
        assert "download.pytorch.org" not in (WORKFLOWS / name).read_text(), f"{name}: setup_torch.py owns the index"
    # The CPU index names the release X+cpu; the Makefile's pip must accept it as the pin.
    pin = next(line for line in (ROOT / "requirements.txt").read_text().splitlines() if line.startswith("torch=="))
    version = pin.removeprefix("torch==")
    assert SpecifierSet(f"=={version}").contains(f"{version}+cpu")


def test_make_takes_an_existing_environment_and_another_port(tmp_path):
    venv = tmp_path / "env"
    dry = _run(["make", "-n", "serve", "test", f"VENV={venv}", "PORT=8123"], ROOT, timeout=30)
    assert dry.returncode == 0, dry.stderr
    assert f"{venv}/bin/mkdocs serve --dev-addr 127.0.0.1:8123" in dry.stdout
    assert f"{venv}/bin/python -m pytest" in dry.stdout and ".venv/" not in dry.stdout


# --- CONTRIBUTING.md's worked example: the next post, built on a copy -------------------------------


def _guide_blocks() -> dict[str, str]:
    """The files CONTRIBUTING.md shows, by path, as a reader would copy them."""
    blocks = {}
    for match in TITLED_BLOCK.finditer((ROOT / "CONTRIBUTING.md").read_text()):
        indent = len(match["indent"])
        blocks[match["path"]] = "".join(line[indent:] for line in match["body"].splitlines(keepends=True))
    return blocks


@pytest.fixture(scope="module")
def next_post(tmp_path_factory):
    """A copy of the project with the guide's 1.3 post added, outputs built and the site built strictly."""
    project = copy_project(tmp_path_factory.mktemp("next-post") / "project")
    blocks = _guide_blocks()
    for path in ("snippets/loss-functions/ideas/mse.py", "docs/loss-functions/index.md", "mkdocs.yml"):
        assert path in blocks, f'CONTRIBUTING.md no longer shows a block titled "{path}"'
    for path in ("snippets/loss-functions/ideas/mse.py", "docs/loss-functions/index.md"):
        (project / path).parent.mkdir(parents=True, exist_ok=True)
        (project / path).write_text(blocks[path])
    config = (project / "mkdocs.yml").read_text()
    assert config.count(NAV_ANCHOR) == 1, f"the guide adds the post before {NAV_ANCHOR.strip()!r} in the nav"
    (project / "mkdocs.yml").write_text(config.replace(NAV_ANCHOR, blocks["mkdocs.yml"] + NAV_ANCHOR))
    outputs = _run([PYTHON, "scripts/build.py"], project)
    site = _run([PYTHON, "-m", "mkdocs", "build", "--strict"], project)
    return project, outputs, site


def test_the_guides_next_post_builds_and_passes_the_checks_without_touching_scripts(next_post):
    project, outputs, site = next_post
    assert outputs.returncode == 0, outputs.stderr[-3000:]
    assert "snippets/loss-functions/ideas/mse.py: ran" in outputs.stderr
    assert site.returncode == 0, site.stderr[-3000:]
    generated = project / "docs/generated/loss-functions/ideas/mse"
    assert {"cell-1.md", "cell-2.md", "cell-2-fig-1.svg", "cell-2-fig-1-dark.svg"} <= {
        p.name for p in generated.iterdir()
    }
    page = (project / "site/loss-functions/index.html").read_text()
    assert "nn.MSELoss()" in page and "A parabola: the squared error" in page
    # the values the guide publishes reach the prose and the alt text: 3 squared is 9
    assert 'data-value="ideas.mse.peak">9</span>' in page and "rises to 9 at errors of ±3" in page
    assert "import torch" in (generated / "cell-0.md").read_text()  # the imports block the page shows first
    for src in re.findall(r'<img [^>]*src="([^"#]+)', page):
        assert (project / "site/loss-functions" / src).resolve().is_file(), f"broken figure link {src}"
    assert "1.3 Loss functions" in (project / "site/index.html").read_text()  # in the nav
    docs = project / "docs"
    new_page = docs / "loss-functions/index.md"
    assert new_page in pages(docs) and examples(new_page, docs), "the doctest test would not see the new page"
    count, failures = run_examples(new_page, docs)
    assert count > 0 and not failures, "\n".join(failures)
    assert _source_files(project / "scripts") == _source_files(ROOT / "scripts")
    # Both posts have an `ideas` section: the new one's build left the first post's outputs as committed.
    assert snapshot(project / "docs/generated/activation-functions/ideas") == snapshot(
        GENERATED / "activation-functions/ideas"
    )


def _source_files(folder: Path) -> dict[str, bytes]:
    return {name: data for name, data in snapshot(folder).items() if "__pycache__" not in name}


# --- hosting settings, checked on the same built copy ------------------------------------------------


def test_the_repository_address_is_set_in_one_place():
    text = (ROOT / "mkdocs.yml").read_text()
    assert "repo_url: &repo_url !ENV [SITE_REPO_URL, null]" in text, "the deploy sets the address; unset, no links"
    config = yaml_load(text)
    extension = next(e["sitepages.snippets"] for e in config["markdown_extensions"] if "sitepages.snippets" in e)
    assert extension["repo_url"] is config["repo_url"] is None  # the Colab links follow the same address
    site = urlsplit(config["site_url"])
    assert site.hostname.endswith(".github.io") and site.path.count("/") == 2
    assert config["site_name"] and config["site_description"]
    assert config["site_url"] in (ROOT / "CONTRIBUTING.md").read_text()
    deploy = (WORKFLOWS / "deploy.yml").read_text()
    assert "SITE_REPO_URL: ${{ github.server_url }}/${{ github.repository }}" in deploy, (
        "the deploy publishes with its own address"
    )


def test_built_site_has_404_page_and_sitemap(next_post):
    project, _, site = next_post
    assert site.returncode == 0, site.stderr[-3000:]
    config = yaml_load((project / "mkdocs.yml").read_text())
    assert "md-content" in (project / "site/404.html").read_text()
    assert f"<loc>{config['site_url']}loss-functions/</loc>" in (project / "site/sitemap.xml").read_text()


def test_a_placeholder_repository_gets_no_link_into_it(next_post):
    """Built as committed (owner "example"): no source, edit or Colab link, but the downloads are there."""
    project, _, site = next_post
    assert site.returncode == 0, site.stderr[-3000:]
    built = {path: path.read_text() for path in (project / "site").rglob("*.html")}
    assert built
    for path, text in built.items():
        for dead in ("github.com/example/", 'class="md-source"', 'title="Edit this page"', "colab.research"):
            assert dead not in text, f"{path.relative_to(project)} links into the placeholder repository: {dead}"
    page = built[project / "site/loss-functions/index.html"]
    assert (
        'href="../generated/loss-functions/ideas/mse.ipynb"' in page
        and 'href="../generated/loss-functions/ideas/mse.py"' in page
    )


def test_no_page_asks_github_for_repository_facts(built_site):
    """Material fetches stars and forks from api.github.com for `data-md-component="source"`."""
    built = list(built_site.rglob("*.html"))
    assert built
    for path in built:
        text = path.read_text()
        assert 'data-md-component="source"' not in text, path
    assert 'class="md-source"' in (built_site / "index.html").read_text()  # the link itself stays


def test_the_outputs_workflow_shards_every_snippet_and_gathers_every_shard():
    """outputs.yml: the matrices, the split's arguments and the gathering job agree on one number of shards."""
    workflow = _workflow("outputs.yml")
    count = int(workflow["env"]["SHARDS"])
    jobs = workflow["jobs"]
    for name in ("check", "portability"):
        assert jobs[name]["strategy"]["matrix"]["shard"] == list(range(1, count + 1)), name
        assert jobs[name]["strategy"]["fail-fast"] is False, f"{name}: one shard's failure must not hide another's"
    check = "\n".join(step.get("run", "") for step in jobs["check"]["steps"])
    assert '--shard "$SHARD/$SHARDS" --report "report-$SHARD.json"' in check
    assert "--changed-since origin/$BASE --rotate $RUN/$ROTATION" in check  # pull requests only
    assert any(
        step.get("run") == 'make portability PORTABILITY_ARGS="--shard $SHARD/$SHARDS"'
        for step in jobs["portability"]["steps"]
    )
    assert jobs["gather"]["needs"] == "check" and jobs["gather"]["if"] == "always()"
    assert 'scripts/gather.py "$SHARDS" reports/*.json' in "\n".join(s.get("run", "") for s in jobs["gather"]["steps"])
    triggers = workflow[True]
    assert {"pull_request", "schedule", "workflow_dispatch"} <= set(triggers)
    assert "requirements.txt" in triggers["push"]["paths"]  # a pin change checks everything
