# Wegwijzer: `make run` builds what is missing and starts it; `make test` builds and runs every test.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test lint typecheck unit build app-env map bench clean

run: build
	@$(BIN)/wegwijzer map load
	@echo
	@echo "The referral map is loaded into var/wegwijzer.sqlite3. Try:"
	@echo "  $(BIN)/wegwijzer route --role teacher --concern polarisation --municipality Gand --lang fr"
	@echo "  $(BIN)/wegwijzer map where 'sint jans molenbeek'"
	@echo "  $(BIN)/wegwijzer map validate"

test: build lint typecheck unit

build: app-env

app-env: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml requirements/app.lock
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python >= 3.11 is needed for .venv")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements/app.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $@

lint: app-env
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: app-env
	$(BIN)/mypy referral_map tests

unit: app-env
	$(BIN)/pytest

bench: app-env
	$(BIN)/python -m referral_map.bench

clean:
	rm -rf $(VENV) var build *.egg-info
