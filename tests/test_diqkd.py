"""Tests of bellflow.diqkd (paper 002, Farkas PRL 132, 210803 (2024)).

Every quantity is checked against an independent route: closed forms vs numerics, the full
Born rule vs the maximally-entangled shortcut, the Bell operator's spectrum vs the box,
per-strategy local bounds vs brute-force enumeration, LP primal vs dual certificates.
"""

from __future__ import annotations

import itertools
import json

import numpy as np
import pytest
import scipy.linalg as sla
from hypothesis import given, settings
from hypothesis import strategies as st

from bellflow import diqkd as D

EPS_GRID = [1.0, 0.5, 0.1, 1e-2, 1e-3]


# ------------------------------------------------------------------ construction (Eqs. 16-17)
@pytest.mark.parametrize("d", [2, 3, 4, 5])
def test_unitary_is_unitary_and_exponential_of_generator(d):
    for eps in [0.0, 0.3, 0.77, 1.0]:
        U = D.unitary(d, eps)
        np.testing.assert_allclose(U @ U.conj().T, np.eye(d), atol=1e-13)
        # independent route: matrix exponential of eps G (Eq. 17)
        np.testing.assert_allclose(U, sla.expm(eps * D.generator(d)), atol=1e-12)
    np.testing.assert_array_equal(D.unitary(d, 0.0), np.eye(d))


@pytest.mark.parametrize("d", [2, 3, 4])
def test_eq16_typo_U1_is_X_dagger(d):
    # Paper typo (Eq. 16): sum_j omega^j |chi_j><chi_j| = X^dagger with the paper's |chi_j>.
    X = D.shift_operator(d)
    np.testing.assert_allclose(D.unitary(d, 1.0), X.conj().T, atol=1e-12)
    if d >= 3:
        assert not np.allclose(D.unitary(d, 1.0), X, atol=1e-3)


@settings(max_examples=40, deadline=None)
@given(d=st.integers(2, 7), eps=st.floats(1e-6, 1 - 1e-6))
def test_overlap_matrix_closed_form_and_strictly_positive(d, eps):
    O = D.overlap_matrix(d, eps)
    m = np.arange(d)
    closed = np.sin(np.pi * eps) / (d * np.abs(np.sin(np.pi * (eps + m[:, None] - m[None, :]) / d)))
    np.testing.assert_allclose(O, closed, rtol=1e-8, atol=1e-13)
    assert np.all(O > 0)  # the paper's claim below Eq. (17)
    np.testing.assert_allclose((O**2).sum(axis=0), 1.0, atol=1e-12)
    s = D.sine_matrix(d, eps)
    np.testing.assert_allclose(s**2 + O**2, 1.0, atol=1e-12)


# ------------------------------------------------------------------ boxes
@pytest.mark.parametrize("d", [2, 3, 4])
@pytest.mark.parametrize("eps", [0.0, 1e-3, 0.3, 1.0])
def test_family_box_valid_and_no_signalling(d, eps):
    for v in [1.0, 0.8]:
        p = D.family_box(d, eps, visibility=v)
        assert p.shape == (d, 3, 2, d * d)
        assert p.min() > -1e-14
        np.testing.assert_allclose(p.sum(axis=(0, 1)), 1.0, atol=1e-13)
        pA = p.sum(axis=1)  # (a, x, y): independent of y
        np.testing.assert_allclose(pA, np.broadcast_to(pA[:, :, :1], pA.shape), atol=1e-13)
        pB = p.sum(axis=0)  # (b, x, y): independent of x
        np.testing.assert_allclose(pB, np.broadcast_to(pB[:, :1, :], pB.shape), atol=1e-13)
        # Alice's marginals uniform (the basis of H(A) = log d, Eq. 14)
        np.testing.assert_allclose(pA, 1.0 / d, atol=1e-13)


@pytest.mark.parametrize("d", [2, 3])
def test_family_box_shortcut_matches_full_born_rule(d):
    eps, v = 0.37, 0.9
    phi = D.max_entangled_state(d)
    rho = v * np.outer(phi, phi.conj()) + (1 - v) * np.eye(d * d) / d**2
    full = D.box_from_state(rho, D.alice_measurements(d, eps), D.bob_measurements(d, eps))
    np.testing.assert_allclose(D.family_box(d, eps, v), full, atol=1e-14)


@pytest.mark.parametrize("d", [2, 3, 4])
def test_bob_measurements_are_projective(d):
    B = D.bob_measurements(d, 0.2)
    for y in range(d * d):
        np.testing.assert_allclose(B[y].sum(axis=0), np.eye(d), atol=1e-13)
        for b in range(3):
            np.testing.assert_allclose(B[y, b] @ B[y, b], B[y, b], atol=1e-13)
            assert np.linalg.eigvalsh(B[y, b]).min() > -1e-13


