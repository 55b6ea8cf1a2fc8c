"""The paper's explicit process, instruments and dual certificates (Appendices B and C)."""

from __future__ import annotations

import itertools
from functools import reduce

import numpy as np

from bellflow.causal.games import biased_lgyni_coefficients, causal_bound
from bellflow.causal.sdp import ico_bound_single_trigger
from bellflow.optim import OptResult

_I2 = np.eye(2)


_X = np.array([[0.0, 1.0], [1.0, 0.0]])


_Z = np.diag([1.0, -1.0])


def _kron(*ms: np.ndarray) -> np.ndarray:
    return reduce(np.kron, ms)


def ocb_process_matrix(alpha: float = 1.0) -> np.ndarray:
    """``S_OCB,alpha`` of Eq. (41) on ``(A_I, A_O, B_I, B_O)`` (four qubits).

    ``I/4 + alpha/(4 sqrt(1+alpha^2)) I Z Z I + 1/(4 sqrt(1+alpha^2)) Z I X Z``; ``alpha = 1``
    is the OCB process (Oreshkov, Costa, Brukner 2012).
    """
    alpha = float(alpha)
    r = np.sqrt(1 + alpha**2)
    return (
        _kron(_I2, _I2, _I2, _I2) / 4
        + alpha / (4 * r) * _kron(_I2, _Z, _Z, _I2)
        + 1 / (4 * r) * _kron(_Z, _I2, _X, _Z)
    )


