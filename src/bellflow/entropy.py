"""Device-independent lower bounds on H(A|E) by the Brown-Fawzi-Fawzi (BFF) method.

P. Brown, H. Fawzi, O. Fawzi, "Device-independent lower bounds on the conditional von Neumann
entropy", arXiv:2106.13692 (Quantum 8, 1445 (2024)). With the ``m``-point Gauss-Radau rule on
``[0, 1]`` whose fixed node is ``t_m = 1`` (nodes ``t_i``, weights ``w_i``),

``H(A|E) >= c_m + sum_{i=1}^{m-1} w_i / (t_i ln 2) * inf sum_a <psi| M_a (Z_{a,i} + Z_{a,i}^*
+ (1 - t_i) Z_{a,i}^* Z_{a,i}) + t_i Z_{a,i} Z_{a,i}^* |psi>``,  ``c_m = sum_{i=1}^{m-1}
w_i / (t_i ln 2)``

(BFF Eq. (12) / Theorem 2.3; the Radau endpoint ``t_m = 1`` contributes nothing and is dropped,
and ``c_m`` sums over the first ``m - 1`` nodes only). ``M_a`` are Alice's key projectors, the
``Z_{a,i}`` are arbitrary (non-Hermitian) operators of Eve commuting with Alice's and Bob's, and
the infimum runs over all states and measurements reproducing the observed statistics. Each
node's infimum is relaxed to an NPA-type moment SDP (level 2 in all letters plus the products
``A B Z`` and ``A B Z^*``), solved separately per node (the sum of the nodes' infima is below the
infimum of the sum, so this is still a lower bound).

Certified values
----------------
Clarabel ends these SDPs "almost solved" and its value can sit slightly above the true optimum.
A raw value is therefore never reported as the bound. From the solver's dual matrix ``X`` (made
exactly PSD by clipping its negative eigenvalues) and multipliers ``y`` of the equality
constraints ``E m = f`` (``m``: moments, ``c``: objective), every genuine quantum realisation
satisfies ``c.m = y.f + <X, Gamma(m)> + r.m >= y.f - sum_k |r_k| ||w_k||`` with the residual
``r = c - E^T y - (<X, F_k>)_k`` and ``||w_k||`` a bound on the operator norm of the word of
moment ``k``: 1 for projectors and ``alpha_i = 3/2 max(1/t_i, 1/(1 - t_i))`` for each Z letter
(BFF show that restricting ``||Z_{a,i}|| <= alpha_i`` leaves the infimum unchanged). The
multipliers of moments fixed by the statistics are chosen to make their residual exactly zero.
This certified value, not the solver value, is what :func:`bff_entropy` returns.

Conventions: boxes ``p[a, b, x, y]``; Alice's and Bob's measurements are projective (no loss of
generality in the device-independent setting) and written in the Collins-Gisin form with the
projectors of the first ``o - 1`` outcomes; the moment matrix is real symmetric (the problem
is invariant under complex conjugation, so real moments lose nothing).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import scipy.sparse as sp

from bellflow.optim import OptResult, solve_sdp

__all__ = [
    "gauss_radau",
    "bff_node_bound",
    "NodeBound",
    "EntropyBound",
    "bff_entropy",
    "moment_structure",
]

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


def _canon(letters) -> Word | None:
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
    return MomentStructure(tuple(shape), mons, keys, index, P, counts)


def _word(*letters) -> Word:
    w = _canon(letters)
    assert w is not None
    return _key(w)


def _proj_expansion(party: str, setting: int, outcome: int, n_out: int) -> list[tuple]:
    """Projector of ``outcome`` as ``[(coefficient, letters)]`` (last outcome = 1 - others)."""
    if outcome < n_out - 1:
        return [(1.0, ((party, setting, outcome),))]
    return [(1.0, ())] + [(-1.0, ((party, setting, a),)) for a in range(n_out - 1)]


def _add(vec: np.ndarray, ms: MomentStructure, coef: float, letters) -> None:
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
        rows[ms.index[_key(w)]] = alpha ** (2 * j)
    H = np.zeros((len(rows), len(ms.keys)))
    for i, k in enumerate(rows):
        H[i, k] = 1.0
    return H, np.array(list(rows.values()))


def _norm_bounds(ms: MomentStructure, alpha: float) -> np.ndarray:
    return np.array([alpha ** len(k[2]) for k in ms.keys])


def _certify(ms, c, E, f, unit, H, beta, X, y_cvx, mu_cvx, alpha) -> tuple[float, float]:
    """Certified lower bound ``y.f - mu.beta - penalty`` from an approximate dual.

    For every genuine realisation (moments ``m``, ``Gamma(m) >= 0``, ``E m = f``,
    ``H m <= beta``) and any ``y``, ``mu >= 0``, ``X >= 0``:
    ``c.m >= y.f - mu.beta + r.m`` with ``r = c - E^T y + H^T mu - (<X, F_k>)_k``, and
    ``|m_k| <= ||w_k||``, so ``c.m >= y.f - mu.beta - sum_k |r_k| ||w_k||``. ``X`` is the
    solver's dual matrix with negative eigenvalues clipped; the multipliers of rows fixing a
    single moment are chosen to zero its residual; both signs of the solver's ``y`` are tried
    (each gives a valid bound, so cvxpy's sign convention cannot make it invalid).
    """
    nb = _norm_bounds(ms, alpha)
    lam, V = np.linalg.eigh(X)
    Xp = (V * np.clip(lam, 0.0, None)) @ V.T
    Xf = ms.P.T @ Xp.reshape(-1)  # <X_+, F_k>
    mu = np.clip(np.asarray(mu_cvx, dtype=float).reshape(-1), 0.0, None)
    unit_cols = [int(np.flatnonzero(E[i])[0]) for i in range(len(f)) if unit[i]]
    y_cvx = np.asarray(y_cvx, dtype=float).reshape(-1)
    best, pen_best = -np.inf, np.nan
    for sgn in (1.0, -1.0):
        y = sgn * y_cvx.copy()
        y[unit] = 0.0
        g = c - E.T @ y + H.T @ mu - Xf
        y[unit] = g[unit_cols]
        r = c - E.T @ y + H.T @ mu - Xf
        r[unit_cols] = 0.0
        pen = float(np.sum(np.abs(r) * nb))
        val = float(y @ f) - float(mu @ beta) - pen
        if val > best:
            best, pen_best = val, pen
    return best, pen_best


# --------------------------------------------------------------------------------------------
# one node
# --------------------------------------------------------------------------------------------
@dataclass
class NodeBound:
    """Certified lower bound on one node's infimum (see the module docstring)."""

    t: float
    certified: float
    solver_value: float
    residual_penalty: float
    opt: OptResult = field(repr=False)


def _constraints(ms: MomentStructure, p, functionals) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Equality rows ``E m = f`` and a mask of rows that fix a single moment."""
    rows, rhs, unit = [], [], []
    e1 = np.zeros(len(ms.keys))
    e1[ms.index[((), (), ())]] = 1.0
    rows.append(e1)
    rhs.append(1.0)
    unit.append(True)
    oA, oB, mA, mB = ms.shape
    if p is not None:
        p = np.asarray(p, dtype=float)
        if p.shape != ms.shape:
            raise ValueError(f"p must have shape {ms.shape}, got {p.shape}")
        pA = p.sum(axis=1)[:, :, 0]  # (a, x)
        pB = p.sum(axis=0)[:, 0, :]  # (b, y)
        fixed: dict[Word, float] = {}
        for x, a in itertools.product(range(mA), range(oA - 1)):
            fixed[_word(("A", x, a))] = pA[a, x]
        for y, b in itertools.product(range(mB), range(oB - 1)):
            fixed[_word(("B", y, b))] = pB[b, y]
        for x, a, y, b in itertools.product(range(mA), range(oA - 1), range(mB), range(oB - 1)):
            fixed[_word(("A", x, a), ("B", y, b))] = p[a, b, x, y]
        for w, val in fixed.items():
            e = np.zeros(len(ms.keys))
            e[ms.index[w]] = 1.0
            rows.append(e)
            rhs.append(float(val))
            unit.append(True)
    for coeffs, value in functionals or ():
        coeffs = np.asarray(coeffs, dtype=float)
        if coeffs.shape != ms.shape:
            raise ValueError(f"functional coefficients must have shape {ms.shape}")
        rows.append(_box_functional(ms, coeffs))
        rhs.append(float(value))
        unit.append(False)
    return np.array(rows), np.array(rhs), np.array(unit)


def bff_node_bound(
    ms: MomentStructure,
    t: float,
    *,
    p: np.ndarray | None = None,
    functionals: list[tuple[np.ndarray, float]] | None = None,
    key_setting: int = 0,
    eve_scale: float | None = None,
    diag_cap: float | None = None,
    solver_opts: dict[str, Any] | None = None,
) -> NodeBound:
    """Certified lower bound on the node-``t`` infimum of BFF Eq. (12) over the relaxation.

    Constraints: the full box ``p`` (all Collins-Gisin moments fixed) and/or linear functionals
    ``[(coeffs, value)]`` meaning ``sum coeffs * p == value``. The SDP is solved with Clarabel
    through :func:`bellflow.optim.solve_sdp` (``optimal_inaccurate`` accepted and recorded; any
    other status raises :class:`~bellflow.optim.SolverError`); the returned ``certified`` value
    is the dual bound corrected for residuals, valid whatever the solver's accuracy.
    """
    import cvxpy as cp

    if not 0.0 < t < 1.0:
        raise ValueError(f"t must lie in (0, 1), got {t!r}")
    if p is None and not functionals:
        raise ValueError("give the box p and/or functionals to constrain the relaxation")
    E, f, unit = _constraints(ms, p, functionals)
    alpha = 1.5 * max(1.0 / t, 1.0 / (1.0 - t))
    c = _node_objective(ms, t, key_setting)
    # Z = kappa Z~: moments of words with j Eve letters scale as kappa^j, the moment-matrix
    # structure is unchanged, and the norm bound of each Eve letter becomes alpha / kappa
    kappa = float(eve_scale) if eve_scale is not None else 1.0
    c = c * _norm_bounds(ms, kappa)
    alpha_cert = alpha / kappa
    n, K = ms.size, len(ms.keys)
    m = cp.Variable(K)
    gamma = cp.reshape(ms.P @ m, (n, n), order="C")
    psd = gamma >> 0
    eq = E @ m == f
    # Optional norm rows ||Z|| <= alpha (BFF): <u^* u> <= min(||u||^2, diag_cap) for monomials
    # with Eve letters, which make the relaxation compact (the moments of
    # (1 - M_a) Z_a^* Z_a are otherwise free, the dual then has no interior point and Clarabel
    # stalls at "almost solved"). The certificate charges their multipliers with the true
    # bounds ||u||^2, so it is valid with any cap. Off by default: in our tests the capped
    # solves did not certify better and sometimes ended in NumericalError.
    H, beta = _norm_rows(ms, alpha / kappa)
    cons = [psd, eq]
    if diag_cap is not None:
        ineq = H @ m <= np.minimum(beta, diag_cap)
        cons.append(ineq)
    prob = cp.Problem(cp.Minimize(c @ m), cons)
    params = {"t": float(t), "size": n, "moments": K, "eve_scale": kappa}
    res = solve_sdp(
        prob,
        name="BFF node SDP",
        params=params,
        accept_inaccurate=True,
        **(solver_opts or {}),
    )
    # --- certificate -------------------------------------------------------------------
    X = np.asarray(psd.dual_value, dtype=float)
    X = (X + X.T) / 2
    best, pen_best = _certify(
        ms,
        c,
        E,
        f,
        unit,
        H,
        beta,
        X,
        eq.dual_value,
        ineq.dual_value if diag_cap is not None else np.zeros(len(beta)),
        alpha_cert,
    )
    return NodeBound(
        t=float(t), certified=best, solver_value=res.value, residual_penalty=pen_best, opt=res
    )


# --------------------------------------------------------------------------------------------
# the entropy bound
# --------------------------------------------------------------------------------------------
@dataclass
class EntropyBound:
    """BFF lower bound on H(A|E) in bits.

    ``value`` is certified (sum of certified node bounds); ``solver_value`` uses the raw solver
    values instead (for comparison only, it is not a bound). ``statuses`` lists each node's
    solver status.
    """

    value: float
    solver_value: float
    m: int
    nodes: list[NodeBound] = field(repr=False)

    @property
    def statuses(self) -> list[str]:
        return [nd.opt.status for nd in self.nodes]


def bff_entropy(
    m: int,
    *,
    p: np.ndarray | None = None,
    functionals: list[tuple[np.ndarray, float]] | None = None,
    shape: tuple[int, int, int, int] | None = None,
    key_setting: int = 0,
    extra: str = "ABZ",
    eve_degree: int = 1,
    level: str = "2",
    eve_scale: float | None = None,
    solver_opts: dict[str, Any] | None = None,
) -> EntropyBound:
    """BFF lower bound on ``H(A|E)`` for Alice's setting ``key_setting`` (bits).

    Parameters
    ----------
    m:
        Number of Gauss-Radau nodes (``m - 1`` SDPs are solved).
    p, functionals:
        The observed box (all its Collins-Gisin moments are imposed) and/or a list of
        ``(coeffs, value)`` Bell-functional constraints ``sum coeffs * p == value``.
    shape:
        Scenario ``(oA, oB, mA, mB)``; taken from ``p`` (or the functionals) when omitted.

    Examples
    --------
    A lower bound on H(A|E) for the maximal CHSH box with 4 quadrature nodes (seconds)::

        from bellflow.diqkd import chsh_box
        bff_entropy(4, p=chsh_box(1.0)[:, :, :, :2]).value
    """
    if shape is None:
        if p is not None:
            shape = np.shape(p)
        elif functionals:
            shape = np.shape(functionals[0][0])
        else:
            raise ValueError("give p, functionals or shape")
    if len(shape) != 4:
        raise ValueError(f"shape must be (oA, oB, mA, mB), got {shape}")
    if not 0 <= key_setting < shape[2]:
        raise ValueError(f"key_setting must lie in [0, {shape[2]}), got {key_setting}")
    ms = moment_structure(
        tuple(int(s) for s in shape), extra=extra, eve_degree=eve_degree, level=level
    )
    t, w = gauss_radau(m)
    nodes = []
    total = cert = 0.0
    for ti, wi in zip(t[:-1], w[:-1], strict=True):  # the endpoint t_m = 1 is dropped
        nd = bff_node_bound(
            ms,
            ti,
            p=p,
            functionals=functionals,
            key_setting=key_setting,
            eve_scale=eve_scale,
            solver_opts=solver_opts,
        )
        nodes.append(nd)
        coef = wi / (ti * np.log(2))
        total += coef * (1.0 + nd.solver_value)  # c_m term folded in: coef * 1
        cert += coef * (1.0 + nd.certified)
    return EntropyBound(value=float(cert), solver_value=float(total), m=m, nodes=nodes)
