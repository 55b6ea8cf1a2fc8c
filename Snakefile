# bellflow: five papers on quantum nonlocality, recomputed from first principles.
# Table of contents only; the logic lives in workflow/rules/.
from snakemake.utils import min_version

min_version("9.0")


# config: config/config.yaml, loaded and validated first thing in common.smk (with any
# --configfile overlay such as config/quick.yaml merged over it)
report: "workflow/report/workflow.rst"


include: "workflow/rules/common.smk"
include: "workflow/rules/delivery.smk"
include: "workflow/rules/interconversion.smk"
include: "workflow/rules/lmg.smk"
include: "workflow/rules/causal.smk"
include: "workflow/rules/diqkd.smk"
include: "workflow/rules/summary.smk"


rule all:
    default_target: True
    input:
        all_targets(),


include: "workflow/rules/localrules.smk"
