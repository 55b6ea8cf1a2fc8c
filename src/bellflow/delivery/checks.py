"""Paper 004's stated numbers and claims, computed (the reproduction rows of ``delivery.yaml``).

One function per paper section; each returns ``{name: (value, description)}`` and
:func:`paper_checks` gathers them into an :class:`xarray.Dataset` of 0-d variables. Every value
is computed by root finding or optimisation (scipy ``brentq``, ``minimize_scalar``) on the
library's functions; nothing is typed in. Claims are ``1.0`` (true) or ``0.0``.

Examples
--------
>>> abs(float(paper_checks()["bell_entanglement_threshold_S"]) - 1 / 3) < 1e-12
True
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import xarray as xr
from numpy.typing import NDArray
from scipy.optimize import brentq, minimize_scalar

from bellflow.delivery.channel import (
    _concurrence_raw,
    chsh_boundary,
    chsh_boundary_eq51_printed,
    concurrence,
    entanglement_boundary,
    entanglement_boundary_eq34_printed,
    entanglement_of_formation,
    eof_max_small_S,
    fidelity,
    max_chsh,
    optimal_entanglement,
)
from bellflow.delivery.lhv import BARRETT_WEIGHT, _check_p, lhv_boundaries

__all__ = ["section3", "section4", "section5_chsh", "section5_lhv", "paper_checks"]

#: name -> (value, description)
Checks = dict[str, tuple[float, str]]

BELL_A: float = 1 / np.sqrt(2)
_XTOL = {"xtol": 1e-15, "rtol": 1e-15}
#: The a grid on which closed forms are compared with bisection roots.
_A_GRID: NDArray[np.float64] = np.linspace(0.01, 0.99, 99)


def _bisect_S(above: Callable[[NDArray[np.float64]], NDArray[np.bool_]], n: int) -> NDArray:
    """Vectorised bisection in ``S`` on ``[0, 1]`` of a monotone predicate (``n`` points)."""
    lo, hi = np.zeros(n), np.ones(n)
    for _ in range(100):
        mid = (lo + hi) / 2
        up = above(mid)
        hi, lo = np.where(up, mid, hi), np.where(up, lo, mid)
    return hi


def section3(small_S: float) -> Checks:
    """Sec. III: fidelity (Eq. 3.2), the entanglement threshold (Eqs. 3.3-3.4), small S.

    - ``fidelity_argmin_a``: argmin over ``a`` of Eq. (3.2) at ``S = 1/2`` ("The minimum of
      Eq. (3.2) is at a = 1/sqrt 2").
    - ``bell_entanglement_threshold_S``: root in ``S`` of Eq. (3.3) at ``a = 1/sqrt 2``
      ("C = 0 for Bell pairs when S < 1/3").
    - ``eq34_printed_bell_S``: Eq. (3.4) as printed at ``a = 1/sqrt 2`` (typo: not 1/3).
    - ``eq34_corrected_max_abs_dev``: max over an ``a`` grid of the difference between the
      corrected Eq. (3.4) and a bisection root of Eq. (3.3) (should be ~1e-15).
    - ``small_S_entanglement_edge_over_S``: at ``S = small_S``, the largest entangled ``a`` on
      the small-``a`` branch (root of Eq. 3.4) divided by ``S`` ("For S << 1, Eq. (3.4) is
      satisfied if a < S": ratio -> 1).
    - ``pure_concurrence_over_2a``: concurrence of ``|psi_a>`` (``S = 1``) over ``2a`` at
      ``a = 1e-6`` ("the concurrence of |psi_a> scales as 2a for a << 1").
    - ``entangled_for_all_S``: the maximal concurrence is ``> 0`` at every ``S`` of a log grid
      ``[1e-6, 1]`` ("no matter how small S is, ... entanglement can be distributed").
    """
    out: Checks = {}
    r = minimize_scalar(
        lambda x: float(fidelity(x, 0.5)), bounds=(0, 1), method="bounded", options={"xatol": 1e-10}
    )
    out["fidelity_argmin_a"] = (float(r.x), "argmin over a of Eq. (3.2) at S = 1/2")
    root = brentq(lambda s: float(_concurrence_raw(BELL_A, s)), 1e-9, 1, **_XTOL)
    out["bell_entanglement_threshold_S"] = (root, "root in S of Eq. (3.3) at a = 1/sqrt 2")
    out["eq34_printed_bell_S"] = (
        float(entanglement_boundary_eq34_printed(BELL_A)),
        "Eq. (3.4) as printed at a = 1/sqrt 2",
    )
    roots = _bisect_S(lambda s: _concurrence_raw(_A_GRID, s) > 0, _A_GRID.size)
    out["eq34_corrected_max_abs_dev"] = (
        float(np.max(np.abs(entanglement_boundary(_A_GRID) - roots))),
        "max over a of |Eq. (3.4) corrected - bisection root of Eq. (3.3)|",
    )
    edge = brentq(lambda x: float(entanglement_boundary(x)) - small_S, 0.0, BELL_A, **_XTOL)
    out["small_S_entanglement_edge_over_S"] = (
        edge / small_S,
        "largest entangled a (branch a < 1/sqrt 2) over S, at S = small_S",
    )
    out["pure_concurrence_over_2a"] = (
        float(concurrence(1e-6, 1.0)) / 2e-6,
        "concurrence of |psi_a> over 2a at a = 1e-6",
    )
    sg = np.logspace(-6, 0, 61)
    out["entangled_for_all_S"] = (
        float(np.all(optimal_entanglement(sg).concurrence > 0)),
        "claim: max over a of C(a, S) > 0 for every S on a log grid [1e-6, 1]",
    )
    return out


def _max_eof_scipy(s: float) -> tuple[float, float]:
    """Numerical maximiser and maximum of ``E_F(., s)`` on ``[0, 1/sqrt 2]`` (scipy bounded).

    Maximises the concurrence (``E_F`` is increasing in ``C``, and ``C`` is of order ``S^2``
    where ``E_F`` is of order ``S^4``, so its maximum is better resolved).
    """
    rr = minimize_scalar(
        lambda x: -float(_concurrence_raw(x, s)),
        bounds=(0, BELL_A),
        method="bounded",
        options={"xatol": 1e-14},
    )
    return float(rr.x), float(entanglement_of_formation(rr.x, s))


def section4(small_S: float, eq42_S: Sequence[float]) -> Checks:
    """Sec. IV: the optimal ``a`` (below Eq. 4.1), Eq. (4.2) and the distillation cost.

    - ``a_star_over_half_S``: numerical maximiser of ``E_F`` (scipy bounded) at
      ``S = small_S`` divided by ``S/2`` ("C (and thus E_F) is maximized for a = S/2").
    - ``a_star_closed_vs_numeric``: ``|a*_closed - a*_scipy|`` at ``S = small_S``.
    - ``eq42_rel_error_S_<S>`` for each ``S`` in ``eq42_S``: ``|Eq. 4.2 - max E_F| / max E_F``
      with ``max E_F`` from scipy's maximisation (Fig. 3 compares (a) and (b)).
    - ``distill_cost_ratio``: ``(1/max E_F) / (4/(S^4 log2(1/S)))`` at ``S = small_S``
      ("to distill a single Bell pair requires delivery of at least of order
      4/S^4 log2 S^-1" read as ``4/(S^4 log2 S^-1)``; the ratio tends to 1 only
      logarithmically slowly).
    """
    out: Checks = {}
    a_num, e_num = _max_eof_scipy(small_S)
    out["a_star_over_half_S"] = (a_num / (small_S / 2), "a* (scipy) over S/2 at S = small_S")
    out["a_star_closed_vs_numeric"] = (
        abs(float(optimal_entanglement(small_S).a_star) - a_num),
        "|a* closed form - a* scipy| at S = small_S",
    )
    for s in eq42_S:
        e = _max_eof_scipy(s)[1]
        out[f"eq42_rel_error_S_{s:g}"] = (
            abs(float(eof_max_small_S(s)) - e) / e,
            f"|Eq. (4.2) - max E_F| / max E_F at S = {s:g}",
        )
    out["distill_cost_ratio"] = (
        (1 / e_num) / (4 / (small_S**4 * np.log2(1 / small_S))),
        "(1 / max E_F) / (4 / (S^4 log2(1/S))) at S = small_S",
    )
    return out


def section5_chsh() -> Checks:
    """Sec. V, Eq. (5.1): the CHSH threshold.

    - ``bell_chsh_threshold_S``: root in ``S`` of Horodecki CHSH = 2 at ``a = 1/sqrt 2``
      ("For Bell states this requires that S > 1/sqrt 2").
    - ``chsh_threshold_min_S``, ``chsh_threshold_argmin_a``: minimum over ``a`` of the CHSH
      threshold (bisection) and where it is ("for a != 1/sqrt 2 the requirement is more
      strict": argmin 1/sqrt 2, minimum 1/sqrt 2).
    - ``eq51_printed_bell_S``: Eq. (5.1) as printed at ``a = 1/sqrt 2`` (typo: not 1/sqrt 2).
    - ``eq51_corrected_max_abs_dev``: max over an ``a`` grid of ``|corrected closed form -
      bisection root|``.
    """
    out: Checks = {}
    root = brentq(lambda s: float(max_chsh(BELL_A, s)) - 2, 0, 1, **_XTOL)
    out["bell_chsh_threshold_S"] = (root, "root in S of Horodecki CHSH = 2 at a = 1/sqrt 2")
    r = minimize_scalar(
        lambda x: float(chsh_boundary(x, method="numeric")),
        bounds=(0.05, 0.95),
        method="bounded",
        options={"xatol": 1e-10},
    )
    out["chsh_threshold_min_S"] = (float(r.fun), "minimum over a of the CHSH threshold in S")
    out["chsh_threshold_argmin_a"] = (float(r.x), "argmin over a of the CHSH threshold in S")
    out["eq51_printed_bell_S"] = (
        float(chsh_boundary_eq51_printed(BELL_A)),
        "Eq. (5.1) as printed at a = 1/sqrt 2",
    )
    out["eq51_corrected_max_abs_dev"] = (
        float(np.max(np.abs(chsh_boundary(_A_GRID) - chsh_boundary(_A_GRID, method="numeric")))),
        "max over a of |Eq. (5.1) corrected - bisection root of Horodecki CHSH = 2|",
    )
    return out


def section5_lhv(p_barrett: float = BARRETT_WEIGHT) -> Checks:
    """Sec. V, Eqs. (5.2)-(5.4): the local-hidden-variable region (gray triangle of Fig. 2).

    - ``lhv_a_min``, ``lhv_a_max``: extent in ``a`` (roots of left/right boundary =
      entanglement boundary).
    - ``lhv_apex_a``, ``lhv_max_S``: top of the region, the corner where the left and right
      boundaries meet (the Bell point, where ``S`` equals Barrett's weight, the largest Werner
      weight of Eq. 5.2).
    - ``lhv_region_is_finite``: the region is non-empty and finite ("we identified a finite
      region of S-a space").
    - ``lhv_offdiag_never_binding``: the ``01``/``10`` entries of ``rho_SEP`` are ``>= 0``
      wherever the other conditions hold ("Two of these eigenvalues are found to always be
      positive"), on a fine ``a`` grid.
    """

    def bound(x: float, key: str) -> float:
        return float(lhv_boundaries(x, p_barrett)[key])

    a_min = brentq(lambda x: bound(x, "left") - bound(x, "lower"), 0.05, BELL_A, **_XTOL)
    a_max = brentq(lambda x: bound(x, "right") - bound(x, "lower"), BELL_A, 0.95, **_XTOL)
    apex = brentq(lambda x: bound(x, "left") - bound(x, "right"), a_min, a_max, **_XTOL)
    fine = np.linspace(a_min, a_max, 20001)
    lb = lhv_boundaries(fine, p_barrett)
    inner = np.minimum(lb["left"], lb["right"])
    finite = 0 < a_min < a_max < 1 and np.all(inner >= lb["lower"] - 1e-12)
    never = np.all(lb["offdiag"] >= np.minimum(inner, lb["c_below_one"]) - 1e-12)
    return {
        "lhv_a_min": (a_min, "smallest a of the LHV region (left = lower boundary)"),
        "lhv_a_max": (a_max, "largest a of the LHV region (right = lower boundary)"),
        "lhv_apex_a": (apex, "a of the apex of the LHV region (left = right boundary)"),
        "lhv_max_S": (bound(apex, "upper"), "S at the apex of the LHV region"),
        "lhv_region_is_finite": (float(finite), "claim: the LHV region is finite, non-empty"),
        "lhv_offdiag_never_binding": (
            float(never),
            "claim: the 01/10 entries of rho_SEP never bound the LHV region",
        ),
    }


def paper_checks(
    small_S: float = 1e-3,
    eq42_S: Sequence[float] = (1e-2, 1e-1),
    p_barrett: float = BARRETT_WEIGHT,
) -> xr.Dataset:
    """Computed values of the numbers and claims the paper states, as 0-d variables.

    The union of :func:`section3`, :func:`section4`, :func:`section5_chsh` and
    :func:`section5_lhv` (see them for each variable and the paper statement it checks).

    Parameters
    ----------
    small_S:
        The ``S << 1`` point used for the small-``S`` statements, in ``(0, 0.5)``.
    eq42_S:
        The ``S`` values at which the accuracy of Eq. (4.2) is reported, each in ``(0, 0.5)``.
    p_barrett:
        Weight of Barrett's Werner state (Eq. 5.2) for the LHV statements, in ``(0, 1]``.
    """
    if not (np.isfinite(small_S) and 0 < small_S < 0.5):
        raise ValueError(f"small_S must lie in (0, 0.5), got {small_S}")
    eq42 = tuple(float(s) for s in eq42_S)
    if not eq42 or any(not 0 < s < 0.5 for s in eq42):
        raise ValueError(f"eq42_S must be non-empty, each in (0, 0.5), got {eq42_S}")
    _check_p(p_barrett)
    out: Checks = {
        **section3(small_S),
        **section4(small_S, eq42),
        **section5_chsh(),
        **section5_lhv(p_barrett),
    }
    return xr.Dataset(
        {k: ((), float(v), {"description": d, "units": "1"}) for k, (v, d) in out.items()}
    )
