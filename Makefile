# TeT back-office — the two set-up commands of the README:
#   make run       back-office with demo data on embedded SQLite (instance/tet.sqlite3)
#   make test      the whole test suite (SQLite; PostgreSQL when TEST_DATABASE_URL is set)
# and
#   make test-pg   the suite on a throwaway PostgreSQL 15 (.ci/pg), stopped afterwards
#
# Overridable: HOST, PORT (make run), PYTEST_ARGS (make test), PYTHON (to create .venv).
# Everything runs through .venv/bin/…: no activated virtualenv needed.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 5000
PYTEST_ARGS ?=

.PHONY: run test test-pg install clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# (Re)install only when pyproject.toml is newer than the stamp.
$(STAMP): pyproject.toml | $(BIN)/python
	@echo "Installation du projet dans $(VENV) (pip install -e \".[dev]\")…"
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e ".[dev]"
	@touch $@

install: $(STAMP)

run: install
	$(BIN)/flask --app app db upgrade
	$(BIN)/flask --app app seed --demo
	PUBLIC_URL=$${PUBLIC_URL:-http://$(HOST):$(PORT)} $(BIN)/flask --app app run --debug --host $(HOST) --port $(PORT)

test: install
	$(BIN)/python -m pytest $(PYTEST_ARGS)

test-pg: install
	.ci/pg run $(MAKE) --no-print-directory test

clean:
	rm -rf $(VENV) .pytest_cache
