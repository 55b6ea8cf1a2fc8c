"""l1 distance of a box to the local set (exact LP with certified bounds)."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp
from numpy.typing import ArrayLike

from bellflow.diqkd.bell import local_bound
from bellflow.optim import OptResult, solve_lp


# --------------------------------------------------------------------------------------------
# distance to the local set
# --------------------------------------------------------------------------------------------
def l1_distance(p: np.ndarray, q: np.ndarray) -> float:
    """``||p - q||_1 = sum_{abxy} |p - q|`` (the norm used for every distance here)."""
    p, q = np.asarray(p), np.asarray(q)
    if p.shape != q.shape:
        raise ValueError(f"p shape {p.shape} does not match q shape {q.shape}")
    return float(np.sum(np.abs(p - q)))


def _strategies(oA: int, mA: int) -> list[tuple[int, ...]]:
    return list(itertools.product(range(oA), repeat=mA))


def _local_map(shape: tuple[int, int, int, int]) -> sp.csr_matrix:
    """Sparse map ``m[lam, b, y] -> q[a, b, x, y] = sum_{lam: lam_x = a} m[lam, b, y]``."""
    oA, oB, mA, mB = shape
    lams = _strategies(oA, mA)
    rows, cols = [], []
    for li, lam in enumerate(lams):
        for b in range(oB):
            for y in range(mB):
                col = (li * oB + b) * mB + y
                for x, a in enumerate(lam):
                    rows.append(((a * oB + b) * mA + x) * mB + y)
                    cols.append(col)
    n_q = oA * oB * mA * mB
    return sp.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(n_q, len(lams) * oB * mB))


def local_decomposition(p0: np.ndarray) -> np.ndarray:
    """Weights ``m[lam, b, y]`` of a box whose Alice settings all measure the same observable.

    For ``p0[a, b, x, y]`` independent of ``x`` (e.g. the family at eps = 0), Alice's outcome is
    one variable shared by all her settings: ``m[(a, ..., a), b, y] = p0[a, b, 0, y]``.
    Raises ValueError if ``p0`` depends on ``x``.
    """
    p0 = np.asarray(p0, dtype=float)
    oA, oB, mA, mB = p0.shape
    if not np.allclose(p0, p0[:, :, :1, :], atol=1e-12):
        raise ValueError("p0 must not depend on Alice's setting x")
    lams = _strategies(oA, mA)
    m = np.zeros((len(lams), oB, mB))
    for a in range(oA):
        m[lams.index((a,) * mA)] = p0[a, :, 0, :]
    return m.reshape(-1)


@dataclass
class DistanceResult:
    """l1 distance of a box to the local set, with certified bounds.

    Attributes
    ----------
    value:
        LP optimum (solver value).
    lower:
        ``c.p - L(c)`` for the Bell functional ``c`` (entries in [-1, 1]) read off the LP duals,
        with ``L(c)`` from :func:`local_bound`: a valid lower bound for any such ``c``.
    upper:
        ``||p - q||_1`` for the local box ``q`` built from the LP primal (weights clipped to be
        non-negative and made consistent): a valid upper bound.
    opt:
        The :class:`~bellflow.optim.OptResult` of the LP.
    """

    value: float
    lower: float
    upper: float
    opt: OptResult = field(repr=False)

    @property
    def certified(self) -> float:
        """Rigorous lower bound (the dual Bell functional with its exact local bound)."""
        return self.lower

    @property
    def achieved(self) -> float:
        """Distance to an explicit local box (a feasible point): an upper bound."""
        return self.upper


def distance_to_local(
    p: np.ndarray, *, reference: tuple[np.ndarray, np.ndarray] | None = None
) -> DistanceResult:
    """Exact l1 distance ``min_{q local} ||p - q||_1`` by LP.

    The local set is written as mixtures over Alice's ``oA**mA`` deterministic strategies
    ``lam`` with Bob's behaviour free per strategy:
    ``q[a, b, x, y] = sum_{lam: lam_x = a} m[lam, b, y]``, ``m >= 0``,
    ``sum_b m[lam, b, y]`` independent of ``y``, total weight 1 (this is the local polytope:
    Bob's part of a local model is any behaviour conditioned on Alice's strategy). LP:
    ``min sum t`` with ``t >= +-(p - q)``.

    For tiny distances the LP is solved in shifted, scaled variables around a reference local
    box ``p_ref`` with known weights ``m_ref`` (``reference=(p_ref, m_ref)``, e.g. the family
    at eps = 0 with :func:`local_decomposition`): ``m = m_ref + scale * mu``, with
    ``scale = ||p - p_ref||_1``, so the solver works with O(1) numbers and the certified bounds
    are computed without cancellation.
    """
    p = np.asarray(p, dtype=float)
    if p.ndim != 4:
        raise ValueError(f"p must have shape (oA, oB, mA, mB), got {p.shape}")
    shape = p.shape
    oA, oB, mA, mB = shape
    M = _local_map(shape)
    n_lam = oA**mA
    n_m = M.shape[1]
    n_q = M.shape[0]
    if reference is None:
        p_ref = np.zeros(shape)
        m_ref = np.zeros(n_m)
    else:
        p_ref = np.asarray(reference[0], dtype=float)
        m_ref = np.asarray(reference[1], dtype=float).reshape(-1)
        if p_ref.shape != shape or m_ref.shape != (n_m,):
            raise ValueError("reference must be (p_ref with p's shape, m_ref of length n_m)")
        if np.max(np.abs(M @ m_ref - p_ref.reshape(-1))) > 1e-12:
            raise ValueError("reference weights m_ref do not reproduce p_ref")
    delta = (p - p_ref).reshape(-1)
    scale = float(np.sum(np.abs(delta))) if reference is not None else 1.0
    if scale == 0.0:
        scale = 1.0
    # variables z = [mu (n_m), t (n_q)]; m = m_ref + scale * mu; q - p_ref = scale * M mu
    dn = delta / scale
    I_q = sp.identity(n_q, format="csr")
    A_ub = sp.vstack([sp.hstack([M, -I_q]), sp.hstack([-M, -I_q])], format="csr")
    b_ub = np.concatenate([dn, -dn])
    # consistency: sum_b m[lam, b, y] - sum_b m[lam, b, 0] = 0 (m_ref satisfies it), total = 1
    rows, cols, vals, r = _same_marginal_rows(n_lam, oB, mB)
    for li in range(n_lam):
        for b in range(oB):
            rows.append(r)
            cols.append((li * oB + b) * mB)
            vals.append(1.0)
    r += 1
    A_eq = sp.csr_matrix((vals, (rows, cols)), shape=(r, n_m + n_q))
    b_eq = np.zeros(r)
    b_eq[-1] = (1.0 - float(np.sum(m_ref.reshape(n_lam, oB, mB)[:, :, 0]))) / scale
    bounds = [(-mr / scale, None) for mr in m_ref] + [(0.0, None)] * n_q
    c = np.concatenate([np.zeros(n_m), np.ones(n_q)])
    res = solve_lp(
        c,
        A_ub=A_ub,
        b_ub=b_ub,
        A_eq=A_eq,
        b_eq=b_eq,
        bounds=bounds,
        name="l1 distance to the local set",
        params={"shape": list(shape), "scale": scale},
    )
    value = res.value * scale
    # certified upper bound from the primal weights
    mu = res.extra["x"][:n_m]
    m = (m_ref + scale * mu).reshape(n_lam, oB, mB)
    m = np.clip(m, 0.0, None)
    w = m.sum(axis=1)  # (n_lam, mB)
    wbar = w.mean(axis=1, keepdims=True)
    ratio = np.divide(wbar, w, out=np.ones_like(w), where=w > 0)
    m = m * ratio[:, None, :]
    for li, y in zip(*np.nonzero((w == 0) & (wbar > 0)), strict=True):
        m[li, :, y] = wbar[li, 0] / oB
    m = m / m[:, :, 0].sum()
    dm = m.reshape(-1) - m_ref
    upper = float(np.sum(np.abs(delta - M @ dm)))
    # certified lower bound from the duals (a Bell functional with |c| <= 1)
    u = res.extra["marginals_ub"]
    cvec = np.clip(u[n_q:] - u[:n_q], -1.0, 1.0)
    lower = -np.inf
    p_ref_flat = p_ref.reshape(-1)
    for sgn in (1.0, -1.0):
        cc = sgn * cvec
        Lc = local_bound(cc.reshape(shape))[0]
        # c.p - L(c) = c.delta + (c.p_ref - L(c)); the bracket is <= 0 when p_ref is local
        lower = max(lower, float(cc @ delta) + (float(cc @ p_ref_flat) - Lc))
    return DistanceResult(value=value, lower=lower, upper=upper, opt=res)


def local_visibility(p: ArrayLike, noise: ArrayLike | None = None) -> OptResult:
    """Largest ``v`` with ``v p + (1 - v) noise`` local (white noise by default), by LP.

    ``max v`` over local weights ``m[lam, b, y] >= 0`` (the parametrisation of
    :func:`distance_to_local`) with ``M m = v p + (1 - v) noise``, consistent Bob marginals and
    total weight 1; ``v`` in ``[0, 1]``. White noise ``p(a, b|x, y) = 1/(oA oB)`` is local, so
    the LP is feasible. ``1 - v`` is the white-noise robustness of the box's nonlocality:
    ``v = 1`` means the box is local. ``certified`` is the rigorous upper bound of
    :func:`bellflow.optim.solve_lp` (all variables lie in ``[0, 1]``).
    """
    p = np.asarray(p, dtype=float)
    if p.ndim != 4 or not np.all(np.isfinite(p)):
        raise ValueError(f"p must be a finite array of shape (oA, oB, mA, mB), got {p.shape}")
    shape = p.shape
    oA, oB, mA, mB = shape
    n = np.full(shape, 1.0 / (oA * oB)) if noise is None else np.asarray(noise, dtype=float)
    if n.shape != shape:
        raise ValueError(f"noise must have shape {shape}, got {n.shape}")
    M = _local_map(shape)
    n_lam, n_m = oA**mA, M.shape[1]
    # variables [m (n_m), v]: M m - v (p - n) = n
    A_box = sp.hstack([M, sp.csr_matrix((n - p).reshape(-1, 1))], format="csr")
    rows, cols, vals, r = _same_marginal_rows(n_lam, oB, mB)
    A_cons = sp.csr_matrix((vals, (rows, cols)), shape=(r, n_m + 1))
    A_eq = sp.vstack([A_box, A_cons], format="csr")
    b_eq = np.concatenate([n.reshape(-1), np.zeros(r)])
    c = np.zeros(n_m + 1)
    c[-1] = 1.0
    return solve_lp(
        c,
        A_eq=A_eq,
        b_eq=b_eq,
        bounds=[(0.0, 1.0)] * (n_m + 1),
        maximize=True,
        name="white-noise visibility of the local set",
        params={"shape": list(shape)},
    )


def _same_marginal_rows(n_lam: int, oB: int, mB: int) -> tuple[list, list, list, int]:
    """COO rows of ``sum_b m[lam, b, y] - sum_b m[lam, b, 0] = 0`` for ``y >= 1`` (Bob's
    response to every hidden variable ``lam`` has one total weight), over the variables
    ``m[(lam * oB + b) * mB + y]``; returns ``(rows, cols, vals, number of rows)``."""
    rows: list[int] = []
    cols: list[int] = []
    vals: list[float] = []
    r = 0
    for li in range(n_lam):
        for y in range(1, mB):
            for b in range(oB):
                rows += [r, r]
                cols += [(li * oB + b) * mB + y, (li * oB + b) * mB]
                vals += [1.0, -1.0]
            r += 1
    return rows, cols, vals, r
