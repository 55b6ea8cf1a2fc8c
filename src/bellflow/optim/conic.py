"""Certificate of an SDP from the solver's repaired dual point (see :mod:`bellflow.optim`)."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any

import numpy as np

from bellflow.optim.results import (
    _EPS,
    CertificateError,
)

# --- SDP certificate -----------------------------------------------------------------------


def _conic_inverse(problem: Any, chain: Any, inv: Any) -> tuple[dict, dict, dict, float]:
    """``(var_offsets, var_shapes, origin, offset)`` of the conic vector. ``origin`` maps the id
    of each conic variable derived from a user variable to that variable's id (``None`` for
    parts cvxpy made of a complex variable); cvxpy's auxiliary variables are absent."""
    from cvxpy.reductions.cvx_attr2constr import CvxAttr2Constr
    from cvxpy.reductions.dcp2cone.dcp2cone import Dcp2Cone
    from cvxpy.reductions.matrix_stuffing import MatrixStuffing

    origin: dict[int, int | None] = {v.id: v.id for v in problem.variables()}
    stuffing = None
    for red, data in zip(chain.reductions, inv, strict=True):
        if isinstance(red, Dcp2Cone):  # its input: user variables or their real/imag parts
            for vid in data.var_offsets:
                origin.setdefault(vid, None)
        elif isinstance(red, CvxAttr2Constr) and data:  # attribute-free copies (nonneg...)
            for oid, var in data[0].items():
                if oid in origin:
                    origin[var.id] = origin[oid]
        elif isinstance(red, MatrixStuffing):
            stuffing = data
    if stuffing is None:  # pragma: no cover - every conic chain stuffs matrices
        raise CertificateError("cvxpy chain without matrix stuffing: cannot certify")
    offset = float(np.asarray(inv[-1].inverse_data["offset"]).item())
    return stuffing.var_offsets, stuffing.var_shapes, origin, offset


def _xbound(problem: Any, chain: Any, inv: Any, var_bound: Any, n: int) -> tuple[np.ndarray, float]:
    """Bound on |x_i| for each conic variable entry (nan: auxiliary, no bound)."""
    offsets, shapes, origin, offset = _conic_inverse(problem, chain, inv)
    xb = np.full(n, np.nan)
    for vid, off in offsets.items():
        if vid not in origin:
            continue
        b = _dict_bound(var_bound, origin[vid]) if isinstance(var_bound, Mapping) else var_bound
        if b is not None:
            xb[off : off + int(np.prod(shapes[vid], dtype=int))] = float(b)
    return xb, offset


def _dict_bound(var_bound: Mapping[Any, float], vid: int | None) -> float | None:
    if vid is None:  # a variable cvxpy rewrote (complex -> real parts)
        raise ValueError("var_bound as a dict needs real variables; give a float bound")
    for k, b in var_bound.items():
        if getattr(k, "id", None) == vid:
            return float(np.max(np.abs(np.asarray(b, dtype=float))))
    return None


def _certify_conic(
    problem: Any, data: Any, chain: Any, inv: Any, z: Any, var_bound: Any, name: str
) -> tuple[float, dict]:
    """Lower bound on the solver's ``min c.x + d`` from the repaired dual (module docstring)."""
    import scipy.sparse as sp

    if isinstance(var_bound, Mapping):
        vals = [np.asarray(v, dtype=float) for v in var_bound.values()]
        bad = [v for v in vals if not np.all(np.isfinite(v)) or np.any(v < 0)]
    else:
        bad = [] if np.isfinite(var_bound) and var_bound >= 0 else [var_bound]
    if bad:
        raise ValueError(f"var_bound must be finite and >= 0, got {bad}")
    if data.get("P") is not None and sp.csc_matrix(data["P"]).nnz:
        raise CertificateError(f"{name}: certification of a quadratic objective is not supported")
    A = sp.csc_matrix(data["A"])
    b, c = np.asarray(data["b"], dtype=float), np.asarray(data["c"], dtype=float)
    xb, offset = _xbound(problem, chain, inv, var_bound, A.shape[1])
    triangle = getattr(chain.reductions[-1], "PSD_TRIANGLE_KIND", None)
    zr, lam_min = _repair(z, data["dims"], triangle)
    r = A.T @ zr + c
    aux = np.isnan(xb)
    if np.any(r[aux] != 0):
        raise CertificateError(
            f"{name}: certification needs a bound on every variable: {int(aux.sum())} conic "
            f"variable entries have no a-priori bound (cvxpy auxiliaries or variables missing "
            f"from var_bound) and a nonzero residual (max {np.max(np.abs(r[aux])):.3g})"
        )
    xb = np.where(aux, 0.0, xb)
    best = cur = _dual_bound(zr, A, b, c, xb, offset) + (0,)
    worth = best[1] > POLISH_ABOVE * max(1.0, abs(best[0])) and not aux.any()
    for k in range(1, POLISH_ROUNDS + 1 if worth else 0):
        # polish: least-norm step onto {A^T z + c = 0}, then back into the cone
        zr = _repair(cur[3] - _least_norm(A.T, cur[2]), data["dims"], triangle)[0]
        prev, cur = best, _dual_bound(zr, A, b, c, xb, offset) + (k,)
        best = cur if cur[0] > best[0] else best
        if best[0] - prev[0] < 0.01 * prev[1]:  # gained < 1% of the residual penalty: stop
            break
    lower, penalty, r, zr, margin, rounds = best
    cert = {"method": "repaired dual", "lambda_min": lam_min, "margin": margin}
    cert["residual_inf"] = float(np.max(np.abs(r), initial=0.0))
    cert["residual_l1"], cert["residual_penalty"] = float(np.abs(r).sum()), penalty
    cert["var_bound_max"] = float(np.max(xb, initial=0.0))
    cert["dual_objective_repaired"] = -float(b @ zr) + offset
    cert["polish_rounds"] = rounds
    return lower, cert


