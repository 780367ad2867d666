VENV ?= .venv
PY := $(VENV)/bin/python

.PHONY: install run test lint format ci simulator bench

$(VENV)/bin/python:
	python3 -m venv $(VENV)

install: $(VENV)/bin/python
	$(VENV)/bin/pip install -e ".[dev]"

run: $(VENV)/bin/python
	$(PY) manage.py run_local

test:
	$(VENV)/bin/pytest

lint:
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

format:
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

simulator:
	$(PY) manage.py avalara_simulator --port 8765

ci:
	bash .ci/run

# Every benchmark, its figures written into benchmarks/README.md; BENCH_DATABASE_URL=postgres://...
# adds pages.py on PostgreSQL.
bench: $(VENV)/bin/python
	$(PY) benchmarks/figures.py
