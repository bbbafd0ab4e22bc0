# Diplograph: two commands on a fresh machine -- `make run` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 5000
STORE  ?= var/store
ARTICLES ?= data/articles
DEMO_COUNT ?= 300
DEMO_ARTICLES ?= var/demo-articles
DEMO_STORE ?= var/demo-store

.PHONY: install install-test run build serve demo test lint typecheck pytest eval bench clean help

help:
	@echo "make run      install, build the graph from $(ARTICLES) and serve it on $(HOST):$(PORT)"
	@echo "make demo     build $(DEMO_COUNT) synthetic demo articles into $(DEMO_STORE) and serve them"
	@echo "make test     install with test extras, run ruff, mypy and pytest"
	@echo "make eval     score the extractor on ../shared/dev (when present)"
	@echo "make bench    run the benchmarks in bench/"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(VENV)/.installed $@

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test

build: install
	$(BIN)/diplograph build $(ARTICLES) --store $(STORE)

serve: install
	$(BIN)/diplograph serve --store $(STORE) --host $(HOST) --port $(PORT)

run: build serve

# Generated articles about invented people acting for real states (bench/demo.py), each marked
# synthetic, so the network, timeline and country-pair views have something to show.
demo: install
	$(BIN)/python -m bench.demo $(DEMO_ARTICLES) $(DEMO_COUNT)
	$(BIN)/diplograph build $(DEMO_ARTICLES) --store $(DEMO_STORE)
	$(BIN)/diplograph serve --store $(DEMO_STORE) --host $(HOST) --port $(PORT)

lint: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: install-test
	$(BIN)/mypy

pytest: install-test
	$(BIN)/pytest

test: lint typecheck pytest

# Issue targets: macro-F1 >= 0.92 over the six relations, none below 0.85.
eval: install
	rm -rf var/eval-store
	$(BIN)/diplograph --quiet build ../shared/dev --store var/eval-store
	$(BIN)/diplograph evaluate ../shared/dev --store var/eval-store --min-macro-f1 0.92 --min-f1 0.85

bench: install-test
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) var build dist *.egg-info .mypy_cache .ruff_cache .pytest_cache
