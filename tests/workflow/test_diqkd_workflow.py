"""Paper 002 in the workflow: outputs match the library, and a change re-runs only its jobs."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import xarray as xr

from bellflow import diqkd

from .conftest import changed_config, merged_config, planned_jobs

pytestmark = pytest.mark.workflow


def _changed_config(repo, name, mutate):
    return changed_config(repo, name, mutate, topic="diqkd")


def test_bff_change_reruns_only_bff(quick_run):
    cfg = _changed_config(quick_run, "dq_bff.yaml", lambda d: d["bff"].__setitem__("m_chsh", 3))
    jobs = planned_jobs(quick_run, "--configfile", cfg)
    assert jobs == {"diqkd_bff_chunk": 1, "diqkd_bff": 1, "diqkd_figure3": 1, "all": 1}


def test_scan_change_reruns_scan_figures_and_summary(quick_run):
    cfg = _changed_config(
        quick_run, "dq_scan.yaml", lambda d: d["scan"]["eps"].__setitem__("points", 5)
    )
    jobs = planned_jobs(quick_run, "--configfile", cfg)
    scan = merged_config(quick_run)["diqkd"]["scan"]
    n_chunks = -(-len(scan["d"]) // scan["chunk_size"])
    assert jobs == {
        "diqkd_scan_chunk": n_chunks,
        "diqkd_scan": 1,
        "diqkd_figure1": 1,
        "diqkd_figure2": 1,
        "summary_reproduction": 1,
        "all": 1,
    }


def test_scan_file_matches_library(quick_run):
    with xr.open_dataset(quick_run / "results/diqkd/scan.h5", engine="h5netcdf") as ds:
        assert ds["violation"].dims == ("d", "eps")
        d = ds["d"].values
        eps = ds["eps"].values
        i, j = len(d) - 1, 1
        assert ds["violation"].values[i, j] == pytest.approx(
            diqkd.family_violation(int(d[i]), float(eps[j])), rel=1e-12
        )
        assert bool(ds["key_rate_all_log2d"]) and bool(ds["violation_positive_all"])
        assert bool(ds["noise_tolerance_to_zero"]) and bool(ds["p0_local"])
        assert not bool(ds["eq16_X_equals_sum"])  # the Eq. (16) typo row
        lo, up = ds["distance_lower"].values, ds["distance_upper"].values
        assert np.all(lo <= up + 1e-12)


def test_bff_and_npa_files(quick_run):
    with xr.open_dataset(quick_run / "results/diqkd/bff.h5", engine="h5netcdf") as ds:
        assert np.all(ds["family_H_AE"].values <= ds["family_H_AE_solver"].values + 1e-12)
        assert set(ds.attrs["solver_status"].split(",")) <= {"optimal", "optimal_inaccurate"}
    with xr.open_dataset(quick_run / "results/diqkd/npa.h5", engine="h5netcdf") as ds:
        assert bool(ds["npa_all_confirmed"])
        # the quick config has eps = 0.5 (resolved) and eps = 0.01 (not resolved)
        res = dict(zip(ds["eps"].values, ds["resolved"].values.astype(bool), strict=True))
        assert res == {0.5: True, 0.01: False}
    with xr.open_dataset(quick_run / "results/diqkd/di_rates.h5", engine="h5netcdf") as ds:
        assert np.all(ds["di_rate"].values <= float(ds["quadrature_ceiling"]) + 1e-9)
        assert float(ds["di_ceiling_gap_max"]) < 5e-3
        assert set(ds["node_solver_status"].values.ravel()) <= {"optimal", "optimal_inaccurate"}


def test_reproduction_rows_pass(quick_run):
    df = pd.read_csv(quick_run / "results/summary/reproduction.csv")
    mine = df[df["paper"] == "diqkd"]
    assert len(mine) == 13
    assert set(mine["status"]) <= {"pass", "typo", "depends"}
    assert (mine["status"] == "typo").sum() == 1  # Eq. (16)
    # the key-rate rows rest on m (BFF) or on the theorem (d >= 3); NPA resolves only some eps
    assert (mine["status"] == "depends").sum() == 5


def test_figures_are_real_images(quick_run):
    for name in ("fig1", "fig2", "fig3"):
        png = quick_run / f"results/figures/diqkd/{name}.png"
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert png.stat().st_size > 20_000
        pdf = quick_run / f"results/figures/diqkd/{name}.pdf"
        assert pdf.read_bytes()[:5] == b"%PDF-"
