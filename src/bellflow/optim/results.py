"""Results and errors of checked solves: :class:`OptResult`, :class:`SolverError`, and the
HDF5 records of many solves (:func:`record`, :func:`summary_attrs`)."""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

logger = logging.getLogger("bellflow.optim")

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
    """Root attributes summarising many solves.

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



def _fmt_params(params: Mapping[str, Any] | None) -> str:
    return json.dumps(params, sort_keys=True, default=str) if params else "{}"


def _error(name: str, params: Mapping[str, Any] | None, what: str, status: str) -> SolverError:
    """A :class:`SolverError` whose message names the problem, what happened and the params."""
    return SolverError(f"{name}: {what}; params={_fmt_params(params)}", status=status, problem=name)

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
