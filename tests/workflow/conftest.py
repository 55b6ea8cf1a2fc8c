"""Workflow tests: run Snakemake on config/quick.yaml in a copy of the repo.

The session fixture ``quick_run`` hands every test that needs finished outputs a copy of the
repository (without results, logs, .snakemake and the virtualenv) in which the whole quick
workflow has run with 2 cores. The copy lives in ``.test-cache/quick-<digest>/`` (git-ignored),
keyed by a digest of every file copied, so the later CI steps (``make test-system``'s report
test, ``make test-slurm``'s local reference run) reuse the run that ``make test`` made of the
same files instead of running the quick workflow again; any edit to a copied file gives a new
digest and a new run. A cached copy is used only when it is marked complete, its files still
have the digest, and a dry run finds nothing to do. Tests that change the config or delete
outputs use ``repo_copy`` (a fresh copy) or work on dry runs and restore what they touched.
"""

from __future__ import annotations

import hashlib
import json
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
    ".test-cache",
)
#: Where ``cached_quick_run`` keeps its finished runs (git-ignored; ``make clean-results``).
CACHE = ROOT / ".test-cache"
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


def tree_manifest(root: Path) -> dict[str, str]:
    """Relative path -> SHA-256 of every file ``copy_repo`` copies from ``root``."""
    manifest = {}
    for dirpath, dirnames, filenames in os.walk(root):
        ignored = IGNORE(dirpath, dirnames + filenames)
        dirnames[:] = sorted(d for d in dirnames if d not in ignored)
        for name in sorted(f for f in filenames if f not in ignored):
            path = Path(dirpath) / name
            manifest[str(path.relative_to(root))] = hashlib.sha256(path.read_bytes()).hexdigest()
    return manifest


def _digest(manifest: dict[str, str]) -> str:
    return hashlib.sha256(json.dumps(manifest, sort_keys=True).encode()).hexdigest()


def _unchanged(repo: Path, manifest: dict[str, str]) -> bool:
    """Every file of ``manifest`` still in ``repo`` with its content. Files the tests added to
    the copy (the ``config/<name>.yaml`` variants of ``changed_config``) are allowed: a run
    with ``--configfile config/quick.yaml`` does not read them."""
    for rel, sha in manifest.items():
        path = repo / rel
        if not path.is_file() or hashlib.sha256(path.read_bytes()).hexdigest() != sha:
            return False
    return True


def cached_quick_run() -> Path:
    """A repository copy of the current files in which the whole quick workflow has run.

    Reused from ``CACHE`` when a complete run of the same files is there (see the module
    docstring); otherwise the quick workflow runs in a new copy, which is marked complete only
    after Snakemake succeeded (a killed run is never reused) and replaces older cached runs.
    """
    manifest = tree_manifest(ROOT)
    digest = _digest(manifest)
    home = CACHE / f"quick-{digest[:16]}"
    repo, done = home / "repo", home / "complete"
    if done.exists() and _unchanged(repo, manifest) and not planned_jobs(repo):
        return repo
    if CACHE.exists():
        for old in CACHE.iterdir():
            shutil.rmtree(old, ignore_errors=True)
    copy_repo(repo)
    snakemake(repo)
    done.write_text(digest + "\n")
    return repo


@pytest.fixture(scope="session")
def quick_run() -> Path:
    """A repository copy in which the whole quick workflow has run to completion."""
    return cached_quick_run()


@pytest.fixture
def repo_copy(tmp_path) -> Path:
    """A fresh repository copy with no outputs."""
    return copy_repo(tmp_path / "repo")
