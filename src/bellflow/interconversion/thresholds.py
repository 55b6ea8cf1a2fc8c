"""Isotropic boxes ``PR_eta`` of paper 000: local and quantum thresholds by bisection (text
above Theorem 3) and the range of isotropic boxes that Corollary 1 shows cannot be distilled
to ``P_T`` (Theorem 3, Fig. 1)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from bellflow import boxes as bx
from bellflow import npa
from bellflow.optim import OptResult, solve_lp, summary_attrs

__all__ = [
    "BisectionResult",
    "isotropic_threshold",
    "isotropic_nondistillable_range",
    "segment_isotropic_crossing",
    "relabelled_mixture_range",
    "tlm_isotropic_threshold",
]


@dataclass
class BisectionResult:
    """Threshold found by bisection on a membership test.

    ``value`` is the midpoint of the final bracket ``[lo, hi]`` (``lo`` passes, ``hi``
    fails), ``hi - lo <= tol``; ``steps`` membership tests were made; ``solver`` summarises
    them (:func:`bellflow.optim.summary_attrs`).
    """

    value: float
    lo: float
    hi: float
    tol: float
    steps: int
    solver: dict[str, Any] = field(default_factory=dict)


def isotropic_threshold(
    kind: str,
    *,
    tol: float = 1e-7,
    level: str | int = "1+AB",
    lo: float = 0.0,
    hi: float = 1.0,
    atol: float = 1e-9,
) -> BisectionResult:
    """Largest ``eta`` with ``PR_eta`` in the local set (``kind="local"``, LP membership) or in
    the NPA set of ``level`` (``kind="quantum"``), by bisection to ``tol``.

    A box counts as a member when its membership visibility is ``>= 1 - atol`` (see
    :func:`bellflow.boxes.local_membership`, :func:`bellflow.npa.npa_membership`); ``atol``
    biases the threshold upwards by about ``atol * eta``, so keep it below ``tol``. The LP's
    own accuracy (HiGHS primal feasibility tolerance 1e-7) limits the local threshold to about
    1e-7 whatever ``tol``; the NPA route reaches about 1e-8 (Clarabel tolerances).

    Paper (text above Theorem 3): ``1/2`` (local) and ``1/sqrt 2`` (quantum, ``P_T``).
    """
    if kind not in ("local", "quantum"):
        raise ValueError(f"kind must be 'local' or 'quantum', got {kind!r}")
    if not 0 < tol < 1:
        raise ValueError(f"tol must lie in (0, 1), got {tol!r}")

    def member(eta: float) -> tuple[bool, OptResult]:
        p = bx.isotropic_box(eta)
        if kind == "local" or eta == 0:
            # eta = 0 is the noise box itself, where the NPA membership SDP is degenerate
            # (p - noise = 0); it is tested by the LP (L is contained in Q)
            r = bx.local_membership(p, atol=atol)
        else:
            r = npa.npa_membership(p, level, atol=atol)
        return bool(r.extra["member"]), r

    (ok_lo, r_lo), (ok_hi, r_hi) = member(lo), member(hi)
    if not ok_lo or ok_hi:
        raise ValueError(f"bracket [lo, hi] = [{lo}, {hi}] does not straddle the threshold")
    results = [r_lo, r_hi]
    while hi - lo > tol:
        mid = 0.5 * (lo + hi)
        ok, last = member(mid)
        results.append(last)
        if ok:
            lo = mid
        else:
            hi = mid
    steps = len(results)
    attrs = summary_attrs(results)
    attrs["membership_atol"] = atol
    if kind == "quantum":
        attrs["level"] = str(level)
    return BisectionResult(value=0.5 * (lo + hi), lo=lo, hi=hi, tol=tol, steps=steps, solver=attrs)


def isotropic_nondistillable_range(A: ArrayLike) -> dict[str, Any]:
    """Isotropic boxes that Corollary 1 shows cannot be distilled to ``P_T`` (Theorem 3).

    Corollary 1: mixtures ``lambda A + (1 - lambda) L`` of a box ``A`` that is asymptotically
    inequivalent to ``P_T`` (here ``P_H``, or any box self-testing a non-maximally entangled
    two-qubit state) with a local box ``L`` cannot be distilled to ``P_T``. LP (HiGHS) over
    ``(eta, lambda, q)``::

        maximise eta  s.t.  PR_eta = lambda A + sum_k q_k D_k,  q >= 0,  0 <= lambda <= 1

    (``sum q = 1 - lambda`` follows from normalisation). Every ``PR_eta`` with
    ``1/2 < eta <= eta_max`` is such a mixture with ``lambda > 0`` (convexity), and is quantum
    nonlocal but not distillable to ``P_T``. Returns ``eta_max``, ``lambda``, the local point
    ``L' = sum q D / (1 - lambda)`` and the LP result.
    """
    A = np.asarray(A, dtype=float)
    bx.check_box(A)
    if A.shape != (2, 2, 2, 2):
        raise ValueError(f"A must be a 222 box of shape (2, 2, 2, 2), got {A.shape}")
    D = bx.deterministic_boxes(2, 2, 2, 2).reshape(16, -1)
    u = bx.white_noise().reshape(-1)
    pr = bx.pr_boxes()[0].reshape(-1)
    # variables (q_1..q_16, lambda, eta):  sum q D + lambda A - eta (pr - u) = u
    A_eq = np.hstack([D.T, A.reshape(-1, 1), -(pr - u).reshape(-1, 1)])
    c = np.zeros(18)
    c[-1] = 1.0
    res = solve_lp(
        c,
        name="Corollary 1 isotropic range LP",
        params={"A": "given box"},
        A_eq=A_eq,
        b_eq=u,
        bounds=[(0, None)] * 16 + [(0, 1), (0, 1)],
        maximize=True,
    )
    x = res.extra["x"]
    lam, eta = float(x[16]), float(x[17])
    Lp = (x[:16] @ D).reshape(2, 2, 2, 2) / (1 - lam)
    return {"eta_max": eta, "lambda": lam, "L_prime": Lp, "lp": res}


def segment_isotropic_crossing(A: ArrayLike, Lp: ArrayLike) -> dict[str, float]:
    """Where the line through ``A`` and ``L'`` meets the isotropic line (Fig. 1, ``P_iso``).

    Solves ``lambda A + (1 - lambda) L' = PR_eta`` for ``(lambda, eta)`` by least squares and
    reports the residual (zero iff the two lines meet).
    """
    a = np.asarray(A, dtype=float).reshape(-1)
    lp = np.asarray(Lp, dtype=float).reshape(-1)
    if a.shape != (16,) or lp.shape != (16,):
        raise ValueError("A and Lp must be 222 boxes (16 entries)")
    u = bx.white_noise().reshape(-1)
    pr = bx.pr_boxes()[0].reshape(-1)
    # lambda (A - L') - eta (pr - u) = u - L'
    M = np.stack([a - lp, -(pr - u)], axis=1)
    sol, *_ = np.linalg.lstsq(M, u - lp, rcond=None)
    resid = float(np.abs(M @ sol - (u - lp)).max())
    return {"lambda": float(sol[0]), "eta": float(sol[1]), "residual": resid}




def relabelled_mixture_range(A: ArrayLike) -> dict[str, Any]:
    """Theorem 3 with the relabelling symmetries of ``A``: the largest ``eta`` with
    ``PR_eta = sum_g w_g g(A) + sum_k q_k D_k`` over the 128 local relabellings ``g``
    (:func:`~bellflow.interconversion.polytope.relabellings`), ``w, q >= 0`` (LP, HiGHS).

    Every such mixture is non-distillable to ``P_T`` when ``A`` is (the argument of
    Corollary 1 extends: each term of ``[PR_eta]^{(x) N}`` is a product of relabelled copies
    of ``A`` and local boxes, realisable from the state of ``A``'s realisation, and ``P_T`` is
    extreme, so a protocol reaching it would reach it on every term). Since CHSH is linear,
    ``4 eta <= max_g CHSH(g A)`` (local boxes give at most 2); the relabellings that leave
    the PR box ``a + b = xy`` invariant average ``A`` to the isotropic box of the same CHSH
    value, so the LP optimum is ``max_g CHSH(g A) / 4`` (returned as ``eta_chsh``, the
    independent closed-form route).
    """
    from bellflow.interconversion.polytope import apply_relabelling, relabellings

    A = np.asarray(A, dtype=float)
    bx.check_box(A)
    G = np.array([apply_relabelling(A, g).reshape(-1) for g in relabellings()])
    D = bx.deterministic_boxes(2, 2, 2, 2).reshape(16, -1)
    u = bx.white_noise().reshape(-1)
    pr = bx.pr_boxes()[0].reshape(-1)
    n = G.shape[0] + D.shape[0]
    # variables (w_g, q_k, eta):  sum w G + sum q D - eta (pr - u) = u
    A_eq = np.hstack([G.T, D.T, -(pr - u).reshape(-1, 1)])
    c = np.zeros(n + 1)
    c[-1] = 1.0
    res = solve_lp(
        c,
        name="Theorem 3 relabelled-mixture LP",
        params={"A": "given box", "relabellings": G.shape[0]},
        A_eq=A_eq,
        b_eq=u,
        bounds=[(0, 1)] * n + [(0, 1)],
        maximize=True,
    )
    chsh = bx.chsh_coefficients()
    eta_chsh = max(float(bx.bell_value(chsh, g.reshape(2, 2, 2, 2))) for g in G) / 4
    return {"eta_max": float(res.extra["x"][-1]), "eta_chsh": eta_chsh, "lp": res}


def tlm_isotropic_threshold() -> float:
    """Largest ``eta`` with ``PR_eta`` quantum by the Tsirelson-Landau-Masanes criterion
    (zero marginals, correlators ``E_xy = (-1)^{xy} eta``: quantum iff
    ``|asin E_00 + asin E_01 + asin E_10 - asin E_11| <= pi``), by root finding
    (``brentq``) on the criterion; an analytic route independent of NPA."""
    from scipy.optimize import brentq

    def excess(eta: float) -> float:
        E = [eta, eta, eta, -eta]
        return abs(sum(np.arcsin(E[:3])) - np.arcsin(E[3])) - np.pi

    return float(brentq(excess, 0.5, 1.0, xtol=1e-15, rtol=1e-15))
