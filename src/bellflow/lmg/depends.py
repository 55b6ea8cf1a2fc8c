"""Paper-003 claims that rest on parameters the paper does not state (or states only loosely),
scanned over a physically sensible range of that parameter, and the new claims of the paper
that had no check: where each claim holds.

- Fig. 2 text, "non-local correlations manifest at a later time [for thermal noise]": the
  onsets depend on the unstated bath coupling alpha (thermal) and rate gamma (non-thermal);
  :func:`onset_dependence`.
- System model, "the ground state ... is known to maximally violate" Eq. (3):
  :func:`ground_state_maximality` compares with the minimum over all symmetric states.
- Text after Fig. 1, "for zeta != 0 the steady-state solutions are not thermal states":
  :func:`nonthermal_gibbs_distance`.
- Fig. 1b text, "non-locality ... for a large range of values of zeta": :func:`zeta_edge`.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

import numpy as np
import xarray as xr
from numpy.typing import ArrayLike, NDArray
from scipy.optimize import brentq, minimize, minimize_scalar

from bellflow.dicke import dicke_state, two_body_reduced_state
from bellflow.lmg.bell import bell_minimum, bell_operator_dicke
from bellflow.lmg.dynamics import evolve
from bellflow.lmg.liouvillian import nonthermal_liouvillian, thermal_liouvillian
from bellflow.lmg.model import energy_basis, gibbs_state, lmg_hamiltonian
from bellflow.lmg.scans import onset_times
from bellflow.lmg.steady import nonthermal_steady_state

__all__ = [
    "symmetric_bell_optimum",
    "ground_state_maximality",
    "onset_dependence",
    "nonthermal_gibbs_distance",
    "zeta_edge",
    "depends_dataset",
]

log = logging.getLogger(__name__)


def _v(dims: tuple[str, ...], values: Any, description: str, units: str = "1") -> tuple:
    return (dims, np.asarray(values, dtype=float), {"description": description, "units": units})


def symmetric_bell_optimum(n: int, *, grid: int = 41) -> tuple[float, NDArray[np.float64]]:
    """``min over (phi, theta) and over all symmetric states of Tr[B rho]`` (Eq. 1): for fixed
    angles the minimum over states in the symmetric subspace is the lowest eigenvalue of the
    Dicke-basis Bell operator (:func:`~bellflow.lmg.bell_operator_dicke`); it is minimised over
    the angles (grid, then Nelder-Mead). Returns ``(value, optimal state vector)``."""

    def lowest(v: NDArray) -> float:
        return float(np.linalg.eigvalsh(bell_operator_dicke(n, v[0], v[1]))[0])

    a = np.linspace(0, 2 * np.pi, grid, endpoint=False)
    vals = np.array([[lowest(np.array([p, t])) for t in a] for p in a])
    i, k = np.unravel_index(int(vals.argmin()), vals.shape)
    res = minimize(lowest, [a[i], a[k]], method="Nelder-Mead", options={"xatol": 1e-10})
    w, vec = np.linalg.eigh(bell_operator_dicke(n, *res.x))
    return float(w[0]), vec[:, 0]


def ground_state_maximality(
    n: int, j: float, h: float, h_grid: ArrayLike, *, within: float = 0.98
) -> dict[str, Any]:
    """Ground-state Bell minimum of Eq. (4) at ``h`` and over ``h_grid``, relative to the
    optimum over all symmetric states (:func:`symmetric_bell_optimum`). ``h_range_within``:
    the grid range of h where the ground state reaches ``within`` of the optimum."""
    opt, psi = symmetric_bell_optimum(n)
    check = bell_minimum(two_body_reduced_state(psi), n).value  # route 2: rho_2 of the optimum

    def ground(h_: float) -> float:
        g = np.linalg.eigh(lmg_hamiltonian(n, j, h_))[1][:, 0]
        return bell_minimum(two_body_reduced_state(g), n).value

    h_grid = np.asarray(h_grid, dtype=float)
    curve = np.array([ground(x) for x in h_grid])
    good = h_grid[curve / opt >= within]
    return {
        "h_grid": h_grid,
        "ground_bell_vs_h": curve,
        "symmetric_optimum": opt,
        "symmetric_optimum_rho2_route": check,
        "ground_bell_stated_h": ground(h),
        "ground_ratio_stated_h": ground(h) / opt,
        "ground_ratio_best": float(curve.min() / opt),
        "h_best": float(h_grid[int(curve.argmin())]),
        "h_within_min": float(good.min()) if good.size else np.nan,
        "h_within_max": float(good.max()) if good.size else np.nan,
    }


def _t_nonlocal(liou: Any, basis: Any, times: NDArray) -> float:
    n = basis.n
    rho0 = basis.from_dicke(np.outer(dicke_state(n, n), dicke_state(n, n)).real)
    states = evolve(liou, rho0.astype(complex), times, method="eig")
    bell = [bell_minimum(two_body_reduced_state(basis.to_dicke(r)), n).value for r in states]
    return onset_times(times, bell, np.ones(len(times)), np.zeros(len(times)))["t_nonlocal"]


def onset_dependence(
    n: int,
    j: float,
    h: float,
    *,
    beta: float,
    zeta: float,
    alphas: ArrayLike,
    gammas: ArrayLike,
    omega_c: float,
    times: ArrayLike,
) -> dict[str, NDArray[np.float64]]:
    """Onset of non-locality from ``|D_N^N>`` (Fig. 2) for each thermal coupling alpha and each
    non-thermal rate gamma (dense eigendecomposition route of :func:`~bellflow.lmg.evolve`)."""
    basis = energy_basis(n, j, h)
    times = np.asarray(times, dtype=float)
    t_th, t_nt = [], []
    for a in np.asarray(alphas, float):
        liou = thermal_liouvillian(basis, beta, alpha=a, omega_c=omega_c)
        t_th.append(_t_nonlocal(liou, basis, times))
        log.info("onset of non-locality, thermal alpha = %g: t = %g", a, t_th[-1])
    for g in np.asarray(gammas, float):
        t_nt.append(_t_nonlocal(nonthermal_liouvillian(basis, zeta, g), basis, times))
        log.info("onset of non-locality, non-thermal gamma = %g: t = %g", g, t_nt[-1])
    return {"t_nonlocal_thermal": np.array(t_th), "t_nonlocal_nonthermal": np.array(t_nt)}


def _energy_matched_distance(ham: NDArray, rho: NDArray, n: int, j: float, h: float) -> float:
    """Trace distance from rho to the one Gibbs state with the same mean energy (route 2); 1
    when no beta in [e^-4, e^8] matches (e.g. a population-inverted state)."""
    target = float(np.real(np.trace(rho @ ham)))

    def energy(log_b: float) -> float:
        return float(np.trace(gibbs_state(n, j, h, float(np.exp(log_b))) @ ham)) - target

    lo, hi = -4.0, 8.0
    if energy(lo) * energy(hi) > 0:
        return 1.0
    log_b = brentq(energy, lo, hi, xtol=1e-12)
    diff = rho - gibbs_state(n, j, h, float(np.exp(log_b)))
    return 0.5 * float(np.abs(np.linalg.eigvalsh(diff)).sum())


def nonthermal_gibbs_distance(
    n: int, j: float, h: float, zetas: ArrayLike, gamma: float
) -> dict[str, NDArray[np.float64]]:
    """For each zeta: ``min over beta > 0 of ||rho_ss(zeta) - Gibbs(beta)||_1 / 2`` (route 1,
    bounded search over log beta in [-4, 8] and the ground state as beta -> inf), and the
    distance to the Gibbs state of equal mean energy (route 2: a Gibbs state is fixed by its
    energy, so rho is thermal iff it equals that one)."""
    ham = lmg_hamiltonian(n, j, h)
    ground = np.linalg.eigh(ham)[1][:, 0]
    dist, matched = [], []
    for z in np.asarray(zetas, dtype=float):
        rho = nonthermal_steady_state(n, j, h, float(z), gamma).rho

        def td(log_b: float, rho: NDArray = rho) -> float:
            diff = rho - gibbs_state(n, j, h, float(np.exp(log_b)))
            return 0.5 * float(np.abs(np.linalg.eigvalsh(diff)).sum())

        res = minimize_scalar(td, bounds=(-4.0, 8.0), method="bounded")
        cold = 0.5 * float(np.abs(np.linalg.eigvalsh(rho - np.outer(ground, ground))).sum())
        dist.append(min(float(res.fun), cold))
        matched.append(_energy_matched_distance(ham, rho, n, j, h))
    return {"gibbs_distance": np.array(dist), "energy_matched_distance": np.array(matched)}


def zeta_edge(n: int, j: float, h: float, gamma: float, *, xtol: float = 1e-6) -> float:
    """Largest zeta in [0, pi/2] up to which the non-thermal steady state violates Eq. (3):
    bisection on the sign of the Bell minimum from zeta = 0 (``nan`` if zeta = 0 does not
    violate, pi/2 if every zeta does)."""

    def bell(z: float) -> float:
        rho = nonthermal_steady_state(n, j, h, z, gamma).rho
        return bell_minimum(two_body_reduced_state(rho), n).value

    lo, hi = 0.0, float(np.pi / 2)
    if bell(lo) >= 0:
        return float("nan")
    if bell(hi) < 0:
        return hi
    while hi - lo > xtol:
        mid = 0.5 * (lo + hi)
        lo, hi = (mid, hi) if bell(mid) < 0 else (lo, mid)
    return lo


def depends_dataset(params: Mapping[str, Any], fig2: Mapping[str, xr.Dataset]) -> xr.Dataset:
    """All of the above at the configured point, with the scan ranges where each claim holds
    (see ``workflow/resources/paper_values/lmg.yaml``). ``params["zetas"]``: the zeta grid of
    the non-Gibbs check (Fig. 1b's); ``fig2``: the two Fig. 2 traces (``"thermal"``,
    ``"nonthermal"``), whose onset claim is the check of the eigendecomposition route."""
    p = params
    g = ground_state_maximality(p["n"], p["j"], p["h"], p["h_grid"])
    keys = ("beta", "zeta", "alphas", "gammas", "omega_c", "times")
    on = onset_dependence(p["n"], p["j"], p["h"], **{k: p[k] for k in keys})
    zetas = np.asarray(p["zetas"], dtype=float)
    nt = nonthermal_gibbs_distance(p["n"], p["j"], p["h"], zetas[zetas > 0], p["gamma"])
    edges = np.array([zeta_edge(p["n"], p["j"], p["h"], g_) for g_ in p["gammas"]])
    ds = _assemble(p, g, on, nt, edges, zetas[zetas > 0])
    fig2_claim = float(fig2["thermal"]["t_nonlocal"]) > float(fig2["nonthermal"]["t_nonlocal"])
    check = abs(float(ds["thermal_later_at_config"]) - float(fig2_claim))
    ds["thermal_later_check"] = _v((), check, SCALARS["thermal_later_check"])
    return ds


#: Descriptions of the 0-d results of :func:`depends_dataset`.
SCALARS: dict[str, str] = {
    "symmetric_optimum": "min of Eq. (1) over the angles and all symmetric states",
    "symmetric_optimum_deviation": "|lambda_min route - rho_2 route| at the optimum",
    "ground_ratio_stated_h": "ground-state Bell / symmetric optimum at the stated h",
    "ground_ratio_best": "best ground-state Bell / symmetric optimum over the h grid",
    "h_best": "h of the best ground state (grid)",
    "ground_within_h_min": "smallest h (grid) with ground-state Bell >= 98% of the optimum",
    "ground_within_h_max": "largest h (grid) with ground-state Bell >= 98% of the optimum",
    "thermal_later_alpha_min": "smallest alpha (grid) with t_NL(thermal) > t_NL(non-thermal)",
    "thermal_later_alpha_max": "largest alpha (grid) with t_NL(thermal) > t_NL(non-thermal)",
    "thermal_later_at_config": "t_NL(thermal) > t_NL(non-thermal) at the configured rates",
    "thermal_later_check": "|eig-route claim - Fig. 2 expm-route claim| at the configured rates",
    "nonthermal_min_gibbs_distance": "min over zeta != 0 of the distance to every Gibbs state",
    "nonthermal_not_gibbs": "every zeta != 0 steady state is not a Gibbs state (1/0)",
    "nonthermal_not_gibbs_check": "|route 1 - route 2| of the non-Gibbs claim",
    "zeta_edge": "largest zeta with Bell < 0 from zeta = 0 (bisection), configured gamma",
    "zeta_violation_range_positive": "violation of Eq. (3) on [0, zeta_edge] with zeta_edge > 0",
    "zeta_edge_min_gamma": "smallest zeta_edge over the gamma grid",
    "zeta_edge_max_gamma": "largest zeta_edge over the gamma grid",
}


def _nearest(grid: NDArray, value: float) -> int:
    return int(np.argmin(np.abs(np.asarray(grid, float) - value)))


def _onset_scalars(p: Mapping[str, Any], on: Mapping[str, NDArray]) -> dict[str, float]:
    alphas, gammas = np.asarray(p["alphas"], float), np.asarray(p["gammas"], float)
    t_nt = on["t_nonlocal_nonthermal"][_nearest(gammas, p["gamma"])]
    later = on["t_nonlocal_thermal"] > t_nt
    ok = alphas[later]
    return {
        "thermal_later_alpha_min": float(ok.min()) if ok.size else np.nan,
        "thermal_later_alpha_max": float(ok.max()) if ok.size else np.nan,
        "thermal_later_at_config": float(later[_nearest(alphas, p["alpha"])]),
    }


def _assemble(
    p: Mapping[str, Any],
    g: Mapping[str, Any],
    on: Mapping[str, NDArray],
    nt: Mapping[str, NDArray],
    edges: NDArray,
    zetas: NDArray,
) -> xr.Dataset:
    edge = float(edges[_nearest(np.asarray(p["gammas"], float), p["gamma"])])
    claim1 = nt["gibbs_distance"].min() > 1e-6
    claim2 = nt["energy_matched_distance"].min() > 1e-6
    values = {
        "symmetric_optimum": g["symmetric_optimum"],
        "symmetric_optimum_deviation": abs(
            g["symmetric_optimum"] - g["symmetric_optimum_rho2_route"]
        ),
        "ground_ratio_stated_h": g["ground_ratio_stated_h"],
        "ground_ratio_best": g["ground_ratio_best"],
        "h_best": g["h_best"],
        "ground_within_h_min": g["h_within_min"],
        "ground_within_h_max": g["h_within_max"],
        **_onset_scalars(p, on),
        "nonthermal_min_gibbs_distance": nt["gibbs_distance"].min(),
        "nonthermal_not_gibbs": float(claim1),
        "nonthermal_not_gibbs_check": abs(float(claim1) - float(claim2)),
        "zeta_edge": edge,
        "zeta_violation_range_positive": float(edge > 0),
        "zeta_edge_min_gamma": np.nanmin(edges),
        "zeta_edge_max_gamma": np.nanmax(edges),
    }
    data = {k: _v((), v, SCALARS[k]) for k, v in values.items()}
    alphas = np.asarray(p["alphas"], float)
    data.update(
        ground_bell_vs_h=_v(("h",), g["ground_bell_vs_h"], "ground-state Bell minimum, Eq. (3)"),
        t_nonlocal_thermal=_v(("alpha",), on["t_nonlocal_thermal"], "Fig. 2a onset", "1/J"),
        t_nonlocal_nonthermal=_v(("gamma",), on["t_nonlocal_nonthermal"], "Fig. 2b onset", "1/J"),
        alpha_t_nonlocal_thermal=_v(
            ("alpha",), alphas * on["t_nonlocal_thermal"], "alpha t_NL (constant if t_NL ~ 1/alpha)"
        ),
        zeta_edge_vs_gamma=_v(("gamma",), edges, "zeta_edge for each gamma", "rad"),
        gibbs_distance=_v(("zeta_nonzero",), nt["gibbs_distance"], "min_beta distance to Gibbs"),
        energy_matched_distance=_v(
            ("zeta_nonzero",), nt["energy_matched_distance"], "distance to equal-energy Gibbs"
        ),
    )
    coords = {
        "h": g["h_grid"],
        "alpha": alphas,
        "gamma": np.asarray(p["gammas"], float),
        "zeta_nonzero": zetas,
    }
    return xr.Dataset(data, coords=coords)
