"""Injected faults: a solver that returns NaN or reports infeasible, a truncated or garbage HDF5
input. The job fails naming the cause, nothing appears under its final name, and
``--keep-going`` finishes the independent jobs."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from .runs import run, unreadable_h5

#: Loaded by every Python process of the run (PYTHONPATH): after cvxpy unpacks a solver's
#: result, the objective becomes NaN ("optimal" kept) or the status becomes "infeasible".
SITECUSTOMIZE = '''
import os
fault = os.environ.get("BELLFLOW_FAULT")
if fault:
    from cvxpy.problems.problem import Problem
    unpack = Problem.unpack_results
    def unpack_results(self, *args, **kwargs):
        unpack(self, *args, **kwargs)
        if fault == "nan":
            self._value = float("nan")
        elif fault == "infeasible":
            self._status = "infeasible"
    Problem.unpack_results = unpack_results
'''
SOLVER_JOB, SOLVER_OUT, SOLVER_LOG = "diqkd_npa", "results/diqkd/npa.h5", "logs/diqkd/npa.log"
INDEPENDENT = ["delivery_scan", "delivery_fig3_curves"]


@pytest.mark.parametrize(
    "fault,cause", [("nan", "non-finite"), ("infeasible", "status 'infeasible'")]
)
def test_solver_fault_fails_its_job_and_keep_going_finishes_the_rest(
    repo_copy, tmp_path, figures, fault, cause
):
    hook = tmp_path / "hook"
    hook.mkdir()
    (hook / "sitecustomize.py").write_text(SITECUSTOMIZE)
    proc = run(
        repo_copy,
        SOLVER_JOB,
        *INDEPENDENT,
        extra=("--keep-going",),
        BELLFLOW_FAULT=fault,
        PYTHONPATH=str(hook),
    )
    assert proc.returncode != 0
    figures["faults"] += 1
    log = (repo_copy / SOLVER_LOG).read_text()
    assert "SolverError" in log and cause in log, log[-3000:]
    assert not (repo_copy / SOLVER_OUT).exists(), "a failed solve left its output"
    assert not list((repo_copy / "results").rglob("*.tmp"))
    for f in ("results/delivery/fig2_scan.h5", "results/delivery/fig3_curves.h5"):
        assert (repo_copy / f).exists(), f"--keep-going did not finish {f}"
    assert unreadable_h5(repo_copy / "results") == []


@pytest.mark.parametrize("damage", ["truncated", "garbage"])
def test_damaged_input_fails_the_reader_naming_the_file(repo_copy, figures, damage):
    assert run(repo_copy, "delivery_fig3_curves").returncode == 0
    f = repo_copy / "results/delivery/fig3_curves.h5"
    data = f.read_bytes()
    bad = data[: len(data) // 2] if damage == "truncated" else np.random.default_rng(0).bytes(4096)
    f.write_bytes(bad)
    proc = run(repo_copy, "delivery_figure3")
    out = proc.stdout + proc.stderr
    assert proc.returncode != 0
    figures["faults"] += 1
    assert "fig3_curves.h5" in out and "Error in rule delivery_figure3" in out, out[-3000:]
    for final in Path(repo_copy / "results/figures/delivery").glob("fig3.*"):
        pytest.fail(f"{final} written from a damaged input")
