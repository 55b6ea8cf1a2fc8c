"""NPA hierarchy (Navascues-Pironio-Acin) for bipartite Bell scenarios of any size.

Outer approximations of the quantum set of boxes ``p[a, b, x, y]`` (shape ``(oA, oB, mA, mB)``,
see :mod:`bellflow.boxes`) by a moment matrix that must be positive semidefinite.

Construction (NPA, New J. Phys. 10, 073013 (2008)), in the Collins-Gisin projector basis:

- operators ``E_{a|x}`` for ``a < oA - 1`` (Alice) and ``F_{b|y}`` for ``b < oB - 1`` (Bob); the
  last outcome is eliminated through ``sum_a E_{a|x} = 1``, so no completeness constraint is
  needed;
- rules: ``E_{a|x} E_{a'|x} = delta_{aa'} E_{a|x}`` (orthogonal projectors), Alice's and Bob's
  operators commute;
- monomials ``S`` of the level: ``1`` (words of length <= 1: identity and single operators),
  ``"1+AB"`` (level 1 plus all products ``E F``), ``k`` (all words of length <= k);
- moment matrix ``Gamma_{ij} = <S_i^dagger S_j>``, equal words share one variable. The matrix is
  taken real symmetric (a word and its adjoint share a variable): if a complex Hermitian Gamma is
  feasible, so is its real part, with the same (real) Bell value, so nothing is lost;
- ``Gamma >= 0``, ``Gamma_{11} = 1`` and the box entries in Collins-Gisin form are the moments
  ``<E_{a|x}>, <F_{b|y}>, <E_{a|x} F_{b|y}>``.

The structure (monomials, sparse maps) is cached per ``(shape, level)``, and the cvxpy problems
are cached with parameters per ``(shape, level, kind, number of extra equalities, zero
pattern)``, so repeated solves (bisections, rays, scans) skip the canonicalisation.

Cost: the moment matrix has side 5 / 9 / 13 for CHSH at levels 1 / 1+AB / 2 (milliseconds per
solve), but 95 at level 1+AB for (oA, oB, mA, mB) = (3, 3, 2, 9), where one Clarabel solve
takes about 40 s (dense PSD scaling block), and twice that when the tolerance ladder has to
retry; pass ``tol`` to fix the tolerance of such solves.

Examples
--------
>>> from bellflow.boxes import chsh_coefficients
>>> round(npa_upper_bound(chsh_coefficients(), level=1).value, 6)   # 2 sqrt 2
2.828427
"""

from __future__ import annotations

import functools
import itertools
import warnings
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from bellflow.boxes import check_box, white_noise
from bellflow.optim import OptResult, SolverError, solve_sdp

__all__ = [
    "NPAStructure",
    "npa_structure",
    "npa_upper_bound",
    "npa_membership",
    "npa_visibility",
    "box_to_cg",
    "cg_to_box_map",
    "LEVELS",
    "DEFAULT_TOL",
    "TOL_LADDER",
]

#: Levels understood by name (any positive integer is accepted too).
LEVELS = ("1", "1+AB", "2", "3")

#: Tolerance ladder used when ``tol`` is not given. NPA SDPs are often degenerate at the optimum
#: (rank-deficient moment matrix, no strict complementarity): Clarabel then stalls near 1e-8 and
#: ends "almost solved" (``optimal_inaccurate``) at 1e-9. The solve is then repeated at the next
#: (looser) gap/feasibility tolerance of the ladder, and the tolerance that finally gave status
#: ``optimal`` is the one recorded in ``OptResult.tolerances`` (and so in every HDF5 output).
#: Levels 1 and 1+AB start at 1e-9, higher levels at 1e-7 (where 1e-9 never succeeds). If the
#: last rung fails, :class:`~bellflow.optim.SolverError` is raised: an inaccurate status is
#: never returned.
TOL_LADDER = (1e-9, 1e-8, 1e-7, 1e-6)
DEFAULT_TOL = {"1": 1e-9, "1+AB": 1e-9}
HIGH_LEVEL_TOL = 1e-7

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


def _canon(wa, wb) -> Word | None:
    wa, wb = _reduce(wa), _reduce(wb)
    if wa is None or wb is None:
        return None
    return min((wa, wb), (wa[::-1], wb[::-1]))


