"""Paper 004's stated numbers and claims, computed (the reproduction rows of ``delivery.yaml``).

One function per paper section (Sec. III and IV in two parts each); each returns
``{name: (value, description)}`` and :func:`paper_checks` gathers them into an
:class:`xarray.Dataset` of 0-d variables. Nothing is typed in: every value comes from root
finding or optimisation (scipy ``brentq``, ``minimize_scalar``) on the library's functions.
Claims are ``1.0`` (true) or ``0.0``.

Every row of the table has two routes, so it can fail: the *route* (the value in the row) and
an independent *check* (a 0-d variable ``|route 1 - route 2|``, named ``<row>_vs_<route 2>``).
The independent routes work on the explicit 4x4 delivered state
(:func:`~bellflow.delivery.channel.delivered_state`, built from the ket and partial traces)
with the general tools of :mod:`bellflow.states`: Wootters' concurrence, the X-state
concurrence from the matrix entries (accurate for tiny ``C``), the smallest eigenvalue of the
partial transpose (a signed entanglement witness, for roots), the Horodecki CHSH value, the
pure-state fidelity, and the LP decomposition of Eq. (5.3).

Statements that hold only "for S << 1" (or "approximately", "of order") rest on a reading the
paper does not state: for each one the largest ``S`` up to which it holds within the relative
tolerance of its row is computed (``*_S_max`` variables: the ``depends`` ranges).

Examples
--------
>>> abs(float(paper_checks()["bell_entanglement_threshold_S"]) - 1 / 3) < 1e-12
True
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import xarray as xr
from numpy.typing import ArrayLike, NDArray
from scipy.optimize import brentq, minimize_scalar

from bellflow import states
from bellflow.delivery.channel import (
    _concurrence_raw,
    chsh_boundary,
    chsh_boundary_eq51_printed,
    concurrence,
    delivered_state,
    entanglement_boundary,
    entanglement_boundary_eq34_printed,
    eof_max_small_S,
    fidelity,
    max_chsh,
    optimal_entanglement,
)
from bellflow.delivery.lhv import (
    BARRETT_WEIGHT,
    _check_p,
    _lhv_terms,
    barrett_state,
    lhv_boundaries,
    lhv_decomposition_lp,
    lhv_region,
    rho_sep,
    rho_sep_eq54_printed,
)
from bellflow.delivery.routes import bisect_S as _bisect_S
from bellflow.delivery.routes import concurrence_explicit as _c_explicit
from bellflow.delivery.routes import concurrence_explicit_raw as _c_explicit_raw
from bellflow.delivery.routes import entangled_edge as _edge
from bellflow.delivery.routes import ket as _ket
from bellflow.delivery.routes import largest_S as _largest_S
from bellflow.delivery.routes import ppt_eigenvalue as _ppt
from bellflow.delivery.routes import ppt_threshold_S as _ppt_root_S

__all__ = [
    "section3",
    "section3_small_S",
    "section4_optimum",
    "section4_eq42",
    "section5_chsh",
    "section5_lhv",
    "section5_lhv_claims",
    "paper_checks",
]

#: name -> (value, description)
Checks = dict[str, tuple[float, str]]

BELL_A: float = 1 / np.sqrt(2)
_XTOL = {"xtol": 1e-15, "rtol": 1e-15}
#: The a grid on which closed forms are compared with bisection roots.
_A_GRID: NDArray[np.float64] = np.linspace(0.01, 0.99, 99)
#: The (a, S) grid on which Eq. (3.3) is compared with the explicit states.
_A2, _S2 = np.meshgrid(np.linspace(0, 1, 51), np.linspace(0, 1, 51), indexing="ij")


# ----------------------------------------------------------------------------- Sec. III
def section3() -> Checks:
    """Sec. III: fidelity (Eq. 3.2), concurrence (Eq. 3.3), the threshold (Eq. 3.4).

    - ``fidelity_argmin_a``: argmin over ``a`` of ``<psi_a|M[psi_a]|psi_a>`` of the explicit
      state at ``S = 1/2`` ("The minimum of Eq. (3.2) is at a = 1/sqrt 2"); check: the argmin
      of Eq. (3.2) itself.
    - ``eq33_max_abs_dev``: max over an ``(a, S)`` grid, where Eq. (3.3) is positive, of
      ``|Eq. (3.3) - Wootters C|`` of the explicit state; check: Wootters vs the X-state
      formula. ``eq33_printed_max_abs_dev``: the same over the whole grid (Eq. 3.3 as printed,
      without ``max(0, .)``, is negative where the state is separable: a typo).
    - ``bell_entanglement_threshold_S``: root in ``S`` of Eq. (3.3) at ``a = 1/sqrt 2`` ("C = 0
      for Bell pairs when S < 1/3"); check: root of the PPT eigenvalue of the explicit state.
    - ``eq34_printed_bell_S``: Eq. (3.4) as printed at ``a = 1/sqrt 2`` (typo: not 1/3);
      ``eq34_corrected_max_abs_dev``: the corrected Eq. (3.4) vs bisection of Eq. (3.3) on an
      ``a`` grid; ``eq34_corrected_vs_ppt``: vs the PPT root of the explicit states.
    """
    out: Checks = {}

    def f_explicit(x: float) -> float:
        return float(states.fidelity_pure(_ket(x), delivered_state(x, 0.5)))

    opts = {"method": "bounded", "options": {"xatol": 1e-10}}
    arg = float(minimize_scalar(f_explicit, bounds=(0, 1), **opts).x)
    arg32 = float(minimize_scalar(lambda x: float(fidelity(x, 0.5)), bounds=(0, 1), **opts).x)
    out["fidelity_argmin_a"] = (arg, "argmin over a of <psi_a|M[psi_a]|psi_a> (explicit), S=1/2")
    out["fidelity_argmin_a_vs_eq32"] = (abs(arg - arg32), "|argmin explicit - argmin Eq. (3.2)|")
    craw = _concurrence_raw(_A2, _S2)
    wootters = np.asarray(states.concurrence(delivered_state(_A2, _S2)))
    pos = craw > 0
    out["eq33_max_abs_dev"] = (
        float(np.max(np.abs(craw - wootters)[pos])),
        "max over (a, S) with Eq. (3.3) > 0 of |Eq. (3.3) - Wootters C of the explicit state|",
    )
    out["eq33_printed_max_abs_dev"] = (
        float(np.max(np.abs(craw - wootters))),
        "max over all (a, S) of |Eq. (3.3) as printed - Wootters C of the explicit state|",
    )
    out["eq33_wootters_vs_x_state"] = (
        float(np.max(np.abs(wootters - _c_explicit(_A2, _S2)))),
        "max over (a, S) of |Wootters C - X-state C| of the explicit state",
    )
    root = brentq(lambda s: float(_concurrence_raw(BELL_A, s)), 1e-9, 1, **_XTOL)
    out["bell_entanglement_threshold_S"] = (root, "root in S of Eq. (3.3) at a = 1/sqrt 2")
    out["bell_entanglement_threshold_S_vs_ppt"] = (
        abs(root - _ppt_root_S(BELL_A)),
        "|root of Eq. (3.3) - root of the PPT eigenvalue of the explicit state| at a = 1/sqrt 2",
    )
    out["eq34_printed_bell_S"] = (
        float(entanglement_boundary_eq34_printed(BELL_A)),
        "Eq. (3.4) as printed at a = 1/sqrt 2",
    )
    roots = _bisect_S(lambda s: _concurrence_raw(_A_GRID, s) > 0, _A_GRID.size)
    corrected = entanglement_boundary(_A_GRID)
    out["eq34_corrected_max_abs_dev"] = (
        float(np.max(np.abs(corrected - roots))),
        "max over a of |Eq. (3.4) corrected - bisection root of Eq. (3.3)|",
    )
    ppt_roots = _bisect_S(lambda s: _ppt(_A_GRID, s) < 0, _A_GRID.size)
    out["eq34_corrected_vs_ppt"] = (
        float(np.max(np.abs(corrected - ppt_roots))),
        "max over a of |Eq. (3.4) corrected - PPT threshold of the explicit state (bisection)|",
    )
    return out


def section3_small_S(small_S: float, approx_rtol: float) -> Checks:
    """Sec. III, small ``S``: ``a < S``, ``C ~ 2a``, entanglement for every ``S``.

    - ``small_S_entanglement_edge_over_S``: at ``S = small_S``, the largest entangled ``a``
      (branch ``a < 1/sqrt 2``, root of Eq. 3.3) over ``S`` ("For S << 1, Eq. (3.4) is
      satisfied if a < S": ratio -> 1); check: the PPT root of the explicit state
      (``_vs_ppt``, relative); range: ``small_S_edge_S_max``, the largest ``S`` with
      ``|ratio - 1| <= approx_rtol``.
    - ``pure_concurrence_over_2a``: Eq. (3.3) at ``S = 1`` over ``2a`` at ``a = 1e-6`` ("the
      concurrence of |psi_a> scales as 2a for a << 1"); check: ``2 sqrt(det rho_A)`` from the
      explicit partial trace (the pure-state concurrence).
    - ``entangled_for_all_S``: the maximal concurrence (closed form) is ``> 0`` at every ``S``
      of a log grid ``[1e-6, 1]`` ("no matter how small S is, ..."); check: the PPT eigenvalue
      of the explicit state at the optimal ``a`` is negative at every one of them.
    """
    out: Checks = {}

    def ratio(s: float) -> float:
        return _edge(s, lambda x, ss: float(_concurrence_raw(x, ss))) / s

    r = ratio(small_S)
    r_ppt = _edge(small_S, lambda x, ss: -float(_ppt(x, ss))) / small_S
    out["small_S_entanglement_edge_over_S"] = (r, "largest entangled a over S at S = small_S")
    out["small_S_entanglement_edge_over_S_vs_ppt"] = (
        abs(r - r_ppt),
        "|edge from Eq. (3.3) - edge from the PPT eigenvalue of the explicit state| / S",
    )
    out["small_S_edge_S_max"] = (
        _largest_S(lambda s: abs(ratio(s) - 1), approx_rtol),
        "largest S with |edge/S - 1| <= approx_rtol (range of 'a < S for S << 1')",
    )
    a = 1e-6
    rho_a = states.partial_trace(delivered_state(a, 1.0), (2, 2), keep=0)
    det = float(np.real(rho_a[0, 0] * rho_a[1, 1] - abs(rho_a[0, 1]) ** 2))
    c = float(concurrence(a, 1.0))
    out["pure_concurrence_over_2a"] = (c / (2 * a), "Eq. (3.3) at S = 1 over 2a, a = 1e-6")
    out["pure_concurrence_over_2a_vs_reduced_det"] = (
        abs(c - 2 * np.sqrt(det)) / (2 * a),
        "|Eq. (3.3) - 2 sqrt(det Tr_B psi_a)| / 2a at a = 1e-6 (pure-state concurrence)",
    )
    sg = np.logspace(-6, 0, 61)
    opt = optimal_entanglement(sg)
    claim = float(np.all(opt.concurrence > 0))
    claim_ppt = float(np.all(_ppt(np.asarray(opt.a_star), sg) < 0))
    out["entangled_for_all_S"] = (claim, "claim: max over a of C > 0 at every S in [1e-6, 1]")
    out["entangled_for_all_S_vs_ppt"] = (
        abs(claim - claim_ppt),
        "|claim - the same claim from the PPT eigenvalue of the explicit state at a*|",
    )
    return out


# ----------------------------------------------------------------------------- Sec. IV
def _max_c_explicit(s: float) -> tuple[float, float]:
    """Maximiser and maximum over ``a`` in ``[0, 1/sqrt 2]`` of the concurrence of the explicit
    state at ``s`` (unclipped X-state formula, unimodal on this branch; scipy bounded)."""
    rr = minimize_scalar(
        lambda x: -float(_c_explicit_raw(x, s)),
        bounds=(0, BELL_A),
        method="bounded",
        options={"xatol": 1e-14},
    )
    return float(rr.x), float(-rr.fun)


def _eof_max(s: float) -> float:
    """Maximal E_F at ``s`` from the explicit-state maximisation (Wootters' E_F of C)."""
    return float(states.eof_from_concurrence(min(max(_max_c_explicit(s)[1], 0.0), 1.0)))


def _eq41_dev(s: float, conc: Callable[[NDArray, float], NDArray]) -> float:
    """max over entangled ``a`` of ``|Eq. (4.1) - C| / max C`` at ``s`` (``C`` from ``conc``)."""
    edge = _edge(s, lambda x, ss: float(_concurrence_raw(x, ss)))
    a = np.linspace(0, edge, 2001)
    c = conc(a, s)
    return float(np.max(np.abs(2 * a * s - 2 * a**2 - c)) / np.max(c))


def section4_optimum(small_S: float, approx_rtol: float) -> Checks:
    """Sec. IV: Eq. (4.1) and the optimal ``a = S/2`` for ``S << 1``.

    - ``a_star_over_half_S``: maximiser of the concurrence (hence of ``E_F``) of the explicit
      state (scipy bounded) at ``S = small_S`` over ``S/2`` ("C (and thus E_F) is maximized for
      a = S/2"); check: the closed-form maximiser (relative difference); range:
      ``a_star_S_max``.
    - ``eq41_rel_dev``: at ``S = small_S``, max over the entangled ``a`` of ``|Eq. (4.1) - C|``
      over ``max C``, with ``C`` of the explicit state ("In the regime S << 1, Eq. (3.3)
      becomes C ~ 2aS - 2a^2"); check: with ``C`` from Eq. (3.3); range: ``eq41_S_max``.
    """
    out: Checks = {}
    a_num = _max_c_explicit(small_S)[0]
    a_closed = float(optimal_entanglement(small_S).a_star)
    out["a_star_over_half_S"] = (a_num / (small_S / 2), "a* (explicit, scipy) over S/2")
    out["a_star_over_half_S_vs_closed"] = (
        abs(a_num - a_closed) / (small_S / 2),
        "|a* explicit scipy - a* closed form| / (S/2) at S = small_S",
    )
    out["a_star_S_max"] = (
        _largest_S(
            lambda s: abs(float(optimal_entanglement(s).a_star) / (s / 2) - 1), approx_rtol
        ),
        "largest S with |a*/(S/2) - 1| <= approx_rtol (range of 'a* = S/2')",
    )
    dev = _eq41_dev(small_S, _c_explicit)
    out["eq41_rel_dev"] = (dev, "max_a |Eq. (4.1) - C| / max_a C at S = small_S (explicit C)")
    out["eq41_rel_dev_vs_eq33"] = (
        abs(dev - _eq41_dev(small_S, lambda a, s: _concurrence_raw(a, s))),
        "|the same with C from the explicit state - with C from Eq. (3.3)|",
    )
    out["eq41_S_max"] = (
        _largest_S(lambda s: _eq41_dev(s, lambda a, ss: _concurrence_raw(a, ss)), approx_rtol),
        "largest S with Eq. (4.1) within approx_rtol of Eq. (3.3) (range of 'S << 1')",
    )
    return out


def _eq42_rel(s: ArrayLike, numeric: bool = False) -> NDArray[np.float64]:
    """``|Eq. (4.2) - max E_F| / max E_F`` (closed-form or golden-section maximum)."""
    opt = optimal_entanglement(s, method="numeric" if numeric else "closed")
    e = np.asarray(opt.eof)
    return np.asarray(np.abs(eof_max_small_S(s) - e) / e)


def _converges(rel: NDArray[np.float64], rtol: float) -> float:
    """Claim: ``rel`` (over ascending ``S``) rises monotonically up to its maximum and starts
    below ``rtol`` (curve (b) approaches (a) as ``S -> 0``)."""
    k = int(np.argmax(rel))
    return float(rel[0] <= rtol and np.all(np.diff(rel[: k + 1]) > 0))


def section4_eq42(
    small_S: float,
    eq42_S: Sequence[float],
    fig3_S: NDArray[np.float64],
    eq42_rtol: float,
    order_rtol: float,
) -> Checks:
    """Sec. IV: Eq. (4.2) against the maximum ``E_F`` (Fig. 3), and the distillation cost.

    - ``eq42_rel_error_S_<S>`` for each ``S`` in ``eq42_S``: ``|Eq. 4.2 - max E_F| / max E_F``
      with ``max E_F`` from the explicit-state maximisation; check (``_vs_closed``): with the
      closed-form maximum; range: ``eq42_S_max`` (largest ``S`` within ``eq42_rtol``).
    - ``eq42_converges_on_fig3``: claim over every ``S > 0`` of Fig. 3's grid: the relative
      error of curve (b) rises monotonically with ``S`` up to its maximum
      (``eq42_rel_error_fig3_max`` at ``eq42_rel_error_fig3_argmax_S``) and is within
      ``eq42_rtol`` at the smallest ``S``; check: the same with the golden-section maximum.
    - ``distill_cost_ratio``: ``(1/max E_F) / (4/(S^4 log2(1/S)))`` at ``S = small_S`` ("to
      distill a single Bell pair requires delivery of at least of order 4/S^4 log2 S^-1",
      read as ``4/(S^4 log2 S^-1)``; the ratio tends to 1 only logarithmically); check: with
      the closed-form maximum; range: ``distill_S_max`` (within ``order_rtol``).
    """
    out: Checks = {}
    for s in eq42_S:
        e = _eof_max(s)
        rel_s = abs(float(eof_max_small_S(s)) - e) / e
        out[f"eq42_rel_error_S_{s:g}"] = (rel_s, f"|Eq. (4.2) - max E_F| / max E_F at S = {s:g}")
        out[f"eq42_rel_error_S_{s:g}_vs_closed"] = (
            abs(rel_s - float(_eq42_rel(s))),
            "|relative error with the explicit maximum - with the closed-form maximum|",
        )
    out["eq42_S_max"] = (
        _largest_S(lambda s: float(_eq42_rel(s)), eq42_rtol),
        "largest S with Eq. (4.2) within eq42_rtol of max E_F",
    )
    S = fig3_S[fig3_S > 0]
    rel = _eq42_rel(S)
    claim = _converges(rel, eq42_rtol)
    out["eq42_converges_on_fig3"] = (claim, "claim: curve (b) approaches (a) as S -> 0 (Fig. 3)")
    out["eq42_converges_on_fig3_vs_numeric"] = (
        abs(claim - _converges(_eq42_rel(S, numeric=True), eq42_rtol)),
        "|claim - the same claim with the golden-section maximum|",
    )
    out["eq42_rel_error_fig3_max"] = (float(rel.max()), "max over Fig. 3's S of the rel. error")
    out["eq42_rel_error_fig3_argmax_S"] = (float(S[np.argmax(rel)]), "S of that maximum")

    def ratio(s: float, e: float) -> float:
        return (1 / e) / (4 / (s**4 * np.log2(1 / s)))

    def closed(s: float) -> float:
        return float(optimal_entanglement(s).eof)

    r = ratio(small_S, _eof_max(small_S))
    out["distill_cost_ratio"] = (r, "(1 / max E_F) / (4 / (S^4 log2(1/S))) at S = small_S")
    out["distill_cost_ratio_vs_closed"] = (
        abs(r - ratio(small_S, closed(small_S))),
        "|ratio with the explicit maximum - with the closed-form maximum|",
    )
    out["distill_S_max"] = (
        _largest_S(lambda s: abs(ratio(s, closed(s)) - 1), order_rtol),
        "largest S with the ratio within order_rtol of 1",
    )
    return out


# ----------------------------------------------------------------------------- Sec. V
def section5_chsh() -> Checks:
    """Sec. V, Eq. (5.1): the CHSH threshold.

    - ``bell_chsh_threshold_S``: root in ``S`` of the closed-form Horodecki value ``= 2`` at
      ``a = 1/sqrt 2`` ("For Bell states this requires that S > 1/sqrt 2"); check: root of
      :func:`bellflow.states.horodecki_chsh` of the explicit state.
    - ``chsh_threshold_min_S``, ``chsh_threshold_argmin_a``: minimum over ``a`` of the CHSH
      threshold (bisection) and where it is ("for a != 1/sqrt 2 the requirement is more
      strict"); check: the argmin of the corrected closed form Eq. (5.1).
    - ``eq51_printed_bell_S``: Eq. (5.1) as printed at ``a = 1/sqrt 2`` (typo: not 1/sqrt 2);
      ``eq51_corrected_max_abs_dev``: corrected closed form vs bisection of the closed-form
      value; ``eq51_corrected_vs_explicit``: vs bisection of the explicit states' value.
    """
    out: Checks = {}
    root = brentq(lambda s: float(max_chsh(BELL_A, s)) - 2, 0, 1, **_XTOL)
    root_x = brentq(
        lambda s: float(states.horodecki_chsh(delivered_state(BELL_A, s))) - 2, 0, 1, **_XTOL
    )
    out["bell_chsh_threshold_S"] = (root, "root in S of Horodecki CHSH = 2 at a = 1/sqrt 2")
    out["bell_chsh_threshold_S_vs_explicit"] = (abs(root - root_x), "|closed - explicit| root")
    opts = {"bounds": (0.05, 0.95), "method": "bounded", "options": {"xatol": 1e-10}}
    r = minimize_scalar(lambda x: float(chsh_boundary(x, method="numeric")), **opts)
    r_closed = minimize_scalar(lambda x: float(chsh_boundary(x)), **opts)
    out["chsh_threshold_min_S"] = (float(r.fun), "minimum over a of the CHSH threshold in S")
    out["chsh_threshold_argmin_a"] = (float(r.x), "argmin over a of the CHSH threshold in S")
    out["chsh_threshold_argmin_a_vs_closed"] = (
        abs(float(r.x) - float(r_closed.x)),
        "|argmin (bisection thresholds) - argmin (corrected Eq. 5.1)|",
    )
    out["eq51_printed_bell_S"] = (
        float(chsh_boundary_eq51_printed(BELL_A)),
        "Eq. (5.1) as printed at a = 1/sqrt 2",
    )
    corrected = chsh_boundary(_A_GRID)
    out["eq51_corrected_max_abs_dev"] = (
        float(np.max(np.abs(corrected - chsh_boundary(_A_GRID, method="numeric")))),
        "max over a of |Eq. (5.1) corrected - bisection root of the closed-form CHSH = 2|",
    )
    explicit = _bisect_S(
        lambda s: np.asarray(states.horodecki_chsh(delivered_state(_A_GRID, s))) > 2,
        _A_GRID.size,
    )
    out["eq51_corrected_vs_explicit"] = (
        float(np.max(np.abs(corrected - explicit))),
        "max over a of |Eq. (5.1) corrected - CHSH threshold of the explicit states|",
    )
    return out


def _lhv_s_max_lp(a: float, p_barrett: float, lo: float, hi: float) -> float:
    """Largest ``S`` in ``[lo, hi]`` where the LP decomposition (Eq. 5.3) exists at ``a``."""

    def ok(s: float) -> bool:
        r = lhv_decomposition_lp(a, s, p_barrett)
        return bool(r.value <= 1e-9 and 0 < float(r.extra["c"]) < 1)

    for _ in range(40):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if ok(mid) else (lo, mid)
    return (lo + hi) / 2


def _sep_corner(a: float, p: float, entry: int) -> float:
    """Diagonal entry ``entry`` of ``rho - c rho_B`` of the explicit state at the PPT threshold
    ``S(a)``, with ``c = rho_03 / (rho_B)_03`` read off the matrices (a corner is a root)."""
    s = _ppt_root_S(a)
    rho = delivered_state(a, s)
    rb = barrett_state(p)
    c = rho[0, 3] / rb[0, 3]
    return float(rho[entry, entry] - c * rb[entry, entry])


def section5_lhv(p_barrett: float = BARRETT_WEIGHT) -> Checks:
    """Sec. V, Eqs. (5.2)-(5.3): apex and extent of the LHV region (gray triangle of Fig. 2).

    - ``lhv_a_min``, ``lhv_a_max``: extent in ``a`` (roots of left/right = lower boundary);
      check (``lhv_extent_vs_explicit``): the corners from the explicit matrices (``d_00``
      resp. ``d_11`` of ``rho - c rho_B`` vanishing at the PPT threshold).
    - ``lhv_apex_a``, ``lhv_max_S``: top of the region, where the left and right boundaries
      meet (at the Bell point ``M[psi]`` is the Werner state of weight ``S``, so the top is
      Barrett's weight); checks: the argmax of the upper boundary (``lhv_apex_a_vs_argmax``)
      and the largest ``S`` where the LP decomposition exists at the apex
      (``lhv_max_S_vs_lp``).
    """

    def bound(x: float, key: str) -> float:
        return float(lhv_boundaries(x, p_barrett)[key])

    a_min = brentq(lambda x: bound(x, "left") - bound(x, "lower"), 0.05, BELL_A, **_XTOL)
    a_max = brentq(lambda x: bound(x, "right") - bound(x, "lower"), BELL_A, 0.95, **_XTOL)
    apex = brentq(lambda x: bound(x, "left") - bound(x, "right"), a_min, a_max, **_XTOL)
    s_max = bound(apex, "upper")
    x_min = brentq(lambda x: _sep_corner(x, p_barrett, 0), 0.05, BELL_A, **_XTOL)
    x_max = brentq(lambda x: _sep_corner(x, p_barrett, 3), BELL_A, 0.95, **_XTOL)
    argmax = minimize_scalar(
        lambda x: -bound(x, "upper"),
        bounds=(a_min, a_max),
        method="bounded",
        options={"xatol": 1e-12},
    )
    lower = bound(apex, "lower")
    s_lp = _lhv_s_max_lp(apex, p_barrett, lower, min(1.0, 2 * s_max - lower))
    return {
        "lhv_a_min": (a_min, "smallest a of the LHV region (left = lower boundary)"),
        "lhv_a_max": (a_max, "largest a of the LHV region (right = lower boundary)"),
        "lhv_extent_vs_explicit": (
            max(abs(a_min - x_min), abs(a_max - x_max)),
            "max |corner a (closed-form boundaries) - corner a (explicit matrices, PPT)|",
        ),
        "lhv_apex_a": (apex, "a of the apex of the LHV region (left = right boundary)"),
        "lhv_apex_a_vs_argmax": (abs(apex - float(argmax.x)), "|apex - argmax_a upper(a)|"),
        "lhv_max_S": (s_max, "S at the apex of the LHV region"),
        "lhv_max_S_vs_lp": (abs(s_max - s_lp), "|apex S - largest S of the LP at the apex|"),
    }


def section5_lhv_claims(p_barrett: float = BARRETT_WEIGHT) -> Checks:
    """Sec. V: the claims about the LHV region, and Eq. (5.4).

    - ``lhv_region_is_finite``: non-empty and finite, from the boundaries ("we identified a
      finite region of S-a space"); check: from the mask on a grid over ``[0, 1]^2`` (points,
      none on the edges of the square).
    - ``lhv_offdiag_never_binding``: the ``01``/``10`` entries of ``rho_SEP`` are ``>= 0``
      wherever the other conditions hold ("Two of these eigenvalues are found to always be
      positive"); ``lhv_three_boundaries``: the region is bounded by the left, right and lower
      boundaries only (``c < 1`` never binds either). Both from the boundary curves on a fine
      ``a`` grid; checks: the mask without the condition(s) equals the full mask on a grid.
    - ``eq54_printed_trace``: trace of ``rho_SEP`` from Eq. (5.4) as printed at the Bell point
      halfway up the region (the paper requires trace one: a typo); check: the corrected
      ``(rho - c rho_B)/(1 - c)`` has unit trace across the region (``eq54_corrected_trace_dev``).
    """
    lb0 = lhv_boundaries(np.linspace(0.05, 0.95, 9001), p_barrett)
    inner = np.minimum(lb0["left"], lb0["right"])
    inside = inner > lb0["lower"]
    a_in = np.linspace(0.05, 0.95, 9001)[inside]
    finite = bool(inside.any() and 0 < a_in.min() and a_in.max() < 1)
    never = bool(np.all(lb0["offdiag"][inside] >= inner[inside] - 1e-12))
    three = bool(np.all(np.minimum(lb0["c_below_one"], lb0["offdiag"])[inside] >= inner[inside]))
    A, S = np.meshgrid(np.linspace(0, 1, 401), np.linspace(0, 1, 401), indexing="ij")
    mask = np.asarray(lhv_region(A, S, p_barrett))
    edges = mask[0].any() or mask[-1].any() or mask[:, 0].any() or mask[:, -1].any()
    finite_mask = bool(mask.any() and not edges)
    b = np.sqrt((1 - A) * (1 + A))
    c, d00, d01, d11 = _lhv_terms(A, b, S, p_barrett)
    ent = _concurrence_raw(A, S) > 0
    no_off = ent & (c > 0) & (c < 1) & (d00 >= 0) & (d11 >= 0)
    only_three = ent & (d00 >= 0) & (d11 >= 0) & (c > 0)
    s_mid = float(np.mean([lhv_boundaries(BELL_A, p_barrett)[k] for k in ("lower", "upper")]))
    trace = float(np.trace(rho_sep_eq54_printed(BELL_A, s_mid, p_barrett)))
    corr = rho_sep(A[mask], S[mask], p_barrett)
    return {
        "lhv_region_is_finite": (float(finite), "claim: the LHV region is finite, non-empty"),
        "lhv_region_is_finite_vs_mask": (abs(finite - finite_mask), "|claim - claim from mask|"),
        "lhv_offdiag_never_binding": (float(never), "claim: d_01 >= 0 never binds the region"),
        "lhv_offdiag_never_binding_vs_mask": (
            abs(never - bool(np.array_equal(no_off, mask))),
            "|claim - (mask without the d_01 condition == mask)|",
        ),
        "lhv_three_boundaries": (float(three), "claim: only left, right, lower boundaries"),
        "lhv_three_boundaries_vs_mask": (
            abs(three - bool(np.array_equal(only_three, mask))),
            "|claim - (mask from the three conditions only == mask)|",
        ),
        "eq54_printed_trace": (trace, "trace of rho_SEP from Eq. (5.4) as printed, Bell point"),
        "eq54_corrected_trace_dev": (
            float(np.max(np.abs(np.trace(corr, axis1=-2, axis2=-1) - 1))),
            "max over the LHV region of |Tr (rho - c rho_B)/(1 - c) - 1|",
        ),
    }


def _rtol(x: float, name: str) -> float:
    if not (np.isfinite(x) and 0 < x < 1):
        raise ValueError(f"{name} must lie in (0, 1), got {x}")
    return float(x)


def paper_checks(
    small_S: float = 1e-3,
    eq42_S: Sequence[float] = (1e-2, 1e-1),
    p_barrett: float = BARRETT_WEIGHT,
    fig3_S: ArrayLike | None = None,
    approx_rtol: float = 0.01,
    eq42_rtol: float = 0.05,
    order_rtol: float = 0.25,
) -> xr.Dataset:
    """Computed values of the numbers and claims the paper states, as 0-d variables.

    The union of :func:`section3`, :func:`section3_small_S`, :func:`section4_optimum`,
    :func:`section4_eq42`, :func:`section5_chsh`, :func:`section5_lhv` and
    :func:`section5_lhv_claims` (see them for each variable and the paper statement).

    Parameters
    ----------
    small_S:
        The ``S << 1`` point used for the small-``S`` statements, in ``(0, 0.5)``.
    eq42_S:
        The ``S`` values at which the accuracy of Eq. (4.2) is reported, each in ``(0, 0.5)``.
    p_barrett:
        Weight of Barrett's Werner state (Eq. 5.2) for the LHV statements, in ``(0, 1]``.
    fig3_S:
        Fig. 3's ``S`` grid (values in ``[0, 1]``, at least one ``> 0``); default 1001 points.
    approx_rtol, eq42_rtol, order_rtol:
        Relative tolerances in ``(0, 1)``: our readings of "S << 1" / "~" (``a* = S/2``,
        ``a < S``, Eq. 4.1), of "approximate" (Eq. 4.2, Fig. 3) and of "of order" (the
        distillation cost). They set the ``*_S_max`` ranges; the rows use the same values.
    """
    if not (np.isfinite(small_S) and 0 < small_S < 0.5):
        raise ValueError(f"small_S must lie in (0, 0.5), got {small_S}")
    eq42 = tuple(float(s) for s in eq42_S)
    if not eq42 or any(not 0 < s < 0.5 for s in eq42):
        raise ValueError(f"eq42_S must be non-empty, each in (0, 0.5), got {eq42_S}")
    _check_p(p_barrett)
    S3 = np.linspace(0, 1, 1001) if fig3_S is None else np.asarray(fig3_S, dtype=float)
    if S3.ndim != 1 or not np.all(np.isfinite(S3)) or np.any((S3 < 0) | (S3 > 1)):
        raise ValueError("fig3_S must be a 1-d grid in [0, 1]")
    if not np.any(S3 > 0) or np.any(np.diff(S3) <= 0):
        raise ValueError("fig3_S must ascend strictly and contain an S > 0")
    approx = _rtol(approx_rtol, "approx_rtol")
    eq42r, order = _rtol(eq42_rtol, "eq42_rtol"), _rtol(order_rtol, "order_rtol")
    out: Checks = {
        **section3(),
        **section3_small_S(small_S, approx),
        **section4_optimum(small_S, approx),
        **section4_eq42(small_S, eq42, S3, eq42r, order),
        **section5_chsh(),
        **section5_lhv(p_barrett),
        **section5_lhv_claims(p_barrett),
    }
    return xr.Dataset(
        {k: ((), float(v), {"description": d, "units": "1"}) for k, (v, d) in out.items()}
    )
