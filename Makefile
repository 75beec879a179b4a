# Closewell: `make run` serves the demo, `make test` runs every test. Both set themselves up.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export DJANGO_SETTINGS_MODULE ?= config.settings.local
# Test processes (pytest-xdist); each has its own database.
PYTEST_WORKERS ?= 2

.PHONY: run test lint bench setup migrate demo clean vendor validator census-check

$(STAMP): requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

# DfE's CIN census validator lives in its own virtualenv: its pins (pandas<2, numpy<2) are not ours.
VALIDATOR_VENV := .venv-validator
VALIDATOR_STAMP := $(VALIDATOR_VENV)/.installed

$(VALIDATOR_STAMP): requirements-validator.txt
	$(PYTHON) -m venv $(VALIDATOR_VENV)
	$(VALIDATOR_VENV)/bin/pip install --quiet --upgrade pip
	$(VALIDATOR_VENV)/bin/pip install --quiet -r requirements-validator.txt
	touch $(VALIDATOR_STAMP)

validator: $(VALIDATOR_STAMP)

setup: $(STAMP)
	mkdir -p var

migrate: setup
	$(BIN)/python manage.py migrate --noinput

demo: migrate
	$(BIN)/python manage.py load_demo

run: demo
	$(BIN)/python manage.py runserver 127.0.0.1:8000

test: setup validator
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/pytest -n $(PYTEST_WORKERS)

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# Benchmarks (issue 8) and the load test (issue 7): make bench [CHILDREN=100000] [DATABASES="sqlite postgres"].
# locust lives in its own virtualenv (its pins are not ours); pyinstrument also goes into .venv for profiling.
# Page throughput over HTTP needs wrk (Debian: apt-get install wrk; skipped, and said so, without it);
# PostgreSQL keeps sessions in Redis when one answers at REDIS_URL (default redis://127.0.0.1:6379/9).
CHILDREN ?= 100000
DATABASES ?= sqlite postgres
BENCH_VENV := .venv-bench
BENCH_STAMP := $(BENCH_VENV)/.installed

$(BENCH_STAMP): requirements-bench.txt
	$(PYTHON) -m venv $(BENCH_VENV)
	$(BENCH_VENV)/bin/pip install --quiet --upgrade pip
	$(BENCH_VENV)/bin/pip install --quiet -r requirements-bench.txt
	$(BIN)/pip install --quiet $$(grep '^pyinstrument==' requirements-bench.txt)
	touch $(BENCH_STAMP)

bench: setup $(BENCH_STAMP)
	$(BIN)/python -m bench.run --children $(CHILDREN) --databases $(DATABASES)

# The CIN census at 100,000 children (issue 5): generate into a throwaway SQLite database, export, then
# DfE's schema and all of DfE's rules. make census-check [CHILDREN=100000]; figures in docs/census.md.
.PHONY: census-check
census-check: setup validator
	scripts/census_at_scale.sh $(CHILDREN)

vendor:
	scripts/update_govuk_frontend.sh
	scripts/update_axe_core.sh

clean:
	rm -rf $(VENV) $(VALIDATOR_VENV) var
