# TeT back-office — the two set-up commands of the README:
#   make run    back-office with demo data on embedded SQLite (instance/tet.sqlite3)
#   make test   the whole test suite (SQLite; PostgreSQL when TEST_DATABASE_URL is set)
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000
PYTEST_ARGS ?=

.PHONY: run test test-pg install clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $@

install: $(VENV)/.installed

run: install
	$(BIN)/flask --app app db upgrade
	$(BIN)/flask --app app seed --demo
	$(BIN)/flask --app app run --debug --host $(HOST) --port $(PORT)

test: install
	$(BIN)/python -m pytest $(PYTEST_ARGS)

test-pg: install
	@dir=$$(mktemp -d /tmp/tet-pg.XXXXXX); \
	url=$$(.ci/pg start $$dir) || { cat $$dir/log 2>/dev/null; exit 1; }; \
	TEST_DATABASE_URL=$$url $(BIN)/python -m pytest $(PYTEST_ARGS); rc=$$?; \
	.ci/pg stop $$dir; rm -rf $$dir; exit $$rc

clean:
	rm -rf $(VENV) .pytest_cache
