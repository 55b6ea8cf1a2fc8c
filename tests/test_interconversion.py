"""Tests of bellflow.interconversion (paper 000, Ghosh et al. PRL 132, 250205 (2024))."""

import math

import numpy as np
import pytest

from bellflow import boxes as bx
from bellflow import interconversion as ic
from bellflow import npa

TSIRELSON = 2 * math.sqrt(2)  # paper, text above Eq. (3)
HARDY_MAX = (5 * math.sqrt(5) - 11) / 2  # paper, text above Eq. (3)
PRINTED_A = math.sqrt((5 - math.sqrt(3)) / 2)  # paper, Eq. (3b) as printed (typo)


def test_tsirelson_box_eq3a():
    p = ic.tsirelson_box()
    bx.check_box(p)
    assert bx.bell_value(bx.chsh_coefficients(), p) == pytest.approx(TSIRELSON, abs=1e-12)
    # P_T = PR_{1/sqrt 2} (text above Theorem 3)
    np.testing.assert_allclose(p, bx.isotropic_box(1 / math.sqrt(2)), atol=1e-14)
    # never above the NPA bound
    assert (
        bx.bell_value(bx.chsh_coefficients(), p)
        <= npa.npa_upper_bound(bx.chsh_coefficients(), 1).value + 1e-8
    )


def test_printed_hardy_parameter_is_a_typo():
    assert PRINTED_A > 1  # not an amplitude: 1 - 2 a^2 < 0
    a = ic.hardy_state_parameter()
    assert 0 < a < 1 / math.sqrt(2)
    assert abs(a - PRINTED_A) > 0.5
    with pytest.raises(ValueError, match="a must lie"):
        ic.hardy_realisation(PRINTED_A)


def test_hardy_parameter_maximises_success():
    # closed form vs a numerical maximisation of q(a)
    from scipy.optimize import minimize_scalar

    res = minimize_scalar(
        lambda a: -ic.hardy_success_of_parameter(a),
        bounds=(1e-6, 1 / math.sqrt(2) - 1e-9),
        method="bounded",
        options={"xatol": 1e-12},
    )
    assert res.x == pytest.approx(ic.hardy_state_parameter(), abs=1e-6)
    assert ic.hardy_success_of_parameter(ic.hardy_state_parameter()) == pytest.approx(
        HARDY_MAX, abs=1e-15
    )


def test_hardy_box_conditions_machine_precision():
    p = ic.hardy_box()
    bx.check_box(p, atol=1e-14)
    h = ic.hardy_conditions(p)
    assert h["success"] == pytest.approx(HARDY_MAX, abs=1e-14)
    for k in ("p00_01", "p00_10", "p11_11"):
        assert abs(h[k]) < 1e-15
    # the realisation never exceeds the NPA bound; level 1+AB is tight
    bound = ic.hardy_success_npa("1+AB")
    assert h["success"] <= bound.value + 1e-8
    assert bound.value == pytest.approx(HARDY_MAX, abs=1e-7)
    # the box is on the NPA boundary: it passes membership
    assert npa.npa_membership(p, "1+AB").extra["member"]


def test_hardy_box_aligned_violates_standard_chsh():
    p = ic.hardy_box_chsh_aligned()
    bx.check_box(p)
    chsh = bx.bell_value(bx.chsh_coefficients(), p)
    assert 2 < chsh < TSIRELSON
    # relabelling keeps the set of probabilities (free reversible operation)
    np.testing.assert_allclose(np.sort(p.ravel()), np.sort(ic.hardy_box().ravel()), atol=1e-15)


def test_hardy_schmidt_closed_form_properties():
    s = np.linspace(0.0, 1.0, 201)
    q = ic.hardy_success_schmidt(s)
    assert q[100] == 0.0  # s = 1/2: maximally entangled
    assert q[0] == 0.0 and q[-1] == 0.0  # product states
    np.testing.assert_allclose(q, q[::-1], atol=1e-15)  # s <-> 1 - s
    assert q.max() <= HARDY_MAX + 1e-15
    # maximum at the Schmidt coefficient of psi_H
    s_h = ic.schmidt_coefficients(ic.hardy_realisation()[0], (2, 2))[0]
    assert ic.hardy_success_schmidt(s_h) == pytest.approx(HARDY_MAX, abs=1e-14)


@pytest.mark.parametrize("s", [0.15, 0.3, 0.495, 0.5, 0.8])
def test_hardy_schmidt_closed_form_vs_optimisation(s):
    num = ic.hardy_success_schmidt_numeric(s, starts=16, seed=1)
    assert num["violation"] < 1e-8
    assert num["success"] == pytest.approx(ic.hardy_success_schmidt(s), abs=1e-7)


def test_seesaw_hardy_state_positive_phi_plus_zero():
    # control: psi_H admits Hardy's argument, so J(mu) >= (5 sqrt 5 - 11)/2
    psi = ic.hardy_realisation()[0]
    r = ic.hardy_seesaw(psi, (2, 2), penalty=100.0, restarts=6, iters=300, seed=0)
    assert r["J"] >= HARDY_MAX - 1e-3
    # Proposition 1: |phi+>^{(x)n} never shows Hardy's nonlocality (n = 1, 2)
    for n in (1, 2):
        d = 2**n
        r = ic.hardy_seesaw(ic.phi_plus(d), (d, d), penalty=10.0, restarts=6, seed=n)
        assert abs(r["J"]) < 1e-10
        assert r["success"] < 1e-10


