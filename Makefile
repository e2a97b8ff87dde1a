# Redleaf: `make run` serves the site, `make test` runs the whole suite. Both install what they need.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
export HOST PORT

.PHONY: run test install install-test migrate seed lint format messages bench-signup bench-media bench-read-paths clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Reinstall only when the dependency list changes.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(VENV)/.installed $@

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test

run: install
	$(BIN)/redleaf migrate
	$(BIN)/redleaf seed --if-empty
	$(BIN)/redleaf serve --host $(HOST) --port $(PORT)

migrate: install
	$(BIN)/redleaf migrate

seed: install
	$(BIN)/redleaf seed

# The whole suite: lint and types, then the tests (browser tests skip without /usr/bin/chromium).
test: install-test
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy src
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install-test
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy src

format: install-test
	$(BIN)/ruff format src tests bench
	$(BIN)/ruff check --fix src tests bench

# Extract every _() string into the template, then merge it into each language's catalogue.
messages: install-test
	$(BIN)/python -m redleaf.kit.messages

bench-signup: install-test
	$(BIN)/python bench/signup.py

bench-media: install-test
	$(BIN)/python bench/media.py

bench-read-paths: install-test
	$(BIN)/python bench/read_paths.py

clean:
	rm -rf $(VENV) var
