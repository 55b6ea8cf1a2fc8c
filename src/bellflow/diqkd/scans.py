"""Scans used by the workflow (one call per job), returned as :class:`xarray.Dataset`.

Every variable carries ``description`` and ``units`` attributes; solves are recorded per point
through :func:`bellflow.optim.record` (``certified``, ``achieved``, status, settings used).
"""

from __future__ import annotations

import logging
import time
from typing import Any

import numpy as np
import xarray as xr
from numpy.typing import ArrayLike

from bellflow.diqkd.bell import (
    bell_operator,
    bell_value,
    family_coefficients,
    family_violation,
    local_bound,
    npa_check,
)
from bellflow.diqkd.construction import _check_d, _check_eps, family_box, overlap_matrix
from bellflow.diqkd.local import (
    distance_to_local,
    l1_distance,
    local_decomposition,
    local_visibility,
)
from bellflow.diqkd.rates import (
    chsh_box,
    chsh_key_rate,
    conditional_entropy,
    family_di_rate,
    family_key_rate,
    quadrature_ceiling,
)
from bellflow.diqkd.symmetry import family_symmetry
from bellflow.npa.symmetry import is_symmetry
from bellflow.optim import OptResult, record, summary_attrs

logger = logging.getLogger(__name__)

#: Why an ``optimal_inaccurate`` BFF status is acceptable (recorded in the files).
CERT = (
    "Clarabel ends many BFF SDPs 'almost solved' (optimal_inaccurate); *_H_AE are not solver "
    "values but certified lower bounds from the solver's dual point (optim's repaired dual "
    "with |moment| <= 1 after rescaling Eve's operators by beta(t) = 1/(2 sqrt(t(1-t))), and a "
    "residual-corrected second route; the larger is used). *_solver are raw values, for "
    "comparison only (bellflow.entropy)."
)

#: Descriptions and units of the family scan's variables.
FAMILY_VARS: dict[str, tuple[str, str]] = {
    "bell_value": ("B_d(p_eps) of Eq. (10) from the box", ""),
    "bell_operator_max": ("largest eigenvalue of the Bell operator (optimal measurements)", ""),
    "local_bound": (
        "exact local bound of Eq. (10) (Alice's strategies x Bob's best response)",
        "",
    ),
    "violation": ("B_d(p_eps) - local bound, closed form without cancellation", ""),
    "violation_direct": ("B_d(p_eps) - local bound as a plain difference", ""),
    "min_overlap": ("min_jk O_jk of Eq. (9)", ""),
    "l1_to_p0": ("||p_eps - p_0||_1 (p_0 = limit eps -> 0+)", ""),
    "distance": ("l1 distance of p_eps to the local set (LP value)", ""),
    "distance_lower": ("certified lower bound on the distance (LP dual Bell functional)", ""),
    "distance_upper": ("certified upper bound on the distance (LP primal local point)", ""),
    "key_H_A": ("H(A) of Alice's key setting x = 0", "bits"),
    "key_H_A_given_B": ("H(A|B) with Bob's key measurement", "bits"),
    "key_rate": ("r = H(A) - H(A|B), Eq. (15), with H(A|E) = H(A) assumed", "bits"),
    "noise_tolerance": (
        "1 - v*: white noise (weight) beyond which the box is local (LP value)",
        "",
    ),
    "noise_tolerance_certified": (
        "certified lower bound on 1 - v* (LP dual): nonlocal for any smaller noise weight",
        "",
    ),
}


def _var(dims: tuple[str, ...], values: Any, key: str, table: dict) -> xr.Variable:
    desc, units = table[key]
    return xr.Variable(dims, np.asarray(values), {"description": desc, "units": units})


