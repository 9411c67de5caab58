# The two commands in the README: `make e2e` (the procedure against the sandbox + the HTML report) and
# `make test` (the harness's own tests and every feature against the sandbox). Both do the set-up.
SHELL := /bin/bash
# Python's own bytecode caching, even where the machine turns it off (PYTHONDONTWRITEBYTECODE=1 is set on the
# project's build machines): without it every pytest process, worker and sandbox compiles the harness again and
# pytest re-rewrites every plugin module, ~0.4 s per process.
unexport PYTHONDONTWRITEBYTECODE
VENV := .venv
PY := $(VENV)/bin/python
PYTEST := $(PY) -m pytest
REPORTS ?= reports
N ?= 20
# Parallel by default (pytest-xdist): one worker per CPU, each with its own sandbox and browser; WORKERS=0 runs
# serially in one process. --dist loadgroup keeps live runs' Portal-role scenarios on one worker (xdist_group).
WORKERS ?= auto
PARALLEL := -n $(WORKERS) --dist loadgroup

.PHONY: setup e2e test test-slow test-all report soak lint bench bench-suite clean clean-all sandbox

setup:
	@bash scripts/setup.sh

# The report is sized to e-mail by default (SCREENSHOTS=on-failure+golden, TRACING=on-failure); for every
# step's screenshot and every trace: make e2e SCREENSHOTS=every-step TRACING=on. Exit 10 = a secret leaked.
e2e: setup
	@rm -rf $(REPORTS)/allure-results
	@$(PYTEST) tests/e2e $(PARALLEL) -vv --gherkin-terminal-reporter --alluredir=$(REPORTS)/allure-results \
		--junitxml=$(REPORTS)/junit.xml -m "not chaos" \
		; status=$$?; bash scripts/report.sh $(REPORTS) \
		|| { rc=$$?; [ $$status -ne 0 ] && [ $$rc -ne 10 ] || status=$$rc; }; exit $$status  # 10 (a leak) wins

# make test: the quick check before a push (everything but the `slow` tests: nested pytest sessions and every UI
# variant, listed in tests/conftest.py). make test-slow: just those. make test-all: the whole suite in one run.
# CI (.ci/run) runs make test, then make test-slow.
test: setup
	@$(PYTEST) tests -q -p no:cacheprovider $(PARALLEL) -m "not slow"

test-slow: setup
	@$(PYTEST) tests -q -p no:cacheprovider $(PARALLEL) -m slow

test-all: setup
	@$(PYTEST) tests -q -p no:cacheprovider $(PARALLEL)

report:
	@bash scripts/report.sh $(REPORTS)

soak: setup
	@bash scripts/soak.sh $(N)

lint: setup
	@$(VENV)/bin/ruff check .

# Benchmarks, not tests (reports/bench.json): latencies, the golden path harness vs a raw Playwright script, and
# where the time goes. bench-suite: the whole suite serial vs -n 2 (several minutes).
bench: setup
	@$(PY) -m bench

bench-suite: setup
	@$(PY) -m bench --only suite

sandbox: setup
	@$(VENV)/bin/bcoauth sandbox serve

# Keeps the report history (reports/allure-history.jsonl) so the trend survives; clean-all removes it too.
clean:
	find $(REPORTS) -mindepth 1 -maxdepth 1 ! -name allure-history.jsonl -exec rm -rf {} + 2>/dev/null || true
	rm -rf test-results .sandbox

clean-all:
	rm -rf $(REPORTS) test-results .sandbox
