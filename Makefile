# hrdwatch: set-up, demo, tests, evaluation. Every target works on a fresh machine.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
CORPUS ?= ../shared/corpus
DEMO_DB := $(CURDIR)/var/demo.db
PG_PORT ?= 55432
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: run test eval lint bench services clean

$(STAMP): pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q -c requirements.lock -e '.[dev]'
	touch $(STAMP)

## run: install, ingest the fictional demo appeal into an embedded SQLite database, show the case
run: $(STAMP)
	@mkdir -p var
	HRDWATCH_DB=sqlite:///$(DEMO_DB) $(BIN)/hrdwatch ingest examples/
	HRDWATCH_DB=sqlite:///$(DEMO_DB) $(BIN)/hrdwatch list
	HRDWATCH_DB=sqlite:///$(DEMO_DB) $(BIN)/hrdwatch show latest
	@echo
	@echo "Database: $(DEMO_DB)"
	@echo "Encryption at rest: export HRDWATCH_KEY='a long passphrase' before the first ingest"
	@echo "(or pass --ask-key to be prompted); the database is then a SQLCipher file."

## test: install, start the services the tests use, run the whole suite
test: $(STAMP) services
	HRDWATCH_TEST_PG_URL=$$(cat var/pg-url 2>/dev/null) $(BIN)/python -m pytest -q

## services: PostgreSQL for the store tests (installed with apt-get when missing)
services:
	@mkdir -p var
	@bash scripts/start-postgres.sh $(PG_PORT) var/pg-url || echo "PostgreSQL unavailable: its tests will be skipped"

## eval: run the extractor over the dev corpus and score it
eval: $(STAMP)
	@rm -rf .eval && mkdir -p .eval
	@$(BIN)/hrdwatch extract $(CORPUS)/dev/docs --out .eval 2>/dev/null
	@$(BIN)/python $(CORPUS)/score.py $(CORPUS)/dev/gold .eval

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy

bench: $(STAMP)
	$(BIN)/python benchmarks/extract_speed.py --corpus $(CORPUS)/dev/docs

clean:
	rm -rf $(VENV) var .eval
