# Shared helpers of all topics: config validation, target registry, chunking.
import os
from pathlib import Path

from snakemake.utils import validate

# Validate the config against the schema before any job is planned: an invalid config stops
# here, naming the offending key (unknown keys are rejected: additionalProperties: false).
validate(config, "../schemas/config.schema.yaml")

# The rule scripts import the library from this checkout (also inside conda envs and on
# cluster nodes, which inherit the environment).
# (Set here, not read: no `envvars:` assertion applies. Jobs inherit it, locally and on SLURM.)
SRC = str(Path(workflow.basedir) / "src")
os.environ.update(
    PYTHONPATH=os.pathsep.join(
        [SRC] + [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]
    )
)

# Registries filled by each topic (workflow/rules/<topic>.smk):
#   TARGETS[topic]        final outputs of the topic (figures, tables)
#   SUMMARY_INPUTS[topic] the HDF5 files the reproduction table reads
TARGETS: dict[str, list[str]] = {}
SUMMARY_INPUTS: dict[str, list[str]] = {}


def all_targets():
    """Every final output: the topics' figures and the summary table."""
    out = [t for topic in TARGETS for t in TARGETS[topic]]
    out += [
        "results/summary/reproduction.csv",
        "results/summary/reproduction.md",
    ]
    return out


def summary_inputs():
    return sorted({f for files in SUMMARY_INPUTS.values() for f in files})


def paper_value_files():
    return [f"workflow/resources/paper_values/{topic}.yaml" for topic in SUMMARY_INPUTS]


def lib(*modules):
    """Library modules a rule's results depend on, declared as inputs: editing one of them
    re-runs exactly the rules that import it (Snakemake's own code trigger only sees the rule
    script, not the modules it imports)."""
    return [f"src/bellflow/{m}.py" for m in modules]


def by_attempt(base):
    """A resource that grows with each retry (``attempt`` = 1, 2, ...): a job killed for
    running out of memory or time is resubmitted with 2x, then 3x (see profiles/slurm).
    """
    return lambda wildcards, attempt: int(base) * attempt


def chunk_ids(n_points, chunk_size):
    """Chunk labels 0..k-1 covering n_points in pieces of chunk_size."""
    return list(range((int(n_points) + int(chunk_size) - 1) // int(chunk_size)))


def chunk_slice(chunk, chunk_size, n_points):
    """(start, stop) of one chunk."""
    start = int(chunk) * int(chunk_size)
    return start, min(start + int(chunk_size), int(n_points))
