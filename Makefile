# Grassroots: the two commands a newcomer needs are `make run` and `make test`.
PYTHON ?= python3.11
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

LINT_PATHS := src tests $(wildcard benchmarks scripts)

.PHONY: run test lint format bench docs install clean

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 is needed (set PYTHON=...)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	@touch $(STAMP)

install: $(STAMP)

## Count the bundled example election (a party-election-shaped ballot, 4 women of 9 seats).
run: $(STAMP)
	$(BIN)/grassroots count examples/nec-example.blt --categories examples/nec-example.gender.json --min F=4

## The whole test suite.
test: $(STAMP)
	$(BIN)/python -m pytest -n auto $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check $(LINT_PATHS)
	$(BIN)/ruff format --check $(LINT_PATHS)
	$(BIN)/mypy

format: $(STAMP)
	$(BIN)/ruff format $(LINT_PATHS)
	$(BIN)/ruff check --fix $(LINT_PATHS)

## Speed against the floor and the PyPI peers (docs/benchmarks.md); BENCH_ARGS=--quick for a short run.
.venv-bench/.installed: benchmarks/requirements.txt
	$(PYTHON) -m venv .venv-bench
	.venv-bench/bin/python -m pip install --quiet -r benchmarks/requirements.txt
	@touch .venv-bench/.installed

bench: $(STAMP) .venv-bench/.installed
	$(BIN)/python benchmarks/run.py $(BENCH_ARGS)

docs: $(STAMP)
	$(BIN)/python -m grassroots.cli.docs > docs/cli.md

clean:
	rm -rf $(VENV) .venv-bench .pytest_cache .mypy_cache .ruff_cache
