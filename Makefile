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

.PHONY: setup serve build outputs check test bench chromium clean

setup: $(STAMP)

# Rebuilt whenever requirements.txt changes, so a pin bump reaches every machine.
$(STAMP): requirements.txt scripts/setup_torch.py
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python scripts/setup_torch.py
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $(STAMP)

serve: $(STAMP)
	$(BIN)/mkdocs serve --dev-addr $(HOST)

build: $(STAMP)
	$(BIN)/mkdocs build --strict

outputs: $(STAMP)
	$(BIN)/python scripts/build.py

check: $(STAMP)
	$(BIN)/python scripts/build.py --check

# Browser tests need Debian's Chromium; under CI it is installed, elsewhere they skip.
chromium:
	@test -x /usr/bin/chromium || { test "$$CI" = true && apt-get update -qq && apt-get install -y -qq chromium >/dev/null; } || true

test: $(STAMP) chromium
	$(BIN)/ruff check scripts tests snippets
	$(BIN)/ruff format --check scripts tests snippets
	$(BIN)/python -m pytest

bench: $(STAMP)
	$(BIN)/python scripts/bench.py

clean:
	rm -rf site .cache .pytest_cache
