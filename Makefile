# make run   - create .venv, install the project, run the `publish` flow on sources/ into output/
# make test  - create .venv with the test extras, run ruff and the whole test suite
#             (two pytest-xdist workers that steal queued tests from each other at the end;
#             TEST_WORKERS=0 for one process)
# make bench - run the benchmarks (benchmarks/README.md)

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# pytest-xdist workers for `make test` (the machine has 2 cores; 0 runs the tests in one process)
TEST_WORKERS ?= 2

.PHONY: run test lint bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed-run: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[test,bench]"
	touch $@ $(VENV)/.installed-run

run: $(VENV)/.installed-run
	$(BIN)/tipfigures run

lint: $(VENV)/.installed-test
	$(BIN)/ruff check src tests flows benchmarks

test: lint
	$(BIN)/python -m pytest -n $(TEST_WORKERS) $(if $(filter 0,$(TEST_WORKERS)),,--dist worksteal)

bench: $(VENV)/.installed-test
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) .state .pytest_cache .ruff_cache
