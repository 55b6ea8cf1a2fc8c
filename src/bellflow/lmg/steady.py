"""Steady states ``L rho = 0`` of the paper-003 generators, checked (residual, trace,
positivity) before they are returned."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray

from bellflow.lmg.liouvillian import nonthermal_liouvillian, thermal_liouvillian
from bellflow.lmg.model import energy_basis

__all__ = [
    "SteadyState",
    "SteadyStateError",
    "steady_state",
    "thermal_steady_state",
    "nonthermal_steady_state",
]

log = logging.getLogger(__name__)


class SteadyStateError(RuntimeError):
    """No steady-state method produced a valid state (residual, trace, positivity)."""


@dataclass
class SteadyState:
    """A checked steady state: ``rho`` (Dicke basis unless stated), ``residual = ||L vec rho||_2
    / ||L||_max``, ``trace_error``, ``min_eigenvalue``, and the ``method`` that produced it."""

    rho: NDArray[np.complex128]
    residual: float
    trace_error: float
    min_eigenvalue: float
    method: str
    params: dict[str, Any] = field(default_factory=dict)


def _check_state(liou: sp.spmatrix, rho: NDArray) -> tuple[float, float, float]:
    scale = max(float(abs(liou).max()), 1e-300)
    vec = rho.reshape(-1, order="F")
    residual = float(np.linalg.norm(liou @ vec)) / scale
    trace_error = abs(complex(np.trace(rho)) - 1.0)
    min_eig = float(np.linalg.eigvalsh(0.5 * (rho + rho.conj().T)).min())
    return residual, trace_error, min_eig


def steady_state(
    liou: sp.spmatrix,
    *,
    methods: tuple[str, ...] = ("direct", "eigen"),
    tol: float = 1e-8,
    params: dict[str, Any] | None = None,
) -> SteadyState:
    """Steady state ``L rho = 0``, ``Tr rho = 1`` of a (column-stacking) Liouvillian via QuTiP.

    Tries QuTiP's ``steadystate`` with each of ``methods`` in turn (``"direct"``: sparse LU
    with reverse Cuthill-McKee ordering; ``"eigen"``: sparse eigensolver; ``"svd"``: dense,
    small problems only) and returns the first result with relative residual, trace error and
    negativity (``-min eigenvalue``) all below ``tol``; raises :class:`SteadyStateError` naming
    the ``params`` otherwise. The state is returned in the basis of ``liou``.
    """
    import qutip

    d = int(round(np.sqrt(liou.shape[0])))
    if d * d != liou.shape[0] or liou.shape[0] != liou.shape[1]:
        raise ValueError(f"liou must be square of size d^2, got {liou.shape}")
    q = qutip.Qobj(sp.csr_matrix(liou), dims=[[[d], [d]], [[d], [d]]], superrep="super")
    failures = []
    for method in methods:
        kwargs: dict[str, Any] = {"method": method}
        if method == "direct":
            # RCM makes the energy-basis Liouvillian banded; keep that order in SuperLU
            kwargs.update(solver="spsolve", use_rcm=True, permc_spec="NATURAL")
        try:
            rho = qutip.steadystate(q, **kwargs).full()
        except Exception as exc:  # noqa: BLE001 - record and try the next method
            failures.append(f"{method}: {type(exc).__name__}: {exc}")
            continue
        rho = rho / np.trace(rho)
        rho = 0.5 * (rho + rho.conj().T)
        res, tr, mn = _check_state(liou, rho)
        if res < tol and tr < tol and mn > -tol:
            return SteadyState(rho, res, tr, mn, method, dict(params or {}))
        failures.append(f"{method}: residual {res:.2e}, trace error {tr:.2e}, min eig {mn:.2e}")
        log.warning("steady state method %s rejected (%s)", method, failures[-1])
    raise SteadyStateError(f"no steady state for params={params}: " + "; ".join(failures))


def thermal_steady_state(
    n: int,
    j: float,
    h: float,
    beta: float,
    *,
    alpha: float = 1e-3,
    omega_c: float = 10.0,
    tol: float = 1e-8,
) -> SteadyState:
    """Steady state of the thermal Davies equation (:func:`thermal_liouvillian`), Dicke basis.
    ``residual`` etc. refer to the energy-basis Liouvillian.

    At h = 0 the steady state is not unique: ``Y^{(x)N}`` commutes with H_S = (J/N) S_z^2 and
    with S_y (a strong symmetry), so the kernel of L is degenerate. There the Gibbs state (the
    h -> 0+ limit) is returned after checking that it is stationary (``method="gibbs-h0"``).
    """
    basis = energy_basis(n, j, h)
    liou = thermal_liouvillian(basis, beta, alpha=alpha, omega_c=omega_c)
    params = {"n": n, "j": j, "h": h, "beta": beta, "alpha": alpha, "omega_c": omega_c}
    if h == 0:
        w = np.exp(-beta * (basis.energies - basis.energies.min()))
        rho_e = np.diag(w / w.sum()).astype(complex)
        res, tr, mn = _check_state(liou, rho_e)
        if not (res < tol and tr < tol and mn > -tol):
            raise SteadyStateError(f"Gibbs state not stationary for params={params}")
        return SteadyState(basis.to_dicke(rho_e), res, tr, mn, "gibbs-h0", params)
    ss = steady_state(liou, params=params, tol=tol)
    ss.rho = basis.to_dicke(ss.rho)
    return ss


def nonthermal_steady_state(
    n: int,
    j: float,
    h: float,
    zeta: float,
    gamma: float,
    *,
    jump_norm: float | None = None,
    tol: float = 1e-8,
) -> SteadyState:
    """Steady state of the non-thermal equation (:func:`nonthermal_liouvillian`), Dicke basis."""
    basis = energy_basis(n, j, h)
    liou = nonthermal_liouvillian(basis, zeta, gamma, jump_norm=jump_norm)
    params = {"n": n, "j": j, "h": h, "zeta": zeta, "gamma": gamma, "jump_norm": jump_norm}
    ss = steady_state(liou, params=params, tol=tol)
    ss.rho = basis.to_dicke(ss.rho)
    return ss
