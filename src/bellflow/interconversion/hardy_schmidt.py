"""Maximal Hardy success on two-qubit pure states against the Schmidt coefficient (remark
after Proposition 1 of paper 000): closed form and a direct numerical maximisation."""

from __future__ import annotations

import logging
import math
from collections.abc import Callable
from typing import Any

import numpy as np
import xarray as xr
from numpy.typing import ArrayLike, NDArray

from bellflow.interconversion.realisations import (
    hardy_box,
    hardy_realisation,
    schmidt_coefficients,
    schmidt_state,
)
from bellflow.logs import progress

log = logging.getLogger(__name__)

__all__ = [
    "hardy_success_schmidt",
    "hardy_success_schmidt_numeric",
    "hardy_schmidt_chunk",
    "hardy_schmidt_curve",
]


def hardy_success_schmidt(s: ArrayLike) -> NDArray[np.float64] | float:
    """Maximal Hardy success on two-qubit pure states of squared Schmidt coefficients
    ``(s, 1 - s)``, over projective measurements (Proposition 1 and the remark after it):

    ``q_max(s) = k^2 (1 - 2k) / (1 - k)^2``  with  ``k = sqrt(s (1 - s))``.

    Derivation. Nontrivial dichotomic projective qubit measurements are rank one; write
    ``|a_x>``, ``|b_y>`` for the outcome-0 vectors (a trivial measurement gives success 0
    under the zeros). Expand ``|psi>`` in the product basis ``e_0 = a_1^perp``, ``e_1 = a_1``,
    ``f_0 = b_1^perp``, ``f_1 = b_1``: the zero ``p(11|11) = |<e_0 f_0|psi>|^2 = 0`` removes
    the ``e_0 f_0`` component, so ``|psi> = alpha|e_0 f_1> + beta|e_1 f_0> + gamma|e_1 f_1>``,
    and the phases of the four basis vectors make ``alpha, beta, gamma >= 0``. The zero
    ``p(00|01) = |<a_0 f_1|psi>|^2 = 0`` says ``<a_0|(alpha e_0 + gamma e_1) = 0``, so
    ``a_0 = (gamma e_0 - alpha e_1)/sqrt(alpha^2 + gamma^2)``; likewise ``p(00|10) = 0`` gives
    ``b_0 = (gamma f_0 - beta f_1)/sqrt(beta^2 + gamma^2)``. Then
    ``<a_0 b_0|psi> = (-alpha beta gamma - alpha beta gamma + alpha beta gamma)/N``, i.e.

        ``q = alpha^2 beta^2 gamma^2 / ((alpha^2 + gamma^2)(beta^2 + gamma^2))``.

    The coefficient matrix ``[[0, alpha], [beta, gamma]]`` has ``|det| = alpha beta``, and
    ``|det|`` of the coefficient matrix is invariant under local unitaries: it equals the
    product of the Schmidt coefficients, ``alpha beta = k``. With
    ``alpha^2 + beta^2 + gamma^2 = 1`` the denominator is
    ``alpha^2 beta^2 + gamma^2 (alpha^2 + beta^2 + gamma^2) = k^2 + gamma^2``, so
    ``q = k^2 gamma^2 / (k^2 + gamma^2)`` grows with ``gamma^2``. Real ``alpha, beta`` with
    ``alpha beta = k`` and ``alpha^2 + beta^2 = 1 - gamma^2`` exist iff
    ``1 - gamma^2 >= 2k``; at ``gamma^2 = 1 - 2k`` (``alpha = beta = sqrt k``)
    ``q = k^2 (1 - 2k)/(k^2 + 1 - 2k)``, the formula above. For ``alpha = beta = a`` this is
    :func:`~bellflow.interconversion.realisations.hardy_success_of_parameter` with
    ``a^2 = k``. It vanishes at ``s = 1/2`` (``|phi^+>``, ``k = 1/2``: Proposition 1 for
    n = 1) and at product states (``k = 0``), and is largest at ``k = (3 - sqrt 5)/2``, where
    it equals ``(5 sqrt 5 - 11)/2``.

    Examples
    --------
    >>> hardy_success_schmidt(0.5)
    0.0
    """
    arr = np.asarray(s, dtype=float)
    if not np.all(np.isfinite(arr)) or np.any(arr < 0) or np.any(arr > 1):
        raise ValueError(f"s must lie in [0, 1], got {s!r}")
    k = np.sqrt(arr * (1 - arr))
    out = k * k * (1 - 2 * k) / (1 - k) ** 2
    return float(out) if out.ndim == 0 else out


