# Shared helpers of all topics: config validation, target registry, chunking.
import os
import sys
from pathlib import Path

from snakemake.exceptions import WorkflowError

#: The repository root (two levels above this file), found from this file's own folder so the
#: workflow also works as a Snakemake `module` run from another directory.
REPO = Path(workflow.current_basedir.get_path_or_uri(secret_free=True)).parents[1]
SCHEMA = REPO / "workflow" / "schemas" / "config.schema.yaml"

# The rule scripts import the library from this checkout (also inside conda envs and on
# cluster nodes, which inherit the environment).
# (Set here, not read: no `envvars:` assertion applies. Jobs inherit it, locally and on SLURM.)
SRC = str(REPO / "src")
os.environ.update(
    PYTHONPATH=os.pathsep.join(
        [SRC] + [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]
    )
)
if SRC not in sys.path:
    sys.path.insert(0, SRC)

from bellflow.grids import (
    ConfigError,
    canonical_config,
    check_config,
    config_banner,
    load_yaml,
    subgrid,
)

# The papers' own parameters, loaded here rather than by a `configfile:` line of the Snakefile
# so that a YAML syntax error names the file and line (Snakemake's loader names neither).
# Overlays given with --configfile are merged over it key by key (config/quick.yaml is one).
CONFIGFILE = REPO / "config" / "config.yaml"
try:
    load_yaml(CONFIGFILE)
except ConfigError as exc:
    raise WorkflowError(str(exc)) from None


configfile: CONFIGFILE


def repo_path(relative):
    """A file of this repository, as an input path: relative to the working directory when
    the workflow runs from the repository (the usual case), absolute otherwise (run as a
    module or with --directory elsewhere; `module ... prefix` leaves absolute paths alone).
    """
    path = REPO / relative
    if Path.cwd().resolve() == REPO.resolve():
        return str(Path(relative))
    return str(path)


# Say which config files are in effect and which keys the overlays override, then validate
# the merged config before any job is planned: an invalid config stops here, naming every
# offending key path (schema, NaN/inf, min >= max, descending grids, unknown keys).
OVERLAYS = [str(f) for f in workflow.overwrite_configfiles]
BASE = [str(f) for f in workflow.configfiles if str(f) not in OVERLAYS]
if workflow.is_main_process:
    print(
        config_banner(BASE, OVERLAYS, workflow.config_settings.config), file=sys.stderr
    )
try:
    check_config(config, SCHEMA, source=" + ".join(BASE + OVERLAYS))
except ConfigError as exc:
    raise WorkflowError(str(exc)) from None

# Every mapping of the config in sorted key order: rules pass config sections as params, and
# Snakemake compares params by their text, whose key order would otherwise depend on how the
# overlays were merged (an overlay that sets only `points` of a grid is no parameter change).
_canonical = canonical_config(dict(config))
config.clear()
config.update(_canonical)

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
    return [
        repo_path(f"workflow/resources/paper_values/{topic}.yaml")
        for topic in SUMMARY_INPUTS
    ]


def lib(*modules):
    """Library modules a rule's results depend on, declared as inputs: editing one of them
    re-runs exactly the rules that import it (Snakemake's own code trigger only sees the rule
    script, not the modules it imports).

    A name is a module (``"process"``, ``"causal/sdp"``: ``src/bellflow/<name>.py``) or a
    package (``"causal"``: every ``.py`` file of ``src/bellflow/causal/``).
    """
    files = []
    for name in modules:
        package = REPO / "src" / "bellflow" / name
        if package.is_dir():
            found = sorted(package.rglob("*.py"))
            files += [repo_path(p.relative_to(REPO)) for p in found]
        else:
            files.append(repo_path(f"src/bellflow/{name}.py"))
    return files


def grid_param(spec):
    """A config grid as a job parameter, keys sorted: Snakemake compares parameters by their
    text, so an overlay that lists the same grid keys in another order is not a change.
    """
    return dict(sorted(spec.items())) if isinstance(spec, dict) else list(spec)


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
