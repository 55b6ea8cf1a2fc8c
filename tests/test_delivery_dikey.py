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


def test_qber_is_the_best_over_all_directions():
    """Brute force over Alice's key direction and Bob's on the explicit state: no pair of
    directions beats the derived Q, and the box's key pair reaches it."""
    rng = np.random.default_rng(7)
    for a, s in [(0.25, 1.0), (0.5, 0.9), (0.6, 0.95), (0.8, 0.99), (BELL_A, 0.9)]:
        p = dikey.key_box(a, s)
        T = states.correlation_matrix(dl.delivered_state(a, s))
        # directions m (Alice) and n (Bob) give the error rate (1 - m.T n)/2 (or its
        # relabelling): sample both on the sphere, and Bob's best answer T^T m / |T^T m|
        m = rng.normal(size=(4000, 3))
        m /= np.linalg.norm(m, axis=1, keepdims=True)
        n = rng.normal(size=(4000, 3))
        n /= np.linalg.norm(n, axis=1, keepdims=True)
        q_pairs = (1 - np.abs(np.einsum("ki,ij,kj->k", m, T, n))) / 2
        q_best_answer = (1 - np.linalg.norm(m @ T, axis=1)) / 2
        q_box = p[0, 1, 0, 2] + p[1, 0, 0, 2]
        assert min(q_pairs.min(), q_best_answer.min()) >= q_box - 1e-12
        assert q_best_answer.min() == pytest.approx(q_box, abs=1e-3)
        assert q_box == pytest.approx((1 - s) * (2 * a * np.sqrt(1 - a * a)) ** 2 / 2, abs=1e-12)


def test_pure_states_give_a_key_and_the_old_tilted_settings_do_worse():
    """At S = 1 every entangled preparation has Q = 0 and beta > 2, hence a key; the tilted
    optimal CHSH pair (the earlier version) has the same beta and a larger Q."""
    a = np.linspace(0.01, 0.99, 99)
    assert np.all(dikey.key_rate_pironio(a, 1.0) > 0)
    assert dikey.key_rate_pironio(0.25, 1.0) == pytest.approx(
        float(diqkd.pironio_entropy(dl.max_chsh(0.25, 1.0))), abs=1e-14
    )
    s1 = 1 - (1 - 0.9) * (2 * 0.5 * np.sqrt(0.75)) ** 2
    s2 = 0.9 * 2 * 0.5 * np.sqrt(0.75)
    q_tilted = (1 - np.sqrt((s1**4 + s2**4) / (s1**2 + s2**2))) / 2
    assert float(dikey.chsh_and_qber(0.5, 0.9)[1]) < q_tilted


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
    # Bell pairs need the least S; weakly entangled preparations need S closer to 1, product
    # states get no key at all
    assert np.all(thr >= dikey.key_threshold(BELL_A) - 1e-12)
    assert dikey.key_threshold(0.05) > dikey.key_threshold(0.2) > dikey.key_threshold(0.4)
    assert np.isinf(dikey.key_threshold(0.0)) and np.isinf(dikey.key_threshold(1.0))


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
    assert float(ds["key_at_S1_all"]) == 1
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
    assert float(ds["box_symmetric"][0]) == 1
    # the HDF5 contract: every node solve's status, and how inaccurate ones are made bounds
    assert set(ds.attrs["solver_status"].split(",")) <= {"optimal", "optimal_inaccurate"}
    assert ds.attrs["n_solves"] == 1 and "bound_certification" in ds.attrs
    gathered = dikey.gather_bff([dikey.bff_rates([0.0], 0.3), ds])  # first chunk: no solve
    assert gathered.attrs["solver_status"] == ds.attrs["solver_status"]
    assert gathered.attrs["n_solves"] == 1


def test_bff_lies_below_the_purifying_eve_and_uses_the_symmetry():
    """Independent route: Eve holding a purification of the delivered state is one
    realisation of the box, so the certified BFF H(A|E) is below its H(A|E); at S = 1 that is
    H(A) = h(a^2). The box is invariant under the Z (x) Z relabelling (module docstring)."""
    ds = dikey.bff_rates([0.25, 0.5], 1.0, m=2)
    np.testing.assert_array_less(ds["H_AE"], ds["H_AE_state"])
    h = diqkd.binary_entropy(np.array([0.25, 0.5]) ** 2)
    np.testing.assert_allclose(ds["H_AE_state"], h, atol=1e-12)
    np.testing.assert_array_equal(ds["box_symmetric"], 1)
    assert np.all(ds["rate_bff"] > 0) and ds.attrs["solver"] == "CLARABEL"
    rng = np.random.default_rng(3)
    for a, s in rng.uniform(0.05, 0.95, size=(4, 2)):
        p = dikey.key_box(a, s)
        np.testing.assert_allclose(dikey._relabelled(p), p, atol=1e-12)
        assert dikey.entropy_given_purifying_eve(a, s) <= 1 + 1e-12


def test_bff_route_matches_the_general_key_rate_and_the_full_sdp():
    """Independent routes at a pure and a mixed delivery: bff_rates (symmetry-reduced node
    SDPs, equilibration off) against bellflow.diqkd.key_rate and the unreduced SDP."""
    from bellflow.entropy import bff_entropy

    for a, s in [(0.25, 1.0), (0.625, 0.9)]:
        ds = dikey.bff_rates([a], s, m=2)
        p = dikey.key_box(a, s)
        full = bff_entropy(2, p=p[:, :, :, :2], symmetry=False).value
        assert float(ds["H_AE"][0]) == pytest.approx(full, abs=2e-4)
        general = diqkd.key_rate(p, key_settings=[2], m=2)
        assert float(ds["H_AB"][0]) == pytest.approx(general.H_AB, abs=1e-14)
        assert float(ds["rate_bff"][0]) >= general.value - 2e-4
        assert float(ds["H_AE_solver"][0]) - float(ds["H_AE"][0]) < 1e-3


def test_gather_bff_orders_and_transposes():
    chunks = [dikey.bff_rates([0.0, 1.0], s) for s in (0.9, 0.3)]  # local: no SDP
    ds = dikey.gather_bff(chunks)
    assert ds["rate_bff"].dims == ("a_bff", "S_bff")
    np.testing.assert_array_equal(ds["S_bff"], [0.3, 0.9])
    with pytest.raises(ValueError, match="chunks"):
        dikey.gather_bff([])
    with pytest.raises(ValueError, match="m must"):
        dikey.bff_rates([0.5], 0.9, m=1)
