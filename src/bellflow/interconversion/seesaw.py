"""Proposition 1 of paper 000: no Hardy nonlocality from ``|phi_2^+>^{(x) n}``, checked by a
see-saw over projective measurements of any rank (with ``|psi_H>`` as a positive control)."""

from __future__ import annotations

import logging
from typing import Any

import numpy as np
import xarray as xr
from numpy.typing import ArrayLike, NDArray

from bellflow.interconversion.realisations import hardy_realisation, phi_plus
from bellflow.logs import progress

log = logging.getLogger(__name__)

__all__ = ["hardy_seesaw", "prop1_copies"]


def _positive_projector(M: NDArray[Any]) -> NDArray[np.complex128]:
    """Projector onto the positive eigenspace of the Hermitian part of ``M``."""
    M = (M + M.conj().T) / 2
    w, V = np.linalg.eigh(M)
    V = V[:, w > 1e-14 * max(1.0, np.abs(w).max())]
    return np.asarray(V @ V.conj().T)


def _seesaw_run(
    psi: NDArray[np.complex128], P: list[NDArray[Any]], mu: float, iters: int
) -> tuple[float, float, float]:
    """One see-saw run from Alice's projectors ``P``; returns ``(J, success, zeros)``."""
    dA, dB = psi.shape
    IA, IB = np.eye(dA), np.eye(dB)

    def R(X: NDArray[Any]) -> NDArray[Any]:  # Tr_A[(X (x) 1) |psi><psi|] (dB x dB)
        return np.asarray(psi.T @ X.T @ psi.conj())

    def S(Y: NDArray[Any]) -> NDArray[Any]:  # Tr_B[(1 (x) Y) |psi><psi|] (dA x dA)
        return np.asarray(psi @ Y.T @ psi.conj().T)

    def prob(X: NDArray[Any], Y: NDArray[Any]) -> float:
        return float(np.real(np.trace(Y @ R(X))))

    pos = _positive_projector
    J_old, J, q, z = -np.inf, -np.inf, 0.0, 0.0
    for _ in range(iters):
        Q0 = pos(R(P[0]) - mu * R(P[1]))
        Q1 = pos(mu * R(IA - P[1]) - mu * R(P[0]))
        P = [pos(S(Q0) - mu * S(Q1)), pos(mu * S(IB - Q1) - mu * S(Q0))]
        q = prob(P[0], Q0)
        z = prob(P[0], Q1) + prob(P[1], Q0) + prob(IA - P[1], IB - Q1)
        J = q - mu * z
        if J - J_old < 1e-14:
            break
        J_old = J
    return J, q, z


def hardy_seesaw(
    psi: ArrayLike,
    dims: tuple[int, int],
    *,
    penalty: float = 10.0,
    restarts: int = 20,
    iters: int = 300,
    seed: int = 0,
) -> dict[str, float]:
    """Penalised Hardy optimisation over projective measurements on a pure state (see-saw).

    Maximises ``J = p(00|00) - mu [p(00|01) + p(00|10) + p(11|11)]`` over dichotomic projective
    measurements of any rank on both sides (Proposition 1). For fixed Alice projectors
    ``P_x`` (outcome 0), ``J`` is linear in Bob's outcome-0 projectors ``Q_y`` with
    coefficients ``R(P_0) - mu R(P_1)`` (for ``Q_0``) and ``mu R(1 - P_1) - mu R(P_0)``
    (for ``Q_1``), ``R(X) = Tr_A[(X (x) 1)|psi><psi|]``; the optimal ``Q_y`` is the projector
    onto the positive eigenspace of its coefficient (optimal over all POVMs too), and
    likewise for Alice. Alternating these exact steps never decreases ``J``; ``restarts``
    random complex starting projectors (seeded).

    ``J(mu)`` is at least the Hardy success of any Hardy-satisfying measurement choice, so
    ``J = 0`` certifies (up to the local-optimisation caveat of a see-saw) that no measurement
    gives Hardy's nonlocality, while a Hardy-capable state gives ``J >= q > 0``.

    Returns ``J``, ``success`` and ``zeros`` (sum of the three zero-condition probabilities) at
    the best point.
    """
    dA, dB = (int(d) for d in dims)
    arr = np.asarray(psi, dtype=complex)
    if arr.size != dA * dB or not np.all(np.isfinite(arr)):
        raise ValueError(f"psi must be a finite vector of length {dA * dB}, got {arr.shape}")
    if not penalty > 0:
        raise ValueError(f"penalty must be > 0, got {penalty!r}")
    if int(restarts) < 1 or int(iters) < 1:
        raise ValueError(f"restarts and iters must be >= 1, got {restarts!r}, {iters!r}")
    psi_m = arr.reshape(dA, dB)
    rng = np.random.default_rng(seed)
    best = {"J": -np.inf, "success": 0.0, "zeros": 0.0}
    for _ in range(int(restarts)):
        G = rng.normal(size=(2, dA, dA)) + 1j * rng.normal(size=(2, dA, dA))
        P = [_positive_projector(g + g.conj().T) for g in G]
        J, q, z = _seesaw_run(psi_m, P, float(penalty), int(iters))
        if best["J"] < J:
            best = {"J": J, "success": q, "zeros": z}
    return best


def prop1_copies(
    copies: ArrayLike = (1, 2, 3),
    *,
    penalty: float = 10.0,
    restarts: int = 20,
    iters: int = 300,
    seed: int = 0,
    control_penalty: float = 100.0,
) -> xr.Dataset:
    """Proposition 1 numerics: :func:`hardy_seesaw` on ``|phi_2^+>^{(x) n}`` for each ``n`` in
    ``copies`` (as ``|phi_{2^n}^+>``), and on ``|psi_H>`` as a control that must succeed.

    Returns a Dataset with ``J``, ``success``, ``zeros`` over ``copies`` and the control's
    ``control_J``, ``control_success``, ``control_zeros``.
    """
    ns = [int(n) for n in np.atleast_1d(np.asarray(copies))]
    if not ns or min(ns) < 1:
        raise ValueError(f"copies must be positive integers, got {copies!r}")
    kw = {"restarts": restarts, "iters": iters}
    rows = [
        hardy_seesaw(phi_plus(2**n), (2**n, 2**n), penalty=penalty, seed=seed + n, **kw)
        for n in progress(ns, len(ns), log)
    ]
    ctrl = hardy_seesaw(
        hardy_realisation()[0], (2, 2), penalty=control_penalty, seed=seed, **kw
    )
    desc = {
        "J": "max of p(00|00) - mu * zeros, |phi+>^n",
        "success": "Hardy success there",
        "zeros": "sum of Hardy zeros there",
    }
    data: dict[str, Any] = {
        k: (("copies",), np.array([r[k] for r in rows]), {"description": d})
        for k, d in desc.items()
    }
    for k in ("J", "success", "zeros"):
        data[f"control_{k}"] = ((), np.asarray(ctrl[k]), {"description": f"{k}, |psi_H>"})
    return xr.Dataset(data, coords={"copies": np.array(ns)})
