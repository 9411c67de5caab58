# The two commands in the README: `make e2e` (the procedure against the sandbox + the HTML report) and
# `make test` (the harness's own tests and every feature against the sandbox). Both do the set-up.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
PYTEST := $(PY) -m pytest
REPORTS ?= reports
N ?= 20

.PHONY: setup e2e test report soak lint bench clean clean-all sandbox

setup:
	@bash scripts/setup.sh

e2e: setup
	@rm -rf $(REPORTS)/allure-results
	@$(PYTEST) tests/e2e -vv --gherkin-terminal-reporter --alluredir=$(REPORTS)/allure-results \
		--junitxml=$(REPORTS)/junit.xml -m "not chaos" \
		; status=$$?; $(MAKE) --no-print-directory report || { [ $$status -ne 0 ] || status=1; }; exit $$status

test: setup
	@$(PYTEST) tests -q -p no:cacheprovider

report:
	@bash scripts/report.sh $(REPORTS)

soak: setup
	@bash scripts/soak.sh $(N)

lint: setup
	@$(VENV)/bin/ruff check .

bench: setup
	@$(PY) -m bench

sandbox: setup
	@$(VENV)/bin/bcoauth sandbox serve

# Keeps the report history (reports/allure-history.jsonl) so the trend survives; clean-all removes it too.
clean:
	find $(REPORTS) -mindepth 1 -maxdepth 1 ! -name allure-history.jsonl -exec rm -rf {} + 2>/dev/null || true
	rm -rf test-results .sandbox

clean-all:
	rm -rf $(REPORTS) test-results .sandbox
