"""Tests of bellflow.delivery.checks: the paper-004 rows, their independent routes, and the
agreement of the rows file with the config. Paper values appear only as expected values."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import yaml

from bellflow import delivery as dl
from bellflow import states
from bellflow.delivery import checks

ROOT = Path(__file__).resolve().parents[1]
ROWS = yaml.safe_load((ROOT / "workflow/resources/paper_values/delivery.yaml").read_text())
CONFIG = yaml.safe_load((ROOT / "config/config.yaml").read_text())["delivery"]
BELL_A = 1 / np.sqrt(2)


@pytest.fixture(scope="module")
def c() -> dict[str, float]:
    ds = dl.paper_checks(fig3_S=np.linspace(0, 1, 101))
    return {k: float(v) for k, v in ds.data_vars.items()}


def test_section3(c):
    # Sec. III: minimum of Eq. (3.2) at a = 1/sqrt 2, from the explicit state
    assert c["fidelity_argmin_a"] == pytest.approx(1 / np.sqrt(2), abs=1e-7)
    assert c["fidelity_argmin_a_vs_eq32"] < 1e-7
    # Eq. (3.3) is the concurrence where positive; as printed it is not (negative values)
    assert c["eq33_max_abs_dev"] < 1e-7 and c["eq33_wootters_vs_x_state"] < 1e-7
    assert c["eq33_printed_max_abs_dev"] == pytest.approx(0.5, abs=0.01)
    # "C = 0 for Bell pairs when S < 1/3"; the printed Eq. (3.4) disagrees
    assert c["bell_entanglement_threshold_S"] == pytest.approx(1 / 3, abs=1e-12)
    assert c["bell_entanglement_threshold_S_vs_ppt"] < 1e-12
    assert abs(c["eq34_printed_bell_S"] - 1 / 3) > 0.05
    assert c["eq34_corrected_max_abs_dev"] < 1e-12 and c["eq34_corrected_vs_ppt"] < 1e-12
    # entangled if a < S for S << 1; concurrence of |psi_a> ~ 2a; entanglement for every S
    assert c["small_S_entanglement_edge_over_S"] == pytest.approx(1, abs=2e-3)
    assert c["small_S_entanglement_edge_over_S_vs_ppt"] < 1e-9
    assert c["pure_concurrence_over_2a"] == pytest.approx(1, abs=1e-9)
    assert c["pure_concurrence_over_2a_vs_reduced_det"] < 1e-9
    assert c["entangled_for_all_S"] == 1.0 and c["entangled_for_all_S_vs_ppt"] == 0


def test_section4(c):
    # a* = S/2 and Eq. (4.1) for S << 1, with their computed ranges
    assert c["a_star_over_half_S"] == pytest.approx(1, abs=2e-3)
    assert c["a_star_over_half_S_vs_closed"] < 1e-6
    assert c["eq41_rel_dev"] < 0.01 and c["eq41_rel_dev_vs_eq33"] < 1e-12
    # the ranges: a* = S/2 (1 + S) and Eq. (4.1) deviates by about 4 S
    assert c["a_star_S_max"] == pytest.approx(0.01, rel=0.05)
    assert c["eq41_S_max"] == pytest.approx(0.01 / 4, rel=0.05)
    assert c["small_S_edge_S_max"] == pytest.approx(0.01, rel=0.05)
    # Eq. (4.2): better as S -> 0, within 5% only below eq42_S_max
    assert c["eq42_rel_error_S_0.01"] < c["eq42_rel_error_S_0.1"]
    assert c["eq42_rel_error_S_0.01"] < 0.05 < c["eq42_rel_error_S_0.1"]
    assert 0.01 < c["eq42_S_max"] < 0.1
    assert c["eq42_converges_on_fig3"] == 1.0 and c["eq42_converges_on_fig3_vs_numeric"] == 0
    assert c["eq42_rel_error_fig3_max"] > 0.5
    assert 0.5 < c["distill_cost_ratio"] < 1  # "of order 4/S^4 log2 S^-1"
    assert c["distill_cost_ratio_vs_closed"] < 1e-9
    assert 0.001 < c["distill_S_max"] < 0.1


def test_section5(c):
    assert c["bell_chsh_threshold_S"] == pytest.approx(1 / np.sqrt(2), abs=1e-12)
    assert c["bell_chsh_threshold_S_vs_explicit"] < 1e-10
    assert c["chsh_threshold_min_S"] == pytest.approx(1 / np.sqrt(2), abs=1e-10)
    assert c["chsh_threshold_argmin_a"] == pytest.approx(1 / np.sqrt(2), abs=1e-4)
    assert abs(c["eq51_printed_bell_S"] - 1 / np.sqrt(2)) > 0.5
    assert c["eq51_corrected_max_abs_dev"] < 1e-10 and c["eq51_corrected_vs_explicit"] < 1e-9
    # the LHV region: apex at the Bell point, top at Barrett's weight (Eq. 5.2)
    assert c["lhv_max_S"] == pytest.approx(5 / 12, abs=1e-12)
    assert c["lhv_apex_a"] == pytest.approx(1 / np.sqrt(2), abs=1e-12)
    assert c["lhv_max_S_vs_lp"] < 1e-7 and c["lhv_apex_a_vs_argmax"] < 1e-7
    assert c["lhv_a_min"] < 1 / np.sqrt(2) < c["lhv_a_max"]
    assert c["lhv_extent_vs_explicit"] < 1e-10
    for claim in ("lhv_region_is_finite", "lhv_offdiag_never_binding", "lhv_three_boundaries"):
        assert c[claim] == 1.0 and c[f"{claim}_vs_mask"] == 0
    # Eq. (5.4) as printed has trace 0; corrected, 1
    assert abs(c["eq54_printed_trace"]) < 1e-12 and c["eq54_corrected_trace_dev"] < 1e-12
    assert all(np.isfinite(v) for v in c.values())


def test_extent_corners_are_where_the_region_closes():
    """Independent of the checks module: the LHV mask has points just inside the corners
    (between a_min and a_max) and none just outside."""
    lhv = checks.section5_lhv()
    a_min, a_max = lhv["lhv_a_min"][0], lhv["lhv_a_max"][0]
    s = np.linspace(0.3, 0.45, 30001)
    for a, inside in [(a_min + 2e-3, True), (a_max - 2e-3, True)]:
        assert bool(np.any(dl.lhv_region(a, s))) == inside
    for a in (a_min - 1e-4, a_max + 1e-4):
        assert not np.any(dl.lhv_region(a, s))


def test_largest_S_finds_the_range_and_fails_loudly():
    assert checks._largest_S(lambda s: 4 * s, 0.01) == pytest.approx(0.0025, rel=1e-12)
    assert checks._largest_S(lambda s: s, 0.9) == 0.3  # holds over the whole bracket
    with pytest.raises(RuntimeError, match="not increasing"):
        checks._largest_S(lambda s: np.cos(40 * s), 0.5)
    with pytest.raises(RuntimeError, match="exceeds"):
        checks._largest_S(lambda s: 1 + s, 0.5)


def test_converges_claim_can_fail():
    rel = np.array([0.01, 0.02, 0.5, 0.3])
    assert checks._converges(rel, 0.05) == 1.0
    assert checks._converges(np.array([0.01, 0.03, 0.02, 0.5]), 0.05) == 0.0  # not monotone
    assert checks._converges(np.array([0.06, 0.1]), 0.05) == 0.0  # not within tolerance


def test_explicit_helpers_are_independent_of_the_closed_forms():
    a, s = np.linspace(0.05, 0.95, 7), 0.6
    np.testing.assert_allclose(checks._c_explicit(a, s), dl.concurrence(a, s), atol=1e-15)
    # the PPT eigenvalue changes sign at the entanglement threshold
    sb = dl.entanglement_boundary(a)
    assert np.all(checks._ppt(a, sb + 1e-6) < 0) and np.all(checks._ppt(a, sb - 1e-6) > 0)
    assert states.min_ppt_eigenvalue(states.bell_state()) == pytest.approx(-0.5)


def test_rows_use_the_config_tolerances():
    """The S ranges are computed at the config's relative tolerances: the rows they qualify
    must compare with the same tolerances."""
    cfg = CONFIG["checks"]
    by_var = {r["variable"]: r for r in ROWS}
    assert by_var["small_S_entanglement_edge_over_S"]["tolerance"] == cfg["approx_rtol"]
    assert by_var["a_star_over_half_S"]["tolerance"] == cfg["approx_rtol"]
    assert by_var["eq41_rel_dev"]["tolerance"] == cfg["approx_rtol"]
    assert by_var["eq42_rel_error_S_0.01"]["tolerance"] == cfg["eq42_rtol"]
    assert by_var["distill_cost_ratio"]["tolerance"] == cfg["order_rtol"]
    assert 0.01 in cfg["eq42_S"]


def test_every_row_has_route_and_check_in_the_checks_output(c):
    for row in ROWS:
        assert row["route"].strip(), row["quantity"]
        check = row["check"]
        if isinstance(check, str):
            assert check.startswith("none:")
            continue
        assert row["variable"] in c, row["variable"]
        assert check["variable"] in c, check["variable"]
        assert c[check["variable"]] <= check["tolerance"], row["quantity"]
        for v in row.get("depends", {}).get("range_variables", []):
            assert v in c, v


def test_bad_arguments():
    with pytest.raises(ValueError, match="small_S"):
        dl.paper_checks(small_S=0.7)
    with pytest.raises(ValueError, match="eq42_S"):
        dl.paper_checks(eq42_S=())
    with pytest.raises(ValueError, match="fig3_S"):
        dl.paper_checks(fig3_S=[0.0])
    with pytest.raises(ValueError, match="approx_rtol"):
        dl.paper_checks(approx_rtol=0.0)
    with pytest.raises(ValueError, match="fig3_S"):
        dl.paper_checks(fig3_S=[0.5, 0.2])
