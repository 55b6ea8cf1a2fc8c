"""l1 distance of a box to the local set (exact LP with certified bounds)."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp
from numpy.typing import ArrayLike

from bellflow.diqkd.bell import local_bound
from bellflow.npa.symmetry import Relabelling, orbits
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


@dataclass
class _Orbits:
    """Orbits of a relabelling group on box entries (``oq``) and local weights (``om``);
    singletons without symmetry. ``Pm`` maps orbit values to weights (indicator)."""

    shape: tuple[int, int, int, int]
    oq: np.ndarray
    om: np.ndarray
    symmetric: bool

    def __post_init__(self) -> None:
        self.wq = np.bincount(self.oq)
        self.wm = np.bincount(self.om)
        n_m = len(self.om)
        self.Pm = sp.csr_matrix((np.ones(n_m), (np.arange(n_m), self.om)))
        self.rep = np.unique(self.oq, return_index=True)[1]

    @classmethod
    def of(cls, shape: tuple, symmetry: Sequence[Relabelling], *boxes: np.ndarray) -> _Orbits:
        oA, oB, mA, mB = shape
        n_q, n_m = oA * oB * mA * mB, oA**mA * oB * mB
        if not symmetry:
            return cls(tuple(shape), np.arange(n_q), np.arange(n_m), False)
        for g in symmetry:
            if g.shape != tuple(shape):
                raise ValueError(f"relabelling of shape {g.shape} for boxes of shape {shape}")
            for b in boxes:
                if np.max(np.abs(g.apply(b) - b)) > 1e-9:
                    raise ValueError("the box is not invariant under the given relabelling")
        lams = _strategies(oA, mA)
        lam_index = {lam: i for i, lam in enumerate(lams)}
        perms_m = []
        for g in symmetry:
            pi = np.empty(n_m, dtype=np.int64)
            for li, lam in enumerate(lams):
                new = [0] * mA
                for x, a in enumerate(lam):
                    new[g.xperm[x]] = g.aperm[x][a]
                lj = lam_index[tuple(new)]
                for ob, y in itertools.product(range(oB), range(mB)):
                    pi[(li * oB + ob) * mB + y] = (lj * oB + g.bperm[y][ob]) * mB + g.yperm[y]
            perms_m.append(pi)
        oq = orbits([g.box_permutation() for g in symmetry], n_q)
        return cls(tuple(shape), oq, orbits(perms_m, n_m), True)

    def average_q(self, v: np.ndarray) -> np.ndarray:
        return np.bincount(self.oq, weights=v) / self.wq

    def reduce_m(self, m: np.ndarray) -> np.ndarray:
        return np.bincount(self.om, weights=m) / self.wm

    def average_m(self, m: np.ndarray) -> np.ndarray:
        return self.reduce_m(m)[self.om] if self.symmetric else m

    def reduce_rows(self, A: sp.csr_matrix) -> sp.csr_matrix:
        return sp.csr_matrix(A)[self.rep]

    def unique_rows(self, C: sp.csr_matrix) -> sp.csr_matrix:
        """Drop duplicate and zero rows (only with symmetry: they repeat along orbits)."""
        if not self.symmetric:
            return C
        C = sp.csr_matrix(C)
        C.sum_duplicates()
        C.eliminate_zeros()
        seen: dict = {}
        for i in range(C.shape[0]):
            lo, hi = C.indptr[i], C.indptr[i + 1]
            key = (C.indices[lo:hi].tobytes(), C.data[lo:hi].tobytes())
            if hi > lo and key not in seen:
                seen[key] = i
        return C[sorted(seen.values())]


def distance_to_local(
    p: np.ndarray,
    *,
    reference: tuple[np.ndarray, np.ndarray] | None = None,
    symmetry: Sequence[Relabelling] = (),
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

    ``symmetry``: relabellings (:class:`bellflow.npa.symmetry.Relabelling`) leaving ``p`` and
    ``p_ref`` invariant (checked to 1e-9; e.g. :func:`bellflow.diqkd.family_symmetry`). The
    local set and the l1 norm are invariant too, so an optimal ``q`` averaged over the group is
    optimal: the LP keeps one weight per orbit of ``(lam, b, y)`` and one ``t`` per orbit of
    ``(a, b, x, y)`` (objective weight the orbit size), about ``|G|`` times fewer of each. The
    certified bounds are evaluated on the full box as without symmetry.
    """
    p = np.asarray(p, dtype=float)
    if p.ndim != 4:
        raise ValueError(f"p must have shape (oA, oB, mA, mB), got {p.shape}")
    shape = p.shape
    oA, oB, mA, mB = shape
    M = _local_map(shape)
    n_lam, n_m = oA**mA, M.shape[1]
    if reference is None:
        p_ref, m_ref = np.zeros(shape), np.zeros(n_m)
    else:
        p_ref = np.asarray(reference[0], dtype=float)
        m_ref = np.asarray(reference[1], dtype=float).reshape(-1)
        if p_ref.shape != shape or m_ref.shape != (n_m,):
            raise ValueError("reference must be (p_ref with p's shape, m_ref of length n_m)")
        if np.max(np.abs(M @ m_ref - p_ref.reshape(-1))) > 1e-12:
            raise ValueError("reference weights m_ref do not reproduce p_ref")
    orb = _Orbits.of(shape, symmetry, p, p_ref)
    m_ref = orb.average_m(m_ref)
    delta = (p - p_ref).reshape(-1)
    scale = float(np.sum(np.abs(delta))) if reference is not None else 1.0
    scale = scale if scale > 0.0 else 1.0
    dims = (n_lam, oB, mB)
    total_rhs = (1.0 - float(np.sum(m_ref.reshape(dims)[:, :, 0]))) / scale
    res = _distance_lp(M, orb, delta / scale, m_ref / scale, dims, total_rhs)
    value = res.value * scale
    # certified upper bound from the primal weights (full size)
    mu = orb.Pm @ res.extra["x"][: orb.Pm.shape[1]]
    upper = _repaired_upper(M, m_ref + scale * mu, m_ref, delta, dims)
    # certified lower bound from the duals (a Bell functional with |c| <= 1)
    u = res.extra["marginals_ub"]
    k = len(orb.wq)
    cvec = np.clip((u[k:] - u[:k])[orb.oq] / orb.wq[orb.oq], -1.0, 1.0)
    lower = -np.inf
    p_ref_flat = p_ref.reshape(-1)
    for sgn in (1.0, -1.0):
        cc = sgn * cvec
        Lc = local_bound(cc.reshape(shape))[0]
        # c.p - L(c) = c.delta + (c.p_ref - L(c)); the bracket is <= 0 when p_ref is local
        lower = max(lower, float(cc @ delta) + (float(cc @ p_ref_flat) - Lc))
    return DistanceResult(value=value, lower=lower, upper=upper, opt=res)


