"""Moment-matrix structure of the NPA hierarchy: words, moments, Collins-Gisin maps, facial
reduction for zero probabilities (see :mod:`bellflow.npa` for the construction)."""

from __future__ import annotations

import functools
import itertools
from dataclasses import dataclass
from typing import Any

import numpy as np
import scipy.linalg
import scipy.sparse as sp

__all__ = [
    "NPAStructure",
    "npa_structure",
    "box_to_cg",
    "cg_to_box_map",
    "LEVELS",
]

#: Levels understood by name (any positive integer is accepted too).
LEVELS = ("1", "1+AB", "2", "3")

Word = tuple[tuple[tuple[int, int], ...], tuple[tuple[int, int], ...]]


def _reduce(word: tuple[tuple[int, int], ...]) -> tuple[tuple[int, int], ...] | None:
    """Reduce a one-party word of projectors; ``None`` if it is zero."""
    out: list[tuple[int, int]] = []
    for op in word:
        if out and out[-1][0] == op[0]:
            if out[-1][1] != op[1]:
                return None
            continue
        out.append(op)
    return tuple(out)


def _canon(wa: Any, wb: Any) -> Word | None:
    wa, wb = _reduce(wa), _reduce(wb)
    if wa is None or wb is None:
        return None
    return min((wa, wb), (wa[::-1], wb[::-1]))


def _parse_level(level: Any) -> tuple[int, bool]:
    """(word length, add AB products)."""
    s = str(level).strip().upper().replace(" ", "")
    if s == "1+AB":
        return 1, True
    try:
        k = int(s)
    except ValueError:
        k = 0
    if k < 1:
        raise ValueError(f"level must be a positive integer or '1+AB', got {level!r}")
    return k, False


@dataclass(frozen=True)
class NPAStructure:
    """Cached moment-matrix structure of one scenario and level.

    Attributes
    ----------
    shape:
        ``(oA, oB, mA, mB)``.
    level:
        Normalised level string.
    monomials:
        The words ``S_i`` indexing rows/columns of Gamma.
    moments:
        The distinct moments (canonical words); index 0 is the identity.
    F:
        Sparse ``(n^2, K)`` map: ``vec(Gamma) = F @ m`` (row-major).
    cg_index:
        Indices into ``m`` of the Collins-Gisin coordinates, in the order of :func:`box_to_cg`.
    """

    shape: tuple[int, int, int, int]
    level: str
    monomials: tuple
    moments: tuple
    F: sp.csr_matrix
    cg_index: np.ndarray

    @property
    def size(self: Any) -> int:
        """Side of the moment matrix."""
        return len(self.monomials)


def _cg_words(oA: Any, oB: Any, mA: Any, mB: Any) -> list[Word]:
    A = [(x, a) for x in range(mA) for a in range(oA - 1)]
    B = [(y, b) for y in range(mB) for b in range(oB - 1)]
    return (
        [((op,), ()) for op in A] + [((), (op,)) for op in B] + [((a,), (b,)) for a in A for b in B]
    )


