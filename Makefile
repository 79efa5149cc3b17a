# TeT back-office — the two set-up commands of the README:
#   make run       back-office with demo data on embedded SQLite (instance/tet.sqlite3)
#   make test      the whole test suite (SQLite; PostgreSQL when TEST_DATABASE_URL is set)
# and
#   make test-pg   the suite on a throwaway PostgreSQL 15 (.ci/pg), stopped afterwards
#   make test-e2e  the browser journeys (tests/e2e: Playwright driving Debian's chromium,
#                  `apt-get install chromium`; no browser download), screenshots in build/e2e
#
# Overridable: HOST, PORT (make run), PYTEST_ARGS (make test, make test-e2e), PYTHON (to
# create .venv), E2E_AXE=rapport (make test-e2e: report serious axe-core violations
# instead of failing on them).
# Everything runs through .venv/bin/…: no activated virtualenv needed.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
E2E_STAMP := $(VENV)/.installed-e2e
E2E_SCREENSHOTS ?= build/e2e
E2E_AXE ?=
HOST ?= 127.0.0.1
PORT ?= 5000
PYTEST_ARGS ?=

.PHONY: run test test-pg test-e2e install install-e2e clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# (Re)install only when pyproject.toml is newer than the stamp.
$(STAMP): pyproject.toml | $(BIN)/python
	@echo "Installation du projet dans $(VENV) (pip install -e \".[dev]\")…"
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e ".[dev]"
	@touch $@

install: $(STAMP)

# The same, plus Playwright for Python (the browser tests' extra); it satisfies `install` too.
$(E2E_STAMP): pyproject.toml | $(BIN)/python
	@echo "Installation du projet et de Playwright dans $(VENV) (pip install -e \".[dev,e2e]\")…"
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e ".[dev,e2e]"
	@touch $@ $(STAMP)

install-e2e: $(E2E_STAMP)

run: install
	$(BIN)/flask --app app db upgrade
	$(BIN)/flask --app app seed --demo
	PUBLIC_URL=$${PUBLIC_URL:-http://$(HOST):$(PORT)} $(BIN)/flask --app app run --debug --host $(HOST) --port $(PORT)

test: install
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# E2E=1: run even where CI is set (tests/e2e/conftest.py skips them otherwise)
test-e2e: install-e2e
	rm -rf $(E2E_SCREENSHOTS)
	E2E=1 E2E_SCREENSHOTS=$(E2E_SCREENSHOTS) E2E_AXE=$(E2E_AXE) \
	  $(BIN)/python -m pytest tests/e2e $(PYTEST_ARGS)

test-pg: install
	.ci/pg run $(MAKE) --no-print-directory test

clean:
	rm -rf $(VENV) .pytest_cache $(E2E_SCREENSHOTS)