def _distance_lp(
    M: sp.csr_matrix,
    orb: _Orbits,
    dn: np.ndarray,
    mr: np.ndarray,
    dims: tuple[int, int, int],
    total_rhs: float,
) -> OptResult:
    """The (orbit-reduced) LP of :func:`distance_to_local` in the scaled variables ``mu``
    (``m = m_ref + scale mu``, ``mr = m_ref / scale``, bound ``mu >= -mr``), one ``t`` per box
    orbit; ``total_rhs`` is the scaled total weight ``(1 - sum m_ref[lam, b, 0]) / scale``."""
    n_lam, oB, mB = dims
    A = orb.reduce_rows(M @ orb.Pm)
    kq, km = A.shape
    I_q = sp.identity(kq, format="csr")
    A_ub = sp.vstack([sp.hstack([A, -I_q]), sp.hstack([-A, -I_q])], format="csr")
    dbar = orb.average_q(dn)
    b_ub = np.concatenate([dbar, -dbar])
    # consistency: sum_b m[lam, b, y] - sum_b m[lam, b, 0] = 0 (m_ref satisfies it), total = 1
    rows, cols, vals, r = _same_marginal_rows(n_lam, oB, mB)
    n_m = orb.Pm.shape[0]
    C = sp.csr_matrix((vals, (rows, cols)), shape=(r, n_m))
    total = np.zeros((1, n_m))
    total[0, [(li * oB + b) * mB for li in range(n_lam) for b in range(oB)]] = 1.0
    E = sp.vstack([orb.unique_rows(C @ orb.Pm), sp.csr_matrix(total) @ orb.Pm], format="csr")
    A_eq = sp.hstack([E, sp.csr_matrix((E.shape[0], kq))], format="csr")
    b_eq = np.zeros(E.shape[0])
    b_eq[-1] = total_rhs
    bounds = [(-v, None) for v in orb.reduce_m(mr)] + [(0.0, None)] * kq
    c = np.concatenate([np.zeros(km), orb.wq.astype(float)])
    return solve_lp(
        c,
        A_ub=A_ub,
        b_ub=b_ub,
        A_eq=A_eq,
        b_eq=b_eq,
        bounds=bounds,
        name="l1 distance to the local set",
        params={"shape": list(orb.shape), "orbits": [kq, km]},
    )


