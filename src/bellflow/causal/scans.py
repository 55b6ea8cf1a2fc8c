"""Scans of paper 001: biased OCB (Eq. 7), biased LGYNI (Fig. 2a), the OCB plane (Fig. 1)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

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
from bellflow.causal.sdp import ico_bound_decomposition, ico_bound_single_trigger


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


def ocb_plane_support(thetas: Sequence[float], *, method: str = "pieces") -> dict[str, np.ndarray]:
    """Support functions of the causal, ICO and unconstrained sets in the ``(P_A, P_B)`` plane.

    For each direction ``u = (cos theta, sin theta)``: the maximum of
    ``cos theta P_A + sin theta P_B`` (``P_A = P(a1 = b | c = 0)``, ``P_B = P(a2 = x1 | c = 1)``)
    over causal distributions (:func:`causal_bound`), over quantum ICO processes (upper bound
    by SDP), and over all distributions (:func:`algebraic_maximum`) (Fig. 1).

    ``method="pieces"``: the ICO bound as the sum of the single-trigger bounds (Eq. 3) of the two
    pieces of Eq. (30) (valid for any weights). ``method="decomposition"``: the optimised
    decomposition SDP of Eq. (28). Returns arrays ``causal``, ``ico``, ``algebraic``,
    ``ico_primal``, ``ico_dual``, ``ico_gap``, ``ico_attempts`` over ``thetas``.
    """
    if method not in ("pieces", "decomposition"):
        raise ValueError(f"method must be 'pieces' or 'decomposition', got {method!r}")
    keys = ("causal", "ico", "algebraic", "ico_primal", "ico_dual", "ico_gap", "ico_attempts")
    out: dict[str, list[float]] = {k: [] for k in keys}
    for t in thetas:
        wa, wb = float(np.cos(t)), float(np.sin(t))
        g = ocb_weighted_coefficients(wa, wb)
        out["causal"].append(causal_bound(g))
        out["algebraic"].append(algebraic_maximum(g))
        if method == "decomposition":
            r = ico_bound_decomposition(g)
            out["ico"].append(r.value)
            out["ico_primal"].append(r.primal)
            out["ico_dual"].append(r.dual)
            out["ico_gap"].append(r.gap)
            out["ico_attempts"].append(len(r.extra["attempts"]))
        else:
            rs = [
                ico_bound_single_trigger(_weighted_piece(wa, wb, z), (z, 2 * z + 1))
                for z in range(2)
            ]
            out["ico"].append(sum(r.value for r in rs) / 2)
            out["ico_primal"].append(sum(r.primal for r in rs) / 2)
            out["ico_dual"].append(sum(r.dual for r in rs) / 2)
            out["ico_gap"].append(sum(r.gap for r in rs) / 2)
            out["ico_attempts"].append(max(len(r.extra["attempts"]) for r in rs))
    return {k: np.array(v) for k, v in out.items()}


def _weighted_piece(w_a: float, w_b: float, z: int) -> np.ndarray:
    """``w_A P(a1 = b | x1 = z, c = 0) + w_B P(a2 = x1 | b = z, c = 1)`` (Eq. 30 piece)."""
    a = np.zeros((2, 2, 2, 4))
    for b in range(2):
        a[b, :, z, 2 * b] += w_a / 2
    for x1 in range(2):
        a[:, x1, x1, 2 * z + 1] += w_b / 2
    return a


def biased_ocb_scan(alphas: Sequence[float]) -> dict[str, np.ndarray]:
    """Biased OCB (Eq. 6) over ``alphas``: ICO upper bound, explicit-process lower bound, causal.

    ``ico``: Eq. (30) + Lemma 1, the average of the single-trigger SDP bounds (Eq. 3) of the two
    pieces (Eq. 31 with ``x* = b* = z``); ``process``: the value reached by ``S_OCB,alpha``
    (Eq. 41) with the instruments of Eqs. (42)-(44) (a lower bound on the ICO value). Their
    agreement establishes Eq. (7). Also ``causal``, ``algebraic`` and the solver's
    ``ico_primal``, ``ico_dual``, ``ico_gap``.
    """
    keys = (
        "ico",
        "process",
        "causal",
        "algebraic",
        "ico_primal",
        "ico_dual",
        "ico_gap",
        "ico_attempts",
    )
    out: dict[str, list[float]] = {k: [] for k in keys}
    ma, nb = ocb_instruments()
    from bellflow.process import born_probabilities

    for a in alphas:
        g = biased_ocb_coefficients(a)
        rs = [
            ico_bound_single_trigger(ocb_trigger_coefficients(a, z, z), (z, 2 * z + 1))
            for z in (0, 1)
        ]
        out["ico"].append(sum(r.value for r in rs) / 2)
        out["ico_primal"].append(sum(r.primal for r in rs) / 2)
        out["ico_dual"].append(sum(r.dual for r in rs) / 2)
        out["ico_gap"].append(sum(r.gap for r in rs) / 2)
        out["ico_attempts"].append(max(len(r.extra["attempts"]) for r in rs))
        p = born_probabilities(ocb_process_matrix(a), [ma, nb])
        out["process"].append(correlation_value(g, np.real(p)))
        out["causal"].append(causal_bound(g))
        out["algebraic"].append(algebraic_maximum(g))
    return {k: np.array(v) for k, v in out.items()}


def biased_lgyni_scan(alphas: Sequence[float]) -> dict[str, np.ndarray]:
    """Biased LGYNI (Eq. 48) over ``alphas`` in [0, 1] (Fig. 2a).

    ``ico``: single-trigger SDP bound (Eq. 3) with its ``ico_primal``, ``ico_dual``,
    ``ico_gap``; ``causal`` (enumeration) and ``causal_lp`` (LP over the causal polytope);
    ``algebraic``; ``excess = ico - causal``; ``ico_attempts`` (Clarabel strategies tried).
    """
    keys = (
        "ico",
        "ico_primal",
        "ico_dual",
        "ico_gap",
        "ico_attempts",
        "causal",
        "causal_lp",
        "algebraic",
    )
    out: dict[str, list[float]] = {k: [] for k in keys}
    for a in alphas:
        g = biased_lgyni_coefficients(a)
        r = ico_bound_single_trigger(g, (1, 1))
        out["ico"].append(r.value)
        out["ico_primal"].append(r.primal)
        out["ico_dual"].append(r.dual)
        out["ico_gap"].append(r.gap)
        out["ico_attempts"].append(len(r.extra["attempts"]))
        out["causal"].append(causal_bound(g))
        out["causal_lp"].append(causal_bound_lp(g).value)
        out["algebraic"].append(algebraic_maximum(g))
    res = {k: np.array(v) for k, v in out.items()}
    res["excess"] = res["ico"] - res["causal"]
    return res
