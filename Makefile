# One command per verb, the same for people and CI.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install demo run test lint eval bench clean

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

test: install
	$(BIN)/python -m pytest -q

lint: install
	$(BIN)/ruff check .

eval: install
	$(BIN)/python eval/score.py

bench: install
	$(BIN)/python bench/run_all.py

clean:
	rm -rf $(VENV) data out .pytest_cache .ruff_cache
