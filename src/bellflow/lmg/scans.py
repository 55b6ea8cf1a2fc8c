"""Scans and traces of paper 003 used by the workflow (Figs. 1-4), returned as
``xarray.Dataset`` objects whose variables carry ``description`` and ``units`` attributes.

Units: hbar = 1 and energies (J, h, gamma, kappa, omega) in the units the config gives them,
so times are in inverse energy units; every other quantity is dimensionless (``"1"``).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import xarray as xr
from numpy.typing import ArrayLike, NDArray

from bellflow.dicke import spin_operators, two_body_reduced_state
from bellflow.lmg.bell import bell_minimum, observables, spin_squeezing
from bellflow.lmg.dynamics import eq14_dynamics, eq15_mixture, evolve, measurement_dynamics
from bellflow.lmg.liouvillian import (
    dicke_liouvillian,
    nonthermal_liouvillian,
    thermal_liouvillian,
)
from bellflow.lmg.model import (
    energy_basis,
    eq14_hamiltonian,
    eq14_initial_state,
    lmg_hamiltonian,
)
from bellflow.lmg.seesaw import pauli_tensor
from bellflow.lmg.steady import SteadyState, nonthermal_steady_state, thermal_steady_state

__all__ = [
    "steady_observables",
    "steady_state_scan",
    "open_time_trace",
    "count_intervals",
    "onset_times",
    "eq14_trace",
    "measurement_traces",
    "fig2_dataset",
    "fig3_dataset",
    "fig4_dataset",
    "fig4_initial_state",
]

log = logging.getLogger(__name__)

#: Descriptions and units of the per-state quantities of the scans.
QUANTITIES: dict[str, tuple[str, str]] = {
    "bell": ("min over (phi, theta) of Tr[B_2 rho_2], Eq. (3) (< 0: non-local)", "1"),
    "concurrence": ("two-body concurrence C(rho_2), Eq. (12) (Wootters)", "1"),
    "xi2": ("spin-squeezing parameter xi^2, Eq. (13) (inf: no transverse spin)", "1"),
    "chsh_two_body": (
        "max CHSH value of rho_2, Horodecki criterion (> 2: rho_2 violates CHSH)",
        "1",
    ),
    "residual": ("steady-state residual ||L vec rho|| / max|L|", "1"),
    "trace_error": ("|Tr rho - 1| of the steady state", "1"),
    "min_eigenvalue": ("smallest eigenvalue of the steady state", "1"),
    "rho2_pauli": (
        "Pauli tensor t[mu, nu] = Tr[rho_2 sigma_mu x sigma_nu] of rho_2 (mu, nu = 0, x, y, z; "
        "rho_2 = sum t sigma_mu x sigma_nu / 4), for study 2",
        "1",
    ),
}
_STEADY_KEYS = tuple(k for k in QUANTITIES if k != "rho2_pauli")
_TRACE_KEYS = ("bell", "concurrence", "xi2", "chsh_two_body")


def _var(dims: tuple[str, ...], values: Any, key_or_desc: str, units: str = "1") -> tuple:
    desc, units = QUANTITIES.get(key_or_desc, (key_or_desc, units))
    return (dims, np.asarray(values), {"description": desc, "units": units})


def _scalar(value: Any, description: str, units: str = "1") -> tuple:
    return _var((), float(value), description, units)


def _solve(kind: str, n: int, j: float, h: float, **kw: Any) -> SteadyState:
    if kind == "thermal":
        if kw.get("beta") is None:
            raise ValueError("beta is required for kind='thermal'")
        return thermal_steady_state(
            n, j, h, kw["beta"], alpha=kw.get("alpha", 1e-3), omega_c=kw.get("omega_c", 10.0)
        )
    if kind == "nonthermal":
        if kw.get("zeta") is None:
            raise ValueError("zeta is required for kind='nonthermal'")
        return nonthermal_steady_state(n, j, h, kw["zeta"], kw.get("gamma", 0.1))
    raise ValueError(f"kind must be 'thermal' or 'nonthermal', got {kind!r}")


def steady_observables(
    kind: str,
    n: int,
    j: float,
    h: float,
    *,
    beta: float | None = None,
    zeta: float | None = None,
    gamma: float = 0.1,
    alpha: float = 1e-3,
    omega_c: float = 10.0,
    grid: int = 48,
) -> dict[str, Any]:
    """Checked steady state (``kind`` ``"thermal"`` with ``beta`` or ``"nonthermal"`` with
    ``zeta``) and its Bell minimum (Eq. 3), two-body concurrence (Eq. 12), xi^2 (Eq. 13),
    two-body CHSH value, with the solver checks (``residual``, ``trace_error``,
    ``min_eigenvalue``), and the Pauli tensor of rho_2 (``rho2_pauli``, a 4x4 array:
    :func:`bellflow.lmg.seesaw.pauli_tensor`)."""
    ss = _solve(kind, n, j, h, beta=beta, zeta=zeta, gamma=gamma, alpha=alpha, omega_c=omega_c)
    out: dict[str, Any] = dict(observables(ss.rho, grid=grid))
    out.update(residual=ss.residual, trace_error=ss.trace_error, min_eigenvalue=ss.min_eigenvalue)
    out["rho2_pauli"] = pauli_tensor(two_body_reduced_state(ss.rho))
    return out


def steady_state_scan(
    kind: str, n: int, axes: Mapping[str, ArrayLike], fixed: Mapping[str, float]
) -> xr.Dataset:
    """Evaluate :func:`steady_observables` on the outer product of two ``axes``
    (``{name: values}``, names among ``j``, ``h``, ``beta``, ``zeta``, ``gamma``), the other
    arguments from ``fixed``. Returns a Dataset with the two axes as coordinates and one
    variable per quantity of :data:`QUANTITIES`."""
    if len(axes) != 2:
        raise ValueError(f"axes must name exactly two scan axes, got {list(axes)}")
    (n1, v1), (n2, v2) = [(k, np.asarray(v, dtype=float)) for k, v in axes.items()]
    out = {k: np.empty((len(v1), len(v2))) for k in _STEADY_KEYS}
    pauli = np.empty((len(v1), len(v2), 4, 4))
    for a, x1 in enumerate(v1):
        for b, x2 in enumerate(v2):
            args: dict[str, Any] = dict(fixed)
            args.update({n1: float(x1), n2: float(x2)})
            j, h = args.pop("j"), args.pop("h")
            obs = steady_observables(kind, n, j, h, **args)
            for k in _STEADY_KEYS:
                out[k][a, b] = obs[k]
            pauli[a, b] = obs["rho2_pauli"]
        log.info("%s scan: %s = %g done (%d/%d)", kind, n1, x1, a + 1, len(v1))
    data = {k: _var((n1, n2), out[k], k) for k in _STEADY_KEYS}
    data["rho2_pauli"] = _var((n1, n2, "mu", "nu"), pauli, "rho2_pauli")
    return xr.Dataset(data, coords={n1: v1, n2: v2})


def open_time_trace(
    kind: str,
    n: int,
    j: float,
    h: float,
    times: ArrayLike,
    *,
    beta: float | None = None,
    zeta: float | None = None,
    gamma: float = 0.1,
    alpha: float = 1e-3,
    omega_c: float = 10.0,
    method: str = "expm",
) -> dict[str, Any]:
    """Fig. 2: evolve ``|D_N^N>`` (all spins down) under the thermal or non-thermal GKLS
    equation (energy basis, :func:`~bellflow.lmg.evolve` with ``method``) and return Bell
    minimum, two-body concurrence, xi^2 and two-body CHSH value at ``times``, plus the
    steady-state Bell value it should approach."""
    basis = energy_basis(n, j, h)
    ss = _solve(kind, n, j, h, beta=beta, zeta=zeta, gamma=gamma, alpha=alpha, omega_c=omega_c)
    if kind == "thermal":
        liou = thermal_liouvillian(basis, float(beta or 0), alpha=alpha, omega_c=omega_c)
    else:
        liou = nonthermal_liouvillian(basis, float(zeta or 0), gamma)
    psi0 = np.zeros(n + 1)
    psi0[n] = 1.0
    rho0 = basis.from_dicke(np.outer(psi0, psi0)).astype(complex)
    states = evolve(liou, rho0, times, method=method)
    obs = [observables(basis.to_dicke(r)) for r in states]
    out: dict[str, Any] = {k: np.array([o[k] for o in obs]) for k in _TRACE_KEYS}
    out["steady_bell"] = observables(ss.rho)["bell"]
    out["steady_residual"] = ss.residual
    return out


def onset_times(
    times: ArrayLike,
    bell: ArrayLike,
    concurrence: ArrayLike,
    xi2: ArrayLike,
    *,
    conc_tol: float = 1e-7,
) -> dict[str, float]:
    """Onset times along a trace, each the first time from which a criterion holds until the
    end of the trace (so that a brief early transient does not count as the onset):
    non-locality (Bell < 0), two-body entanglement (C > ``conc_tol``, above the ~1e-10 rounding
    floor of the Wootters formula for product states) and spin squeezing (xi^2 < 1). Claims of
    Fig. 2 / Conclusions: ``nonlocal_after_entangled = t_NL > min(t_C, t_xi)``; the gap between
    the two entanglement onsets in steps of the time grid is ``entanglement_gap_steps``;
    ``entanglement_gap_resolved``: at least two steps."""
    times = np.asarray(times, dtype=float)

    def onset(mask: NDArray) -> float:
        mask = np.asarray(mask, dtype=bool)
        if not mask[-1]:
            return float("nan")
        fails = np.flatnonzero(~mask)
        return float(times[fails[-1] + 1 if fails.size else 0])

    t_nl = onset(np.asarray(bell) < 0)
    t_c = onset(np.asarray(concurrence) > conc_tol)
    t_xi = onset(np.asarray(xi2) < 1)
    idx = {t: int(np.argmin(np.abs(times - t))) for t in (t_c, t_xi) if np.isfinite(t)}
    steps = abs(idx[t_xi] - idx[t_c]) if len(idx) == 2 or t_c == t_xi else np.nan
    return {
        "t_nonlocal": t_nl,
        "t_concurrence": t_c,
        "t_squeezing": t_xi,
        "nonlocal_after_entangled": float(t_nl > np.nanmin([t_c, t_xi])),
        "concurrence_before_squeezing": float(t_c < t_xi),
        "entanglement_time_gap": float(t_c != t_xi),
        "entanglement_gap_steps": float(steps),
        "entanglement_gap_resolved": float(steps >= 2),
    }


def count_intervals(mask: ArrayLike) -> int:
    """Number of maximal runs of True in a boolean sequence."""
    m = np.asarray(mask, dtype=int)
    return int(np.sum(np.diff(np.concatenate([[0], m])) == 1))


def eq14_trace(n: int, omega: float, gamma: float, times: ArrayLike) -> dict[str, NDArray]:
    """Fig. 3: Bell minimum, concurrence, xi^2 and two-body CHSH along
    :func:`~bellflow.lmg.eq14_dynamics`."""
    obs = [observables(r) for r in eq14_dynamics(n, omega, gamma, times)]
    return {k: np.array([o[k] for o in obs]) for k in _TRACE_KEYS}


def measurement_traces(
    rho0: ArrayLike, ham: ArrayLike, kappas: Sequence[float], p: ArrayLike
) -> dict[str, Any]:
    """Fig. 4: Bell minimum vs p = kappa t under Eq. (7) for each kappa (``bell_eq7[kappa, p]``)
    and for the Eq. (15) mixture (``bell_eq15[p]``), and ``||[H, rho0]||`` (Eq. 15 assumes 0)."""
    rho0, ham = np.asarray(rho0), np.asarray(ham)
    n = rho0.shape[0] - 1
    p = np.asarray(p, dtype=float)
    eq7 = np.empty((len(kappas), len(p)))
    for a, kappa in enumerate(kappas):
        states = measurement_dynamics(ham, kappa, rho0, p / kappa)
        eq7[a] = [bell_minimum(two_body_reduced_state(r), n).value for r in states]
    eq15 = np.array(
        [bell_minimum(two_body_reduced_state(r), n).value for r in eq15_mixture(rho0, p)]
    )
    comm = float(np.linalg.norm(ham @ rho0 - rho0 @ ham))
    return {"bell_eq7": eq7, "bell_eq15": eq15, "commutator_norm": comm}


def fig2_dataset(
    kind: str,
    n: int,
    j: float,
    h: float,
    times: ArrayLike,
    *,
    bath_param: float,
    gamma: float,
    alpha: float,
    omega_c: float,
) -> xr.Dataset:
    """Fig. 2 trace from ``|D_N^N>`` (:func:`open_time_trace`, ``bath_param`` is beta for the
    thermal and zeta for the non-thermal bath) with the onset times and the claims on them."""
    times = np.asarray(times, dtype=float)
    beta, zeta = (bath_param, None) if kind == "thermal" else (None, bath_param)
    tr = open_time_trace(
        kind, n, j, h, times, beta=beta, zeta=zeta, gamma=gamma, alpha=alpha, omega_c=omega_c
    )
    on = onset_times(times, tr["bell"], tr["concurrence"], tr["xi2"])
    data = {k: _var(("t",), tr[k], k) for k in _TRACE_KEYS}
    data.update(
        steady_bell=_scalar(tr["steady_bell"], "Bell minimum of the steady state (Fig. 1)"),
        steady_residual=_scalar(tr["steady_residual"], "steady-state residual"),
        stationary_deviation=_scalar(
            abs(tr["bell"][-1] - tr["steady_bell"]), "|Bell(t_max) - Bell(steady state)|"
        ),
        t_nonlocal=_scalar(on["t_nonlocal"], "onset of Bell value < 0 (holds to t_max)", "1/J"),
        t_concurrence=_scalar(on["t_concurrence"], "onset of C > 1e-7 (holds to t_max)", "1/J"),
        t_squeezing=_scalar(on["t_squeezing"], "onset of xi^2 < 1 (holds to t_max)", "1/J"),
        nonlocal_after_entangled=_scalar(
            on["nonlocal_after_entangled"], "t_NL > min(t_C, t_xi): entanglement comes first"
        ),
        concurrence_before_squeezing=_scalar(
            on["concurrence_before_squeezing"], "C > 0 before xi^2 < 1"
        ),
        entanglement_time_gap=_scalar(
            on["entanglement_time_gap"], "C > 0 and xi^2 < 1 start at different times"
        ),
        entanglement_gap_steps=_scalar(
            on["entanglement_gap_steps"], "grid steps between the onsets of C > 0 and xi^2 < 1"
        ),
        entanglement_gap_resolved=_scalar(
            on["entanglement_gap_resolved"], "the onsets of C > 0 and xi^2 < 1 differ by >= 2 steps"
        ),
    )
    return xr.Dataset(data, coords={"t": times})


def fig3_dataset(n: int, omega: float, gamma: float, times: ArrayLike) -> xr.Dataset:
    """Fig. 3 trace of Eq. (14) (:func:`eq14_trace`) and the claims on it."""
    times = np.asarray(times, dtype=float)
    tr = eq14_trace(n, omega, gamma, times)
    violated = tr["bell"] < 0
    # route 2: the same equation integrated by expm_multiply (every 10th time)
    sub = times[::10]
    ops = spin_operators(n)
    jumps = [np.sqrt(gamma / n) * ops.sy] if gamma > 0 else []
    liou = dicke_liouvillian(eq14_hamiltonian(n, omega), jumps)
    states = evolve(liou, eq14_initial_state(n), sub, method="expm")
    bell2 = [bell_minimum(two_body_reduced_state(r), n).value for r in states]
    route_dev = float(np.max(np.abs(np.asarray(bell2) - tr["bell"][::10])))
    last = times[violated][-1] if violated.any() else np.nan
    data = {k: _var(("t",), tr[k], k) for k in _TRACE_KEYS}
    data.update(
        bell_t0=_scalar(tr["bell"][0], "Bell minimum of the initial state"),
        bell_route_deviation=_scalar(route_dev, "max |Bell(eig) - Bell(expm_multiply)|"),
        squeezing_route_deviation=_scalar(
            float(np.max(np.abs([spin_squeezing(r) for r in states] - tr["xi2"][::10]))),
            "max |xi^2(eig) - xi^2(expm_multiply)|",
        ),
        initial_local=_scalar(float(tr["bell"][0] >= 0), "initial state not detected"),
        violation_intervals=_scalar(count_intervals(violated), "runs with Bell < 0"),
        periodic_violation=_scalar(
            float(count_intervals(violated) >= 2), "violation arises repeatedly"
        ),
        last_violation_time=_scalar(last, "last time with Bell < 0", "1/J"),
        entangled_all_times=_scalar(
            float(np.all(tr["concurrence"] > 1e-7)), "C > 1e-7 at every time of the trace"
        ),
        squeezed_all_times=_scalar(
            float(np.all(tr["xi2"] < 1)), "xi^2 < 1 at every time of the trace"
        ),
    )
    return xr.Dataset(data, coords={"t": times})


def fig4_dataset(
    rho0: ArrayLike,
    ham: ArrayLike,
    kappas: Sequence[float],
    p: ArrayLike,
    *,
    p_small: float,
    steady_residual: float,
    p_small_tolerance: float = 0.05,
) -> xr.Dataset:
    """Fig. 4: :func:`measurement_traces` from the steady state ``rho0`` and the claims: the
    deviation from Eq. (15) for p <= ``p_small``, the spread of the kappa curves ("the slope is
    identical for all the curves in the non-local region") and the largest p up to which it
    stays below ``p_small_tolerance`` |B(0)|, next to the end of the non-local region."""
    p = np.asarray(p, dtype=float)
    tr = measurement_traces(rho0, ham, kappas, p)
    small = p <= p_small
    b0 = abs(tr["bell_eq15"][0])
    dev = np.abs(tr["bell_eq7"][:, small] - tr["bell_eq15"][None, small]).max()
    spread = np.ptp(tr["bell_eq7"], axis=0) / b0  # parting of the kappa curves
    within = np.flatnonzero(spread > p_small_tolerance)
    p_same = p[within[0] - 1] if within.size else p[-1]
    local = tr["bell_eq7"] >= 0
    ends = [p[np.argmax(row)] if row.any() else np.nan for row in local]
    data = {
        "bell_eq7": _var(("kappa", "p"), tr["bell_eq7"], "Bell min under Eq. (7)"),
        "bell_eq15": _var(("p",), tr["bell_eq15"], "Bell min of Eq. (15) mixture"),
        "initial_bell": _scalar(tr["bell_eq15"][0], "Bell minimum of the initial state"),
        "initial_violates": _scalar(float(tr["bell_eq15"][0] < 0), "initial state non-local"),
        "lost_at_p_max": _scalar(
            float(np.all(tr["bell_eq7"][:, -1] > 0)), "no violation left at p_max, all kappa"
        ),
        "small_p_relative_deviation": _scalar(
            dev / abs(tr["bell_eq15"][0]), "max |Eq.7 - Eq.15| / |B(0)| for p <= p_small"
        ),
        "kappa_spread": _var(("p",), spread, "(max - min over kappa of Bell) / |B(0)|"),
        "kappa_spread_small_p": _scalar(
            spread[small].max(), "max over p <= p_small of the kappa spread / |B(0)|"
        ),
        "p_identical_max": _scalar(
            p_same, "largest p up to which the kappa curves agree within p_small_tolerance |B(0)|"
        ),
        "p_nonlocal_end_min": _scalar(np.nanmin(ends), "first p with Bell >= 0, earliest kappa"),
        "p_nonlocal_end_max": _scalar(np.nanmax(ends), "first p with Bell >= 0, latest kappa"),
        "commutator_norm": _scalar(tr["commutator_norm"], "||[H, rho0]|| (Eq. 15 assumes 0)"),
        "steady_residual": _scalar(steady_residual, "initial steady-state residual"),
    }
    return xr.Dataset(data, coords={"kappa": np.asarray(kappas, float), "p": p})


def fig4_initial_state(
    init: str, n: int, j: float, h: float, **kw: Any
) -> tuple[SteadyState, NDArray[np.float64]]:
    """The Fig. 4 initial steady state (``init`` thermal or non-thermal) and H_S of Eq. (4)."""
    return _solve(init, n, j, h, **kw), lmg_hamiltonian(n, j, h)
