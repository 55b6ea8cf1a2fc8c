"""Scans of paper 001: biased OCB (Eq. 7), biased LGYNI (Fig. 2a), the OCB plane (Fig. 1)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import xarray as xr

from bellflow import optim
from bellflow.causal.certificates import ocb_instruments, ocb_process_matrix
from bellflow.causal.games import (
    algebraic_maximum,
    biased_lgyni_coefficients,
    biased_ocb_coefficients,
    causal_bound,
    causal_bound_lp,
    correlation_value,
    ocb_trigger_coefficients,
    ocb_weighted_coefficients,
)
from bellflow.causal.sdp import (
    _canonical_correlations,
    ico_bound_decomposition,
    ico_bound_single_trigger,
)
from bellflow.optim import OptResult
from bellflow.process import born_probabilities


def support_envelope(thetas: np.ndarray, h: np.ndarray) -> np.ndarray:
    """Boundary of a planar convex set from its support function (Fig. 1 geometry).

    Given directions ``u_k = (cos theta_k, sin theta_k)`` (increasing, covering the circle) and
    ``h_k = max_{P in K} u_k . P``, returns the vertices of the circumscribed polygon
    ``{P : u_k . P <= h_k for all k}``: the intersections of consecutive supporting lines.
    Exact for a polygon once every edge normal is among the directions; converges to a smooth
    boundary as the grid is refined. Shape ``(len(thetas), 2)``.
    """
    thetas = np.asarray(thetas, dtype=float)
    h = np.asarray(h, dtype=float)
    if thetas.shape != h.shape or thetas.ndim != 1 or len(thetas) < 3:
        raise ValueError("thetas and h must be 1-d arrays of equal length >= 3")
    if np.any(np.diff(thetas) <= 0) or thetas[-1] - thetas[0] >= 2 * np.pi:
        raise ValueError("thetas must increase strictly within one turn")
    pts = []
    for k in range(len(thetas)):
        t0, t1 = thetas[k], thetas[(k + 1) % len(thetas)]
        a = np.array([[np.cos(t0), np.sin(t0)], [np.cos(t1), np.sin(t1)]])
        pts.append(np.linalg.solve(a, [h[k], h[(k + 1) % len(h)]]))
    return np.array(pts)


def disc_fit(thetas: np.ndarray, h: np.ndarray) -> dict[str, float]:
    """Least-squares fit of a support function by a disc: ``h(theta) = c . u(theta) + r``.

    A disc of centre ``c`` and radius ``r`` has exactly this support function (Fig. 1: the
    ICO set of the OCB plane). Returns ``center_x``, ``center_y``, ``radius`` and the largest
    residual ``max_residual``.
    """
    thetas = np.asarray(thetas, dtype=float)
    h = np.asarray(h, dtype=float)
    a = np.column_stack([np.cos(thetas), np.sin(thetas), np.ones_like(thetas)])
    coef, *_ = np.linalg.lstsq(a, h, rcond=None)
    return {
        "center_x": float(coef[0]),
        "center_y": float(coef[1]),
        "radius": float(coef[2]),
        "max_residual": float(np.max(np.abs(a @ coef - h))),
    }


#: Description and units of every scan variable (the Datasets' ``description``/``units``).
_VARS: dict[str, tuple[str, str]] = {
    "ico": ("ICO upper bound (SDP optimum; see certified for the rigorous bound)", "1"),
    "ico_primal": ("SDP primal objective (max over process matrices)", "1"),
    "ico_dual": ("SDP dual objective (min over no-signalling certificates)", "1"),
    "ico_gap": ("solver duality gap", "1"),
    "ico_attempts": ("Clarabel strategies tried (1: defaults; causal.sdp._CLARABEL_RETRIES)", "1"),
    "process": ("value of the explicit process S_OCB,alpha (Eq. 41), a lower bound", "1"),
    "causal": ("causal bound (best deterministic causal strategy)", "1"),
    "causal_lp": ("causal bound by LP over the causal polytope", "1"),
    "algebraic": ("algebraic maximum", "1"),
    "excess": ("ICO bound minus causal bound", "1"),
    "certified_excess": ("certified ICO bound minus causal bound (>= the true excess)", "1"),
    "exposed_p11": ("P_succ^11 of the repaired optimal process (an exposed ICO point)", "1"),
    "exposed_pave": ("P_succ^ave of the repaired optimal process (Fig. 2b)", "1"),
}


def _combine(results: Sequence[OptResult], achieved: float) -> OptResult:
    """One result for the average of the pieces' bounds (Eq. 30): values, objectives, gaps and
    certified bounds averaged (the average of upper bounds bounds the average), the worst
    status, the first piece's settings; ``achieved`` as given (a feasible point of the game)."""
    k = len(results)
    return OptResult(
        value=sum(r.value for r in results) / k,
        status=",".join(sorted({r.status for r in results})),
        solver=results[0].solver,
        primal=sum(r.primal for r in results) / k,
        dual=sum(r.dual for r in results) / k,
        gap=sum(r.gap for r in results) / k,
        tolerances=results[0].tolerances,
        certified=sum(r.certified for r in results) / k,
        certificate={"method": "average of the pieces' explicit certificates (Eq. 30)"},
        achieved=achieved,
        extra={"attempts": max((r.extra["attempts"] for r in results), key=len)},
    )


