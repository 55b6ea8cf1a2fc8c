"""Moment structure of the Brown-Fawzi-Fawzi relaxation: Gauss-Radau nodes, words in Alice's,
Bob's and Eve's letters, the moment matrix map, objective and constraint rows.

Used by :mod:`bellflow.entropy` (see its docstring for the method and conventions).
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import scipy.sparse as sp

Letter = tuple[str, int, int]
Word = tuple[tuple[Letter, ...], tuple[Letter, ...], tuple[Letter, ...]]


# --------------------------------------------------------------------------------------------
# quadrature
# --------------------------------------------------------------------------------------------
def gauss_radau(m: int) -> tuple[np.ndarray, np.ndarray]:
    """``m``-point Gauss-Radau rule on ``[0, 1]`` with the fixed node ``t_m = 1``.

    On ``[-1, 1]`` with the fixed node ``-1``: the free nodes are the roots of the Jacobi
    polynomial ``P_{m-1}^{(0, 1)}`` with weights ``w^J_i / (1 + x_i)``, the fixed node has
    weight ``2 / m^2``. Mapped by ``t = (1 - x) / 2`` (weights halved). Exact for polynomials
    of degree ``2 m - 2``. Returns ``(t, w)`` with ``t`` increasing, ``t[-1] == 1``.

    >>> t, w = gauss_radau(2)
    >>> t, w
    (array([0.33333333, 1.        ]), array([0.75, 0.25]))
    """
    from scipy.special import roots_jacobi

    if isinstance(m, bool) or not isinstance(m, int | np.integer) or m < 2:
        raise ValueError(f"m must be an integer >= 2, got {m!r}")
    x, wj = roots_jacobi(m - 1, 0.0, 1.0)
    t = np.concatenate([(1 - x) / 2, [1.0]])
    w = np.concatenate([wj / (1 + x) / 2, [1.0 / m**2]])
    order = np.argsort(t)
    return t[order], w[order]


# --------------------------------------------------------------------------------------------
# non-commutative words
# --------------------------------------------------------------------------------------------
def _reduce_projectors(letters: tuple[Letter, ...]) -> tuple[Letter, ...] | None:
    """``P^2 = P``, ``P_a P_a' = 0`` for the same setting and ``a != a'``; ``None`` if zero."""
    out: list[Letter] = []
    for lt in letters:
        if out and out[-1][1] == lt[1]:
            if out[-1][2] == lt[2]:
                continue
            return None
        out.append(lt)
    return tuple(out)


def _canon(letters: Sequence[Letter]) -> Word | None:
    """Canonical form: Alice's, Bob's and Eve's letters commute with each other."""
    a = tuple(lt for lt in letters if lt[0] == "A")
    b = tuple(lt for lt in letters if lt[0] == "B")
    z = tuple(lt for lt in letters if lt[0] == "Z")
    ra, rb = _reduce_projectors(a), _reduce_projectors(b)
    if ra is None or rb is None:
        return None
    return (ra, rb, z)


def _adjoint(w: Word) -> Word:
    a, b, z = w
    return (a[::-1], b[::-1], tuple(("Z", lt[1], 1 - lt[2]) for lt in z[::-1]))


def _flat(w: Word) -> tuple[Letter, ...]:
    return w[0] + w[1] + w[2]


def _key(w: Word) -> Word:
    """Real relaxation: ``<w> = <w^*>``, so a moment is labelled by the smaller of the two."""
    return min(w, _adjoint(w))


@dataclass
class MomentStructure:
    """Monomials, moment labels and the sparse map ``moments -> vec(Gamma)``."""

    shape: tuple[int, int, int, int]
    monomials: list[Word]
    keys: list[Word]
    index: dict[Word, int]
    P: sp.csr_matrix  # (n*n, K): vec(Gamma) (row-major) = P @ m
    counts: np.ndarray  # number of entries of Gamma per moment
    cache: dict[Any, Any] = field(default_factory=dict, repr=False, compare=False)

    @property
    def size(self) -> int:
        return len(self.monomials)


