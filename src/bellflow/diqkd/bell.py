"""The Bell functional of Eq. (10): coefficients, values, quantum value, local bound, NPA."""

from __future__ import annotations

import itertools
import logging
from typing import Any

import numpy as np

from bellflow.diqkd.construction import (
    _check_d,
    alice_measurements,
    bob_measurements,
    overlap_matrix,
    sine_matrix,
)

logger = logging.getLogger(__name__)

#: Largest number of NPA moments for which :func:`npa_check` uses the symmetric route by
#: default (its reduction is dense in the moments: d = 3 has 2,043, d = 4 12,528).
SYMMETRIC_MAX_MOMENTS = 5000


# --------------------------------------------------------------------------------------------
# the Bell functional (Eq. 10), quantum value, local bound
# --------------------------------------------------------------------------------------------
def bell_coefficients(O: np.ndarray) -> np.ndarray:
    """Coefficients ``c[a, b, x, y]`` with ``B_d(p) = sum c * p`` (Eq. 10), shape ``(d,3,2,d^2)``.

    ``B_d = sum_jk s_jk [p(j,0|0,jk) - p(j,1|0,jk) + p(k,1|1,jk) - p(k,0|1,jk)]
    - 1/2 sum_jk s_jk^2 [p_B(0|jk) + p_B(1|jk)]`` with ``s_jk = sqrt(1 - O_jk^2)``. Bob's
    marginal ``p_B(b|jk)`` is written with Alice's setting ``x = 0`` (all settings agree on
    no-signalling boxes).
    """
    O = np.asarray(O, dtype=float)
    if O.ndim != 2 or O.shape[0] != O.shape[1] or O.shape[0] < 2:
        raise ValueError(f"O must be a square d x d matrix with d >= 2, got shape {O.shape}")
    if np.any(O < 0) or np.any(O > 1 + 1e-12):
        raise ValueError("O must have entries in [0, 1]")
    s = np.sqrt(np.clip(1.0 - O**2, 0.0, None))
    return _bell_coefficients_from_s(s)


def _bell_coefficients_from_s(s: np.ndarray) -> np.ndarray:
    d = s.shape[0]
    c = np.zeros((d, 3, 2, d * d))
    for j in range(d):
        for k in range(d):
            y = j * d + k
            c[j, 0, 0, y] += s[j, k]
            c[j, 1, 0, y] -= s[j, k]
            c[k, 1, 1, y] += s[j, k]
            c[k, 0, 1, y] -= s[j, k]
            c[:, 0, 0, y] -= 0.5 * s[j, k] ** 2
            c[:, 1, 0, y] -= 0.5 * s[j, k] ** 2
    return c


def family_coefficients(d: int, eps: float) -> np.ndarray:
    """:func:`bell_coefficients` for the family's overlap matrix (with the stable ``s_jk``)."""
    return _bell_coefficients_from_s(sine_matrix(d, eps))


def bell_value(coeffs: np.ndarray, p: np.ndarray) -> float:
    """``sum_{abxy} coeffs[a,b,x,y] p[a,b,x,y]``."""
    coeffs = np.asarray(coeffs)
    p = np.asarray(p)
    if coeffs.shape != p.shape:
        raise ValueError(f"coeffs shape {coeffs.shape} does not match p shape {p.shape}")
    return float(np.sum(coeffs * p))


def bell_operator(d: int, eps: float) -> np.ndarray:
    """Bell operator ``W = sum c[a,b,x,y] A[x,a] (x) B[y,b]`` of Eq. (10) with the optimal
    measurements; ``<phi_d^+|W|phi_d^+> = B_d(p_eps)`` and its largest eigenvalue is the value
    reached by the best state for these measurements."""
    c = family_coefficients(d, eps)
    A = alice_measurements(d, eps)
    B = bob_measurements(d, eps)
    MA = np.einsum("abxy,xaij->byij", c, A)  # Alice-side operator per Bob (b, y)
    W = np.zeros((d * d, d * d), dtype=complex)
    for y in range(d * d):
        for b in range(3):
            W += np.kron(MA[b, y], B[y, b])
    return (W + W.conj().T) / 2


def quantum_value(d: int) -> float:
    """Maximal quantum value of Eq. (10): ``(1/d) sum_jk (1 - O_jk^2) = d - 1``.

    Each setting contributes ``s_jk^2 / d`` (see :func:`bob_measurements`) and
    ``sum_jk O_jk^2 = d`` because the columns of ``U_eps`` are unit vectors; independent of O.
    """
    return float(_check_d(d) - 1)


def local_bound(coeffs: np.ndarray) -> tuple[float, tuple[int, ...]]:
    """Exact local bound of a Bell functional, Alice's deterministic strategies x Bob's best
    response.

    ``L = max_{(a_x)_x} sum_y max_b sum_x coeffs[a_x, b, x, y]``: for a fixed deterministic
    strategy of Alice, Bob's best local response is chosen per setting, so only Alice's
    ``oA**mA`` strategies are enumerated (never Bob's ``oB**mB``).

    Returns
    -------
    (value, strategy): the bound and one of Alice's optimal strategies ``(a_0, ..., a_{mA-1})``.
    """
    c = np.asarray(coeffs, dtype=float)
    if c.ndim != 4:
        raise ValueError(f"coeffs must have shape (oA, oB, mA, mB), got {c.shape}")
    oA, _, mA, _ = c.shape
    best, arg = -np.inf, tuple[int, ...]()
    for lam in itertools.product(range(oA), repeat=mA):
        t = sum(c[a, :, x, :] for x, a in enumerate(lam))  # (oB, mB)
        val = float(np.sum(np.max(t, axis=0)))
        if val > best:
            best, arg = val, lam
    return best, arg