def ocb_instruments(rho: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Alice's and Bob's instruments of Appendix B (Eqs. 42-44), as Choi operators.

    Alice: ``M_{a1|x1} = |a1><a1| (x) |x1><x1|`` (measure, reprepare ``x1``). Bob with
    ``x2 = 2 b + c``: ``N_{a2|b,0} = |X_a2><X_a2| (x) |a2+b><a2+b|`` (Fourier basis, reprepare
    ``a2 xor b``), ``N_{a2|b,1} = |a2><a2| (x) rho`` (``rho`` arbitrary, default ``|0><0|``).
    Returns ``(M[a1, x1], N[a2, x2])`` of shapes ``(2, 2, 4, 4)`` and ``(2, 4, 4, 4)``.
    """
    rho = np.diag([1.0, 0.0]) if rho is None else np.asarray(rho)
    ket = np.eye(2)
    xk = np.array([[1.0, 1.0], [1.0, -1.0]]) / np.sqrt(2)  # columns |X_0>, |X_1>
    ma = np.zeros((2, 2, 4, 4))
    for a1, x1 in itertools.product(range(2), repeat=2):
        ma[a1, x1] = np.kron(np.outer(ket[a1], ket[a1]), np.outer(ket[x1], ket[x1]))
    nb = np.zeros((2, 4, 4, 4), dtype=np.result_type(rho, float))
    for a2, b in itertools.product(range(2), repeat=2):
        out = ket[a2 ^ b]
        nb[a2, 2 * b] = np.kron(np.outer(xk[:, a2], xk[:, a2]), np.outer(out, out))
        nb[a2, 2 * b + 1] = np.kron(np.outer(ket[a2], ket[a2]), rho)
    return ma, nb


def biased_ocb_dual_certificate(
    alpha: float, x_star: int = 0, b_star: int = 0
) -> tuple[np.ndarray, np.ndarray, float]:
    """Dual feasible point of Lemma 1 (Appendix B, Eqs. 32-34 and 40).

    ``C = Omega + sum_{k,l} |Psi_kl><Psi_kl|`` with ``|Psi_kl> = sum_ij c_ijkl |i,i>|k>|j,j>
    |l,0>`` on the 7 qubits ``(1; 2,3) (x) (4; 5,6,7)`` and
    ``c_ijkl = (1+alpha^2)^{1/4}/4 (1 - (-1)^{i+l}/sqrt(1+alpha^2)
    - (-1)^{j+k} alpha / sqrt(1+alpha^2))`` (Eq. 40).

    Returns
    -------
    (C, Omega, eta)
        ``Omega`` is Eq. (33) as printed; ``eta = Tr(C) / 4``.

    Paper typo: Eq. (33) is not the single-trigger operator of Eq. (31): at ``x1 = x*`` Alice's
    factor in the ``alpha/2`` terms must be ``sum_a |aa><aa|`` (she measures), not
    ``|I>><<I|``. ``C`` is in the no-signalling span and dominates the printed ``Omega``, but
    ``C - Omega_correct`` has the eigenvalue ``-alpha/2``, so ``C`` does not certify Lemma 1 as
    printed. The value ``eta`` is still the ICO bound (see :func:`ico_bound_single_trigger`
    with ``return_certificate=True`` for a valid certificate).
    """
    alpha = float(alpha)
    ket = np.eye(2)
    ii = np.eye(2).reshape(-1)  # |I>>
    r = np.sqrt(1 + alpha**2)

    def proj(*vs: np.ndarray) -> np.ndarray:
        v = reduce(np.kron, vs)
        return np.outer(v, v)

    k2 = [np.kron(ket[i], ket[i]) for i in range(2)]  # |ii>
    xs, bs = ket[x_star], ket[b_star]
    omega = (
        0.5 * proj(k2[0], xs, ii, ket[0], ket[0])
        + 0.5 * proj(k2[1], xs, ii, ket[1], ket[0])
        + alpha / 2 * proj(ii, ket[0], k2[0], bs, ket[1])
        + alpha / 2 * proj(ii, ket[1], k2[1], bs, ket[1])
    )
    c = omega.copy()
    for k, l in itertools.product(range(2), repeat=2):
        psi = np.zeros(2**7)
        for i, j in itertools.product(range(2), repeat=2):
            cijkl = r**0.5 / 4 * (1 - (-1) ** (i + l) / r - (-1) ** (j + k) * alpha / r)
            psi += cijkl * reduce(np.kron, [k2[i], ket[k], k2[j], ket[l], ket[0]])
        c += np.outer(psi, psi)
    return c, omega, float(np.trace(c) / 4)


def _lgyni_cert_coefficients(alpha: float, c0: float) -> tuple[float, float, float]:
    """``c1, c2, c3`` from ``c0`` by Eqs. (65)-(67)."""
    # max(., 0): at the end point c0 = sqrt((1 - 3 alpha)/2) rounding can go below zero
    return (
        float(np.sqrt(max(c0**2 + alpha, 0.0))),
        float(np.sqrt(max(1 - 2 * alpha - 2 * c0**2, 0.0))),
        float(np.sqrt(max((1 - 3 * alpha) / 2 - c0**2, 0.0))),
    )


def _lgyni_cert_f(alpha: float, c0: float) -> float:
    """``f(c0) = c0 c1 + c2 c3 - (1 - alpha)/2`` (Eq. 64 residual, Appendix C)."""
    c1, c2, c3 = _lgyni_cert_coefficients(alpha, c0)
    return c0 * c1 + c2 * c3 - (1 - alpha) / 2


def biased_lgyni_certificate_threshold() -> float:
    """Largest ``alpha`` with ``f(0) >= 0`` (Eq. 69): where the Appendix C certificate exists.

    Root of ``f(0; alpha) = sqrt((1-2 alpha)(1-3 alpha)/2) - (1-alpha)/2`` on ``[0, 1/3]``,
    found by bisection (the paper's closed form is ``(4 - sqrt 5)/11``).
    """
    from scipy.optimize import brentq

    return float(brentq(lambda a: _lgyni_cert_f(a, 0.0), 0.0, 0.3, xtol=1e-15))


def biased_lgyni_dual_certificate(alpha: float) -> tuple[np.ndarray, np.ndarray, float]:
    """Dual feasible point of Appendix C (Eqs. 55-67) proving ``I^ICO = 1 - alpha``.

    ``C = Omega + |Psi01><Psi01| + |Psi10><Psi10| + |Psi00><Psi00|`` on the six qubits
    ``(1; 2,3) (x) (4; 5,6)``, with ``c1, c2, c3`` from Eqs. (65)-(67) and ``c0`` in
    ``[0, sqrt((1-3 alpha)/2)]`` the root of ``f`` (Eq. 64), found by bisection. Exists for
    ``0 <= alpha <= (4 - sqrt 5)/11`` (Eqs. 69-70).

    Returns
    -------
    (C, Omega, eta) with ``eta = Tr(C) / 4`` (Eq. 68).
    """
    from scipy.optimize import brentq

    alpha = float(alpha)
    thr = biased_lgyni_certificate_threshold()
    if not 0.0 <= alpha <= thr:
        raise ValueError(f"alpha must lie in [0, {thr:.6f}] ((4 - sqrt 5)/11), got {alpha}")
    hi = np.sqrt((1 - 3 * alpha) / 2)
    f0, fhi = _lgyni_cert_f(alpha, 0.0), _lgyni_cert_f(alpha, hi)
    if abs(f0) <= 1e-14:
        c0 = 0.0
    elif abs(fhi) <= 1e-14:  # alpha = 0: the root is the end point (Eq. 70 with equality)
        c0 = hi
    else:
        c0 = brentq(lambda c: _lgyni_cert_f(alpha, c), 0.0, hi, xtol=1e-15)
    c1, c2, c3 = _lgyni_cert_coefficients(alpha, c0)
    ket = np.eye(2)
    ii = np.eye(2).reshape(-1)
    k2 = [np.kron(ket[i], ket[i]) for i in range(2)]

    def vec(*vs: np.ndarray) -> np.ndarray:
        return reduce(np.kron, vs)

    def proj(v: np.ndarray) -> np.ndarray:
        return np.outer(v, v)

    omega = (
        alpha * proj(vec(k2[1], ket[1], k2[1], ket[1]))
        + (1 - alpha) / 2 * proj(vec(k2[0], ket[1], ii, ket[0]))
        + (1 - alpha) / 2 * proj(vec(ii, ket[0], k2[0], ket[1]))
    )
    psi01 = c0 * vec(k2[1], ket[0], k2[1], ket[1]) + c1 * vec(k2[0], ket[0], k2[1], ket[1])
    psi10 = c0 * vec(k2[1], ket[1], k2[1], ket[0]) + c1 * vec(k2[1], ket[1], k2[0], ket[0])
    psi00 = (
        c2 * vec(k2[1], ket[0], k2[1], ket[0])
        + c3 * vec(k2[0], ket[0], k2[1], ket[0])
        + c3 * vec(k2[1], ket[0], k2[0], ket[0])
    )
    c = omega + proj(psi01) + proj(psi10) + proj(psi00)
    return c, omega, float(np.trace(c) / 4)


def biased_lgyni_no_violation_threshold(
    *,
    lo: float = 0.1,
    hi: float = 1.0 / 3.0,
    tol: float = 1e-5,
    gap_tol: float = 1e-7,
    solves: list[OptResult] | None = None,
) -> tuple[float, float, bool, list[tuple[float, float, float]]]:
    """Onset of ICO violations of biased LGYNI (Appendix C, "alpha <= 0.188"), certified.

    Bisection on ``alpha`` in ``[lo, hi]``. A point counts as "no violation" when the
    *certified* ICO bound (explicit dual operator, :mod:`bellflow.causal.certify`) exceeds the
    causal bound ``max{1 - alpha, (1 + alpha)/2}`` (Eq. 49) by at most ``gap_tol``; otherwise
    it counts as "violation" (proven when the repaired optimal process exceeds the causal bound
    by more than ``gap_tol``). Requires "no violation" at ``lo`` and a proven violation at
    ``hi``. The excess grows quadratically past the threshold (about ``7 (alpha -
    alpha_c)^2``), so ``gap_tol`` shifts the onset up by at most ``sqrt(gap_tol / 7)`` (1.2e-4
    by default).

    Returns
    -------
    (low, high, high_proven, evaluations)
        ``low``: largest point with certified excess <= ``gap_tol`` (the reported threshold:
        it errs low, towards the proven region); ``high``: smallest point counted as a
        violation (``high - low <= tol``); ``high_proven``: whether the violation at ``high``
        is proven by a feasible process; ``evaluations``: ``(alpha, certified excess,
        achieved excess)`` per evaluated point. The SDP results are appended to ``solves``.
    """
    evals: list[tuple[float, float, float]] = []

    def excess(a: float) -> tuple[float, float]:
        g = biased_lgyni_coefficients(a)
        r = ico_bound_single_trigger(g, (1, 1))
        if solves is not None:
            solves.append(r)
        cb = causal_bound(g)
        evals.append((a, r.certified - cb, r.achieved - cb))
        return r.certified - cb, r.achieved - cb

    if excess(lo)[0] > gap_tol:
        raise ValueError(f"lo={lo}: no-violation not certified (certified excess > gap_tol)")
    if excess(hi)[1] <= gap_tol:
        raise ValueError(f"hi={hi}: no violation proven")
    proven = True
    while hi - lo > tol:
        mid = (lo + hi) / 2
        cert, ach = excess(mid)
        if cert <= gap_tol:
            lo = mid
        else:
            hi, proven = mid, ach > gap_tol
    return lo, hi, proven, evals