def test_p0_is_the_limit_eps_to_zero():
    # p_0 defined as the limit eps -> 0+ (PHYSICS_NOTES): ||p_eps - p_0|| = O(eps)
    for d in [2, 3, 4]:
        p0 = D.family_box(d, 0.0)
        dist = [D.l1_distance(D.family_box(d, e), p0) for e in (1e-3, 1e-4, 1e-5)]
        assert dist[2] < 2e-4
        np.testing.assert_allclose(dist[0] / dist[1], 10.0, rtol=2e-2)


# ------------------------------------------------------------------ Bell functional (Eq. 10)
@pytest.mark.parametrize("d", [2, 3, 4, 5])
@pytest.mark.parametrize("eps", EPS_GRID)
def test_quantum_value_box_vs_bell_operator(d, eps):
    p = D.family_box(d, eps)
    c = D.family_coefficients(d, eps)
    val = D.bell_value(c, p)
    W = D.bell_operator(d, eps)
    phi = D.max_entangled_state(d)
    assert val == pytest.approx(D.quantum_value(d), abs=1e-12)  # = d - 1
    assert np.real(phi.conj() @ W @ phi) == pytest.approx(val, abs=1e-12)
    assert np.linalg.eigvalsh(W)[-1] == pytest.approx(d - 1, abs=1e-12)


def test_bell_coefficients_from_overlap_matches_stable_version():
    d, eps = 3, 0.4
    np.testing.assert_allclose(
        D.bell_coefficients(D.overlap_matrix(d, eps)), D.family_coefficients(d, eps), atol=1e-12
    )


def _brute_force_local_bound(c):
    oA, oB, mA, mB = c.shape
    best = -np.inf
    for la in itertools.product(range(oA), repeat=mA):
        for lb in itertools.product(range(oB), repeat=mB):
            best = max(best, sum(c[la[x], lb[y], x, y] for x in range(mA) for y in range(mB)))
    return best


@pytest.mark.parametrize("eps", [1.0, 0.5, 0.05])
def test_local_bound_per_strategy_vs_brute_force_d2(eps):
    c = D.family_coefficients(2, eps)
    assert D.local_bound(c)[0] == pytest.approx(_brute_force_local_bound(c), abs=1e-13)


def test_local_bound_random_functionals_vs_brute_force():
    rng = np.random.default_rng(7)
    for shape in [(2, 3, 2, 4), (3, 2, 2, 3), (2, 2, 3, 2)]:
        c = rng.normal(size=shape)
        assert D.local_bound(c)[0] == pytest.approx(_brute_force_local_bound(c), abs=1e-12)


@pytest.mark.parametrize("d", [2, 3, 4, 6])
def test_violation_closed_form_vs_direct_difference(d):
    for eps in [0.9, 0.5, 0.1, 0.05]:
        direct = D.quantum_value(d) - D.family_local_bound(d, eps)
        assert D.family_violation(d, eps) == pytest.approx(direct, rel=1e-6, abs=1e-12)
        assert D.family_violation(d, eps) > 0  # local bound < quantum value for eps > 0


@pytest.mark.parametrize("d", [2, 3, 5, 8])
def test_violation_vanishes_like_eps4(d):
    v = np.array([D.family_violation(d, e) for e in (1e-2, 1e-3, 1e-4)])
    assert np.all(v > 0)
    assert v[-1] < 1e-13
    ratios = v / np.array([1e-2, 1e-3, 1e-4]) ** 4
    np.testing.assert_allclose(ratios[1], ratios[2], rtol=1e-3)


def test_eps_one_is_local_again():
    # U_1 = X^dagger permutes the computational basis: O is a permutation matrix, Alice's two
    # measurements commute, so p_1 is local (the paper's claims need eps in (0, 1)).
    for d in [2, 3, 4]:
        assert D.family_violation(d, 1.0) < 1e-25
        assert D.distance_to_local(D.family_box(d, 1.0)).upper < 1e-9


def test_violation_is_zero_at_eps_zero():
    for d in [2, 3, 4]:
        assert D.family_violation(d, 0.0) == 0.0
        c = D.family_coefficients(d, 0.0)
        assert D.bell_value(c, D.family_box(d, 0.0)) == pytest.approx(D.local_bound(c)[0])


# ------------------------------------------------------------------ distance to the local set
def _pr_box():
    p = np.zeros((2, 2, 2, 2))
    for a, b, x, y in itertools.product(range(2), repeat=4):
        p[a, b, x, y] = 0.5 * ((a ^ b) == (x & y))
    return p


