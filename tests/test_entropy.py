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


# ------------------------------------------------------------------ the norm bound on Eve's Z
def _sylvester_instance(rng, n):
    """Random rho_E >= sigma >= 0 (sigma = rho^1/2 K rho^1/2, 0 <= K <= 1), rho of trace 1."""
    import scipy.linalg as sla

    G = rng.normal(size=(n, n)) + 1j * rng.normal(size=(n, n))
    rho = G @ G.conj().T
    lam, U = np.linalg.eigh(rho)
    rho = (U * (lam * 10 ** rng.uniform(-4, 0, n))) @ U.conj().T
    rho /= np.trace(rho).real
    H = rng.normal(size=(n, n)) + 1j * rng.normal(size=(n, n))
    _, V = np.linalg.eigh(H + H.conj().T)
    k = rng.uniform(0, 1, n)
    k[rng.random(n) < 0.3] = 1.0
    r = sla.sqrtm(rho)
    sigma = r @ ((V * k) @ V.conj().T) @ r
    return rho, (sigma + sigma.conj().T) / 2


def _F(Z, rho, sigma, t):
    """Node objective of one outcome for a fixed state (module docstring of bellflow.entropy)."""
    Zd = Z.conj().T
    return np.real(np.trace(sigma @ (Z + Zd + (1 - t) * Zd @ Z)) + t * np.trace(rho @ Z @ Zd))


def test_eve_norm_bound_holds_for_the_minimiser():
    # independent route: the minimiser of F from scipy's Sylvester solver on random states;
    # it is a minimum (perturbations never lower F) and its norm stays below beta(t)
    import scipy.linalg as sla

    rng = np.random.default_rng(7)
    worst = 0.0
    for i in range(400):
        n = int(rng.integers(1, 5))
        rho, sigma = _sylvester_instance(rng, n)
        t = float(rng.choice([rng.uniform(0.01, 0.99), rng.uniform(0.45, 0.55)]))
        Z = sla.solve_sylvester(t * rho, (1 - t) * sigma, -sigma)
        if i < 40:
            f0 = _F(Z, rho, sigma, t)
            for _ in range(3):
                D_ = 1e-3 * (rng.normal(size=(n, n)) + 1j * rng.normal(size=(n, n)))
                assert _F(Z + D_, rho, sigma, t) >= f0 - 1e-12
        ratio = np.linalg.norm(Z, 2) / En.eve_norm_bound(t)
        assert ratio <= 1 + 1e-9
        worst = max(worst, ratio)
    assert worst > 0.99  # the bound is nearly reached (t close to 1/2)


def test_eve_norm_bound_tight_case_and_arguments():
    # rho = sigma (Eve's outcome-a weight is all of rho) at t = 1/2: Z = -1, ||Z|| = beta = 1
    import scipy.linalg as sla

    rho = np.diag([0.7, 0.3]).astype(complex)
    Z = sla.solve_sylvester(0.5 * rho, 0.5 * rho, -rho)
    np.testing.assert_allclose(Z, -np.eye(2), atol=1e-14)
    assert En.eve_norm_bound(0.5) == 1.0
    assert En.eve_norm_bound(0.1) == pytest.approx(1 / (2 * np.sqrt(0.09)))
    with pytest.raises(ValueError, match="t must"):
        En.eve_norm_bound(1.0)


def _combo(ms, terms, m):
    vec = np.zeros(len(ms.keys))
    for coef, letters in terms:
        En._add(vec, ms, coef, letters)
    return float(vec @ m)


@pytest.mark.parametrize("v", [1.0, 0.9])
def test_objective_moments_at_the_solver_primal_obey_the_bound(v):
    # The relaxation leaves some of Eve's moments free, but the combinations the objective
    # uses must obey the derived bounds at the optimum (rescaled Z~ = Z / beta, ||Z~|| <= 1):
    # <Z~ Z~^*> <= 1, <M_a Z~^* Z~> <= <M_a>, |<M_a Z~>| <= <M_a>.
    p = D.chsh_box(v)[:, :, :, :2]
    ms = En.moment_structure((2, 2, 2, 2))
    E, _, _ = En._constraints(ms, p, None)
    for t in (0.1, 0.5, 0.9):
        En.bff_node_bound(ms, t, p=p)
        m = En._node_sdp(ms, E, False)["m"].value
        for a in range(2):
            z, zs = ("Z", a, 0), ("Z", a, 1)
            M = En._proj_expansion("A", 0, a, 2)
            pm = _combo(ms, M, m)
            assert _combo(ms, [(1.0, (z, zs))], m) <= 1 + 1e-6
            assert _combo(ms, [(c, lt + (zs, z)) for c, lt in M], m) <= pm + 1e-6
            assert abs(_combo(ms, [(c, lt + (z,)) for c, lt in M], m)) <= pm + 1e-6


