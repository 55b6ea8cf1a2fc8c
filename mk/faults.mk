# Kill and fault tests of the workflow (included by the main Makefile; CI runs it, slow).
#   make test-faults   kill -9 at seeded random moments of a quick-config run of the delivery
#                      subset (BELLFLOW_KILLS, default 10; BELLFLOW_KILL_SEED), resumed without
#                      a manual step; injected solver NaN/infeasible and damaged HDF5 inputs.
#                      Prints the summary line for the README's Reliability section and
#                      writes it to results/faults_summary.json.
# The config fuzz runs in the ordinary `make test` (tests/test_config_fuzz.py).
FAULTS_TIMEOUT ?= 1200

.PHONY: test-faults

test-faults: $(STAMP)
	mkdir -p results
	BELLFLOW_FAULTS=1 BELLFLOW_FAULTS_SUMMARY=results/faults_summary.json OMP_NUM_THREADS=1 \
	  timeout $(FAULTS_TIMEOUT) $(BIN)/python -m pytest tests/faults -p no:cacheprovider -q
