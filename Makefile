# Every target sets up .venv first (exact pins from requirements.txt), so a
# fresh clone needs nothing but Python 3.11 and make.
# `make serve VENV=~/envs/act PORT=8001` uses an existing environment and another port.
PYTHON ?= python3.11
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PORT ?= 8000
HOST ?= 127.0.0.1:$(PORT)
export NO_MKDOCS_2_WARNING := 1
export JUPYTER_PLATFORM_DIRS := 1

.PHONY: setup serve build outputs check test bench bench-scale bench-peers chromium vnu qemu portability screenshots clean

setup: $(STAMP)

# Rebuilt whenever requirements.txt changes, so a pin bump reaches every machine.
# Then the site's own plugin (pyproject.toml), editable: the build code is this checkout's scripts/.
$(STAMP): requirements.txt scripts/setup_torch.py pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python scripts/setup_torch.py
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $(STAMP)

# The engine that builds and serves the site: mkdocs (MkDocs 1.6 + Material, with the `site` plugin as its adapter)
# or zensical (with scripts/watch.py as its adapter). Both build the same pages (tests/test_engines.py).
ENGINE ?= mkdocs

# `make serve DIRTY=1`: rebuild only the pages that changed or need an edited snippet (a large series; MkDocs only).
serve: $(STAMP)
ifeq ($(ENGINE),zensical)
	$(BIN)/python scripts/watch.py --dev-addr $(HOST)
else
	$(BIN)/mkdocs serve$(if $(DIRTY), --dirty) --dev-addr $(HOST)
endif

build: $(STAMP)
ifeq ($(ENGINE),zensical)
	$(BIN)/python scripts/build.py
	$(BIN)/zensical build --strict --clean
else
	$(BIN)/mkdocs build --strict
endif

outputs: $(STAMP)
	$(BIN)/python scripts/build.py

check: $(STAMP)
	$(BIN)/python scripts/build.py --check

# qemu-user emulates other x86-64 CPUs for the portability checks; under CI it is installed,
# elsewhere tests/test_numerics.py skips its emulated run when it is missing.
qemu:
	@command -v qemu-x86_64 >/dev/null || { test "$$CI" = true && apt-get update -qq && apt-get install -y -qq qemu-user >/dev/null; } || true

# Every output byte-identical under emulated Intel (Haswell) and AMD (EPYC-Rome) CPUs and this one,
# and the experiments' printed statistics unchanged without the pins (tools/portability.py).
portability: $(STAMP)
	@command -v qemu-x86_64 >/dev/null || { apt-get update -qq && apt-get install -y -qq qemu-user >/dev/null; }
	$(BIN)/python tools/portability.py $(PORTABILITY_ARGS)

# Browser tests need Debian's Chromium; under CI it is installed, elsewhere they skip.
chromium:
	@test -x /usr/bin/chromium || { test "$$CI" = true && apt-get update -qq && apt-get install -y -qq chromium >/dev/null; } || true

# The Nu HTML checker (npm's vnu-jar, run with Java) for tests/test_site.py, kept under .cache/node;
# under CI it is installed, elsewhere the test skips when it is missing.
VNU_JAR := .cache/node/node_modules/vnu-jar/build/dist/vnu.jar
vnu:
	@test -f $(VNU_JAR) || { test "$$CI" = true && { command -v java >/dev/null || { apt-get update -qq && apt-get install -y -qq default-jre-headless >/dev/null; }; } && npm install --prefix .cache/node --no-save --no-audit --no-fund --ignore-scripts vnu-jar@26.9.27 >/dev/null; } || true

# Full-page pictures of every page at 1280 and 375 px in both palettes, in .cache/screenshots/, to look at.
screenshots: $(STAMP) chromium
	$(BIN)/python tools/screenshots.py

test: $(STAMP) chromium vnu qemu
	$(BIN)/ruff check scripts tools tests snippets
	$(BIN)/ruff format --check scripts tools tests snippets
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Timings, and each engine's author loop (mkdocs, properdocs, zensical: tools/engines.py; ProperDocs is installed
# into .cache/properdocs-venv). BENCH_ARGS="--no-tests --engines mkdocs,zensical --rounds 1" for a quicker run.
bench: $(STAMP)
	$(BIN)/python tools/bench.py $(BENCH_ARGS)

# How no-change, one-edit, reload, cold and memory grow with the series under each engine: this post copied into
# 1, 5 and 20 posts (tools/bench_scale.py; an hour or more for three engines, BENCH_ARGS="--sizes 1,5 --rounds 1"
# for less). Not part of `make test`.
bench-scale: $(STAMP)
	$(BIN)/python tools/bench_scale.py $(BENCH_ARGS)

# This build beside markdown-exec, mkdocs-jupyter and mkdocs-gallery (pinned in
# tools/peers/requirements-peers.txt, installed into .cache/peers-venv). Not part of `make test`.
bench-peers: $(STAMP)
	$(BIN)/python tools/bench_peers.py $(BENCH_ARGS)

clean:
	rm -rf site .cache .pytest_cache
