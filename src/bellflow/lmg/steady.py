"""Steady states ``L rho = 0`` of the paper-003 generators, checked (residual, trace,
positivity) before they are returned."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import scipy.sparse as sp
from numpy.typing import ArrayLike, NDArray

from bellflow.lmg.liouvillian import (
    nonthermal_jump,
    nonthermal_liouvillian,
    thermal_liouvillian,
)
from bellflow.lmg.model import energy_basis
from bellflow.lmg.sparse import band_steady_state

__all__ = [
    "SteadyState",
    "SteadyStateError",
    "steady_state",
    "thermal_steady_state",
    "nonthermal_steady_state",
    "steady_state_dicke",
]

log = logging.getLogger(__name__)


class SteadyStateError(RuntimeError):
    """No steady-state method produced a valid state (residual, trace, positivity)."""


@dataclass
class SteadyState:
    """A checked steady state: ``rho`` (Dicke basis unless stated), ``residual``,
    ``trace_error``, ``min_eigenvalue``, and the ``method`` that produced it.

    ``residual`` is ``||L vec rho||_2 / max|L_ij|`` for the superoperator routes and
    ``||L(rho)||_F / (2||H|| + 2 sum ||J||^2)`` for the band route (method ``"band"``,
    :func:`bellflow.lmg.sparse.operator_residual`); both are relative residuals."""

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


def _spsolve_super(liou: sp.spmatrix) -> NDArray[np.complex128]:
    """``L vec rho = 0`` with the equation of ``rho[0, 0]`` replaced by ``Tr rho = 1``
    (SuperLU, scipy)."""
    from scipy.sparse.linalg import spsolve

    d = int(round(np.sqrt(liou.shape[0])))
    lk = sp.csr_matrix(liou, dtype=complex).tolil()
    lk[0, :] = 0.0
    lk[0, np.arange(d) * (d + 1)] = 1.0
    rhs = np.zeros(d * d, dtype=complex)
    rhs[0] = 1.0
    x = spsolve(lk.tocsc(), rhs, permc_spec="MMD_ATA")
    return np.asarray(x).reshape(d, d, order="F")


def _qutip_steady(liou: sp.spmatrix, method: str) -> NDArray[np.complex128]:
    import qutip

    d = int(round(np.sqrt(liou.shape[0])))
    q = qutip.Qobj(sp.csr_matrix(liou), dims=[[[d], [d]], [[d], [d]]], superrep="super")
    kwargs: dict[str, Any] = {"method": method}
    if method == "direct":
        # RCM makes the energy-basis Liouvillian banded; keep that order in SuperLU
        kwargs.update(solver="spsolve", use_rcm=True, permc_spec="NATURAL")
    return qutip.steadystate(q, **kwargs).full()


def steady_state(
    liou: sp.spmatrix,
    *,
    methods: tuple[str, ...] = ("spsolve", "direct", "eigen"),
    tol: float = 1e-8,
    params: dict[str, Any] | None = None,
) -> SteadyState:
    """Steady state ``L rho = 0``, ``Tr rho = 1`` of a (column-stacking) Liouvillian.

    Tries each of ``methods`` in turn (``"spsolve"``: scipy's SuperLU on ``L`` with the trace
    condition in place of one equation; QuTiP's ``steadystate`` with ``"direct"``: sparse LU
    with reverse Cuthill-McKee ordering, ``"eigen"``: sparse eigensolver, ``"svd"``: dense,
    small problems only) and returns the first result with relative residual, trace error and
    negativity (``-min eigenvalue``) all below ``tol``; raises :class:`SteadyStateError` naming
    the ``params`` otherwise. The state is returned in the basis of ``liou``.
    """
    d = int(round(np.sqrt(liou.shape[0])))
    if d * d != liou.shape[0] or liou.shape[0] != liou.shape[1]:
        raise ValueError(f"liou must be square of size d^2, got {liou.shape}")
    failures = []
    for method in methods:
        try:
            rho = _spsolve_super(liou) if method == "spsolve" else _qutip_steady(liou, method)
        except Exception as exc:  # noqa: BLE001 - record and try the next method
            failures.append(f"{method}: {type(exc).__name__}: {exc}")
            continue
        rho = rho / np.trace(rho)
        rho = 0.5 * (rho + rho.conj().T)
        res, tr, mn = _check_state(liou, rho)
        if np.isfinite(res) and res < tol and tr < tol and mn > -tol:
            return SteadyState(rho, res, tr, mn, method, dict(params or {}))
        failures.append(f"{method}: residual {res:.2e}, trace error {tr:.2e}, min eig {mn:.2e}")
        log.warning("steady state method %s rejected (%s)", method, failures[-1])
    raise SteadyStateError(f"no steady state for params={params}: " + "; ".join(failures))


def _band_failure(params: dict[str, Any], tol: float) -> str:
    """The message of a rejected band-route steady state."""
    return (
        f"no steady state for params={params}: the solution failed its checks (finite, residual, "
        f"trace error, -min eigenvalue below tol={tol:g}; the log gives the values). A singular "
        "system, or a small residual with a negative eigenvalue, means the steady state is not "
        "unique (a conserved quantity or decoupled sectors): no single state to return"
    )


def _band_checked(
    ham: Any, jumps: list[Any], tol: float, params: dict[str, Any]
) -> SteadyState | None:
    """The band route (:func:`bellflow.lmg.sparse.band_steady_state`), checked; ``None`` (and
    a warning) when the checks fail."""
    try:
        rho, res, band = band_steady_state(ham, jumps, tol=min(tol, 1e-12))
    except Exception as exc:  # noqa: BLE001 - the caller falls back to the superoperator
        log.warning("band steady state failed for %s: %s", params, exc)
        return None
    if not np.all(np.isfinite(rho)):  # a singular system (e.g. a zero-trace kernel vector)
        log.warning("band steady state rejected for %s: non-finite entries", params)
        return None
    tr = abs(complex(np.trace(rho)) - 1.0)
    mn = float(np.linalg.eigvalsh(rho).min())
    if np.isfinite(res) and res < tol and tr < tol and mn > -tol:
        return SteadyState(rho, res, tr, mn, "band", dict(params, band=band))
    log.warning(
        "band steady state rejected for %s (residual %.2e, trace error %.2e, min eigenvalue "
        "%.2e)",
        params, res, tr, mn,
    )  # fmt: skip
    return None


def thermal_steady_state(
    n: int,
    j: float,
    h: float,
    beta: float,
    *,
    alpha: float = 1e-3,
    omega_c: float = 10.0,
    tol: float = 1e-8,
    methods: tuple[str, ...] = ("spsolve", "direct", "eigen"),
) -> SteadyState:
    """Steady state of the thermal Davies equation (:func:`thermal_liouvillian`), Dicke basis.
    ``residual`` etc. refer to the energy-basis Liouvillian; ``methods`` as in
    :func:`steady_state`.

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
    ss = steady_state(liou, params=params, tol=tol, methods=methods)
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
    band: bool = True,
) -> SteadyState:
    """Steady state of the non-thermal equation (:func:`nonthermal_liouvillian`), Dicke basis:
    by the band-limited sparse solve (:mod:`bellflow.lmg.sparse`; ``band=False``: QuTiP on the
    full superoperator, the route it replaced, kept for tests and benchmarks)."""
    basis = energy_basis(n, j, h)
    params = {"n": n, "j": j, "h": h, "zeta": zeta, "gamma": gamma, "jump_norm": jump_norm}
    jump = nonthermal_jump(basis, zeta, gamma, jump_norm=jump_norm)
    ss = _band_checked(sp.diags(basis.energies), [jump], tol, params) if band else None
    if ss is None:  # fall back to the full superoperator
        liou = nonthermal_liouvillian(basis, zeta, gamma, jump_norm=jump_norm)
        methods = ("spsolve", "direct", "eigen") if band else ("direct", "eigen")
        ss = steady_state(liou, params=params, tol=tol, methods=methods)
    ss.rho = basis.to_dicke(ss.rho)
    return ss