@functools.lru_cache(maxsize=64)
def npa_structure(shape: tuple[int, int, int, int], level: int | str = "1+AB") -> NPAStructure:
    """Moment-matrix structure of NPA ``level`` for boxes of ``shape = (oA, oB, mA, mB)``.

    Cached: calling it again with the same arguments returns the same object.
    """
    oA, oB, mA, mB = (int(v) for v in shape)
    if min(oA, oB) < 2 or min(mA, mB) < 1:
        raise ValueError(f"shape must be (oA>=2, oB>=2, mA>=1, mB>=1), got {shape}")
    k, ab = _parse_level(level)
    A = [(x, a) for x in range(mA) for a in range(oA - 1)]
    B = [(y, b) for y in range(mB) for b in range(oB - 1)]
    mons: list = []
    seen = set()

    def add(wa, wb):
        wa2, wb2 = _reduce(wa), _reduce(wb)
        if wa2 is None or wb2 is None or (wa2, wb2) in seen:
            return
        seen.add((wa2, wb2))
        mons.append((wa2, wb2))

    for length in range(k + 1):
        for i in range(length + 1):
            for wa in itertools.product(A, repeat=i):
                for wb in itertools.product(B, repeat=length - i):
                    add(wa, wb)
    if ab:
        for a in A:
            for b in B:
                add((a,), (b,))
    n = len(mons)
    index: dict[Word, int] = {((), ()): 0}
    rows, cols = [], []
    for i, (ai, bi) in enumerate(mons):
        for j, (aj, bj) in enumerate(mons):
            w = _canon(ai[::-1] + aj, bi[::-1] + bj)
            if w is None:
                continue
            col = index.setdefault(w, len(index))
            rows.append(i * n + j)
            cols.append(col)
    for w in _cg_words(oA, oB, mA, mB):  # level-1 words are always present for level >= 1
        if w not in index:  # pragma: no cover - impossible for level >= 1 with 1+AB/2
            index[w] = len(index)
    F = sp.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(n * n, len(index)))
    moments = tuple(sorted(index, key=lambda w: index[w]))
    cg_words = [_canon(*w) for w in _cg_words(oA, oB, mA, mB)]
    cg_index = np.array([index[w] for w in cg_words if w is not None], dtype=np.int64)
    return NPAStructure(
        shape=(oA, oB, mA, mB),
        level="1+AB" if ab else str(k),
        monomials=tuple(mons),
        moments=moments,
        F=F,
        cg_index=cg_index,
    )


def box_to_cg(p: Any) -> np.ndarray:
    """Collins-Gisin coordinates of a no-signalling box.

    Order: ``pA(a|x)`` (``x`` outer, ``a < oA - 1``), ``pB(b|y)``, then ``p(ab|xy)`` for
    ``(x, a)`` outer and ``(y, b)`` inner, ``a < oA - 1``, ``b < oB - 1``. Marginals are read
    at ``y = 0`` / ``x = 0`` (no-signalling makes the choice irrelevant).
    """
    p = np.asarray(p, dtype=float)
    oA, oB, mA, mB = p.shape[-4:]
    pa = p.sum(axis=-3)[..., :-1, :, 0]  # (..., oA-1, mA)
    pb = p.sum(axis=-4)[..., :-1, 0, :]  # (..., oB-1, mB)
    pab = p[..., :-1, :-1, :, :]  # (..., oA-1, oB-1, mA, mB)
    lead = p.shape[:-4]
    pa = np.moveaxis(pa, -1, -2).reshape(*lead, -1)
    pb = np.moveaxis(pb, -1, -2).reshape(*lead, -1)
    L = len(lead)
    pab = np.transpose(pab, (*range(L), L + 2, L + 0, L + 3, L + 1))
    return np.concatenate([pa, pb, pab.reshape(*lead, -1)], axis=-1)


@functools.lru_cache(maxsize=64)
def cg_to_box_map(shape: tuple[int, int, int, int]) -> tuple[np.ndarray, np.ndarray]:
    """Affine map ``p = T @ cg + t0`` (``p`` flattened C-order) inverse to :func:`box_to_cg`."""
    oA, oB, mA, mB = shape
    nA, nB = (oA - 1) * mA, (oB - 1) * mB
    ncg = nA + nB + nA * nB
    T = np.zeros((oA, oB, mA, mB, ncg))
    t0 = np.zeros((oA, oB, mA, mB))

    def ia(x, a):
        return x * (oA - 1) + a

    def ib(y, b):
        return nA + y * (oB - 1) + b

    def iab(x, a, y, b):
        return nA + nB + ia(x, a) * nB + (y * (oB - 1) + b)

    for x, y in itertools.product(range(mA), range(mB)):
        for a, b in itertools.product(range(oA), range(oB)):
            la, lb = a == oA - 1, b == oB - 1
            if not la and not lb:
                T[a, b, x, y, iab(x, a, y, b)] = 1
            elif not la and lb:  # pA(a|x) - sum_{b'} P(a b')
                T[a, b, x, y, ia(x, a)] = 1
                for bb in range(oB - 1):
                    T[a, b, x, y, iab(x, a, y, bb)] -= 1
            elif la and not lb:
                T[a, b, x, y, ib(y, b)] = 1
                for aa in range(oA - 1):
                    T[a, b, x, y, iab(x, aa, y, b)] -= 1
            else:
                t0[a, b, x, y] = 1
                for aa in range(oA - 1):
                    T[a, b, x, y, ia(x, aa)] -= 1
                for bb in range(oB - 1):
                    T[a, b, x, y, ib(y, bb)] -= 1
                for aa in range(oA - 1):
                    for bb in range(oB - 1):
                        T[a, b, x, y, iab(x, aa, y, bb)] += 1
    return T.reshape(-1, ncg), t0.reshape(-1)