def family_scan(d: int, eps_grid: ArrayLike, *, noise: bool = True) -> xr.Dataset:
    """Every per-(d, eps) quantity of the paper over an eps grid (eps in (0, 1]).

    Variables over ``eps`` (see :data:`FAMILY_VARS`): the Bell value, the Bell operator's
    largest eigenvalue, the exact local bound, the violation (closed form and difference),
    ``min_jk O_jk``, ``||p_eps - p_0||_1``, the LP distance to the local set with its
    certified bounds, the white-noise tolerance ``1 - v*`` (:func:`local_visibility`) and the
    key-rate terms of Eq. (15) (NaN at eps = 1, where the box is local). Per-point records of
    the white-noise LPs (:func:`bellflow.optim.record`) are included. ``noise=False`` skips the
    white-noise LP (NaN; it costs about 10 s per point at d = 8).
    """
    d = _check_d(d)
    eps_grid = np.asarray(eps_grid, dtype=float)
    p0 = family_box(d, 0.0)
    ref = (p0, local_decomposition(p0))
    gens = family_symmetry(d)
    out = {k: np.zeros(len(eps_grid)) for k in FAMILY_VARS}
    lps: list[OptResult] = []
    solves: list[OptResult] = []
    for i, eps in enumerate(eps_grid):
        eps = _check_eps(eps, allow_zero=False)
        p = family_box(d, eps)
        c = family_coefficients(d, eps)
        out["bell_value"][i] = bell_value(c, p)
        out["bell_operator_max"][i] = np.linalg.eigvalsh(bell_operator(d, eps))[-1]
        out["local_bound"][i] = local_bound(c)[0]
        out["violation"][i] = family_violation(d, eps)
        out["violation_direct"][i] = out["bell_value"][i] - out["local_bound"][i]
        out["min_overlap"][i] = overlap_matrix(d, eps).min()
        out["l1_to_p0"][i] = l1_distance(p, p0)
        sym = gens if all(is_symmetry(p, g, 1e-9) for g in gens) else ()
        r = distance_to_local(p, reference=ref, symmetry=sym)
        out["distance"][i], out["distance_lower"][i], out["distance_upper"][i] = (
            r.value,
            r.lower,
            r.upper,
        )
        solves.append(r.opt)
        if noise:
            vis = local_visibility(p, symmetry=sym)
            out["noise_tolerance"][i] = 1.0 - vis.value
            out["noise_tolerance_certified"][i] = 1.0 - vis.certified
            lps.append(vis)
        else:
            out["noise_tolerance"][i] = out["noise_tolerance_certified"][i] = np.nan
        if eps < 1.0:
            kr = family_key_rate(d, eps)
            out["key_H_A"][i], out["key_H_A_given_B"][i] = kr["H_A"], kr["H_A_given_B"]
            out["key_rate"][i] = kr["rate"]
        else:  # eps = 1: local box, no key certified
            out["key_H_A"][i] = out["key_H_A_given_B"][i] = out["key_rate"][i] = np.nan
    data = {k: _var(("eps",), v, k, FAMILY_VARS) for k, v in out.items()}
    if lps:
        for k, rec in record(lps, ("eps",)).items():
            data[f"visibility_lp_{k}"] = xr.Variable(*rec)
    else:  # the same variables, marked as not computed (gathers concatenate over d)
        n = len(eps_grid)
        for k in ("certified", "achieved"):
            data[f"visibility_lp_{k}"] = xr.Variable(("eps",), np.full(n, np.nan))
        for k in ("solver_status", "solver_tolerances"):
            data[f"visibility_lp_{k}"] = xr.Variable(("eps",), np.full(n, "not computed"))
    attrs = summary_attrs(solves + lps) if solves else {}
    return xr.Dataset(data, coords={"eps": eps_grid}, attrs=attrs)


