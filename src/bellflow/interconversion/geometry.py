"""Fig. 1 of paper 000: a 2D slice of the 222 box space through the uniform box, the PR box
and a box ``A`` (``P_H``), with the local, quantum (NPA) and no-signalling boundaries."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import xarray as xr
from numpy.typing import ArrayLike, NDArray

from bellflow import boxes as bx
from bellflow import npa
from bellflow.optim import record, summary_attrs

__all__ = [
    "Fig1Slice",
    "fig1_slice",
    "slice_basis",
    "slice_coordinates",
    "ns_radius",
    "theorem3_range",
    "fig1_section",
]


@dataclass
class Fig1Slice:
    """A 2D slice of the 222 box space through the uniform box ``U`` (white noise), the PR box
    and ``A``.

    Coordinates: ``p = U + X e1 + Y e2`` with ``e1, e2`` orthonormal (Euclidean norm of the
    16 entries ``p[a,b,x,y]``), ``e1`` along ``PR - U``. ``angles`` are the ray angles;
    ``r_local``, ``r_quantum``, ``r_ns`` the boundary distances from ``U`` along each ray;
    ``points`` the named points' ``(X, Y)``; ``results`` the NPA solves per ray.
    """

    e1: NDArray[np.float64]
    e2: NDArray[np.float64]
    angles: NDArray[np.float64]
    r_local: NDArray[np.float64]
    r_quantum: NDArray[np.float64]
    r_ns: NDArray[np.float64]
    points: dict[str, tuple[float, float]]
    level: str
    solver: dict[str, Any] = field(default_factory=dict)
    results: list[Any] = field(default_factory=list)


def slice_basis(A: ArrayLike) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Orthonormal ``(e1, e2)`` spanning ``PR - U`` and ``A - U`` (``U`` the uniform box)."""
    u = bx.white_noise()
    e1 = bx.pr_boxes()[0] - u
    e1 = e1 / np.linalg.norm(e1)
    w = np.asarray(A, dtype=float) - u
    if w.shape != u.shape:
        raise ValueError(f"A must be a 222 box of shape (2, 2, 2, 2), got {w.shape}")
    w = w - np.sum(w * e1) * e1
    nw = np.linalg.norm(w)
    if nw < 1e-12:
        raise ValueError("A lies on the isotropic line: it does not define a plane")
    return e1, w / nw


def slice_coordinates(
    p: ArrayLike, e1: NDArray[np.float64], e2: NDArray[np.float64]
) -> tuple[float, float]:
    """``(X, Y)`` of a box in the slice (orthogonal projection)."""
    d = np.asarray(p, dtype=float) - bx.white_noise()
    return float(np.sum(d * e1)), float(np.sum(d * e2))


def ns_radius(direction: ArrayLike) -> float:
    """Distance from the uniform box ``U`` to the no-signalling boundary along ``direction``
    (closed form: the first entry of ``U + r d`` to reach zero; ``d`` lies in the
    no-signalling subspace)."""
    d = np.asarray(direction, dtype=float).reshape(-1)
    u = bx.white_noise().reshape(-1)
    if d.shape != u.shape or not np.all(np.isfinite(d)):
        raise ValueError("direction must be a finite 222 array (16 entries)")
    neg = d < -1e-15
    if not neg.any():
        raise ValueError("direction has no negative entry: the ray never leaves the box set")
    return float(np.min(u[neg] / -d[neg]))


def fig1_slice(
    A: ArrayLike,
    angles: ArrayLike,
    *,
    level: str | int = "1+AB",
    points: Mapping[str, ArrayLike] | None = None,
) -> Fig1Slice:
    """Boundaries of the local (LP), quantum (NPA ``level``) and no-signalling sets in the
    plane through ``U``, the PR box and ``A`` (Fig. 1), traced along rays from ``U``.

    Along the ray ``d(theta) = cos(theta) e1 + sin(theta) e2``: ``r_ns`` in closed form
    (:func:`ns_radius`); with ``p_ns = U + r_ns d`` (a valid box),
    ``r_local = r_ns * local_visibility(p_ns)`` and ``r_quantum = r_ns * npa_visibility(p_ns)``
    (visibilities against ``U``).
    """
    e1, e2 = slice_basis(A)
    u = bx.white_noise()
    th_all = np.asarray(angles, dtype=float)
    if th_all.ndim != 1 or not np.all(np.isfinite(th_all)):
        raise ValueError("angles must be a finite 1-d array")
    rl, rq, rn = (np.empty(len(th_all)) for _ in range(3))
    last = None
    results = []
    for i, th in enumerate(th_all):
        d = math.cos(th) * e1 + math.sin(th) * e2
        rn[i] = ns_radius(d)
        p = np.clip(u + rn[i] * d, 0.0, None)  # clears rounding negatives (~1e-17)
        rl[i] = rn[i] * bx.local_visibility(p).value
        last = npa.npa_visibility(p, level)
        results.append(last)
        rq[i] = rn[i] * last.value
    pts = {"L0": (0.0, 0.0)}
    for name, p in (points or {}).items():
        pts[name] = slice_coordinates(p, e1, e2)
    return Fig1Slice(
        e1=e1,
        e2=e2,
        angles=th_all,
        r_local=rl,
        r_quantum=rq,
        r_ns=rn,
        points=pts,
        level=str(level),
        solver=summary_attrs(results) if results else {},
        results=results,
    )