def _qubit(theta: float, phi: float) -> NDArray[np.complex128]:
    return np.array([math.cos(theta / 2), np.exp(1j * phi) * math.sin(theta / 2)])


def _perp(v: NDArray[np.complex128]) -> NDArray[np.complex128]:
    return np.array([-np.conj(v[1]), np.conj(v[0])])


def _hardy_amplitudes(
    psi: NDArray[np.complex128],
) -> tuple[Callable[[NDArray[Any]], float], Callable[[NDArray[Any]], NDArray[np.float64]]]:
    """Objective (minus the success amplitude) and zero conditions of Bloch angles ``t``."""

    def vecs(t: NDArray[Any]) -> list[NDArray[np.complex128]]:
        return [_qubit(t[2 * i], t[2 * i + 1]) for i in range(4)]

    def amp(u: NDArray[Any], v: NDArray[Any]) -> complex:
        return complex(np.vdot(np.kron(u, v), psi))

    def zeros(t: NDArray[Any]) -> NDArray[np.float64]:
        a0, a1, b0, b1 = vecs(t)
        z = [amp(a0, b1), amp(a1, b0), amp(_perp(a1), _perp(b1))]
        return np.array([f(v) for v in z for f in (np.real, np.imag)])

    def neg_success(t: NDArray[Any]) -> float:
        a0, _, b0, _ = vecs(t)
        return -abs(amp(a0, b0))  # the amplitude: better scaled than its square near s = 1/2

    return neg_success, zeros


def hardy_success_schmidt_numeric(s: float, *, starts: int = 24, seed: int = 0) -> dict[str, float]:
    """Maximal Hardy success on ``sqrt(s)|00> + sqrt(1-s)|11>`` by direct optimisation over
    rank-one projective qubit measurements (an independent route to
    :func:`hardy_success_schmidt`).

    Outcome-0 projectors ``|a_x><a_x|``, ``|b_y><b_y|`` with Bloch angles (8 real parameters);
    maximise ``|<a_0 b_0|psi>|`` (the square root of the success, better scaled near
    ``s = 1/2`` where the success is tiny) subject to the amplitudes ``<a_0 b_1|psi>``,
    ``<a_1 b_0|psi>`` and ``<a_1^perp b_1^perp|psi>`` being zero (six real equalities), by
    SLSQP from ``starts`` random starting points (seeded). Returns the best success and the
    largest violation of the zero conditions at that point. (Rank-0 or rank-2 projectors give
    success 0 or cannot satisfy the zeros with positive success, so rank one is no loss.)
    """
    from scipy.optimize import minimize

    if int(starts) != starts or starts < 1:
        raise ValueError(f"starts must be an integer >= 1, got {starts!r}")
    psi = schmidt_state(s).astype(complex)
    neg_success, zeros = _hardy_amplitudes(psi)
    rng = np.random.default_rng(seed)
    best = {"success": 0.0, "violation": 0.0}
    for _ in range(int(starts)):
        t0 = rng.uniform(0, 2 * np.pi, size=8)
        res = minimize(
            neg_success,
            t0,
            method="SLSQP",
            constraints=[{"type": "eq", "fun": zeros}],
            options={"ftol": 1e-14, "maxiter": 500},
        )
        viol = float(np.abs(zeros(res.x)).max())
        if viol < 1e-8 and res.fun**2 > best["success"]:
            best = {"success": float(res.fun**2), "violation": viol}
    return best


def hardy_schmidt_chunk(s: ArrayLike, *, starts: int = 24, seed: int = 0) -> xr.Dataset:
    """Closed form and numerical maximisation at every ``s`` of a grid (the route of the
    workflow before the closed form became the route; kept for the benchmark)."""
    s = np.asarray(s, dtype=float)
    num = [hardy_success_schmidt_numeric(float(v), starts=starts, seed=seed) for v in s]
    return xr.Dataset(
        {
            "closed_form": (
                ("s",),
                np.asarray(hardy_success_schmidt(s)),
                {"description": "q_max(s) closed form"},
            ),
            "numeric": (
                ("s",),
                np.array([r["success"] for r in num]),
                {"description": "q_max(s) by SLSQP over projective measurements"},
            ),
            "violation": (
                ("s",),
                np.array([r["violation"] for r in num]),
                {"description": "largest Hardy-zero amplitude at the numeric optimum"},
            ),
        },
        coords={"s": s},
    )


