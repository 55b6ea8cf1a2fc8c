"""Device-independent lower bounds on H(A|E) by the Brown-Fawzi-Fawzi (BFF) method.

P. Brown, H. Fawzi, O. Fawzi, "Device-independent lower bounds on the conditional von Neumann
entropy", arXiv:2106.13692 (Quantum 8, 1445 (2024)). With the ``m``-point Gauss-Radau rule on
``[0, 1]`` whose fixed node is ``t_m = 1`` (nodes ``t_i``, weights ``w_i``),

``H(A|E) >= c_m + sum_{i=1}^{m-1} w_i / (t_i ln 2) * inf sum_a <psi| M_a (Z_{a,i} + Z_{a,i}^*
+ (1 - t_i) Z_{a,i}^* Z_{a,i}) + t_i Z_{a,i} Z_{a,i}^* |psi>``,  ``c_m = sum_{i=1}^{m-1}
w_i / (t_i ln 2)``

(BFF Eq. (12) / Theorem 2.3; the Radau endpoint ``t_m = 1`` contributes nothing and is dropped,
and ``c_m`` sums over the first ``m - 1`` nodes only). ``M_a`` are Alice's key projectors, the
``Z_{a,i}`` are arbitrary (non-Hermitian) operators of Eve, and the infimum runs over all states
and measurements reproducing the observed statistics. Each node's infimum is relaxed to an
NPA-type moment SDP (level 2 in all letters plus ``A B Z`` and ``A B Z^*``, or the smaller
``level="local"``), solved separately per node (the sum of the nodes' infima is below the
infimum of the sum, so this is still a lower bound).

The norm bound on Eve's operators (derived here, used by the certificate)
--------------------------------------------------------------------------
The certificate needs an a-priori bound on every moment of a realisation that can reach the
infimum. For a fixed state, term ``a`` depends on ``Z = Z_a`` (acting on Eve's space) only
through ``rho = rho_E`` and ``sigma = tr_AB[(M_a (x) 1) rho_ABE]``, ``0 <= sigma <= rho``:
``F(Z) = tr[sigma (Z + Z^* + (1 - t) Z^* Z)] + t tr[rho Z Z^*]``. With ``P``, ``Q`` the
projectors onto the supports of ``rho`` and ``sigma`` (``Q <= P``), ``F(P Z Q) <= F(Z)``, so the
infimum is over ``Z = P Z Q``, where ``F`` is strictly convex; its minimiser solves the
Sylvester equation ``t rho Z + (1 - t) Z sigma = -sigma``. Take unit ``u``, ``v`` with
``Z v = -w u``, ``Z^* u = -w v``, ``w = ||Z||`` and sandwich the equation:
``w (t <u|rho|u> + (1 - t) <v|sigma|v>) = <u|sigma|v> <= sqrt(<u|sigma|u> <v|sigma|v>)
<= sqrt(<u|rho|u> <v|sigma|v>)``, and ``sqrt(ab) <= (t a + (1 - t) b) / (2 sqrt(t (1 - t)))``.
Hence

    ``||Z_a|| <= beta(t) = 1 / (2 sqrt(t (1 - t)))``   (:func:`eve_norm_bound`),

equality at ``t = 1/2`` for ``rho = sigma`` (then ``Z = -1``). Restricting Eve to
``||Z_a|| <= beta`` leaves every node's infimum unchanged (this replaces the looser
``3/2 max(1/t, 1/(1 - t))`` quoted by BFF). A moment ``<w>`` whose word has ``j`` Eve letters
and any number of projectors then obeys ``|<w>| <= ||w|| <= beta^j``. The SDP is written for
``Z = beta Z~`` (``eve_scale``), so every rescaled moment lies in ``[-1, 1]``.

Certified values
----------------
Clarabel often ends these SDPs "almost solved". A raw value is never reported as the bound:
each node is solved through :func:`bellflow.optim.solve_sdp` with ``var_bound`` 1 on the
rescaled moments (optim's repaired-dual certificate) and, as the second route, the
residual-corrected certificate of :func:`_certify` (the solver's dual matrix clipped to PSD,
the multipliers of the rows that fix one moment chosen to zero its residual, every other
residual charged with ``beta^j``). Both are valid lower bounds; the node's ``certified`` is the
larger, the two are recorded.

Zero-probability outcomes (:func:`drop_zero_outcomes`): an outcome of Bob's with zero marginal
probability is merged into another one of the same setting before the relaxation is built. For
every realisation of the box the merged measurement is a realisation of the reduced box with
the same Eve objective, so the reduced infimum is a valid lower bound; it also removes the
faces on which the moment matrix cannot be strictly feasible (paper 002's ``d = 2`` family
has an outcome of Bob that never occurs, which made Clarabel fail at small ``eps``).

Conventions: boxes ``p[a, b, x, y]``; Alice's and Bob's measurements are projective (no loss of
generality in the device-independent setting) and written in the Collins-Gisin form with the
projectors of the first ``o - 1`` outcomes; the moment matrix is real symmetric (the problem
is invariant under complex conjugation, so real moments lose nothing).
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from bellflow.optim import OptResult, SolverError

__all__ = [
    "eve_norm_bound",
    "drop_zero_outcomes",
    "gauss_radau",
    "bff_node_bound",
    "NodeBound",
    "EntropyBound",
    "bff_entropy",
    "moment_structure",
]

# private helpers re-exported for the tests: `name as name`
from bellflow.entropy.moments import Letter as Letter
from bellflow.entropy.moments import (
    MomentStructure,
    Word,
    _box_functional,
    _node_objective,
    _norm_bounds,
    _norm_rows,
    _word,
    gauss_radau,
    moment_structure,
)
from bellflow.entropy.moments import _add as _add
from bellflow.entropy.moments import _adjoint as _adjoint
from bellflow.entropy.moments import _canon as _canon
from bellflow.entropy.moments import _flat as _flat
from bellflow.entropy.moments import _key as _key
from bellflow.entropy.moments import _proj_expansion as _proj_expansion
from bellflow.entropy.symmetry import LetterMap, candidate_generators, check_invariant, reduction


def eve_norm_bound(t: float) -> float:
    """``beta(t) = 1 / (2 sqrt(t (1 - t)))``: no node infimum changes if ``||Z_a|| <= beta``.

    Derived in the module docstring from the Sylvester equation of the minimiser; equality for
    ``t = 1/2`` and ``rho_E = sigma`` (``Z = -1``).

    >>> eve_norm_bound(0.5)
    1.0
    """
    t = float(t)
    if not 0.0 < t < 1.0:
        raise ValueError(f"t must lie in (0, 1), got {t!r}")
    return float(0.5 / np.sqrt(t * (1.0 - t)))


def drop_zero_outcomes(p: ArrayLike, tol: float = 1e-12) -> tuple[NDArray[np.float64], list]:
    """Merge Bob's outcomes of zero marginal probability (``<= tol``) into kept ones.

    Returns ``(q, keep)``: ``q[a, i, x, y]`` with ``oB' = max_y #{b: p_B(b|y) > tol}`` outcomes,
    ``keep[y]`` the old outcomes kept for setting ``y`` in order (padded with zero-probability
    outcomes where a setting has fewer); the other zero-probability outcomes are added to the
    last kept one. Every realisation of ``p`` gives one of ``q`` (merged projectors) with the
    same Eve objective, so a lower bound for ``q`` is one for ``p`` (module docstring).

    >>> q, keep = drop_zero_outcomes(np.full((2, 3, 1, 1), [[[[0.25]], [[0.25]], [[0.0]]]]))
    >>> q.shape, keep
    ((2, 2, 1, 1), [[0, 1]])
    """
    p = np.asarray(p, dtype=float)
    if p.ndim != 4 or not np.all(np.isfinite(p)):
        raise ValueError(f"p must be a finite array of shape (oA, oB, mA, mB), got {p.shape}")
    oA, oB, mA, mB = p.shape
    pB = p.sum(axis=0)[:, 0, :]  # (b, y)
    nz = [[b for b in range(oB) if pB[b, y] > tol] for y in range(mB)]
    n_out = max(1, max(len(k) for k in nz))
    keep = [(k + [b for b in range(oB) if b not in k])[:n_out] for k in nz]
    q = np.zeros((oA, n_out, mA, mB))
    for y in range(mB):
        py = p[:, :, :, y]
        q[:, :, :, y] = py[:, keep[y], :]
        rest = [b for b in range(oB) if b not in keep[y]]
        q[:, -1, :, y] += py[:, rest, :].sum(axis=1)
    return q, [list(map(int, k)) for k in keep]


def _reduce_coeffs(coeffs: NDArray[np.float64], keep: list) -> NDArray[np.float64]:
    """Coefficients of a functional on the reduced box (dropped outcomes have p = 0)."""
    return np.stack([coeffs[:, :, :, y][:, k, :] for y, k in enumerate(keep)], axis=-1)


def _certify(
    ms: MomentStructure,
    c: np.ndarray,
    E: np.ndarray,
    f: np.ndarray,
    unit: np.ndarray,
    H: np.ndarray,
    beta: np.ndarray,
    X: np.ndarray,
    y_cvx: Any,
    mu_cvx: Any,
    alpha: float,
) -> tuple[float, float]:
    """Certified lower bound ``y.f - mu.beta - penalty`` from an approximate dual.

    For every genuine realisation (moments ``m``, ``Gamma(m) >= 0``, ``E m = f``,
    ``H m <= beta``) and any ``y``, ``mu >= 0``, ``X >= 0``:
    ``c.m >= y.f - mu.beta + r.m`` with ``r = c - E^T y + H^T mu - (<X, F_k>)_k``, and
    ``|m_k| <= alpha^j_k`` (``j_k`` Eve letters, module docstring), so
    ``c.m >= y.f - mu.beta - sum_k |r_k| alpha^j_k``. ``X`` is the solver's dual matrix with
    negative eigenvalues clipped; the multipliers of rows fixing a single moment are chosen to
    zero its residual; both signs of the solver's ``y`` are tried (each gives a valid bound,
    so cvxpy's sign convention cannot make it invalid).
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
    # floating-point margin of the final dot products (k eps per product, generous)
    scale = float(np.abs(y_cvx) @ np.abs(f) + np.abs(mu) @ np.abs(beta) + pen_best + 1.0)
    return best - 8 * len(c) * np.finfo(float).eps * scale, pen_best