def _v(value: Any, description: str, dims: tuple[str, ...] = ()) -> tuple[Any, ...]:
    return (dims, np.asarray(value), {"description": description})


def theorem3_range(
    level: str | int = "1+AB", s_states: ArrayLike = (0.6, 0.55, 0.51, 0.501)
) -> xr.Dataset:
    """Theorem 3 / Corollary 1 / Fig. 1: isotropic boxes ``PR_eta``, ``1/2 < eta < 1/sqrt 2``,
    that cannot be distilled to ``P_T``, by three constructions of increasing reach:

    - ``eta_max`` (the paper's Fig. 1): ``PR_eta = lambda P_H + (1 - lambda) L'`` with one
      orientation of ``P_H`` (LP, :func:`~bellflow.interconversion.thresholds.
      isotropic_nondistillable_range`); check: the line ``P_H L'`` meets the isotropic line
      at the same ``eta`` (least squares);
    - ``eta_max_relabelled``: mixtures of the 128 relabellings of ``P_H`` and local boxes
      (LP, :func:`~bellflow.interconversion.thresholds.relabelled_mixture_range`); check: the
      closed form ``max_g CHSH(g P_H)/4``;
    - ``eta_psi_h``: any box of ``|psi_H>`` (other measurements), depolarised to the isotropic
      line by relabellings and shared randomness: ``CHSH_max(psi_H)/4`` (Horodecki closed
      form, :func:`~bellflow.interconversion.selftest.chsh_max_pure_qubits`); check: a see-saw
      maximisation of CHSH on ``|psi_H>``;
    - ``eta_states``: the same for the states ``sqrt(s)|00> + sqrt(1 - s)|11>`` of Theorem 2
      at the Schmidt coefficients ``s_states``: ``sqrt(1 + 4 s (1 - s))/2 -> 1/sqrt 2`` as
      ``s -> 1/2``, so by this argument every ``PR_eta`` with ``1/2 < eta < 1/sqrt 2`` is
      non-distillable to ``P_T`` (each such box is the depolarised box of a state with
      ``s != 1/2``, which Theorem 2's spectral argument excludes).

    The claim of Theorem 3 (``theorem3_range_nonempty``) is read from the paper's
    construction: ``eta_local < eta_max < eta_quantum`` with both thresholds computed.
    """
    from bellflow.interconversion.realisations import (
        hardy_box_chsh_aligned,
        hardy_realisation,
        schmidt_coefficients,
    )
    from bellflow.interconversion.selftest import chsh_max_pure_qubits, chsh_seesaw
    from bellflow.interconversion.thresholds import (
        isotropic_nondistillable_range,
        relabelled_mixture_range,
        segment_isotropic_crossing,
    )

    A = hardy_box_chsh_aligned()
    rng = isotropic_nondistillable_range(A)
    cross = segment_isotropic_crossing(A, rng["L_prime"])
    rel = relabelled_mixture_range(A)
    psi_h = hardy_realisation()[0]
    eta_h = float(chsh_max_pure_qubits(schmidt_coefficients(psi_h, (2, 2))[0])) / 4
    eta_h_num = chsh_seesaw(2, psi=psi_h, restarts=5, seed=0)["value"] / 4
    s_st = np.asarray(s_states, dtype=float)
    if s_st.ndim != 1 or np.any(s_st <= 0.5) or np.any(s_st >= 1):
        raise ValueError("s_states must be a 1-d array inside (1/2, 1)")
    eta_st = np.asarray(chsh_max_pure_qubits(s_st)) / 4
    pr = bx.pr_boxes()[0]
    eta_l, eta_q = bx.local_visibility(pr).value, npa.npa_visibility(pr, level).value
    data = {
        "theorem3_range_nonempty": _v(
            bool(eta_l + 1e-6 < rng["eta_max"] < eta_q - 1e-6), "eta_local < eta_max < eta_q"
        ),
        "eta_max": _v(rng["eta_max"], "largest eta with PR_eta = lambda P_H + (1-lambda) L"),
        "lambda_at_eta_max": _v(rng["lambda"], "weight of P_H there"),
        "crossing_eta": _v(cross["eta"], "line P_H-L' meets the isotropic line (lstsq)"),
        "crossing_residual": _v(cross["residual"], "residual of that solve"),
        "eta_max_vs_crossing": _v(abs(cross["eta"] - rng["eta_max"]), "|LP - lstsq|"),
        "lprime_local": _v(bx.local_membership(rng["L_prime"]).extra["member"], "L' local"),
        "eta_max_relabelled": _v(rel["eta_max"], "mixtures of relabelled P_H and local boxes"),
        "eta_max_relabelled_vs_chsh": _v(
            abs(rel["eta_max"] - rel["eta_chsh"]), "|LP - max_g CHSH(g P_H)/4|"
        ),
        "eta_psi_h": _v(eta_h, "CHSH_max(psi_H)/4: depolarised boxes of |psi_H>"),
        "eta_psi_h_vs_seesaw": _v(abs(eta_h - eta_h_num), "|closed form - see-saw|"),
        "eta_states": _v(eta_st, "CHSH_max(psi_s)/4 (depolarised boxes of psi_s)", ("s_state",)),
        "eta_states_max": _v(eta_st.max(), "largest of those (s closest to 1/2)"),
        "eta_local_threshold": _v(eta_l, "LP visibility of the PR box"),
        "eta_quantum_threshold": _v(eta_q, f"NPA {level} visibility of the PR box"),
    }
    return xr.Dataset(data, coords={"s_state": s_st}, attrs=rng["lp"].attrs())


