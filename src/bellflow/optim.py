"""Checked optimisation: every solve reports its status, and a non-optimal one raises.

All SDPs and LPs of bellflow go through :func:`solve_sdp` (cvxpy) or :func:`solve_lp`
(scipy HiGHS). They return an :class:`OptResult` that carries the optimal value together with
the solver name, status, primal and dual objective values and tolerances, so that the HDF5
outputs can record them (see :func:`bellflow.io.write_result`).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

__all__ = [
    "OptResult",
    "SolverError",
    "solve_sdp",
    "solve_lp",
    "checked_solves_attrs",
    "DEFAULT_SDP_TOL",
]

#: Default Clarabel tolerances used across bellflow (gap and feasibility).
DEFAULT_SDP_TOL: dict[str, float] = {"tol_gap_abs": 1e-9, "tol_gap_rel": 1e-9, "tol_feas": 1e-9}


class SolverError(RuntimeError):
    """A solver ended with a status other than optimal.

    The message names the problem, its parameters, the solver and the status.
    """


@dataclass
class OptResult:
    """Outcome of a checked optimisation.

    Attributes
    ----------
    value:
        Optimal objective value (in the sense of the problem as posed, max or min).
    status:
        Solver status string (``"optimal"`` for every result that is returned).
    solver:
        Name of the solver that ran.
    primal, dual:
        Primal and dual objective values when the solver reports both (else ``nan``).
    gap:
        ``|primal - dual|`` (``nan`` when the dual objective is unknown).
    tolerances:
        The solver tolerances used.
    extra:
        Optional problem-specific output (e.g. optimal variables).
    """

    value: float
    status: str
    solver: str
    primal: float = float("nan")
    dual: float = float("nan")
    gap: float = float("nan")
    tolerances: dict[str, float] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict, repr=False)

    def attrs(self) -> dict[str, Any]:
        """Flat attributes for an HDF5 file (``solver``, ``solver_status``, ...)."""
        d = asdict(self)
        d.pop("extra")
        return {
            "solver": d["solver"],
            "solver_status": d["status"],
            "solver_tolerances": json.dumps(d["tolerances"], sort_keys=True),
            "solver_gap": float(d["gap"]),
        }


def checked_solves_attrs(solver: str = "CLARABEL", **tolerances: float) -> dict[str, Any]:
    """HDF5 attributes for a result built from many checked solves.

    Every solve went through :func:`solve_sdp` / :func:`solve_lp`, which raise on any status
    other than optimal, so the status of a result that exists is ``optimal`` by construction;
    the tolerances default to :data:`DEFAULT_SDP_TOL` for Clarabel.
    """
    tol = dict(DEFAULT_SDP_TOL if solver.upper() == "CLARABEL" else {}) | tolerances
    return {
        "solver": solver,
        "solver_status": "optimal",
        "solver_tolerances": json.dumps(tol, sort_keys=True),
        "solver_note": "every solve checked: a non-optimal status raises SolverError",
    }


def _fmt_params(params: dict[str, Any] | None) -> str:
    if not params:
        return "{}"
    return json.dumps(params, sort_keys=True, default=str)


def solve_sdp(
    problem,
    *,
    name: str,
    params: dict[str, Any] | None = None,
    solver: str = "CLARABEL",
    accept_inaccurate: bool = False,
    **solver_kwargs: Any,
) -> OptResult:
    """Solve a cvxpy problem and raise :class:`SolverError` unless the status is optimal.

    Parameters
    ----------
    problem:
        A ``cvxpy.Problem``.
    name, params:
        Used in the error message and nowhere else: the problem's name (e.g.
        ``"NPA level 1+AB upper bound of CHSH"``) and its parameters.
    solver:
        ``"CLARABEL"`` (default, interior point, accurate) or ``"SCS"`` (first order).
    accept_inaccurate:
        Return ``optimal_inaccurate`` results instead of raising. Off by default; a caller that
        turns it on must record the status (it is in the returned :class:`OptResult`).
    solver_kwargs:
        Passed to ``problem.solve``. Clarabel defaults to :data:`DEFAULT_SDP_TOL`.

    Examples
    --------
    >>> import cvxpy as cp
    >>> x = cp.Variable()
    >>> solve_sdp(cp.Problem(cp.Maximize(x), [x <= 1]), name="toy").value  # doctest: +ELLIPSIS
    1.0...
    """
    import cvxpy as cp

    solver = solver.upper()
    kwargs = dict(solver_kwargs)
    if solver == "CLARABEL":
        for k, v in DEFAULT_SDP_TOL.items():
            kwargs.setdefault(k, v)
    elif solver == "SCS":
        kwargs.setdefault("eps", 1e-8)
        kwargs.setdefault("max_iters", 200_000)
    try:
        # The documented three-step path (instead of problem.solve) keeps the solver's raw
        # output, which carries the dual objective that cvxpy does not pass on.
        data, chain, inverse_data = problem.get_problem_data(solver, solver_opts=kwargs)
        raw = chain.solve_via_data(problem, data, False, False, kwargs)
        problem.unpack_results(raw, chain, inverse_data)
    except cp.error.SolverError as exc:  # solver crashed: still a named, loud failure
        raise SolverError(
            f"{name}: solver {solver} failed ({exc}); params={_fmt_params(params)}"
        ) from exc
    status = str(problem.status)
    ok = {cp.OPTIMAL} | ({cp.OPTIMAL_INACCURATE} if accept_inaccurate else set())
    if status not in ok:
        raise SolverError(
            f"{name}: solver {solver} ended with status {status!r} (not optimal); "
            f"params={_fmt_params(params)}"
        )
    value = float(problem.value)
    pobj, dobj = _raw_objectives(raw, solver)
    # The solver sees  min f  (cvxpy negates a maximisation); map its dual objective back to
    # the problem's own sign and constant offset.
    sign = 1.0 if isinstance(problem.objective, cp.Minimize) else -1.0
    dual = value + sign * (dobj - pobj) if np.isfinite(dobj) else float("nan")
    gap = abs(pobj - dobj) if np.isfinite(dobj) else float("nan")
    primal = value
    return OptResult(
        value=value,
        status=status,
        solver=solver,
        primal=primal,
        dual=dual,
        gap=gap,
        tolerances={k: float(v) for k, v in kwargs.items() if isinstance(v, int | float)},
    )


def solve_lp(
    c,
    *,
    name: str,
    params: dict[str, Any] | None = None,
    A_ub=None,
    b_ub=None,
    A_eq=None,
    b_eq=None,
    bounds=(0, None),
    maximize: bool = False,
) -> OptResult:
    """Solve ``min c.x`` (or ``max`` with ``maximize=True``) with scipy's HiGHS; raise unless
    optimal.

    The returned :class:`OptResult` has ``extra["x"]`` (primal solution) and
    ``extra["marginals_eq"]`` / ``extra["marginals_ub"]`` (dual values, HiGHS sign convention:
    sensitivities of the *minimised* objective).
    """
    from scipy.optimize import linprog

    c = np.asarray(c, dtype=float)
    sign = -1.0 if maximize else 1.0
    res = linprog(
        sign * c, A_ub=A_ub, b_ub=b_ub, A_eq=A_eq, b_eq=b_eq, bounds=bounds, method="highs"
    )
    if res.status != 0:
        raise SolverError(
            f"{name}: HiGHS ended with status {res.status} ({res.message}); "
            f"params={_fmt_params(params)}"
        )
    value = sign * float(res.fun)
    extra: dict[str, Any] = {"x": res.x}
    dual = float("nan")
    if hasattr(res, "eqlin") and res.eqlin is not None:
        extra["marginals_eq"] = res.eqlin.marginals
    if hasattr(res, "ineqlin") and res.ineqlin is not None:
        extra["marginals_ub"] = res.ineqlin.marginals
    # Dual objective b.y from the HiGHS marginals (bounds' marginals included).
    dual_min = 0.0
    if A_eq is not None:
        dual_min += float(np.dot(b_eq, res.eqlin.marginals))
    if A_ub is not None:
        dual_min += float(np.dot(b_ub, res.ineqlin.marginals))
    lo = getattr(res, "lower", None)
    up = getattr(res, "upper", None)
    n = len(c)
    lb, ub = _bounds_arrays(bounds, n)
    if lo is not None:
        dual_min += float(np.dot(np.where(np.isfinite(lb), lb, 0.0), lo.marginals))
    if up is not None:
        dual_min += float(np.dot(np.where(np.isfinite(ub), ub, 0.0), up.marginals))
    dual = sign * dual_min
    return OptResult(
        value=value,
        status="optimal",
        solver="HiGHS",
        primal=value,
        dual=dual,
        gap=abs(value - dual),
        tolerances={},
        extra=extra,
    )


def _raw_objectives(raw, solver: str) -> tuple[float, float]:
    """Primal and dual objective of the solver's own (minimisation) problem."""
    if solver == "CLARABEL":
        return float(raw.obj_val), float(raw.obj_val_dual)
    if solver == "SCS":
        info = raw["info"]
        return float(info["pobj"]), float(info["dobj"])
    return float("nan"), float("nan")


def _bounds_arrays(bounds, n: int) -> tuple[np.ndarray, np.ndarray]:
    if isinstance(bounds, tuple) and len(bounds) == 2 and not isinstance(bounds[0], tuple):
        bounds = [bounds] * n
    lb = np.array([-np.inf if b[0] is None else b[0] for b in bounds], dtype=float)
    ub = np.array([np.inf if b[1] is None else b[1] for b in bounds], dtype=float)
    return lb, ub