def _dataset(
    axis: str, values: Sequence[float], cols: dict[str, list[float]], results: list[OptResult]
) -> xr.Dataset:
    """Dataset over ``axis`` with the solver columns, the per-point certificate record
    (:func:`bellflow.optim.record`) and :func:`bellflow.optim.summary_attrs` as attrs."""
    cols = {
        "ico": [r.value for r in results],
        "ico_primal": [r.primal for r in results],
        "ico_dual": [r.dual for r in results],
        "ico_gap": [r.gap for r in results],
        "ico_attempts": [float(len(r.extra["attempts"])) for r in results],
        **cols,
    }
    data = {
        k: ((axis,), np.asarray(v, dtype=float), {"description": _VARS[k][0], "units": _VARS[k][1]})
        for k, v in cols.items()
    }
    data.update(optim.record(results, (axis,)))
    units = "rad" if axis == "theta" else "1"
    ds = xr.Dataset(data, coords={axis: (axis, np.asarray(values, dtype=float), {"units": units})})
    ds.attrs.update(optim.summary_attrs(results))
    return ds


def ocb_plane_support(thetas: Sequence[float], *, method: str = "pieces") -> xr.Dataset:
    """Support functions of the causal, ICO and unconstrained sets in the ``(P_A, P_B)`` plane.

    For each direction ``u = (cos theta, sin theta)``: the maximum of
    ``cos theta P_A + sin theta P_B`` (``P_A = P(a1 = b | c = 0)``, ``P_B = P(a2 = x1 | c = 1)``)
    over causal distributions (:func:`causal_bound`), over quantum ICO processes (upper bound
    by SDP, with its certified value), and over all distributions (:func:`algebraic_maximum`)
    (Fig. 1).

    ``method="pieces"``: the ICO bound as the sum of the single-trigger bounds (Eq. 3) of the two
    pieces of Eq. (30) (valid for any weights). ``method="decomposition"``: the optimised
    decomposition SDP of Eq. (28). Returns a Dataset over ``theta``: ``causal``, ``ico``,
    ``algebraic``, the solver columns and ``certified``/``achieved``/``solver_status``.
    """
    if method not in ("pieces", "decomposition"):
        raise ValueError(f"method must be 'pieces' or 'decomposition', got {method!r}")
    cols: dict[str, list[float]] = {"causal": [], "causal_lp": [], "algebraic": []}
    results = []
    for t in thetas:
        wa, wb = float(np.cos(t)), float(np.sin(t))
        g = ocb_weighted_coefficients(wa, wb)
        cols["causal"].append(causal_bound(g))
        cols["causal_lp"].append(causal_bound_lp(g).value)
        cols["algebraic"].append(algebraic_maximum(g))
        if method == "decomposition":
            results.append(ico_bound_decomposition(g))
        else:
            rs = [
                ico_bound_single_trigger(_weighted_piece(wa, wb, z), (z, 2 * z + 1))
                for z in range(2)
            ]
            results.append(_combine(rs, float("nan")))
    return _dataset("theta", thetas, cols, results)


