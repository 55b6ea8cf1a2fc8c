"""Tests of the device-independent key rate (bellflow.diqkd.key_rate, family_di_rate), the
white-noise LP (local_visibility), the U_0 formula and the paper checks of bellflow.diqkd.

Independent routes: the CHSH-optimal box against the m-node value of a perfectly secret key
(closed form) and the Pironio et al. (2009) rate; a local box against 0; the white-noise
threshold of the CHSH box against 1/sqrt 2; the family's BFF rate against the closed form.
"""

from __future__ import annotations

import numpy as np
import pytest
import scipy.linalg as sla

from bellflow import diqkd as D
from bellflow import entropy as En
from bellflow.diqkd import checks


def _chsh_coeffs():
    c = np.zeros((2, 2, 2, 2))
    for a, b, x, y in np.ndindex(2, 2, 2, 2):
        c[a, b, x, y] = (-1) ** (a + b + x * y)
    return c


# ------------------------------------------------------------------ key_rate (issue 17)
def test_key_rate_chsh_optimal_box_reaches_the_quadrature_ceiling():
    # Tsirelson box: H(A|E) = 1 (Pironio et al.), H(A|B) = 0 with Bob's aligned setting y = 2;
    # an m-node BFF bound can reach at most quadrature_ceiling(m, 2) (Eve uncorrelated)
    r = D.key_rate(D.chsh_box(1.0), key_settings=[2], m=2)
    ceiling = D.quadrature_ceiling(2, 2)
    assert r.certified == r.value <= ceiling + 1e-9
    assert ceiling - r.value < 1e-4
    assert r.bob_setting == 2 and r.H_AB == pytest.approx(0.0, abs=1e-12)
    assert D.chsh_key_rate(0.0) == pytest.approx(1.0)  # Pironio: 1 bit, the m -> inf limit


def test_key_rate_passes_solver_options():
    # the same certified bound through SCS (the low-memory route for large moment matrices)
    a = D.key_rate(D.chsh_box(1.0), key_settings=[2], m=2)
    b = D.key_rate(D.chsh_box(1.0), key_settings=[2], m=2, solver_opts=dict(D.rates.SCS_BFF))
    assert b.entropy.nodes[0].opt.solver == "SCS" and a.entropy.nodes[0].opt.solver != "SCS"
    assert b.value <= D.quadrature_ceiling(2, 2) + 1e-9
    assert abs(a.value - b.value) < 1e-3


def test_key_rate_noisy_chsh_box_vs_pironio():
    # CHSH-only constraint: the BFF bound stays below Pironio's tight bound (a lower bound);
    # the full box constrains Eve more, and m = 4 already exceeds the CHSH-only analytic
    # rate at v = 0.95 (as Brown-Fawzi-Fawzi report for full statistics)
    v = 0.95
    Q = (1 - v) / 2
    chsh_only = En.bff_entropy(4, functionals=[(_chsh_coeffs(), 2 * np.sqrt(2) * v)])
    assert chsh_only.value - D.binary_entropy(Q) <= D.chsh_key_rate(Q) + 1e-9
    r = D.key_rate(D.chsh_box(v), key_settings=[2], m=4)
    assert r.raw == pytest.approx(r.H_AE - D.binary_entropy(Q), abs=1e-12)
    assert r.value >= chsh_only.value - D.binary_entropy(Q) - 1e-6
    assert r.value > D.chsh_key_rate(Q)


def test_key_rate_local_box_is_zero_and_best_bob_setting():
    p = D.chsh_box(0.6)  # S = 1.70: local
    r = D.key_rate(p, key_settings=[0, 2], m=2)
    assert r.value == 0.0 and r.raw < 0 and r.H_AE <= 1e-6
    # y = 2 (aligned with Alice's Z) has the smallest H(A|B) of the two key settings
    assert r.bob_setting == 2


def test_key_rate_arguments():
    p = D.chsh_box(0.9)
    with pytest.raises(ValueError, match="key_settings"):
        D.key_rate(p, key_settings=[5])
    with pytest.raises(ValueError, match="key_settings"):
        D.key_rate(p, key_settings=[])
    with pytest.raises(ValueError, match="box"):
        D.key_rate(p[:, :, :, 0], key_settings=[0])
    with pytest.raises(ValueError, match="normalised"):
        D.key_rate(2 * p, key_settings=[2])
    with pytest.raises(ValueError, match="alice_key"):
        D.key_rate(p, key_settings=[2], alice_key=3)


def test_family_di_rate_small_eps():
    # paper 002, d = 2, eps = 0.01 (used to fail): the certified DI rate is the m-node value
    # of a perfectly secret key, i.e. log2 d up to the quadrature gap
    r = D.family_di_rate(2, 0.01, 2)
    ceiling = D.quadrature_ceiling(2, 2)
    assert r.H_AB == pytest.approx(0.0, abs=1e-12)
    assert r.value <= ceiling + 1e-9 and ceiling - r.value < 1e-3