def moment_structure(
    shape: tuple[int, int, int, int],
    extra: str = "ABZ",
    eve_degree: int = 1,
    level: str = "2",
) -> MomentStructure:
    """Moment-matrix structure for the BFF relaxation of a Bell scenario of shape
    ``(oA, oB, mA, mB)`` with Eve's letters ``Z_a, Z_a^*`` for each of Alice's ``oA`` outcomes.

    Monomials: all canonical products of at most two letters (NPA level 2 over A, B, Z, Z^*),
    plus ``A B Z`` and ``A B Z^*`` when ``extra`` contains ``"ABZ"``; monomials with more than
    ``eve_degree`` of Eve's letters are left out (``eve_degree=1`` drops ``Z Z`` products: the
    moment matrix for CHSH shrinks from 65 to 49 and every moment then has at most two Eve
    letters, which keeps the certificate's norm factors at ``alpha^2``). ``level="local"``
    keeps only the products of two different parties' letters (``A B``, ``A Z``, ``B Z``: an
    "1 + AB + AE + BE" level), much smaller when Bob has many settings.
    """
    if level not in ("2", "local"):
        raise ValueError(f"level must be '2' or 'local', got {level!r}")
    oA, oB, mA, mB = shape
    LA = [("A", x, a) for x in range(mA) for a in range(oA - 1)]
    LB = [("B", y, b) for y in range(mB) for b in range(oB - 1)]
    LZ = [("Z", a, dg) for a in range(oA) for dg in (0, 1)]
    letters = LA + LB + LZ
    mons: list[Word] = [((), (), ())]
    seen = {mons[0]}

    def add(ls):
        if sum(lt[0] == "Z" for lt in ls) > eve_degree:
            return
        w = _canon(ls)
        if w is not None and w not in seen:
            seen.add(w)
            mons.append(w)

    for lt in letters:
        add((lt,))
    for l1, l2 in itertools.product(letters, repeat=2):
        if level == "local" and l1[0] == l2[0]:
            continue  # only products of different parties' letters: A B, A Z, B Z
        add((l1, l2))
    if "ABZ" in extra:
        for la, lb, lz in itertools.product(LA, LB, LZ):
            add((la, lb, lz))
    n = len(mons)
    adj = [_flat(_adjoint(u)) for u in mons]
    flat = [_flat(u) for u in mons]
    index: dict[Word, int] = {}
    keys: list[Word] = []
    rows, cols = [], []
    for i in range(n):
        for j in range(n):
            w = _canon(adj[i] + flat[j])
            if w is None:
                continue
            k = _key(w)
            if k not in index:
                index[k] = len(keys)
                keys.append(k)
            rows.append(i * n + j)
            cols.append(index[k])
    P = sp.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(n * n, len(keys)))
    counts = np.asarray(P.sum(axis=0)).ravel()
    oA, oB, mA, mB = (int(s) for s in shape)
    return MomentStructure((oA, oB, mA, mB), mons, keys, index, P, counts)


def _word(*letters: Letter) -> Word:
    w = _canon(letters)
    assert w is not None
    return _key(w)


def _proj_expansion(party: str, setting: int, outcome: int, n_out: int) -> list[tuple]:
    """Projector of ``outcome`` as ``[(coefficient, letters)]`` (last outcome = 1 - others)."""
    if outcome < n_out - 1:
        return [(1.0, ((party, setting, outcome),))]
    return [(1.0, ())] + [(-1.0, ((party, setting, a),)) for a in range(n_out - 1)]


def _add(vec: np.ndarray, ms: MomentStructure, coef: float, letters: Sequence[Letter]) -> None:
    w = _canon(letters)
    if w is None:
        return
    k = _key(w)
    if k not in ms.index:
        raise ValueError(f"moment {k} is not in the relaxation")
    vec[ms.index[k]] += coef


def _box_functional(ms: MomentStructure, coeffs: np.ndarray) -> np.ndarray:
    """Row ``e`` with ``e.m = sum coeffs[a,b,x,y] p(a,b|x,y)`` in Collins-Gisin moments."""
    oA, oB, mA, mB = ms.shape
    e = np.zeros(len(ms.keys))
    for a, b, x, y in itertools.product(range(oA), range(oB), range(mA), range(mB)):
        c = coeffs[a, b, x, y]
        if c == 0:
            continue
        for ca, la in _proj_expansion("A", x, a, oA):
            for cb, lb in _proj_expansion("B", y, b, oB):
                _add(e, ms, c * ca * cb, la + lb)
    return e


def _node_objective(ms: MomentStructure, t: float, key_setting: int) -> np.ndarray:
    """``sum_a <M_a (Z_a + Z_a^* + (1 - t) Z_a^* Z_a)> + t <Z_a Z_a^*>`` (BFF Eq. 12)."""
    oA = ms.shape[0]
    c = np.zeros(len(ms.keys))
    for a in range(oA):
        z, zs = ("Z", a, 0), ("Z", a, 1)
        for cm, lm in _proj_expansion("A", key_setting, a, oA):
            _add(c, ms, cm, lm + (z,))
            _add(c, ms, cm, lm + (zs,))
            _add(c, ms, cm * (1 - t), lm + (zs, z))
        _add(c, ms, t, (z, zs))
    return c


def _norm_rows(ms: MomentStructure, alpha: float) -> tuple[np.ndarray, np.ndarray]:
    """Rows ``<u^* u> <= alpha^(2 j)`` for the monomials ``u`` with ``j >= 1`` Eve letters."""
    rows: dict[int, float] = {}
    for u in ms.monomials:
        j = len(u[2])
        if j == 0:
            continue
        w = _canon(_flat(_adjoint(u)) + _flat(u))
        assert w is not None  # u^* u never vanishes
        rows[ms.index[_key(w)]] = alpha ** (2 * j)
    H = np.zeros((len(rows), len(ms.keys)))
    for i, k in enumerate(rows):
        H[i, k] = 1.0
    return H, np.array(list(rows.values()))


def _norm_bounds(ms: MomentStructure, alpha: float) -> np.ndarray:
    return np.array([alpha ** len(k[2]) for k in ms.keys])