def _repaired_upper(
    M: sp.csr_matrix, m: np.ndarray, m_ref: np.ndarray, delta: np.ndarray, dims: tuple
) -> float:
    """``||p - q||_1`` for the local box ``q`` of the weights ``m`` clipped to be non-negative
    and made consistent (Bob's total weight per strategy equal over ``y``, total 1)."""
    n_lam, oB, mB = dims
    m = np.clip(m.reshape(n_lam, oB, mB), 0.0, None)
    w = m.sum(axis=1)  # (n_lam, mB)
    wbar = w.mean(axis=1, keepdims=True)
    ratio = np.divide(wbar, w, out=np.ones_like(w), where=w > 0)
    m = m * ratio[:, None, :]
    for li, y in zip(*np.nonzero((w == 0) & (wbar > 0)), strict=True):
        m[li, :, y] = wbar[li, 0] / oB
    m = m / m[:, :, 0].sum()
    return float(np.sum(np.abs(delta - M @ (m.reshape(-1) - m_ref))))


def local_visibility(
    p: ArrayLike, noise: ArrayLike | None = None, *, symmetry: Sequence[Relabelling] = ()
) -> OptResult:
    """Largest ``v`` with ``v p + (1 - v) noise`` local (white noise by default), by LP.

    ``max v`` over local weights ``m[lam, b, y] >= 0`` (the parametrisation of
    :func:`distance_to_local`) with ``M m = v p + (1 - v) noise``, consistent Bob marginals and
    total weight 1; ``v`` in ``[0, 1]``. White noise ``p(a, b|x, y) = 1/(oA oB)`` is local, so
    the LP is feasible. ``1 - v`` is the white-noise robustness of the box's nonlocality:
    ``v = 1`` means the box is local. ``certified`` is the rigorous upper bound of
    :func:`bellflow.optim.solve_lp` (all variables lie in ``[0, 1]``). ``symmetry``:
    relabellings leaving ``p`` and the noise invariant; the LP then keeps one weight per orbit
    and one row per box orbit (exact, as in :func:`distance_to_local`).
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
    orb = _Orbits.of(shape, symmetry, p, n)
    # variables [m per orbit (km), v]: M m - v (p - n) = n, one row per box orbit
    A = orb.reduce_rows(M @ orb.Pm)
    nbar = orb.average_q(n.reshape(-1))
    A_box = sp.hstack([A, sp.csr_matrix((nbar - orb.average_q(p.reshape(-1))).reshape(-1, 1))])
    rows, cols, vals, r = _same_marginal_rows(n_lam, oB, mB)
    C = orb.unique_rows(sp.csr_matrix((vals, (rows, cols)), shape=(r, n_m)) @ orb.Pm)
    A_cons = sp.hstack([C, sp.csr_matrix((C.shape[0], 1))])
    A_eq = sp.vstack([A_box, A_cons], format="csr")
    b_eq = np.concatenate([nbar, np.zeros(C.shape[0])])
    c = np.zeros(A.shape[1] + 1)
    c[-1] = 1.0
    return solve_lp(
        c,
        A_eq=A_eq,
        b_eq=b_eq,
        bounds=[(0.0, 1.0)] * (A.shape[1] + 1),
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
