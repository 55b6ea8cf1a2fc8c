"""GKLS generators of paper 003 as sparse superoperators: the thermal (Davies) bath coupled
through S_y, the non-thermal jump J(zeta) (Eq. 6), any jumps given as matrices, and repeated
S_z measurements (Eq. 7).

Superoperators are scipy sparse matrices acting on column-stacked density matrices
(``vec(rho)[a + d b] = rho[a, b]``, QuTiP's convention).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp
from numpy.typing import ArrayLike, NDArray

from bellflow.dicke import spin_operators
from bellflow.lmg.model import EnergyBasis

__all__ = [
    "dicke_liouvillian",
    "nonthermal_jump",
    "nonthermal_liouvillian",
    "ohmic_rate",
    "thermal_liouvillian",
    "measurement_liouvillian",
]


def _commutator_super(h: sp.spmatrix) -> sp.csr_matrix:
    d = h.shape[0]
    eye = sp.identity(d, format="csr")
    return -1j * (sp.kron(eye, h) - sp.kron(h.T, eye))


def _dissipator_super(a: sp.spmatrix) -> sp.csr_matrix:
    d = a.shape[0]
    eye = sp.identity(d, format="csr")
    ada = (a.conj().T @ a).tocsr()
    return (sp.kron(a.conj(), a) - 0.5 * sp.kron(eye, ada) - 0.5 * sp.kron(ada.T, eye)).tocsr()


def dicke_liouvillian(ham: ArrayLike, jumps: Sequence[ArrayLike]) -> sp.csr_matrix:
    """GKLS generator Eq. (6) for a Hamiltonian and (rate-absorbed) jump operators given as
    matrices in one basis: ``L rho = -i[H, rho] + sum_k (J_k rho J_k^+ - {J_k^+ J_k, rho}/2)``."""
    out = _commutator_super(sp.csr_matrix(ham))
    for a in jumps:
        out = out + _dissipator_super(sp.csr_matrix(a))
    return out.tocsr()


def nonthermal_jump(
    basis: EnergyBasis, zeta: float, gamma: float, *, jump_norm: float | None = None
) -> sp.csr_matrix:
    """``sqrt(gamma) c J(zeta)`` in the energy basis (sparse, tridiagonal), see
    :func:`nonthermal_liouvillian`."""
    if not gamma > 0 or not np.isfinite(gamma):
        raise ValueError(f"gamma must be finite and > 0, got {gamma!r}")
    if not np.isfinite(zeta):
        raise ValueError(f"zeta must be finite, got {zeta!r}")
    n = basis.n
    c = 1.0 / np.sqrt(n) if jump_norm is None else float(jump_norm)
    k = np.arange(n)
    sp_el = np.sqrt((k + 1.0) * (n - k))  # <E_k| S^_+ |E_{k+1}> = <D_k| S_+ |D_{k+1}>
    amp = np.sqrt(gamma) * c
    return sp.diags([amp * np.sin(zeta) * sp_el, amp * np.cos(zeta) * sp_el], [-1, 1], format="csr")


def nonthermal_liouvillian(
    basis: EnergyBasis, zeta: float, gamma: float, *, jump_norm: float | None = None
) -> sp.csr_matrix:
    """GKLS generator Eq. (6) with the single non-thermal jump operator, in the energy basis:

        L rho = -i [H_S, rho] + gamma D[c J(zeta)] rho,
        J(zeta) = cos(zeta) S^_+ + sin(zeta) S^_-,   S^_+- = U S_+- U^+,

    where U maps ``|D_k> -> |E_k>`` (:func:`~bellflow.lmg.energy_basis`, ascending energies,
    fixed gauge). In the energy basis S^_+ therefore has the matrix S_+ has in the Dicke basis
    (``<E_k|S^_+|E_{k+1}> = sqrt((k+1)(N-k))``): it lowers the energy index, so zeta = 0 drives
    the system to the ground state, as the paper states. (The paper writes ``U^+ S U`` with U
    "from the Dicke basis to the energy basis"; only this reading gives its zeta = 0 limit.)

    The paper gives neither gamma nor the normalisation c of J(zeta); only gamma c^2 matters.
    ``jump_norm`` is c (default ``1/sqrt(N)``, as the paper's ``S_y/sqrt(N)`` of Fig. 3).
    """
    if not gamma > 0:
        raise ValueError(f"gamma must be > 0, got {gamma!r}")
    n = basis.n
    c = 1.0 / np.sqrt(n) if jump_norm is None else float(jump_norm)
    ops = spin_operators(n)
    jump = np.sqrt(gamma) * c * (np.cos(zeta) * ops.sp + np.sin(zeta) * ops.sm)
    return dicke_liouvillian(np.diag(basis.energies), [jump])


def ohmic_rate(omega: ArrayLike, beta: float, alpha: float, omega_c: float) -> NDArray[np.float64]:
    """Bath correlation spectrum for the Davies equation: an ohmic bath with exponential cutoff,

        gamma(w) = 2 pi alpha w exp(-|w|/w_c) / (1 - exp(-beta w)),   gamma(0) = 2 pi alpha / beta,

    i.e. ``2 pi J(w) (1 + n(w))`` for emission (w > 0) and ``2 pi J(|w|) n(|w|)`` for
    absorption (w < 0), with ``J(w) = alpha w exp(-w/w_c)``. Satisfies KMS detailed balance
    ``gamma(-w) = exp(-beta w) gamma(w)``. (Not given in the paper: a choice.)
    """
    w = np.asarray(omega, dtype=float)
    small = np.abs(beta * w) < 1e-12
    denom = np.where(small, 1.0, -np.expm1(-beta * np.where(small, 1.0, w)))
    val = 2 * np.pi * alpha * w * np.exp(-np.abs(w) / omega_c) / denom
    return np.where(small, 2 * np.pi * alpha / beta * np.exp(-np.abs(w) / omega_c), val)


def _bohr_clusters(basis: EnergyBasis, freq_tol: float) -> tuple[NDArray, ...]:
    """Nonzero elements ``x = <E_a|S_y|E_b>`` sorted by Bohr frequency ``w = E_b - E_a``, their
    cluster labels (frequencies within the tolerance are one) and the cluster means."""
    v = basis.vectors
    x = v.T @ spin_operators(basis.n).sy @ v  # S_y in the energy basis (imaginary antisymmetric)
    a_idx, b_idx = np.nonzero(np.abs(x) > 1e-13)
    amp = x[a_idx, b_idx]
    w = basis.energies[b_idx] - basis.energies[a_idx]
    order = np.argsort(w, kind="stable")
    a_idx, b_idx, amp, w = a_idx[order], b_idx[order], amp[order], w[order]
    tol = freq_tol * max(1.0, float(np.abs(w).max(initial=0.0)))
    cluster = np.concatenate([[0], np.cumsum(np.diff(w) > tol)])
    n_cl = int(cluster[-1]) + 1 if w.size else 0
    w_mean = np.bincount(cluster, weights=w, minlength=n_cl) / np.bincount(cluster, minlength=n_cl)
    return a_idx, b_idx, amp, cluster, w_mean


def thermal_liouvillian(
    basis: EnergyBasis,
    beta: float,
    *,
    alpha: float = 1e-3,
    omega_c: float = 10.0,
    freq_tol: float = 1e-9,
) -> sp.csr_matrix:
    """Davies (secular Bloch-Redfield) generator for ``V = S_y (x) sum_k (b_k + b_k^+)``, in the
    energy basis (paper 003, text before Eq. 11; the paper does not print the equation):

        L rho = -i [H_S, rho] + sum_w gamma(w) (A(w) rho A(w)^+ - {A(w)^+ A(w), rho}/2),
        A(w) = sum_{E_b - E_a = w} |E_a><E_a| S_y |E_b><E_b|,

    with gamma(w) from :func:`ohmic_rate`. Bohr frequencies closer than
    ``freq_tol * max(1, max|w|)`` are one frequency (their mean). The Lamb shift commutes with
    H_S and is neglected. The steady state is the Gibbs state of H_S (tested).
    """
    if not beta > 0 or not np.isfinite(beta):
        raise ValueError(f"beta must be finite and > 0, got {beta!r}")
    if not alpha > 0 or not omega_c > 0:
        raise ValueError(f"alpha and omega_c must be > 0, got {alpha!r}, {omega_c!r}")
    d = basis.n + 1
    a_idx, b_idx, amp, cluster, w_mean = _bohr_clusters(basis, freq_tol)
    rate = ohmic_rate(w_mean, beta, alpha, omega_c)[cluster]
    # all pairs (i, j) of elements in one cluster, every cluster at once
    size = np.bincount(cluster)[cluster]  # size of the cluster of each element
    start = np.flatnonzero(np.diff(np.concatenate([[-1], cluster])))[cluster]
    ii = np.repeat(np.arange(cluster.size), size)
    jj = start[ii] + np.arange(ii.size) - np.repeat(np.cumsum(size) - size, size)
    g = rate[ii]
    # A rho A^+ : rho[b_i, b_j] -> [a_i, a_j] with g x_i x_j^*
    vals = g * amp[ii] * np.conj(amp[jj])
    jump_part = _coo(
        ([vals], [a_idx[ii] + d * a_idx[jj]], [b_idx[ii] + d * b_idx[jj]]), (d * d,) * 2
    )
    # A^+ A: [b_i, b_j] += g x_i^* x_j where a_i == a_j
    same = a_idx[ii] == a_idx[jj]
    k_vals = g[same] * np.conj(amp[ii][same]) * amp[jj][same]
    kmat = _coo(([k_vals], [b_idx[ii][same]], [b_idx[jj][same]]), (d, d))
    eye = sp.identity(d, format="csr")
    diss = jump_part - 0.5 * sp.kron(eye, kmat) - 0.5 * sp.kron(kmat.T, eye)
    return (_commutator_super(sp.diags(basis.energies)) + diss).tocsr()


def _coo(parts: tuple[list, list, list], shape: tuple[int, int]) -> sp.csr_matrix:
    vals, rows, cols = parts
    if not rows:
        return sp.csr_matrix(shape, dtype=complex)
    return sp.csr_matrix(
        (np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))), shape=shape
    )


def measurement_liouvillian(ham: ArrayLike, kappa: float) -> sp.csr_matrix:
    """Repeated measurements of S_z at rate kappa, paper 003 Eq. (7), Dicke basis:
    ``d rho/dt = -i[H, rho] + kappa (sum_k Pi_k rho Pi_k - rho)``, Pi_k = |D_k><D_k|.

    The dissipator multiplies each coherence rho_kl (k != l) by -kappa and leaves populations.
    """
    if not kappa >= 0 or not np.isfinite(kappa):
        raise ValueError(f"kappa must be finite and >= 0, got {kappa!r}")
    h_arr = np.asarray(ham)
    d = h_arr.shape[0]
    off = 1.0 - np.eye(d).reshape(-1, order="F")
    return (_commutator_super(sp.csr_matrix(h_arr)) - kappa * sp.diags(off)).tocsr()