def _check_grid(s: ArrayLike, name: str) -> NDArray[np.float64]:
    arr = np.asarray(s, dtype=float)
    if arr.ndim != 1 or arr.size < 1 or not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must be a non-empty finite 1-d array")
    if arr.min() < 0 or arr.max() > 1:
        raise ValueError(f"{name} must lie in [0, 1], got [{arr.min()}, {arr.max()}]")
    return arr


def hardy_schmidt_curve(
    s: ArrayLike, s_check: ArrayLike, *, starts: int = 24, seed: int = 0
) -> xr.Dataset:
    """Maximal Hardy success against the Schmidt coefficient (remark after Proposition 1).

    Route: the closed form :func:`hardy_success_schmidt` on the grid ``s``. Check: the
    numerical maximisation :func:`hardy_success_schmidt_numeric` at the points ``s_check``
    plus the Schmidt coefficient ``s_H`` of ``|psi_H>`` (where the curve peaks).

    Claims (0-d variables): ``curve_below_hardy_max``, read from the numerical route alone:
    at every check point other than ``s_H`` (and ``1 - s_H``) the optimised success lies below
    the success of the box ``P_H`` (computed from its realisation) by more than ``1e-9``, and
    at ``s_H`` it reaches it within ``1e-9``; ``zero_at_phi_plus``: the optimised success at
    ``s = 1/2`` is below ``1e-12`` (false if ``0.5`` is not a check point).
    ``max_abs_closed_vs_numeric`` is the largest deviation of the two routes at the check
    points.
    """
    grid = _check_grid(s, "s")
    s_h = float(schmidt_coefficients(hardy_realisation()[0], (2, 2))[0])
    check = np.unique(np.append(_check_grid(s_check, "s_check"), s_h))
    num = [
        hardy_success_schmidt_numeric(float(v), starts=starts, seed=seed)
        for v in progress(check, len(check), log)
    ]
    numeric = np.array([r["success"] for r in num])
    closed_check = np.asarray(hardy_success_schmidt(check))
    q_box = float(hardy_box()[0, 0, 0, 0])
    at_h = np.isclose(check, s_h, rtol=0, atol=1e-12) | np.isclose(check, 1 - s_h, atol=1e-12)
    below = bool(
        np.all(numeric[~at_h] < q_box - 1e-9) and np.all(np.abs(numeric[at_h] - q_box) < 1e-9)
    )
    half = np.isclose(check, 0.5, rtol=0, atol=1e-15)
    zero_half = bool(half.any() and np.all(numeric[half] < 1e-12))
    sc = ("s_check",)
    data = {
        "closed_form": (("s",), hardy_success_schmidt(grid), "q_max(s), closed form"),
        "closed_form_check": (sc, closed_check, "closed form at the check points"),
        "numeric": (sc, numeric, "q_max(s) by SLSQP over projective measurements"),
        "violation": (
            sc,
            np.array([r["violation"] for r in num]),
            "largest Hardy-zero amplitude at the numeric optimum",
        ),
        "max_abs_closed_vs_numeric": (
            (),
            np.abs(closed_check - numeric).max(),
            "|closed form - SLSQP| at the check points",
        ),
        "curve_max": ((), numeric.max(), "largest optimised success (check points, at s_H)"),
        "hardy_box_success": ((), q_box, "p(00|00) of P_H from its realisation"),
        "s_hardy": ((), s_h, "Schmidt coefficient s of |psi_H>"),
        "curve_below_hardy_max": ((), below, "SLSQP success < q(P_H) at every s != s_H"),
        "zero_at_phi_plus": ((), zero_half, "SLSQP success at s = 1/2 below 1e-12"),
    }
    return xr.Dataset(
        {k: (d, np.asarray(v), {"description": t}) for k, (d, v, t) in data.items()},
        coords={"s": grid, "s_check": check},
    )
