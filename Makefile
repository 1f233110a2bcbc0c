# The two commands a new user needs: `make run` and `make test`.
# Everything is installed into .venv from pyproject.toml, pinned by constraints.txt.

# The first supported Python found (3.11 to 3.13, as pyproject.toml's requires-python);
# another one with `make ... PYTHON=python3.13`.
PYTHON ?= $(shell for p in python3.11 python3.12 python3.13 python3; do \
	command -v $$p >/dev/null && $$p -c 'import sys; sys.exit(not (3, 11) <= sys.version_info[:2] <= (3, 13))' \
	2>/dev/null && command -v $$p && break; done)
VENV ?= .venv
BIN := $(CURDIR)/$(VENV)/bin
INSTALLED := $(VENV)/.installed
MANIFEST := dbt/target/manifest.json
# A DuckDB 1.4 CLI beside the 1.5 one in the venv: the tests open the published file with both.
DUCKDB_14 := $(VENV)/duckdb-1.4/bin/duckdb
# The tests run in this many processes (pytest-xdist), each test module in one of them so that
# a module's built warehouse is built once; 0 runs them all in this process.
TEST_WORKERS ?= 2
# axe-core for the browser test's accessibility check, pinned in tests/browser/package-lock.json.
AXE := tests/browser/node_modules/axe-core/axe.min.js
DBT_SOURCES := $(shell find dbt/models dbt/macros seeds/reference dagster_project/sources -type f -not -name "*.pyc") dbt/dbt_project.yml dbt/profiles.yml

export PATH := $(BIN):$(PATH)
export DAGSTER_HOME ?= $(CURDIR)/warehouse/dagster
export DBT_SEND_ANONYMOUS_USAGE_STATS := false
export DAGSTER_DISABLE_TELEMETRY := true

.PHONY: help setup postgres-server browser-test-tools run run-regio report restore test lint dev bench docs clean

help:
	@echo "make run    set up and run the nightly job once on the sample sources"
	@echo "make run-regio  run it on the region sample of four gemeenten (warehouse-regio/, docs/regio.md)"
	@echo "make report rebuild the programme report (warehouse/rapport/) from the published marts"
	@echo "make restore rebuild the build file and load log from the archive (docs/operations.md)"
	@echo "make test   set up and run the tests"
	@echo "make lint   check Python (ruff) and SQL (sqlfluff, dbt templater) style"
	@echo "make browser-test-tools  install axe-core (npm) for the report's browser test; make test does it"
	@echo "make dev    start the Dagster UI on http://127.0.0.1:3000"
	@echo "make bench  run the benchmarks (speed, memory and disk)"
	@echo "make docs   regenerate docs/indicators.md from the indicator catalogue"
	@echo "make clean  remove the venv and everything the warehouse wrote"

