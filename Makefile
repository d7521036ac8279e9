# Grassroots: the two commands a newcomer needs are `make run` and `make test`.
PYTHON ?= python3.11
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

LINT_PATHS := src tests $(wildcard benchmarks scripts loadtest)

.PHONY: run count-example test check-wheel lint format bench loadtest docs install clean

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 is needed (set PYTHON=...)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	@touch $(STAMP)

install: $(STAMP)

## Load the demo data and serve the site at http://127.0.0.1:8000/ (another port with PORT=),
## in development mode (GRASSROOTS_DEV=1: debug pages and the development key, this machine only),
## with the background worker that sends its email; Ctrl-C stops both.
run: $(STAMP)
	GRASSROOTS_DEV=1 $(BIN)/grassroots demo
	GRASSROOTS_DEV=1 $(BIN)/grassroots serve --with-worker

## Count the bundled example election (a party-election-shaped ballot, 4 women of 9 seats).
count-example: $(STAMP)
	$(BIN)/grassroots count examples/nec-example.blt --categories examples/nec-example.gender.json --min F=4

## The whole test suite on SQLite; then the site's tests again on PostgreSQL when
## DATABASE_URL is set, or in CI (where PostgreSQL listens on 127.0.0.1:5432).
PG_TEST_URL ?= postgres://postgres@127.0.0.1:5432/test
test: $(STAMP)
	env -u DATABASE_URL $(BIN)/python -m pytest -n auto $(PYTEST_ARGS)
	@if [ -n "$$DATABASE_URL" ] || [ "$$CI" = true ]; then \
		echo "== the site and browser tests again on PostgreSQL"; \
		DATABASE_URL="$${DATABASE_URL:-$(PG_TEST_URL)}" $(BIN)/python -m pytest -n auto tests/web tests/browser $(PYTEST_ARGS); \
	fi

## Build the wheel, install it without extras into a fresh virtual environment, and check the
## site it serves from an empty directory with production settings (tests/wheel; CI runs it).
check-wheel: $(STAMP)
	env -u DATABASE_URL $(BIN)/python -m pytest tests/wheel --wheel $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check $(LINT_PATHS)
	$(BIN)/ruff format --check $(LINT_PATHS)
	GRASSROOTS_DEV=1 $(BIN)/mypy

format: $(STAMP)
	$(BIN)/ruff format $(LINT_PATHS)
	$(BIN)/ruff check --fix $(LINT_PATHS)

## Speed against the floor and the PyPI peers, and a sealed ballot of 10,000 (docs/benchmarks.md);
## BENCH_ARGS=--quick for a short run of the counts.
.venv-bench/.installed: benchmarks/requirements.txt
	$(PYTHON) -m venv .venv-bench
	.venv-bench/bin/python -m pip install --quiet -r benchmarks/requirements.txt
	@touch .venv-bench/.installed

bench: $(STAMP) .venv-bench/.installed
	$(BIN)/python benchmarks/run.py $(BENCH_ARGS)
	$(BIN)/python benchmarks/sealed.py
	$(BIN)/python benchmarks/forecast.py

## The voting path under load on PostgreSQL (docs/reliability.md): empties the database
## LOADTEST_DATABASE_URL (its name must contain "load"), serves the site in production mode on
## 127.0.0.1 and measures a bounded load; LOADTEST_ARGS=--smoke for a quick run, --help for more.
.venv-load/.installed: pyproject.toml loadtest/requirements.txt
	$(PYTHON) -m venv .venv-load
	.venv-load/bin/python -m pip install --quiet --upgrade pip
	.venv-load/bin/python -m pip install --quiet -e . -r loadtest/requirements.txt
	@touch .venv-load/.installed

loadtest: .venv-load/.installed
	.venv-load/bin/python -m loadtest.run $(LOADTEST_ARGS)

docs: $(STAMP)
	GRASSROOTS_DEV=1 $(BIN)/python -m grassroots.cli.docs > docs/cli.md

clean:
	rm -rf $(VENV) .venv-bench .venv-load .pytest_cache .mypy_cache .ruff_cache
