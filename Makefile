# Every target creates .venv on first use, so `make demo` and `make test` work on a fresh clone.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DB ?= db/observatory.db
# The sources and settings `make run` uses: `make run CONFIG=/etc/observatory/sources.toml`.
CONFIG ?= sources.toml
# quick (about 1 min), default (under 10 min on 2 cores) or full (10,000-document RSS run).
BENCH_SCALE ?= default
BENCH_STAMP := $(VENV)/.bench-installed

.DEFAULT_GOAL := help
.PHONY: help install demo test check format run backup eval bench schema browse clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-8s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP) ## Create .venv and install the project with its dev tools

demo: $(STAMP) ## Run the whole pipeline on the bundled offline demo web (db/observatory.db)
	$(BIN)/python demo/run_demo.py --db $(DB)

test: $(STAMP) ## Run the linters, type checks and the whole test suite
	$(BIN)/ruff check pipeline tests demo eval bench
	$(BIN)/ruff format --check pipeline tests demo eval bench
	$(BIN)/mypy
	$(BIN)/pytest

check: $(STAMP) ## ruff (lint + format check) and mypy strict
	$(BIN)/ruff check pipeline tests demo eval bench
	$(BIN)/ruff format --check pipeline tests demo eval bench
	$(BIN)/mypy

format: $(STAMP) ## Apply ruff's formatting and safe fixes
	$(BIN)/ruff format pipeline tests demo eval bench
	$(BIN)/ruff check --fix pipeline tests demo eval bench

run: $(STAMP) ## The nightly job (CONFIG=sources.toml, DB=db/observatory.db); report; backup
	$(BIN)/pipeline --db $(DB) --config $(CONFIG) run

backup: $(STAMP) ## A checked, dated copy of the database in db/backups (7 daily + 4 weekly)
	$(BIN)/pipeline --db $(DB) backup

eval: $(STAMP) ## Accuracy on the development corpora in ../shared/corpus (skips without them)
	$(BIN)/python eval/eval_norms.py
	$(BIN)/python eval/eval_countries.py
	$(BIN)/python eval/eval_dates.py
	$(BIN)/python eval/eval_links.py
	$(BIN)/python eval/eval_publish.py

# The bench extra (Scrapy, pyinstrument) is installed by `make bench` only: never by `make test`.
$(BENCH_STAMP): $(STAMP) pyproject.toml
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[bench]'
	@touch $(BENCH_STAMP)

bench: $(BENCH_STAMP) ## Benchmarks vs trafilatura, htmldate, Scrapy (BENCH_SCALE=quick|default|full)
	$(BIN)/python -m bench --scale $(BENCH_SCALE)

schema: $(STAMP) ## Rewrite db/schema.sql from the migrations
	$(BIN)/python -c "import sqlite3; from pipeline.store import migrate, dump_schema; \
	c = sqlite3.connect(':memory:', isolation_level=None); migrate(c); \
	open('db/schema.sql', 'w').write(dump_schema(c))"

# Datasette with deploy/datasette.json: the users table closed (password hashes never shown),
# arbitrary SQL and the database download off; an 'editors' query lists accounts without hashes.
browse: $(STAMP) ## Browse the database with Datasette (password hashes hidden)
	$(BIN)/pip install --quiet datasette
	sed 's/"DATABASE"/"$(notdir $(basename $(DB)))"/' deploy/datasette.json > $(VENV)/datasette.json
	$(BIN)/datasette $(DB) --metadata $(VENV)/datasette.json --setting allow_download off

clean: ## Remove the virtualenv, caches and the demo database
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache exports
	rm -f db/observatory.db db/observatory.db-wal db/observatory.db-shm