def _weighted_piece(w_a: float, w_b: float, z: int) -> np.ndarray:
    """``w_A P(a1 = b | x1 = z, c = 0) + w_B P(a2 = x1 | b = z, c = 1)`` (Eq. 30 piece)."""
    a = np.zeros((2, 2, 2, 4))
    for b in range(2):
        a[b, :, z, 2 * b] += w_a / 2
    for x1 in range(2):
        a[:, x1, x1, 2 * z + 1] += w_b / 2
    return a


def biased_ocb_scan(alphas: Sequence[float]) -> xr.Dataset:
    """Biased OCB (Eq. 6) over ``alphas``: ICO upper bound, explicit-process lower bound, causal.

    ``ico``: Eq. (30) + Lemma 1, the average of the single-trigger SDP bounds (Eq. 3) of the two
    pieces (Eq. 31 with ``x* = b* = z``), with its certified value; ``process`` (= ``achieved``):
    the value reached by ``S_OCB,alpha`` (Eq. 41) with the instruments of Eqs. (42)-(44), a
    feasible point, so the optimum is bracketed by ``[achieved, certified]``. Their agreement
    establishes Eq. (7). Also ``causal``, ``algebraic`` and the solver columns.
    """
    cols: dict[str, list[float]] = {"process": [], "causal": [], "algebraic": []}
    results = []
    ma, nb = ocb_instruments()
    for a in alphas:
        g = biased_ocb_coefficients(a)
        rs = [
            ico_bound_single_trigger(ocb_trigger_coefficients(a, z, z), (z, 2 * z + 1))
            for z in (0, 1)
        ]
        p = born_probabilities(ocb_process_matrix(a), [ma, nb])
        value = correlation_value(g, np.real(p))
        results.append(_combine(rs, value))
        cols["process"].append(value)
        cols["causal"].append(causal_bound(g))
        cols["algebraic"].append(algebraic_maximum(g))
    return _dataset("alpha", alphas, cols, results)


def _lgyni_plane_point(process: np.ndarray) -> tuple[float, float]:
    """``(P_succ^11, P_succ^ave)`` (Eq. 48, Fig. 2b) of a feasible process with the canonical
    instruments of triggers ``(1, 1)``: ``P11 = p(1, 1 | 1, 1)``, ``P_ave = (P01 + P10) / 2``
    with ``P01 = p_B(0 | 0, 1)`` and ``P10 = p_A(0 | 1, 0)``."""
    p = _canonical_correlations(process, (2, 2, 2, 2), (1, 1))
    p01 = float(p[:, 0, 0, 1].sum())
    p10 = float(p[0, :, 1, 0].sum())
    return float(p[1, 1, 1, 1]), (p01 + p10) / 2


def biased_lgyni_scan(alphas: Sequence[float]) -> xr.Dataset:
    """Biased LGYNI (Eq. 48) over ``alphas`` in [0, 1] (Fig. 2a).

    ``ico``: single-trigger SDP bound (Eq. 3) with the solver columns, ``certified`` (explicit
    dual operator) and ``achieved`` (repaired optimal process); ``causal`` (enumeration) and
    ``causal_lp`` (LP over the causal polytope); ``algebraic``; ``excess = ico - causal`` and
    ``certified_excess = certified - causal``.
    """
    cols: dict[str, list[float]] = {
        "causal": [],
        "causal_lp": [],
        "algebraic": [],
        "exposed_p11": [],
        "exposed_pave": [],
    }
    results = []
    for a in alphas:
        g = biased_lgyni_coefficients(a)
        results.append(ico_bound_single_trigger(g, (1, 1)))
        p11, pave = _lgyni_plane_point(results[-1].extra["feasible_process"])
        cols["exposed_p11"].append(p11)
        cols["exposed_pave"].append(pave)
        cols["causal"].append(causal_bound(g))
        cols["causal_lp"].append(causal_bound_lp(g).value)
        cols["algebraic"].append(algebraic_maximum(g))
    cols["excess"] = list(np.array([r.value for r in results]) - np.array(cols["causal"]))
    cols["certified_excess"] = list(
        np.array([r.certified for r in results]) - np.array(cols["causal"])
    )
    return _dataset("alpha", alphas, cols, results)


