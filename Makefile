# bellflow: two commands on a fresh machine (Debian 12, Python 3.11, git, make):
#   make run    set up .venv and run the full workflow (the papers' own parameters) + report
#   make test   set up .venv, lint, and run the test suite
# and, for a first look:
#   make quick  the whole workflow on small grids (config/quick.yaml), ~2 min on 2 cores
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
CORES  ?= all
STAMP  := $(VENV)/.bellflow-installed
# Exact tested versions (pyproject.toml has lower bounds only); `make constraints` rewrites it.
CONSTRAINTS := requirements/constraints.txt
EXTRAS := workflow,exact,docs,dev
# Debian packages pycddlib (extra `exact`) builds against; installed when missing and root.
SYSTEM_DEBS := libcdd-dev libgmp-dev

.PHONY: venv run quick report test test-system lint typecheck docs bench clean-results \
	help system-deps constraints unlock

help:
	@echo "make run        install, run the full workflow (the papers' parameters), write the report"
	@echo "make quick      install, run the workflow on small grids (config/quick.yaml), ~2 min"
	@echo "make test       install, lint, run the test suite (incl. the docs build)"
	@echo "make report     the HTML report of the last run (results/report.html)"
	@echo "make lint       ruff, mypy, snakefmt, snakemake --lint"
	@echo "make typecheck  mypy on src/"
	@echo "make docs       build the documentation site into results/site/ (mkdocs --strict)"
	@echo "make bench      the benchmarks in benchmarks/"
	@echo "make test-system | test-slurm   tests needing system services (root)"
	@echo "make constraints  rewrite $(CONSTRAINTS) from the versions installed in .venv"

# pycddlib 3 compiles against cddlib and GMP: install them on Debian when missing (as root),
# as test-system installs chromium; otherwise say which packages are needed.
system-deps:
	@missing=$$(for p in $(SYSTEM_DEBS); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || echo $$p; done); \
	if [ -z "$$missing" ]; then :; \
	elif ! command -v dpkg-query >/dev/null; then \
	  echo "note: not Debian; pycddlib needs cddlib and GMP headers ($(SYSTEM_DEBS) on Debian)"; \
	elif [ "$$(id -u)" = 0 ]; then \
	  echo "installing" $$missing "(needed to build pycddlib)"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	else \
	  echo "pycddlib needs the Debian packages" $$missing": sudo apt-get install" $$missing >&2; \
	  exit 1; \
	fi

$(STAMP): pyproject.toml $(CONSTRAINTS)
	$(MAKE) --no-print-directory system-deps
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c $(CONSTRAINTS) -e '.[$(EXTRAS)]'
	touch $(STAMP)

venv: $(STAMP)

# A killed run leaves .snakemake/locks behind; remove them when no Snakemake runs here.
unlock: $(STAMP)
	$(BIN)/python -m bellflow unlock --quiet

# Before Snakemake starts: the config's checks (YAML errors with file and line), stale locks.
run: $(STAMP)
	$(BIN)/python -m bellflow.grids -q
	$(BIN)/python -m bellflow unlock --quiet
	$(BIN)/snakemake --cores $(CORES)
	$(BIN)/snakemake --cores 1 --report results/report.html

quick: $(STAMP)
	$(BIN)/python -m bellflow.grids -q config/quick.yaml
	$(BIN)/python -m bellflow unlock --quiet
	$(BIN)/snakemake --cores $(CORES) --configfile config/quick.yaml

report: $(STAMP)
	$(BIN)/snakemake --cores 1 --report results/report.html

lint: $(STAMP)
	$(BIN)/ruff check src scripts tests benchmarks docs
	$(BIN)/mypy
	$(BIN)/snakefmt --check Snakefile workflow/rules
	@out=$$($(BIN)/snakemake --lint --configfile config/quick.yaml 2>&1); echo "$$out"; \
	  echo "$$out" | grep -q "your workflow is in a good condition"

# mypy on src/ alone (config in pyproject.toml; `lint` runs it too).
typecheck: $(STAMP)
	$(BIN)/mypy

test: lint
	$(BIN)/python -m pytest

docs: $(STAMP)
	$(BIN)/mkdocs build --strict --site-dir results/site

constraints:
	{ sed -n '/^#/p' $(CONSTRAINTS); $(BIN)/python -m pip freeze --exclude-editable | \
	  grep -v -e '^#' -e '^bellflow'; } > $(CONSTRAINTS).new && mv $(CONSTRAINTS).new $(CONSTRAINTS)

# Tests that need system packages (root): the report opened in a real headless Chromium.
test-system: $(STAMP)
	command -v chromium >/dev/null || { apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }
	$(BIN)/python -m pytest -m system tests/workflow

bench: $(STAMP)
	for f in benchmarks/bench_*.py; do echo "== $$f"; $(BIN)/python $$f || exit 1; done

clean-results:
	rm -rf results logs .snakemake/incomplete .test-cache

-include mk/*.mk
