"""Checked optimisation: every solve reports its status, a non-optimal one raises, and a bound
comes with a certificate.

All SDPs and LPs of bellflow go through :func:`solve_sdp` (cvxpy) or :func:`solve_lp`
(scipy HiGHS). They return an :class:`OptResult` with the optimal value, the solver name,
status, primal and dual objective values, the settings used and, when an a-priori bound on the
variables is known, a **certified** bound valid for the exact problem.

Certificate of an SDP (method ``"repaired dual"``, used by every SDP of the library)
----------------------------------------------------------------------------------------
cvxpy hands the solver the conic problem ``min c.x + d  s.t.  A x + s = b, s in K``; the dual is
``max -b.z + d  s.t.  A^T z + c = 0, z in K*``. The solver's dual point ``z`` is repaired into
the dual cone ``K* = K``: zero cone entries stay (free), nonnegative entries are clipped at 0,
each PSD block (Clarabel/SCS triangle with ``sqrt 2`` off-diagonal scaling) is unpacked, its
negative eigenvalues are set to zero and it is shifted by ``delta I`` with
``delta = 8 (n + 1) eps max|lambda|`` so that rounding of the reconstruction cannot leave it
outside the cone; second-order cone blocks get their first entry raised to the norm of the
rest. With ``r = A^T z + c`` every feasible ``x`` satisfies (weak duality, ``z.s >= 0``)

    c.x + d  >=  -b.z + d + r.x  >=  -b.z + d - sum_i |r_i| xbound_i - margin,

where ``xbound_i`` bounds ``|x_i|`` over the feasible set (from ``var_bound``) and ``margin``
bounds the floating-point error of the products (``gamma_k = k eps / (1 - k eps)`` times
``|b|.|z| + (|A|^T |z| + |c|).xbound``, with ``k`` the longest dot product; it also covers the
rounding of ``sqrt 2`` in the data). For a maximisation cvxpy minimises ``-f`` and the sign is
mapped back, so ``certified`` is an upper bound for a maximisation and a lower bound for a
minimisation. Auxiliary variables that cvxpy creates (e.g. for a norm) carry no a-priori bound:
they are allowed only where their residual entries are exactly zero. When there are none, the
repaired point is polished by :data:`POLISH_ROUNDS` rounds of alternating projection (least-norm
step onto ``A^T z + c = 0``, then the repair above) and the best bound is kept: any point of the
cone gives a valid bound, polishing only makes it tighter (first-order solvers gain the most).

Certificate of an LP (method ``"dual with bounds"``, Neumaier-Shcherbina)
---------------------------------------------------------------------------
For ``min c.x s.t. A_ub x <= b_ub, A_eq x = b_eq, lb <= x <= ub`` and any ``y_eq``,
``y_ub <= 0`` (HiGHS marginals, the latter clipped at 0):
``c.x >= b.y + sum_i min_{x_i in [lb_i, ub_i]} (c - A^T y)_i x_i`` minus a rounding margin;
an unbounded variable whose reduced cost has the wrong sign (beyond its rounding level) gives
``-inf``. A reduced cost within its rounding level counts as zero; for a variable with a finite
bound the margin pays for it, for an unbounded one it is not paid for (counted in
``certificate["n_unbounded_at_rounding_level"]``; pass ``var_bound`` to close that gap).

Examples
--------
>>> import cvxpy as cp
>>> X = cp.Variable((2, 2), symmetric=True)
>>> prob = cp.Problem(cp.Maximize(X[0, 1]), [X >> 0, cp.trace(X) == 1])
>>> res = solve_sdp(prob, name="toy", var_bound=1.0)   # |X_ij| <= trace = 1
>>> round(res.value, 6), 0.5 <= res.certified < 0.5 + 1e-6
(0.5, True)
"""

from __future__ import annotations

import functools
import json
import logging
import time
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

