"""Checked LP solves through scipy's HiGHS with a certified bound: :func:`solve_lp` (see
:mod:`bellflow.optim`)."""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any

import numpy as np

from bellflow.optim.results import (
    _EPS,
    OptResult,
    _check_achieved,
    _error,
    _fmt_params,
    logger,
)

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