def test_quadrature_ceiling_converges_to_log2d():
    for d in (2, 3, 5):
        vals = [D.quadrature_ceiling(m, d) for m in (2, 4, 8, 16)]
        assert np.all(np.diff(vals) > 0) and vals[-1] < np.log2(d)
        # the dropped Radau endpoint t = 1 (weight 1/m^2) is what is missing
        gap = np.log2(d) - vals[-1]
        assert gap == pytest.approx((d - 1) / (d * np.log(2)) / 16**2, rel=1e-6)


# ------------------------------------------------------------------ white noise, local set
def test_local_visibility_chsh_and_family():
    r = D.local_visibility(D.chsh_box(1.0)[:, :, :, :2])
    assert r.value == pytest.approx(1 / np.sqrt(2), abs=1e-9)
    assert r.certified >= r.value - 1e-12 and r.certified - 1 / np.sqrt(2) < 1e-9
    res = [D.local_visibility(D.family_box(2, e)) for e in (1e-1, 1e-2, 1e-3)]
    tol = [1 - r.value for r in res]  # the primal is a local model of the noisy box
    assert np.all(np.diff(tol) < 0) and tol[-1] < 2e-3  # cannot tolerate noise as eps -> 0
    assert all(1 - r.certified > 0 for r in res)  # but nonlocal for any smaller noise
    assert D.local_visibility(D.family_box(2, 0.0)).value == pytest.approx(1.0, abs=1e-12)
    with pytest.raises(ValueError, match="noise"):
        D.local_visibility(D.chsh_box(1.0), noise=np.ones((2, 2)))


# ------------------------------------------------------------------ U_0 and the checks
@pytest.mark.parametrize("d", [2, 3, 5, 8])
def test_unitary_formula_at_zero_without_special_case(d):
    # Eq. (17) as printed at eps = 0: sum_j |chi_j><chi_j| = 1 (Fourier completeness), up to
    # rounding; and it matches expm(eps G) at small eps (continuity at 0)
    U0 = D.unitary_formula(d, 0.0)
    assert np.max(np.abs(U0 - np.eye(d))) < 1e-14
    eps = 1e-9
    np.testing.assert_allclose(
        D.unitary_formula(d, eps), sla.expm(eps * D.generator(d)), atol=1e-14
    )


def test_paper_checks_small_grid():
    eps = np.array([1e-3, 1e-2, 0.1, 1.0])
    ds = D.family_scan(2, eps).expand_dims(d=[2])
    v = {**checks.family_checks(ds, 1.0), **checks.noise_checks(ds), **checks.p0_checks([2, 3])}
    v |= checks.construction_checks([2, 3])
    assert v["violation_positive_all"][1] and v["overlap_positive_all"][1]
    assert v["noise_tolerance_to_zero"][1] and v["p0_local"][1] and v["U0_identity"][1]
    assert not v["eq16_X_equals_sum"][1]  # the Eq. (16) typo (d = 3)
    assert v["eq16_Xdagger_diff"][1] < 1e-12 and v["p0_lp_distance"][1] < 1e-12
    assert v["violation_routes_diff"][1] < 1e-13 and v["overlap_routes_diff"][1] < 1e-10


def test_family_di_rate_scs_route_matches_clarabel_d2():
    # the SCS route used for d >= 3, checked where Clarabel also solves (d = 2, one node)
    a = D.family_di_rate(2, 0.5, 2)
    b = D.family_di_rate(2, 0.5, 2, solver_opts=dict(D.rates.SCS_BFF))
    ceiling = D.quadrature_ceiling(2, 2)
    assert b.entropy.nodes[0].opt.solver == "SCS"
    assert b.H_AE <= ceiling + 1e-9 and a.H_AE <= ceiling + 1e-9  # certified lower bounds
    assert abs(a.H_AE - b.H_AE) < 1e-3


def test_family_di_rate_d3_uses_scs_on_the_233_matrix(monkeypatch):
    # the d = 3 relaxation: 233 x 233 moment matrix (solved in bench_diqkd.py, minutes)
    ms = En.moment_structure((3, 3, 2, 9), extra="", level="local")
    assert (ms.size, len(ms.keys)) == (233, 14427)
    seen = {}

    def fake(m, **kw):
        seen.update(kw)
        raise RuntimeError("stop")

    monkeypatch.setattr(En, "bff_entropy", fake)
    with pytest.raises(RuntimeError, match="stop"):
        D.family_di_rate(3, 0.5, 2)
    assert seen["solver_opts"]["solver"] == "SCS" and seen["p"].shape == (3, 3, 2, 9)
