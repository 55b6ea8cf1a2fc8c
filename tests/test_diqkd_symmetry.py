"""Relabelling symmetry of paper 002's family: the dihedral group, the orbit-reduced LPs and
the block-diagonal NPA bound, each against the unreduced route."""

from __future__ import annotations

import numpy as np
import pytest

from bellflow import diqkd as D
from bellflow.npa import npa_upper_bound
from bellflow.npa.structure import npa_structure
from bellflow.npa.symmetry import (
    Relabelling,
    dihedral_elements,
    is_symmetry,
    npa_reduction,
    npa_upper_bound_symmetric,
    orbits,
)


@pytest.mark.parametrize("d", [2, 3, 4, 5])
@pytest.mark.parametrize("eps", [0.0, 1e-3, 0.3, 0.77])
def test_family_box_and_coefficients_are_invariant(d, eps):
    r, s = D.family_symmetry(d)
    p = D.family_box(d, eps)
    pn = D.family_box(d, eps, visibility=0.7)
    for g in (r, s):
        assert is_symmetry(p, g, 1e-12) and is_symmetry(pn, g, 1e-12)
        # the Bell functional's value is invariant on every box of the orbit
        c = D.family_coefficients(d, eps)
        assert abs(D.bell_value(c, g.apply(pn)) - D.bell_value(c, pn)) < 1e-12


@pytest.mark.parametrize("d", [2, 3, 6])
def test_dihedral_group_order_and_relations(d):
    r, s = D.family_symmetry(d)
    G = dihedral_elements(r, s)
    assert len(G) == 2 * d and len(set(G)) == 2 * d
    # independent route: closure of the generators under composition has the same size
    seen = {G[0]}
    frontier = [G[0]]
    while frontier:
        g = frontier.pop()
        for h in (g.compose(r), g.compose(s)):
            if h not in seen:
                seen.add(h)
                frontier.append(h)
    assert seen == set(G)


def test_relabelling_validates_and_orbits():
    with pytest.raises(ValueError, match="permutation"):
        Relabelling((0, 0), ((0, 1), (0, 1)), (0,), ((0, 1),))
    # a cyclic shift of 4 points has one orbit; two fixed points give two more
    labels = orbits([np.array([1, 2, 3, 0, 4, 5])], 6)
    assert list(labels) == [0, 0, 0, 0, 1, 2]


@pytest.mark.parametrize("d", [3, 4])
@pytest.mark.parametrize("eps", [1e-3, 0.1, 0.56])
def test_distance_lp_with_symmetry_matches_full_lp(d, eps):
    p0 = D.family_box(d, 0.0)
    ref = (p0, D.local_decomposition(p0))
    p = D.family_box(d, eps)
    full = D.distance_to_local(p, reference=ref)
    red = D.distance_to_local(p, reference=ref, symmetry=D.family_symmetry(d))
    assert red.lower <= red.value * (1 + 1e-9) and red.value <= red.upper * (1 + 1e-9)
    # both brackets are certified, so they must overlap; and the values agree
    assert red.lower <= full.upper and full.lower <= red.upper
    assert abs(red.value - full.value) <= 1e-6 * full.value
    assert len(red.opt.extra["x"]) < len(full.opt.extra["x"]) / d  # about 2d times fewer


@pytest.mark.parametrize("d", [2, 3])
def test_visibility_lp_with_symmetry_matches_full_lp(d):
    p = D.family_box(d, 0.2)
    full = D.local_visibility(p)
    red = D.local_visibility(p, symmetry=D.family_symmetry(d))
    assert abs(full.value - red.value) < 1e-8
    assert red.certified >= red.value - 1e-12


def test_symmetry_of_a_non_invariant_box_is_refused():
    d = 3
    p = D.family_box(d, 1.0)  # Bob's degenerate measurements at eps = 1 break the symmetry
    with pytest.raises(ValueError, match="not invariant"):
        D.distance_to_local(p, symmetry=D.family_symmetry(d))