def _parse_level(level) -> tuple[int, bool]:
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
    def size(self) -> int:
        """Side of the moment matrix."""
        return len(self.monomials)


def _cg_words(oA, oB, mA, mB) -> list[Word]:
    A = [(x, a) for x in range(mA) for a in range(oA - 1)]
    B = [(y, b) for y in range(mB) for b in range(oB - 1)]
    return (
        [((op,), ()) for op in A] + [((), (op,)) for op in B] + [((a,), (b,)) for a in A for b in B]
    )


@functools.lru_cache(maxsize=64)
def npa_structure(shape: tuple[int, int, int, int], level="1+AB") -> NPAStructure:
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
    moments = tuple(sorted(index, key=index.get))
    cg_index = np.array([index[_canon(*w)] for w in _cg_words(oA, oB, mA, mB)], dtype=int)
    return NPAStructure(
        shape=(oA, oB, mA, mB),
        level="1+AB" if ab else str(k),
        monomials=tuple(mons),
        moments=moments,
        F=F,
        cg_index=cg_index,
    )


def box_to_cg(p) -> np.ndarray:
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
def _facial_reduction(shape, level, zeros: tuple) -> tuple[np.ndarray, np.ndarray, tuple]:
    """Facial reduction for zero probabilities ``p(ab|xy) = 0``.

    A zero probability means ``s^T Gamma s = 0`` for the monomial expansion ``s`` of
    ``Pi_{a|x} Pi_{b|y}``, hence ``Gamma s = 0`` (Gamma is PSD). Then Gamma >= 0 iff
    ``V^T Gamma V >= 0`` with ``V`` an orthonormal basis of the complement of the ``s`` vectors,
    together with the linear constraints ``Gamma s = 0``. This removes the missing strict
    feasibility that makes interior-point solvers stall on Hardy-type problems.

    Returns ``(V, R, rest)``: ``R m = 0`` are the independent linear constraints, ``rest`` the
    zeros whose expansion needs monomials absent at this level (kept as plain equalities).
    """
    st = npa_structure(shape, level)
    n, K = st.size, len(st.moments)
    S, rest = [], []
    for z in zeros:
        s = _projector_expansion(st, *z)
        if s is None:
            rest.append(z)
        else:
            S.append(s)
    if not S:
        return np.eye(n), np.zeros((0, K)), tuple(rest)
    S = np.array(S).T  # (n, k)
    U, sv, _ = np.linalg.svd(S)
    r = int((sv > 1e-12 * sv.max()).sum())
    V = U[:, r:]
    F3 = st.F.toarray().reshape(n, n, K)
    M = np.einsum("rjk,ji->irk", F3, S).reshape(-1, K)
    _, sv2, Vt = np.linalg.svd(M, full_matrices=False)
    r2 = int((sv2 > 1e-12 * sv2.max()).sum())
    return V, Vt[:r2], tuple(rest)


@functools.lru_cache(maxsize=128)
def _problem(shape, level, kind: str, n_eq: int, zeros: tuple = ()):
    """Parametrised cvxpy problem (cached). kind: 'bound', 'visibility' or 'membership'."""
    import cvxpy as cp

    st = npa_structure(shape, level)
    K = len(st.moments)
    n = st.size
    m = cp.Variable(K)
    G = cp.reshape(st.F @ m, (n, n), order="C")
    cg = m[st.cg_index]
    ncg = len(st.cg_index)
    cons = [m[0] == 1]
    if zeros:
        V, R, _ = _facial_reduction(shape, level, zeros)
        Gr = V.T @ G @ V
        cons += [(Gr + Gr.T) / 2 >> 0]
        if R.shape[0]:
            cons.append(R @ m == 0)
    else:
        cons.append(G >> 0)
    par = {}
    if kind == "bound":
        par["c"] = cp.Parameter(ncg)
        par["c0"] = cp.Parameter()
        obj = cp.Maximize(par["c"] @ cg + par["c0"])
        if n_eq:
            par["E"] = cp.Parameter((n_eq, ncg))
            par["e"] = cp.Parameter(n_eq)
            cons.append(par["E"] @ cg == par["e"])
    elif kind in ("visibility", "membership"):
        v = cp.Variable()
        par["d"] = cp.Parameter(ncg)  # cg(p) - cg(noise)
        par["n"] = cp.Parameter(ncg)  # cg(noise)
        cons.append(cg == v * par["d"] + par["n"])
        if kind == "membership":
            cons.append(v <= 1)
        obj = cp.Maximize(v)
    else:  # pragma: no cover
        raise ValueError(kind)
    return cp.Problem(obj, cons), par, m