__all__ = [
    "OptResult",
    "SolverError",
    "CertificateError",
    "solve_sdp",
    "solve_lp",
    "record",
    "summary_attrs",
    "checked_solves_attrs",
    "DEFAULT_SDP_TOL",
]

logger = logging.getLogger(__name__)

#: Default Clarabel tolerances used across bellflow (gap and feasibility).
DEFAULT_SDP_TOL: dict[str, float] = {"tol_gap_abs": 1e-9, "tol_gap_rel": 1e-9, "tol_feas": 1e-9}

_EPS = float(np.finfo(float).eps)


class SolverError(RuntimeError):
    """A solver ended with a status other than optimal, or returned non-finite numbers.

    The message names the problem, its parameters, the solver and the status; ``status`` (the
    last solver status, or ``"non_finite"`` / ``"solver_error"``) and ``problem`` (the name)
    are attributes.
    """

    def __init__(self, message: str, *, status: str = "", problem: str = "") -> None:
        super().__init__(message)
        self.status = status
        self.problem = problem


class CertificateError(RuntimeError):
    """A certificate is wrong (below a value reached by a feasible point) or cannot be built."""


@dataclass
class OptResult:
    """Outcome of a checked optimisation.

    ``value``: optimal objective value (of the problem as posed, max or min); ``status``: solver
    status (``"optimal"``, or ``"optimal_inaccurate"`` when the caller accepted it);
    ``solver``: the solver whose result this is; ``primal``, ``dual``: objective values (``nan``
    if unknown), ``gap`` their difference; ``tolerances``: the numeric solver settings used;
    ``certified``: a bound valid for the exact problem in the direction of the optimisation
    (upper for a max, lower for a min; ``nan`` without certificate); ``certificate``: how it was
    obtained (``method`` ``"none"``, ``"repaired dual"`` or ``"dual with bounds"``,
    ``lambda_min`` before repair, residual norms, bound used, margin); ``achieved``: the exact
    value of a feasible point supplied by the caller (``nan`` if none), so the optimum lies in
    ``[achieved, certified]``; ``extra``: problem-specific output (``attempts``,
    ``solve_seconds`` (all attempts) and ``certify_seconds`` of :func:`solve_sdp`, variables).
    """

    value: float
    status: str
    solver: str
    primal: float = float("nan")
    dual: float = float("nan")
    gap: float = float("nan")
    tolerances: dict[str, float] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict, repr=False)
    certified: float = float("nan")
    certificate: dict[str, Any] = field(default_factory=lambda: {"method": "none"})
    achieved: float = float("nan")

    def attrs(self) -> dict[str, Any]:
        """Flat attributes for an HDF5 file (``solver``, ``solver_status``, ``certified``...)."""
        return {
            "solver": self.solver,
            "solver_status": self.status,
            "solver_tolerances": json.dumps(self.tolerances, sort_keys=True),
            "solver_gap": float(self.gap),
            "certified": float(self.certified),
            "achieved": float(self.achieved),
            "certificate": json.dumps(self.certificate, sort_keys=True, default=_json_num),
        }


def _json_num(v: Any) -> Any:
    if isinstance(v, np.generic):
        return v.item()
    if isinstance(v, np.ndarray):
        return v.tolist()
    return str(v)