# --------------------------------------------------------------------------------------------
# one node
# --------------------------------------------------------------------------------------------
#: Solver settings tried in order when Clarabel fails on a node (recorded in ``opt.extra``).
FALLBACKS: tuple[dict[str, Any], ...] = (
    {"static_regularization_constant": 1e-7},
    {"static_regularization_constant": 1e-6, "tol_feas": 1e-7, "tol_gap_abs": 1e-7},
)


@dataclass
class NodeBound:
    """Certified lower bound on one node's infimum (see the module docstring).

    ``certified`` is the larger of ``certificate["conic"]`` (optim's repaired dual) and
    ``certificate["residual"]`` (:func:`_certify`), both valid lower bounds.
    """

    t: float
    certified: float
    solver_value: float
    residual_penalty: float
    opt: OptResult = field(repr=False)
    certificate: dict[str, float] = field(default_factory=dict)


def _constraints(
    ms: MomentStructure, p: ArrayLike | None, functionals: Any
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
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


def _node_sdp(ms: MomentStructure, E: np.ndarray, compact: bool) -> dict[str, Any]:
    """The node SDP with the objective ``c`` and right-hand side ``f`` as cvxpy Parameters,
    built once per (structure, constraint rows) and re-solved for every node and box (DPP)."""
    import cvxpy as cp

    key = (E.shape, hash(E.tobytes()), compact)
    if key in ms.cache:
        return ms.cache[key]
    n, K = ms.size, len(ms.keys)
    m = cp.Variable(K)
    c = cp.Parameter(K)
    f = cp.Parameter(E.shape[0])
    psd = cp.reshape(ms.P @ m, (n, n), order="C") >> 0
    eq = E @ m == f
    cons = [psd, eq]
    H, _ = _norm_rows(ms, 1.0)
    ineq = H @ m <= 1.0 if compact else None
    if ineq is not None:
        cons.append(ineq)
    sdp: dict[str, Any] = {"prob": cp.Problem(cp.Minimize(c @ m), cons), "m": m, "c": c}
    sdp |= {"f": f, "psd": psd, "eq": eq, "ineq": ineq, "H": H}
    ms.cache[key] = sdp
    return sdp


def bff_node_bound(
    ms: MomentStructure,
    t: float,
    *,
    p: ArrayLike | None = None,
    functionals: list[tuple[ArrayLike, float]] | None = None,
    key_setting: int = 0,
    eve_scale: float | None = None,
    compact: bool = False,
    symmetries: Sequence[LetterMap] = (),
    solver_opts: dict[str, Any] | None = None,
) -> NodeBound:
    """Certified lower bound on the node-``t`` infimum of BFF Eq. (12) over the relaxation.

    Constraints: the full box ``p`` (all Collins-Gisin moments fixed) and/or linear functionals
    ``[(coeffs, value)]`` meaning ``sum coeffs * p == value``. Eve's operators are written as
    ``Z = eve_scale Z~`` (default ``eve_scale = beta(t)``, :func:`eve_norm_bound`, so every
    moment lies in ``[-1, 1]``). ``compact`` adds the rows ``<u^* u> <= (beta/eve_scale)^2j``.
    Solved through :func:`bellflow.optim.solve_sdp` (``optimal_inaccurate`` accepted and
    recorded, :data:`FALLBACKS` tried when a solve fails); ``certified`` is valid whatever
    the solver's accuracy.
    """
    if not 0.0 < t < 1.0:
        raise ValueError(f"t must lie in (0, 1), got {t!r}")
    if p is None and not functionals:
        raise ValueError("give the box p and/or functionals to constrain the relaxation")
    E, f, unit = _constraints(ms, p, functionals)
    beta_t = eve_norm_bound(t)
    kappa = float(eve_scale) if eve_scale is not None else beta_t
    if not (np.isfinite(kappa) and kappa > 0):
        raise ValueError(f"eve_scale must be finite and > 0, got {eve_scale!r}")
    if compact and kappa < beta_t:
        raise ValueError("compact=True needs eve_scale >= beta(t) (rows <u^* u> <= 1)")
    alpha = beta_t / kappa  # norm bound of a rescaled Eve letter
    # moments of words with j Eve letters scale as kappa^j
    c = _node_objective(ms, t, key_setting) * _norm_bounds(ms, kappa)
    if symmetries:
        gens = list(symmetries)
        return _symmetric_node(ms, t, c, E, f, gens, max(alpha, 1.0), kappa, solver_opts)
    sdp = _node_sdp(ms, E, compact)
    sdp["c"].value = c
    sdp["f"].value = f
    from bellflow.optim import solve_sdp

    bound = float(np.max(_norm_bounds(ms, max(alpha, 1.0))))
    res = solve_sdp(
        sdp["prob"],
        name="BFF node SDP",
        params={"t": float(t), "size": ms.size, "moments": len(ms.keys), "eve_scale": kappa},
        accept_inaccurate=True,
        fallbacks=FALLBACKS,
        var_bound={sdp["m"]: bound},
        **(solver_opts or {}),
    )
    _check_feasible(res, t)
    X = np.asarray(sdp["psd"].dual_value, dtype=float)
    H = sdp["H"]
    beta = np.ones(len(H))  # rows <u^* u> <= 1 of the compact form (rescaled moments)
    mu = sdp["ineq"].dual_value if compact else np.zeros(len(H))
    resid, pen = _certify(ms, c, E, f, unit, H, beta, (X + X.T) / 2, sdp["eq"].dual_value, mu,
                          alpha)
    conic = float(res.certified) if np.isfinite(res.certified) else -np.inf
    if max(conic, resid) > 1e-9:  # Z = 0 gives 0: no realisation has a positive infimum
        raise SolverError(
            f"BFF node SDP: certified value {max(conic, resid):.3g} > 0 at t = {t}: the "
            "statistics are not quantum (the relaxation is infeasible)",
            status="infeasible",
            problem="BFF node SDP",
        )
    cert = {"conic": conic, "residual": resid, "beta": beta_t, "eve_scale": kappa}
    return NodeBound(
        t=float(t),
        certified=max(conic, resid),
        solver_value=res.value,
        residual_penalty=pen,
        opt=res,
        certificate=cert,
    )


def _symmetric_node(
    ms: MomentStructure,
    t: float,
    c: np.ndarray,
    E: np.ndarray,
    f: np.ndarray,
    gens: list[LetterMap],
    alpha: float,
    kappa: float,
    solver_opts: dict[str, Any] | None,
) -> NodeBound:
    """The node SDP on the invariant subspace, block diagonal (module ``symmetry``)."""
    import cvxpy as cp

    from bellflow.optim import solve_sdp

    if not check_invariant(gens, ms, c, E, f):
        raise ValueError("the box or the objective is not invariant under the symmetries")
    key = ("sym", E.shape, hash(E.tobytes()), tuple(map(id, gens)))
    if key not in ms.cache:
        red = reduction(ms, gens)
        mu = cp.Variable(red.S.shape[1])
        cpar, fpar = cp.Parameter(red.S.shape[1]), cp.Parameter(len(f))
        cons = [E @ red.S @ mu == fpar]
        for L, n in zip(red.blocks, red.sizes, strict=True):
            cons.append(cp.reshape(L @ mu, (n, n), order="C") >> 0)
        ms.cache[key] = (red, mu, cpar, fpar, cp.Problem(cp.Minimize(cpar @ mu), cons))
    red, mu, cpar, fpar, prob = ms.cache[key]
    cpar.value = red.S.T @ c
    fpar.value = f
    bound = float(np.max(_norm_bounds(ms, alpha)))
    res = solve_sdp(
        prob,
        name="BFF node SDP (symmetry reduced)",
        params={"t": float(t), "blocks": red.sizes, "moments": red.S.shape[1]},
        accept_inaccurate=True,
        fallbacks=FALLBACKS,
        var_bound={mu: red.mu_bound * bound},
        **(solver_opts or {}),
    )
    _check_feasible(res, t)
    conic = float(res.certified) if np.isfinite(res.certified) else -np.inf
    if conic > 1e-9:
        raise SolverError(
            f"BFF node SDP: certified value {conic:.3g} > 0 at t = {t}: not quantum",
            status="infeasible",
            problem="BFF node SDP",
        )
    cert = {"conic": conic, "residual": -np.inf, "beta": eve_norm_bound(t), "eve_scale": kappa}
    return NodeBound(float(t), conic, res.value, np.nan, res, cert)


def _check_feasible(res: OptResult, t: float) -> None:
    """Raise if any attempt found the relaxation infeasible (a later fallback's "solution"
    of an infeasible problem would only certify the empty set)."""
    bad = [a for a in res.extra.get("attempts", []) if "infeasible" in str(a.get("outcome"))]
    if bad:
        raise SolverError(
            f"BFF node SDP: infeasible at t = {t} (the statistics are not quantum); "
            f"attempts={bad}",
            status="infeasible",
            problem="BFF node SDP",
        )


# --------------------------------------------------------------------------------------------
# the entropy bound
# --------------------------------------------------------------------------------------------
@dataclass
class EntropyBound:
    """BFF lower bound on H(A|E) in bits.

    ``value`` is certified (the sum of certified node bounds, also as ``certified``);
    ``solver_value`` uses the raw solver values instead (for comparison only, not a bound).
    ``statuses`` lists each node's solver status, ``tolerances`` the settings used.
    """

    value: float
    solver_value: float
    m: int
    nodes: list[NodeBound] = field(repr=False)

    @property
    def certified(self) -> float:
        return self.value

    @property
    def statuses(self) -> list[str]:
        return [nd.opt.status for nd in self.nodes]

    @property
    def results(self) -> list[OptResult]:
        return [nd.opt for nd in self.nodes]


def bff_entropy(
    m: int,
    *,
    p: ArrayLike | None = None,
    functionals: list[tuple[ArrayLike, float]] | None = None,
    shape: tuple[int, int, int, int] | None = None,
    key_setting: int = 0,
    extra: str = "ABZ",
    eve_degree: int = 1,
    level: str = "2",
    eve_scale: float | None = None,
    symmetry: bool = True,
    solver_opts: dict[str, Any] | None = None,
) -> EntropyBound:
    """BFF lower bound on ``H(A|E)`` for Alice's setting ``key_setting`` (bits).

    Parameters
    ----------
    m:
        Number of Gauss-Radau nodes (``m - 1`` SDPs are solved).
    p, functionals:
        The observed box (all its Collins-Gisin moments are imposed; Bob's zero-probability
        outcomes are merged first, :func:`drop_zero_outcomes`) and/or a list of
        ``(coeffs, value)`` Bell-functional constraints ``sum coeffs * p == value``.
    shape:
        Scenario ``(oA, oB, mA, mB)``; taken from ``p`` (or the functionals) when omitted.
    symmetry:
        Use the relabelling symmetries of :func:`~bellflow.entropy.symmetry.candidate_generators`
        that leave the box and objective invariant (the CHSH scenario: the SDP on the
        invariant subspace, four blocks instead of one 49 x 49 matrix); ``False``: full SDP.

    Examples
    --------
    A lower bound on H(A|E) for the maximal CHSH box with 4 quadrature nodes (seconds)::

        from bellflow.diqkd import chsh_box
        bff_entropy(4, p=chsh_box(1.0)[:, :, :, :2]).value
    """
    if p is not None:
        p, keep = drop_zero_outcomes(p)
        functionals = [
            (_reduce_coeffs(np.asarray(c, float), keep), v)
            for c, v in functionals or ()
        ]
        shape = p.shape
    if shape is None:
        if functionals:
            shape = np.shape(functionals[0][0])
        else:
            raise ValueError("give p, functionals or shape")
    if len(shape) != 4:
        raise ValueError(f"shape must be (oA, oB, mA, mB), got {shape}")
    if not 0 <= key_setting < shape[2]:
        raise ValueError(f"key_setting must lie in [0, {shape[2]}), got {key_setting}")
    ms = _structure(tuple(int(s) for s in shape), extra, eve_degree, level)
    gens = _symmetries(ms, p, functionals, key_setting) if symmetry else []
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
            symmetries=gens,
            solver_opts=solver_opts,
        )
        nodes.append(nd)
        coef = wi / (ti * np.log(2))
        total += coef * (1.0 + nd.solver_value)  # c_m term folded in: coef * 1
        cert += coef * (1.0 + nd.certified)
    return EntropyBound(value=float(cert), solver_value=float(total), m=m, nodes=nodes)


def _symmetries(
    ms: MomentStructure, p: Any, functionals: Any, key_setting: int
) -> list[LetterMap]:
    """The candidate relabellings under which this box and the node objective are invariant."""
    try:
        E, f, _ = _constraints(ms, p, functionals)
        c = _node_objective(ms, 0.5, key_setting)
        cands = candidate_generators(ms.shape, key_setting)
        return [g for g in cands if check_invariant([g], ms, c, E, f)]
    except ValueError:  # structure not closed under the relabelling: no reduction
        return []


_STRUCTURES: dict[tuple, MomentStructure] = {}


def _structure(shape: tuple, extra: str, eve_degree: int, level: str) -> MomentStructure:
    """:func:`moment_structure`, built once per process (its compiled SDPs are cached on it)."""
    key = (shape, extra, eve_degree, level)
    if key not in _STRUCTURES:
        _STRUCTURES[key] = moment_structure(shape, extra=extra, eve_degree=eve_degree, level=level)
    return _STRUCTURES[key]