def family_local_bound(d: int, eps: float) -> float:
    """Local bound of Eq. (10) for the family, from :func:`local_bound`."""
    return local_bound(family_coefficients(d, eps))[0]


def family_violation(d: int, eps: float) -> float:
    """``B_d(p_eps) - L`` computed without cancellation.

    Closed form: for Alice's strategy ``(a_0, a_1)`` Bob's best response gains
    ``s - s^2/2 = (1 - (1 - s)^2)/2`` on the ``2(d - 1)`` settings where exactly one of
    ``j = a_0``, ``k = a_1`` holds and 0 elsewhere, so with the quantum value ``d - 1``:
    ``B_d(p_eps) - L = min_{a_0, a_1} 1/2 sum_{jk: [j=a_0] xor [k=a_1]} (1 - s_jk)^2``, and
    ``1 - s = O^2 / (1 + s)``. It behaves like eps^4 for small eps (the tests compare with the
    direct difference where that is accurate).
    """
    d = _check_d(d)
    s = sine_matrix(d, eps)
    O2 = overlap_matrix(d, eps) ** 2
    g = 0.5 * (O2 / (1.0 + s)) ** 2
    eye = np.eye(d, dtype=bool)
    best = np.inf
    for a0 in range(d):
        for a1 in range(d):
            mask = eye[a0][:, None] ^ eye[a1][None, :]
            best = min(best, float(np.sum(g[mask])))
    return best


def npa_check(
    d: int,
    eps: float,
    level: str = "1+AB",
    tol: float | None = None,
    *,
    symmetric: bool | None = None,
) -> dict[str, Any]:
    """Certified NPA upper bound on ``B_d - (d - 1)`` (Eq. 10), and whether it resolves the
    violation ``B_d(p_eps) - L``.

    The expression is shifted by the quantum value, ``c - (d - 1) N`` with ``N`` the
    normalisation ``sum_ab p(a, b|0, 0) = 1``, so the solver works near 0 and
    :func:`bellflow.npa.npa_upper_bound` returns a certified upper bound ``excess`` on
    ``max_Q B_d - (d - 1)`` (repaired dual, ``|moment| <= 1``). Rescaling by ``1/eps`` or
    ``1/eps^2`` and tighter tolerances were tried and certify no better (the optimum is
    degenerate: the moment matrix of the self-testing point has low rank). The check
    **resolves** the violation iff ``excess < B_d(p_eps) - L``: only then does NPA certify
    that no quantum box exceeds ``d - 1`` by as much as the gap between the local bound and
    the quantum value. ``achieved`` is ``B_d(p_eps) - (d - 1)`` of the explicit box.

    ``symmetric`` (default: ``d >= 3`` with at most :data:`SYMMETRIC_MAX_MOMENTS` moments,
    i.e. d = 3) restricts the moments to those invariant under the
    family's dihedral relabelling group (:func:`~bellflow.diqkd.symmetry.family_symmetry`) and
    block-diagonalises the moment matrix (:func:`bellflow.npa.symmetry.npa_upper_bound_symmetric`,
    SCS at ``tol`` or 1e-7): exact, since the expression and the quantum set are invariant. At
    d = 3 the 95 x 95 matrix becomes blocks 16/15/32 (2043 -> 357 moments). If SCS does not
    converge (d = 3, eps = 0.1) the full moment matrix is solved instead (Clarabel).

    Returns ``npa`` (solver value + d - 1), ``npa_certified``, ``excess``, ``achieved``,
    ``violation``, ``resolved``, ``quantum``, ``tol``, ``status`` and ``opt``.
    """
    from bellflow.diqkd.construction import family_box
    from bellflow.npa import npa_structure, npa_upper_bound

    d = _check_d(d)
    c = family_coefficients(d, eps)
    shift = np.zeros_like(c)
    shift[:, :, 0, 0] = quantum_value(d)
    res = None
    if symmetric is None:  # the dense reduction needs K^2 floats (d = 4: K = 12,528, 2.5 GB)
        symmetric = d >= 3 and len(npa_structure(c.shape, level).moments) <= SYMMETRIC_MAX_MOMENTS
    if symmetric:
        from bellflow.diqkd.symmetry import family_symmetry
        from bellflow.npa.symmetry import npa_upper_bound_symmetric
        from bellflow.optim import SolverError

        r, s = family_symmetry(d)
        try:
            res, _ = npa_upper_bound_symmetric(
                c - shift, level, r, s, tol=1e-7 if tol is None else tol
            )
        except SolverError as exc:  # SCS did not converge: the full moment matrix
            logger.warning("symmetric NPA route failed (%s); full moment matrix instead", exc)
    if res is None:
        res = npa_upper_bound(c - shift, level=level, tol=tol)
    q = quantum_value(d)
    excess = float(res.certified)
    viol = family_violation(d, eps)
    return {
        "npa": q + float(res.value),
        "npa_certified": q + excess,
        "excess": excess,
        "achieved": bell_value(c, family_box(d, eps)) - q,
        "violation": viol,
        "resolved": bool(np.isfinite(excess) and excess < viol),
        "quantum": q,
        "tol": float(res.tolerances.get("tol_feas", np.nan)),
        "status": res.status,
        "opt": res,
    }