#: Rounds of alternating projection (affine set of the dual, then the cone) tried on the dual
#: point before certifying; the best certificate is kept (round 0: the solver's point). Only
#: when the residual penalty exceeds ``POLISH_ABOVE`` times the bound's scale, and only while a
#: round gains at least 1% of the penalty.
POLISH_ROUNDS = 20
POLISH_ABOVE = 1e-8


def _least_norm(M: Any, r: np.ndarray) -> np.ndarray:
    """Least-norm solution of ``M w = r`` (LSQR)."""
    from scipy.sparse.linalg import lsqr

    return lsqr(M, r, atol=1e-15, btol=1e-15, iter_lim=50)[0]


def _dual_bound(
    zr: np.ndarray, A: Any, b: np.ndarray, c: np.ndarray, xb: np.ndarray, offset: float
) -> tuple:
    """``(lower, penalty, r, z, margin)`` for a dual point ``zr`` inside the cone."""
    r = A.T @ zr + c
    k = int(np.max(np.diff(A.indptr), initial=0)) + 2
    gk, gm = k * _EPS / (1 - k * _EPS), len(b) * _EPS / (1 - len(b) * _EPS)
    penalty = float(np.abs(r) @ xb)
    margin = gk * float((abs(A).T @ np.abs(zr) + np.abs(c)) @ xb)
    margin += gm * float(np.abs(b) @ np.abs(zr))
    margin += 4 * len(xb) * _EPS * (penalty + abs(float(b @ zr)) + abs(offset))
    return -float(b @ zr) + offset - penalty - margin, penalty, r, zr, margin


def _repair(z: np.ndarray, dims: Any, triangle: Any) -> tuple[np.ndarray, float]:
    """Repair a dual point into the (self-dual) cone; also the min eigenvalue before repair."""
    if dims.exp or getattr(dims, "p3d", None) or getattr(dims, "pnd", None):
        raise CertificateError("certification supports zero, nonneg, SOC and PSD cones only")
    zr = np.array(z, dtype=float)
    i = dims.zero
    zr[i : i + dims.nonneg] = np.maximum(zr[i : i + dims.nonneg], 0.0)
    i += dims.nonneg
    lam_min = float("inf")
    for q in dims.soc:
        u = np.linalg.norm(zr[i + 1 : i + q])
        lam_min = min(lam_min, float(zr[i] - u))
        zr[i] = max(zr[i], u * (1 + 4 * q * _EPS))
        i += q
    for n in dims.psd:
        m = n * (n + 1) // 2
        Z = _unpack(zr[i : i + m], n, triangle)
        lam, V = np.linalg.eigh(Z)
        lam_min = min(lam_min, float(lam[0]))
        delta = 8 * (n + 1) * _EPS * float(np.max(np.abs(lam), initial=0.0))
        Zr = (V * np.maximum(lam, 0.0)) @ V.T + delta * np.eye(n)
        zr[i : i + m] = _pack(Zr, triangle)
        i += m
    return zr, (lam_min if np.isfinite(lam_min) else float("nan"))


@functools.lru_cache(maxsize=32)
def _tri_index(n: int, triangle: Any) -> tuple[np.ndarray, np.ndarray]:
    """Row/column indices of the packed triangle: upper column-major (Clarabel) or lower
    column-major (SCS)."""
    from cvxpy.utilities.psd_utils import TriangleKind

    if triangle not in (TriangleKind.UPPER, TriangleKind.LOWER):
        raise CertificateError(f"unknown PSD triangle format {triangle!r}")
    rows, cols = np.triu_indices(n) if triangle == TriangleKind.UPPER else np.tril_indices(n)
    order = np.lexsort((rows, cols))  # column-major
    rows, cols = rows[order], cols[order]
    rows.flags.writeable = cols.flags.writeable = False  # cached: shared between calls
    return rows, cols


def _unpack(v: np.ndarray, n: int, triangle: Any) -> np.ndarray:
    rows, cols = _tri_index(n, triangle)
    Z = np.zeros((n, n))
    Z[rows, cols] = Z[cols, rows] = v * np.where(rows == cols, 1.0, 1.0 / np.sqrt(2.0))
    return Z


def _pack(Z: np.ndarray, triangle: Any) -> np.ndarray:
    rows, cols = _tri_index(Z.shape[0], triangle)
    return Z[rows, cols] * np.where(rows == cols, 1.0, np.sqrt(2.0))


