# One command per verb, the same for people and CI: `make check` is what CI runs.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PYTEST := $(BIN)/python -m pytest -q

.PHONY: install demo run check fmt format-check lint typecheck test test-fast eval bench clean

# Installs only when pyproject.toml changed since the last install.
install: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: install
	$(BIN)/monitor demo

run: install
	$(BIN)/monitor run

# The whole gate: formatting, lint, types, then every test (the eval gate included).
check: format-check lint typecheck test

fmt: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

format-check: install
	$(BIN)/ruff format --check .

lint: install
	$(BIN)/ruff check .

typecheck: install
	$(BIN)/mypy

test: install
	$(PYTEST)

# The unit tests alone: no e2e crawl, no slow test; under a minute.
test-fast: install
	$(PYTEST) -m "not e2e and not slow"

# The gates: the matchers on the hand-written corpus and the real-text corpus (both parts reported),
# then extraction on the AEB pages (eval/score_extraction.py).
eval: install
	$(BIN)/python eval/score.py
	$(BIN)/python eval/score_real.py
	$(BIN)/python eval/score_blind.py
	$(BIN)/python eval/score_extraction.py

bench: install
	$(BIN)/python bench/run_all.py

clean:
	rm -rf $(VENV) data out .pytest_cache .ruff_cache .mypy_cache