def _unit(shape, z) -> np.ndarray:
    c = np.zeros(shape)
    c[z] = 1.0
    return c


def _split_zero_equalities(equalities, shape) -> tuple[tuple, list]:
    """Split ``(c, v)`` pairs into zero probabilities (``v == 0``, ``c >= 0``: every entry with
    ``c > 0`` is a zero probability) and general equalities."""
    zeros: set = set()
    general = []
    for ck, vk in equalities:
        ck = np.asarray(ck, dtype=float)
        if ck.shape != tuple(shape):
            raise ValueError(f"equality coefficients must have shape {shape}, got {ck.shape}")
        if float(vk) == 0.0 and ck.min() >= 0 and ck.max() > 0:
            zeros.update(tuple(int(i) for i in z) for z in zip(*np.nonzero(ck > 0), strict=True))
        else:
            general.append((ck, float(vk)))
    return tuple(sorted(zeros)), general


def npa_upper_bound(
    coeffs,
    level="1+AB",
    *,
    solver: str = "CLARABEL",
    equalities: Sequence[tuple[np.ndarray, float]] = (),
    tol: float | None = None,
) -> OptResult:
    """Upper bound on ``max_{p in Q} sum c[a,b,x,y] p[a,b,x,y]`` from NPA ``level``.

    Parameters
    ----------
    coeffs:
        Bell expression, shape ``(oA, oB, mA, mB)``.
    level:
        ``1``, ``"1+AB"``, ``2``, ... (see module docstring).
    solver:
        ``"CLARABEL"`` (default) or ``"SCS"``.
    equalities:
        Extra linear constraints ``sum c_k p = v_k`` as ``(c_k, v_k)`` pairs, e.g. Hardy's zero
        conditions. A pair with ``v_k = 0`` and ``c_k >= 0`` says that the probabilities where
        ``c_k > 0`` vanish; these are imposed by facial reduction of the moment matrix (see
        :func:`_facial_reduction`) when the level contains the monomials they need, which keeps
        the SDP strictly feasible.
    tol:
        Solver gap/feasibility tolerance. ``None`` (default): the ladder :data:`TOL_LADDER`;
        the tolerance used is in ``OptResult.tolerances``.

    Returns
    -------
    OptResult
        ``value`` is the primal optimum (an upper bound up to solver tolerance); ``dual`` the
        dual objective; ``extra["moments"]`` the optimal moment vector.

    Examples
    --------
    >>> import numpy as np
    >>> c = np.zeros((2, 2, 2, 2)); c[0, 0, 0, 0] = 1.0        # Hardy success p(00|00)
    >>> zeros = []
    >>> for idx in [(0, 0, 0, 1), (0, 0, 1, 0), (1, 1, 1, 1)]:
    ...     z = np.zeros((2, 2, 2, 2)); z[idx] = 1.0; zeros.append((z, 0.0))
    >>> round(npa_upper_bound(c, "1+AB", equalities=zeros).value, 6)   # (5 sqrt 5 - 11)/2
    0.09017
    """
    c = np.asarray(coeffs, dtype=float)
    if c.ndim != 4:
        raise ValueError(f"coeffs must have shape (oA, oB, mA, mB), got {c.shape}")
    shape = tuple(int(s) for s in c.shape)
    st = npa_structure(shape, level)
    T, t0 = cg_to_box_map(shape)
    zeros, general = _split_zero_equalities(equalities, shape)
    _, _, rest = _facial_reduction(shape, st.level, zeros) if zeros else (None, None, ())
    general += [(_unit(shape, z), 0.0) for z in rest]
    prob, par, m = _problem(shape, st.level, "bound", len(general), zeros)
    par["c"].value = T.T @ c.reshape(-1)
    par["c0"].value = float(c.reshape(-1) @ t0)
    if general:
        E = np.array([T.T @ np.asarray(ck, dtype=float).reshape(-1) for ck, _ in general])
        e = np.array(
            [float(vk) - np.asarray(ck, dtype=float).reshape(-1) @ t0 for ck, vk in general]
        )
        par["E"].value = E
        par["e"].value = e
    res = _solve(
        prob,
        name=f"NPA level {st.level} upper bound",
        params={"shape": shape, "level": st.level, "zeros": zeros, "n_equalities": len(general)},
        level=st.level,
        solver=solver,
        tol=tol,
    )
    res.extra["moments"] = np.asarray(m.value)
    res.extra["level"] = st.level
    return res


