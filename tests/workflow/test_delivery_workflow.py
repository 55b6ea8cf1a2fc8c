"""Paper 004 in the workflow: outputs, and re-running only what a change touches."""

from __future__ import annotations

import os

import numpy as np
import pytest
import xarray as xr

from bellflow import delivery

from .conftest import changed_config, planned_jobs

pytestmark = pytest.mark.workflow


def _changed_config(repo, name, mutate):
    return changed_config(repo, name, mutate, topic="delivery")


def test_fig3_grid_change_reruns_only_fig3(quick_run):
    cfg = _changed_config(
        quick_run, "fig3.yaml", lambda d: d["fig3"]["S"].__setitem__("points", 57)
    )
    jobs = planned_jobs(quick_run, "--configfile", cfg)
    # the checks evaluate Eq. (4.2) at every S of Fig. 3, so they and the table re-run too
    assert jobs == {
        "delivery_fig3_curves": 1,
        "delivery_figure3": 1,
        "delivery_checks": 1,
        "summary_reproduction": 1,
        "all": 1,
    }


def test_checks_change_reruns_checks_and_summary(quick_run):
    cfg = _changed_config(
        quick_run, "checks.yaml", lambda d: d["checks"].__setitem__("small_S", 0.002)
    )
    jobs = planned_jobs(quick_run, "--configfile", cfg)
    assert jobs == {"delivery_checks": 1, "summary_reproduction": 1, "all": 1}


def test_deleted_output_recreates_it_and_its_dependents_only(quick_run):
    scan = quick_run / "results/delivery/fig2_scan.h5"
    backup = scan.read_bytes()
    scan.unlink()
    try:
        jobs = planned_jobs(quick_run)
        assert jobs == {"delivery_scan": 1, "delivery_figure2": 1, "all": 1}
    finally:
        scan.write_bytes(backup)


def test_scan_file_matches_library(quick_run):
    with xr.open_dataset(quick_run / "results/delivery/fig2_scan.h5", engine="h5netcdf") as ds:
        a = ds["a"].values
        S = ds["S"].values
        assert ds["eof"].dims == ("a", "S")
        i, j = len(a) // 3, 2 * len(S) // 3
        assert ds["concurrence"].values[i, j] == pytest.approx(
            float(delivery.concurrence(a[i], S[j])), abs=1e-14
        )
        # entangled mask and E_F agree: E_F > 0 exactly where the mask says entangled
        np.testing.assert_array_equal(ds["entangled"].values == 1, ds["eof"].values > 0)


def test_figures_are_real_images(quick_run):
    for name in ("fig2", "fig3", "dikey"):
        png = quick_run / f"results/figures/delivery/{name}.png"
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert png.stat().st_size > 20_000
        pdf = quick_run / f"results/figures/delivery/{name}.pdf"
        assert pdf.read_bytes()[:5] == b"%PDF-"


def test_library_change_reruns_only_the_rules_that_import_it(quick_run):
    """Editing src/bellflow/delivery/channel.py re-runs the delivery computations (declared as
    `code=lib(...)` inputs), their figures and the summary, and nothing else.
    (Touching the file is not enough: Snakemake compares the checksums of small inputs.)"""
    module = quick_run / "src/bellflow/delivery/channel.py"
    before = module.stat()
    text = module.read_text()
    try:
        module.write_text(text + "\n# an edit\n")
        jobs = planned_jobs(quick_run)
    finally:
        module.write_text(text)
        os.utime(module, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert jobs == {
        "delivery_scan": 1,
        "delivery_fig3_curves": 1,
        "delivery_checks": 1,
        "delivery_dikey": 1,
        "delivery_dikey_bff": 2,
        "delivery_dikey_bff_gather": 1,
        "delivery_figure2": 1,
        "delivery_figure3": 1,
        "delivery_figure_dikey": 1,
        "summary_reproduction": 1,
        "all": 1,
    }


def test_dikey_study_on_the_fig2_axes(quick_run):
    """Study 1 is stored over the same a and S axes as Fig. 2's scan, its regions are nested
    and its rate agrees with the library at a point."""
    from bellflow.delivery import dikey

    res = quick_run / "results/delivery"
    with (
        xr.open_dataset(res / "dikey.h5", engine="h5netcdf") as ds,
        xr.open_dataset(res / "fig2_scan.h5", engine="h5netcdf") as fig2,
    ):
        np.testing.assert_array_equal(ds["a"].values, fig2["a"].values)
        np.testing.assert_array_equal(ds["S"].values, fig2["S"].values)
        np.testing.assert_array_equal(ds["entangled"].values, fig2["entangled"].values)
        np.testing.assert_array_equal(ds["chsh_violated"].values, fig2["chsh_violated"].values)
        assert float(ds["nested"]) == 1
        i = int(np.argmin(np.abs(ds["a"].values - 0.7)))
        assert ds["rate_pironio"].values[i, -1] == pytest.approx(
            float(dikey.key_rate_pironio(ds["a"].values[i], 1.0)), abs=1e-14
        )