def chsh_baseline(visibilities: ArrayLike) -> xr.Dataset:
    """The CHSH protocol on the depolarised ``|phi_2^+>`` over visibilities ``v``.

    Over ``v``: ``S`` (from the box), ``qber`` (from the box), ``rate`` (Pironio et al. 2009),
    ``distance`` / ``distance_lower`` / ``distance_upper`` (l1 distance of the 2x2 CHSH box to
    the local set, the same norm as for the family).
    """
    v = np.asarray(visibilities, dtype=float)
    table = {
        "S": ("CHSH value of the box", ""),
        "qber": ("QBER of the key settings (x, y) = (0, 2)", ""),
        "rate": ("Pironio et al. (2009) key rate", "bits"),
        "distance": ("l1 distance of the CHSH box to the local set (LP value)", ""),
        "distance_lower": ("certified lower bound on the distance", ""),
        "distance_upper": ("certified upper bound on the distance", ""),
    }
    out = {k: np.zeros(len(v)) for k in table}
    solves: list[OptResult] = []
    sign = np.array([[1.0, -1.0], [-1.0, 1.0]])
    for i, vi in enumerate(v):
        p = chsh_box(vi)
        E = np.einsum("ab,abxy->xy", sign, p)
        out["S"][i] = E[0, 0] + E[0, 1] + E[1, 0] - E[1, 1]
        out["qber"][i] = p[0, 1, 0, 2] + p[1, 0, 0, 2]
        out["rate"][i] = chsh_key_rate(min(max(out["qber"][i], 0.0), 0.5))
        r = distance_to_local(p[:, :, :, :2])
        out["distance"][i], out["distance_lower"][i], out["distance_upper"][i] = (
            r.value,
            r.lower,
            r.upper,
        )
        solves.append(r.opt)
    data = {k: _var(("v",), val, k, table) for k, val in out.items()}
    return xr.Dataset(data, coords={"v": v}, attrs=summary_attrs(solves) if solves else {})


def bff_rates(
    visibilities: ArrayLike, *, d: int, eps: float, m: int, m_chsh: int | None = None
) -> xr.Dataset:
    """BFF key rates vs visibility for the family member (d, eps) and for CHSH.

    Family: :func:`~bellflow.diqkd.rates.family_di_rate` (the whole box imposed, relaxation
    ``level="local"``). CHSH: full 2x2 box of :func:`chsh_box` imposed (level 2 + ``ABZ``),
    minus the binary entropy of the QBER. Only ``d = 2`` is tractable in the time budget.
    ``*_H_AE`` are certified lower bounds (:mod:`bellflow.entropy`); ``*_solver`` the raw
    solver values (not bounds). Per node: ``*_certified`` etc. from
    :func:`bellflow.optim.record` over ``(v, node)``.
    """
    from bellflow.entropy import bff_entropy

    d = _check_d(d)
    eps = _check_eps(eps, allow_zero=False)
    v = np.asarray(visibilities, dtype=float)
    keys = ["family_H_AE", "family_H_AE_solver", "family_H_AB", "family_rate"]
    keys += ["chsh_H_AE", "chsh_H_AE_solver", "chsh_H_AB", "chsh_rate", "chsh_pironio_rate"]
    out = {k: np.zeros(len(v)) for k in keys}
    fam: list[list[OptResult]] = []
    chs: list[list[OptResult]] = []
    for i, vi in enumerate(v):
        t0 = time.perf_counter()
        r = family_di_rate(d, eps, m, visibility=vi)
        out["family_H_AE"][i], out["family_H_AE_solver"][i] = r.H_AE, r.H_AE_solver
        out["family_H_AB"][i] = r.H_AB
        out["family_rate"][i] = r.raw
        pc = chsh_box(vi)
        rc = bff_entropy(m_chsh or m, p=pc[:, :, :, :2])
        out["chsh_H_AE"][i], out["chsh_H_AE_solver"][i] = rc.value, rc.solver_value
        out["chsh_H_AB"][i] = conditional_entropy(pc[:, :, 0, 2])
        out["chsh_rate"][i] = rc.value - out["chsh_H_AB"][i]
        out["chsh_pironio_rate"][i] = chsh_key_rate((1 - vi) / 2)
        fam.append(r.entropy.results)
        chs.append(rc.results)
        logger.info("BFF rates at v = %.4g done in %.1f s", vi, time.perf_counter() - t0)
    data = {
        k: xr.Variable(("v",), val, {"description": f"BFF: {k}", "units": "bits"})
        for k, val in out.items()
    }
    for name, res in (("family", fam), ("chsh", chs)):
        for k, val in record(res, ("v", f"{name}_node")).items():
            data[f"{name}_node_{k}"] = xr.Variable(*val)
    attrs = summary_attrs([r for row in fam + chs for r in row]) | {"bound_certification": CERT}
    coords = {
        "v": v,
        "family_node": np.arange(len(fam[0])),  # quadrature node of the BFF bound
        "chsh_node": np.arange(len(chs[0])),
    }
    return xr.Dataset(data, coords=coords, attrs=attrs)