def _solve(prob, *, name: str, params: dict, level: str, solver: str, tol: float | None):
    """solve_sdp over the tolerance ladder (see :data:`TOL_LADDER`), or at ``tol`` exactly."""
    if solver.upper() not in ("CLARABEL", "SCS"):
        raise ValueError(f"solver must be 'CLARABEL' or 'SCS', got {solver!r}")
    if tol is not None:
        if not 0 < float(tol) < 1:
            raise ValueError(f"tol must lie in (0, 1), got {tol!r}")
        ladder: tuple[float, ...] = (float(tol),)
    else:
        start = DEFAULT_TOL.get(level, HIGH_LEVEL_TOL)
        ladder = tuple(t for t in TOL_LADDER if t >= start)
    last: SolverError | None = None
    for t in ladder:
        kw = (
            {"tol_gap_abs": t, "tol_gap_rel": t, "tol_feas": t}
            if solver.upper() == "CLARABEL"
            else {"eps": t}
        )
        try:
            with warnings.catch_warnings():
                warnings.filterwarnings("ignore", message="Solution may be inaccurate")
                return solve_sdp(prob, name=name, params=params, solver=solver, **kw)
        except SolverError as exc:
            last = exc
            if "optimal_inaccurate" not in str(exc):
                break  # infeasible/unbounded/crash: a looser tolerance will not help
    assert last is not None
    raise last


def _visibility(p, level, noise, solver, kind, tol) -> OptResult:
    p = np.asarray(p, dtype=float)
    if p.ndim != 4:
        raise ValueError(f"p must be a single box of shape (oA, oB, mA, mB), got {p.shape}")
    check_box(p)
    shape = tuple(int(s) for s in p.shape)
    noise = white_noise(*shape) if noise is None else np.asarray(noise, dtype=float)
    check_box(noise)
    st = npa_structure(shape, level)
    prob, par, m = _problem(shape, st.level, kind, 0)
    cn = box_to_cg(noise)
    par["d"].value = box_to_cg(p) - cn
    par["n"].value = cn
    res = _solve(
        prob,
        name=f"NPA level {st.level} {kind}",
        params={"shape": shape, "level": st.level},
        level=st.level,
        solver=solver,
        tol=tol,
    )
    res.extra["moments"] = np.asarray(m.value)
    res.extra["level"] = st.level
    return res


def npa_membership(
    p, level="1+AB", *, noise=None, solver: str = "CLARABEL", atol: float = 1e-7, tol=None
) -> OptResult:
    """NPA membership of a box: ``max v in [0, 1]`` with ``v p + (1 - v) noise`` in the NPA set.

    ``noise`` defaults to the uniform box (interior of the quantum set), so the SDP is always
    feasible. The box passes level ``level`` iff ``value == 1`` up to the solver tolerance:
    ``extra["member"]`` is ``value >= 1 - atol``.
    """
    res = _visibility(p, level, noise, solver, "membership", tol)
    res.extra["member"] = bool(res.value >= 1.0 - atol)
    return res


def npa_visibility(p, level="1+AB", *, noise=None, solver: str = "CLARABEL", tol=None) -> OptResult:
    """Largest ``v`` with ``v p + (1 - v) noise`` in the NPA set of ``level`` (uncapped).

    With ``p`` the PR box and white noise this is the quantum threshold of the isotropic family;
    with ``p = noise + d`` it is the distance (in units of ``d``) from the noise to the boundary
    along the ray ``d``. Raises :class:`~bellflow.optim.SolverError` when unbounded
    (``p == noise``).
    """
    return _visibility(p, level, noise, solver, "visibility", tol)
