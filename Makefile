# carerank: `make run` and `make test` are all a fresh machine needs (Python 3.11 on PATH).
SHELL := /bin/bash
PYTHON ?= python3.11
UV_VERSION := 0.13.9
TOOLS := .tools
UV := $(TOOLS)/bin/uv
VENV := .venv
BIN := $(VENV)/bin
SAMPLE := data/sample

export CARERANK_WAREHOUSE ?= $(CURDIR)/data/warehouse.duckdb
export DBT_PROFILES_DIR := $(CURDIR)/dbt_project
export GX_ANALYTICS_ENABLED := false
export DAGSTER_DISABLE_TELEMETRY := true

.PHONY: docs eval install run test test-fast lint format dev bench bench-ab bench-incremental bench-span clean browser java report

$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)"

# Everything from the lock file (uv.lock), dev tools included; then dbt's manifest, which
# dagster-dbt needs before the definitions load (not committed: it is built here).
# Compiled to bytecode once, here: where Python may not write its caches (PYTHONDONTWRITEBYTECODE,
# common in containers) every command would otherwise compile Dagster, dbt and pandas from
# source, 8 s of each run on the bundled sample.
$(VENV)/.installed: pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen --compile-bytecode --extra spark --python $(PYTHON)
	touch $@

dbt_project/target/manifest.json: $(VENV)/.installed $(shell find dbt_project/models dbt_project/macros dbt_project/seeds dbt_project/tests -type f) dbt_project/dbt_project.yml
	cd dbt_project && ../$(BIN)/dbt parse --quiet --profiles-dir .
	touch $@

install: $(VENV)/.installed dbt_project/target/manifest.json

## run: generate the bundled synthetic sample, run the whole pipeline through Dagster, print the ranking
run: install
	$(BIN)/carerank generate --out $(SAMPLE)
	$(BIN)/carerank run --input $(SAMPLE)/posts.jsonl --brands $(SAMPLE)/brands.csv --accounts $(SAMPLE)/brand_accounts.csv
	$(BIN)/carerank ranking --limit 15

## browser: Debian's chromium for the report's browser test (installed as root where apt-get is;
## elsewhere the test skips). Never fails the build: the test says why it skipped.
browser:
	@if [ -x /usr/bin/chromium ]; then \
		echo "chromium: /usr/bin/chromium"; \
	elif command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ]; then \
		(apt-get update && apt-get install -y --no-install-recommends chromium) \
			|| echo "chromium could not be installed: the report's browser test will skip"; \
	else \
		echo "no chromium (and no apt-get as root to install it): the report's browser test will skip"; \
	fi

## java: Debian's Java 17 for the Spark target's test (pyspark runs Spark in a JVM; installed as
## root where apt-get is; elsewhere the test skips). Never fails the build: the test says why.
java:
	@if command -v java >/dev/null; then \
		echo "java: $$(command -v java)"; \
	elif command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ]; then \
		(apt-get update && apt-get install -y --no-install-recommends openjdk-17-jre-headless) \
			|| echo "java could not be installed: the Spark target's test will skip"; \
	else \
		echo "no java (and no apt-get as root to install it): the Spark target's test will skip"; \
	fi

## report: the HTML report of the last `make run` in data/report, and its screenshot docs/report.png
report: install
	$(BIN)/carerank report --out data/report
	$(BIN)/python -m tests.e2e.browser screenshot data/report/index.html docs/report.png

# pytest-xdist workers: one per core (`make test PYTEST_WORKERS=0` runs in one process).
PYTEST_WORKERS ?= auto

## test: lint, then every test (unit, dbt unit tests, end to end)
test: install lint
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS)

## test-fast: the fast tests only
test-fast: install
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS) -m "not e2e"

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	# sqlfluff compiles with dbt: an in-memory DuckDB, so that no warehouse file is needed or locked
	cd dbt_project && CARERANK_WAREHOUSE=:memory: ../$(BIN)/sqlfluff lint models tests --disable-progress-bar

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .
	cd dbt_project && CARERANK_WAREHOUSE=:memory: ../$(BIN)/sqlfluff fix models --disable-progress-bar

# The worlds `make bench` measures: 100k, 1m and/or 10m customer posts (generated once into
# ~/.cache/carerank-bench; 1m takes about two minutes, 10m about twenty).
SIZE ?= 100k 1m

## bench: carerank run against a hand-written DuckDB script and plain pandas on generated worlds
## (SIZE=100k|1m|10m, default "100k 1m"), the bundled sample, `carerank ranking`, one night after
## an empty and a long history, a profile: data/bench/bench.json and docs/benchmarks.md
bench: install
	$(BIN)/python -m benchmarks.bench_pipeline --sizes $(SIZE)

## bench-ab: this working tree against BASE (a git ref, default HEAD) on the sample, in turns
bench-ab: install
	$(BIN)/python -m benchmarks.bench_ab --base $${BASE:-HEAD} --runs $${RUNS:-5}

## bench-incremental: one night's dbt build after a short and a long history, against a full rebuild
bench-incremental: install
	$(BIN)/python -m benchmarks.bench_incremental --posts $${POSTS:-60000} --days $${DAYS:-180}

## bench-span: a run on files spanning years against the same posts within one week
bench-span: install
	$(BIN)/python -m benchmarks.bench_span

## eval: precision and recall of the post classification against the labelled set and the written phrasings (evaluation/)
eval: install
	$(BIN)/python -m evaluation.evaluate
	$(BIN)/python -m evaluation.written_phrasings

## eval-implicit: precision and recall of implicit replies (reply links removed, then matched)
eval-implicit: install
	$(BIN)/python -m evaluation.implicit_replies --json data/eval/implicit_replies.json

## docs: dbt's documentation of every model and column, one page that opens from disk
## (dbt_project/target/static_index.html; after `make run`, which builds the tables it describes)
docs: install
	cd dbt_project && ../$(BIN)/dbt docs generate --static --quiet
	@echo "dbt_project/target/static_index.html"

## dev: the Dagster UI on http://127.0.0.1:3000 (asset graph, runs, checks, schedules), on the
## Dagster instance that `carerank run` records its runs in (data/dagster/)
dev: install
	$(BIN)/carerank dev --host 127.0.0.1 --port 3000

clean:
	rm -rf $(VENV) $(TOOLS) data dbt_project/target dbt_project/logs
