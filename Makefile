# Two entry points (see README): `make run` and `make test`. Everything else is a helper target.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PG_TEST_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/test
export FLASK_APP := surveyapp
# The public address in letters and printed links; production sets its own (README, "Running in production").
export SURVEYAPP_PUBLIC_BASE_URL ?= http://127.0.0.1:5000

.PHONY: run test setup translations db test-sqlite test-postgres bench lint screenshots

setup: $(STAMP) translations

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $(STAMP)

translations: $(STAMP)
	@if ls translations/*/LC_MESSAGES/messages.po >/dev/null 2>&1; then $(BIN)/pybabel -q compile -d translations; fi

db: setup
	mkdir -p instance
	$(BIN)/flask db upgrade
	$(BIN)/flask demo

run: db
	$(BIN)/flask run --host 127.0.0.1 --port 5000

# The SQLite and PostgreSQL runs go side by side (two cores; each run's output is printed whole when it ends).
test: setup lint
	@$(MAKE) --no-print-directory -j2 --output-sync=target test-sqlite test-postgres

test-sqlite:
	@echo "== SQLite run"; $(BIN)/python -m pytest -q

# PostgreSQL: required in CI; on a laptop without it the run says so and skips. The real-browser tests run in
# the SQLite run only: they test pages, not the database, and two runs must not both install chromium.
test-postgres:
	@if $(BIN)/python -c "import psycopg,sys; psycopg.connect('$(PG_TEST_URL)'.replace('+psycopg',''), connect_timeout=3).close()" 2>/dev/null; then \
		echo "== PostgreSQL run"; TEST_DATABASE_URL='$(PG_TEST_URL)' $(BIN)/python -m pytest -q -m "not browser"; \
	elif [ "$$CI" = "true" ]; then echo "PostgreSQL at $(PG_TEST_URL) is not reachable" >&2; exit 1; \
	else echo "== PostgreSQL not reachable at $(PG_TEST_URL): PostgreSQL run skipped"; fi

bench: setup
	bash bench/run_all.sh

lint: $(STAMP)
	$(BIN)/ruff check surveyapp tests bench

# Refresh the README's screenshots (the browser tests otherwise write them to a git-ignored folder).
screenshots: setup
	SURVEYAPP_SCREENSHOTS=$(CURDIR)/docs/screenshots $(BIN)/python -m pytest -q -m browser tests/browser
