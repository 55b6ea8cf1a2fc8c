"""Tests of the paper-000 checks: every claim's computation can come out either way."""

import math

import numpy as np
import pytest

from bellflow import boxes as bx
from bellflow import interconversion as ic
from bellflow.interconversion import checks, polytope, selftest, spectra, thresholds

HARDY_MAX = (5 * math.sqrt(5) - 11) / 2  # paper, text above Eq. (3)
PRINTED_A = math.sqrt((5 - math.sqrt(3)) / 2)  # paper, Eq. (3b) as printed (typo)


def test_ns_vertices_from_the_inequalities_are_eq1():
    V = polytope.ns_vertices()
    integral = np.all(np.isclose(V, np.round(V), atol=1e-9), axis=(1, 2, 3, 4))
    assert integral.sum() == 16 and (~integral).sum() == 8  # Eq. (1a), (1b)
    ds = checks.eq1_vertices()
    assert int(ds["vertices_vs_eq1_unmatched"]) == 0
    # every vertex is a valid NS box with the entries of Eq. (1)
    for p in V:
        bx.check_box(p, atol=1e-9)
    assert set(np.round(V[~integral].ravel(), 9)) == {0.0, 0.5}


def test_relabellings_form_the_symmetries_of_the_box_set():
    R = polytope.relabellings()
    assert len(R) == 128
    pr = bx.pr_boxes()
    images = {polytope.apply_relabelling(pr[0], r).tobytes() for r in R}
    assert images == {p.tobytes() for p in pr}  # the 8 PR boxes form one class


def test_lemma1_holds_and_a_wrong_identity_fails():
    r = polytope.lemma1_residual((2, 3), samples=3)
    assert r["lemma"] < 1e-14 and r["index_route"] < 1e-14
    rng = np.random.default_rng(1)
    X, Y = rng.normal(size=(2, 3, 3))
    phi = ic.phi_plus(3)
    wrong = np.kron(np.eye(3), Y @ X) @ phi  # without the transpose
    assert np.abs(np.kron(X, Y) @ phi - wrong).max() > 1e-3


def test_eq7_distance_zero_iff_evenly_degenerate():
    assert spectra.eq7_distance([0.25, 0.25, 0.25, 0.25]) == 0.0
    assert spectra.eq7_distance(np.kron([0.5, 0.5], [0.7, 0.3])) == pytest.approx(0, abs=1e-16)
    assert spectra.eq7_distance([0.6, 0.4]) == pytest.approx(0.2)
    assert spectra.eq7_distance([1.0]) == pytest.approx(1.0)  # one value pairs with a zero
    ds = checks.proposition2(n_max=6, n_dense=5, rtol=1e-9)
    assert bool(ds["prop2_condition_fails_all_n"])
    assert float(ds["prop2_control_distance"]) < 1e-15
    # the top pair alone gives the lower bound s^(n-1) (2s - 1) of the paper's argument
    s = float(ds["prop2_schmidt_s"])
    n = ds["n"].values
    assert np.all(ds["prop2_eq7_distance"].values >= s ** (n - 1) * (2 * s - 1) - 1e-12)


def test_theorem2_both_directions_and_control():
    ds = checks.theorem2([0.55, 0.8], n_max=5)
    assert bool(ds["theorem2_inequivalent"])
    assert float(ds["theorem2_control"]) == 0.0
    assert float(ds["theorem2_dense_vs_product"]) < 1e-12
    with pytest.raises(ValueError, match="s_values"):
        checks.theorem2([0.5], n_max=2)


def test_relabelled_mixtures_reach_chsh_over_four():
    r = thresholds.relabelled_mixture_range(ic.hardy_box_chsh_aligned())
    # CHSH(P_H) = 2 + 4 q_H in Hardy's orientation: eta = 1/2 + q_H
    assert r["eta_max"] == pytest.approx(0.5 + HARDY_MAX, abs=1e-9)
    assert r["eta_chsh"] == pytest.approx(r["eta_max"], abs=1e-9)
    single = ic.isotropic_nondistillable_range(ic.hardy_box_chsh_aligned())["eta_max"]
    assert single < r["eta_max"] - 0.04


def test_tlm_threshold_and_values():
    assert thresholds.tlm_isotropic_threshold() == pytest.approx(1 / math.sqrt(2), abs=1e-14)
    t = selftest.tlm_value(ic.tsirelson_box())
    assert t["tlm"] == pytest.approx(math.pi, abs=1e-12) and t["max_marginal"] < 1e-15
    assert selftest.tlm_value(bx.isotropic_box(0.6))["tlm"] < math.pi - 0.1


