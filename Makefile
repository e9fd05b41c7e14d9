# Two entry points for people: `make run` and `make test`. Both create .venv and install the
# pinned dependencies (requirements.lock) on first use; later runs skip what is already done.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export OMP_WAIT_POLICY ?= PASSIVE
export HF_HUB_OFFLINE ?= 1
export ANONYMIZED_TELEMETRY ?= False

.PHONY: run test install prepare index bench clean-index lock help

help:
	@echo "make run   - install, prepare models, build the index if needed, serve on 127.0.0.1:7860"
	@echo "make test  - install, then run the whole test suite"
	@echo "make index - update the index from corpus/"
	@echo "make bench - run the benchmarks in bench/ (slow)"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# torch first and pinned: unpinned, sentence-transformers would pull a CUDA build of several GB.
$(STAMP): $(BIN)/python requirements.lock pyproject.toml
	$(BIN)/pip install -q --disable-pip-version-check "pip==25.3"
	$(BIN)/pip install -q -c requirements.lock "torch==2.13.0"
	$(BIN)/pip install -q -c requirements.lock -e ".[test]"
	touch $@

install: $(STAMP)

prepare: install
	$(BIN)/brismis prepare

index: prepare
	$(BIN)/brismis index || [ $$? -eq 3 ]

run: index
	$(BIN)/brismis serve

test: prepare
	$(BIN)/python -m pytest

bench: prepare
	$(BIN)/python bench/run_all.py

clean-index:
	rm -rf index/gen-* index/server-* index/CURRENT index/.lock

lock: install
	{ echo "# Exact versions of every Python package, used as pip constraints by the Makefile."; \
	  echo "# Regenerate after changing dependencies: make lock"; \
	  $(BIN)/pip freeze --exclude-editable | grep -v '^-e'; } > requirements.lock