def record(results: Any, dims: Sequence[str]) -> dict[str, tuple]:
    """Per-point data variables of a scan of solves, for :func:`bellflow.io.write_result`.

    ``results`` is an array-like of :class:`OptResult` whose shape matches ``dims``. Returns
    ``{"certified", "achieved", "solver_status", "solver_tolerances"}`` as
    ``(dims, array, attrs)`` tuples.

    >>> r = OptResult(value=1.0, status="optimal", solver="HiGHS", certified=1.0)
    >>> out = record([r, r], ("x",))
    >>> out["certified"][1].tolist(), out["solver_status"][1].tolist()
    ([1.0, 1.0], ['optimal', 'optimal'])
    """
    arr = np.empty(np.shape(np.asarray(results, dtype=object)), dtype=object)
    arr[...] = np.asarray(results, dtype=object)
    dims = tuple(dims)
    if arr.ndim != len(dims):
        raise ValueError(f"dims {dims} do not match results of shape {arr.shape}")
    flat = list(arr.reshape(-1))
    if not all(isinstance(r, OptResult) for r in flat):
        raise ValueError("results must hold OptResult objects only")

    def grid(f: Any, dtype: Any) -> np.ndarray:
        return np.array([f(r) for r in flat], dtype=dtype).reshape(arr.shape)

    tol = grid(lambda r: json.dumps(r.tolerances, sort_keys=True), str)
    return {
        "certified": (dims, grid(lambda r: r.certified, float), {"description": _D_CERT}),
        "achieved": (dims, grid(lambda r: r.achieved, float), {"description": _D_ACH}),
        "solver_status": (dims, grid(lambda r: r.status, str), {"description": "solver status"}),
        "solver_tolerances": (dims, tol, {"description": "solver settings used (JSON)"}),
    }


_D_CERT = "certified bound of each solve (upper for a max, lower for a min; nan: none)"
_D_ACH = "exact value of a feasible point of each solve (nan: none known)"


def summary_attrs(results: Any) -> dict[str, Any]:
    """Root attributes summarising many solves (replaces :func:`checked_solves_attrs`).

    ``solver`` and ``solver_status`` are the comma-joined sorted distinct values,
    ``solver_tolerances`` the JSON of the settings (one dict if all solves used the same, else
    the sorted list of distinct dicts), ``n_solves`` and ``n_certified`` the counts.

    >>> r = OptResult(value=1.0, status="optimal", solver="CLARABEL", tolerances={"tol": 1e-9})
    >>> summary_attrs([r, r])["solver_tolerances"]
    '{"tol": 1e-09}'
    """
    flat = list(np.asarray(results, dtype=object).reshape(-1))
    if not flat or not all(isinstance(r, OptResult) for r in flat):
        raise ValueError("results must be a non-empty collection of OptResult objects")
    tols = sorted({json.dumps(r.tolerances, sort_keys=True) for r in flat})
    return {
        "solver": ",".join(sorted({r.solver for r in flat})),
        "solver_status": ",".join(sorted({r.status for r in flat})),
        "solver_tolerances": tols[0] if len(tols) == 1 else "[" + ", ".join(tols) + "]",
        "n_solves": len(flat),
        "n_certified": int(sum(np.isfinite(r.certified) for r in flat)),
        "solver_note": "every solve checked: a non-optimal status raises SolverError",
    }


def checked_solves_attrs(solver: str = "CLARABEL", **tolerances: float) -> dict[str, Any]:
    """Deprecated: use :func:`record` / :func:`summary_attrs` with the actual results.

    HDF5 attributes for a result built from many checked solves, assuming status ``optimal``
    and the default tolerances (which is what :func:`summary_attrs` replaces by the facts).
    """
    warnings.warn(
        "optim.checked_solves_attrs is deprecated: use optim.summary_attrs(results) and "
        "optim.record(results, dims)",
        DeprecationWarning,
        stacklevel=2,
    )
    tol = dict(DEFAULT_SDP_TOL if solver.upper() == "CLARABEL" else {}) | tolerances
    return {
        "solver": solver,
        "solver_status": "optimal",
        "solver_tolerances": json.dumps(tol, sort_keys=True),
        "solver_note": "every solve checked: a non-optimal status raises SolverError",
    }


def _fmt_params(params: Mapping[str, Any] | None) -> str:
    return json.dumps(params, sort_keys=True, default=str) if params else "{}"


def _error(name: str, params: Mapping[str, Any] | None, what: str, status: str) -> SolverError:
    """A :class:`SolverError` whose message names the problem, what happened and the params."""
    return SolverError(f"{name}: {what}; params={_fmt_params(params)}", status=status, problem=name)


