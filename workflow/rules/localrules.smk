# Tiny jobs run where Snakemake runs (the login node on a cluster), not as SLURM jobs:
#   - figures and tables: every output under results/figures/ or results/summary/;
#   - gathers: rules with a named input `chunks` (they only concatenate chunk files).
# Included last from the Snakefile, so every rule is defined here. A cluster run then submits
# only the computing jobs (tests/slurm/test_slurm_workflow.py counts them).
import os
import re
import sys

_TINY_OUTPUT = re.compile(r"(^|/)results/(figures|summary)/")


def _is_tiny(rule):
    outputs = [str(f) for f in rule.output]
    makes_figures = bool(outputs) and all(_TINY_OUTPUT.search(f) for f in outputs)
    return makes_figures or "chunks" in rule.input.keys()


LOCAL_RULES = sorted(r.name for r in workflow.rules if _is_tiny(r))
workflow.localrules(*LOCAL_RULES)
if os.environ.get("BELLFLOW_LIST_LOCALRULES"):  # for tests/test_envs.py
    print("bellflow localrules:", " ".join(LOCAL_RULES), file=sys.stderr)