$(INSTALLED): pyproject.toml constraints.txt
	@test -n "$(PYTHON)" || { echo "No Python 3.11 to 3.13 found: install one, or name it with PYTHON=..."; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	touch $@

$(MANIFEST): $(INSTALLED) $(DBT_SOURCES)
	$(BIN)/python -m dagster_project.generate.dbt_files
	cd dbt && $(BIN)/dbt parse --profiles-dir . --quiet
	$(BIN)/python -m dagster_project.transform.data_tests
	touch $@

$(DUCKDB_14): $(INSTALLED)
	$(BIN)/python -m pip install --quiet --target $(VENV)/duckdb-1.4 duckdb-cli==1.4.4
	chmod +x $@ && touch $@

$(DAGSTER_HOME)/dagster.yaml: dagster_project/dagster.yaml
	mkdir -p $(DAGSTER_HOME)
	cp $< $@

setup: $(INSTALLED) $(MANIFEST) $(DUCKDB_14) $(DAGSTER_HOME)/dagster.yaml

# The tests start PostgreSQL servers of their own: Debian's server binaries, installed
# without the default cluster (nothing starts or listens until a test starts it).
postgres-server:
	@if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 && ! command -v initdb >/dev/null 2>&1; then \
		if [ "$$(id -u)" != 0 ]; then \
			echo "The tests need PostgreSQL's server binaries: as root, apt-get install postgresql"; exit 1; \
		fi; \
		mkdir -p /etc/postgresql-common; \
		echo "create_main_cluster = false" > /etc/postgresql-common/createcluster.conf; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
			-o Dpkg::Options::=--force-confold postgresql >/dev/null; \
	fi

# What the report's browser test injects into the pages: axe-core from npm, in tests/browser/ only.
$(AXE): tests/browser/package.json tests/browser/package-lock.json
	npm ci --prefix tests/browser --no-audit --no-fund --silent
	touch $@

browser-test-tools:
	@if command -v npm >/dev/null; then $(MAKE) --no-print-directory $(AXE); else \
		echo "NOTE: npm not found: the browser test of the report cannot check accessibility (apt-get install npm)"; fi

run: setup
	$(BIN)/python -m dagster_project.operations.run

# The region sample (docs/regio.md): Zoetermeer and three illustrative gemeenten of Haaglanden in a
# warehouse of their own, published per gemeente as well.
REGIO_DIR ?= $(CURDIR)/warehouse-regio
run-regio: setup
	$(BIN)/python seeds/generators/regio.py --reference $(REGIO_DIR)/reference --landing $(REGIO_DIR)/landing
	@# Its pseudonyms need a secret of their own (the sample's is for the embedded sample only): one, kept.
	@test -s $(REGIO_DIR)/sleutel || $(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(48))' \
		> $(REGIO_DIR)/sleutel
	WAREHOUSE_PSEUDONIMISERING_SLEUTEL="$$(cat $(REGIO_DIR)/sleutel)" \
	WAREHOUSE_LANDING_DIR=$(REGIO_DIR)/landing WAREHOUSE_DIR=$(REGIO_DIR) \
	WAREHOUSE_PUBLISHED_DB=$(REGIO_DIR)/marts.duckdb WAREHOUSE_REFERENCE_DIR=$(REGIO_DIR)/reference \
	WAREHOUSE_PER_GEMEENTE=true $(BIN)/python -m dagster_project.operations.run

report: setup
	$(BIN)/python -m dagster_project.report

restore: setup
	$(BIN)/python -m dagster_project.ingest.archive restore

test: setup postgres-server browser-test-tools
	@command -v chromium >/dev/null || command -v chromium-browser >/dev/null || echo "NOTE: chromium not found: \
	the browser test of the report will be SKIPPED. Install it with 'apt-get install -y chromium' (.ci/run does)."
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadscope

# sqlfluff's dbt templater opens the profile's database: an empty one of its own, so
# linting neither needs a built warehouse nor waits for a running build.
lint: setup
	$(BIN)/ruff check .
	WAREHOUSE_DIR=$(CURDIR)/.venv/lint-warehouse $(BIN)/sqlfluff lint dbt/models --processes 2

dev: setup
	$(BIN)/dagster dev -m dagster_project.definitions

bench: setup postgres-server
	$(BIN)/python -m benchmarks.financien_grootboek
	$(BIN)/python -m benchmarks.enquetes_omnibus
	$(BIN)/python -m benchmarks.publication
	$(BIN)/python -m benchmarks.foreign_keys
	$(BIN)/python -m benchmarks.serving
	$(BIN)/python -m benchmarks.registraties_jeugdhulp
	$(BIN)/python -m benchmarks.nights
	# Last: it exits non-zero while a target is missed (docs/operations.md says which and why).
	$(BIN)/python -m benchmarks.ratios

docs: setup
	$(BIN)/python -m dagster_project.generate.indicator_docs

clean:
	rm -rf $(VENV) warehouse warehouse-regio test-output dbt/target dbt/logs *.egg-info
