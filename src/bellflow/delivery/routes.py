"""Independent routes for the paper checks: the explicit delivered state, roots and ranges.

The functions here work on the explicit 4x4 state
(:func:`~bellflow.delivery.channel.delivered_state`, built from the ket and partial traces)
with the general tools of :mod:`bellflow.states`, not on the closed forms of
:mod:`bellflow.delivery.channel`, so that each row of the reproduction table has a second
route; plus the root-finding helpers the checks share.

Examples
--------
>>> round(float(concurrence_explicit(2 ** -0.5, 0.5)), 12)  # (3S - 1)/2 for Bell pairs
0.25
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.optimize import brentq

from bellflow import states
from bellflow.delivery.channel import delivered_state

__all__ = [
    "BELL_A",
    "ket",
    "concurrence_explicit",
    "concurrence_explicit_raw",
    "ppt_eigenvalue",
    "ppt_threshold_S",
    "bisect_S",
    "largest_S",
    "entangled_edge",
]

BELL_A: float = 1 / np.sqrt(2)
_XTOL = {"xtol": 1e-15, "rtol": 1e-15}


def ket(a: ArrayLike) -> NDArray[np.float64]:
    """``|psi_a> = a|00> + sqrt(1-a^2)|11>`` (Eq. 3.1) as an array ``(..., 4)``."""
    a = np.asarray(a, dtype=float)
    z = np.zeros_like(a)
    return np.stack([a, z, z, np.sqrt((1 - a) * (1 + a))], axis=-1)


def concurrence_explicit(a: ArrayLike, S: ArrayLike) -> NDArray[np.float64]:
    """Concurrence of the explicit delivered state from its entries (X state)."""
    return np.asarray(states.concurrence_x_state(delivered_state(a, S)))


def concurrence_explicit_raw(a: ArrayLike, S: ArrayLike) -> NDArray[np.float64]:
    """``2(|rho_03| - sqrt(rho_11 rho_22))`` of the explicit state: the X-state concurrence
    before the clip at 0 (smooth and unimodal in ``a``, so it can be maximised; the other
    X-state branch, ``|rho_12| - sqrt(rho_00 rho_33)``, is ``<= 0`` here)."""
    rho = delivered_state(a, S)
    return np.asarray(2 * (np.abs(rho[..., 0, 3]) - np.sqrt(rho[..., 1, 1] * rho[..., 2, 2])))


def ppt_eigenvalue(a: ArrayLike, S: ArrayLike) -> NDArray[np.float64]:
    """Smallest eigenvalue of the partial transpose of the explicit delivered state."""
    return np.asarray(states.min_ppt_eigenvalue(delivered_state(a, S)))


def bisect_S(above: Callable[[NDArray[np.float64]], NDArray[np.bool_]], n: int) -> NDArray:
    """Vectorised bisection in ``S`` on ``[0, 1]`` of a monotone predicate (``n`` points)."""
    lo, hi = np.zeros(n), np.ones(n)
    for _ in range(100):
        mid = (lo + hi) / 2
        up = above(mid)
        hi, lo = np.where(up, mid, hi), np.where(up, lo, mid)
    return hi


def largest_S(
    dev: Callable[[float], float], tol: float, lo: float = 1e-6, hi: float = 0.3
) -> float:
    """Largest ``S`` in ``[lo, hi]`` with ``dev(S) <= tol``, for ``dev`` increasing in ``S``.

    Monotonicity is checked on a log grid first (``RuntimeError`` if violated, or if even
    ``dev(lo) > tol``); ``hi`` is returned when ``dev(hi) <= tol``.
    """
    grid = np.geomspace(lo, hi, 120)
    vals = np.array([dev(float(s)) for s in grid])
    if not np.all(np.diff(vals) >= -1e-15):
        raise RuntimeError("deviation is not increasing in S: no single range")
    if vals[0] > tol:
        raise RuntimeError(f"deviation exceeds {tol} already at S = {lo}")
    if vals[-1] <= tol:
        return hi
    return float(brentq(lambda s: dev(s) - tol, lo, hi, **_XTOL))


def entangled_edge(S: float, conc: Callable[[float, float], float]) -> float:
    """Largest entangled ``a`` on the branch ``a < 1/sqrt 2`` at ``S`` (root of ``conc``)."""
    return float(brentq(lambda x: conc(x, S), 1e-300, BELL_A * (1 - 1e-12), **_XTOL))


def ppt_threshold_S(a: float) -> float:
    """Entanglement threshold in ``S`` at ``a``: root of the PPT eigenvalue (explicit state)."""
    return float(brentq(lambda s: float(ppt_eigenvalue(a, s)), 0.0, 1.0, **_XTOL))
