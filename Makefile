# Défi Zéro Gafam — the two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO_HOUSEHOLDS ?= 2000
DEMO_WEEKS ?= 6
TEST_WORKERS ?= 3  # pytest-xdist processes (a module's tests share one: its servers and data). The suite
# waits on app servers, browsers and database timeouts: 3 keep 2 cores busy (idle: 10:51 -> 9:03)

.PHONY: run test install migrate reference demo lint check bench bench-load bench-gc bench-soak bench-scale-out bench-pages first-load clean i18n translations

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

MO := challenge/translations/en/LC_MESSAGES/messages.mo
PO := challenge/translations/en/LC_MESSAGES/messages.po

$(MO): $(PO) $(STAMP)
	$(BIN)/pybabel compile --statistics --domain messages --directory challenge/translations

## Compiled translations (the .mo files are built, not committed).
translations: $(MO)

## axe-core for the accessibility browser tests (tests/e2e), pinned in package-lock.json.
NODE_STAMP := node_modules/.package-lock.json

$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $(NODE_STAMP)

install: $(STAMP) $(MO) $(NODE_STAMP)

## Extract every translatable string, update the English catalogue, compile it.
## Then translate the new empty entries of $(PO) and run it again.
i18n: $(STAMP)
	$(BIN)/pybabel extract --mapping babel.cfg --no-location --sort-output --omit-header \
		--ignore-dirs '.venv node_modules tests bench migrations scripts' \
		--keywords lazy_gettext --output challenge/translations/messages.pot .
	$(BIN)/pybabel update --no-fuzzy-matching --ignore-obsolete --init-missing --locale en \
		--domain messages --input-file challenge/translations/messages.pot --output-dir challenge/translations
	sed -i '/^"POT-Creation-Date: /d' $(PO)  # a timestamp in the catalogue only makes merge conflicts
	$(BIN)/pybabel compile --statistics --domain messages --directory challenge/translations

migrate: install
	$(BIN)/python -m challenge migrate

reference: migrate
	$(BIN)/python -m challenge load-reference

demo: reference
	$(BIN)/python -m challenge demo --if-missing --households $(DEMO_HOUSEHOLDS) --weeks $(DEMO_WEEKS)

## Start the app on the embedded SQLite database, with demo data, at http://localhost:8501
run: demo
	$(BIN)/streamlit run app.py

## The whole test suite: SQLite always, PostgreSQL too when DZG_TEST_POSTGRES_URL is set. Scopes go
## to the workers in collection order, longest first (tests/conftest.py LONGEST_FIRST). The 30
## slowest tests are listed at the end: where the suite's time goes, in every CI log.
test: install
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadscope --no-loadscope-reorder --durations=30

## Format check, lint, strict types, and the import contracts (.importlinter: the layers).
lint: install
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/lint-imports

## Everything a reviewer runs before merging.
check: lint test

## Capacity (not a test): the household journey next to its two floors (a one-line page behind
## the app's stack; the app's frame with no page), 80 households on one pinned process, on SQLite
## and PostgreSQL (DZG_BENCH_POSTGRES_URL's server); interactions/s and CPU per interaction.
bench: install
	$(BIN)/python -m bench.capacity

## Load harness (not a test): 50 logged-in households, 5 of them in Chromium, on one app process.
bench-load: install
	$(BIN)/python bench/load.py --sessions 50 --browsers 5 --think 3 --ramp-up 40 --seconds 120

## Soak (not a test): 60 households for 4 minutes, Streamlit's post-run garbage collection on, then
## off (.streamlit/config.toml); prints the server's RSS at start and end and its CPU per interaction.
bench-gc: install
	for gc in true false; do \
		$(BIN)/python bench/load.py --sessions 60 --browsers 0 --think 3 --ramp-up 30 --seconds 240 \
			--server-env STREAMLIT_RUNNER_POST_SCRIPT_GC=$$gc || exit 1; \
	done

## Soak (not a test): 200 households for 30 minutes on one process; the server's RSS over time.
bench-soak: install
	$(BIN)/python bench/load.py --sessions 200 --browsers 0 --think 10 --ramp-up 120 --seconds 1800 \
		--max-journeys 10000

## Scale-out (not a test): the journey through Debian's HAProxy with 1, then 2 app processes on one
## PostgreSQL database (DZG_BENCH_POSTGRES_URL's server); see docs/operations.md, "Sizing rule".
bench-scale-out: install
	$(BIN)/python -m bench.scale_out --sessions 80 --think 1 --ramp-up 20 --seconds 120

## Scale benchmark (not a test): per-page script-run timings at S/M/L households on SQLite and
## PostgreSQL, check-in commit latency, floors, memory; writes bench/RESULTS.md. Datasets are
## generated once (var/bench-*.sqlite3, databases dzg_bench_* on DZG_BENCH_POSTGRES_URL's server).
BENCH_SCALES ?= S M
BENCH_DBS ?= sqlite postgresql
bench-pages: install
	for scale in $(BENCH_SCALES); do for db in $(BENCH_DBS); do \
		$(BIN)/python -m bench.pages --scale $$scale --db $$db $$( [ $$scale = L ] && echo --memory ) || exit 1; \
	done; done

## First load of the home and check-in pages on a phone over emulated 4G; see bench/FIRST_LOAD.md.
first-load: install
	$(BIN)/python bench/first_load.py --write bench/FIRST_LOAD.md

clean:
	rm -rf $(VENV) var .pytest_cache node_modules
