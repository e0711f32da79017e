# Two commands for a new user: `make demo` and `make test`. Each creates .venv when needed.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
DATA ?= ../shared/data

SEMANTIC_VENV ?= .venv-semantic
DEDUP_VENV ?= .venv-dedup

.PHONY: demo test test-semantic model bench bench-dedup clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/provenance score seeds/

test: $(STAMP)
	$(BIN)/python -m pytest -q

# The semantic extra in its own venv, so the default install stays light; runs the tests marked semantic.
test-semantic:
	test -x $(SEMANTIC_VENV)/bin/python || $(PYTHON) -m venv $(SEMANTIC_VENV)
	$(SEMANTIC_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(SEMANTIC_VENV)/bin/python -m pip install --quiet -e '.[dev,semantic]'
	$(SEMANTIC_VENV)/bin/python -m pytest -q -m semantic

model: $(STAMP)
	$(BIN)/provenance model train --data $(DATA) --out models
	$(BIN)/python -m provenance.reuse_training --data $(DATA) --out models
	$(BIN)/python -m pip install --quiet -e '.[dev,bench]'
	$(BIN)/python benchmarks/extraction.py --data $(DATA) --out benchmarks/extraction.md --card models/MODEL_CARD.md

bench: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[dev,bench]'
	$(BIN)/python benchmarks/calibrate.py --data $(DATA) --out benchmarks/calibration.md
	$(BIN)/python benchmarks/human_rewrites.py --data $(DATA) --out benchmarks/human_rewrites.md
	$(BIN)/python benchmarks/derivation_corpus.py --data $(DATA) --documents 10000 --seed 0 --out build/corpus-10k
	$(BIN)/provenance eval derivation build/corpus-10k $(DATA)/pan-text-alignment-sample > benchmarks/derivation.json
	$(BIN)/python benchmarks/candidate_recall.py --corpus build/corpus-10k --out benchmarks/candidate_recall.md
	$(BIN)/python benchmarks/bombs.py --out benchmarks/bombs.md
	$(BIN)/python benchmarks/startup.py --out benchmarks/startup.md
	$(BIN)/python benchmarks/extraction.py --data $(DATA) --out benchmarks/extraction.md --card models/MODEL_CARD.md
	$(BIN)/python benchmarks/boilerplate_cv.py --data $(DATA) --out benchmarks/boilerplate_cv.md
	$(BIN)/python benchmarks/report_scale.py --data $(DATA) --out benchmarks/report_scale.md
	$(BIN)/python benchmarks/signatures.py --data $(DATA) --out benchmarks/signatures.md
	$(BIN)/python benchmarks/scale.py --data $(DATA) --sizes 10000 100000 --again --out benchmarks/scale.md
	$(BIN)/python benchmarks/late_windows.py --corpus build/corpus-100000/documents.jsonl --out benchmarks/late_windows.md
	$(MAKE) bench-dedup

# text-dedup (the near-duplicate peer) pulls in pyspark, datasets and unisim: its own venv, never ours.
bench-dedup: $(STAMP)
	test -x $(DEDUP_VENV)/bin/python || $(PYTHON) -m venv $(DEDUP_VENV)
	$(DEDUP_VENV)/bin/python -m pip install --quiet text-dedup==0.4.0
	test -f build/corpus-10k/documents.jsonl || $(BIN)/python benchmarks/derivation_corpus.py --data $(DATA) --documents 10000 --seed 0 --out build/corpus-10k
	$(BIN)/python benchmarks/near_duplicates.py --corpus build/corpus-10k --text-dedup $(DEDUP_VENV)/bin/python --out benchmarks/near_duplicates.md

clean:
	rm -rf $(VENV) $(SEMANTIC_VENV) $(DEDUP_VENV) build dist .pytest_cache
