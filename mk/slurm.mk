# Real-SLURM test of the workflow (included by the main Makefile).
#   make test-slurm   start a private single-node SLURM (installs munge/slurm via apt-get if
#                     missing; needs root), run tests/slurm/, then stop the test cluster
#                     (stop.sh: only the daemons whose pid files start.sh wrote)
#   make slurm-up     only start the test cluster  (export SLURM_CONF=/tmp/bellflow-slurm/slurm.conf)
#   make slurm-down   stop it
# Everything is bounded: start.sh waits at most BELLFLOW_SLURM_TIMEOUT per daemon and the whole
# target at most SLURM_TEST_TIMEOUT seconds, so a hung daemon fails the run instead of hanging.
BELLFLOW_SLURM_DIR ?= /tmp/bellflow-slurm
SLURM_TEST_TIMEOUT ?= 1500
export BELLFLOW_SLURM_DIR

.PHONY: test-slurm slurm-up slurm-down

slurm-up:
	timeout 900 bash tests/slurm/start.sh

slurm-down:
	timeout 120 bash tests/slurm/stop.sh

test-slurm: $(STAMP)
	timeout 900 bash tests/slurm/start.sh
	status=0; \
	SLURM_CONF=$(BELLFLOW_SLURM_DIR)/slurm.conf timeout --kill-after=30 $(SLURM_TEST_TIMEOUT) \
	    $(BIN)/python -m pytest -m system tests/slurm/test_slurm_workflow.py || status=$$?; \
	timeout 120 bash tests/slurm/stop.sh; \
	exit $$status