def test_distance_of_pr_box_is_two():
    # closest local box is the isotropic box at visibility 1/2: ||PR - q|| = 2, and the CHSH
    # functional with +-1 entries certifies 4 - 2 = 2 from below.
    r = D.distance_to_local(_pr_box())
    assert r.value == pytest.approx(2.0, abs=1e-9)
    assert r.lower == pytest.approx(2.0, abs=1e-9)
    assert r.upper == pytest.approx(2.0, abs=1e-9)


def test_distance_of_local_boxes_is_zero():
    for d in [2, 3]:
        p0 = D.family_box(d, 0.0)
        r = D.distance_to_local(p0)
        assert abs(r.value) < 1e-9 and r.upper < 1e-9
    r = D.distance_to_local(D.chsh_box(1 / np.sqrt(2)))  # S = 2: on the local boundary
    assert r.value < 1e-9


@pytest.mark.parametrize("d", [2, 3, 4])
def test_distance_lp_bounds_and_limit(d):
    p0 = D.family_box(d, 0.0)
    ref = (p0, D.local_decomposition(p0))
    prev = np.inf
    for eps in [0.5, 0.1, 1e-2, 1e-3, 1e-4]:
        p = D.family_box(d, eps)
        r = D.distance_to_local(p, reference=ref)
        l1 = D.l1_distance(p, p0)
        tol = 1e-8 * r.value
        assert r.lower <= r.value + tol and r.value <= r.upper + tol
        assert r.upper - r.lower <= 1e-6 * r.value  # certified to 6 digits
        assert r.value <= l1 + 1e-12  # p_0 is a feasible local point
        # independent lower bound from the family's own Bell functional:
        # B(p) - L <= max|c| * ||p - q||_1 for every local q
        cf = D.family_coefficients(d, eps)
        assert r.lower >= D.family_violation(d, eps) / np.abs(cf).max() - 1e-15
        assert r.value < prev
        prev = r.value
    assert prev < 20 * 1e-4  # -> 0, linearly in eps (about 9 eps for d = 3)


def test_distance_direct_lp_agrees_at_moderate_eps():
    d, eps = 3, 0.3
    p = D.family_box(d, eps)
    p0 = D.family_box(d, 0.0)
    a = D.distance_to_local(p)
    b = D.distance_to_local(p, reference=(p0, D.local_decomposition(p0)))
    assert a.value == pytest.approx(b.value, rel=1e-7)


# ------------------------------------------------------------------ key rates
@pytest.mark.parametrize("d", [2, 3, 4, 5, 6, 7, 8])
def test_key_rate_is_log2_d(d):
    for eps in [1e-4, 0.3, 0.99]:
        r = D.family_key_rate(d, eps)
        assert r["H_A"] == pytest.approx(np.log2(d), abs=1e-12)
        assert abs(r["H_A_given_B"]) < 1e-12
        assert r["rate"] == pytest.approx(np.log2(d), abs=1e-12)  # Eq. (15)


def test_key_box_with_noise():
    pab = D.key_box(2, visibility=0.8)
    assert D.conditional_entropy(pab) == pytest.approx(D.binary_entropy(0.1), abs=1e-12)


def test_chsh_baseline_two_routes():
    for v in [1.0, 0.95, 0.9, 0.85]:
        p = D.chsh_box(v)
        sign = np.array([[1.0, -1.0], [-1.0, 1.0]])
        E = np.einsum("ab,abxy->xy", sign, p)
        S = E[0, 0] + E[0, 1] + E[1, 0] - E[1, 1]
        Q = p[0, 1, 0, 2] + p[1, 0, 0, 2]
        assert S == pytest.approx(2 * np.sqrt(2) * v, abs=1e-12)
        assert Q == pytest.approx((1 - v) / 2, abs=1e-12)
        HAB = D.conditional_entropy(p[:, :, 0, 2])
        assert D.chsh_key_rate(Q) == pytest.approx(D.pironio_entropy(S) - HAB, abs=1e-12)
    assert D.chsh_key_rate(0.0) == pytest.approx(1.0, abs=1e-12)


def test_chsh_qber_threshold():
    q = D.chsh_qber_threshold()
    assert abs(D.chsh_key_rate(q)) < 1e-12
    assert D.chsh_key_rate(q - 1e-4) > 0 > D.chsh_key_rate(q + 1e-4)
    # Pironio et al., NJP 11, 045021 (2009), Sec. 2: key "up to a QBER of 7.1%"
    assert q == pytest.approx(0.071, abs=5e-4)


