# cxgap — two commands: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: install dev run test lint typecheck unit bench lock clean screenshots models

install: $(VENV)/.main-installed  ## the app and its locked dependencies in .venv

$(VENV)/.main-installed: requirements/main.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements/main.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $@

dev: $(VENV)/.dev-installed  ## plus test and lint tools

$(VENV)/.dev-installed: $(VENV)/.main-installed requirements/dev.txt
	$(BIN)/python -m pip install --quiet -r requirements/dev.txt
	touch $@

run: install  ## migrate, create the demo workspace on an empty database, serve on :8000
	$(BIN)/cxgap serve --demo-if-empty --host $(HOST) --port $(PORT)

test: dev  ## everything CI checks: lint, types, the whole test suite (SQLite + PostgreSQL + Chromium)
	bash scripts/ensure-chromium.sh
	$(MAKE) --no-print-directory lint typecheck unit

lint: dev
	$(BIN)/ruff check src tests bench scripts
	$(BIN)/ruff format --check src tests bench scripts

typecheck: dev
	$(BIN)/mypy

unit: dev
	$(BIN)/pytest -q -n auto --dist loadgroup --doctest-modules src tests

bench: dev  ## timings and ratios against a baseline, printed and written to bench/out/
	$(BIN)/python -m bench
	$(BIN)/python -m bench.text_eval  # verbatims/s and peak RSS; accuracy when ../shared/data is there
	$(BIN)/python -m bench.results_shape  # the cached results' shape check vs json.loads
	$(BIN)/python -m bench.ray_enrich  # texts/s, local engine vs Ray engine on a local Ray instance
	$(BIN)/python -m bench.segments  # the Segments page and rule checks at 1M items, before/after
	$(BIN)/python -m bench.unsaved_rules  # the check of unsaved rules at 1M items: budget, estimate vs exact
	$(BIN)/python -m bench.overlay_incremental  # 10,000 items folded into a 1M overlay index vs a rebuild
	$(BIN)/python -m bench.pg_scale  # PostgreSQL: COPY import rows/s, pages at BENCH_PG_ROWS (10 M; first build ~15 min)
	$(BIN)/python -m bench.survey_load --serve-arg=--no-access-log  # survey answers/s, p95, none lost, rate limit: full route (baseline) vs short path, 1 and 2 processes
	$(BIN)/python -m bench.events_import  # event log (BPI 2012-shaped, 262,200 events) import + variants on SQLite and PostgreSQL, CSV and XES.gz; bare parse baseline; PostgreSQL before/now alternated
	$(BIN)/python -m bench.events_scale  # PostgreSQL: BENCH_EVENTS_SCALE events (1 M; 10 M with BENCH_EVENTS_SCALE=10000000) imported (peak RSS), variants, paths report; bare parse, Python scan and bare read as baselines
	$(BIN)/python -m bench.import_speed  # feedback import rows/s and rows per CPU second, bench and realistic files: PostgreSQL staged vs COPY straight into feedback vs pool; SQLite two reads vs one
	$(BIN)/python -m bench.listening_counts  # Listening pages from the counts vs the rows, the upkeep per 10,000 items, BENCH_LC_ROWS
	$(BIN)/python -m bench.record_upkeep  # one record's Listening-count upkeep: statements built per call (baseline) vs reused, SQLite (PostgreSQL with BENCH_UPKEEP_PG)
	$(BIN)/python -m bench.pg_topics  # the Listening topics page and its examples at BENCH_PG_ROWS (10 M) vs the candidates sorted
	$(BIN)/python -m bench.sla  # SLA clocks of 10,000 cases and a month's credits; minute-by-minute baseline, same figures
	$(BIN)/python -m bench.sla_history  # 100,000 past tickets: Zendesk view export imported (tickets/s, unchecked csv baseline), evaluated, compliance by priority, team, channel
	$(BIN)/python -m bench.pg_filters  # each Listening page under each single filter at BENCH_PG_ROWS (10 M), rows path as the baseline
	$(BIN)/python -m bench.pg_drivers  # the Listening drivers page under each single filter at BENCH_PG_ROWS (10 M), rows path as the baseline, CPU s
	$(BIN)/python -m bench.paths_pages  # the paths report: first call vs cached vs reading the events alone, demo and BENCH_PATHS_PAGES_EVENTS (1 M) on SQLite
	$(BIN)/python -m bench.retention_pages  # the Retention and Value pages on the demo: first call vs cached, reading the events as the baseline

models: dev  ## retrain the bundled text models (src/cxgap/text/models); the sentiment encoder needs torch and ../shared/data
	$(BIN)/python -m cxgap.text.training

screenshots: dev  ## refresh the screenshots in docs/
	$(BIN)/python scripts/screenshots.py

lock:  ## re-pin requirements/*.txt from pyproject.toml
	$(BIN)/python -m pip install --quiet uv
	$(BIN)/uv pip compile pyproject.toml --python-version 3.11 -q -o requirements/main.txt
	$(BIN)/uv pip compile pyproject.toml --extra dev --python-version 3.11 -q -o requirements/dev.txt

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
