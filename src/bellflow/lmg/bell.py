"""The two-body permutationally invariant Bell inequality of paper 003 (Eqs. 1 and 3), and the
entanglement witnesses it is compared with: two-body concurrence Eq. (12), spin squeezing
Eq. (13), and the two-body CHSH value (Horodecki criterion) of rho_2.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.optimize import minimize

from bellflow.dicke import check_n, density_matrix, spin_operators, two_body_reduced_state
from bellflow.states import PAULI, concurrence, horodecki_chsh

__all__ = [
    "bell_operator_two_body",
    "bell_operator_dicke",
    "bell_operator_full",
    "bell_value",
    "BellMinimum",
    "bell_minimum",
    "two_body_concurrence",
    "two_body_chsh",
    "spin_squeezing",
    "observables",
]

_SX = PAULI[0].real
_SZ = PAULI[2].real


def _measurement(angle: float) -> NDArray[np.float64]:
    return np.cos(angle) * _SZ + np.sin(angle) * _SX


def bell_operator_two_body(n: int, phi: float, theta: float) -> NDArray[np.float64]:
    """Two-qubit Bell operator of paper 003, Eq. (3) (Tura et al. 2014, Science 344, 1256):

        B_2 = 2N 1 + (N/2) [-2 (M0 x 1 + 1 x M0)]
              + (N(N-1)/2) [M0 x M0 + M1 x M1 - (M0 x M1 + M1 x M0)],

    with ``M0 = cos(phi) sigma_z + sin(phi) sigma_x`` and ``M1`` the same with ``theta``.
    ``Tr[B_2 rho_2] < 0`` certifies non-locality (local bound 0).
    """
    n = check_n(n)
    m0, m1, one = _measurement(phi), _measurement(theta), np.eye(2)
    return (
        2 * n * np.eye(4)
        + (n / 2) * (-2.0) * (np.kron(m0, one) + np.kron(one, m0))
        + (n * (n - 1) / 2)
        * (np.kron(m0, m0) + np.kron(m1, m1) - np.kron(m0, m1) - np.kron(m1, m0))
    )


def bell_operator_dicke(n: int, phi: float, theta: float) -> NDArray[np.complex128]:
    """The N-party Bell operator Eq. (1) restricted to the Dicke basis, from collective spins.

    ``B = 2N - 2 C_0 + C_00/2 - C_01 + C_11/2`` with ``C_r = 2 S_r``
    (``S_r = cos(r) S_z + sin(r) S_x``) and ``C_rs = sum_{i != j} M_r^i M_s^j
    = 4 S_r S_s - N cos(r - s) - 2i sin(s - r) S_y``, using
    ``M_r M_s = cos(r - s) 1 + i sin(s - r) sigma_y`` on one site.
    """
    n = check_n(n)
    ops = spin_operators(n)
    one = np.eye(n + 1)

    def s(a: float) -> NDArray:
        return np.cos(a) * ops.sz + np.sin(a) * ops.sx

    def c2(a: float, b: float) -> NDArray:
        return 4 * s(a) @ s(b) - n * np.cos(a - b) * one - 2j * np.sin(b - a) * ops.sy

    return 2 * n * one - 4 * s(phi) + 0.5 * c2(phi, phi) - c2(phi, theta) + 0.5 * c2(theta, theta)


def bell_operator_full(n: int, phi: float, theta: float) -> NDArray[np.float64]:
    """Eq. (1) on the full 2^n space, as explicit sums over sites i and pairs i != j (n <= 8).

    Test route for :func:`bell_value`; ``M_r^(i)`` as in Eq. (3) on site i.
    """
    n = check_n(n)
    if n > 8:
        raise ValueError(f"n must be <= 8 for the full-space Bell operator, got {n}")
    dim = 2**n

    def site(op: NDArray, i: int) -> NDArray:
        return np.kron(np.kron(np.eye(2**i), op), np.eye(2 ** (n - i - 1)))

    m = [[site(_measurement(a), i) for i in range(n)] for a in (phi, theta)]
    c0 = sum(m[0])
    c = np.zeros((2, 2, dim, dim))
    for r in range(2):
        for s in range(2):
            for i in range(n):
                for k in range(n):
                    if i != k:
                        c[r, s] += m[r][i] @ m[s][k]
    return 2 * n * np.eye(dim) - 2 * c0 + 0.5 * c[0, 0] - c[0, 1] + 0.5 * c[1, 1]


def _correlator_ops() -> NDArray[np.float64]:
    one = np.eye(2)
    return np.stack(
        [
            0.5 * (np.kron(_SZ, one) + np.kron(one, _SZ)),
            0.5 * (np.kron(_SX, one) + np.kron(one, _SX)),
            np.kron(_SZ, _SZ),
            np.kron(_SX, _SX),
            0.5 * (np.kron(_SZ, _SX) + np.kron(_SX, _SZ)),
        ]
    )


_CORR_OPS = _correlator_ops()


def _correlators(rho2: NDArray) -> tuple[float, float, float, float, float]:
    """Site-averaged one-body (z, x) and symmetrised two-body (zz, xx, zx) correlators
    ``Tr[rho_2 O]`` (the operators are real symmetric, so ``Tr[rho O] = sum rho * O``)."""
    z, x, zz, xx, zx = np.einsum("ij,kij->k", rho2, _CORR_OPS).real
    return float(z), float(x), float(zz), float(xx), float(zx)


def _bell_from_corr(corr, n, phi, theta):
    z, x, zz, xx, zx = corr
    cp, spp, ct, st = np.cos(phi), np.sin(phi), np.cos(theta), np.sin(theta)

    def q(ca, sa, cb, sb):
        return ca * cb * zz + sa * sb * xx + (ca * sb + sa * cb) * zx

    two = q(cp, spp, cp, spp) + q(ct, st, ct, st) - 2 * q(cp, spp, ct, st)
    return 2 * n - 2 * n * (cp * z + spp * x) + 0.5 * n * (n - 1) * two


def _bell_grad(corr, n, phi, theta):
    z, x, zz, xx, zx = corr
    cp, spp, ct, st = np.cos(phi), np.sin(phi), np.cos(theta), np.sin(theta)

    def dq(ca, sa, cb, sb):  # derivative of Q(a, b) with respect to a
        return -sa * cb * zz + ca * sb * xx + (ca * cb - sa * sb) * zx

    k = 0.5 * n * (n - 1)
    g_phi = -2 * n * (-spp * z + cp * x) + k * (2 * dq(cp, spp, cp, spp) - 2 * dq(cp, spp, ct, st))
    g_theta = k * (2 * dq(ct, st, ct, st) - 2 * dq(ct, st, cp, spp))
    return np.array([g_phi, g_theta])


def _check_rho2(rho2: ArrayLike) -> NDArray:
    rho2 = np.asarray(rho2)
    if rho2.shape != (4, 4):
        raise ValueError(f"rho2 must be 4x4, got shape {rho2.shape}")
    if not np.all(np.isfinite(rho2)):
        raise ValueError("rho2 must be finite")
    return rho2


def bell_value(rho2: ArrayLike, n: int, phi: ArrayLike, theta: ArrayLike) -> NDArray[np.float64]:
    """``Tr[B_2(phi, theta) rho_2]`` of Eq. (3) (vectorised over arrays of angles).

    Parameters
    ----------
    rho2:
        Two-qubit reduced state (4x4, order ``|00>, |01>, |10>, |11>``), e.g. from
        :func:`bellflow.dicke.two_body_reduced_state`.
    n:
        Number of parties N of the many-body state rho_2 came from.
    phi, theta:
        Measurement angles in the x-z plane (arrays broadcast together).

    Examples
    --------
    >>> from bellflow.dicke import two_body_reduced_state, dicke_state
    >>> float(bell_value(two_body_reduced_state(dicke_state(4, 0)), 4, 0.0, 0.0))
    0.0
    """
    n = check_n(n)
    rho2 = _check_rho2(rho2)
    return _bell_from_corr(_correlators(rho2), n, np.asarray(phi), np.asarray(theta))


@dataclass(frozen=True)
class BellMinimum:
    """Minimum of Eq. (3) over the angles: ``value`` at ``(phi, theta)`` (radians)."""

    value: float
    phi: float
    theta: float


def _coeffs(corr: tuple[float, ...], n: int) -> tuple[float, float, float, float, float]:
    """Eq. (3) as ``2N + c . B(phi, theta)`` with ``B = (c_p, s_p, (c_p - c_t)^2,
    (s_p - s_t)^2, (c_p - c_t)(s_p - s_t))`` (``c_p = cos phi`` etc.): the coefficients c."""
    z, x, zz, xx, zx = corr
    k = 0.5 * n * (n - 1)
    return -2.0 * n * z, -2.0 * n * x, k * zz, k * xx, 2.0 * k * zx


@lru_cache(maxsize=4)
def _grid_basis(grid: int) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray]:
    """The periodic angle grid and the five functions B(phi, theta) of :func:`_coeffs` on it."""
    a = np.linspace(0, 2 * np.pi, grid, endpoint=False)
    pp, tt = np.meshgrid(a, a, indexing="ij")
    dc, ds = np.cos(pp) - np.cos(tt), np.sin(pp) - np.sin(tt)
    basis = np.stack([np.cos(pp), np.sin(pp), dc * dc, ds * ds, dc * ds])
    basis.setflags(write=False)
    return pp, tt, basis


def _newton_start(
    c: tuple[float, ...], n: int, phi: float, theta: float, gtol: float, iters: int = 60
) -> tuple[float, float, float] | None:
    """Damped Newton minimisation of ``2N + c . B`` (:func:`_coeffs`) from one start with the
    analytic gradient and Hessian; ``(value, phi, theta)`` once the gradient norm is below
    ``gtol`` at a positive-definite Hessian, ``None`` if that does not happen."""
    c1, c2, c3, c4, c5 = c

    def f(p_: float, t_: float) -> float:
        dc, ds = math.cos(p_) - math.cos(t_), math.sin(p_) - math.sin(t_)
        return (
            2 * n
            + c1 * math.cos(p_)
            + c2 * math.sin(p_)
            + c3 * dc * dc
            + c4 * ds * ds
            + c5 * dc * ds
        )

    val = f(phi, theta)
    for _ in range(iters):
        cp, sp_, ct, st = math.cos(phi), math.sin(phi), math.cos(theta), math.sin(theta)
        dc, ds = cp - ct, sp_ - st
        gp = -c1 * sp_ + c2 * cp - 2 * c3 * dc * sp_ + 2 * c4 * ds * cp + c5 * (dc * cp - ds * sp_)
        gt = 2 * c3 * dc * st - 2 * c4 * ds * ct + c5 * (ds * st - dc * ct)
        hpp = (
            -c1 * cp
            - c2 * sp_
            + 2 * c3 * (sp_ * sp_ - dc * cp)
            + 2 * c4 * (cp * cp - ds * sp_)
            - c5 * (cp * ds + 2 * sp_ * cp + dc * sp_)
        )
        htt = (
            2 * c3 * (st * st + dc * ct)
            + 2 * c4 * (ct * ct + ds * st)
            + c5 * (ct * ds - 2 * st * ct + dc * st)
        )
        hpt = -2 * c3 * sp_ * st - 2 * c4 * cp * ct + c5 * (sp_ * ct + cp * st)
        det = hpp * htt - hpt * hpt
        if not (hpp > 0 and det > 0):
            return None
        if math.hypot(gp, gt) < gtol:
            return val, phi % (2 * math.pi), theta % (2 * math.pi)
        dp, dt = -(htt * gp - hpt * gt) / det, -(hpp * gt - hpt * gp) / det
        alpha, slope = 1.0, gp * dp + gt * dt
        for _ in range(40):  # backtracking (Armijo)
            trial = f(phi + alpha * dp, theta + alpha * dt)
            if trial <= val + 1e-4 * alpha * slope + 1e-15 * n * n:
                break
            alpha *= 0.5
        phi, theta, val = phi + alpha * dp, theta + alpha * dt, trial
    return None


def bell_minimum(
    rho2: ArrayLike, n: int, *, grid: int = 48, starts: int = 4, method: str = "newton"
) -> BellMinimum:
    """``min_{phi, theta} Tr[B_2(phi, theta) rho_2]`` of paper 003, Eq. (3).

    Tr[B_2 rho_2] is a trigonometric polynomial of degree 2 in (phi, theta). It is evaluated
    on a ``grid`` x ``grid`` periodic grid; the lowest ``starts`` of its local minima (grid
    points not above any of their 8 periodic neighbours; typically one or a symmetric pair) are
    refined and the lowest result is returned. ``method="newton"``: damped Newton steps with
    the analytic Hessian (:func:`_bell_newton`), all starts at once; a start that does not
    converge is refined by BFGS instead. ``method="bfgs"``: scipy's BFGS with the analytic
    gradient from every start (the previous route, kept for tests and benchmarks). (Tests
    check that a much denser grid never finds a lower value.)
    """
    n = check_n(n)
    if grid < 8:
        raise ValueError(f"grid must be >= 8, got {grid}")
    if starts < 1:
        raise ValueError(f"starts must be >= 1, got {starts}")
    if method not in ("newton", "bfgs"):
        raise ValueError(f"method must be 'newton' or 'bfgs', got {method!r}")
    corr = _correlators(_check_rho2(rho2))
    coef = _coeffs(corr, n)
    pp, tt, basis = _grid_basis(grid)
    vals = 2 * n + np.tensordot(coef, basis, axes=1)
    local = np.ones(vals.shape, dtype=bool)
    for shift in ((1, 0), (-1, 0), (0, 1), (0, -1), (1, 1), (1, -1), (-1, 1), (-1, -1)):
        local &= vals <= np.roll(vals, shift, axis=(0, 1))
    candidates = np.where(local, vals, np.inf)
    order = np.argsort(candidates, axis=None)[: max(1, min(starts, int(local.sum())))]
    best = BellMinimum(
        float(vals.flat[order[0]]), float(pp.flat[order[0]]), float(tt.flat[order[0]])
    )
    x0 = np.stack([pp.flat[order], tt.flat[order]], 1)
    bfgs = np.ones(len(order), dtype=bool)
    if method == "newton":
        for i, (p0, t0) in enumerate(x0):
            res_n = _newton_start(coef, n, float(p0), float(t0), 1e-10 * n * n)
            if res_n is not None:
                bfgs[i] = False
                if res_n[0] < best.value:
                    best = BellMinimum(*res_n)
    for start in x0[bfgs]:
        res = minimize(
            lambda v: _bell_from_corr(corr, n, v[0], v[1]),
            start,
            jac=lambda v: _bell_grad(corr, n, v[0], v[1]),
            method="BFGS",
            options={"gtol": 1e-10 * n * n},
        )
        if res.fun < best.value:
            phi, theta = np.mod(res.x, 2 * np.pi)
            best = BellMinimum(float(res.fun), float(phi), float(theta))
    return best


def two_body_concurrence(state: ArrayLike) -> float:
    """Concurrence C(rho_2) (paper 003, Eq. 12) of the two-body reduced state of a Dicke-basis
    state, via :func:`bellflow.states.concurrence` (Wootters).

    Paper typo: Eq. (12) takes the lambda_i as the eigenvalues of rho_2; Wootters' formula uses
    the square roots of the eigenvalues of ``rho_2 (sy x sy) rho_2^* (sy x sy)``.
    """
    return float(concurrence(two_body_reduced_state(np.asarray(state))))


def two_body_chsh(state: ArrayLike) -> float:
    """Maximal CHSH value ``2 sqrt(M(rho_2))`` of the two-body reduced state (Horodecki
    criterion, :func:`bellflow.states.horodecki_chsh`) of a Dicke-basis state.

    rho_2 violates some two-qubit CHSH inequality iff the value exceeds 2. By the monogamy of
    CHSH violations (Toner and Verstraete 2006) no permutationally invariant state of N >= 3
    qubits has a CHSH-violating rho_2.

    >>> from bellflow.dicke import dicke_state
    >>> round(two_body_chsh(dicke_state(2, 1)), 6)  # (|01> + |10>)/sqrt 2: 2 sqrt 2
    2.828427
    """
    return float(horodecki_chsh(two_body_reduced_state(np.asarray(state))))


def spin_squeezing(state: ArrayLike) -> float:
    """Spin-squeezing parameter, paper 003 Eq. (13):
    ``xi^2 = N (Delta S_z)^2 / (<S_x>^2 + <S_y>^2)`` for a Dicke-basis state.

    ``xi^2 < 1`` certifies entanglement. Returns ``inf`` when the transverse spin vanishes.
    """
    rho = density_matrix(np.asarray(state))
    n = rho.shape[0] - 1
    check_n(n, name="N (state dimension - 1)")
    ops = spin_operators(n)

    def ev(op: NDArray) -> float:
        return float(np.trace(rho @ op).real)

    var = ev(ops.sz @ ops.sz) - ev(ops.sz) ** 2
    transverse = ev(ops.sx) ** 2 + ev(ops.sy) ** 2
    if transverse <= 1e-300:
        return float("inf")
    return n * var / transverse


def observables(state: ArrayLike, *, grid: int = 48) -> dict[str, float]:
    """Bell minimum (Eq. 3), two-body concurrence (Eq. 12), xi^2 (Eq. 13) and the two-body
    CHSH value (Horodecki) of a Dicke-basis state."""
    rho = density_matrix(np.asarray(state))
    n = rho.shape[0] - 1
    rho2 = two_body_reduced_state(rho)
    bm = bell_minimum(rho2, n, grid=grid)
    return {
        "bell": bm.value,
        "phi": bm.phi,
        "theta": bm.theta,
        "concurrence": float(concurrence(rho2)),
        "xi2": spin_squeezing(rho),
        "chsh_two_body": float(horodecki_chsh(rho2)),
    }
