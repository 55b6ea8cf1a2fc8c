"""Tests of bellflow.boxes: validity checks, vertices, local bound (enumeration vs LP)."""

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bellflow import boxes as bx


def test_vertex_counts_and_validity():
    D = bx.deterministic_boxes(2, 2, 2, 2)
    assert D.shape == (16, 2, 2, 2, 2)
    assert len({d.tobytes() for d in D}) == 16
    bx.check_box(D)
    PR = bx.pr_boxes()
    assert PR.shape == (8, 2, 2, 2, 2)
    assert len({p.tobytes() for p in PR}) == 8
    bx.check_box(PR)
    assert bx.deterministic_boxes(3, 3, 2, 4).shape == (3**2 * 3**4, 3, 3, 2, 4)


def test_deterministic_boxes_match_eq_1a():
    # Eq. (1a): delta(a, alpha x + beta) delta(b, gamma y + eta), all 16 choices
    D = {d.tobytes() for d in bx.deterministic_boxes(2, 2, 2, 2)}
    for al, be, ga, et in itertools.product((0, 1), repeat=4):
        p = np.zeros((2, 2, 2, 2))
        for x, y in itertools.product((0, 1), repeat=2):
            p[(al * x + be) % 2, (ga * y + et) % 2, x, y] = 1
        assert p.tobytes() in D


def test_chsh_values_of_vertices():
    c = bx.chsh_coefficients()
    assert bx.bell_value(c, bx.pr_boxes()[0]) == pytest.approx(4.0)
    vals = bx.bell_value(c, bx.deterministic_boxes(2, 2, 2, 2))
    assert vals.shape == (16,)
    assert vals.max() == pytest.approx(2.0)
    assert bx.local_bound(c) == 2.0
    # <A0B0> of the white noise is 0; of the PR box 1
    assert bx.bell_value(bx.correlator_coefficients([[1, 0], [0, 0]]), bx.pr_boxes()[0]) == 1


@pytest.mark.parametrize(
    "bad, msg",
    [
        (np.zeros((2, 2, 2)), "shape"),
        (-bx.white_noise(), "negative"),
        (2 * bx.white_noise(), "normalised"),
    ],
)
def test_check_box_rejects(bad, msg):
    with pytest.raises(ValueError, match=msg):
        bx.check_box(bad)


def test_check_box_rejects_signalling():
    p = np.zeros((2, 2, 2, 2))
    for x, y in itertools.product((0, 1), repeat=2):
        p[y, 0, x, y] = 1  # Alice outputs Bob's input: signalling
    with pytest.raises(ValueError, match="signalling from Bob to Alice"):
        bx.check_box(p)
    with pytest.raises(ValueError, match="signalling from Alice to Bob"):
        bx.check_box(np.transpose(p, (1, 0, 3, 2)))


def test_box_from_quantum_tsirelson():
    # Eq. (3a) realisation reaches 2 sqrt 2 (Tsirelson)
    sz = np.diag([1.0, -1.0])
    sx = np.array([[0.0, 1.0], [1.0, 0.0]])

    def proj(o):
        return [(np.eye(2) + o) / 2, (np.eye(2) - o) / 2]

    A = [proj(sz), proj(sx)]
    B = [proj((sz + sx) / np.sqrt(2)), proj((sz - sx) / np.sqrt(2))]
    psi = np.array([1, 0, 0, 1]) / np.sqrt(2)
    p = bx.box_from_quantum(psi, A, B)
    bx.check_box(p)
    assert bx.bell_value(bx.chsh_coefficients(), p) == pytest.approx(2 * np.sqrt(2), abs=1e-12)
    # same box from the density matrix
    np.testing.assert_allclose(bx.box_from_quantum(np.outer(psi, psi), A, B), p, atol=1e-14)


def test_local_bound_enumeration_vs_lp():
    rng = np.random.default_rng(1)
    for shape in [(2, 2, 2, 2), (3, 2, 2, 3)]:
        c = rng.normal(size=shape)
        D = bx.deterministic_boxes(*shape)
        assert bx.local_bound(c) == pytest.approx(bx.bell_value(c, D).max(), abs=1e-12)


def test_local_membership_isotropic():
    assert bx.local_visibility(bx.pr_boxes()[0]).value == pytest.approx(0.5, abs=1e-9)
    r = bx.local_membership(bx.isotropic_box(0.49))
    assert r.extra["member"] and r.value == pytest.approx(1.0)
    # the LP's weights reproduce the box
    w = r.extra["weights"]
    np.testing.assert_allclose(
        np.tensordot(w, bx.deterministic_boxes(2, 2, 2, 2), 1), bx.isotropic_box(0.49), atol=1e-9
    )
    r = bx.local_membership(bx.isotropic_box(0.6))
    assert not r.extra["member"]
    # v * 0.6 = 1/2 at the facet
    assert r.value == pytest.approx(0.5 / 0.6, abs=1e-9)
    assert r.gap < 1e-8


@settings(max_examples=20, deadline=None)
@given(st.lists(st.floats(0.0, 1.0), min_size=16, max_size=16))
def test_mixtures_of_deterministic_are_local(w):
    w = np.asarray(w) + 1e-3
    p = np.tensordot(w / w.sum(), bx.deterministic_boxes(2, 2, 2, 2), 1)
    bx.check_box(p)
    assert bx.local_membership(p).extra["member"]
    assert bx.bell_value(bx.chsh_coefficients(), p) <= 2 + 1e-12


def test_inputs_are_validated():
    with pytest.raises(ValueError, match="2-outcome box"):
        bx.relabel(np.zeros((3, 2, 2, 2)), swap_x=True)
    with pytest.raises(ValueError, match="coeffs shape"):
        bx.bell_value(np.zeros((2, 2)), bx.white_noise())
    with pytest.raises(ValueError, match="correlator weights"):
        bx.correlator_coefficients([[1.0, np.nan], [1.0, 1.0]])
    with pytest.raises(ValueError, match="eta"):
        bx.isotropic_box(float("nan"))


def test_relabelling_is_an_involution_and_keeps_the_set():
    p = bx.isotropic_box(0.3) + 0.1 * (bx.deterministic_boxes(2, 2, 2, 2)[5] - bx.white_noise())
    bx.check_box(p)
    q = bx.relabel(p, swap_x=True, flip_a=(0,), flip_b=(1,))
    bx.check_box(q)
    back = bx.relabel(bx.relabel(q, flip_a=(0,), flip_b=(1,)), swap_x=True)
    np.testing.assert_allclose(back, p, atol=0)
