# `make run` serves the forum with demo data; `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: run test install lint typecheck clean bench-screening train-screening bench screenshots

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

# Scale: 10,000 and 1,000,000 replies on SQLite and PostgreSQL, served by `kindred serve
# --workers 2` and loaded with wrk (installed from Debian when missing, as .ci/run installs
# chromium); writes bench/RESULTS.md. Under 30 minutes. BENCH_ARGS="--scale 0.05 --duration 5"
# is a quick run that writes nothing.
bench: install
	@if ! command -v wrk >/dev/null 2>&1; then \
	  echo "Installing Debian's wrk for the scale benchmark"; \
	  apt-get update -qq && apt-get install -y -qq wrk >/dev/null; \
	fi
	@if ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then \
	  pg_ctlcluster --skip-systemctl-redirect "$$(ls /etc/postgresql)" main start || true; \
	fi
	$(BIN)/python -m bench.scale $(BENCH_ARGS)

# Retrain the learned second opinion of crisis and stigma screening (app/safety/data/*_model.json).
train-screening: install
	$(BIN)/python -m bench.screening.train

# Refresh the README's pictures (docs/screenshots/) from a live server with demo data.
screenshots: install
	KINDRED_SCREENSHOTS_DIR=docs/screenshots $(BIN)/python -m pytest tests/browser/test_screenshots.py -q -p no:cacheprovider

clean:
	rm -rf $(VENV) *.egg-info .pytest_cache .mypy_cache .ruff_cache