def _settings(solver: str, kwargs: Mapping[str, Any]) -> dict[str, Any]:
    """Solver settings with bellflow's defaults filled in."""
    out = dict(kwargs)
    if solver == "CLARABEL":
        for k, v in DEFAULT_SDP_TOL.items():
            out.setdefault(k, v)
    elif solver == "SCS":
        out.setdefault("eps", 1e-8)
        out.setdefault("max_iters", 200_000)
    return out


def solve_sdp(
    problem: Any,
    *,
    name: str,
    params: Mapping[str, Any] | None = None,
    solver: str = "CLARABEL",
    fallbacks: Sequence[Mapping[str, Any]] = (),
    var_bound: float | Mapping[Any, float] | None = None,
    achieved: float | None = None,
    accept_inaccurate: bool = False,
    **solver_kwargs: Any,
) -> OptResult:
    """Solve a cvxpy problem, raise :class:`SolverError` unless optimal, and certify it.

    Parameters
    ----------
    problem, name, params:
        A ``cvxpy.Problem``, its name and parameters (used in messages and the log line).
    solver:
        ``"CLARABEL"`` (default, interior point, accurate) or ``"SCS"`` (first order).
    fallbacks:
        Further attempts, tried in order when the previous one raised or ended non-optimal:
        dicts of solver settings, optionally with ``"solver"``. A dict for the same solver as
        the first attempt is merged over the first attempt's settings. The settings of the
        attempt that succeeded are in ``tolerances``; every attempt is in
        ``extra["attempts"]``.
    var_bound:
        A-priori bound on ``|entry|`` of the cvxpy Variables over the feasible set: a float
        for all of them, or ``{variable: bound}``. With it, ``certified`` is computed (see the
        module docstring); without it ``certified`` is nan and ``certificate["method"] ==
        "none"``. A bound that is too small makes the certificate wrong: derive it.
    achieved:
        Exact objective value of a feasible point known to the caller; the certificate is
        checked against it (:class:`CertificateError` if it is on the wrong side).
    accept_inaccurate:
        Return ``optimal_inaccurate`` results instead of raising. The status is recorded.
    solver_kwargs:
        Settings of the first attempt. Clarabel defaults to :data:`DEFAULT_SDP_TOL`.

    A non-finite objective, primal or dual point raises :class:`SolverError` whatever the
    status. One INFO log line per solve (problem, params, status, seconds, certified).

    Examples
    --------
    >>> import cvxpy as cp
    >>> x = cp.Variable()
    >>> solve_sdp(cp.Problem(cp.Maximize(x), [x <= 1]), name="toy").value  # doctest: +ELLIPSIS
    1.0...
    """
    solver = solver.upper()
    first = _settings(solver, solver_kwargs)
    attempts: list[tuple[str, dict[str, Any]]] = [(solver, first)]
    for fb in fallbacks:
        fb = dict(fb)
        s = str(fb.pop("solver", solver)).upper()
        attempts.append((s, _settings(s, (first if s == solver else {}) | fb)))
    tried: list[dict[str, Any]] = []
    last: SolverError | None = None
    start = time.perf_counter()
    for s, kw in attempts:
        t0 = time.perf_counter()
        try:
            res, raw, data, chain, inv = _solve_once(
                problem, name=name, params=params, solver=s, kw=kw, accept=accept_inaccurate
            )
        except SolverError as exc:
            tried.append({"solver": s, **_numeric(kw), "outcome": exc.status})
            logger.info(
                "%s: %s failed (%s) in %.2f s; params=%s",
                name, s, exc.status, time.perf_counter() - t0, _fmt_params(params),
            )
            last = exc
            continue
        tried.append({"solver": s, **_numeric(kw), "outcome": res.status})
        res.extra["attempts"] = tried
        res.extra["solve_seconds"] = t1 = time.perf_counter() - start  # all attempts
        _attach_certificate(res, problem, raw, data, chain, inv, var_bound, achieved, name)
        res.extra["certify_seconds"] = time.perf_counter() - start - t1
        logger.info(
            "%s: %s %s in %.2f s, value %.12g, certified %.12g; params=%s",
            name, s, res.status, time.perf_counter() - t0, res.value, res.certified,
            _fmt_params(params),
        )
        return res
    assert last is not None
    if len(attempts) > 1:
        raise SolverError(
            f"{last} (after {len(attempts)} attempts: {json.dumps(tried, default=str)})",
            status=last.status,
            problem=name,
        ) from last
    raise last


