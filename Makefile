# Two commands set everything up on a fresh machine with Python >= 3.10 and make:
#   make demo   create .venv, install, ingest seeds/ into ./demo-archive, run a search
#   make test   create .venv, install with test extras, run the whole suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DEMO := demo-archive

.PHONY: demo test test-spark lint gazetteer clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.installed

# The spark extra (pyspark, warcio: ~0.5 GB) on top of the test extras, for the `spark` tests.
$(VENV)/.installed-spark: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test,spark]'
	touch $@ $(VENV)/.installed-test $(VENV)/.installed

demo: $(VENV)/.installed
	$(BIN)/newsarchive --archive $(DEMO) ingest seeds/
	$(BIN)/newsarchive --archive $(DEMO) search العراق
	$(BIN)/newsarchive --archive $(DEMO) entities --limit 10

test: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/python -m pytest

# The Spark job's tests (local mode; Java 17+), left out of `make test` by pytest's addopts.
test-spark: $(VENV)/.installed-spark
	$(BIN)/python -m pytest -m spark

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .

# Rebuild the shipped gazetteer and person-name words from package data (needs the
# build-gazetteer extra).
gazetteer: | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[build-gazetteer]'
	$(BIN)/python scripts/build_gazetteer.py
	$(BIN)/python scripts/build_person_words.py

# Benchmarks, not part of `make test`: `make bench SCALE=100k` (10k, 100k or 1m). TOKENS is the
# token file (ANERcorp's "token TAG" lines) the generator draws its Arabic vocabulary from.
.PHONY: bench
bench: $(VENV)/.installed
	$(BIN)/python -m benchmarks.run --scale $(or $(SCALE),10k) \
	  --tokens $(or $(TOKENS),../shared/data/anercorp/ANERCorp_CamelLab_train.reconstructed.txt)

clean:
	rm -rf $(VENV) $(DEMO) .pytest_cache .ruff_cache .hypothesis *.egg-info
