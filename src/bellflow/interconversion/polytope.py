"""The 222 correlation sets of paper 000 from their definitions: vertices of the no-signalling
polytope (Eq. 1a/1b) by enumeration from its inequalities, the local relabelling group, and
Lemma 1 (the transpose trick on ``|phi_d^+>``)."""

from __future__ import annotations

import itertools
import math

import numpy as np
from numpy.typing import NDArray

from bellflow import boxes as bx

__all__ = [
    "ns_equalities",
    "ns_vertices",
    "relabellings",
    "lemma1_residual",
]


def ns_equalities() -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """The affine hull of the 222 no-signalling set from its definition: ``E p = e`` with
    normalisation ``sum_ab p(ab|xy) = 1`` and no-signalling ``sum_b p(ab|x0) = sum_b p(ab|x1)``,
    ``sum_a p(ab|0y) = sum_a p(ab|1y)`` (rows for every ``a, x`` and ``b, y``; some are
    redundant). ``p`` flattened in ``p[a, b, x, y]`` order."""
    rows, rhs = [], []

    def unit(idx: list[tuple[int, int, int, int]], sign: list[float]) -> NDArray[np.float64]:
        r = np.zeros((2, 2, 2, 2))
        for i, s in zip(idx, sign, strict=True):
            r[i] += s
        return r.reshape(-1)

    for x, y in itertools.product(range(2), repeat=2):
        rows.append(unit([(a, b, x, y) for a in range(2) for b in range(2)], [1.0] * 4))
        rhs.append(1.0)
    for a, x in itertools.product(range(2), repeat=2):
        idx = [(a, b, x, 0) for b in range(2)] + [(a, b, x, 1) for b in range(2)]
        rows.append(unit(idx, [1.0, 1.0, -1.0, -1.0]))
        rhs.append(0.0)
    for b, y in itertools.product(range(2), repeat=2):
        idx = [(a, b, 0, y) for a in range(2)] + [(a, b, 1, y) for a in range(2)]
        rows.append(unit(idx, [1.0, 1.0, -1.0, -1.0]))
        rhs.append(0.0)
    return np.array(rows), np.array(rhs)


def ns_vertices(tol: float = 1e-9) -> NDArray[np.float64]:
    """All vertices of the 222 no-signalling polytope ``{p >= 0, E p = e}``, enumerated from
    its definition (:func:`ns_equalities`): a vertex is a feasible point where the active
    positivity constraints together with the equalities have rank 16. Every set of 8 entries
    set to zero (``C(16, 8) = 12870`` sets; the affine hull has dimension 8) is tried; the
    unique solutions that are non-negative are kept, without duplicates. Shape ``(n, 2, 2, 2, 2)``.

    Independent of :func:`bellflow.boxes.deterministic_boxes` and
    :func:`bellflow.boxes.pr_boxes` (Eq. 1a/1b), which the workflow compares it with.
    """
    E, e = ns_equalities()
    dim = 16 - np.linalg.matrix_rank(E)
    found: list[NDArray[np.float64]] = []
    for zeros in itertools.combinations(range(16), dim):
        Z = np.zeros((dim, 16))
        Z[np.arange(dim), list(zeros)] = 1.0
        M = np.vstack([E, Z])
        if np.linalg.matrix_rank(M) < 16:
            continue
        p, *_ = np.linalg.lstsq(M, np.concatenate([e, np.zeros(dim)]), rcond=None)
        if p.min() < -tol or np.abs(M @ p - np.concatenate([e, np.zeros(dim)])).max() > tol:
            continue
        if not any(np.abs(p - q).max() < 1e-7 for q in found):
            found.append(p)
    out = np.array(found).reshape(-1, 2, 2, 2, 2)
    out[np.abs(out) < tol] = 0.0
    return out


def relabellings() -> list[tuple[bool, bool, bool, tuple[int, ...], tuple[int, ...]]]:
    """The 128 local relabellings of a 222 box as ``(swap_parties, swap_x, swap_y, flip_a,
    flip_b)``: exchange of the parties, of each party's inputs, and any input-dependent flip
    of each party's output (4 per party)."""
    flips = [(), (0,), (1,), (0, 1)]
    return [
        (sp, sx, sy, fa, fb)
        for sp in (False, True)
        for sx in (False, True)
        for sy in (False, True)
        for fa in flips
        for fb in flips
    ]


def apply_relabelling(
    p: NDArray[np.float64], r: tuple[bool, bool, bool, tuple[int, ...], tuple[int, ...]]
) -> NDArray[np.float64]:
    """Apply one element of :func:`relabellings` to the 222 box ``p``."""
    sp, sx, sy, fa, fb = r
    q = np.transpose(p, (1, 0, 3, 2)) if sp else np.asarray(p, dtype=float)
    return bx.relabel(q, swap_x=sx, swap_y=sy, flip_a=fa, flip_b=fb)


def lemma1_residual(
    dims: tuple[int, ...] = (2, 3, 4, 8), *, samples: int = 5, seed: int = 0
) -> dict[str, float]:
    """Lemma 1, ``(X (x) Y)|phi_d^+> = (I_d (x) Y X^T)|phi_d^+>``, for random complex ``X, Y``.

    Route: explicit Kronecker products of ``d^2 x d^2`` matrices on ``|phi_d^+>``. Check: the
    vectorisation identity, the ``(i, j)`` entry of ``(X (x) Y)|phi_d^+>`` is
    ``(X Y^T)_ij / sqrt d`` (index computation, no Kronecker product). Returns the largest
    residual of each route relative to ``||X|| ||Y||``.
    """
    rng = np.random.default_rng(seed)
    lemma, index = 0.0, 0.0
    for d in dims:
        phi = np.eye(d).reshape(-1) / math.sqrt(d)
        for _ in range(samples):
            X, Y = (rng.normal(size=(d, d)) + 1j * rng.normal(size=(d, d)) for _ in range(2))
            scale = np.linalg.norm(X) * np.linalg.norm(Y)
            lhs = np.kron(X, Y) @ phi
            rhs = np.kron(np.eye(d), Y @ X.T) @ phi
            lemma = max(lemma, float(np.abs(lhs - rhs).max() / scale))
            vec = (X @ Y.T).reshape(-1) / math.sqrt(d)
            index = max(index, float(np.abs(lhs - vec).max() / scale))
    return {"lemma": lemma, "index_route": index}