# ------------------------------------------------------------------ arguments
def test_bad_arguments_raise():
    with pytest.raises(ValueError, match="d must"):
        D.unitary(1, 0.1)
    with pytest.raises(ValueError, match="eps"):
        D.unitary(2, 1.5)
    with pytest.raises(ValueError, match="eps"):
        D.family_key_rate(2, 0.0)
    with pytest.raises(ValueError, match="eps"):
        D.family_key_rate(2, 1.0)
    with pytest.raises(ValueError, match="visibility"):
        D.family_box(2, 0.1, visibility=1.2)
    with pytest.raises(ValueError, match="Q"):
        D.chsh_key_rate(0.7)
    with pytest.raises(ValueError, match="O must"):
        D.bell_coefficients(np.ones(3))
    with pytest.raises(ValueError, match="p0"):
        D.local_decomposition(D.family_box(2, 0.5))


# ------------------------------------------------------------------ NPA (quantum value maximal)
@pytest.mark.parametrize("eps", [0.5, 0.05])
def test_npa_bound_equals_quantum_value_d2(eps):
    # Pereira Alves and Kaniewski (2022) / Farkas Eq. (10): maximal quantum value d - 1; the
    # certified excess over d - 1 brackets the explicit box's value and resolves the violation
    r = D.npa_check(2, eps)
    assert r["achieved"] <= r["excess"] < 1e-5  # [achieved, certified] bracket
    assert abs(r["achieved"]) < 1e-14
    assert r["npa"] == pytest.approx(1.0, abs=1e-5)
    assert r["resolved"] and r["excess"] < r["violation"]
    assert r["npa_certified"] > D.family_local_bound(2, eps)  # a genuine Bell inequality


def test_npa_check_says_when_it_cannot_resolve():
    # eps = 0.01: violation 1.5e-8, certified precision ~1e-6: the check must not pass silently
    r = D.npa_check(2, 0.01)
    assert r["violation"] == pytest.approx(D.family_violation(2, 0.01))
    assert r["violation"] < 1e-7 < r["excess"]
    assert not r["resolved"]


def test_npa_scan_passes_each_points_tolerance():
    """A point's ``tol`` (config ``diqkd.npa.points``) reaches the solver; without it the NPA
    ladder chooses (its first rung at d = 2 is tighter than 1e-6)."""
    ds = D.npa_scan([{"d": 2, "eps": 0.5, "tol": 1e-6}, {"d": 2, "eps": 0.5}], "1+AB")
    tols = [json.loads(t) for t in ds["solver_tolerances"].values]
    assert max(tols[0].values()) == pytest.approx(1e-6)
    assert max(tols[1].values()) < 1e-6
    assert np.all(ds["excess"].values < ds["violation"].values)


def test_family_box_matches_shared_toolkit():
    from bellflow.boxes import box_from_quantum, check_box

    d, eps, v = 3, 0.2, 0.7
    phi = D.max_entangled_state(d)
    rho = v * np.outer(phi, phi.conj()) + (1 - v) * np.eye(d * d) / d**2
    p = D.family_box(d, eps, v)
    check_box(p)
    q = box_from_quantum(rho, D.alice_measurements(d, eps), D.bob_measurements(d, eps))
    np.testing.assert_allclose(p, q, atol=1e-13)


def test_family_scan_consistent():
    eps = np.array([1e-3, 0.2, 1.0])
    s = {k: v.values for k, v in D.family_scan(3, eps).data_vars.items()}
    np.testing.assert_allclose(s["violation"][:2], s["violation_direct"][:2], rtol=1e-3)
    np.testing.assert_allclose(s["bell_value"], 2.0, atol=1e-12)
    np.testing.assert_allclose(s["bell_operator_max"], 2.0, atol=1e-12)
    assert np.all(s["distance_lower"] <= s["distance_upper"] + 1e-12)
    np.testing.assert_allclose(s["key_rate"][:2], np.log2(3), atol=1e-12)
    assert np.isnan(s["key_rate"][2])  # eps = 1: local, no key
    assert s["noise_tolerance"][2] == pytest.approx(0.0, abs=1e-9)  # eps = 1: local box
    assert np.all(s["noise_tolerance_certified"] <= s["noise_tolerance"] + 1e-12)
    assert set(s["visibility_lp_solver_status"]) == {"optimal"}
    q = D.family_scan(3, eps[:1], noise=False)
    assert np.isnan(q["noise_tolerance"].values).all()
    assert set(q["visibility_lp_solver_status"].values) == {"not computed"}


def test_chsh_baseline_distance_is_S_minus_2():
    # l1 distance of the 2x2 CHSH box to the local set: the CHSH functional in probability
    # form has entries +-1, so the dual bound is S - 2; mixing with white noise down to S = 2
    # costs exactly that, so the distance is max(S - 2, 0).
    v = np.array([1.0, 0.9, 0.75, 0.7])
    b = {k: x.values for k, x in D.chsh_baseline(v).data_vars.items()}
    np.testing.assert_allclose(b["distance"], np.maximum(b["S"] - 2, 0), atol=1e-9)
    np.testing.assert_allclose(b["S"], 2 * np.sqrt(2) * v, atol=1e-12)