def test_prop2_spectrum_two_routes_and_degeneracy():
    psi = ic.hardy_realisation()[0]
    s = ic.schmidt_coefficients(psi, (2, 2))[0]
    assert 0.5 < s < 1
    for n in range(1, 9):
        dense = ic.power_spectrum_dense(psi, n)
        prod = ic.power_spectrum(s, n)
        np.testing.assert_allclose(dense, prod, atol=1e-13)
    for n in range(1, 13):
        e = ic.evenly_degenerate(ic.power_spectrum(s, n))
        assert not e["ok"]
        assert e["top_multiplicity"] == 1
    # control: I/2 (x) rho_zeta (right side of Eq. 7) passes the same test
    rng = np.random.default_rng(0)
    z = rng.dirichlet(np.ones(5))
    assert ic.evenly_degenerate(np.kron([0.5, 0.5], z))["ok"]
    # and s = 1/2 (|phi+>) passes, as it must
    assert ic.evenly_degenerate(ic.power_spectrum(0.5, 3))["ok"]


def test_isotropic_thresholds_bisection():
    loc = ic.isotropic_threshold("local", tol=1e-6)
    assert loc.hi - loc.lo <= 1e-6
    assert loc.value == pytest.approx(0.5, abs=1e-6)
    # second route: the LP visibility of the PR box
    assert bx.local_visibility(bx.pr_boxes()[0]).value == pytest.approx(loc.value, abs=1e-6)
    q = ic.isotropic_threshold("quantum", tol=1e-6)
    assert q.value == pytest.approx(1 / math.sqrt(2), abs=1e-6)
    # second route: CHSH(PR_eta) = 4 eta against the NPA Tsirelson bound
    assert npa.npa_upper_bound(bx.chsh_coefficients(), 1).value / 4 == pytest.approx(
        q.value, abs=1e-6
    )
    with pytest.raises(ValueError, match="kind"):
        ic.isotropic_threshold("classical")


def test_corollary1_range():
    A = ic.hardy_box_chsh_aligned()
    r = ic.isotropic_nondistillable_range(A)
    assert 0.5 < r["eta_max"] < 1 / math.sqrt(2)
    assert 0 < r["lambda"] <= 1
    assert bx.local_membership(r["L_prime"]).extra["member"]
    # the segment A-L' meets the isotropic line exactly at eta_max (second route)
    cross = ic.segment_isotropic_crossing(A, r["L_prime"])
    assert cross["residual"] < 1e-12
    assert cross["eta"] == pytest.approx(r["eta_max"], abs=1e-9)
    assert cross["lambda"] == pytest.approx(r["lambda"], abs=1e-9)
    # CHSH is linear: 4 eta = lambda CHSH(A) + (1 - lambda) CHSH(L') with CHSH(L') <= 2
    c = bx.chsh_coefficients()
    lhs = 4 * r["eta_max"]
    rhs = r["lambda"] * bx.bell_value(c, A) + (1 - r["lambda"]) * bx.bell_value(c, r["L_prime"])
    assert lhs == pytest.approx(rhs, abs=1e-9)
    assert bx.bell_value(c, r["L_prime"]) <= 2 + 1e-9
    # the Tsirelson box itself is not such a mixture (it would need eta_max >= 1/sqrt 2)
    assert r["eta_max"] < 1 / math.sqrt(2) - 0.1


def test_fig1_slice_boundaries():
    A = ic.hardy_box_chsh_aligned()
    angles = np.linspace(0, 2 * np.pi, 8, endpoint=False)
    f = ic.fig1_slice(A, angles, points={"PR": bx.pr_boxes()[0], "PH": A})
    # nesting L <= Q <= NS on every ray
    assert np.all(f.r_local <= f.r_quantum + 1e-7)
    assert np.all(f.r_quantum <= f.r_ns + 1e-7)
    # along e1 (towards PR): local 1/2, quantum 1/sqrt 2, NS 1 in units of |PR - L0| = 1
    assert f.r_ns[0] == pytest.approx(1.0, abs=1e-12)
    assert f.r_local[0] == pytest.approx(0.5, abs=1e-9)
    assert f.r_quantum[0] == pytest.approx(1 / math.sqrt(2), abs=1e-7)
    assert f.points["PR"] == pytest.approx((1.0, 0.0), abs=1e-12)
    # P_H lies on the quantum boundary along its own ray
    x, y = f.points["PH"]
    th = math.atan2(y, x)
    d = math.cos(th) * f.e1 + math.sin(th) * f.e2
    rn = ic.ns_radius(d)
    v = npa.npa_visibility(np.clip(bx.white_noise() + rn * d, 0, None), "1+AB").value
    assert math.hypot(x, y) == pytest.approx(rn * v, abs=1e-6)


def test_hardy_schmidt_curve_closed_form_route_numeric_check():
    s = np.linspace(0.0, 1.0, 21)
    ds = ic.hardy_schmidt_curve(s, [0.3, 0.5], starts=8, seed=1)
    np.testing.assert_allclose(ds["closed_form"].values, ic.hardy_success_schmidt(s), atol=0)
    # s of psi_H is always a check point; there the numerical route reaches P_H's success
    s_h = ic.schmidt_coefficients(ic.hardy_realisation()[0], (2, 2))[0]
    assert ds["s_check"].values.tolist() == pytest.approx([0.3, 0.5, s_h], abs=1e-15)
    assert float(ds["max_abs_closed_vs_numeric"]) < 1e-7
    assert float(ds["curve_max"]) == pytest.approx(HARDY_MAX, abs=1e-9)
    assert bool(ds["curve_below_hardy_max"]) and bool(ds["zero_at_phi_plus"])
    # without s = 1/2 among the check points the |phi+> claim cannot be made
    assert not bool(ic.hardy_schmidt_curve(s, [0.3], starts=4)["zero_at_phi_plus"])
    with pytest.raises(ValueError, match="s_check"):
        ic.hardy_schmidt_curve(s, [1.5])
