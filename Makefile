# Big Data Worker course. On a fresh machine each target sets itself up first.
#   make lab    open JupyterLab on the course (Korean, large fonts)
#   make demo   the whole instructor cycle on a generated class of 30 (N=5 for fewer), headless, and its class report
#   make test   the whole test suite
#   make check A=00_getting_started   grade your own copy of an assignment
#   make report   the instructor's class report (reports/class-report.html); A=... limits it

PYTHON ?= python3
VENV := .venv
BIN := $(abspath $(VENV))/bin
READY := $(VENV)/.ready
RELEASED := $(VENV)/.released
export PATH := $(BIN):$(PATH)

.PHONY: setup build lab demo test check report benchmark

$(READY): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	$(BIN)/python -m course setup
	touch $@

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

test: setup
	$(BIN)/python -m pytest

check: setup
	$(BIN)/python -m course check $(A)

report: setup
	$(BIN)/python -m course report $(A)

benchmark: setup
	$(BIN)/python benchmarks/notebooks.py
	$(BIN)/python benchmarks/fit2_loader.py
	$(BIN)/python benchmarks/report.py