def test_certificate_perturbed_dual_and_wrong_bound():
    # Known optimum: the maximal CHSH box self-tests, Eve is uncorrelated and the node infimum
    # is -1/(1 + t). A perturbed dual point still certifies (looser); the dual point X = 0 with
    # a wrong norm bound (0 for Eve's moments) certifies 0 > -1/(1 + t): caught.
    p = D.chsh_box(1.0)[:, :, :, :2]
    ms = En.moment_structure((2, 2, 2, 2))
    t = 0.5
    nd = En.bff_node_bound(ms, t, p=p)
    exact = -1 / (1 + t)
    assert nd.certified <= exact and exact - nd.certified < 1e-4
    assert nd.certificate["residual"] <= exact and nd.certificate["conic"] <= exact
    E, f, unit = En._constraints(ms, p, None)
    sdp = En._node_sdp(ms, E, False)
    X = np.asarray(sdp["psd"].dual_value)
    c = En._node_objective(ms, t, 0) * En._norm_bounds(ms, En.eve_norm_bound(t))
    H, z = sdp["H"], np.zeros(len(sdp["H"]))
    y = sdp["eq"].dual_value
    rng = np.random.default_rng(3)
    for _ in range(5):
        G = 1e-3 * rng.normal(size=X.shape)
        val, _ = En._certify(ms, c, E, f, unit, H, z, (X + X.T) / 2 + G @ G.T, y, z, 1.0)
        assert val <= exact and val < nd.certificate["residual"]
    right, _ = En._certify(ms, c, E, f, unit, H, z, 0 * X, y, z, 1.0)
    wrong, _ = En._certify(ms, c, E, f, unit, H, z, 0 * X, y, z, 0.0)
    assert right <= exact < wrong


def test_drop_zero_outcomes_and_small_eps_family():
    # paper 002's d = 2 family: Bob's third outcome never occurs (B_2 = 0 on C^2)
    p = D.family_box(2, 0.01)
    q, keep = En.drop_zero_outcomes(p)
    assert q.shape == (2, 2, 2, 4) and keep == [[0, 1]] * 4
    np.testing.assert_allclose(q, p[:, :2], atol=1e-15)
    c = D.family_coefficients(2, 0.01)
    np.testing.assert_allclose(
        np.sum(En._reduce_coeffs(c, keep) * q), np.sum(c * p), atol=1e-14
    )
    # eps = 0.01 used to end in SolverError; the m = 2 bound reaches the closed form
    r = En.bff_entropy(2, p=p, level="local", extra="")
    t, w = En.gauss_radau(2)
    closed = float(np.sum(w[:-1] / ((1 + t[:-1]) * np.log(2))))
    assert r.value <= closed + 1e-9 and closed - r.value < 1e-3
    with pytest.raises(ValueError, match="p must"):
        En.drop_zero_outcomes(np.full((2, 2, 2), 0.25))


# ------------------------------------------------------------------ symmetry reduction
def test_symmetry_reduction_structure_and_value():
    # CHSH: two relabellings (all outcomes flipped with Z_0 <-> Z_1; Bob's settings swapped
    # with Alice's x = 1 flipped) leave the depolarised Tsirelson box invariant; the 49 x 49
    # moment matrix splits into four blocks and the certified node value is unchanged
    from bellflow.entropy import symmetry as Sy

    ms = En.moment_structure((2, 2, 2, 2))
    gens = Sy.candidate_generators((2, 2, 2, 2), 0)
    red = Sy.reduction(ms, gens)
    assert sum(red.sizes) == ms.size == 49 and len(red.sizes) == 4
    assert red.S.shape[1] < len(ms.keys)
    np.testing.assert_allclose(red.S.T @ red.S, np.eye(red.S.shape[1]), atol=1e-12)
    p = D.chsh_box(0.9)[:, :, :, :2]
    assert len(En._symmetries(ms, p, None, 0)) == 2
    full = En.bff_node_bound(ms, 0.5, p=p)
    sym = En.bff_node_bound(ms, 0.5, p=p, symmetries=gens)
    assert abs(sym.certified - full.certified) < 1e-5
    exact = -1 / 1.5  # v = 1: the self-testing value -1/(1 + t) bounds it from above
    top = En.bff_node_bound(ms, 0.5, p=D.chsh_box(1.0)[:, :, :, :2], symmetries=gens)
    assert top.certified <= exact and exact - top.certified < 1e-4


def test_symmetry_rejected_for_a_non_invariant_box():
    from bellflow.entropy import symmetry as Sy

    ms = En.moment_structure((2, 2, 2, 2))
    # biased marginals break the outcome flip; a rotated measurement breaks the setting swap
    p = 0.8 * D.chsh_box(1.0)[:, :, :, :2]
    p[0, 0] += 0.2
    assert En._symmetries(ms, p, None, 0) == []
    with pytest.raises(ValueError, match="not invariant"):
        En.bff_node_bound(ms, 0.5, p=p, symmetries=Sy.candidate_generators((2, 2, 2, 2), 0))
    assert Sy.candidate_generators((2, 3, 2, 4), 0) == []


def test_symmetry_with_one_generator():
    # unbiased marginals but no setting symmetry: only the global outcome flip applies
    def proj(th):
        o = np.array([[np.cos(th), np.sin(th)], [np.sin(th), -np.cos(th)]])
        return np.array([(np.eye(2) + o) / 2, (np.eye(2) - o) / 2])

    A = np.array([proj(0.0), proj(np.pi / 2)])
    B = np.array([proj(0.3), proj(-1.0)])
    phi = D.max_entangled_state(2)
    p = D.box_from_state(0.97 * np.outer(phi, phi) + 0.03 * np.eye(4) / 4, A, B)
    ms = En.moment_structure((2, 2, 2, 2))
    gens = En._symmetries(ms, p, None, 0)
    assert len(gens) == 1
    full = En.bff_node_bound(ms, 0.4, p=p)
    sym = En.bff_node_bound(ms, 0.4, p=p, symmetries=gens)
    assert abs(sym.certified - full.certified) < 1e-5
