"""The built site as GitHub Pages serves it: its pages, a strict build under the URL prefix, a gzip server.

Shared by the browser tests (tests/browser/) and `tools/screenshots.py`.
"""

from __future__ import annotations

import functools
import gzip
import http.server
import io
import os
import re
import subprocess
import sys
import threading
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import urlsplit

from mkdocs.utils.yaml import yaml_load  # reads mkdocs.yml's !ENV tags as MkDocs does

ROOT = Path(__file__).resolve().parents[1]
# What every MkDocs subprocess runs with: no MkDocs 2 banner, Jupyter's own folders, no .pyc files.
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "JUPYTER_PLATFORM_DIRS": "1", "PYTHONDONTWRITEBYTECODE": "1"}
# GitHub Pages compresses text responses; page budgets count bytes as a reader receives them.


def mkdocs_env(project: Path = ROOT) -> dict:
    """ENV for MkDocs run in `project`: its scripts/ comes first, so the `site` plugin MkDocs loads is the project's
    own (`make setup` installs this checkout's; the plugin stops a build of any other)."""
    return {**ENV, "PYTHONPATH": str(project / "scripts")}


GZIP_TYPES = ("text/", "application/javascript", "application/json", "image/svg+xml", "application/xml")


def mkdocs_config() -> dict:
    return yaml_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))


def site_prefix() -> str:
    """The path the site lives under on GitHub Pages, e.g. "/activation-functions/"."""
    path = urlsplit(mkdocs_config()["site_url"]).path
    return path if path.endswith("/") else path + "/"


def _nav_files(nav) -> list[str]:
    files = []
    for entry in nav:
        value = next(iter(entry.values())) if isinstance(entry, dict) else entry
        if isinstance(value, list):
            files += _nav_files(value)
        elif isinstance(value, str) and not re.match(r"^[a-z]+://", value):
            files.append(value)
    return files


def page_url(src: str) -> str:
    """The site-relative URL MkDocs gives a source file (directory URLs): "a/b.md" -> "a/b/"."""
    stem = re.sub(r"\.(md|ipynb)$", "", src)
    if stem == "index":
        return ""
    return stem.removesuffix("/index") + "/"


def nav_pages() -> list[str]:
    """Every page in the nav, as a URL relative to the site root ("" is the home page)."""
    return [page_url(src) for src in _nav_files(mkdocs_config()["nav"])]


def sitemap_pages(site: Path) -> list[str]:
    site_url = mkdocs_config()["site_url"]
    locs = [el.text for el in ET.parse(site / "sitemap.xml").iter() if el.tag.endswith("loc")]
    return [loc.removeprefix(site_url) for loc in locs]


# mkdocs.yml names a placeholder repository, and the site then shows no link into it. The tests and screenshots
# build as the deploy does, with a repository set (SITE_REPOSITORY): this stand-in, unless one is set already.
STAND_IN_REPOSITORY = "octo-org/activation-functions"


def repository() -> tuple[str, str]:
    """The (owner/name, branch) that `build_site` builds with."""
    return os.environ.get("SITE_REPOSITORY") or STAND_IN_REPOSITORY, os.environ.get("SITE_BRANCH") or "main"


def site_env(project: Path = ROOT) -> dict:
    """mkdocs_env with the repository set as the deploy sets it (deploy.yml): repo_url, edit_uri and the branch."""
    name, branch = repository()
    repo = {"SITE_REPO_URL": f"https://github.com/{name}", "SITE_EDIT_URI": f"edit/{branch}/docs/"}
    return {**mkdocs_env(project), **repo, "SITE_BRANCH": branch}


def build_site(root: Path, engine: str = "mkdocs", project: Path = ROOT) -> Path:
    """A strict build of `project` by `engine` (mkdocs or zensical) into `root` + the site prefix, as GitHub Pages
    lays it out; returns that folder. Zensical writes to the project's own site/ (it takes no --site-dir): give it a
    copy of the project."""
    site = root / site_prefix().strip("/")
    if engine == "mkdocs":
        command = [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)]
    else:
        command = [str(Path(sys.executable).parent / "zensical"), "build", "--strict", "--clean"]
    result = subprocess.run(command, cwd=project, capture_output=True, text=True, env=site_env(project), timeout=900)
    if result.returncode != 0 or "Error" in result.stdout:
        raise RuntimeError(f"{engine} build --strict failed:\n{result.stdout[-4000:]}{result.stderr[-4000:]}")
    if engine != "mkdocs":
        site.parent.mkdir(parents=True, exist_ok=True)
        os.replace(project / "site", site)
    return site


class _GzipHandler(http.server.SimpleHTTPRequestHandler):
    """Static files, gzip-compressed for text types when the client accepts it, as GitHub Pages serves them."""

    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass

    def send_head(self):
        path = self.translate_path(self.path)
        if os.path.isdir(path) and self.path.split("?")[0].endswith("/"):
            path = os.path.join(path, "index.html")
        if "gzip" not in self.headers.get("Accept-Encoding", ""):
            return super().send_head()
        ctype = self.guess_type(path)
        if not ctype.startswith(GZIP_TYPES) or not os.path.isfile(path):
            return super().send_head()
        body = gzip.compress(Path(path).read_bytes(), compresslevel=6, mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)


def serve(site: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    """Serve a site built by `build_site` on a free localhost port (daemon thread); returns (server, base URL)."""
    root = site
    for _ in filter(None, site_prefix().split("/")):
        root = root.parent
    handler = functools.partial(_GzipHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_port}{site_prefix()}"