def _scan_summaries(scan: str, ds: xr.Dataset) -> dict[str, tuple]:
    """0-d summary variables of a gathered scan (reproduction rows and their checks)."""

    def sc(v: float, d: str) -> tuple:
        return ((), np.asarray(float(v)), {"description": d, "units": "1"})

    out = {"max_gap": sc(float(ds["ico_gap"].max()), "largest solver duality gap")}
    cert = ds["certified"].values
    out["max_certified_minus_ico"] = sc(np.max(cert - ds["ico"].values), "max (certified - SDP)")
    if scan == "biased_ocb":
        dev = np.max(np.abs(ds["ico"].values - ds["process"].values))
        out["max_ico_minus_process"] = sc(dev, "max |SDP bound - S_OCB,alpha value|")
        width = np.max(cert - ds["process"].values)
        out["max_certified_minus_process"] = sc(width, "max bracket width certified - S_OCB")
    elif scan == "biased_lgyni":
        dev = np.max(np.abs(ds["causal"].values - ds["causal_lp"].values))
        out["max_causal_enum_minus_lp"] = sc(dev, "max |enumeration - LP| causal bound")
        a = ds["alpha"].values
        eq49 = np.maximum(1 - a, (1 + a) / 2)
        out["max_causal_minus_eq49"] = sc(np.max(np.abs(ds["causal"].values - eq49)), "Eq. 49")
        out["max_causal_lp_minus_eq49"] = sc(
            np.max(np.abs(ds["causal_lp"].values - eq49)), "LP causal bound vs Eq. 49"
        )
        out.update(_fig2b_summaries(ds))
    else:
        theta = ds["theta"].values
        for kind in ("ico", "certified", "causal", "algebraic"):
            for k, v in disc_fit(theta, ds[kind].values).items():
                out[f"{kind}_disc_{k}"] = sc(v, f"causal.disc_fit(theta, {kind})['{k}']")
        dev = abs(out["ico_disc_radius"][1] - out["certified_disc_radius"][1])
        out["disc_radius_certified_vs_sdp"] = sc(dev, "|disc radius: certified - SDP|")
        c, s_ = np.cos(theta), np.sin(theta)
        inscribed = (c + s_) / 2 + np.maximum(np.abs(c), np.abs(s_)) / 2
        circumscribed = (c + s_) / 2 + (np.abs(c) + np.abs(s_)) / 2
        out["causal_vs_inscribed_square"] = sc(
            np.max(np.abs(ds["causal"].values - inscribed)),
            "max |causal support - support of the square inscribed in the ICO disc|",
        )
        out["algebraic_vs_circumscribed_square"] = sc(
            np.max(np.abs(ds["algebraic"].values - circumscribed)),
            "max |algebraic support - support of the square [0, 1]^2 circumscribing the disc|",
        )
        out["causal_lp_vs_enumeration"] = sc(
            np.max(np.abs(ds["causal"].values - ds["causal_lp"].values)),
            "max |causal bound: best response - LP over the causal polytope|",
        )
    return out


