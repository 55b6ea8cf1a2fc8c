"""LMG model of paper 003: Hamiltonians Eq. (4) and Eq. (14), the Fig. 3 initial state, the
Gibbs state, the Gaussian Dicke superposition Eq. (11), and the gauge-fixed energy eigenbasis.

All matrices are in the Dicke basis of :mod:`bellflow.dicke` (``|D_k^N>``, ``S_z = N/2 - k``)
unless stated otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy.optimize import minimize_scalar

from bellflow.dicke import check_n, density_matrix, spin_operators

__all__ = [
    "lmg_hamiltonian",
    "eq14_hamiltonian",
    "eq14_initial_state",
    "printed_fig3_initial_state",
    "gibbs_state",
    "gaussian_dicke_state",
    "printed_eq11_norm",
    "fit_gaussian_sigma2",
    "EnergyBasis",
    "energy_basis",
]


def _finite(x: float, name: str) -> float:
    x = float(x)
    if not np.isfinite(x):
        raise ValueError(f"{name} must be finite, got {x!r}")
    return x


def lmg_hamiltonian(n: int, j: float, h: float) -> NDArray[np.float64]:
    """LMG Hamiltonian, paper 003 Eq. (4): ``H_S = (J/N) S_z^2 - h S_x`` in the Dicke basis.

    Returns a real symmetric (n+1)x(n+1) array.

    >>> lmg_hamiltonian(2, 1.0, 0.0).diagonal().tolist()
    [0.5, 0.0, 0.5]
    """
    n = check_n(n)
    j, h = _finite(j, "j"), _finite(h, "h")
    ops = spin_operators(n)
    return (j / n) * ops.sz @ ops.sz - h * ops.sx


def eq14_hamiltonian(n: int, omega: float) -> NDArray[np.float64]:
    """Paper 003 Eq. (14): ``H_S = -omega S_z^2 + (omega N/2)(N/2 + 1)`` (omega = J/N).

    As printed; note that it is *not* Eq. (4) at h = 0 (opposite sign of the S_z^2 term, plus
    the constant omega S^2). The Bell value of the dynamics does not depend on that sign.
    """
    n = check_n(n, even=True)
    omega = _finite(omega, "omega")
    ops = spin_operators(n)
    return -omega * ops.sz @ ops.sz + omega * (n / 2) * (n / 2 + 1) * np.eye(n + 1)


def printed_fig3_initial_state(n: int) -> NDArray[np.complex128]:
    """The Fig. 3 initial state exactly as printed (text after Eq. 14):
    ``|D_{N/2}><D_{N/2}| + |D_{N/2+1}><D_{N/2+1}| + |D_{N/2}><D_{N/2+1}| + h.c.``

    Paper typo: its trace is 2 (see :func:`eq14_initial_state` for the normalised state).

    >>> float(np.trace(printed_fig3_initial_state(4)).real)
    2.0
    """
    n = check_n(n, even=True)
    rho = np.zeros((n + 1, n + 1), dtype=complex)
    a, b = n // 2, n // 2 + 1
    rho[a, a] = rho[b, b] = 1.0
    rho[a, b] = 1.0
    rho[b, a] = np.conj(rho[a, b])  # + h.c.
    return rho


def eq14_initial_state(n: int) -> NDArray[np.complex128]:
    """Initial state of Fig. 3: ``(|D_{N/2}> + |D_{N/2+1}>)/sqrt(2)`` as a density matrix.

    The printed rho_S(0) (:func:`printed_fig3_initial_state`) is the same projector without
    the factor 1/2, so it has trace 2; we normalise it.
    """
    n = check_n(n, even=True)
    psi = np.zeros(n + 1, dtype=complex)
    psi[n // 2] = psi[n // 2 + 1] = 1.0 / np.sqrt(2.0)
    return np.outer(psi, psi.conj())


def gibbs_state(n: int, j: float, h: float, beta: float) -> NDArray[np.float64]:
    """Gibbs state ``exp(-beta H_S)/Z`` of Eq. (4) in the symmetric block (Dicke basis)."""
    if not beta > 0 or not np.isfinite(beta):
        raise ValueError(f"beta must be finite and > 0, got {beta!r}")
    e, v = np.linalg.eigh(lmg_hamiltonian(n, j, h))
    w = np.exp(-beta * (e - e.min()))
    return (v * (w / w.sum())) @ v.T


def gaussian_dicke_state(n: int, sigma2: float) -> NDArray[np.float64]:
    """Normalised ``|psi_N> ~ sum_k exp(-(k - N/2)^2 / (4 sigma^2)) |D_k^N>`` (paper 003,
    Eq. 11). The printed prefactor 1/sqrt(2 pi sigma^2) does not normalise the state (see
    :func:`printed_eq11_norm`); we normalise numerically."""
    n = check_n(n)
    if not sigma2 > 0 or not np.isfinite(sigma2):
        raise ValueError(f"sigma2 must be finite and > 0, got {sigma2!r}")
    k = np.arange(n + 1)
    psi = np.exp(-((k - n / 2) ** 2) / (4 * sigma2))
    return psi / np.linalg.norm(psi)


def printed_eq11_norm(n: int, sigma2: float) -> float:
    """``sum_k |psi_k|^2`` with the printed amplitudes of Eq. (11) (about
    ``1/sqrt(2 pi sigma^2)``, not 1)."""
    k = np.arange(check_n(n) + 1)
    if not sigma2 > 0:
        raise ValueError(f"sigma2 must be > 0, got {sigma2!r}")
    amp = np.exp(-((k - n / 2) ** 2) / (4 * sigma2)) / np.sqrt(2 * np.pi * sigma2)
    return float(np.sum(amp**2))


def fit_gaussian_sigma2(state: NDArray[np.complex128]) -> tuple[float, float]:
    """Fit Eq. (11) to a Dicke-basis state: maximise the fidelity ``<psi(sigma^2)|rho|psi>``.

    Returns ``(sigma2, fidelity)``.
    """
    rho = density_matrix(state)
    n = rho.shape[0] - 1

    def neg_fid(log_s2: float) -> float:
        psi = gaussian_dicke_state(n, float(np.exp(log_s2)))
        return -float(np.real(psi @ rho @ psi))

    grid = np.linspace(np.log(1e-3), np.log(n * n), 80)
    g0 = grid[np.argmin([neg_fid(g) for g in grid])]
    res = minimize_scalar(
        neg_fid, bounds=(g0 - 0.2, g0 + 0.2), method="bounded", options={"xatol": 1e-10}
    )
    return float(np.exp(res.x)), float(-res.fun)


@dataclass(frozen=True)
class EnergyBasis:
    """Eigenbasis of Eq. (4) in the symmetric block, ordered and gauge-fixed.

    Attributes
    ----------
    energies:
        Ascending eigenvalues ``E_0 <= E_1 <= ...``.
    vectors:
        Real (n+1)x(n+1) array; column k is ``|E_k>`` in the Dicke basis.
    parity:
        +1/-1: eigenvalue of the spin flip ``X^{(x)N}`` (``|D_k> -> |D_{N-k}>``), which
        commutes with H_S.
    """

    n: int
    j: float
    h: float
    energies: NDArray[np.float64]
    vectors: NDArray[np.float64]
    parity: NDArray[np.int_]

    def to_dicke(self, rho_e: NDArray) -> NDArray:
        """``V rho_E V^T``: an energy-basis matrix in the Dicke basis."""
        return self.vectors @ rho_e @ self.vectors.T

    def from_dicke(self, rho_d: NDArray) -> NDArray:
        """``V^T rho_D V``: a Dicke-basis matrix in the energy basis."""
        return self.vectors.T @ rho_d @ self.vectors


def _parity_bases(n: int) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Orthonormal bases (columns) of the even and odd sectors of the spin flip."""
    d = n + 1
    even, odd = [], []
    for k in range((n + 1) // 2 + (n % 2 == 0)):
        if k < n - k:
            e = np.zeros(d)
            e[k] = e[n - k] = 1 / np.sqrt(2)
            o = np.zeros(d)
            o[k], o[n - k] = 1 / np.sqrt(2), -1 / np.sqrt(2)
            even.append(e)
            odd.append(o)
        elif k == n - k:
            e = np.zeros(d)
            e[k] = 1.0
            even.append(e)
    return np.array(even).T, np.array(odd).T


def _order_doublets(
    energies: NDArray, vectors: NDArray, parity: NDArray, tol: float, lower_first: int
) -> None:
    """Put the member of parity ``lower_first`` first in each unresolved doublet (in place)."""
    i = 0
    while i < energies.size - 1:
        if abs(energies[i + 1] - energies[i]) <= tol and parity[i] != parity[i + 1]:
            if parity[i] != lower_first:
                swap = [i + 1, i]
                energies[[i, i + 1]] = energies[swap]
                vectors[:, [i, i + 1]] = vectors[:, swap]
                parity[[i, i + 1]] = parity[swap]
            i += 2
        else:
            i += 1


def energy_basis(n: int, j: float, h: float, *, degeneracy_tol: float = 1e-10) -> EnergyBasis:
    """Diagonalise Eq. (4) and fix order and gauge of the eigenvectors (deterministically).

    1. H_S commutes with the spin flip P: ``|D_k> -> |D_{N-k}>``. It is diagonalised in the even
       and odd sectors of P separately, so every eigenvector has a definite parity even where
       the spectrum is (numerically) degenerate.
    2. Eigenvalues are sorted ascending. Pairs of opposite parity closer than
       ``degeneracy_tol * max(1, ||H||)`` (the tunnelling doublets at large |S_z|, split by
       ~h^(2|m|), far below double precision) are ordered as the perturbative splitting
       orders them. The doublet coupling at order 2|m| in h is
       ``t = (-h)^(2|m|) prod(S_x elements) / prod_{2|m|-1 terms}(E_m - E_m')`` and the lower
       state is odd (``|m> - |-m>``) for t > 0, even for t < 0. Even N: 2|m| is even and the
       2|m| - 1 denominators have the sign of J (doublets at the top for J > 0, at the bottom
       for J < 0), so the odd state lies lower for J > 0 and the even one for J < 0. Odd N:
       ``(-h)^(2|m|)`` has the sign of -h and the even number of denominators is positive, so
       the even state lies lower for h > 0 (and for h = 0, as the h -> 0+ limit), the odd
       one for h < 0.
    3. Gauge: ``|E_0>`` has its largest Dicke component positive; then, for k = 0..N-1, the
       sign of ``|E_{k+1}>`` makes ``<E_k| S_+ |E_{k+1}>`` non-negative (S_+ is real in the
       Dicke basis, so the eigenvectors stay real). Where that element vanishes (below
       1e-9), the largest Dicke component of ``|E_{k+1}>`` is made positive instead.

    The result does not depend on the signs LAPACK returns (tested by random sign flips).
    """
    n = check_n(n)
    ham = lmg_hamiltonian(n, j, h)
    parts = []
    for basis, par in zip(_parity_bases(n), (1, -1), strict=True):
        if basis.size == 0:
            continue
        w, u = np.linalg.eigh(basis.T @ ham @ basis)
        parts.append((w, basis @ u, np.full(w.size, par)))
    energies = np.concatenate([p[0] for p in parts])
    vectors = np.concatenate([p[1] for p in parts], axis=1)
    parity = np.concatenate([p[2] for p in parts])
    order = np.argsort(energies, kind="stable")
    energies, vectors, parity = energies[order], vectors[:, order], parity[order]
    tol = degeneracy_tol * max(1.0, float(np.abs(ham).sum(axis=1).max()))
    # parity of the lower member of an unresolved doublet (see 2. above)
    lower_first = (-1 if j > 0 else 1) if n % 2 == 0 else (-1 if h < 0 else 1)
    _order_doublets(energies, vectors, parity, tol, lower_first)
    vectors = _fix_gauge(vectors, spin_operators(n).sp)
    return EnergyBasis(
        n=n, j=float(j), h=float(h), energies=energies, vectors=vectors, parity=parity
    )


def _largest_positive(v: NDArray[np.float64]) -> float:
    m = np.abs(v)
    k = int(np.flatnonzero(m >= m.max() - 1e-8)[0])
    return 1.0 if v[k] >= 0 else -1.0


def _fix_gauge(vectors: NDArray[np.float64], splus: NDArray[np.float64]) -> NDArray[np.float64]:
    v = vectors.copy()
    v[:, 0] *= _largest_positive(v[:, 0])
    for k in range(v.shape[1] - 1):
        elem = v[:, k] @ splus @ v[:, k + 1]
        if abs(elem) > 1e-9:
            v[:, k + 1] *= np.sign(elem)
        else:
            v[:, k + 1] *= _largest_positive(v[:, k + 1])
    return v
