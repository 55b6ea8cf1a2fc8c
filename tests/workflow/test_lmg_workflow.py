"""Paper 003 (open LMG) in the workflow: schema, scatter/gather, outputs vs library, reruns."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import yaml
from snakemake.utils import validate

from bellflow import lmg
from bellflow.io import params_of, read_result

from .conftest import ROOT, changed_config, merged_config, planned_jobs

pytestmark = pytest.mark.workflow

FIGS = ["fig1a", "fig1b", "fig2a", "fig2b", "fig3a", "fig3b", "fig4a", "fig4b", "twobody"]


def _quick():
    return merged_config()


def _changed_config(repo, name, mutate):
    return changed_config(repo, name, mutate, topic="lmg")


@pytest.mark.parametrize(
    "section,key,value,match",
    [
        ("fig3", "N", 21, "N"),  # Fig. 3 needs N even (D_{N/2})
        ("fig3", "N", 0, "N"),
        ("fig1", "N", 1, "N"),  # two-body reduced state needs N >= 2
        ("fig2", "N", 2.5, "N"),
        ("nonthermal", "gamma", 0.0, "gamma"),
        ("fig4", "p", {"min": 0.0, "max": 1.5, "points": 3}, "1.5"),  # Eq. (15) needs p <= 1
        ("fig3", "times", {"min": 1.0, "max": 5.0, "points": 3}, "times"),  # starts at t = 0
        ("fig1", "beta", [0.0, 1.0], "beta"),  # beta > 0
        ("twobody", "starts", 0, "starts"),  # see-saw needs a start
    ],
)
def test_schema_rejects_invalid_parameters(section, key, value, match):
    cfg = _quick()
    validate(cfg, str(ROOT / "workflow/schemas/config.schema.yaml"))  # the quick config is valid
    cfg["lmg"][section][key] = value
    with pytest.raises(Exception, match=match):
        validate(cfg, str(ROOT / "workflow/schemas/config.schema.yaml"))


def test_smaller_chunks_plan_more_chunk_jobs(quick_run):
    # quick: 5 h values; chunk_size 2 -> 3 chunks for each of the three h maps, which re-run
    # with their merges and the study-2 summaries of those maps. The gamma map (2 gammas) stays
    # one chunk with unchanged parameters, so neither it nor the paper rows re-run.
    cfg = _changed_config(
        quick_run, "chunks.yaml", lambda d: d["fig1"].__setitem__("chunk_size", 2)
    )
    jobs = planned_jobs(quick_run, "--configfile", cfg)
    assert jobs == {
        "lmg_fig1_chunk": 9,
        "lmg_fig1_merge": 3,
        "lmg_figure1": 1,
        "lmg_twobody": 3,
        "lmg_figure_twobody": 1,
        "all": 1,
    }


def test_fig4_change_reruns_only_fig4(quick_run):
    cfg = _changed_config(quick_run, "fig4.yaml", lambda d: d["fig4"]["p"].__setitem__("points", 9))
    jobs = planned_jobs(quick_run, "--configfile", cfg)
    assert jobs == {"lmg_fig4_trace": 2, "lmg_figure4": 1, "summary_reproduction": 1, "all": 1}


def test_fig1_map_matches_library(quick_run):
    ds = read_result(quick_run / "results/lmg/fig1_thermal_h_beta.h5")
    p = params_of(ds)
    h, beta = ds["h"].values, ds["beta"].values
    assert len(h) == _quick()["lmg"]["fig1"]["h"]["points"]
    i, k = len(h) - 2, len(beta) - 1
    obs = lmg.steady_observables(
        "thermal",
        p["n"],
        p["j"],
        float(h[i]),
        beta=float(beta[k]),
        alpha=p["alpha"],
        omega_c=p["omega_c"],
    )
    assert ds["bell"].values[i, k] == pytest.approx(obs["bell"], abs=1e-9)
    assert np.all(ds["residual"].values < 1e-8)
    # the gathered map equals the Gibbs-state map (thermal steady state = Gibbs)
    rho = lmg.gibbs_state(p["n"], p["j"], float(h[i]), float(beta[k]))
    assert ds["concurrence"].values[i, k] == pytest.approx(lmg.two_body_concurrence(rho), abs=1e-8)


def test_fig3_trace_matches_library(quick_run):
    ds = read_result(quick_run / "results/lmg/fig3_closed.h5")
    p = params_of(ds)
    t = ds["t"].values[[0, 7]]
    tr = lmg.eq14_trace(p["n"], p["omega"], 0.0, t)
    assert ds["bell"].attrs["units"] == "1" and ds["t"].size == p["times"]["points"]
    np.testing.assert_allclose(ds["bell"].values[[0, 7]], tr["bell"], atol=1e-6)


def test_reproduction_rows_pass_typo_or_depends(quick_run):
    table = pd.read_csv(quick_run / "results/summary/reproduction.csv")
    rows = table[table["paper"] == "lmg"]
    expected = yaml.safe_load((ROOT / "workflow/resources/paper_values/lmg.yaml").read_text())
    assert len(rows) == len(expected)
    bad = rows[~rows["status"].isin(["pass", "typo", "depends"])]
    assert bad.empty, bad.to_string()
    assert set(rows.loc[rows["status"] == "typo", "quantity"]) == {
        r["quantity"] for r in expected if r.get("typo")
    }
    assert set(rows.loc[rows["status"] == "depends", "quantity"]) == {
        r["quantity"] for r in expected if r.get("depends")
    }


def test_figures_are_real_images(quick_run):
    for name in FIGS:
        png = quick_run / f"results/figures/lmg/{name}.png"
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert png.stat().st_size > 20_000
        assert (quick_run / f"results/figures/lmg/{name}.pdf").read_bytes()[:5] == b"%PDF-"


def test_twobody_study_matches_maps_and_monogamy(quick_run):
    # Study 2: the summaries are those of the maps, and no rho_2 violates CHSH (N >= 3) or I3322.
    for m in ("thermal_h_beta", "thermal_h_j", "nonthermal_h_zeta", "nonthermal_gamma_zeta"):
        ds = read_result(quick_run / f"results/lmg/fig1_{m}.h5")
        s = read_result(quick_run / f"results/lmg/twobody_{m}.h5")
        assert float(s["max_chsh_two_body"]) == pytest.approx(float(ds["chsh_two_body"].max()))
        assert float(s["max_chsh_two_body"]) <= 2 + 1e-9
        assert float(s["fraction_manybody_violation"]) == pytest.approx(
            float((ds["bell"] < 0).mean())
        )
        assert float(s["chsh_check"]) < 1e-6
        # beyond CHSH: no I3322 violation (symmetric extension), the LP agrees with CHSH <= 2
        assert float(s["max_i3322"]) < 1e-9
        assert float(s["lp_chsh_agreement"]) == 1.0
        assert float(s["lp_closed_form_deviation"]) < 1e-6  # HiGHS tolerance at v = 1
        assert s["i3322_sharp"].shape == ds["bell"].shape
