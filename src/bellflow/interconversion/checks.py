"""Paper checks of paper 000 (Ghosh et al., PRL 132, 250205 (2024)), one function per paper
section, and the builders of the workflow's result files (each an :class:`xarray.Dataset`
whose attrs become the file's root attributes).

Every check function returns ``{name: (dims, values, attrs)}`` data variables with a
``description``; the builders merge them.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import xarray as xr

from bellflow import boxes as bx
from bellflow import npa
from bellflow.interconversion.geometry import fig1_slice
from bellflow.interconversion.realisations import (
    hardy_box,
    hardy_box_chsh_aligned,
    hardy_conditions,
    hardy_state_parameter,
    hardy_success_npa,
    tsirelson_box,
)
from bellflow.interconversion.seesaw import prop1_copies
from bellflow.interconversion.spectra import prop2_spectra
from bellflow.interconversion.thresholds import (
    isotropic_nondistillable_range,
    isotropic_threshold,
    segment_isotropic_crossing,
)

__all__ = [
    "eq1_vertices",
    "npa_bounds",
    "eq3_realisations",
    "npa_values",
    "thresholds",
    "prop1_section",
    "prop2_section",
    "propositions",
    "fig1_data",
]

Vars = dict[str, tuple[Any, ...]]


def _v(value: Any, description: str, dims: tuple[str, ...] = (), **attrs: Any) -> tuple:
    return (dims, np.asarray(value), {"description": description, **attrs})


def _level_tag(level: str | int) -> str:
    return str(level).lower().replace("+", "")


def eq1_vertices() -> Vars:
    """Eq. (1a)/(1b): numbers of local deterministic and PR vertices of the 222 NS polytope."""
    return {
        "n_local_vertices": _v(len(bx.deterministic_boxes(2, 2, 2, 2)), "Eq. (1a) vertices"),
        "n_pr_vertices": _v(len(bx.pr_boxes()), "Eq. (1b) vertices"),
    }


def npa_bounds(levels: Sequence[str | int], solver: str) -> tuple[Vars, dict[str, Any]]:
    """Text above Eq. (3): NPA bounds of CHSH (``2 sqrt 2``) and of Hardy's success
    (``(5 sqrt 5 - 11)/2``) per level; returns the variables and the tolerances per key."""
    out: Vars = {}
    tols: dict[str, Any] = {}
    chsh = bx.chsh_coefficients()
    for lev in levels:
        tag = _level_tag(lev)
        for name, r in (
            (f"chsh_level{tag}", npa.npa_upper_bound(chsh, lev, solver=solver)),
            (f"hardy_level{tag}", hardy_success_npa(lev, solver=solver)),
        ):
            out[name] = _v(r.value, f"NPA level {lev} bound (primal objective)")
            out[f"{name}_dual"] = _v(r.dual, f"NPA level {lev} dual objective")
            tols[name] = r.tolerances
    return out, tols


def eq3_realisations() -> Vars:
    """Eq. (3a)/(3b): CHSH of ``P_T``, Hardy conditions of ``P_H``, the corrected state
    parameter of Eq. (3b) and ``P_T = PR_{1/sqrt 2}`` (text above Theorem 3)."""
    pT, pH = tsirelson_box(), hardy_box()
    h = hardy_conditions(pH)
    return {
        "chsh_tsirelson_box": _v(bx.bell_value(bx.chsh_coefficients(), pT), "CHSH of Eq. (3a)"),
        "hardy_box_success": _v(h["success"], "p(00|00) of the Eq. (3b) box"),
        "hardy_box_max_zero": _v(
            max(abs(h[k]) for k in ("p00_01", "p00_10", "p11_11")), "largest Hardy zero of P_H"
        ),
        "hardy_state_parameter": _v(hardy_state_parameter(), "corrected a of Eq. (3b)"),
        "tsirelson_equals_pr_eta": _v(
            float(np.abs(pT - bx.isotropic_box(1 / math.sqrt(2))).max()),
            "max |P_T - PR_{1/sqrt 2}|",
        ),
    }


def npa_values(
    levels: Sequence[str | int] = ("1", "1+AB", "2"), solver: str = "CLARABEL"
) -> xr.Dataset:
    """File ``npa_values.h5``: :func:`eq1_vertices`, :func:`npa_bounds`,
    :func:`eq3_realisations` and whether every realisation value is below every bound."""
    bounds, tols = npa_bounds(levels, solver)
    data: Vars = {**bounds, **eq3_realisations(), **eq1_vertices()}
    tags = [_level_tag(v) for v in levels]
    ok = all(
        float(data[real][1]) <= float(data[f"{kind}_level{t}"][1]) + 1e-8
        for t in tags
        for kind, real in (("chsh", "chsh_tsirelson_box"), ("hardy", "hardy_box_success"))
    )
    data["realisations_within_bounds"] = _v(ok, "every realisation value <= every NPA bound")
    attrs = {
        "solver": solver,
        "solver_status": "optimal",
        "solver_tolerances": json.dumps(tols, sort_keys=True),
    }
    return xr.Dataset(data, attrs=attrs)


def thresholds(bisection_tol: float = 1e-7, level: str | int = "1+AB") -> xr.Dataset:
    """File ``thresholds.h5`` (text above Theorem 3): local and quantum thresholds of
    ``PR_eta`` by bisection, and the direct visibilities of the PR box as a second route."""
    loc = isotropic_threshold("local", tol=bisection_tol)
    qu = isotropic_threshold("quantum", tol=bisection_tol, level=level)
    pr = bx.pr_boxes()[0]
    vis_l = bx.local_visibility(pr)
    vis_q = npa.npa_visibility(pr, level)
    data = {
        "eta_local": _v(loc.value, "local threshold of PR_eta, LP bisection (midpoint)"),
        "eta_local_lo": _v(loc.lo, "largest eta found local"),
        "eta_local_hi": _v(loc.hi, "smallest eta found nonlocal"),
        "eta_quantum": _v(qu.value, f"NPA {level} threshold of PR_eta, bisection (midpoint)"),
        "eta_quantum_lo": _v(qu.lo, "largest eta found in the NPA set"),
        "eta_quantum_hi": _v(qu.hi, "smallest eta found outside the NPA set"),
        "eta_local_visibility": _v(vis_l.value, "LP visibility of the PR box (direct route)"),
        "eta_quantum_visibility": _v(vis_q.value, "NPA visibility of the PR box (direct)"),
        "bisection_tol": _v(bisection_tol, "bracket width at which bisection stops"),
        "steps_local": _v(loc.steps, "membership tests (local)"),
        "steps_quantum": _v(qu.steps, "membership tests (quantum)"),
    }
    attrs = {
        **vis_q.attrs(),
        "bisection_solver_quantum": json.dumps(qu.solver),
        "bisection_solver_local": json.dumps(loc.solver),
    }
    return xr.Dataset(data, attrs=attrs)


def prop1_section(claim_tol: float, **seesaw: Any) -> xr.Dataset:
    """Proposition 1: the see-saw optimum on ``|phi_2^+>^{(x) n}`` is 0 (no Hardy
    nonlocality) for every configured ``n``; ``|psi_H>`` as a control."""
    p1 = prop1_copies(**seesaw)
    ds = p1[["J", "success", "zeros"]].rename({k: f"prop1_{k}" for k in ("J", "success", "zeros")})
    ds["prop1_control_J"] = _v(float(p1["control_J"]), "same optimisation on |psi_H> (control)")
    ds["prop1_no_hardy"] = _v(
        bool(np.abs(p1["J"].values).max() <= float(claim_tol)), "J <= tol for every n"
    )
    return ds


def prop2_section(n_max: int, n_dense: int, rtol: float) -> xr.Dataset:
    """Proposition 2, Eq. (7): the spectrum of ``rho_A^{(x) n}`` of ``|psi_H>`` is evenly
    degenerate for no ``n`` (so Eq. 6 fails); the right side of Eq. (7) passes (control)."""
    p2 = prop2_spectra(n_max, n_dense=n_dense, rtol=rtol)
    keys = ("evenly_degenerate", "top_multiplicity", "odd_clusters", "dense_vs_product")
    ds = p2[list(keys)].rename({k: f"prop2_{k}" for k in keys})
    ds["prop2_schmidt_s"] = _v(float(p2["s"]), "Schmidt coefficient s of |psi_H>")
    ds["prop2_condition_fails_all_n"] = _v(
        bool(not p2["evenly_degenerate"].values.any()), "Eq. (7) fails for every n"
    )
    ds["prop2_control_ok"] = _v(bool(p2["control_ok"]), "I/2 (x) rho_zeta passes (control)")
    return ds


def propositions(
    seesaw: Mapping[str, Any], claim_tol: float, spectra: Mapping[str, Any]
) -> xr.Dataset:
    """File ``propositions.h5``: :func:`prop1_section` and :func:`prop2_section`."""
    return xr.merge([prop1_section(claim_tol, **seesaw), prop2_section(**spectra)])


def fig1_data(n_angles: int = 720, level: str | int = "1+AB") -> xr.Dataset:
    """File ``fig1_data.h5``: the Fig. 1 slice and the Corollary 1 / Theorem 3 range of
    isotropic boxes that cannot be distilled to ``P_T``."""
    if int(n_angles) != n_angles or n_angles < 1:
        raise ValueError(f"n_angles must be an integer >= 1, got {n_angles!r}")
    A = hardy_box_chsh_aligned()
    rng = isotropic_nondistillable_range(A)
    cross = segment_isotropic_crossing(A, rng["L_prime"])
    points = {
        "PR": bx.pr_boxes()[0],
        "PT": tsirelson_box(),
        "PH": A,
        "Piso": bx.isotropic_box(rng["eta_max"]),
        "Lprime": rng["L_prime"],
        "Lhalf": bx.isotropic_box(0.5),
    }
    angles = np.linspace(0.0, 2 * np.pi, int(n_angles), endpoint=False)
    f = fig1_slice(A, angles, level=level, points=points)
    eta_l = bx.local_visibility(bx.pr_boxes()[0]).value
    eta_q = npa.npa_visibility(bx.pr_boxes()[0], level).value
    nonempty = bool(eta_l + 1e-6 < rng["eta_max"] < eta_q - 1e-6)
    ax = ("angle",)
    data: Vars = {
        "theorem3_range_nonempty": _v(nonempty, "1/2 < eta_max < 1/sqrt 2 (both computed)"),
        "r_local": _v(f.r_local, "local polytope boundary (LP)", ax),
        "r_quantum": _v(f.r_quantum, f"NPA {level} boundary", ax),
        "r_ns": _v(f.r_ns, "no-signalling boundary (closed form)", ax),
        "eta_max": _v(rng["eta_max"], "largest eta with PR_eta = lambda P_H + (1-lambda) L"),
        "lambda_at_eta_max": _v(rng["lambda"], "weight of P_H there"),
        "crossing_eta": _v(cross["eta"], "line P_H-L' meets the isotropic line (lstsq)"),
        "crossing_residual": _v(cross["residual"], "residual of that solve"),
        "lprime_local": _v(bx.local_membership(rng["L_prime"]).extra["member"], "L' local"),
    }
    for name, (x, y) in f.points.items():
        data[f"x_{name}"] = _v(x, f"slice coordinate X of {name}")
        data[f"y_{name}"] = _v(y, f"slice coordinate Y of {name}")
    return xr.Dataset(data, coords={"angle": angles}, attrs=dict(f.solver))