def _fig2b_summaries(ds: xr.Dataset, gap_tol: float = 1e-7) -> dict[str, tuple]:
    """Fig. 2(b) claims from the exposed points of the biased LGYNI scan (directions
    ``(alpha, 1 - alpha)`` in the ``(P11, P_ave)`` plane): the points where the ICO boundary
    leaves the causal one (achieved excess > ``gap_tol``: proven outside the causal polytope)
    and whether they are pairwise distinct (a polytope has finitely many extreme points);
    where the certified excess is <= ``gap_tol`` the boundaries meet: distance of those
    exposed points' ``P11`` from ``{0, 1}``."""
    ach = ds["achieved"].values - ds["causal"].values
    cert = ds["certified"].values - ds["causal"].values
    pts = np.column_stack([ds["exposed_p11"].values, ds["exposed_pave"].values])
    out_pts = pts[ach > gap_tol]
    dists = np.linalg.norm(out_pts[:, None] - out_pts[None], axis=-1)
    distinct = len(out_pts) >= 3 and bool(np.all(dists[np.triu_indices(len(out_pts), 1)] > 1e-6))
    touch = pts[cert <= gap_tol, 0]
    touch_dist = float(np.max(np.minimum(np.abs(touch), np.abs(1 - touch)))) if len(touch) else 1.0

    def sc(v: float, d: str) -> tuple:
        return ((), np.asarray(float(v)), {"description": d, "units": "1"})

    return {
        "fig2b_n_exposed_outside": sc(len(out_pts), "exposed ICO points outside the causal set"),
        "fig2b_not_polytope": sc(distinct, "1: >= 3 exposed points outside, pairwise distinct"),
        "fig2b_touch_p11_distance": sc(touch_dist, "max distance of touching P11 from {0, 1}"),
        "max_bracket_width": sc(
            np.max(ds["certified"].values - ds["achieved"].values), "max (certified - achieved)"
        ),
    }


def gather_scan(scan: str, chunks: Sequence[str]) -> tuple[xr.Dataset, dict[str, Any]]:
    """Concatenate the chunk files of one scan along its axis and add the summary scalars.

    Returns the Dataset (root attrs: the solver summary over all chunks, ``chunks``) and the
    merged params (``values`` of every chunk in order).
    """
    from bellflow.io import params_of, read_result

    parts = [read_result(c) for c in chunks]
    axis = "theta" if scan == "fig1" else "alpha"
    ds = xr.concat(parts, dim=axis, data_vars="minimal", coords="minimal", compat="override")
    ds = ds[[k for k in parts[0].data_vars]]
    ds = ds.assign(_scan_summaries(scan, ds))
    params = dict(params_of(parts[0]))
    params["values"] = [v for p in parts for v in params_of(p)["values"]]
    keep = ("solver", "solver_status", "solver_tolerances", "solver_note")
    ds.attrs = {k: ",".join(sorted({str(p.attrs[k]) for p in parts})) for k in keep}
    ds.attrs["n_solves"] = int(sum(int(p.attrs["n_solves"]) for p in parts))
    ds.attrs["n_certified"] = int(sum(int(p.attrs["n_certified"]) for p in parts))
    ds.attrs["chunks"] = len(parts)
    return ds, params


def lgyni_plane_causal_polygon() -> np.ndarray:
    """Vertices (counter-clockwise) of the causal set projected on the ``(P_succ^11,
    P_succ^ave)`` plane of Fig. 2(b): the convex hull of the projections of the 112
    deterministic causal strategies (``P11 = p(11|11)``, ``P_ave = (p_B(0|01) + p_A(0|10))/2``).
    """
    from scipy.spatial import ConvexHull

    from bellflow.causal.facets import causal_vertices

    v = causal_vertices(2, 2).reshape(-1, 2, 2, 2, 2)
    pts = np.column_stack(
        [v[:, 1, 1, 1, 1], (v[:, :, 0, 0, 1].sum(axis=1) + v[:, 0, :, 1, 0].sum(axis=1)) / 2]
    )
    pts = np.unique(pts, axis=0)
    return np.asarray(pts[ConvexHull(pts).vertices], dtype=float)
