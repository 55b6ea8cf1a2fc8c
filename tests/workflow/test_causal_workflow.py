"""Paper 001 in the workflow: outputs, per-point solver records, and incremental re-runs."""

from __future__ import annotations

import numpy as np
import pytest
import xarray as xr
import yaml

from bellflow import causal
from bellflow.io import read_result
from bellflow.reproduction import build_table

from .conftest import changed_config, planned_jobs

pytestmark = pytest.mark.workflow


def _changed_config(repo, name, mutate):
    return changed_config(repo, name, mutate, topic="causal")


def test_fig1_directions_change_reruns_only_fig1(quick_run):
    cfg = _changed_config(quick_run, "fig1.yaml", lambda c: c["fig1"].__setitem__("directions", 12))
    jobs = planned_jobs(quick_run, "--configfile", cfg)
    assert jobs == {
        "causal_scan_chunk": 3,
        "causal_scan_gather": 1,
        "causal_figure1": 1,
        "summary_reproduction": 1,
        "all": 1,
    }


def test_deleted_outputs_recreate_only_their_chunk_and_dependents(quick_run):
    """Deleting one chunk and the gathered scan re-runs that chunk only, then the gather."""
    paths = [
        quick_run / "results/causal/chunks/biased_ocb_1.h5",
        quick_run / "results/causal/biased_ocb.h5",
    ]
    backups = [p.read_bytes() for p in paths]
    for p in paths:
        p.unlink()
    try:
        jobs = planned_jobs(quick_run)
        assert jobs == {
            "causal_scan_chunk": 1,
            "causal_scan_gather": 1,
            "summary_reproduction": 1,
            "all": 1,
        }
    finally:
        for p, b in zip(paths, backups, strict=True):
            p.write_bytes(b)


def test_scan_records_solver_per_point_and_matches_library(quick_run):
    with xr.open_dataset(quick_run / "results/causal/biased_lgyni.h5", engine="h5netcdf") as ds:
        alpha = ds["alpha"].values
        assert ds["ico"].dims == ("alpha",)
        assert np.all(ds["ico_gap"].values < 1e-7)
        assert set(np.asarray(ds["solver_status"].values).astype(str)) == {"optimal"}
        assert ds.attrs["solver"] == "CLARABEL"
        i = len(alpha) // 2
        res = causal.ico_bound_single_trigger(causal.biased_lgyni_coefficients(alpha[i]), (1, 1))
        assert ds["ico"].values[i] == pytest.approx(res.value, abs=1e-8)
        assert np.allclose(ds["causal"].values, ds["causal_lp"].values, atol=1e-8)
        assert res.certified == pytest.approx(ds["certified"].values[i], abs=1e-8)


def test_certified_never_below_achieved_at_any_configured_point(quick_run):
    """Every causal output with per-point certificates: achieved <= certified (issue 12)."""
    for name in ("biased_ocb", "biased_lgyni", "fig1"):
        ds = read_result(quick_run / f"results/causal/{name}.h5")
        cert, ach = ds["certified"].values, ds["achieved"].values
        assert np.all(np.isfinite(cert)) and int(ds.attrs["n_certified"]) == cert.size
        assert np.all(ach[np.isfinite(ach)] <= cert[np.isfinite(ach)] + 1e-12)
        assert np.all(ds["ico"].values <= cert + 1e-12)
    games = read_result(quick_run / "results/causal/games.h5")
    assert games["lgyni_ico_achieved"] <= games["lgyni_ico_certified"]


def test_reproduction_rows_pass(quick_run):
    rows = yaml.safe_load((quick_run / "workflow/resources/paper_values/causal.yaml").read_text())
    cache: dict = {}

    def lookup(f, v):
        if f not in cache:
            cache[f] = read_result(quick_run / f)
        return cache[f][v]  # with its attrs (certified rows need the certificate)

    df = build_table({"causal": rows}, lookup)
    assert set(df["status"]) <= {"pass", "typo"}, df[df["status"] == "fail"].to_string()
    assert (df["status"] == "typo").sum() == 2  # the two Appendix B rows


def test_figures_are_real_images(quick_run):
    for name in ("fig1", "fig2a", "fig2b"):
        png = quick_run / f"results/figures/causal/{name}.png"
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert png.stat().st_size > 20_000
        pdf = quick_run / f"results/figures/causal/{name}.pdf"
        assert pdf.read_bytes()[:5] == b"%PDF-"


def test_facet_table(quick_run):
    """Beyond the paper: 48 facets in 3 classes (positivity, LGYNI-type, GYNI-type)."""
    import pandas as pd

    table = pd.read_csv(quick_run / "results/causal/facets.csv")
    assert len(table) == 3 and table["orbit_size"].sum() == 48
    assert np.allclose(table["causal"], 1.0)
    ds = read_result(quick_run / "results/causal/facets.h5")
    assert int(ds["n_facets"]) == 48 and float(ds["support_discrepancy"]) < 1e-9
    assert sorted(np.round(table["ico"], 4)) == [1.0, 1.1388, 1.5184]
    assert np.all(table["ico"] <= table["ico_certified"] + 1e-12)
    assert int(ds["n_classes"]) == 3 and int(ds["min_facet_dim"]) == 11