def family_di_scan(d: int, eps_grid: ArrayLike, m: int) -> xr.Dataset:
    """Device-independent key rate of the family over eps (BFF, ``m`` nodes): issue of
    Eq. (15) without assuming ``H(A|E) = H(A)``.

    Over ``eps``: ``di_H_AE`` (certified), ``di_H_AE_solver``, ``di_H_AB``, ``di_rate``
    (``H_AE - H_AB``, certified lower bound), and the 0-d ``quadrature_ceiling`` (the largest
    value an ``m``-node bound can take for a perfectly secret key,
    :func:`~bellflow.diqkd.rates.quadrature_ceiling`), ``ceiling_gap`` (``ceiling - di_rate``,
    the looseness of the relaxation) and the per-node solver records.
    """
    d = _check_d(d)
    eps_grid = np.asarray(eps_grid, dtype=float)
    rates = [family_di_rate(d, float(e), m) for e in eps_grid]
    ceiling = quadrature_ceiling(m, d)
    rate = np.array([r.raw for r in rates])

    def var(vals: Any, desc: str, units: str = "bits", dims: tuple = ("eps",)) -> xr.Variable:
        return xr.Variable(dims, np.asarray(vals), {"description": desc, "units": units})

    data = {
        "di_H_AE": var([r.H_AE for r in rates], "certified BFF lower bound on H(A|E)"),
        "di_H_AE_solver": var([r.H_AE_solver for r in rates], "BFF from raw solver values"),
        "di_H_AB": var([r.H_AB for r in rates], "H(A|B) with Bob's key measurement"),
        "di_rate": var(rate, "certified DI key rate H(A|E)_BFF - H(A|B)"),
        "ceiling_gap": var(ceiling - rate, "m-node quadrature ceiling minus the DI rate"),
        "quadrature_ceiling": var(ceiling, f"{m}-node BFF value of a secret key", dims=()),
    }
    for k, val in record([r.entropy.results for r in rates], ("eps", "node")).items():
        data[f"node_{k}"] = xr.Variable(*val)
    attrs = summary_attrs([r for x in rates for r in x.entropy.results])
    attrs |= {"d": d, "m": m, "bound_certification": CERT}
    return xr.Dataset(data, coords={"eps": eps_grid}, attrs=attrs)


def npa_scan(points: list[dict[str, Any]], level: str) -> xr.Dataset:
    """:func:`~bellflow.diqkd.bell.npa_check` at each ``{d, eps}`` point, over ``point``; a
    point's optional ``tol`` is the solver tolerance (default: the NPA ladder)."""
    rows = [
        npa_check(int(pt["d"]), float(pt["eps"]), level=level, tol=pt.get("tol"))
        for pt in points
    ]
    dims = ("point",)

    def var(key: str, desc: str, dtype: Any = float) -> xr.Variable:
        vals = np.array([r[key] for r in rows], dtype=dtype)
        return xr.Variable(dims, vals, {"description": desc, "units": ""})

    data = {
        "d": xr.Variable(dims, np.array([int(pt["d"]) for pt in points]), {"description": "d"}),
        "eps": xr.Variable(dims, np.array([float(pt["eps"]) for pt in points]), {}),
        "npa": var("npa", "NPA solver value of max B_d"),
        "npa_certified": var("npa_certified", "certified NPA upper bound on max B_d"),
        "excess": var("excess", "certified upper bound on max_Q B_d - (d - 1)"),
        "box_excess": var("achieved", "B_d(p_eps) - (d - 1) of the explicit quantum box"),
        "violation": var("violation", "B_d(p_eps) - local bound (closed form)"),
        "resolved": var("resolved", "certified excess < violation (NPA resolves it)", bool),
        "quantum": var("quantum", "quantum value d - 1 of the construction"),
    }
    data["eps"].attrs = {"description": "epsilon", "units": ""}
    for k, val in record([r["opt"] for r in rows], dims).items():
        data[k] = xr.Variable(*val)
    attrs = summary_attrs([r["opt"] for r in rows]) | {"level": level}
    return xr.Dataset(data, coords={"point": np.arange(len(points))}, attrs=attrs)
