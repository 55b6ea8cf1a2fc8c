"""Tests of bellflow.entropy: Brown-Fawzi-Fawzi lower bounds on H(A|E).

Independent routes: the quadrature against exact integrals; the CHSH bound against the
analytic curve of Pironio et al. (2009), approached from below; the self-testing box of paper
002 (d = 2, no noise) against the closed-form value of the bound when Eve is uncorrelated;
a local box against 0; an impossible CHSH value must raise.
"""

from __future__ import annotations

import numpy as np
import pytest

from bellflow import diqkd as D
from bellflow import entropy as En
from bellflow.optim import SolverError


def _chsh_coeffs():
    c = np.zeros((2, 2, 2, 2))
    for a, b, x, y in np.ndindex(2, 2, 2, 2):
        c[a, b, x, y] = (-1) ** (a + b + x * y)
    return c


# ------------------------------------------------------------------ quadrature
@pytest.mark.parametrize("m", [2, 3, 5, 8])
def test_gauss_radau_exactness(m):
    t, w = En.gauss_radau(m)
    assert t[-1] == 1.0 and np.all(np.diff(t) > 0) and t[0] > 0
    assert w[-1] == pytest.approx(1 / m**2)  # endpoint weight of the Radau rule
    for k in range(2 * m - 1):  # exact up to degree 2m - 2
        assert np.sum(w * t**k) == pytest.approx(1 / (k + 1), rel=1e-12)
    k = 2 * m - 1  # and not beyond
    assert abs(np.sum(w * t**k) - 1 / (k + 1)) > 1e-14


def test_gauss_radau_bad_m():
    with pytest.raises(ValueError, match="m must"):
        En.gauss_radau(1)


# ------------------------------------------------------------------ word algebra
def test_word_rules():
    A0, A0b, A1 = ("A", 0, 0), ("A", 0, 1), ("A", 1, 0)
    B0, Z, Zs = ("B", 0, 0), ("Z", 0, 0), ("Z", 0, 1)
    assert En._canon((A0, A0)) == ((A0,), (), ())  # projector
    assert En._canon((A0, A0b)) is None  # orthogonal outcomes
    assert En._canon((Z, B0, A1, A0)) == ((A1, A0), (B0,), (Z,))  # parties commute
    assert En._canon((Z, Z)) == ((), (), (Z, Z))  # Eve's letters are not projectors
    assert En._adjoint(((A1, A0), (), (Z, Zs))) == ((A0, A1), (), (Z, Zs))
    assert En._adjoint(((), (), (Z, Z))) == ((), (), (Zs, Zs))


def test_moment_structure_sizes():
    # CHSH: 1 + 8 letters + 2-letter products with at most one Eve letter + A B Z extras
    assert En.moment_structure((2, 2, 2, 2)).size == 49
    assert En.moment_structure((2, 2, 2, 2), eve_degree=2).size == 65
    ms = En.moment_structure((2, 2, 2, 2))
    # Gamma is symmetric and Gamma[0, 0] is the identity moment
    G = (ms.P @ np.arange(len(ms.keys))).reshape(ms.size, ms.size).astype(int)
    np.testing.assert_array_equal(G, G.T)
    assert ms.keys[G[0, 0]] == ((), (), ())


# ------------------------------------------------------------------ bounds
def test_chsh_converges_to_pironio_from_below():
    v = 0.95
    S = 2 * np.sqrt(2) * v
    exact = D.pironio_entropy(S)  # Pironio et al., NJP 11, 045021 (2009)
    vals = []
    for m in (2, 3, 4):
        r = En.bff_entropy(m, functionals=[(_chsh_coeffs(), S)])
        assert r.value <= r.solver_value + 1e-12
        assert r.value <= exact + 1e-9  # a lower bound: never above the tight analytic value
        assert set(r.statuses) <= {"optimal", "optimal_inaccurate"}
        vals.append(r.value)
    assert vals[0] < vals[1] < vals[2]
    assert exact - vals[2] < 5e-3


@pytest.mark.slow
def test_chsh_m8_solver_values_reach_pironio():
    S = 2 * np.sqrt(2) * 0.95
    exact = D.pironio_entropy(S)
    r = En.bff_entropy(8, functionals=[(_chsh_coeffs(), S)])
    assert r.value <= exact
    assert abs(r.solver_value - exact) < 3e-5  # the relaxation is tight; quadrature error
    assert exact - r.value < 2e-2  # certified value pays for Clarabel's residuals


def test_self_testing_box_gives_full_randomness_d2():
    # Paper 002, d = 2, eps = 0.5, no noise: H(A|E) = 1 (Eq. 14). With Eve uncorrelated the
    # node infimum is -1/(1 + t) (scalar Z, p(a) = 1/2), so the m-node bound cannot exceed
    # sum_i w_i / ((1 + t_i) ln 2); the relaxation must reach it.
    m = 2
    r = En.bff_entropy(m, p=D.family_box(2, 0.5, 1.0), level="local", extra="")
    t, w = En.gauss_radau(m)
    closed = float(np.sum(w[:-1] / ((1 + t[:-1]) * np.log(2))))
    assert r.value <= closed + 1e-9
    assert abs(r.solver_value - closed) < 1e-5
    assert closed - r.value < 1e-3


def test_local_box_certifies_nothing():
    p = D.chsh_box(0.6)[:, :, :, :2]  # S = 1.70 < 2: local, Eve can know Alice's outcome
    r = En.bff_entropy(3, p=p)
    assert r.value <= 1e-6


def test_impossible_statistics_raise():
    with pytest.raises(SolverError, match="BFF node SDP"):
        En.bff_entropy(2, functionals=[(_chsh_coeffs(), 3.2)])  # beyond Tsirelson


def test_bad_arguments():
    ms = En.moment_structure((2, 2, 2, 2))
    with pytest.raises(ValueError, match="t must"):
        En.bff_node_bound(ms, 1.0, p=D.chsh_box(0.9)[:, :, :, :2])
    with pytest.raises(ValueError, match="give the box"):
        En.bff_node_bound(ms, 0.5)
    with pytest.raises(ValueError, match="key_setting"):
        En.bff_entropy(2, p=D.chsh_box(0.9)[:, :, :, :2], key_setting=2)
    with pytest.raises(ValueError, match="level"):
        En.moment_structure((2, 2, 2, 2), level="3")
