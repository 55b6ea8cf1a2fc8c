"""Block-reduced ICO SDPs: single trigger (Eqs. 3, 22-23), decomposition (Eqs. 4, 28), and the
naive full-space primal (Eq. 22) as an independent check."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import scipy.sparse as sp

from bellflow.causal.certify import check_dual_operator, feasible_process
from bellflow.causal.games import validate_coefficients
from bellflow.causal.reduction import _Reduced, _reduced
from bellflow.causal.triggers import (
    _resolve_triggers,
    canonical_instruments,
    is_single_trigger,
    single_trigger_operator,
)
from bellflow.optim import OptResult, solve_sdp
from bellflow.process import nosignalling_projection, trace_replace_matrix

#: Clarabel settings for the ICO SDPs: without equilibration, with a larger static
#: regularisation and a shorter step. With Clarabel's defaults these (degenerate) SDPs stall
#: near 1e-8 and end "almost solved"; with these settings they end optimal at the 1e-9
#: tolerances of :data:`bellflow.optim.DEFAULT_SDP_TOL`. Measured on the "kernel" form
#: (:data:`_FORM`, 2 x 2 blocks as cones): 69 of the 72 Fig. 1 directions, all 201 biased LGYNI
#: and all 62 biased OCB pieces optimal at the first attempt (with 1e-7 and the default step:
#: 22 of 72 directions); the retries below brought the other 3 to optimal.
_CLARABEL_DEFAULTS: dict[str, Any] = {
    "equilibrate_enable": False,
    "static_regularization_constant": 1e-5,
    "max_step_fraction": 0.9,
}


#: Further Clarabel strategies tried, in order, when a solve with the defaults ends "almost
#: solved" (status optimal_inaccurate). Only the interior-point strategy changes: the gap and
#: feasibility tolerances stay at :data:`bellflow.optim.DEFAULT_SDP_TOL`, and the settings that
#: succeeded are recorded in ``OptResult.tolerances`` and ``extra["attempts"]``.
_CLARABEL_RETRIES: list[dict[str, Any]] = [
    {"static_regularization_constant": 1e-4, "max_step_fraction": 0.95},
    {"static_regularization_constant": 1e-5, "max_step_fraction": 0.8},
    {"static_regularization_constant": 1e-6, "max_step_fraction": 0.95},
]


def _solver_kwargs(kwargs: dict[str, Any]) -> dict[str, Any]:
    """Add :data:`_CLARABEL_DEFAULTS` unless the caller chose otherwise."""
    out = dict(kwargs)
    if out.get("solver", "CLARABEL").upper() == "CLARABEL":
        for k, v in _CLARABEL_DEFAULTS.items():
            out.setdefault(k, v)
    return out


def _solve(
    prob: Any,
    *,
    name: str,
    params: dict[str, Any],
    solver_kwargs: dict[str, Any],
) -> OptResult:
    """:func:`bellflow.optim.solve_sdp` with :data:`_CLARABEL_DEFAULTS` and, when the caller
    chose no solver settings, :data:`_CLARABEL_RETRIES` as fallbacks.

    No ``var_bound`` is passed: cvxpy's auxiliary variables of these (block-reduced)
    problems have no a-priori bound, so optim's generic repair does not apply. The certified
    value comes from the explicit dual operator instead (:mod:`bellflow.causal.certify`),
    set as ``res.certified`` by the callers."""
    first = _solver_kwargs(solver_kwargs)
    solver = str(first.pop("solver", "CLARABEL"))
    fallbacks = _CLARABEL_RETRIES if not solver_kwargs else ()
    return solve_sdp(
        prob,
        name=name,
        params=params,
        solver=solver,
        fallbacks=fallbacks,
        **first,
    )


#: How the normalisation ``P_NS(S) = I / (m1 m2)`` of a reduced process matrix enters the SDP.
#: ``"kernel"`` (default): ``S = I / (m1 m2) + sum_j z_j G_j`` over an orthonormal basis ``G_j``
#: of ``ker P_NS`` in the invariant space, so the normalisation holds by construction and the
#: solver sees only the ``z_j`` (OCB: 27 per trigger pair instead of 174 entries and 147 dense
#: equalities; issue 16). ``"equality"``: the block entries as variables with the equalities
#: ``<S, F_k> = Tr(F_k) / (m1 m2)`` over the span basis ``F_k`` (the earlier route, kept for
#: ``benchmarks/bench_causal.py``). Both describe the same feasible set.
_FORM: str = "kernel"


@dataclass
class _ProcessVars:
    """Reduced process matrix: one PSD block per sector, scalar sectors as one vector."""

    red: _Reduced
    mats: list[tuple[int, Any]]  # (block index, cvxpy symmetric matrix expression)
    scalar_blocks: list[int]
    scalar: Any  # cvxpy vector expression of the 1 x 1 blocks (or None)
    normalisation: Any  # "equality" form: <S, F_k> = Tr(F_k) / (m1 m2); "kernel" form: None
    psd: list[Any]  # the constraints S_block >> 0 (2 x 2 blocks as SOC), in ``mats`` order
    nonneg: Any  # the constraint scalar >= 0 (or None)


def _process_variables(red: _Reduced) -> tuple[_ProcessVars, list[Any]]:
    """Variables of a reduced process matrix ``S`` and its constraints (:data:`_FORM`).

    ``S >= 0`` block by block and ``P_NS(S) = I / (m1 m2)`` (App. A, condition (ii)): in the
    "kernel" form ``S = I / (m1 m2) + sum_j z_j G_j`` (``P_NS(I) = I``, ``G_j`` spanning
    ``ker P_NS`` within the invariant space); in the "equality" form ``<S, F_k> = Tr(F_k) /
    (m1 m2)`` for the orthonormal basis ``F_k`` of the invariant no-signalling span.
    """
    import cvxpy as cp

    if _FORM not in ("kernel", "equality"):
        raise ValueError(f"_FORM must be 'kernel' or 'equality', got {_FORM!r}")
    kernel = _FORM == "kernel"
    eye = 1.0 / (red.m[0] * red.m[1])
    z = cp.Variable(red.null_basis.shape[1]) if kernel else None
    mats: list[tuple[int, Any]] = []
    scalar_blocks: list[int] = []
    lhs: Any = 0
    for bi, (_, idx) in enumerate(red.blocks):
        s = len(idx)
        if s == 1:
            scalar_blocks.append(bi)
        elif kernel:
            flat = (eye * np.eye(s)).reshape(-1) + red.null_maps[bi] @ z
            mats.append((bi, cp.reshape(flat, (s, s), order="C")))
        else:
            y = cp.Variable((s, s), symmetric=True)
            mats.append((bi, y))
            lhs = lhs + red.block_maps[bi].T @ cp.vec(y, order="C")
    scalar, nonneg, norm = None, None, None
    if scalar_blocks and kernel:
        scalar = eye + np.vstack([red.null_maps[bi] for bi in scalar_blocks]) @ z
        nonneg = scalar >= 0
    elif scalar_blocks:
        g = np.vstack([red.block_maps[bi] for bi in scalar_blocks])
        scalar = cp.Variable(g.shape[0], nonneg=True)
        lhs = lhs + g.T @ scalar
    psd = [_psd_constraint(y) if kernel else y >> 0 for _, y in mats]
    cons = psd + ([nonneg] if nonneg is not None else [])
    if not kernel:
        norm = lhs == red.trace_vec * eye
        cons.append(norm)
    return _ProcessVars(red, mats, scalar_blocks, scalar, norm, psd, nonneg), cons


def _psd_constraint(y: Any) -> Any:
    """``y >> 0`` for a symmetric matrix expression; a 2 x 2 block ``[[a, b], [b, c]]`` as the
    equivalent second-order cone ``||(2 b, a - c)|| <= a + c`` (cheaper for the solver and for
    cvxpy's dual recovery; :func:`_block_dual` maps its multiplier back to a 2 x 2 matrix)."""
    import cvxpy as cp

    if y.shape != (2, 2):
        return y >> 0
    return cp.SOC(y[0, 0] + y[1, 1], cp.hstack([2 * y[0, 1], y[0, 0] - y[1, 1]]))


def _block_dual(con: Any) -> np.ndarray:
    """The PSD multiplier ``Z`` of one block constraint of :func:`_psd_constraint`: for the
    cone ``(a + c, 2 b, a - c)`` with multiplier ``(l, u1, u2)``, ``<Z, [[a, b], [b, c]]> =
    l (a + c) + 2 u1 b + u2 (a - c)``, i.e. ``Z = [[l + u2, u1], [u1, l - u2]]``."""
    import cvxpy as cp

    if isinstance(con, cp.constraints.SOC):
        lam, u = (np.asarray(v, dtype=float).reshape(-1) for v in con.dual_value)
        return np.array([[lam[0] + u[1], u[0]], [u[0], lam[0] - u[1]]])
    v = np.asarray(con.dual_value, dtype=float)
    return (v + v.T) / 2


def _canonical_value_map(pv: _ProcessVars) -> Any:
    """cvxpy expression of the canonical correlations ``p[a, x] = Tr(S P_{xi,a,x})`` (flat)."""
    import cvxpy as cp

    red = pv.red
    expr = 0
    for bi, y in pv.mats:
        expr = expr + red.omega_maps[bi].T @ cp.vec(y, order="C")
    if pv.scalar is not None:
        h = np.vstack([red.omega_maps[bi] for bi in pv.scalar_blocks])
        expr = expr + h.T @ pv.scalar
    return expr


def _process_value(pv: _ProcessVars) -> np.ndarray:
    """The optimal reduced process matrix on ``(in1, o1, aux1, in2, o2, aux2)``."""
    red = pv.red
    m, n, d = red.m, red.n, red.d
    nx = n[0] * n[1]
    s_blocks = np.zeros((nx, d, d))
    for bi, y in pv.mats:
        xf, idx = red.blocks[bi]
        v = np.asarray(y.value, dtype=float)
        s_blocks[xf][np.ix_(idx, idx)] = (v + v.T) / 2
    if pv.scalar is not None:
        yv = np.asarray(pv.scalar.value, dtype=float).reshape(-1)
        for k, bi in enumerate(pv.scalar_blocks):
            xf, idx = red.blocks[bi]
            s_blocks[xf][idx[0], idx[0]] = yv[k]
    return _embed_blocks(s_blocks, m, n)


def _embed_blocks(blocks: np.ndarray, m: Sequence[int], n: Sequence[int]) -> np.ndarray:
    """``sum_x B_x (x) |x><x|`` placed on ``(in1, o1, x1, in2, o2, x2)``."""
    d = m[0] ** 2 * m[1] ** 2
    fdims = [m[0], m[0], n[0], m[1], m[1], n[1]]
    dfull = int(np.prod(fdims))
    full = np.zeros((dfull, dfull))
    multi = np.array(np.unravel_index(np.arange(d), [m[0], m[0], m[1], m[1]]))
    for xf, (x1, x2) in enumerate(itertools.product(range(n[0]), range(n[1]))):
        pos = np.ravel_multi_index(
            (multi[0], multi[1], np.full(d, x1), multi[2], multi[3], np.full(d, x2)), fdims
        )
        full[np.ix_(pos, pos)] = blocks[xf]
    return full


def _certificate_value(pv: _ProcessVars, omega: np.ndarray) -> np.ndarray:
    """Dual certificate ``C`` of Eq. (23) from the solver's multipliers (full space).

    "equality" form: ``C = sum_k w_k F_k`` from the normalisation multipliers. "kernel" form:
    ``C = P_NS(Omega + Z)`` with ``Z >= 0`` the multipliers of the blocks' PSD constraints
    (stationarity in ``z`` makes ``Omega + Z`` orthogonal to ``ker P_NS``, i.e. in the
    no-signalling span, up to the solver's tolerance; the projection makes it exact; cvxpy
    returns the multipliers of ``X >> 0`` and ``x >= 0`` as ``Z >= 0``, whatever the objective
    sense). The equality multipliers carry the sign convention of the Lagrangian: there the
    sign is fixed so that ``C - Omega`` has the larger smallest eigenvalue.
    """
    red = pv.red
    d = red.d
    nx = red.n[0] * red.n[1]
    if pv.normalisation is not None:
        w = np.asarray(pv.normalisation.dual_value, dtype=float).reshape(-1)
        blocks = (red.basis @ w).reshape(nx, d, d)
        c = _embed_blocks((blocks + blocks.transpose(0, 2, 1)) / 2, red.m, red.n)
        return (
            c if np.linalg.eigvalsh(c - omega).min() >= np.linalg.eigvalsh(-c - omega).min() else -c
        )
    zb = np.zeros((nx, d, d))
    for (bi, _), con in zip(pv.mats, pv.psd, strict=True):
        xf, idx = red.blocks[bi]
        zb[xf][np.ix_(idx, idx)] = _block_dual(con)
    if pv.nonneg is not None:
        yv = np.asarray(pv.nonneg.dual_value, dtype=float).reshape(-1)
        for k, bi in enumerate(pv.scalar_blocks):
            xf, idx = red.blocks[bi]
            zb[xf][idx[0], idx[0]] = yv[k]
    dims_in, dims_out = _party_dims((*red.m, *red.n))
    c = omega + _embed_blocks(zb, red.m, red.n)
    return np.asarray(nosignalling_projection(c, dims_in, dims_out), dtype=float)


def _party_dims(shape: Sequence[int]) -> tuple[list[int], list[int]]:
    """``(dims_in, dims_out)`` of the canonical parties: ``I_i = C^m_i``, ``O_i = C^{m_i n_i}``."""
    m1, m2, n1, n2 = shape
    return [m1, m2], [m1 * n1, m2 * n2]


def _certify_single(
    res: OptResult, pv: _ProcessVars, omega: np.ndarray, shape: Sequence[int]
) -> None:
    """Set ``res.certified`` (upper bound, :func:`~bellflow.causal.certify.check_dual_operator`),
    ``res.certificate`` (its checks) and ``res.achieved`` (value of the repaired optimal
    process, :func:`~bellflow.causal.certify.feasible_process`); ``extra["process_repair"]``
    is the mixing weight of the repair, ``extra["feasible_process"]`` the repaired process."""
    dims_in, dims_out = _party_dims(shape)
    chk = check_dual_operator(_certificate_value(pv, omega), omega, dims_in, dims_out)
    feasible, t = feasible_process(_process_value(pv), dims_in, dims_out)
    achieved = float(np.sum(omega * feasible))
    res.certified, res.achieved = chk.certified, achieved
    res.certificate = {"method": "explicit dual operator (Eq. 23), repaired", **chk.as_dict()}
    res.extra.update(process_repair=t, feasible_process=feasible)


def _structure_map(shape: Sequence[int], triggers: Sequence[int]) -> np.ndarray:
    """0/1 matrix ``R`` with ``alpha_xi = R @ beta``: single-trigger arrays for ``triggers``."""
    m1, m2, n1, n2 = shape
    free: dict[tuple, int] = {}
    rows = []
    for a1, a2, x1, x2 in itertools.product(range(m1), range(m2), range(n1), range(n2)):
        key = (a1 if x1 == triggers[0] else 0, a2 if x2 == triggers[1] else 0, x1, x2)
        rows.append(free.setdefault(key, len(free)))
    r = np.zeros((len(rows), len(free)))
    r[np.arange(len(rows)), rows] = 1.0
    return r


_SINGLE_TRIGGER_CACHE: dict[tuple[Any, ...], tuple[Any, Any, _ProcessVars]] = {}


def _single_trigger_problem(
    shape: Sequence[int], triggers: tuple[int, int]
) -> tuple[Any, Any, _ProcessVars]:
    """``(problem, alpha Parameter, process variables)`` of the reduced Eq. (22) primal for one
    shape and trigger pair, built once: the objective ``alpha . p`` is DPP, so cvxpy compiles
    the problem once and scans re-solve it with new coefficients."""
    import cvxpy as cp

    key = (*(int(k) for k in shape), *triggers, _FORM)
    if key not in _SINGLE_TRIGGER_CACHE:
        m1, m2, n1, n2 = (int(k) for k in shape)
        pv, cons = _process_variables(_reduced((m1, m2), (n1, n2), triggers))
        param = cp.Parameter(m1 * m2 * n1 * n2)
        prob = cp.Problem(cp.Maximize(param @ _canonical_value_map(pv)), cons)
        _SINGLE_TRIGGER_CACHE[key] = (prob, param, pv)
    return _SINGLE_TRIGGER_CACHE[key]


def ico_bound_single_trigger(
    alpha: np.ndarray,
    triggers: Sequence[int] | None = None,
    *,
    return_process: bool = False,
    return_certificate: bool = False,
    **solver_kwargs: Any,
) -> OptResult:
    """ICO bound of a single-trigger correlation, Eq. (3) (SDP pair Eqs. 22-23).

    ``I^ICO = 2^{Dmax(M*_I || NoSig)} = max { Tr(Omega* S) : S process matrix }
    = min { Tr(C) / (m1 m2) : C in Span(Choi(NoSig)), C >= Omega* }`` with ``Omega*`` the
    single-trigger operator (Eq. 19) of the canonical instruments. For coefficients of any sign
    the min is Eq. (10) with ``C`` affine (span element with ``Tr C = eta m1 m2``). Solved as the
    primal (process-matrix) SDP in the exact block-reduced form (module docstring); the dual
    objective is the min over certificates ``C``.

    Returns
    -------
    OptResult
        ``value = primal = max Tr(Omega* S)``; ``dual`` = Clarabel's dual objective (the min over
        ``C``); ``gap``. ``extra``: ``triggers``, ``sizes``; with ``return_process`` also
        ``process`` (optimal ``S`` on ``(in1, o1, aux1, in2, o2, aux2)``) and ``correlations``
        (``p[a1, a2, x1, x2]`` that ``S`` gives with the canonical instruments); with
        ``return_certificate`` also ``certificate`` (the optimal ``C``, same ordering).

    Examples
    --------
    >>> from bellflow.causal import lgyni_coefficients
    >>> res = ico_bound_single_trigger(lgyni_coefficients())
    >>> round(res.value, 4)
    0.8194
    """

    alpha = validate_coefficients(alpha, nonnegative=False)
    m1, m2, n1, n2 = alpha.shape
    triggers = _resolve_triggers(alpha, triggers)
    if not is_single_trigger(alpha, triggers):
        raise ValueError(f"alpha is not single-trigger for triggers {triggers}")
    prob, param, pv = _single_trigger_problem(alpha.shape, triggers)
    param.value = alpha.ravel()
    red = pv.red
    res = _solve(
        prob,
        name="single-trigger ICO bound (paper 001, Eq. 3)",
        params={"shape": list(alpha.shape), "triggers": list(triggers)},
        solver_kwargs=solver_kwargs,
    )
    res.extra["triggers"] = triggers
    res.extra["sizes"] = {
        "n_variables": int(prob.size_metrics.num_scalar_variables),
        "psd_blocks": sorted((len(i) for _, i in red.blocks), reverse=True),
        "n_equalities": int(red.basis.shape[1]),
    }
    omega = single_trigger_operator(alpha, triggers)
    _certify_single(res, pv, omega, alpha.shape)
    if return_process:
        s = _process_value(pv)
        res.extra["process"] = s
        res.extra["correlations"] = _canonical_correlations(s, alpha.shape, triggers)
    if return_certificate:
        res.extra["certificate"] = _certificate_value(pv, omega)
    return res


def _canonical_correlations(
    s: np.ndarray, shape: Sequence[int], triggers: Sequence[int]
) -> np.ndarray:
    from bellflow.process import born_probabilities

    m1, m2, n1, n2 = shape
    return born_probabilities(
        s,
        [
            canonical_instruments(m1, n1, triggers[0]),
            canonical_instruments(m2, n2, triggers[1]),
        ],
    )


@dataclass
class _Decomposition:
    """The Eq. (28)/(29) SDP for one game shape, with the coefficients as a cvxpy Parameter."""

    problem: Any
    alpha: Any  # cvxpy Parameter (flat coefficients)
    p: Any
    links: dict[tuple[int, int], tuple[Any, np.ndarray]]
    pvs: dict[tuple[int, int], _ProcessVars]
    blocks: list[int]


_DECOMPOSITION_CACHE: dict[tuple[Any, ...], _Decomposition] = {}


def _decomposition_problem(shape: Sequence[int]) -> _Decomposition:
    """Build (once per shape) the decomposition SDP with ``alpha`` as a Parameter: the
    objective ``alpha . p`` is DPP, so cvxpy compiles the problem once and a scan re-solves it
    with new coefficients only (issue 16: Fig. 1 scans 72 directions of one shape)."""
    import cvxpy as cp

    dims = tuple(int(k) for k in shape)
    key = (*dims, _FORM)
    if key in _DECOMPOSITION_CACHE:
        return _DECOMPOSITION_CACHE[key]
    m1, m2, n1, n2 = dims
    p = cp.Variable(m1 * m2 * n1 * n2)
    alpha = cp.Parameter(p.size)
    cons = []
    links = {}
    pvs = {}
    blocks = []
    for t in itertools.product(range(n1), range(n2)):
        red = _reduced((m1, m2), (n1, n2), t)
        pv, c_t = _process_variables(red)
        cons += c_t
        rmap = _structure_map(dims, t)
        link = rmap.T @ (_canonical_value_map(pv) - p) == 0
        cons.append(link)
        links[t] = (link, rmap)
        pvs[t] = pv
        blocks += [len(i) for _, i in red.blocks]
    prob = cp.Problem(cp.Maximize(alpha @ p), cons)
    dec = _Decomposition(prob, alpha, p, links, pvs, blocks)
    _DECOMPOSITION_CACHE[key] = dec
    return dec


def ico_bound_decomposition(alpha: np.ndarray, **solver_kwargs: Any) -> OptResult:
    """Upper bound on the ICO value of any correlation, Eq. (4) as the SDP of Eq. (28).

    Eq. (28): ``min sum_xi Tr(C_xi) / (m1 m2)`` over single-trigger parts ``alpha^xi`` (one per
    trigger pair ``xi``, Eq. 27) with ``sum_xi alpha^xi = alpha``, ``C_xi in Span(Choi(NoSig))``
    and ``C_xi >= Omega_xi`` (the single-trigger operator of ``alpha^xi``, Eq. 26). Solved as its
    dual, which is the family of necessary conditions of Eq. (29): maximise ``sum alpha p`` over
    correlations ``p`` such that, for every ``xi``, ``Pi_xi(p)`` (untriggered outcomes made
    uniform) is produced by some process matrix ``S_xi`` with the canonical instruments.

    Eq. (28) puts no sign constraint on the parts, and signed parts are needed: for GYNI every
    coefficient depends on both outcomes, so non-negative parts could only split it by setting
    and the bound would be the trivial value 1; the signed decomposition gives the paper's
    0.7592. Every ``S_xi`` is block-reduced as in :func:`ico_bound_single_trigger`.

    Returns
    -------
    OptResult
        ``value`` (= ``primal``, the max over ``p``), ``dual`` (the min of Eq. 28), ``gap``;
        ``extra["correlations"]``: the optimal ``p``; ``extra["parts"]``: the optimal parts
        ``alpha^xi`` (from the multipliers) keyed by ``xi``; ``extra["sizes"]``.
    """

    alpha = validate_coefficients(alpha, nonnegative=False)
    dec = _decomposition_problem(alpha.shape)
    dec.alpha.value = alpha.ravel()
    prob, p, links, pvs, blocks = dec.problem, dec.p, dec.links, dec.pvs, dec.blocks
    res = _solve(
        prob,
        name="decomposition ICO bound (paper 001, Eqs. 4 and 28)",
        params={"shape": list(alpha.shape)},
        solver_kwargs=solver_kwargs,
    )
    n_var = int(prob.size_metrics.num_scalar_variables)
    parts = {}
    for t, (link, rmap) in links.items():
        beta = np.asarray(link.dual_value, dtype=float).reshape(-1)
        parts[t] = (rmap @ beta).reshape(alpha.shape)
    total = sum(parts.values())
    if np.max(np.abs(total + alpha)) < np.max(np.abs(total - alpha)):
        parts = {t: -v for t, v in parts.items()}
    res.extra["parts"] = parts
    _certify_decomposition(res, pvs, parts, alpha)
    res.extra["correlations"] = np.asarray(p.value).reshape(alpha.shape)
    res.extra["sizes"] = {"n_variables": n_var, "psd_blocks": sorted(blocks, reverse=True)}
    return res


def _certify_decomposition(
    res: OptResult, pvs: dict[tuple[int, int], _ProcessVars], parts: dict, alpha: np.ndarray
) -> None:
    """Certified value of Eq. (28) at the solver's parts: ``sum_xi certified(C_xi >= Omega_xi)
    + sum_x max_a r[a, x]`` with ``r = alpha - sum_xi alpha^xi`` (the parts' rounding residual,
    bounded by its algebraic maximum, valid for every distribution), set as ``res.certified``;
    ``res.certificate``: worst ``lambda_min`` and no-signalling residual over the parts,
    summed margins, ``residual_bound``. ``achieved`` stays nan (no single process matrix)."""
    dims_in, dims_out = _party_dims(alpha.shape)
    total, lam, ns, margin = 0.0, np.inf, 0.0, 0.0
    for t, pv in pvs.items():
        omega = single_trigger_operator(parts[t], t)
        chk = check_dual_operator(_certificate_value(pv, omega), omega, dims_in, dims_out)
        total += chk.certified
        lam, ns, margin = min(lam, chk.lambda_min), max(ns, chk.nosig_residual), margin + chk.margin
    resid = alpha - sum(parts.values())
    r_bound = float(resid.reshape(-1, alpha.shape[2] * alpha.shape[3]).max(axis=0).sum())
    res.certified = total + r_bound
    res.certificate = {
        "method": "explicit dual operators of Eq. (28), repaired",
        "lambda_min": float(lam),
        "nosig_residual": ns,
        "margin": margin,
        "residual_bound": r_bound,
        "trace_bound": float(np.prod(dims_out)),
    }


def ico_bound_single_trigger_full(
    alpha: np.ndarray, triggers: Sequence[int] | None = None, **solver_kwargs: Any
) -> OptResult:
    """Naive primal SDP (Eq. 22): ``max Tr(Omega* S)`` over full process matrices ``S``.

    ``S >= 0`` real symmetric on ``(in1, o1, aux1, in2, o2, aux2)`` (dimension
    ``m1^2 n1 m2^2 n2``), normalised on every no-signalling channel:
    ``P_NS(S) = I / (m1 m2)``. No symmetry reduction: an independent route to
    :func:`ico_bound_single_trigger` for small games (LGYNI: 64 x 64; OCB pieces: 128 x 128).
    """
    import cvxpy as cp

    alpha = validate_coefficients(alpha, nonnegative=False)
    m1, m2, n1, n2 = alpha.shape
    triggers = _resolve_triggers(alpha, triggers)
    omega = single_trigger_operator(alpha, triggers)
    dims = [m1, m1 * n1, m2, m2 * n2]
    dfull = omega.shape[0]
    if dfull > 256:
        raise ValueError(f"full SDP of dimension {dfull} is too large (limit 256)")
    size = dfull * dfull
    proj = sp.identity(size, format="csr")
    for i in range(2):
        t_o = trace_replace_matrix(dims, [2 * i + 1])
        t_io = trace_replace_matrix(dims, [2 * i, 2 * i + 1])
        proj = (sp.identity(size, format="csr") - t_o + t_io) @ proj
    target = (np.eye(dfull) / (m1 * m2)).reshape(-1)
    s = cp.Variable((dfull, dfull), symmetric=True)
    proj = proj.tocsr()
    keep = np.unique(proj.nonzero()[0])
    cons = [s >> 0, proj[keep] @ cp.vec(s, order="C") == target[keep]]
    prob = cp.Problem(cp.Maximize(cp.trace(omega @ s)), cons)
    res = _solve(
        prob,
        name="full-space primal ICO SDP (paper 001, Eq. 22)",
        params={"shape": list(alpha.shape), "triggers": list(triggers)},
        solver_kwargs=solver_kwargs,
    )
    res.extra["process"] = np.asarray(s.value)
    res.extra["triggers"] = tuple(triggers)
    return res