def test_face_width_decays_for_exposed_points_only():
    mus = [10.0, 100.0]
    pH = ic.hardy_box()
    fh = selftest.face_width(
        ic.hardy_objective(), pH[0, 0, 0, 0], mus, zeros=ic.hardy_zero_conditions()
    )
    assert selftest.decay_exponent(mus, fh["width"]) < -0.9
    fc = selftest.face_width(ic.hardy_objective(), 1.0, mus)
    assert fc["width"].min() > 1.9  # p(00|00) = 1 leaves other coordinates free
    with pytest.raises(ValueError, match="mus"):
        selftest.face_width(ic.hardy_objective(), 1.0, [0.0])


def test_self_testing_route_and_control():
    psi, A, B = ic.tsirelson_realisation()
    obs = [[m[0] - m[1] for m in M] for M in (A, B)]
    assert selftest.swap_fidelity(psi, *obs) == pytest.approx(1.0, abs=1e-14)
    r = selftest.chsh_seesaw(3, restarts=3, seed=5)
    assert r["value"] == pytest.approx(2 * math.sqrt(2), abs=1e-9)
    assert selftest.swap_fidelity(r["psi"], r["A"], r["B"]) == pytest.approx(1.0, abs=1e-8)
    assert selftest.chsh_sos_residual((2, 3), samples=2) < 1e-13
    psi_h = ic.hardy_realisation()[0]
    c = selftest.chsh_seesaw(2, psi=psi_h, restarts=3)
    s = ic.schmidt_coefficients(psi_h, (2, 2))[0]
    assert c["value"] == pytest.approx(selftest.chsh_max_pure_qubits(s), abs=1e-9)
    assert selftest.swap_fidelity(psi_h, c["A"], c["B"]) < 0.9


def test_corollary1_expansion_and_a_wrong_weight():
    D = bx.deterministic_boxes(2, 2, 2, 2)
    L = np.tensordot(np.random.default_rng(0).dirichlet(np.ones(16)), D, axes=1)
    ds = checks.corollary1_expansion(ic.hardy_box(), L, 0.3, copies=3)
    assert float(ds["corollary1_expansion_residual"]) < 1e-15
    P = ic.hardy_box().reshape(-1)
    two = np.kron(0.3 * P + 0.7 * L.reshape(-1), 0.3 * P + 0.7 * L.reshape(-1))
    assert np.abs(two - (0.09 * np.kron(P, P) + 0.49 * np.kron(L, L).reshape(-1))).max() > 1e-3


def test_eq3_checks_and_printed_parameter():
    ds = checks.eq3_realisations()
    assert float(ds["hardy_a_printed"]) == pytest.approx(PRINTED_A, abs=1e-15)
    assert float(ds["hardy_a_printed_c_squared"]) < 0  # no state as printed
    assert float(ds["hardy_state_parameter"]) == pytest.approx(0.6180339887, abs=1e-8)
    for k in ("chsh_tsirelson_observables_dev", "tsirelson_correlators_dev"):
        assert float(ds[k]) < 1e-12
    assert float(ds["hardy_box_success"]) == pytest.approx(HARDY_MAX, abs=1e-14)


def test_npa_bounds_are_certified_and_bracket_the_realisations():
    ds = checks.npa_bounds(["1+AB", "2"], "CLARABEL")
    for kind, value in (("chsh", 2 * math.sqrt(2)), ("hardy", HARDY_MAX)):
        for tag in ("1ab", "2"):
            cert = float(ds[f"{kind}_level{tag}_certified"])
            assert value <= cert < value + 1e-6
            assert 0 <= float(ds[f"{kind}_level{tag}_bracket"]) < 1e-6
            assert "certificate" in ds[f"{kind}_level{tag}_certified"].attrs


def test_strict_inclusions_and_fig1_l0():
    ds = checks.strict_inclusions("1")
    assert bool(ds["strict_inclusions"])
    assert float(ds["gap_L_Q"]) == pytest.approx(2 * math.sqrt(2) - 2, abs=1e-12)
    assert 0 < float(ds["gap_Q_N"]) <= 4 - 2 * math.sqrt(2)
    f = ic.geometry.fig1_section(4)
    assert float(f["eta_L0"]) == pytest.approx(0.5, abs=1e-9)
    assert (float(f["x_L0"]), float(f["y_L0"])) == pytest.approx((0.5, 0.0), abs=1e-12)
    assert (float(f["x_U"]), float(f["y_U"])) == (0.0, 0.0)