def steady_state_dicke(
    ham: ArrayLike,
    jumps: Sequence[ArrayLike],
    *,
    basis: str = "energy",
    tol: float = 1e-10,
    drop: float = 1e-14,
) -> SteadyState:
    """Steady state of any GKLS equation of the symmetric block, Eq. (6) with rates absorbed:
    ``L rho = -i[H, rho] + sum_k (J_k rho J_k^+ - {J_k^+ J_k, rho}/2)``, with ``H`` and the
    ``J_k`` given as (N+1) x (N+1) matrices in the Dicke basis (``|D_0^N>, ..., |D_N^N>``).

    ``basis="energy"`` solves in the eigenbasis of ``H`` (entries of the rotated jumps below
    ``drop`` times their largest are dropped), where steady states of weakly driven systems
    have few coherences; ``basis="dicke"`` solves in the Dicke basis directly (collective
    jumps such as S_-, S_y are banded there). Both use the band-limited sparse solve of
    :mod:`bellflow.lmg.sparse` (memory O(N K^2) for a band K that grows until the residual is
    below ``tol``); the result is checked and returned in the Dicke basis.

    Example (paper 003's non-thermal case, J(zeta) = U (cos z S_+ + sin z S_-) U^+)::

        from bellflow import lmg
        from bellflow.dicke import spin_operators
        n, z, g = 200, 0.35, 0.1
        b = lmg.energy_basis(n, 1.0, 0.05)
        ops = spin_operators(n)
        jump = b.vectors @ (np.cos(z) * ops.sp + np.sin(z) * ops.sm) @ b.vectors.T
        ss = lmg.steady_state_dicke(lmg.lmg_hamiltonian(n, 1.0, 0.05), [np.sqrt(g / n) * jump])
    """
    h = np.asarray(ham)
    d = h.shape[0]
    js = [np.asarray(j_) for j_ in jumps]
    if h.shape != (d, d) or any(j_.shape != (d, d) for j_ in js):
        raise ValueError(f"ham and jumps must be square matrices of one size, got {h.shape}")
    if not np.all(np.isfinite(h)) or not all(np.all(np.isfinite(j_)) for j_ in js):
        raise ValueError("ham and jumps must be finite")
    if basis not in ("energy", "dicke"):
        raise ValueError(f"basis must be 'energy' or 'dicke', got {basis!r}")
    params: dict[str, Any] = {"basis": basis, "d": d, "jumps": len(js)}
    if basis == "dicke":
        ss = _band_checked(sp.csr_matrix(h), [sp.csr_matrix(j_) for j_ in js], tol, params)
        if ss is None:
            raise SteadyStateError(_band_failure(params, tol))
        return ss
    e, v = np.linalg.eigh(0.5 * (h + h.conj().T))
    rot = [v.conj().T @ j_ @ v for j_ in js]
    rot = [np.where(np.abs(r) > drop * max(np.abs(r).max(), 1e-300), r, 0.0) for r in rot]
    ss = _band_checked(sp.diags(e), [sp.csr_matrix(r) for r in rot], tol, params)
    if ss is None:
        raise SteadyStateError(_band_failure(params, tol))
    ss.rho = v @ ss.rho @ v.conj().T
    return ss