def _numeric(kw: Mapping[str, Any]) -> dict[str, float]:
    return {k: float(v) for k, v in kw.items() if isinstance(v, int | float)}


def _solve_once(problem, *, name, params, solver, kw, accept):
    """One checked solve; returns (result, raw solution, conic data, chain, inverse data)."""
    import cvxpy as cp

    try:
        # The documented three-step path (instead of problem.solve) keeps the solver's raw
        # output and the conic data, which the certificate needs.
        data, chain, inv = problem.get_problem_data(solver, solver_opts=dict(kw))
        raw = chain.solve_via_data(problem, data, False, False, dict(kw))  # cvxpy edits opts
        with warnings.catch_warnings():  # the status says it; raised below unless accepted
            warnings.filterwarnings("ignore", message="Solution may be inaccurate")
            problem.unpack_results(raw, chain, inv)
    except cp.error.SolverError as exc:  # solver crashed: still a named, loud failure
        raise _error(name, params, f"solver {solver} failed ({exc})", "solver_error") from exc
    status = str(problem.status)
    ok = {cp.OPTIMAL} | ({cp.OPTIMAL_INACCURATE} if accept else set())
    if status not in ok:
        raise _error(name, params, f"solver {solver} ended with status {status!r}", status)
    x, z, pobj, dobj = _raw_solution(raw, solver)
    value = float(problem.value) if problem.value is not None else float("nan")
    finite = np.isfinite(value) and np.all(np.isfinite(x)) and np.all(np.isfinite(z))
    known = solver in ("CLARABEL", "SCS")  # others: no raw objectives to check
    if not (finite and (not known or (np.isfinite(pobj) and np.isfinite(dobj)))):
        what = f"{solver} returned a non-finite objective, primal or dual point ({status})"
        raise _error(name, params, what, "non_finite")
    # The solver sees  min f  (cvxpy negates a maximisation); map its dual objective back to
    # the problem's own sign and constant offset.
    sign = 1.0 if isinstance(problem.objective, cp.Minimize) else -1.0
    dual = value + sign * (dobj - pobj) if known else float("nan")
    gap = abs(pobj - dobj) if known else float("nan")
    res = OptResult(value, status, solver, value, dual, gap, tolerances=_numeric(kw))
    return res, raw, data, chain, inv


def _raw_solution(raw: Any, solver: str) -> tuple[np.ndarray, np.ndarray, float, float]:
    """Primal x, dual z and the primal/dual objectives of the solver's own problem."""
    if solver == "CLARABEL":
        x, z, p, d = raw.x, raw.z, raw.obj_val, raw.obj_val_dual
    elif solver == "SCS":
        x, z, p, d = raw["x"], raw["y"], raw["info"]["pobj"], raw["info"]["dobj"]
    else:
        x, z, p, d = [], [], np.nan, np.nan
    return np.asarray(x, dtype=float), np.asarray(z, dtype=float), float(p), float(d)


def _attach_certificate(res, problem, raw, data, chain, inv, var_bound, achieved, name):
    import cvxpy as cp

    maximise = isinstance(problem.objective, cp.Maximize)
    if var_bound is not None:
        _, z, _, _ = _raw_solution(raw, res.solver)
        lower, cert = _certify_conic(problem, data, chain, inv, z, var_bound, name)
        res.certified = -lower if maximise else lower
        res.certificate = cert
    if achieved is not None:
        _check_achieved(res, float(achieved), maximise, name)


