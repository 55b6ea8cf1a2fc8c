"""Tests of bellflow.delivery.dikey (study 1: a device-independent key from the inept delivery
service): closed forms vs the explicit box, the Werner line vs bellflow.diqkd, the limits."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bellflow import delivery as dl
from bellflow import diqkd, states
from bellflow.delivery import dikey

BELL_A = 1 / np.sqrt(2)
A = np.linspace(0, 1, 81)
S = np.linspace(0, 1, 81)


def test_rate_zero_without_chsh_violation_and_one_for_bell_pairs():
    rate = dikey.key_rate_pironio(A[:, None], S[None, :])
    chsh = dl.max_chsh(A[:, None], S[None, :])
    assert np.all(rate[chsh <= 2] == 0)
    assert np.all(rate >= 0) and np.all(rate <= 1 + 1e-12)
    assert dikey.key_rate_pironio(BELL_A, 1.0) == pytest.approx(1.0, abs=1e-12)
    # product states and separable deliveries give nothing
    assert dikey.key_rate_pironio(0.0, 1.0) == 0 and dikey.key_rate_pironio(BELL_A, 0.3) == 0


def test_werner_line_is_the_textbook_pironio_rate():
    """At a = 1/sqrt 2, M[psi] is the Werner state of weight S: CHSH 2 sqrt 2 S, QBER (1-S)/2."""
    s = np.linspace(0, 1, 101)
    beta, Q = dikey.chsh_and_qber(BELL_A, s)
    np.testing.assert_allclose(beta, 2 * np.sqrt(2) * s, atol=1e-14)
    np.testing.assert_allclose(Q, (1 - s) / 2, atol=1e-14)
    expected = np.clip(diqkd.chsh_key_rate((1 - s) / 2), 0, None)
    np.testing.assert_allclose(dikey.key_rate_pironio(BELL_A, s), expected, atol=1e-14)
    # the threshold is the familiar ~7.1 % QBER of the Pironio protocol
    q_star = diqkd.chsh_qber_threshold()
    assert dikey.key_threshold(BELL_A) == pytest.approx(1 - 2 * q_star, abs=1e-9)


@settings(max_examples=40, deadline=None)
@given(a=st.floats(0.02, 0.98), s=st.floats(0.02, 1.0))
def test_explicit_box_matches_closed_forms(a, s):
    p = dikey.key_box(a, s)
    assert p.shape == (2, 2, 2, 3)
    assert np.all(p >= -1e-14)
    np.testing.assert_allclose(p.sum(axis=(0, 1)), 1, atol=1e-13)
    # no-signalling: Alice's marginal does not depend on Bob's setting, and vice versa
    pa = p.sum(axis=1)
    np.testing.assert_allclose(pa - pa[..., :1], 0, atol=1e-13)
    pb = p.sum(axis=0)
    np.testing.assert_allclose(pb - pb[:, :1, :], 0, atol=1e-13)
    E = p[0, 0] + p[1, 1] - p[0, 1] - p[1, 0]
    beta, Q = dikey.chsh_and_qber(a, s)
    assert E[0, 0] + E[0, 1] + E[1, 0] - E[1, 1] == pytest.approx(float(beta), abs=1e-12)
    assert p[0, 1, 0, 2] + p[1, 0, 0, 2] == pytest.approx(float(Q), abs=1e-12)
    assert float(beta) == pytest.approx(float(dl.max_chsh(a, s)), abs=1e-14)


def test_qber_is_the_best_over_bob_directions():
    """Brute force over Bob's key direction on the explicit state: no direction beats the
    derived Q for Alice's key setting."""
    rng = np.random.default_rng(7)
    for a, s in [(0.5, 0.9), (0.6, 0.95), (0.8, 0.99), (BELL_A, 0.9)]:
        p = dikey.key_box(a, s)
        rho = dl.delivered_state(a, s)
        T = states.correlation_matrix(rho)
        # Alice's key direction a0 (Horodecki-optimal CHSH settings); Bob's direction n gives
        # the error rate (1 - a0.T n)/2 (or its relabelling): sample n on the sphere
        n = rng.normal(size=(4000, 3))
        n /= np.linalg.norm(n, axis=1, keepdims=True)
        U, sv, Vt = np.linalg.svd(T)
        x = np.arctan2(sv[1], sv[0])
        a0 = np.cos(x) * U[:, 0] + np.sin(x) * U[:, 1]
        q_sampled = (1 - np.abs(n @ (T.T @ a0))) / 2
        q_box = p[0, 1, 0, 2] + p[1, 0, 0, 2]
        assert q_sampled.min() >= q_box - 1e-12
        assert q_sampled.min() == pytest.approx(q_box, abs=1e-3)


def test_symmetry_and_nesting():
    rate = dikey.key_rate_pironio(A[1:-1, None], S[None, :])
    mirror = dikey.key_rate_pironio(np.sqrt(1 - A[1:-1] ** 2)[:, None], S[None, :])
    np.testing.assert_allclose(rate, mirror, atol=1e-10)
    ent = dl.is_entangled(A[:, None], S[None, :])
    chsh = dl.violates_chsh(A[:, None], S[None, :])
    key = dikey.key_rate_pironio(A[:, None], S[None, :]) > 0
    assert not np.any(key & ~chsh) and not np.any(chsh & ~ent)
    assert key.sum() > 0 and chsh.sum() > key.sum() and ent.sum() > chsh.sum()


