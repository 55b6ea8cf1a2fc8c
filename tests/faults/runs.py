"""Running Snakemake on a repository copy for the fault tests."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import xarray as xr

#: A cheap subset of the quick workflow: delivery's scans, checks and one figure (seconds each).
TARGETS = ["delivery_scan", "delivery_fig3_curves", "delivery_checks", "delivery_figure3"]
QUICK = ["--cores", "2", "--configfile", "config/quick.yaml"]
TIMEOUT = int(os.environ.get("BELLFLOW_WORKFLOW_TIMEOUT", "900"))


def command(*targets: str, extra: tuple[str, ...] = ()) -> list[str]:
    # targets first: --configfile takes every following word as a file
    return [sys.executable, "-m", "snakemake", *targets, *QUICK, *extra]


def env(**extra: str) -> dict[str, str]:
    return {**os.environ, "PYTHONHASHSEED": "0", "OMP_NUM_THREADS": "1", **extra}


def run(repo: Path, *targets: str, extra: tuple[str, ...] = (), **env_extra: str):
    """Run to the end; the CompletedProcess (not checked)."""
    return subprocess.run(
        command(*targets, extra=extra),
        cwd=repo,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        env=env(**env_extra),
    )


def unreadable_h5(results: Path) -> list[str]:
    """HDF5 files under a final name that do not open (a kill must never leave one)."""
    bad = []
    for f in sorted(results.rglob("*.h5")):
        try:
            with xr.open_dataset(f, engine="h5netcdf") as ds:
                ds.load()
        except Exception as exc:  # noqa: BLE001 - any failure to read is a lost output
            bad.append(f"{f}: {exc}")
    return bad
