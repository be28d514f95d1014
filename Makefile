# Horserace developer commands. `make run` and `make test` are all a newcomer
# needs; both create .venv and install requirements.lock on first use.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
PYTEST_ARGS ?=

# The venv is a file target: it is (re)installed only when the lock changes.
STAMP := $(VENV)/.installed

.DEFAULT_GOAL := help
.PHONY: help run test fuzz lint types-baseline format migrate demo messages clean bench leaks

help:
	@echo "make run       install, migrate, load the demo and start web + worker + beat"
	@echo "make test      run the whole test suite (SQLite, or PostgreSQL if DATABASE_URL is set)"
	@echo "make fuzz      a longer Schemathesis pass over every API operation (FUZZ_EXAMPLES=200)"
	@echo "make lint      ruff, the import-linter contracts of the floors, mypy against its baseline"
	@echo "make types-baseline  rewrite mypy-baseline.txt after fixing type errors"
	@echo "make migrate   apply database migrations"
	@echo "make demo      load the demo company (does nothing if it is loaded)"
	@echo "make messages  update and compile the Simplified Chinese translations"
	@echo "make bench     seed 1,000,000 ballots on PostgreSQL and measure (bench/README.md)"
	@echo "make leaks     the whole leak matrix: every route, role, idea kind and stage"

$(STAMP): requirements.lock
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	@touch $@

run: migrate demo
	@# The filesystem:// broker (the default) needs its folder; whitenoise warns
	@# when STATIC_ROOT is missing, though it serves from the finders here.
	@mkdir -p var/celery/queue var/celery/processed staticfiles
	@echo
	@echo "Horserace is starting at http://127.0.0.1:$(PORT)/ (stop with Ctrl-C)"
	@echo
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/honcho -f Procfile.dev start -p $(PORT)

test: $(STAMP)
	$(BIN)/pytest -n auto $(PYTEST_ARGS)

# `make test` fuzzes every API operation with a few examples; this is the long
# pass: FUZZ_EXAMPLES per operation and role, random seeds, and Schemathesis's
# coverage phase (boundary and invalid values) on.
FUZZ_EXAMPLES ?= 200
fuzz: $(STAMP)
	SCHEMATHESIS_MAX_EXAMPLES=$(FUZZ_EXAMPLES) SCHEMATHESIS_RANDOM=1 \
		SCHEMATHESIS_COVERAGE=1 $(BIN)/pytest -n auto -p no:cacheprovider \
		tests/test_schemathesis.py $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/python tools/mypy_baseline.py

# mypy-baseline.txt holds the type errors accepted for now; `make lint` fails on
# new ones and on fixed ones still listed. Rewrite it after fixing errors.
types-baseline: $(STAMP)
	$(BIN)/python tools/mypy_baseline.py --write

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

migrate: $(STAMP)
	$(BIN)/python manage.py migrate --noinput

demo: $(STAMP)
	$(BIN)/python manage.py seed_demo

messages: $(STAMP)
	$(BIN)/python manage.py makemessages --locale zh_Hans --ignore ".venv/*" \
		--ignore "var/*" --ignore "staticfiles/*" --ignore "tests/*"
	$(BIN)/python manage.py compilemessages --locale zh_Hans --ignore ".venv"

# BENCH_DATABASE_URL picks the PostgreSQL database (created, migrated and
# seeded once); BENCH_ARGS passes options, e.g. BENCH_ARGS=--reseed.
BENCH_ARGS ?=
bench: $(STAMP)
	$(BIN)/python -m bench.run $(BENCH_ARGS)

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache .mypy_cache

# The whole leak matrix (every stage of every route; `make test` walks one
# stages per route to stay within its budget). Figures at the end.
leaks: $(STAMP)
	LEAK_MATRIX_STAGES=all $(BIN)/pytest -n auto -p no:logging tests/leaks $(PYTEST_ARGS)