def fig1_section(n_angles: int = 720, level: str | int = "1+AB") -> xr.Dataset:
    """Fig. 1: the slice through the uniform box ``U``, the PR box and ``P_H`` (CHSH-aligned),
    with the named points. ``L_0`` is placed as the caption defines it, ``(L_0, P_T] <->
    1/2 < eta < 1/sqrt 2``: ``L_0 = PR_{1/2}``, where the isotropic ray leaves the local
    polytope. ``eta_L0`` (``eta_PT``) is read from the local (quantum) boundary on the ray
    towards the PR box (angle 0); checks: the local bound of CHSH by enumeration over 4
    (``PR_eta`` leaves ``L`` through the CHSH facet) and ``CHSH(P_T)/4`` (Eq. 3a)."""
    from bellflow.interconversion.realisations import hardy_box_chsh_aligned, tsirelson_box
    from bellflow.interconversion.thresholds import isotropic_nondistillable_range

    if int(n_angles) != n_angles or n_angles < 1:
        raise ValueError(f"n_angles must be an integer >= 1, got {n_angles!r}")
    A = hardy_box_chsh_aligned()
    rng = isotropic_nondistillable_range(A)
    points = {
        "U": bx.white_noise(),
        "L0": bx.isotropic_box(0.5),
        "PR": bx.pr_boxes()[0],
        "PT": tsirelson_box(),
        "PH": A,
        "Piso": bx.isotropic_box(rng["eta_max"]),
        "Lprime": rng["L_prime"],
    }
    angles = np.linspace(0.0, 2 * np.pi, int(n_angles), endpoint=False)
    f = fig1_slice(A, angles, level=level, points=points)
    chsh = bx.chsh_coefficients()
    eta_l0, eta_pt = f.r_local[0] / f.r_ns[0], f.r_quantum[0] / f.r_ns[0]
    ax = ("angle",)
    data = {
        "r_local": _v(f.r_local, "local polytope boundary (LP)", ax),
        "r_quantum": _v(f.r_quantum, f"NPA {level} boundary", ax),
        "r_quantum_certified": _v(
            f.r_ns * np.array([r.certified for r in f.results]),
            f"certified outer bound on the NPA {level} boundary",
            ax,
        ),
        "r_ns": _v(f.r_ns, "no-signalling boundary (closed form)", ax),
        "eta_L0": _v(eta_l0, "eta where the isotropic ray leaves L (slice, LP)"),
        "eta_L0_vs_chsh": _v(abs(eta_l0 - bx.local_bound(chsh) / 4), "|slice - local bound/4|"),
        "eta_PT": _v(eta_pt, "eta where the isotropic ray leaves the NPA set (slice)"),
        "eta_PT_vs_realisation": _v(
            abs(eta_pt - float(bx.bell_value(chsh, tsirelson_box())) / 4), "|slice - CHSH(P_T)/4|"
        ),
    }
    data.update({f"npa_{k}": v for k, v in record(f.results, ax).items()})
    for name, (x, y) in f.points.items():
        data[f"x_{name}"] = _v(x, f"slice coordinate X of {name}")
        data[f"y_{name}"] = _v(y, f"slice coordinate Y of {name}")
    return xr.Dataset(data, coords={"angle": angles}, attrs=dict(f.solver))