def test_npa_reduction_block_diagonalises_invariant_moment_matrices():
    d = 2
    r, s = D.family_symmetry(d)
    red = npa_reduction(r.shape, "1+AB", r, s)
    st = npa_structure(r.shape, "1+AB")
    assert red.sizes == [7, 6, 7, 7] and sum(red.sizes) == st.size
    rng = np.random.default_rng(1)
    m = red.S @ rng.normal(size=red.S.shape[1])
    # mu are moments: S restricted to the free rows is the identity
    np.testing.assert_allclose(red.S[red.free], np.eye(len(red.free)), atol=1e-12)
    G = (st.F @ m).reshape(st.size, st.size)
    K = np.hstack(red.K)
    X = K.T @ G @ K
    start = 0
    for n in red.sizes:
        X[start : start + n, start : start + n] = 0.0
        start += n
    assert np.abs(X).max() < 1e-10 * np.abs(G).max()
    # congruence: K invertible, so the inertia of Gamma is the blocks' (Sylvester)
    assert np.linalg.matrix_rank(K) == st.size


@pytest.mark.parametrize(("eps", "solver"), [(0.5, "SCS"), (0.1, "CLARABEL")])
def test_symmetric_npa_bound_matches_full_route_d2(eps, solver):
    d = 2
    c = D.family_coefficients(d, eps)
    shift = np.zeros_like(c)
    shift[:, :, 0, 0] = d - 1
    full = npa_upper_bound(c - shift, "1+AB")
    r, s = D.family_symmetry(d)
    tol = 1e-7 if solver == "SCS" else None
    res, red = npa_upper_bound_symmetric(c - shift, "1+AB", r, s, solver=solver, tol=tol)
    assert abs(res.value - full.value) < 1e-5
    # certified upper bounds on max B_d - (d - 1) = 0 (the quantum value is reached)
    assert 0.0 <= res.certified < 1e-5  # the explicit box reaches 0: a bracket [0, cert]
    assert "blocks 7/6/7/7" in red.describe()


def test_symmetric_npa_refuses_a_non_invariant_expression():
    r, s = D.family_symmetry(2)
    c = np.zeros(r.shape)
    c[0, 0, 0, 0] = 1.0
    with pytest.raises(ValueError, match="not invariant"):
        npa_upper_bound_symmetric(c, "1+AB", r, s)


def test_npa_check_falls_back_to_the_full_matrix(monkeypatch):
    import bellflow.npa.symmetry as S
    from bellflow.optim import SolverError

    def fail(*args, **kwargs):
        raise SolverError("SCS did not converge", status="optimal_inaccurate", problem="test")

    monkeypatch.setattr(S, "npa_upper_bound_symmetric", fail)
    sym = D.npa_check(2, 0.5, symmetric=True)  # falls back: the full route's result
    full = D.npa_check(2, 0.5, symmetric=False)
    assert sym["excess"] == full["excess"] and sym["opt"].solver == "CLARABEL"


def test_npa_check_default_route_by_size(monkeypatch):
    # d = 4 (12,528 moments) stays on the full matrix: the dense reduction would need ~2.5 GB
    import bellflow.npa as N
    import bellflow.npa.symmetry as S
    from bellflow.optim import OptResult

    def no_sym(*args, **kwargs):
        raise AssertionError("the symmetric route must not be used at d = 4")

    def fake_full(c, level="1+AB", tol=None):
        return OptResult(value=0.0, status="optimal", solver="fake", certified=1e-6)

    monkeypatch.setattr(S, "npa_upper_bound_symmetric", no_sym)
    monkeypatch.setattr(N, "npa_upper_bound", fake_full)
    r = D.npa_check(4, 0.5)
    assert r["opt"].solver == "fake" and r["excess"] == 1e-6
    assert len(N.npa_structure((3, 3, 2, 9), "1+AB").moments) <= D.bell.SYMMETRIC_MAX_MOMENTS
