"""Tests of bellflow.npa against analytic quantum maxima and quantum realisations."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bellflow import boxes as bx
from bellflow import npa

TSIRELSON = 2 * np.sqrt(2)  # Tsirelson bound, Ghosh et al. text above Eq. (3); Cirel'son 1980


@pytest.mark.parametrize("level", [1, "1+AB", 2])
def test_chsh_tsirelson(level):
    r = npa.npa_upper_bound(bx.chsh_coefficients(), level)
    assert r.status == "optimal"
    assert r.value == pytest.approx(TSIRELSON, abs=1e-6)
    # primal vs dual objective
    assert abs(r.value - r.dual) < 1e-6


def test_structure_sizes_and_cache():
    assert npa.npa_structure((2, 2, 2, 2), 1).size == 5
    assert npa.npa_structure((2, 2, 2, 2), "1+ab").size == 9
    assert npa.npa_structure((2, 2, 2, 2), 2).size == 13
    assert npa.npa_structure((2, 2, 2, 2), 2) is npa.npa_structure((2, 2, 2, 2), 2)
    with pytest.raises(ValueError, match="level"):
        npa.npa_structure((2, 2, 2, 2), "banana")


def test_cg_roundtrip_general_shape():
    rng = np.random.default_rng(0)
    D = bx.deterministic_boxes(3, 3, 2, 4)
    p = np.tensordot(rng.dirichlet(np.ones(len(D))), D, 1)
    T, t0 = npa.cg_to_box_map((3, 3, 2, 4))
    np.testing.assert_allclose(T @ npa.box_to_cg(p) + t0, p.ravel(), atol=1e-14)


def test_isotropic_quantum_threshold_visibility():
    # CHSH(PR_eta) = 4 eta <= 2 sqrt 2  =>  eta <= 1/sqrt 2 (paper, text above Theorem 3)
    r = npa.npa_visibility(bx.pr_boxes()[0], "1+AB")
    assert r.value == pytest.approx(1 / np.sqrt(2), abs=1e-7)
    assert npa.npa_membership(bx.isotropic_box(0.70)).extra["member"]
    assert not npa.npa_membership(bx.isotropic_box(0.71)).extra["member"]


HARDY_MAX = (5 * np.sqrt(5) - 11) / 2  # Ghosh et al. text above Eq. (3); Hardy 1992 / Rabelo 2012


def _hardy(level):
    obj = np.zeros((2, 2, 2, 2))
    obj[0, 0, 0, 0] = 1.0
    zeros = []
    for idx in [(0, 0, 0, 1), (0, 0, 1, 0), (1, 1, 1, 1)]:
        c = np.zeros((2, 2, 2, 2))
        c[idx] = 1.0
        zeros.append((c, 0.0))
    return npa.npa_upper_bound(obj, level, equalities=zeros)


@pytest.mark.parametrize("level", ["1+AB", 2])
def test_hardy_maximum_needs_level_1ab(level):
    r = _hardy(level)
    assert r.value == pytest.approx(HARDY_MAX, abs=1e-6)
    assert abs(r.value - r.dual) < 1e-6


def test_hardy_level1_is_far_looser():
    r = _hardy(1)
    assert r.value > HARDY_MAX + 0.1  # about 0.206


def test_hardy_facial_reduction_vs_penalty():
    # independent route without equality constraints (strictly feasible SDP): the penalised
    # bound max p(00|00) - mu * (sum of the three zero probabilities) is >= the constrained
    # bound and decreases to it as mu grows (about 0.6/mu here)
    prev = np.inf
    for mu in (10.0, 100.0, 1e4):
        c = np.zeros((2, 2, 2, 2))
        c[0, 0, 0, 0] = 1.0
        for idx in [(0, 0, 0, 1), (0, 0, 1, 0), (1, 1, 1, 1)]:
            c[idx] -= mu
        v = npa.npa_upper_bound(c, "1+AB").value
        assert HARDY_MAX - 1e-8 <= v < prev
        assert v - HARDY_MAX < 1.0 / mu
        prev = v


@pytest.mark.parametrize("alpha", [0.5, 1.0])
def test_tilted_chsh(alpha):
    # alpha <A0> + CHSH: quantum max sqrt(8 + 2 alpha^2) (Acin, Massar, Pironio, PRL 108,
    # 100402 (2012), Eq. 5); level 1 is not tight, 1+AB is
    c = bx.chsh_coefficients()
    c[0, :, 0, 0] += alpha  # <A0> = sum_b p(0b|0,0) - p(1b|0,0)
    c[1, :, 0, 0] -= alpha
    exact = np.sqrt(8 + 2 * alpha**2)
    assert npa.npa_upper_bound(c, "1+AB").value == pytest.approx(exact, abs=1e-6)
    assert npa.npa_upper_bound(c, 2).value == pytest.approx(exact, abs=1e-6)
    assert npa.npa_upper_bound(c, 1).value > exact + 0.1
    # local bound 2 + alpha
    assert bx.local_bound(c) == pytest.approx(2 + alpha)


def test_qutrit_realisation_below_bound():
    # random qutrit state and projective measurements (3 outcomes, 2 x 3 settings): the NPA bound
    # of a random expression is never below the realisation's value, nor below the local bound
    rng = np.random.default_rng(3)
    shape = (3, 3, 2, 3)
    c = rng.normal(size=shape)

    def meas(m):
        out = []
        for _ in range(m):
            q, _ = np.linalg.qr(rng.normal(size=(3, 3)) + 1j * rng.normal(size=(3, 3)))
            out.append([np.outer(q[:, k], q[:, k].conj()) for k in range(3)])
        return out

    psi = rng.normal(size=9) + 1j * rng.normal(size=9)
    psi /= np.linalg.norm(psi)
    p = bx.box_from_quantum(psi, meas(2), meas(3))
    bx.check_box(p)
    bound = npa.npa_upper_bound(c, "1+AB")
    assert bx.bell_value(c, p) <= bound.value + 1e-7
    assert bx.local_bound(c) <= bound.value + 1e-7
    assert "tol_gap_abs" in bound.tolerances
    # the quantum box passes NPA membership; a PR-like signal-free box far outside does not
    assert npa.npa_membership(p, "1+AB").extra["member"]


def test_membership_rejects_invalid_box():
    with pytest.raises(ValueError, match="negative"):
        npa.npa_membership(-bx.white_noise())
    with pytest.raises(ValueError, match="solver"):
        npa.npa_upper_bound(bx.chsh_coefficients(), 1, solver="MOSEK")


def test_scs_option_agrees():
    r = npa.npa_upper_bound(bx.chsh_coefficients(), "1+AB", solver="SCS", tol=1e-8)
    assert r.solver == "SCS"
    assert r.value == pytest.approx(TSIRELSON, abs=1e-5)


def _qubit_projector(theta, phi):
    v = np.array([np.cos(theta / 2), np.exp(1j * phi) * np.sin(theta / 2)])
    P = np.outer(v, v.conj())
    return [P, np.eye(2) - P]


@settings(max_examples=15, deadline=None)
@given(
    st.lists(st.floats(-1.0, 1.0), min_size=16, max_size=16),
    st.lists(st.floats(0.0, 2 * np.pi), min_size=8, max_size=8),
    st.floats(0.0, np.pi / 2),
)
def test_qubit_realisations_never_exceed_npa_bound(coeffs, angles, t):
    # any two-qubit realisation of any Bell expression stays below the NPA bound (every level
    # relaxes the quantum set); level 1+AB is tighter than level 1; local bound below both
    c = np.asarray(coeffs).reshape(2, 2, 2, 2)
    A = [_qubit_projector(angles[0], angles[1]), _qubit_projector(angles[2], angles[3])]
    B = [_qubit_projector(angles[4], angles[5]), _qubit_projector(angles[6], angles[7])]
    psi = np.array([np.cos(t), 0, 0, np.sin(t)])
    value = bx.bell_value(c, bx.box_from_quantum(psi, A, B))
    b1 = npa.npa_upper_bound(c, 1).value
    b2 = npa.npa_upper_bound(c, "1+AB").value
    assert value <= b2 + 1e-7
    assert b2 <= b1 + 1e-7  # higher level is tighter
    assert bx.local_bound(c) <= b2 + 1e-7


# --- certified bounds ------------------------------------------------------------------------


def _hardy_strategy_box():
    """Hardy's qubit strategy: psi = al|00> + be(|01> + |10>), x = y = 1 computational basis,
    x = y = 0 outcome 0 on u = (be, -al)/N (orthogonal to <0|_B psi and <0|_A psi); success
    al^2 be^4 / (al^2 + be^2)^2, maximal at be^2 = (3 - sqrt 5)/2 (derivative of the log)."""
    t = (3 - np.sqrt(5)) / 2
    al, be = np.sqrt(1 - 2 * t), np.sqrt(t)
    psi = np.array([al, be, be, 0.0])
    u = np.array([be, -al]) / np.hypot(al, be)
    P0 = np.outer(u, u)
    Z = np.diag([1.0, 0.0])
    meas = [[P0, np.eye(2) - P0], [Z, np.eye(2) - Z]]
    return bx.box_from_quantum(psi, meas, meas)


@pytest.mark.parametrize("level", [1, "1+AB", 2, 3])
def test_hardy_certified_never_below_qubit_strategy(level):
    p = _hardy_strategy_box()
    for idx in [(0, 0, 0, 1), (0, 0, 1, 0), (1, 1, 1, 1)]:
        assert abs(p[idx]) < 1e-15  # the strategy satisfies Hardy's zeros
    achieved = float(p[0, 0, 0, 0])
    assert achieved == pytest.approx(HARDY_MAX, abs=1e-15)  # two routes to the same number
    obj = np.zeros((2, 2, 2, 2))
    obj[0, 0, 0, 0] = 1.0
    zeros = []
    for idx in [(0, 0, 0, 1), (0, 0, 1, 0), (1, 1, 1, 1)]:
        c = np.zeros((2, 2, 2, 2))
        c[idx] = 1.0
        zeros.append((c, 0.0))
    r = npa.npa_upper_bound(obj, level, equalities=zeros, achieved=achieved)
    assert r.certified >= achieved and r.achieved == achieved
    assert r.certificate["method"] == "repaired dual"
    assert r.certified - r.value < 1e-5


def test_certified_chsh_and_visibility():
    r = npa.npa_upper_bound(bx.chsh_coefficients(), "1+AB")
    assert TSIRELSON <= r.certified < TSIRELSON + 1e-6
    v = npa.npa_visibility(bx.pr_boxes()[0], "1+AB")
    assert 1 / np.sqrt(2) <= v.certified < 1 / np.sqrt(2) + 1e-6
    m = npa.npa_membership(bx.isotropic_box(0.75), "1+AB")  # outside: certified v < 1 proves it
    assert m.certified < 1


def _cglmp3():
    d = 3
    c = np.zeros((d, d, 2, 2))
    terms = {(0, 0): (0, 2), (1, 0): (2, 0), (1, 1): (0, 2), (0, 1): (0, 1)}
    for (x, y), (plus, minus) in terms.items():
        for a in range(d):
            for b in range(d):
                c[a, b, x, y] = ((a - b) % d == plus) - 1.0 * ((a - b) % d == minus)
    return c


def test_quantum_bound_cglmp3():
    # CGLMP d = 3: local bound 2 (Collins et al. PRL 88, 040404 (2002)); quantum value
    # 1 + sqrt(11/3) (Acin, Durt, Gisin, Latorre PRA 65, 052325 (2002)), reached at level 1+AB
    c = _cglmp3()
    assert bx.local_bound(c) == pytest.approx(2.0)
    r = npa.quantum_bound(c, "1+AB", scenario=(3, 3, 2, 2))
    exact = 1 + np.sqrt(11 / 3)
    assert exact <= r.certified < exact + 1e-5
    with pytest.raises(ValueError, match="scenario"):
        npa.quantum_bound(c, 1, scenario=(2, 2, 2, 2))


def test_bad_inputs_named():
    with pytest.raises(ValueError, match="finite"):
        npa.npa_upper_bound(np.full((2, 2, 2, 2), np.nan), 1)
    with pytest.raises(ValueError, match="tol"):
        npa.npa_upper_bound(bx.chsh_coefficients(), 1, tol=2.0)


def test_auto_solver_switches_to_scs_above_size(monkeypatch):
    # solver="auto": Clarabel up to side SCS_SIZE, SCS above (certified either way)
    from bellflow.npa import bounds

    r = npa.npa_upper_bound(bx.chsh_coefficients(), "1+AB")
    assert r.solver == "CLARABEL"
    monkeypatch.setattr(bounds, "SCS_SIZE", 5)
    r = npa.npa_upper_bound(bx.chsh_coefficients(), "1+AB")  # side 9 > 5
    assert r.solver == "SCS" and r.tolerances["eps"] == bounds.SCS_LARGE_TOL
    assert TSIRELSON <= r.certified < TSIRELSON + 1e-3