def _projector_expansion(st: NPAStructure, a: int, b: int, x: int, y: int) -> np.ndarray | None:
    """Vector ``s`` over the monomials with ``sum_i s_i S_i = Pi_{a|x} Pi_{b|y}``, or ``None``
    if a needed monomial is absent from the level."""
    oA, oB, _, _ = st.shape
    pos = {w: i for i, w in enumerate(st.monomials)}
    ta = (
        [((((x, a),), 1.0))]
        if a < oA - 1
        else [((), 1.0)] + [(((x, k),), -1.0) for k in range(oA - 1)]
    )
    tb = (
        [((((y, b),), 1.0))]
        if b < oB - 1
        else [((), 1.0)] + [(((y, k),), -1.0) for k in range(oB - 1)]
    )
    s = np.zeros(st.size)
    for (wa, ca), (wb, cb) in itertools.product(ta, tb):
        i = pos.get((wa, wb))
        if i is None:
            return None
        s[i] += ca * cb
    return s


@functools.lru_cache(maxsize=64)
def _facial_reduction(shape: Any, level: Any, zeros: tuple) -> tuple[np.ndarray, np.ndarray, tuple]:
    """Facial reduction for zero probabilities ``p(ab|xy) = 0``.

    A zero probability means ``s^T Gamma s = 0`` for the monomial expansion ``s`` of
    ``Pi_{a|x} Pi_{b|y}``, hence ``Gamma s = 0`` (Gamma is PSD). Then Gamma >= 0 iff
    ``V^T Gamma V >= 0`` with ``V`` an orthonormal basis of the complement of the ``s`` vectors,
    together with the linear constraints ``Gamma s = 0``. This removes the missing strict
    feasibility that makes interior-point solvers stall on Hardy-type problems.

    Returns ``(V, R, rest)``: ``R m = 0`` are independent linear constraints equivalent to
    ``Gamma s = 0`` (rows of the integer matrix of ``Gamma s`` chosen by pivoted QR, so they are
    exact and every quantum moment vector satisfies them exactly: what the certificate of
    :func:`bellflow.optim.solve_sdp` relies on), ``rest`` the zeros whose expansion needs
    monomials absent at this level (kept as plain equalities). With ``Gamma s = 0``,
    ``V^T Gamma V >= 0`` implies ``Gamma >= 0`` for any basis ``V`` with ``[V, s]`` spanning.
    """
    st = npa_structure(shape, level)
    n, K = st.size, len(st.moments)
    cols, rest = [], []
    for z in zeros:
        s = _projector_expansion(st, *z)
        if s is None:
            rest.append(z)
        else:
            cols.append(s)
    if not cols:
        return np.eye(n), np.zeros((0, K)), tuple(rest)
    S = np.array(cols).T  # (n, k)
    U, sv, _ = np.linalg.svd(S)
    r = int((sv > 1e-12 * sv.max()).sum())
    V = U[:, r:]
    # row i of Gamma s_l is sum_j F[i n + j] s_lj: kron(1_n, s_l^T) F, sparse
    M = sp.vstack([sp.kron(sp.eye(n), S[:, [col]].T) @ st.F for col in range(S.shape[1])])
    M = M.toarray()  # (n k, K): small (k zeros)
    if not np.array_equal(M, np.round(M)):  # pragma: no cover - expansions are integer
        raise AssertionError("facial reduction: Gamma s is not an integer map")
    _, R, piv = scipy.linalg.qr(M.T, mode="economic", pivoting=True)
    d = np.abs(np.diag(R))
    r2 = int((d > 1e-9 * d.max()).sum()) if d.size else 0
    return V, M[np.sort(piv[:r2])], tuple(rest)
