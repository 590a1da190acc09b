# Wegwijzer: `make run` builds what is missing and starts it; `make test` builds and runs every test.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
RASA_VENV := .venv-rasa
RASA := $(RASA_VENV)/bin/rasa
# Rasa 3.6 needs Python 3.10: the first of these that really is 3.10.
PYTHON310 ?= $(shell for c in python3.10 $$(pyenv root 2>/dev/null)/versions/3.10*/bin/python3.10 /usr/bin/python3.10 /usr/local/bin/python3.10; do \
	"$$c" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 10))' 2>/dev/null && { echo "$$c"; break; }; done)
export RASA_TELEMETRY_ENABLED := false
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: run test build app-env rasa-env catalogs catalogs-update model map lint typecheck unit browser rasa-validate rasa-test-core dev-eval real-eval bench clean

run: build map
	$(BIN)/wegwijzer run

test: build lint typecheck rasa-validate unit rasa-test-core

build: app-env rasa-env catalogs model

catalogs: app-env
	$(BIN)/pybabel compile --domain messages --directory locales --statistics

catalogs-update: app-env
	$(BIN)/pybabel extract -F babel.cfg -k N_ -k _ --add-comments=Translators: --no-location --sort-output --project=Wegwijzer -o locales/messages.pot .
	$(BIN)/pybabel update --input-file locales/messages.pot --output-dir locales --domain messages --no-fuzzy-matching

app-env: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml requirements/app.lock
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python >= 3.11 is needed for .venv")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements/app.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $@

rasa-env: $(RASA_VENV)/.installed

$(RASA_VENV)/.installed: requirements/rasa.lock
	@test -n "$(PYTHON310)" || { echo "Python 3.10 is needed for Rasa 3.6 (set PYTHON310=...)"; exit 1; }
	test -x $(RASA_VENV)/bin/python || $(PYTHON310) -m venv $(RASA_VENV)
	$(RASA_VENV)/bin/python -m pip install --quiet -r requirements/rasa.lock
	touch $@

model: app-env rasa-env
	$(BIN)/python -m stack.model

map: app-env
	$(BIN)/wegwijzer map load

lint: app-env
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: app-env
	$(BIN)/mypy referral_map protocol bot nlu stack tests

rasa-validate: rasa-env
	cd nlu && PYTHONPATH=$(CURDIR) ../$(RASA) data validate --fail-on-warnings --data data --domain domain.yml --config config.yml

unit: app-env model browser
	$(BIN)/pytest

# What the browser tests (tests/test_web.py) need: Debian's Chromium (Playwright drives it; no `playwright install`)
# and the Python packages from the lock (playwright, axe-playwright-python, which ships axe-core's axe.min.js).
browser: app-env
	test -x /usr/bin/chromium || DEBIAN_FRONTEND=noninteractive apt-get install -y chromium || \
		{ apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium; }
	$(BIN)/python -c 'import playwright.sync_api, axe_playwright_python' 2>/dev/null || \
		$(BIN)/python -m pip install --quiet $$(grep -E '^(playwright|greenlet|axe-playwright-python)==' requirements/app.lock)

rasa-test-core: model
	cd nlu && PYTHONPATH=$(CURDIR) ../$(RASA) test core --model "$$(../$(BIN)/python -m stack.model)" --stories tests/stories \
		--fail-on-prediction-errors --out results/core

dev-eval: model
	$(BIN)/wegwijzer eval tests/eval/dev_nl.jsonl tests/eval/dev_fr.jsonl tests/eval/dev_de.jsonl tests/eval/dev_en.jsonl

# The real-style development sets through the HTTP chat API of a running `make run` (the whole product).
real-eval: app-env
	$(BIN)/wegwijzer eval tests/eval/real_style/real_style_dev.jsonl tests/eval/real_style/real_style_dev_hard.jsonl \
		--api http://127.0.0.1:8080

bench: app-env
	$(BIN)/python -m referral_map.bench

clean:
	rm -rf $(VENV) $(RASA_VENV) var build *.egg-info nlu/models nlu/results
