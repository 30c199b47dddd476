# Big Data Worker course. On a fresh machine each target sets itself up first.
#   make lab    open JupyterLab on the course (Korean, large fonts)
#   make demo   the whole instructor cycle on a generated class of 30 (N=5 for fewer), headless, and its class report
#   make test   the whole test suite
#   make check A=00_getting_started   grade your own copy of an assignment
#   make report   the instructor's class report (reports/class-report.html); A=... limits it
#   make hub    a classroom on JupyterHub at 127.0.0.1 (as root; Ctrl+C stops it and removes its accounts)

PYTHON ?= python3
VENV := .venv
BIN := $(abspath $(VENV))/bin
READY := $(VENV)/.ready
RELEASED := $(VENV)/.released
# The hub's proxy, configurable-http-proxy from npm, kept inside the virtual environment.
PROXY := $(VENV)/node/node_modules/.bin/configurable-http-proxy
export PATH := $(BIN):$(PATH)

.PHONY: setup build lab demo test check report benchmark hub

$(READY): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	$(BIN)/python -m course setup
	touch $@

$(PROXY): | $(READY)
	npm install --silent --no-audit --no-fund --prefix $(VENV)/node configurable-http-proxy@4

setup: $(READY)

build: setup
	$(BIN)/python -m course build

# The release is regenerated when a source notebook changed since the last build.
$(RELEASED): $(wildcard source/*/*.ipynb) | $(READY)
	$(BIN)/python -m course build
	touch $@

lab: $(RELEASED)
	$(BIN)/python -m course lab

demo: setup
	$(BIN)/python -m course demo $(if $(N),--class-size $(N))

test: setup $(PROXY)
	$(BIN)/python -m pytest

check: setup
	$(BIN)/python -m course check $(A)

report: setup
	$(BIN)/python -m course report $(A)

hub: $(RELEASED) $(PROXY)
	$(BIN)/python -m course hub

benchmark: setup
	$(BIN)/python benchmarks/notebooks.py
	$(BIN)/python benchmarks/fit2_loader.py
	$(BIN)/python benchmarks/report.py
	$(BIN)/python benchmarks/grading.py
