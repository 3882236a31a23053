# graphvc: the two quickstart commands are `make demo` and `make test`.
# Each installs what is missing first (a virtualenv in .venv, Neo4j from Maven Central, the
# Spark engine's Neo4j connector, also from Maven Central).
# The dev tools are pinned by constraints-dev.txt, so every clone runs the same gates.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
DEMO_INCIDENTS ?= 5000
DEMO_SEED ?= 7
# The app's port: `make demo PORT=8600` when 8501 is taken.
PORT ?= 8501
# `make demo REPLACE=1`: empty a graph that holds other data first (the demo refuses to merge).
REPLACE ?=

.PHONY: install browser demo app test lint docs neo4j-start neo4j-stop clean

# Remade when either file changes: a new pin reinstalls the tools it names.
$(BIN)/.installed: pyproject.toml constraints-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints-dev.txt -e ".[dev,spark]"
	touch $@

install: $(BIN)/.installed
	$(BIN)/graphvc neo4j install
	$(BIN)/graphvc spark install

## Quickstart 1: start Neo4j, load the demo graph, serve the app on 127.0.0.1.
demo: install
	$(BIN)/graphvc demo --incidents $(DEMO_INCIDENTS) --seed $(DEMO_SEED) --port $(PORT) $(if $(REPLACE),--replace)

app: install
	$(BIN)/graphvc app --port $(PORT)

browser:
	./scripts/install-browser.sh

## Quickstart 2: the whole test suite, against a real Neo4j of its own (port 7688).
test: install browser
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy graphvc
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict
	$(BIN)/python -m pytest

lint: $(BIN)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy graphvc

## The documentation site, into site/; any warning (a broken link or anchor) fails it.
docs: $(BIN)/.installed
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict

neo4j-start: install
	$(BIN)/graphvc neo4j start

neo4j-stop: $(BIN)/.installed
	$(BIN)/graphvc neo4j stop

clean:
	-$(BIN)/graphvc neo4j stop
	rm -rf .graphvc $(VENV) site
