"""Time evolution of paper 003: ``exp(L t)`` for any generator, the Fig. 3 (Eq. 14) dynamics,
repeated S_z measurements (Eq. 7) and their first-order mixture (Eq. 15)."""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from numpy.typing import ArrayLike, NDArray

from bellflow.dicke import check_n, spin_operators
from bellflow.lmg.liouvillian import dicke_liouvillian, measurement_liouvillian
from bellflow.lmg.model import eq14_hamiltonian, eq14_initial_state

__all__ = ["evolve", "eq14_dynamics", "measurement_dynamics", "eq15_mixture"]


def _times(times: ArrayLike) -> NDArray[np.float64]:
    t = np.asarray(times, dtype=float)
    if t.ndim != 1 or not np.all(np.isfinite(t)):
        raise ValueError("times must be a finite 1-d array")
    return t


def evolve(
    liou: sp.spmatrix, rho0: ArrayLike, times: ArrayLike, *, method: str = "mesolve"
) -> NDArray[np.complex128]:
    """``rho(t) = exp(L t) rho0`` at ``times`` (same basis as ``liou``).

    ``method="mesolve"``: ``qutip.mesolve`` (adaptive ODE, atol 1e-10, rtol 1e-8).
    ``method="expm"``: ``scipy.sparse.linalg.expm_multiply`` (Al-Mohy and Higham) between
    consecutive sorted times: an independent route, fast for long log-spaced time grids.
    ``method="eig"``: dense eigendecomposition ``L = V diag(lambda) V^-1``, then
    ``vec rho(t) = V exp(lambda t) V^-1 vec rho0`` at any times at once (small d only: the
    cost is that of a dense (d^2 x d^2) eigenproblem, d <= ~30).
    Returns an array (len(times), d, d).
    """
    rho0 = np.asarray(rho0)
    d = rho0.shape[0]
    times = _times(times)
    if method == "mesolve":
        import qutip

        q = qutip.Qobj(sp.csr_matrix(liou), dims=[[[d], [d]], [[d], [d]]], superrep="super")
        res = qutip.mesolve(
            q,
            qutip.Qobj(rho0),
            times,
            options={"atol": 1e-10, "rtol": 1e-8, "nsteps": 100_000},
        )
        return np.array([s.full() for s in res.states])
    if method == "expm":
        from scipy.sparse.linalg import expm_multiply

        if np.any(np.diff(times) < 0) or times[0] < 0:
            raise ValueError("times must be non-negative and sorted for method='expm'")
        lsp = sp.csc_matrix(liou, dtype=complex)
        vec = rho0.reshape(-1, order="F").astype(complex)
        out, t_prev = [], 0.0
        for t in times:
            if t > t_prev:
                vec = expm_multiply(lsp * (t - t_prev), vec)
                t_prev = t
            out.append(vec.reshape(d, d, order="F"))
        return np.array(out)
    if method == "eig":
        if d > 40:
            raise ValueError(f"method='eig' needs a small system (d <= 40), got d = {d}")
        lam, vec = np.linalg.eig(sp.csr_matrix(liou).toarray())
        coef = np.linalg.solve(vec, rho0.reshape(-1, order="F").astype(complex))
        out_vecs = (np.exp(np.outer(times, lam)) * coef) @ vec.T  # (times, d^2), no 3-d temporary
        return out_vecs.reshape(len(times), d, d, order="F")
    raise ValueError(f"method must be 'mesolve', 'expm' or 'eig', got {method!r}")


def eq14_dynamics(
    n: int, omega: float, gamma: float, times: ArrayLike, *, method: str = "eig"
) -> NDArray[np.complex128]:
    """Fig. 3 dynamics: Eq. (14) with jump operator ``S_y/sqrt(N)`` at rate gamma (gamma = 0 is
    the closed system), from :func:`~bellflow.lmg.eq14_initial_state`; Dicke basis.
    ``method`` as in :func:`evolve` (default ``"eig"``: one dense eigendecomposition of the
    (N+1)^2 generator gives every time at once, without QuTiP; tests compare it with
    ``qutip.mesolve``, the Fig. 3 rule with ``expm_multiply``)."""
    if not gamma >= 0:
        raise ValueError(f"gamma must be >= 0, got {gamma!r}")
    ops = spin_operators(check_n(n, even=True))
    jumps = [np.sqrt(gamma / n) * ops.sy] if gamma > 0 else []
    liou = dicke_liouvillian(eq14_hamiltonian(n, omega), jumps)
    return evolve(liou, eq14_initial_state(n), times, method=method)


def measurement_dynamics(
    ham: ArrayLike, kappa: float, rho0: ArrayLike, times: ArrayLike, *, method: str = "expm"
) -> NDArray[np.complex128]:
    """Integrate Eq. (7) from rho0 (Dicke basis) at ``times`` (:func:`evolve` with
    ``method``; default ``"expm"``, ``expm_multiply`` without QuTiP; ``"mesolve"`` is the
    route it replaced, within 1e-8 on the Fig. 4 traces)."""
    return evolve(measurement_liouvillian(ham, kappa), rho0, times, method=method)


def eq15_mixture(rho0: ArrayLike, p: ArrayLike) -> NDArray[np.complex128]:
    """First-order solution of Eq. (7), paper 003 Eq. (15):
    ``rho(t) ~ (1 - p) rho0 + p sum_k Pi_k rho0 Pi_k`` with ``p = kappa t`` (valid for
    kappa t << 1, and assuming [H, rho0] = 0).

    Paper typo: Eq. (15) writes ``d rho/dt`` on the left, where the right-hand side is
    ``rho(t)``, and the commutator lacks its factor t.
    Returns an array (len(p), d, d) for array ``p``.
    """
    rho0 = np.asarray(rho0)
    p = np.atleast_1d(np.asarray(p, dtype=float))
    if np.any(~np.isfinite(p)) or np.any(p < 0) or np.any(p > 1):
        raise ValueError("p must lie in [0, 1]")
    deph = np.diag(np.diag(rho0))
    return (1 - p)[:, None, None] * rho0[None] + p[:, None, None] * deph[None]
