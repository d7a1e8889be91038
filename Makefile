# `make run` serves the forum with demo data; `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: run test install lint typecheck clean bench-screening screenshots

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

run: install
	$(BIN)/kindred db upgrade
	$(BIN)/kindred demo-data --if-empty
	$(BIN)/kindred serve

test: install lint typecheck
	$(BIN)/python -m pytest

lint: install
	$(BIN)/ruff check app tests migrations bench
	$(BIN)/ruff format --check app tests migrations bench

typecheck: install
	$(BIN)/mypy

# Precision/recall of screening on the held-out set, and its speed; writes bench/RESULTS.md.
bench-screening: install
	$(BIN)/python -m bench.screening

# Refresh the README's pictures (docs/screenshots/) from a live server with demo data.
screenshots: install
	KINDRED_SCREENSHOTS_DIR=docs/screenshots $(BIN)/python -m pytest tests/browser/test_screenshots.py -q -p no:cacheprovider

clean:
	rm -rf $(VENV) *.egg-info .pytest_cache .mypy_cache .ruff_cache
