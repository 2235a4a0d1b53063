# hrdwatch: set-up, demo, tests, evaluation. Every target works on a fresh machine.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
CORPUS ?= ../shared/corpus
DEMO_DB := $(CURDIR)/var/demo.db
PG_PORT ?= 55432
HOST ?= 127.0.0.1
PORT ?= 8000
# make run SERVE=0: the demo without starting the web server (for scripts)
SERVE ?= 1
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: run test eval lint bench bench-web services stop-services browser clean

$(STAMP): pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q -c requirements.lock -e '.[dev]'
	touch $(STAMP)

## run: install, ingest the fictional demo appeal into an embedded SQLite database, show the case,
## then serve the analyst's workspace on http://$(HOST):$(PORT) (Ctrl-C stops it; SERVE=0 skips it)
run: $(STAMP)
	@mkdir -p var
	HRDWATCH_DB=sqlite:///$(DEMO_DB) $(BIN)/hrdwatch ingest examples/
	HRDWATCH_DB=sqlite:///$(DEMO_DB) $(BIN)/hrdwatch list
	HRDWATCH_DB=sqlite:///$(DEMO_DB) $(BIN)/hrdwatch show latest
	@echo
	@echo "Database: $(DEMO_DB)"
	@echo "Encryption at rest: export HRDWATCH_KEY='a long passphrase' before the first ingest"
	@echo "(or pass --ask-key to be prompted); the database is then a SQLCipher file."
	@echo
ifeq ($(SERVE),1)
	@echo "No default account exists. Create the first admin in another terminal (it asks for a password):"
	@echo "    HRDWATCH_DB=sqlite:///$(DEMO_DB) $(BIN)/hrdwatch user add YOUR-NAME --role admin"
	@echo "then log in at http://$(HOST):$(PORT)/login"
	HRDWATCH_DB=sqlite:///$(DEMO_DB) $(BIN)/hrdwatch serve --host $(HOST) --port $(PORT)
endif

## test: install, start the services the tests use (PostgreSQL, Chromium), run the whole suite,
## then stop the throwaway PostgreSQL server again (whatever the tests' outcome)
test: $(STAMP) services browser
	@status=0; HRDWATCH_TEST_PG_URL=$$(cat var/pg-url 2>/dev/null) HRDWATCH_REQUIRE_BROWSER=1 \
		$(BIN)/python -m pytest -q || status=$$?; \
	bash scripts/stop-postgres.sh $(PG_PORT) var/pg-url; exit $$status

## services: PostgreSQL for the store tests (installed with apt-get when missing)
services:
	@mkdir -p var
	@bash scripts/start-postgres.sh $(PG_PORT) var/pg-url || echo "PostgreSQL unavailable: its tests will be skipped"

stop-services:
	@bash scripts/stop-postgres.sh $(PG_PORT) var/pg-url

## browser: Debian's Chromium for the Playwright end-to-end tests (installed with apt-get when missing)
browser:
	@command -v /usr/bin/chromium >/dev/null || bash scripts/apt-install.sh chromium fonts-dejavu-core

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
	$(BIN)/python benchmarks/web_load.py

bench-web: $(STAMP)
	$(BIN)/python benchmarks/web_load.py

clean:
	rm -rf $(VENV) var .eval
