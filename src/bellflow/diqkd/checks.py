"""Paper 002's claims as 0-d variables for the reproduction table, one function per section.

Each function takes gathered results and returns ``{name: (dims, value, attrs)}`` for
:func:`bellflow.io.write_result`. The route and the independent check of each row are named in
``workflow/resources/paper_values/diqkd.yaml``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import scipy.linalg as sla
import xarray as xr

from bellflow.diqkd.construction import (
    family_box,
    generator,
    shift_operator,
    unitary,
    unitary_formula,
)
from bellflow.diqkd.local import _local_map, distance_to_local, local_decomposition
from bellflow.io import scalar

Vars = dict[str, tuple[Any, ...]]


def construction_checks(d_values: Sequence[int]) -> Vars:
    """Below Eq. (17) and Eq. (16): ``U_0 = 1`` from the formula itself (no special case), with
    ``e^(0 G)`` (scipy ``expm`` of the generator) as the second route; the Eq. (16) typo."""
    ds = [int(d) for d in d_values]
    dev = max(float(np.max(np.abs(unitary_formula(d, 0.0) - np.eye(d)))) for d in ds)
    routes = max(
        float(np.max(np.abs(unitary_formula(d, 0.0) - sla.expm(0.0 * generator(d))))) for d in ds
    )
    return {
        "U0_identity": scalar(bool(dev <= 1e-14), "U_0 = 1 from Eq. (17) as printed"),
        "U0_formula_deviation": scalar(dev, "max_d max|sum_j |chi_j><chi_j| - 1|"),
        "U0_routes_diff": scalar(routes, "max_d max|Eq. (17) at eps = 0 - expm(0 G)|"),
        "eq16_Xdagger_diff": scalar(
            max(float(np.max(np.abs(unitary(d, 1.0) - shift_operator(d).T))) for d in ds),
            "max_d max|U_1 - X^dagger| (what Eq. 16's sum is with the printed |chi_j>)",
        ),
        "eq16_X_equals_sum": scalar(
            bool(all(np.allclose(unitary(d, 1.0), shift_operator(d)) for d in ds)),
            "Eq. (16) as printed: sum_j omega^j |chi_j><chi_j| = X (false for d >= 3: X^dagger)",
        ),
    }


def family_checks(ds: xr.Dataset, claim_eps_max: float) -> Vars:
    """Text after Eq. (17): violation > 0 and O_jk > 0 on (0, 1); distance and violation -> 0."""
    eps = ds["eps"].values
    inner = eps < claim_eps_max  # the paper's eps in (0, 1); eps = 1 is local again
    dist = ds["distance_upper"].values
    i0 = int(np.argmin(eps))
    small = eps <= 0.1  # the eps -> 0 regime (the distance is not monotonic up to eps = 1)
    return {
        "violation_positive_all": scalar(
            bool(np.all(ds["violation"].values[:, inner] > 0)),
            "local bound < quantum value for every d and eps < claim_eps_max",
        ),
        "overlap_positive_all": scalar(
            bool(np.all(ds["min_overlap"].values[:, inner] > 0)), "O_jk > 0 for eps in (0, 1)"
        ),
        "distance_at_eps_min": scalar(dist[:, i0].max(), "max over d of the distance at eps_min"),
        "distance_to_zero": scalar(
            bool(np.all(dist[:, i0] <= 20 * eps[i0]) and np.all(np.diff(dist[:, small]) > 0)),
            "distance to the local set <= 20 eps at eps_min, decreasing as eps decreases "
            "(eps<=0.1)",
        ),
        "violation_to_zero": scalar(
            bool(np.all(ds["violation"].values[:, i0] <= 10 * eps[i0] ** 4)),
            "violation <= 10 eps^4 at eps_min",
        ),
        "violation_routes_diff": scalar(
            float(np.max(np.abs(ds["violation"].values - ds["violation_direct"].values)[:, inner])),
            "max |closed-form violation - (B_d(p_eps) - L)| over eps < claim_eps_max (absolute)",
        ),
        "overlap_routes_diff": scalar(
            _overlap_routes(ds["d"].values, eps[inner]),
            "max |O_jk - sin(pi eps) / (d |sin(pi (eps + j - k) / d)|)| over the grid",
        ),
        "distance_bounds_relgap_max": scalar(
            _relative_gap(ds["distance_upper"].values, ds["distance_lower"].values),
            "max (certified upper - certified lower) / certified upper of the distance "
            "(primal vs dual), over the grid points where the distance is > 0",
        ),
    }


def _overlap_routes(d_values: Any, eps: Any) -> float:
    """Max deviation of :func:`overlap_matrix` from its closed form (geometric series)."""
    from bellflow.diqkd.construction import overlap_matrix

    dev = 0.0
    for d in (int(k) for k in d_values):
        j = np.arange(d)
        for e in eps:
            closed = np.sin(np.pi * e) / (d * np.abs(np.sin(np.pi * (e + j[:, None] - j) / d)))
            dev = max(dev, float(np.max(np.abs(overlap_matrix(d, e) - closed))))
    return dev


def p0_checks(d_values: Sequence[int]) -> Vars:
    """Text before Eq. (16): ``p_0`` (``|e_k> = |k>``) is local. Route: the explicit local model
    of :func:`local_decomposition` reproduces it exactly; check: the LP distance to the local
    set (certified upper bound)."""
    dev, lp = 0.0, 0.0
    for d in (int(k) for k in d_values):
        p0 = family_box(d, 0.0)
        m = local_decomposition(p0)
        dev = max(dev, float(np.max(np.abs(_local_map(p0.shape) @ m - p0.reshape(-1)))))
        lp = max(lp, distance_to_local(p0).upper)
    return {
        "p0_local": scalar(bool(dev <= 1e-15), "p_0 has an explicit local model"),
        "p0_local_model_deviation": scalar(dev, "max |local model - p_0| over d"),
        "p0_lp_distance": scalar(lp, "certified upper bound on the l1 distance of p_0 to L"),
    }


def key_rate_checks(ds: xr.Dataset, claim_eps_max: float) -> Vars:
    """Eq. (15) with ``H(A|E) = H(A)`` (the paper's theorem as input): ``H(A) - H(A|B)``."""
    d, eps = ds["d"].values, ds["eps"].values
    inner = eps < claim_eps_max
    rate = ds["key_rate"].values
    out: Vars = {}
    for i, di in enumerate(d):
        out[f"key_rate_d{di}"] = scalar(rate[i, 0], f"H(A) - H(A|B) for d = {di} at eps_min")
    out["key_rate_all_log2d"] = scalar(
        bool(np.all(np.abs(rate[:, inner] - np.log2(d)[:, None]) < 1e-12)),
        "H(A) - H(A|B) = log2 d for every d and eps < claim_eps_max scanned",
    )
    return out


def noise_checks(ds: xr.Dataset) -> Vars:
    """Conclusion: the correlations close to the local set cannot tolerate noise. Route: the
    LP white-noise tolerance ``1 - v*`` (the primal is a local model of the noisy box) -> 0
    with eps (<= 2 eps at eps_min and decreasing for eps <= 0.1), while the dual's certified
    lower bound stays > 0 for eps < 1 (nonlocal for any smaller noise); check: LP value vs
    its dual certificate."""
    eps = ds["eps"].values
    rows = np.all(np.isfinite(ds["noise_tolerance"].values), axis=1)  # the d's computed
    if not rows.any():
        raise ValueError("no d has the white-noise tolerance (scan.noise_d_max too small)")
    tol = ds["noise_tolerance"].values[rows]
    low = ds["noise_tolerance_certified"].values[rows]
    i0 = int(np.argmin(eps))
    small = eps <= 0.1
    inner = eps < 1.0
    return {
        "noise_tolerance_to_zero": scalar(
            bool(
                np.all(tol[:, i0] <= 2 * eps[i0])
                and np.all(np.diff(tol[:, small]) > 0)
                and np.all(low[:, inner] > 0)
            ),
            "1 - v* <= 2 eps at eps_min, decreasing as eps decreases (eps <= 0.1), and > 0 "
            "(certified) for eps < 1",
        ),
        "noise_tolerance_at_eps_min": scalar(float(tol[:, i0].max()), "max_d (1 - v*) at eps_min"),
        "noise_tolerance_lp_diff": scalar(
            float(np.max(np.abs(tol - low))), "max |LP value - certified bound| of 1 - v*"
        ),
    }


def di_key_checks(di: xr.Dataset) -> Vars:
    """Eq. (15) device-independently (BFF), d = 2: the certified rate vs ``log2 d``.

    ``key_rate_di_d2``: min over eps of the certified rate. Its gap to ``log2 d`` is the
    quadrature gap (``1 - quadrature_ceiling``) plus the relaxation's looseness
    (``di_ceiling_gap_max``, the check: how far the certified rate stays below the ``m``-node
    value of a perfectly secret key)."""
    d = int(di.attrs["d"])
    rate = di["di_rate"].values
    ceiling = float(di["quadrature_ceiling"].values)
    eps = di["eps"].values
    return {
        f"key_rate_di_d{d}": scalar(float(rate.min()), f"min_eps certified DI rate, d = {d}"),
        "di_ceiling_gap_max": scalar(
            float(np.max(ceiling - rate)), "max_eps (m-node ceiling - certified DI rate)"
        ),
        "di_quadrature_gap": scalar(np.log2(d) - ceiling, "log2 d - m-node quadrature ceiling"),
        "di_eps_min": scalar(float(eps.min()), "smallest eps of the DI scan"),
        "di_eps_max": scalar(float(eps.max()), "largest eps of the DI scan"),
    }


def npa_checks(npa: xr.Dataset) -> Vars:
    """Eq. (10)'s quantum value d - 1 (Ref. [35]) by certified NPA, resolved per eps."""
    res = npa["resolved"].values.astype(bool)
    eps = npa["eps"].values
    excess = npa["excess"].values
    return {
        "npa_all_confirmed": scalar(
            bool(np.all(excess >= -1e-12) and np.all(excess <= 1e-5)),
            "certified NPA excess over d - 1 in [0, 1e-5] at every point",
        ),
        "npa_resolved_any": scalar(bool(res.any()), "certified excess < violation somewhere"),
        "npa_resolved_eps_min": scalar(
            float(eps[res].min()) if res.any() else np.nan, "smallest eps resolved"
        ),
        "npa_unresolved_eps_max": scalar(
            float(eps[~res].max()) if (~res).any() else np.nan, "largest eps not resolved"
        ),
        "npa_max_excess": scalar(float(excess.max()), "max certified excess over d - 1"),
        "npa_bracket_max": scalar(
            float(np.max(excess - npa["box_excess"].values)),
            "max (certified excess - value of the explicit box): width of [achieved, certified]",
        ),
    }


def _relative_gap(upper: np.ndarray, lower: np.ndarray) -> float:
    """Largest width of the certified bracket ``[lower, upper]`` relative to ``upper`` over the
    points with a distance above rounding level (the LP's absolute accuracy is relative to the
    size of the distance, which spans three decades over the eps grid)."""
    upper, lower = np.asarray(upper, dtype=float), np.asarray(lower, dtype=float)
    positive = upper > 1e-9
    if not positive.any():
        return 0.0
    return float(np.max((upper[positive] - lower[positive]) / upper[positive]))
