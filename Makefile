# Quickstart: `make build` then `make test`. Everything lives in .venv.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test

.PHONY: build test serve check clean bench lint screenshots i18n audit same-output

$(STAMP): pyproject.toml
	$(PYTHON) -c 'import sys; sys.exit("Python 3.11+ is required") if sys.version_info < (3, 11) else None'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e .
	touch $@

$(TEST_STAMP): $(STAMP)
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

build: $(STAMP)
	$(BIN)/playbook build .

serve: $(STAMP)
	$(BIN)/playbook serve .

check: $(STAMP)
	$(BIN)/playbook check .

test: $(TEST_STAMP)
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -n 2 -q

# Longer sweeps than `make test`: the incremental-equals-clean test on the whole example
# playbook, and every page of the example in Chromium (axe-core, layout shift, cut tables, header rows).
audit: $(TEST_STAMP)
	PLAYBOOK_AUDIT=1 $(BIN)/python -m pytest -q -p no:randomly tests/test_rebuilds.py
	$(BIN)/python -m pytest -n 2 -q -m audit tests/test_site_audit.py

bench: $(TEST_STAMP)
	$(BIN)/python benchmarks/bench.py

# Build the example with this checkout and with main; fail if any output file differs.
same-output: $(STAMP)
	$(BIN)/python scripts/same_output.py $(REV)

screenshots: $(TEST_STAMP)
	$(BIN)/python scripts/screenshots.py

# Re-extract the theme's UI strings into messages.pot and update every messages.po.
i18n: $(STAMP)
	$(BIN)/python -m generator.commands.catalogs update

# Deletes only what Playbook wrote (its marker is in the folder); never content or themes.
clean: $(STAMP)
	$(BIN)/playbook clean .
