"""Workflow tests: run Snakemake on config/quick.yaml in a temporary copy of the repo.

The session fixture ``quick_run`` copies the repository (without results, logs, .snakemake and
the virtualenv) once, runs the whole quick workflow there with 2 cores, and hands the copy to
every test that needs finished outputs. Tests that change the config or delete outputs use
``repo_copy`` (a fresh copy) or work on dry runs, so they never disturb each other.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from snakemake.utils import update_config

ROOT = Path(__file__).resolve().parents[2]
IGNORE = shutil.ignore_patterns(
    ".venv",
    ".git",
    "results",
    "logs",
    ".snakemake",
    ".pytest_cache",
    ".ruff_cache",
    ".hypothesis",
    "__pycache__",
    "*.egg-info",
    "benchmarks",
)
SNAKEMAKE = [sys.executable, "-m", "snakemake"]
#: A hung job fails the test instead of the CI run.
TIMEOUT = int(os.environ.get("BELLFLOW_WORKFLOW_TIMEOUT", "900"))


def copy_repo(dest: Path) -> Path:
    shutil.copytree(ROOT, dest, ignore=IGNORE)
    return dest


def snakemake(repo: Path, *args: str, check: bool = True, timeout: int = TIMEOUT):
    """Run Snakemake in ``repo`` with the quick config; return the CompletedProcess."""
    cmd = [*SNAKEMAKE, "--cores", "2", "--configfile", "config/quick.yaml", *args]
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    proc = subprocess.run(cmd, cwd=repo, capture_output=True, text=True, timeout=timeout, env=env)
    if check and proc.returncode != 0:
        raise AssertionError(
            f"snakemake {' '.join(args)} failed ({proc.returncode}):\n{proc.stdout[-4000:]}\n"
            f"{proc.stderr[-8000:]}"
        )
    return proc


def planned_jobs(repo: Path, *args: str) -> dict[str, int]:
    """Rule -> number of jobs a dry run would execute (empty when there is nothing to do)."""
    proc = snakemake(repo, "--dry-run", *args)
    out = proc.stdout + proc.stderr
    if "Nothing to be done" in out:
        return {}
    m = re.search(r"Job stats:\n(.*?)\n\n", out, flags=re.S)
    assert m, f"no job stats in dry-run output:\n{out[-3000:]}"
    counts = {}
    for line in m.group(1).splitlines()[2:]:
        parts = line.split()
        if len(parts) == 2 and parts[0] != "total":
            counts[parts[0]] = int(parts[1])
    return counts


def merged_config(repo: Path = ROOT, overlay: str = "config/quick.yaml") -> dict:
    """The config a run with ``--configfile <overlay>`` sees: ``config/config.yaml`` with the
    overlay merged over it key by key (Snakemake's own merge)."""
    cfg = yaml.safe_load((repo / "config/config.yaml").read_text())
    update_config(cfg, yaml.safe_load((repo / overlay).read_text()) or {})
    return cfg


def changed_config(repo: Path, name: str, mutate, *, topic: str) -> str:
    """Write ``config/<name>``: the merged quick config with ``mutate(cfg[topic])`` applied.

    The file holds every key (a complete config), so it can be given after or instead of
    ``config/quick.yaml``. Returns the path relative to ``repo``, for ``--configfile``.
    """
    cfg = merged_config(repo)
    mutate(cfg[topic])
    (repo / "config" / name).write_text(yaml.safe_dump(cfg, sort_keys=False))
    return f"config/{name}"


@pytest.fixture(scope="session")
def quick_run(tmp_path_factory) -> Path:
    """A repository copy in which the whole quick workflow has run to completion."""
    repo = copy_repo(tmp_path_factory.mktemp("quick") / "repo")
    snakemake(repo)
    return repo


@pytest.fixture
def repo_copy(tmp_path) -> Path:
    """A fresh repository copy with no outputs."""
    return copy_repo(tmp_path / "repo")
