"""Fig. 1 of paper 000: a 2D slice of the 222 box space through the uniform box, the PR box
and a box ``A`` (``P_H``), with the local, quantum (NPA) and no-signalling boundaries."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from bellflow import boxes as bx
from bellflow import npa

__all__ = ["Fig1Slice", "fig1_slice", "slice_basis", "slice_coordinates", "ns_radius"]


@dataclass
class Fig1Slice:
    """A 2D slice of the 222 box space through the uniform box ``U`` (white noise), the PR box
    and ``A``.

    Coordinates: ``p = U + X e1 + Y e2`` with ``e1, e2`` orthonormal (Euclidean norm of the
    16 entries ``p[a,b,x,y]``), ``e1`` along ``PR - U``. ``angles`` are the ray angles;
    ``r_local``, ``r_quantum``, ``r_ns`` the boundary distances from ``U`` along each ray;
    ``points`` the named points' ``(X, Y)``.
    """

    e1: NDArray[np.float64]
    e2: NDArray[np.float64]
    angles: NDArray[np.float64]
    r_local: NDArray[np.float64]
    r_quantum: NDArray[np.float64]
    r_ns: NDArray[np.float64]
    points: dict[str, tuple[float, float]]
    level: str
    solver: dict[str, Any] = field(default_factory=dict)


def slice_basis(A: ArrayLike) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Orthonormal ``(e1, e2)`` spanning ``PR - U`` and ``A - U`` (``U`` the uniform box)."""
    u = bx.white_noise()
    e1 = bx.pr_boxes()[0] - u
    e1 = e1 / np.linalg.norm(e1)
    w = np.asarray(A, dtype=float) - u
    if w.shape != u.shape:
        raise ValueError(f"A must be a 222 box of shape (2, 2, 2, 2), got {w.shape}")
    w = w - np.sum(w * e1) * e1
    nw = np.linalg.norm(w)
    if nw < 1e-12:
        raise ValueError("A lies on the isotropic line: it does not define a plane")
    return e1, w / nw


def slice_coordinates(
    p: ArrayLike, e1: NDArray[np.float64], e2: NDArray[np.float64]
) -> tuple[float, float]:
    """``(X, Y)`` of a box in the slice (orthogonal projection)."""
    d = np.asarray(p, dtype=float) - bx.white_noise()
    return float(np.sum(d * e1)), float(np.sum(d * e2))


def ns_radius(direction: ArrayLike) -> float:
    """Distance from the uniform box ``U`` to the no-signalling boundary along ``direction``
    (closed form: the first entry of ``U + r d`` to reach zero; ``d`` lies in the
    no-signalling subspace)."""
    d = np.asarray(direction, dtype=float).reshape(-1)
    u = bx.white_noise().reshape(-1)
    if d.shape != u.shape or not np.all(np.isfinite(d)):
        raise ValueError("direction must be a finite 222 array (16 entries)")
    neg = d < -1e-15
    if not neg.any():
        raise ValueError("direction has no negative entry: the ray never leaves the box set")
    return float(np.min(u[neg] / -d[neg]))


def fig1_slice(
    A: ArrayLike,
    angles: ArrayLike,
    *,
    level: str | int = "1+AB",
    points: Mapping[str, ArrayLike] | None = None,
) -> Fig1Slice:
    """Boundaries of the local (LP), quantum (NPA ``level``) and no-signalling sets in the
    plane through ``U``, the PR box and ``A`` (Fig. 1), traced along rays from ``U``.

    Along the ray ``d(theta) = cos(theta) e1 + sin(theta) e2``: ``r_ns`` in closed form
    (:func:`ns_radius`); with ``p_ns = U + r_ns d`` (a valid box),
    ``r_local = r_ns * local_visibility(p_ns)`` and ``r_quantum = r_ns * npa_visibility(p_ns)``
    (visibilities against ``U``).
    """
    e1, e2 = slice_basis(A)
    u = bx.white_noise()
    th_all = np.asarray(angles, dtype=float)
    if th_all.ndim != 1 or not np.all(np.isfinite(th_all)):
        raise ValueError("angles must be a finite 1-d array")
    rl, rq, rn = (np.empty(len(th_all)) for _ in range(3))
    last = None
    for i, th in enumerate(th_all):
        d = math.cos(th) * e1 + math.sin(th) * e2
        rn[i] = ns_radius(d)
        p = np.clip(u + rn[i] * d, 0.0, None)  # clears rounding negatives (~1e-17)
        rl[i] = rn[i] * bx.local_visibility(p).value
        last = npa.npa_visibility(p, level)
        rq[i] = rn[i] * last.value
    pts = {"L0": (0.0, 0.0)}
    for name, p in (points or {}).items():
        pts[name] = slice_coordinates(p, e1, e2)
    return Fig1Slice(
        e1=e1,
        e2=e2,
        angles=th_all,
        r_local=rl,
        r_quantum=rq,
        r_ns=rn,
        points=pts,
        level=str(level),
        solver=last.attrs() if last is not None else {},
    )