def _check_achieved(res: OptResult, achieved: float, maximise: bool, name: str) -> None:
    if not np.isfinite(achieved):
        raise ValueError(f"achieved must be finite, got {achieved!r}")
    res.achieved = achieved
    if np.isnan(res.certified):
        return
    tiny = 1e-12 * max(1.0, abs(achieved))
    wrong = res.certified < achieved - tiny if maximise else res.certified > achieved + tiny
    if wrong:
        raise CertificateError(
            f"{name}: certified bound {res.certified!r} is on the wrong side of the value "
            f"{achieved!r} reached by a feasible point: the certificate (or var_bound) is wrong"
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


# --- LP ------------------------------------------------------------------------------------


def solve_lp(
    c: Any,
    *,
    name: str,
    params: Mapping[str, Any] | None = None,
    A_ub: Any = None,
    b_ub: Any = None,
    A_eq: Any = None,
    b_eq: Any = None,
    bounds: Any = (0, None),
    maximize: bool = False,
    var_bound: Any = None,
    achieved: float | None = None,
) -> OptResult:
    """Solve ``min c.x`` (or ``max`` with ``maximize=True``) with scipy's HiGHS; raise unless
    optimal; certify from the dual with the variable bounds (module docstring).

    ``var_bound`` (float or per-variable array) is an optional a-priori bound on ``|x_i|``
    over the feasible set that tightens ``bounds`` for the certificate only (needed when a
    variable is unbounded). ``achieved`` is checked as in :func:`solve_sdp`.

    The returned :class:`OptResult` has ``extra["x"]`` (primal solution) and
    ``extra["marginals_eq"]`` / ``extra["marginals_ub"]`` (dual values, HiGHS sign convention:
    sensitivities of the *minimised* objective).
    """
    from scipy.optimize import linprog

    c = np.asarray(c, dtype=float)
    sign = -1.0 if maximize else 1.0
    t0 = time.perf_counter()
    res = linprog(
        sign * c, A_ub=A_ub, b_ub=b_ub, A_eq=A_eq, b_eq=b_eq, bounds=bounds, method="highs"
    )
    if res.status != 0:
        what = f"HiGHS ended with status {res.status} ({res.message})"
        raise _error(name, params, what, f"highs_status_{res.status}")
    if not (np.isfinite(res.fun) and np.all(np.isfinite(res.x))):
        raise _error(name, params, "HiGHS returned a non-finite objective or point", "non_finite")
    value = sign * float(res.fun)
    extra: dict[str, Any] = {"x": res.x}
    n = len(c)
    parts = _lp_parts(sign * c, A_ub, b_ub, A_eq, b_eq, res, n)
    if not all(np.all(np.isfinite(p)) for p in parts[2:]):
        raise _error(name, params, "HiGHS returned non-finite duals", "non_finite")
    if A_eq is not None:
        extra["marginals_eq"] = res.eqlin.marginals
    if A_ub is not None:
        extra["marginals_ub"] = res.ineqlin.marginals
    lb, ub = _bounds_arrays(bounds, n)
    if var_bound is not None:
        vb = np.broadcast_to(np.asarray(var_bound, dtype=float), (n,))
        if not np.all(np.isfinite(vb)) or np.any(vb < 0):
            raise ValueError(f"var_bound must be finite and >= 0, got {var_bound!r}")
        lb, ub = np.maximum(lb, -vb), np.minimum(ub, vb)
    A, b, cmin, y = parts
    lower, cert, dual_min = _lp_certificate(A, b, cmin, y, lb, ub)
    dual = sign * dual_min
    out = OptResult(value, "optimal", "HiGHS", value, dual, abs(value - dual), {}, extra)
    out.certified, out.certificate = sign * lower, cert
    if achieved is not None:
        _check_achieved(out, float(achieved), maximize, name)
    logger.info(
        "%s: HiGHS optimal in %.2f s, value %.12g, certified %.12g; params=%s",
        name, time.perf_counter() - t0, value, out.certified, _fmt_params(params),
    )
    return out


def _lp_parts(
    c: Any, A_ub: Any, b_ub: Any, A_eq: Any, b_eq: Any, res: Any, n: int
) -> tuple[Any, np.ndarray, np.ndarray, np.ndarray]:
    """Stacked (A, b, c, y) of the minimised LP with HiGHS' duals (``y_ub`` clipped at 0)."""
    import scipy.sparse as sp

    mats, rhs, ys = [], [], []
    if A_eq is not None:
        mats.append(sp.csr_matrix(np.atleast_2d(A_eq) if not sp.issparse(A_eq) else A_eq))
        rhs.append(np.asarray(b_eq, dtype=float).reshape(-1))
        ys.append(np.asarray(res.eqlin.marginals, dtype=float))
    if A_ub is not None:
        mats.append(sp.csr_matrix(np.atleast_2d(A_ub) if not sp.issparse(A_ub) else A_ub))
        rhs.append(np.asarray(b_ub, dtype=float).reshape(-1))
        ys.append(np.minimum(np.asarray(res.ineqlin.marginals, dtype=float), 0.0))
    if not mats:
        return sp.csr_matrix((0, n)), np.zeros(0), c, np.zeros(0)
    return sp.vstack(mats).tocsr(), np.concatenate(rhs), c, np.concatenate(ys)


def _lp_certificate(A: Any, b: Any, c: Any, y: Any, lb: Any, ub: Any) -> tuple[float, dict, float]:
    """``b.y + sum_i min_{x_i in [lb_i, ub_i]} d_i x_i`` with ``d = c - A^T y``, minus margin."""
    d = c - A.T @ y
    k = int(np.max(np.diff(A.tocsc().indptr), initial=0)) + 2
    gk = k * _EPS / (1 - k * _EPS)
    dlev = gk * (abs(A).T @ np.abs(y) + np.abs(c))  # rounding level of each d_i
    small = np.abs(d) <= dlev
    with np.errstate(invalid="ignore"):  # 0 * inf where the branch is not taken
        lo_term = np.where(d > 0, np.where(np.isfinite(lb), d * lb, -np.inf), 0.0)
        hi_term = np.where(d < 0, np.where(np.isfinite(ub), d * ub, -np.inf), 0.0)
    terms = np.where(small, 0.0, lo_term + hi_term)
    fin = [np.nan_to_num(np.abs(v), posinf=0.0) for v in (lb, ub)]  # finite |bounds|
    xmax = np.maximum(*fin)
    by = float(b @ y)
    margin = float(dlev @ xmax) + len(b) * _EPS * float(np.abs(b) @ np.abs(y))
    margin += 4 * len(c) * _EPS * float(np.abs(terms[np.isfinite(terms)]).sum() + abs(by))
    lower = by + float(terms.sum()) - margin
    # plain dual objective (as before): b.y plus the bound terms at finite bounds
    dual_min = by + float(np.where(np.isfinite(terms), terms, 0.0).sum())
    cert = {"method": "dual with bounds", "margin": margin}
    cert["reduced_cost_inf"] = float(np.max(np.abs(d), initial=0.0))
    cert["n_unbounded_wrong_sign"] = int(np.sum(~np.isfinite(terms)))
    cert["n_reduced_costs_at_rounding_level"] = int(small.sum())
    boxed = np.isfinite(lb) & np.isfinite(ub)
    cert["n_unbounded_at_rounding_level"] = int(np.sum(small & ~boxed))
    return lower, cert, dual_min


def _bounds_arrays(bounds: Any, n: int) -> tuple[np.ndarray, np.ndarray]:
    bounds = (None, None) if bounds is None else bounds
    if isinstance(bounds, tuple) and len(bounds) == 2 and not isinstance(bounds[0], tuple):
        bounds = [bounds] * n
    lb = np.array([-np.inf if b[0] is None else b[0] for b in bounds], dtype=float)
    ub = np.array([np.inf if b[1] is None else b[1] for b in bounds], dtype=float)
    return lb, ub
