# journeys: `make demo` runs the project end to end on the embedded PostgreSQL; `make test` runs every test.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
# pytest workers for `make test`: each engine's tests run in one of them (tests/conftest.py)
TEST_WORKERS ?= 2
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint pytest bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/journeys demo

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/pytest -n $(TEST_WORKERS) --dist loadgroup --no-loadscope-reorder

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/pytest tests/test_project_rules.py

bench: $(STAMP)
	$(BIN)/journeys bench

clean:
	rm -rf .journeys target logs
