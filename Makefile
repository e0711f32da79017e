# Two commands for a new user: `make demo` and `make test`. Each creates .venv when needed.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
DATA ?= ../shared/data

.PHONY: demo test model bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/provenance score seeds/

test: $(STAMP)
	$(BIN)/python -m pytest -q

model: $(STAMP)
	$(BIN)/provenance model train --data $(DATA) --out models

bench: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[dev,bench]'
	$(BIN)/python benchmarks/calibrate.py --data $(DATA) --out benchmarks/calibration.md
	$(BIN)/python benchmarks/extraction.py --data $(DATA) --out benchmarks/extraction.md
	$(BIN)/python benchmarks/report_scale.py --data $(DATA) --out benchmarks/report_scale.md

clean:
	rm -rf $(VENV) build dist .pytest_cache
