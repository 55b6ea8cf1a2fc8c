"""Paper 000 in the workflow: outputs agree with the library, reruns are minimal."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
import xarray as xr
import yaml

from bellflow import interconversion

from .conftest import planned_jobs

pytestmark = pytest.mark.workflow


def _overlay(repo, name, section):
    """``config/<name>``: a one-section overlay merged after ``config/quick.yaml`` (the other
    keys keep the order and values of the quick run, so their params do not change)."""
    (repo / "config" / name).write_text(
        yaml.safe_dump({"interconversion": section}, sort_keys=False)
    )
    return ["--configfile", "config/quick.yaml", f"config/{name}"]


def _open(repo, name):
    return xr.open_dataset(repo / f"results/interconversion/{name}.h5", engine="h5netcdf")


def test_hardy_curve_closed_form_and_checks(quick_run):
    from bellflow.grids import grid

    cfg = yaml.safe_load((quick_run / "config/quick.yaml").read_text())["interconversion"]
    with _open(quick_run, "hardy_schmidt") as ds:
        s = ds["s"].values
        assert s.size == cfg["hardy_schmidt"]["s"]["points"]
        np.testing.assert_allclose(s, np.linspace(0, 1, s.size), atol=1e-15)
        np.testing.assert_allclose(
            ds["closed_form"].values, interconversion.hardy_success_schmidt(s), atol=1e-15
        )
        # the numerical route ran at the configured check points plus s of psi_H
        assert set(grid(cfg["hardy_schmidt"]["check_s"])) < set(ds["s_check"].values)
        np.testing.assert_allclose(
            ds["numeric"].values, ds["closed_form_check"].values, atol=1e-7
        )
        assert float(ds["max_abs_closed_vs_numeric"]) < 1e-7


def test_npa_values_file(quick_run):
    with _open(quick_run, "npa_values") as ds:
        # Tsirelson bound (paper, text above Eq. 3) at every level; Hardy needs 1+AB
        for lev in ("1", "1ab", "2"):
            assert float(ds[f"chsh_level{lev}"]) == pytest.approx(2 * math.sqrt(2), abs=1e-6)
        assert float(ds["hardy_level1ab"]) == pytest.approx((5 * math.sqrt(5) - 11) / 2, abs=1e-6)
        assert float(ds["hardy_level1"]) > 0.2
        tol = json.loads(ds.attrs["solver_tolerances_per_bound"])
        assert set(tol) >= {"chsh_level1", "hardy_level1ab"}
        assert json.loads(ds.attrs["params"])["levels"] == ["1", "1+AB", "2"]


def test_thresholds_two_routes(quick_run):
    with _open(quick_run, "thresholds") as ds:
        assert float(ds["eta_local"]) == pytest.approx(float(ds["eta_local_visibility"]), abs=1e-6)
        assert float(ds["eta_quantum"]) == pytest.approx(
            float(ds["eta_quantum_visibility"]), abs=1e-6
        )
        assert float(ds["eta_local_hi"]) - float(ds["eta_local_lo"]) <= float(ds["bisection_tol"])


def test_fig1_points_and_nesting(quick_run):
    with _open(quick_run, "fig1_data") as ds:
        assert np.all(ds["r_local"].values <= ds["r_quantum"].values + 1e-7)
        assert np.all(ds["r_quantum"].values <= ds["r_ns"].values + 1e-7)
        assert float(ds["x_PT"]) == pytest.approx(1 / math.sqrt(2), abs=1e-12)
        assert 0.5 < float(ds["eta_max"]) < 1 / math.sqrt(2)
        assert float(ds["x_Piso"]) == pytest.approx(float(ds["eta_max"]), abs=1e-12)
        assert bool(ds["lprime_local"])


def test_propositions_file(quick_run):
    with _open(quick_run, "propositions") as ds:
        assert bool(ds["prop1_no_hardy"]) and bool(ds["prop2_condition_fails_all_n"])
        assert float(ds["prop1_control_J"]) > 0.05  # the control run does find Hardy's paradox
        assert bool(ds["prop2_control_ok"])
        assert ds["prop2_top_multiplicity"].values.tolist() == [1] * ds.sizes["n"]


def test_sets_and_extremality_files(quick_run):
    with _open(quick_run, "sets") as ds:
        assert int(ds["n_local_vertices"]) == 16 and int(ds["n_pr_vertices"]) == 8
        assert int(ds["vertices_vs_eq1_unmatched"]) == 0
        assert bool(ds["strict_inclusions"]) and bool(ds["theorem2_inequivalent"])
        assert float(ds["theorem2_control"]) == 0.0
    with _open(quick_run, "extremality") as ds:
        assert bool(ds["PT_extreme"]) and bool(ds["PH_extreme"])
        assert bool(ds["control_not_extreme"])  # the method can say "not a point"
        assert ds["selftest_fidelity"].dims == ("d",) and bool(ds["selftest_phi_plus"])
        assert ds["face_width_PT"].attrs["description"]


def test_fig1_l0_and_theorem3_range(quick_run):
    with _open(quick_run, "fig1_data") as ds:
        # L_0 as the caption defines it: PR_{1/2}, half way from the uniform box to PR
        assert (float(ds["x_L0"]), float(ds["y_L0"])) == pytest.approx((0.5, 0.0), abs=1e-12)
        assert float(ds["eta_L0"]) == pytest.approx(0.5, abs=1e-7)
        # three constructions, each reaching further (Corollary 1 and its extensions)
        assert 0.5 < float(ds["eta_max"]) < float(ds["eta_max_relabelled"])
        assert float(ds["eta_max_relabelled"]) < float(ds["eta_psi_h"]) < 1 / math.sqrt(2)
        # and the states of Theorem 2 approach the quantum end of the interval
        assert float(ds["eta_psi_h"]) < float(ds["eta_states_max"]) < 1 / math.sqrt(2)
        assert float(ds["eta_states_max"]) > 1 / math.sqrt(2) - 1e-5


def test_check_points_change_reruns_only_hardy(quick_run):
    args = _overlay(quick_run, "ic_check.yaml", {"hardy_schmidt": {"check_s": [0.5]}})
    jobs = planned_jobs(quick_run, *args)
    assert jobs == {
        "interconversion_hardy_schmidt": 1,
        "interconversion_figure_hardy": 1,
        "summary_reproduction": 1,
        "all": 1,
    }


def test_fig1_rays_change_reruns_fig1_only(quick_run):
    args = _overlay(quick_run, "ic_fig1.yaml", {"fig1": {"n_angles": 60}})
    jobs = planned_jobs(quick_run, *args)
    assert jobs == {
        "interconversion_fig1_data": 1,
        "interconversion_figure1": 1,
        "summary_reproduction": 1,
        "all": 1,
    }


def test_figures_are_real_images(quick_run):
    for name in ("fig1", "hardy_schmidt"):
        png = quick_run / f"results/figures/interconversion/{name}.png"
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert png.stat().st_size > 20_000
        pdf = quick_run / f"results/figures/interconversion/{name}.pdf"
        assert pdf.read_bytes()[:5] == b"%PDF-"
