"""Study: does the many-body Bell violation of the LMG steady states leave a two-body trace?

Along the Fig. 1 maps of paper 003 the permutationally invariant Bell value (Eq. 3, a
two-body *expression* that needs every party's measurement) sits next to the maximal CHSH value
of the two-body reduced state rho_2 itself (Horodecki criterion,
:func:`bellflow.states.horodecki_chsh`): can two spins alone show non-locality where the
N-body inequality does?

For permutationally invariant states of N >= 3 qubits rho_2 is the reduced state of every pair,
and CHSH violations are monogamous (Toner and Verstraete 2006, arXiv:quant-ph/0611001: for
three qubits CHSH_AB^2 + CHSH_AC^2 <= 8), so rho_2 cannot violate CHSH. The study measures how
far below 2 it stays where Eq. (3) is violated. The Horodecki value is checked against a direct
numerical maximisation of CHSH over the four measurement directions at the extreme points of
each map.

Beyond CHSH (device-independent certifiability of rho_2):

- the box of rho_2 under its Horodecki-optimal measurements (:func:`horodecki_box`) is tested
  for membership of the local polytope by linear programming
  (:func:`bellflow.boxes.local_visibility`: the largest white-noise visibility v that keeps it
  local, certified from the LP dual, local iff v >= 1), an independent check of CHSH <= 2;
  by Fine's theorem the 2222 local polytope is cut out by the 8 CHSH facets and positivity, so
  v has the closed form ``min(2 / CHSH_max(box), min_{p < 1/4} 1 / (1 - 4 p))`` (the check);
- three settings: the I3322 inequality (the only new facet class of the 3322 polytope) is
  maximised over projective measurements on rho_2 by see-saw (:mod:`bellflow.lmg.seesaw`),
  a lower bound on what rho_2 can violate; > 0 where CHSH <= 2 would be a two-body trace that
  CHSH misses. (Theory says it cannot happen: rho_2 of a symmetric N-qubit state has an
  (N-1)-copy symmetric extension on either side, so it admits a local model for every Bell
  inequality with at most N - 1 settings on that side; Terhal, Doherty and Schenker, PRL 90,
  157903 (2003). The see-saw is the numerical test of that statement on the maps.) Deterministic
  measurements reach the local bound 0, so the see-saw value is >= 0; the sharp value (rank-one
  measurements only, like the Horodecki value) measures how far rho_2 stays from a violation.
- the physics double check: at a small N the steady state is embedded in the full 2^N space,
  rho_2 is taken by an explicit partial trace and the CHSH and I3322 values are recomputed
  (:func:`explicit_route_deviation`), next to the Dicke-basis shortcut (Eq. 2).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import xarray as xr
from numpy.typing import ArrayLike, NDArray
from scipy.optimize import minimize

from bellflow.boxes import box_from_quantum, local_visibility
from bellflow.dicke import dicke_embedding, two_body_reduced_state, two_body_reduced_state_full
from bellflow.lmg.scans import _solve
from bellflow.lmg.seesaw import i3322_coefficients, pauli_tensor, seesaw_qubits
from bellflow.optim.results import record, summary_attrs
from bellflow.states import PAULI, correlation_matrix, horodecki_chsh

__all__ = [
    "chsh_numerical",
    "explicit_route_deviation",
    "horodecki_box",
    "lp_visibility_closed_form",
    "state_from_pauli",
    "twobody_di_scan",
    "twobody_summary",
]

#: Tolerance above the local bound 0 of I3322 that counts as a violation (see-saw rounding).
I3322_TOL = 1e-9


def _unit(theta: float, phi: float) -> NDArray[np.float64]:
    return np.array([np.sin(theta) * np.cos(phi), np.sin(theta) * np.sin(phi), np.cos(theta)])


def chsh_numerical(rho2: ArrayLike, *, starts: int = 12, seed: int = 0) -> float:
    """``max over unit vectors a0, a1, b0, b1`` of the CHSH value
    ``a0.T(b0 + b1) + a1.T(b0 - b1)`` of a two-qubit state (``T``: correlation matrix), by
    maximising ``|T(b0 + b1)| + |T(b0 - b1)|`` (the best a's for given b's) over the two Bloch
    angles of each b from ``starts`` random starts (BFGS). Test route for the Horodecki closed
    form (which uses the eigenvalues of T^T T instead)."""
    t = correlation_matrix(np.asarray(rho2))

    def neg(x: NDArray) -> float:
        b0, b1 = _unit(x[0], x[1]), _unit(x[2], x[3])
        return -float(np.linalg.norm(t @ (b0 + b1)) + np.linalg.norm(t @ (b0 - b1)))

    rng = np.random.default_rng(seed)
    best = 0.0
    for _ in range(starts):
        res = minimize(neg, rng.uniform(0, 2 * np.pi, 4), method="BFGS")
        best = max(best, -float(res.fun))
    return best


def state_from_pauli(t: ArrayLike) -> NDArray[np.complex128]:
    """``rho_2 = sum_{mu nu} t[mu, nu] sigma_mu x sigma_nu / 4`` from a Pauli tensor
    (..., 4, 4) (inverse of :func:`bellflow.lmg.seesaw.pauli_tensor`)."""
    sig = np.concatenate([np.eye(2)[None], PAULI])
    ops = np.einsum("iab,jcd->ijacbd", sig, sig).reshape(4, 4, 4, 4)
    return 0.25 * np.einsum("...ij,ijkl->...kl", np.asarray(t, dtype=float), ops)


def _projectors(vectors: NDArray) -> NDArray[np.complex128]:
    """Sharp two-outcome measurements ``(1 +- a . sigma)/2`` as POVMs (m, 2, 2, 2)."""
    obs = np.einsum("xi,iab->xab", vectors, PAULI)
    one = np.eye(2)[None]
    return np.stack([0.5 * (one + obs), 0.5 * (one - obs)], axis=1)


def horodecki_box(rho2: ArrayLike) -> NDArray[np.float64]:
    """Box p(ab|xy) (2, 2, 2, 2) of a two-qubit state under its CHSH-optimal measurements
    (Horodecki construction): with ``c1, c2`` the eigenvectors of ``T^T T`` for its two
    largest eigenvalues ``t1 >= t2``, Bob measures ``b_y = cos(w) c1 +- sin(w) c2``
    (``tan w = sqrt(t2 / t1)``), Alice ``a_0 ~ T (b_0 + b_1)``, ``a_1 ~ T (b_0 - b_1)``;
    then ``E00 + E01 + E10 - E11 = 2 sqrt(t1 + t2)`` (:func:`bellflow.states.horodecki_chsh`)."""
    rho = np.asarray(rho2)
    t = correlation_matrix(rho)
    ev, vec = np.linalg.eigh(t.T @ t)
    c1, c2 = vec[:, 2], vec[:, 1]
    w = np.arctan2(np.sqrt(max(ev[1], 0.0)), np.sqrt(max(ev[2], 0.0)))
    b = np.stack([np.cos(w) * c1 + np.sin(w) * c2, np.cos(w) * c1 - np.sin(w) * c2])
    a = np.stack([t @ (b[0] + b[1]), t @ (b[0] - b[1])])
    norms = np.linalg.norm(a, axis=1)
    a = np.where(norms[:, None] > 1e-14, a / np.maximum(norms, 1e-300)[:, None], c1)
    return box_from_quantum(rho, _projectors(a), _projectors(b))


def lp_visibility_closed_form(box: ArrayLike) -> float:
    """Largest white-noise visibility v keeping a 2222 no-signalling box local, by Fine's
    theorem: ``min(2 / max_k |sum E - 2 E_k|, min_{p < 1/4} 1 / (1 - 4 p))`` (the eight CHSH
    facets, correlators E_xy, and positivity of ``v p + (1 - v) / 4``)."""
    p = np.asarray(box, dtype=float)
    e = p[0, 0] + p[1, 1] - p[0, 1] - p[1, 0]  # E[x, y]
    chsh = max(abs(e.sum() - 2 * e.flat[k]) for k in range(4))
    bounds = [2.0 / chsh if chsh > 0 else np.inf]
    bounds += [1.0 / (1.0 - 4.0 * q) for q in p.flat if q < 0.25]
    return float(min(bounds))


def twobody_di_scan(tensors: ArrayLike, *, starts: int = 12, seed: int = 0) -> dict[str, Any]:
    """The device-independent quantities of study 2 for two-qubit states given as Pauli
    tensors (..., 4, 4): ``i3322`` (see-saw maximum over projective measurements, >= 0),
    ``i3322_sharp`` (rank-one measurements only), ``chsh_seesaw`` (see-saw CHSH, sharp: the
    check of the Horodecki value), ``steps`` (the see-saw convergence, ``SeesawResult.step``
    of each), and per state the LP of :func:`horodecki_box`
    (``lp``: :class:`~bellflow.optim.OptResult` objects, ``lp_closed_form``: the Fine value)."""
    from bellflow.boxes import chsh_coefficients

    t = np.asarray(tensors, dtype=float)
    lead = t.shape[:-2]
    c = i3322_coefficients()
    runs = {
        "i3322": seesaw_qubits(t, c, starts=starts, seed=seed),
        "i3322_sharp": seesaw_qubits(t, c, starts=starts, seed=seed, sharp=True),
        "chsh_seesaw": seesaw_qubits(t, chsh_coefficients(), starts=4, seed=seed, sharp=True),
    }
    out: dict[str, Any] = {k: r.value for k, r in runs.items()}
    out["steps"] = {k: r.step for k, r in runs.items()}
    lps = np.empty(lead, dtype=object)
    closed = np.empty(lead)
    for idx in np.ndindex(*lead):
        box = horodecki_box(state_from_pauli(t[idx]))
        lps[idx] = local_visibility(box)
        closed[idx] = lp_visibility_closed_form(box)
    out["lp"], out["lp_closed_form"] = lps, closed
    return out


def explicit_route_deviation(rho: ArrayLike, *, starts: int = 12) -> dict[str, float]:
    """Physics double check at small N: the Dicke-basis state ``rho`` ((N+1) x (N+1))
    embedded in the full 2^N space (:func:`bellflow.dicke.dicke_embedding`), rho_2 of qubits
    (0, N-1) by an explicit partial trace, against rho_2 of Eq. (2); returns the largest
    deviation of rho_2 and of its Horodecki CHSH and see-saw I3322 values."""
    rho = np.asarray(rho)
    n = rho.shape[0] - 1
    v = dicke_embedding(n)
    full = two_body_reduced_state_full(v @ rho @ v.T, n, keep=(0, n - 1))
    short = two_body_reduced_state(rho)
    vals = [
        seesaw_qubits(pauli_tensor(r), i3322_coefficients(), starts=starts, sharp=True).value
        for r in (full, short)
    ]
    return {
        "rho2": float(np.abs(full - short).max()),
        "chsh": abs(float(horodecki_chsh(full)) - float(horodecki_chsh(short))),
        "i3322_sharp": abs(float(vals[0]) - float(vals[1])),
    }


def _point_state(
    ds: xr.Dataset, params: Mapping[str, Any], i: int, k: int, *, n: int | None = None
) -> NDArray:
    """Steady state at grid point (i, k) of a Fig. 1 map (parameters from its ``params``;
    ``n`` spins instead of the map's if given)."""
    a1, a2 = params["axis1"], params["axis2"]
    keys = ("j", "h", "beta", "zeta", "gamma", "alpha", "omega_c")
    args = {key: params[key] for key in keys if key in params}
    args[a1], args[a2] = float(ds[a1].values[i]), float(ds[a2].values[k])
    j, h = args.pop("j"), args.pop("h")
    return _solve(params["kind"], params["n"] if n is None else n, j, h, **args).rho


def _scalars(ds: xr.Dataset, di: Mapping[str, Any], lp_v: NDArray) -> dict[str, tuple]:
    """The map fractions and extremes of study 2 (name: (value, description))."""
    bell, chsh = ds["bell"].values, ds["chsh_two_body"].values
    nl, two = bell < 0, chsh > 2
    i33, sharp = di["i3322"], di["i3322_sharp"]
    three = i33 > I3322_TOL
    lps = di["lp"].reshape(-1)
    return {
        "fraction_manybody_violation": (nl.mean(), "share of the map with Bell value < 0 (Eq. 3)"),
        "fraction_twobody_chsh_violation": (two.mean(), "share with CHSH(rho_2) > 2"),
        "fraction_manybody_only": ((nl & ~two).mean(), "share with Eq. (3) violated, CHSH not"),
        "fraction_i3322_violation": (three.mean(), "share with I3322(rho_2) > 1e-9 (see-saw)"),
        "fraction_i3322_only": ((three & ~two).mean(), "share with I3322 > 1e-9 and CHSH <= 2"),
        "fraction_manybody_only_3322": (
            (nl & ~two & ~three).mean(),
            "share with Eq. (3) violated while rho_2 violates neither CHSH nor I3322",
        ),
        "max_chsh_two_body": (chsh.max(), "largest CHSH value of rho_2 on the map"),
        "max_chsh_where_nonlocal": (
            chsh[nl].max() if nl.any() else np.nan,
            "largest CHSH value of rho_2 where Eq. (3) is violated",
        ),
        "max_i3322": (i33.max(), "largest see-saw I3322 value of rho_2 (local bound 0)"),
        "max_i3322_sharp": (sharp.max(), "largest I3322 of rho_2, rank-one measurements"),
        "max_i3322_sharp_where_nonlocal": (
            sharp[nl].max() if nl.any() else np.nan,
            "largest I3322 (rank-one measurements) where Eq. (3) is violated",
        ),
        "min_bell": (bell.min(), "lowest Bell value of Eq. (3) on the map"),
        "fraction_lp_local": ((lp_v >= 1 - 1e-9).mean(), "share where the LP finds the box local"),
        "min_lp_visibility": (
            lp_v.min(),
            "smallest LP visibility of the Horodecki box (>= 1: local)",
        ),
        "lp_closed_form_deviation": (
            np.abs(lp_v - di["lp_closed_form"]).max(),
            "max |LP visibility - Fine closed form| over the map",
        ),
        "lp_chsh_agreement": (
            float(np.all((lp_v >= 1 - 1e-9) == (chsh <= 2 + 1e-9))),
            "LP local exactly where Horodecki CHSH <= 2 (1: everywhere)",
        ),
        "lp_certificate_gap": (
            max(r.certified - r.value for r in lps),
            "max (certified upper bound - LP value) of the visibility LPs",
        ),
        "chsh_seesaw_deviation": (
            np.abs(di["chsh_seesaw"] - chsh).max(),
            "max |see-saw CHSH - Horodecki CHSH| over the map",
        ),
    }


def twobody_summary(
    ds: xr.Dataset, params: Mapping[str, Any], *, starts: int = 12, explicit_n: int = 6
) -> xr.Dataset:
    """For one Fig. 1 map (its Dataset with ``rho2_pauli``, and ``params``): per point the
    see-saw I3322 values, the LP visibility of the Horodecki box (with its certificate) and
    its closed form; over the map the shares where Eq. (3) is violated, where rho_2 violates
    CHSH or I3322, and where the first holds without either; extremes; the checks (Horodecki
    vs :func:`chsh_numerical` at the two extreme points, recomputed from the steady state;
    see-saw CHSH vs Horodecki everywhere; LP vs Fine; the explicit 2^N route at
    ``explicit_n`` spins at the lowest-Bell point, :func:`explicit_route_deviation`)."""
    bell, chsh = ds["bell"].values, ds["chsh_two_body"].values
    dims = (params["axis1"], params["axis2"])
    pts = {
        np.unravel_index(int(np.argmin(bell)), bell.shape),
        np.unravel_index(int(np.argmax(chsh)), chsh.shape),
    }
    dev = 0.0
    for i, k in pts:
        rho2 = two_body_reduced_state(_point_state(ds, params, int(i), int(k)))
        dev = max(dev, abs(float(horodecki_chsh(rho2)) - chsh_numerical(rho2)))
        dev = max(dev, abs(float(horodecki_chsh(rho2)) - float(chsh[i, k])))
    di = twobody_di_scan(ds["rho2_pauli"].values, starts=starts)
    lp_v = np.vectorize(lambda r: r.value, otypes=[float])(di["lp"])
    i, k = np.unravel_index(int(np.argmin(bell)), bell.shape)
    small = explicit_route_deviation(_point_state(ds, params, int(i), int(k), n=explicit_n))
    values = _scalars(ds, di, lp_v)
    for key in ("i3322", "i3322_sharp"):
        values[f"{key}_last_step"] = (
            di["steps"][key],
            f"largest last-round see-saw improvement of any start ({key}; convergence)",
        )
    values["chsh_check"] = (
        dev,
        "max |Horodecki - numerical CHSH maximisation| at the extreme points",
    )
    values["explicit_n"] = (
        explicit_n,
        "N of the explicit 2^N route (steady state at the lowest-Bell point)",
    )
    for key, what in (
        ("rho2", "rho_2"),
        ("chsh", "Horodecki CHSH"),
        ("i3322_sharp", "I3322 (sharp)"),
    ):
        values[f"explicit_{key}_deviation"] = (
            small[key],
            f"|{what}: explicit partial trace in 2^N - Dicke-basis Eq. (2)| at N = explicit_n",
        )
    data: dict[str, Any] = {
        k: ((), float(v), {"description": d, "units": "1"}) for k, (v, d) in values.items()
    }
    arrays = {
        "i3322": (
            di["i3322"],
            "max over projective measurements of I3322(rho_2), see-saw (> 0: violated)",
        ),
        "i3322_sharp": (
            di["i3322_sharp"],
            "I3322(rho_2) maximised over rank-one measurements, see-saw",
        ),
        "lp_visibility": (
            lp_v,
            "largest white-noise visibility keeping the Horodecki box of rho_2 local (LP)",
        ),
        "lp_closed_form": (
            di["lp_closed_form"],
            "the same visibility by Fine's theorem (closed form)",
        ),
    }
    for key, (arr, desc) in arrays.items():
        data[key] = (dims, np.asarray(arr, dtype=float), {"description": desc, "units": "1"})
    for key, (d_, arr, attrs) in record(di["lp"], dims).items():
        data[f"lp_{key}"] = (d_, arr, {**attrs, "units": "1"})
    out = xr.Dataset(data, coords={d: ds[d].values for d in dims})
    out.attrs.update({f"lp_{k}": v for k, v in summary_attrs(di["lp"]).items()})
    return out