def test_key_threshold_is_the_edge_and_rate_increases_with_S():
    a = np.array([0.4, 0.55, BELL_A, 0.85])
    thr = dikey.key_threshold(a)
    assert np.all(thr > dl.chsh_boundary(a)) and np.all(thr < 1)
    assert np.all(dikey.key_rate_pironio(a, np.minimum(thr + 1e-6, 1)) > 0)
    assert np.all(dikey.key_rate_pironio(a, thr - 1e-6) == 0)
    s = np.linspace(0.8, 1, 201)
    for ai in a:
        r = dikey.key_rate_pironio(ai, s)
        assert np.all(np.diff(r) >= 0)
    # Bell pairs need the least S; product-like preparations get no key even at S = 1
    assert np.all(thr >= dikey.key_threshold(BELL_A) - 1e-12)
    assert np.isinf(dikey.key_threshold(0.2))


def test_scan_dataset():
    ds = dikey.dikey_scan(np.linspace(0, 1, 21), np.linspace(0, 1, 21), check_points=3)
    assert ds["rate_pironio"].dims == ("a", "S") and ds["boundary_key"].dims == ("a",)
    for name, var in ds.data_vars.items():
        assert var.attrs["description"] and "units" in var.attrs, name
    assert float(ds["nested"]) == 1
    assert float(ds["check_box_chsh"]) < 1e-12 and float(ds["check_box_qber"]) < 1e-12
    assert float(ds["check_werner_rate"]) < 1e-12
    assert float(ds["key_S_min"]) == pytest.approx(float(dikey.key_threshold(BELL_A)), abs=1e-9)
    assert float(ds["key_S_min_a"]) == pytest.approx(BELL_A, abs=1e-4)
    lo, hi = float(ds["key_a_min"]), float(ds["key_a_max"])
    assert hi == pytest.approx(np.sqrt(1 - lo**2), abs=1e-10)  # a <-> sqrt(1 - a^2)
    assert dikey.key_rate_pironio(lo + 1e-6, 1.0) > 0
    assert dikey.key_rate_pironio(lo - 1e-6, 1.0) == 0
    fr = [float(ds[f"fraction_{k}"]) for k in ("entangled", "chsh_violated", "key_positive")]
    assert fr[0] > fr[1] > fr[2] > 0


def test_bad_arguments():
    with pytest.raises(ValueError, match="a must"):
        dikey.key_rate_pironio(1.5, 0.5)
    with pytest.raises(ValueError, match="S must"):
        dikey.chsh_and_qber(0.5, np.nan)
    with pytest.raises(ValueError, match="check_points"):
        dikey.dikey_scan([0.5, 0.7], [0.9, 1.0], check_points=0)
    with pytest.raises(ValueError, match="a_grid"):
        dikey.dikey_scan([[0.5]], [0.9])


# ----------------------------------------------------------------------------- BFF (full box)
def test_bff_skips_local_boxes_without_solving():
    """Product states and deliveries below the CHSH threshold give a local 2x2 test box
    (Fine's theorem): rate 0 and no SDP (this test would take seconds if one were solved)."""
    ds = dikey.bff_rates([0.0, 1.0, 0.5], 0.6)
    np.testing.assert_array_equal(ds["local"], 1)
    np.testing.assert_array_equal(ds["rate_bff"], 0)
    assert np.all(ds["chsh_test_box"] <= 2)
    assert dikey._test_box_chsh(dikey.key_box(BELL_A, 1.0)) == pytest.approx(2 * np.sqrt(2))


def test_bff_rate_of_a_bell_pair():
    """The certified BFF rate of a perfect Bell pair is at most 1 (the Pironio value) and
    loses only the quadrature gap of m = 2 nodes (about 0.19 bit); H(A|B) = 0."""
    ds = dikey.bff_rates([BELL_A], 1.0, m=2)
    r = float(ds["rate_bff"][0])
    assert 0.75 < r <= 1 + 1e-9
    assert float(ds["H_AB"][0]) == pytest.approx(0, abs=1e-9)
    assert float(ds["H_AE"][0]) <= float(ds["H_AE_solver"][0]) + 1e-9
    assert float(ds["rate_pironio"][0]) == pytest.approx(1.0, abs=1e-12)
    assert float(ds["local"][0]) == 0


def test_gather_bff_orders_and_transposes():
    chunks = [dikey.bff_rates([0.0, 1.0], s) for s in (0.9, 0.3)]  # local: no SDP
    ds = dikey.gather_bff(chunks)
    assert ds["rate_bff"].dims == ("a_bff", "S_bff")
    np.testing.assert_array_equal(ds["S_bff"], [0.3, 0.9])
    with pytest.raises(ValueError, match="chunks"):
        dikey.gather_bff([])
    with pytest.raises(ValueError, match="m must"):
        dikey.bff_rates([0.5], 0.9, m=1)
