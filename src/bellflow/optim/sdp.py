"""Checked SDP solves through cvxpy: :func:`solve_sdp` (see :mod:`bellflow.optim`)."""

from __future__ import annotations

import json
import time
import warnings
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from bellflow.optim.conic import _certify_conic
from bellflow.optim.results import (
    DEFAULT_SDP_TOL,
    OptResult,
    SolverError,
    _check_achieved,
    _error,
    _fmt_params,
    logger,
)


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
