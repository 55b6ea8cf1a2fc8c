# bellflow: two commands on a fresh machine (Debian 12, Python 3.11, git, make):
#   make run    set up .venv and run the full workflow (the papers' own parameters) + report
#   make test   set up .venv, lint, and run the test suite
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
CORES  ?= all
STAMP  := $(VENV)/.bellflow-installed

.PHONY: venv run quick report test test-system lint bench clean-results help

help:
	@echo "make run | quick | report | test | lint | bench | test-slurm"

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

venv: $(STAMP)

run: $(STAMP)
	$(BIN)/snakemake --cores $(CORES)
	$(BIN)/snakemake --cores 1 --report results/report.html

quick: $(STAMP)
	$(BIN)/snakemake --cores $(CORES) --configfile config/quick.yaml

report: $(STAMP)
	$(BIN)/snakemake --cores 1 --report results/report.html

lint: $(STAMP)
	$(BIN)/ruff check src scripts tests benchmarks
	$(BIN)/snakefmt --check Snakefile workflow/rules
	@out=$$($(BIN)/snakemake --lint --configfile config/quick.yaml 2>&1); echo "$$out"; \
	  echo "$$out" | grep -q "your workflow is in a good condition"

test: lint
	$(BIN)/python -m pytest

# Tests that need system packages (root): the report opened in a real headless Chromium.
test-system: $(STAMP)
	command -v chromium >/dev/null || { apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }
	$(BIN)/python -m pytest -m system tests/workflow

bench: $(STAMP)
	for f in benchmarks/bench_*.py; do echo "== $$f"; $(BIN)/python $$f || exit 1; done

clean-results:
	rm -rf results logs .snakemake/incomplete

-include mk/*.mk
