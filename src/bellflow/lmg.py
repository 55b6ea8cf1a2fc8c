"""Paper 003: non-locality in the open Lipkin-Meshkov-Glick (LMG) model.

Marconi, Riera-Campeny, Sanpera, Aloy, "Robustness of non-locality in many-body open quantum
systems" (2022). Everything lives in the maximal-spin (symmetric) block, in the Dicke basis of
:mod:`bellflow.dicke` (``|D_k^N>``, k = 0..N, ``S_z = N/2 - k``), except the open dynamics,
which is written in the energy eigenbasis of H_S (see :class:`EnergyBasis`), where H_S is
diagonal and the jump operators are sparse, so that N = 200 steady states are a sparse solve.

Superoperators are scipy sparse matrices acting on column-stacked density matrices
(``vec(rho)[a + d b] = rho[a, b]``, QuTiP's convention).

Quantities (one function each): Hamiltonians Eq. (4) and Eq. (14); the two-body permutationally
invariant Bell operator Eq. (3) (value and minimum over the angles); two-body concurrence Eq. (12);
spin squeezing Eq. (13); GKLS dynamics Eq. (6) with a thermal (Davies) bath coupled through S_y,
and with the non-thermal jump operator J(zeta); repeated S_z measurements Eq. (7) and its
first-order mixture Eq. (15); the Gaussian Dicke superposition Eq. (11).

Paper typos and remarks found while checking (each repeated where it is used):

- Eq. (12): the lambda_i are the square roots of the eigenvalues of rho_2 (sy x sy) rho_2^*
  (sy x sy), not the eigenvalues of rho_2 (Wootters).
- Eq. (11): the printed amplitude 1/sqrt(2 pi sigma^2) does not normalise the state; the norm
  is (2 pi sigma^2)^(-1/4) in the continuum limit. We normalise numerically.
- Eq. (14) is not Eq. (4) at h = 0: its S_z^2 term has the opposite sign (-omega S_z^2 with
  omega = J/N) and it adds the constant omega S^2. The Bell value is unchanged by the sign
  (complex conjugation maps one evolution onto the other and the x-z Bell operator is real).
- The initial state of Fig. 3 as printed has trace 2; we normalise it.
- Eq. (15): the left-hand side must be rho_S(t) (not its time derivative) and the commutator
  term carries a factor t.
- "For h = 0 the steady states are clearly separable": the h = 0, low-temperature state is
  close to |D_{N/2}^N>, whose two-body concurrence is positive (entangled); what holds is that
  it does not violate Eq. (3).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp
from scipy.optimize import minimize, minimize_scalar

from bellflow.dicke import check_n, density_matrix, spin_operators, two_body_reduced_state

__all__ = [
    "lmg_hamiltonian",
    "eq14_hamiltonian",
    "eq14_initial_state",
    "bell_operator_two_body",
    "bell_operator_dicke",
    "bell_operator_full",
    "bell_value",
    "BellMinimum",
    "bell_minimum",
    "two_body_concurrence",
    "spin_squeezing",
    "EnergyBasis",
    "energy_basis",
    "ohmic_rate",
    "thermal_liouvillian",
    "nonthermal_liouvillian",
    "dicke_liouvillian",
    "SteadyState",
    "SteadyStateError",
    "steady_state",
    "thermal_steady_state",
    "nonthermal_steady_state",
    "gibbs_state",
    "evolve",
    "eq14_dynamics",
    "measurement_liouvillian",
    "measurement_dynamics",
    "eq15_mixture",
    "gaussian_dicke_state",
    "printed_eq11_norm",
    "fit_gaussian_sigma2",
    "observables",
    "steady_observables",
    "steady_state_scan",
    "open_time_trace",
    "first_time",
    "count_intervals",
    "onset_times",
    "eq14_trace",
    "measurement_traces",
    "paper_checks",
]

log = logging.getLogger("bellflow.lmg")

_PAULI_X = np.array([[0.0, 1.0], [1.0, 0.0]])
_PAULI_Z = np.array([[1.0, 0.0], [0.0, -1.0]])


# --------------------------------------------------------------------------------------------
# Hamiltonians and states
# --------------------------------------------------------------------------------------------


def lmg_hamiltonian(n: int, j: float, h: float) -> np.ndarray:
    """LMG Hamiltonian, paper 003 Eq. (4): ``H_S = (J/N) S_z^2 - h S_x`` in the Dicke basis.

    Returns a real symmetric (n+1)x(n+1) array.

    >>> lmg_hamiltonian(2, 1.0, 0.0).diagonal().tolist()
    [0.5, 0.0, 0.5]
    """
    n = check_n(n)
    ops = spin_operators(n)
    return (j / n) * ops.sz @ ops.sz - h * ops.sx


def eq14_hamiltonian(n: int, omega: float) -> np.ndarray:
    """Paper 003 Eq. (14): ``H_S = -omega S_z^2 + (omega N/2)(N/2 + 1)`` (omega = J/N).

    As printed; note that it is *not* Eq. (4) at h = 0 (opposite sign of the S_z^2 term, plus
    the constant omega S^2). The Bell value of the dynamics does not depend on that sign.
    """
    n = check_n(n, even=True)
    ops = spin_operators(n)
    return -omega * ops.sz @ ops.sz + omega * (n / 2) * (n / 2 + 1) * np.eye(n + 1)


def eq14_initial_state(n: int) -> np.ndarray:
    """Initial state of Fig. 3: ``(|D_{N/2}> + |D_{N/2+1}>)/sqrt(2)`` as a density matrix.

    The printed rho_S(0) (text after Eq. 14) is the same projector without the factor 1/2,
    so it has trace 2; we normalise it.
    """
    n = check_n(n, even=True)
    psi = np.zeros(n + 1, dtype=complex)
    psi[n // 2] = psi[n // 2 + 1] = 1.0 / np.sqrt(2.0)
    return np.outer(psi, psi.conj())


def gibbs_state(n: int, j: float, h: float, beta: float) -> np.ndarray:
    """Gibbs state ``exp(-beta H_S)/Z`` of Eq. (4) in the symmetric block (Dicke basis)."""
    if not beta > 0:
        raise ValueError(f"beta must be > 0, got {beta!r}")
    e, v = np.linalg.eigh(lmg_hamiltonian(n, j, h))
    w = np.exp(-beta * (e - e.min()))
    return (v * (w / w.sum())) @ v.T


# --------------------------------------------------------------------------------------------
# Bell inequality Eq. (3)
# --------------------------------------------------------------------------------------------


def _measurement(angle: float) -> np.ndarray:
    return np.cos(angle) * _PAULI_Z + np.sin(angle) * _PAULI_X


def bell_operator_two_body(n: int, phi: float, theta: float) -> np.ndarray:
    """Two-qubit Bell operator of paper 003, Eq. (3) (Tura et al. 2014, Science 344, 1256):

        B_2 = 2N 1 + (N/2) [-2 (M0 x 1 + 1 x M0)]
              + (N(N-1)/2) [M0 x M0 + M1 x M1 - (M0 x M1 + M1 x M0)],

    with ``M0 = cos(phi) sigma_z + sin(phi) sigma_x`` and ``M1`` the same with ``theta``.
    ``Tr[B_2 rho_2] < 0`` certifies non-locality (local bound 0).
    """
    n = check_n(n)
    m0, m1, one = _measurement(phi), _measurement(theta), np.eye(2)
    return (
        2 * n * np.eye(4)
        + (n / 2) * (-2.0) * (np.kron(m0, one) + np.kron(one, m0))
        + (n * (n - 1) / 2)
        * (np.kron(m0, m0) + np.kron(m1, m1) - np.kron(m0, m1) - np.kron(m1, m0))
    )


def bell_operator_dicke(n: int, phi: float, theta: float) -> np.ndarray:
    """The N-party Bell operator Eq. (1) restricted to the Dicke basis, from collective spins.

    ``B = 2N - 2 C_0 + C_00/2 - C_01 + C_11/2`` with ``C_r = 2 S_r``
    (``S_r = cos(r) S_z + sin(r) S_x``) and ``C_rs = sum_{i != j} M_r^i M_s^j
    = 4 S_r S_s - N cos(r - s) - 2i sin(s - r) S_y``, using
    ``M_r M_s = cos(r - s) 1 + i sin(s - r) sigma_y`` on one site.
    """
    n = check_n(n)
    ops = spin_operators(n)
    one = np.eye(n + 1)

    def s(a):
        return np.cos(a) * ops.sz + np.sin(a) * ops.sx

    def c2(a, b):
        return 4 * s(a) @ s(b) - n * np.cos(a - b) * one - 2j * np.sin(b - a) * ops.sy

    return 2 * n * one - 4 * s(phi) + 0.5 * c2(phi, phi) - c2(phi, theta) + 0.5 * c2(theta, theta)


def bell_operator_full(n: int, phi: float, theta: float) -> np.ndarray:
    """Eq. (1) on the full 2^n space, as explicit sums over sites i and pairs i != j (n <= 8).

    Test route for :func:`bell_value`; ``M_r^(i)`` as in Eq. (3) on site i.
    """
    n = check_n(n)
    if n > 8:
        raise ValueError(f"n must be <= 8 for the full-space Bell operator, got {n}")
    dim = 2**n

    def site(op, i):
        return np.kron(np.kron(np.eye(2**i), op), np.eye(2 ** (n - i - 1)))

    m = [[site(_measurement(a), i) for i in range(n)] for a in (phi, theta)]
    c0 = sum(m[0])
    c = np.zeros((2, 2, dim, dim))
    for r in range(2):
        for s in range(2):
            for i in range(n):
                for k in range(n):
                    if i != k:
                        c[r, s] += m[r][i] @ m[s][k]
    return 2 * n * np.eye(dim) - 2 * c0 + 0.5 * c[0, 0] - c[0, 1] + 0.5 * c[1, 1]


def _correlators(rho2: np.ndarray) -> tuple[float, float, float, float, float]:
    """Site-averaged one-body (z, x) and symmetrised two-body (zz, xx, zx) correlators."""
    one = np.eye(2)

    def ev(op):
        return float(np.trace(rho2 @ op).real)

    z = 0.5 * (ev(np.kron(_PAULI_Z, one)) + ev(np.kron(one, _PAULI_Z)))
    x = 0.5 * (ev(np.kron(_PAULI_X, one)) + ev(np.kron(one, _PAULI_X)))
    zz = ev(np.kron(_PAULI_Z, _PAULI_Z))
    xx = ev(np.kron(_PAULI_X, _PAULI_X))
    zx = 0.5 * (ev(np.kron(_PAULI_Z, _PAULI_X)) + ev(np.kron(_PAULI_X, _PAULI_Z)))
    return z, x, zz, xx, zx


def _bell_from_corr(corr, n, phi, theta):
    z, x, zz, xx, zx = corr
    cp, spp, ct, st = np.cos(phi), np.sin(phi), np.cos(theta), np.sin(theta)

    def q(ca, sa, cb, sb):
        return ca * cb * zz + sa * sb * xx + (ca * sb + sa * cb) * zx

    two = q(cp, spp, cp, spp) + q(ct, st, ct, st) - 2 * q(cp, spp, ct, st)
    return 2 * n - 2 * n * (cp * z + spp * x) + 0.5 * n * (n - 1) * two


def _bell_grad(corr, n, phi, theta):
    z, x, zz, xx, zx = corr
    cp, spp, ct, st = np.cos(phi), np.sin(phi), np.cos(theta), np.sin(theta)

    def dq(ca, sa, cb, sb):  # derivative of Q(a, b) with respect to a
        return -sa * cb * zz + ca * sb * xx + (ca * cb - sa * sb) * zx

    k = 0.5 * n * (n - 1)
    g_phi = -2 * n * (-spp * z + cp * x) + k * (2 * dq(cp, spp, cp, spp) - 2 * dq(cp, spp, ct, st))
    g_theta = k * (2 * dq(ct, st, ct, st) - 2 * dq(ct, st, cp, spp))
    return np.array([g_phi, g_theta])


def bell_value(rho2: np.ndarray, n: int, phi, theta):
    """``Tr[B_2(phi, theta) rho_2]`` of Eq. (3) (vectorised over arrays of angles).

    Parameters
    ----------
    rho2:
        Two-qubit reduced state (4x4, order ``|00>, |01>, |10>, |11>``), e.g. from
        :func:`bellflow.dicke.two_body_reduced_state`.
    n:
        Number of parties N of the many-body state rho_2 came from.
    phi, theta:
        Measurement angles in the x-z plane (arrays broadcast together).

    Examples
    --------
    >>> from bellflow.dicke import two_body_reduced_state, dicke_state
    >>> float(bell_value(two_body_reduced_state(dicke_state(4, 0)), 4, 0.0, 0.0))
    0.0
    """
    n = check_n(n)
    rho2 = np.asarray(rho2)
    if rho2.shape != (4, 4):
        raise ValueError(f"rho2 must be 4x4, got shape {rho2.shape}")
    return _bell_from_corr(_correlators(rho2), n, np.asarray(phi), np.asarray(theta))


@dataclass(frozen=True)
class BellMinimum:
    """Minimum of Eq. (3) over the angles: ``value`` at ``(phi, theta)`` (radians)."""

    value: float
    phi: float
    theta: float


def bell_minimum(rho2: np.ndarray, n: int, *, grid: int = 48, starts: int = 4) -> BellMinimum:
    """``min_{phi, theta} Tr[B_2(phi, theta) rho_2]`` of paper 003, Eq. (3).

    Tr[B_2 rho_2] is a trigonometric polynomial of degree 2 in (phi, theta). It is evaluated
    on a ``grid`` x ``grid`` periodic grid, and the ``starts`` lowest grid points are refined
    with BFGS using the analytic gradient; the lowest result is returned. (Tests check that a
    much denser grid never finds a lower value.)
    """
    n = check_n(n)
    if grid < 8:
        raise ValueError(f"grid must be >= 8, got {grid}")
    if starts < 1:
        raise ValueError(f"starts must be >= 1, got {starts}")
    rho2 = np.asarray(rho2)
    if rho2.shape != (4, 4):
        raise ValueError(f"rho2 must be 4x4, got shape {rho2.shape}")
    corr = _correlators(rho2)
    a = np.linspace(0, 2 * np.pi, grid, endpoint=False)
    pp, tt = np.meshgrid(a, a, indexing="ij")
    vals = _bell_from_corr(corr, n, pp, tt)
    order = np.argsort(vals, axis=None)[:starts]
    best = BellMinimum(
        float(vals.flat[order[0]]), float(pp.flat[order[0]]), float(tt.flat[order[0]])
    )
    for idx in order:
        x0 = np.array([pp.flat[idx], tt.flat[idx]])
        res = minimize(
            lambda v: _bell_from_corr(corr, n, v[0], v[1]),
            x0,
            jac=lambda v: _bell_grad(corr, n, v[0], v[1]),
            method="BFGS",
            options={"gtol": 1e-10 * n * n},
        )
        if res.fun < best.value:
            phi, theta = np.mod(res.x, 2 * np.pi)
            best = BellMinimum(float(res.fun), float(phi), float(theta))
    return best


# --------------------------------------------------------------------------------------------
# Entanglement witnesses Eq. (12), Eq. (13)
# --------------------------------------------------------------------------------------------


def two_body_concurrence(state: np.ndarray) -> float:
    """Concurrence C(rho_2) (paper 003, Eq. 12) of the two-body reduced state of a Dicke-basis
    state, via :func:`bellflow.states.concurrence` (Wootters).

    Paper typo: Eq. (12) takes the lambda_i as the eigenvalues of rho_2; Wootters' formula uses
    the square roots of the eigenvalues of ``rho_2 (sy x sy) rho_2^* (sy x sy)``.
    """
    from bellflow.states import concurrence

    return float(concurrence(two_body_reduced_state(state)))


def spin_squeezing(state: np.ndarray) -> float:
    """Spin-squeezing parameter, paper 003 Eq. (13):
    ``xi^2 = N (Delta S_z)^2 / (<S_x>^2 + <S_y>^2)`` for a Dicke-basis state.

    ``xi^2 < 1`` certifies entanglement. Returns ``inf`` when the transverse spin vanishes.
    """
    rho = density_matrix(state)
    n = rho.shape[0] - 1
    check_n(n, name="N (state dimension - 1)")
    ops = spin_operators(n)

    def ev(op):
        return float(np.trace(rho @ op).real)

    var = ev(ops.sz @ ops.sz) - ev(ops.sz) ** 2
    transverse = ev(ops.sx) ** 2 + ev(ops.sy) ** 2
    if transverse <= 1e-300:
        return float("inf")
    return n * var / transverse


def observables(state: np.ndarray, *, grid: int = 48) -> dict[str, float]:
    """Bell minimum (Eq. 3), two-body concurrence (Eq. 12) and xi^2 (Eq. 13) of a Dicke state."""
    rho = density_matrix(state)
    n = rho.shape[0] - 1
    bm = bell_minimum(two_body_reduced_state(rho), n, grid=grid)
    return {
        "bell": bm.value,
        "phi": bm.phi,
        "theta": bm.theta,
        "concurrence": two_body_concurrence(rho),
        "xi2": spin_squeezing(rho),
    }


# --------------------------------------------------------------------------------------------
# Energy eigenbasis with a fixed gauge
# --------------------------------------------------------------------------------------------


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
    energies: np.ndarray
    vectors: np.ndarray
    parity: np.ndarray

    def to_dicke(self, rho_e: np.ndarray) -> np.ndarray:
        """``V rho_E V^T``: an energy-basis matrix in the Dicke basis."""
        return self.vectors @ rho_e @ self.vectors.T

    def from_dicke(self, rho_d: np.ndarray) -> np.ndarray:
        """``V^T rho_D V``: a Dicke-basis matrix in the energy basis."""
        return self.vectors.T @ rho_d @ self.vectors


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
    d = n + 1
    # parity-adapted orthonormal bases
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
    energies, vectors, parity = [], [], []
    for basis, par in ((np.array(even).T, 1), (np.array(odd).T, -1)):
        if basis.size == 0:
            continue
        w, u = np.linalg.eigh(basis.T @ ham @ basis)
        energies.append(w)
        vectors.append(basis @ u)
        parity.append(np.full(w.size, par))
    energies = np.concatenate(energies)
    vectors = np.concatenate(vectors, axis=1)
    parity = np.concatenate(parity)
    order = np.argsort(energies, kind="stable")
    energies, vectors, parity = energies[order], vectors[:, order], parity[order]
    tol = degeneracy_tol * max(1.0, float(np.abs(ham).sum(axis=1).max()))
    # parity of the lower member of an unresolved doublet (see 2. above)
    lower_first = (-1 if j > 0 else 1) if n % 2 == 0 else (-1 if h < 0 else 1)
    i = 0
    while i < d - 1:
        if abs(energies[i + 1] - energies[i]) <= tol and parity[i] != parity[i + 1]:
            if parity[i] != lower_first:
                swap = [i + 1, i]
                energies[[i, i + 1]] = energies[swap]
                vectors[:, [i, i + 1]] = vectors[:, swap]
                parity[[i, i + 1]] = parity[swap]
            i += 2
        else:
            i += 1
    vectors = _fix_gauge(vectors, spin_operators(n).sp)
    return EnergyBasis(
        n=n, j=float(j), h=float(h), energies=energies, vectors=vectors, parity=parity
    )


def _largest_positive(v: np.ndarray) -> float:
    m = np.abs(v)
    k = int(np.flatnonzero(m >= m.max() - 1e-8)[0])
    return 1.0 if v[k] >= 0 else -1.0


def _fix_gauge(vectors: np.ndarray, splus: np.ndarray) -> np.ndarray:
    v = vectors.copy()
    v[:, 0] *= _largest_positive(v[:, 0])
    for k in range(v.shape[1] - 1):
        elem = v[:, k] @ splus @ v[:, k + 1]
        if abs(elem) > 1e-9:
            v[:, k + 1] *= np.sign(elem)
        else:
            v[:, k + 1] *= _largest_positive(v[:, k + 1])
    return v


# --------------------------------------------------------------------------------------------
# Liouvillians (column-stacking, sparse)
# --------------------------------------------------------------------------------------------


def _commutator_super(h: sp.spmatrix) -> sp.csr_matrix:
    d = h.shape[0]
    eye = sp.identity(d, format="csr")
    return -1j * (sp.kron(eye, h) - sp.kron(h.T, eye))


def _dissipator_super(a: sp.spmatrix) -> sp.csr_matrix:
    d = a.shape[0]
    eye = sp.identity(d, format="csr")
    ada = (a.conj().T @ a).tocsr()
    return (sp.kron(a.conj(), a) - 0.5 * sp.kron(eye, ada) - 0.5 * sp.kron(ada.T, eye)).tocsr()


def dicke_liouvillian(ham: np.ndarray, jumps: list[np.ndarray]) -> sp.csr_matrix:
    """GKLS generator Eq. (6) for a Hamiltonian and (rate-absorbed) jump operators given as
    matrices in one basis: ``L rho = -i[H, rho] + sum_k (J_k rho J_k^+ - {J_k^+ J_k, rho}/2)``."""
    out = _commutator_super(sp.csr_matrix(ham))
    for a in jumps:
        out = out + _dissipator_super(sp.csr_matrix(a))
    return out.tocsr()


def nonthermal_liouvillian(
    basis: EnergyBasis, zeta: float, gamma: float, *, jump_norm: float | None = None
) -> sp.csr_matrix:
    """GKLS generator Eq. (6) with the single non-thermal jump operator, in the energy basis:

        L rho = -i [H_S, rho] + gamma D[c J(zeta)] rho,
        J(zeta) = cos(zeta) S^_+ + sin(zeta) S^_-,   S^_+- = U S_+- U^+,

    where U maps ``|D_k> -> |E_k>`` (:func:`energy_basis`, ascending energies, fixed gauge).
    In the energy basis S^_+ therefore has the matrix S_+ has in the Dicke basis
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


def ohmic_rate(omega, beta: float, alpha: float, omega_c: float):
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
    if not beta > 0:
        raise ValueError(f"beta must be > 0, got {beta!r}")
    if not alpha > 0 or not omega_c > 0:
        raise ValueError(f"alpha and omega_c must be > 0, got {alpha!r}, {omega_c!r}")
    n = basis.n
    d = n + 1
    v = basis.vectors
    x = v.T @ spin_operators(n).sy @ v  # S_y in the energy basis (imaginary antisymmetric)
    a_idx, b_idx = np.nonzero(np.abs(x) > 1e-13)
    amp = x[a_idx, b_idx]
    w = basis.energies[b_idx] - basis.energies[a_idx]
    order = np.argsort(w, kind="stable")
    a_idx, b_idx, amp, w = a_idx[order], b_idx[order], amp[order], w[order]
    tol = freq_tol * max(1.0, float(np.abs(w).max(initial=0.0)))
    cluster = np.concatenate([[0], np.cumsum(np.diff(w) > tol)])
    n_cl = int(cluster[-1]) + 1 if w.size else 0
    w_mean = np.bincount(cluster, weights=w, minlength=n_cl) / np.bincount(cluster, minlength=n_cl)
    rate = ohmic_rate(w_mean, beta, alpha, omega_c)[cluster]
    rows, cols, vals = [], [], []
    k_rows, k_cols, k_vals = [], [], []
    starts = np.flatnonzero(np.diff(np.concatenate([[-1], cluster])))
    ends = np.append(starts[1:], w.size)
    for s, e in zip(starts, ends, strict=True):
        ai, bi, xi, g = a_idx[s:e], b_idx[s:e], amp[s:e], rate[s]
        # A rho A^+ : rho[b_i, b_j] -> [a_i, a_j] with g x_i x_j^*
        ii, jj = np.meshgrid(np.arange(e - s), np.arange(e - s), indexing="ij")
        ii, jj = ii.ravel(), jj.ravel()
        rows.append(ai[ii] + d * ai[jj])
        cols.append(bi[ii] + d * bi[jj])
        vals.append(g * xi[ii] * np.conj(xi[jj]))
        # A^+ A: [b_i, b_j] += g x_i^* x_j where a_i == a_j
        same = ai[ii] == ai[jj]
        k_rows.append(bi[ii][same])
        k_cols.append(bi[jj][same])
        k_vals.append(g * np.conj(xi[ii][same]) * xi[jj][same])
    if rows:
        jump_part = sp.csr_matrix(
            (np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))), shape=(d * d,) * 2
        )
        kmat = sp.csr_matrix(
            (np.concatenate(k_vals), (np.concatenate(k_rows), np.concatenate(k_cols))),
            shape=(d, d),
        )
    else:
        jump_part = sp.csr_matrix((d * d, d * d), dtype=complex)
        kmat = sp.csr_matrix((d, d), dtype=complex)
    eye = sp.identity(d, format="csr")
    diss = jump_part - 0.5 * sp.kron(eye, kmat) - 0.5 * sp.kron(kmat.T, eye)
    return (_commutator_super(sp.diags(basis.energies)) + diss).tocsr()


# --------------------------------------------------------------------------------------------
# Steady states
# --------------------------------------------------------------------------------------------


class SteadyStateError(RuntimeError):
    """No steady-state method produced a valid state (residual, trace, positivity)."""


@dataclass
class SteadyState:
    """A checked steady state: ``rho`` (Dicke basis unless stated), ``residual = ||L vec rho||_2
    / ||L||_max``, ``trace_error``, ``min_eigenvalue``, and the ``method`` that produced it."""

    rho: np.ndarray
    residual: float
    trace_error: float
    min_eigenvalue: float
    method: str
    params: dict = field(default_factory=dict)


def _check_state(liou: sp.spmatrix, rho: np.ndarray) -> tuple[float, float, float]:
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
    params: dict | None = None,
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
        kwargs = {"method": method}
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


# --------------------------------------------------------------------------------------------
# Dynamics
# --------------------------------------------------------------------------------------------


def evolve(liou: sp.spmatrix, rho0: np.ndarray, times, *, method: str = "mesolve") -> np.ndarray:
    """``rho(t) = exp(L t) rho0`` at ``times`` (same basis as ``liou``).

    ``method="mesolve"``: ``qutip.mesolve`` (adaptive ODE, atol 1e-10, rtol 1e-8).
    ``method="expm"``: ``scipy.sparse.linalg.expm_multiply`` (Al-Mohy and Higham) between
    consecutive sorted times: an independent route, fast for long log-spaced time grids.
    Returns an array (len(times), d, d).
    """
    d = rho0.shape[0]
    times = np.asarray(times, dtype=float)
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
    raise ValueError(f"method must be 'mesolve' or 'expm', got {method!r}")


def eq14_dynamics(n: int, omega: float, gamma: float, times) -> np.ndarray:
    """Fig. 3 dynamics: Eq. (14) with jump operator ``S_y/sqrt(N)`` at rate gamma (gamma = 0 is
    the closed system), from :func:`eq14_initial_state`; states in the Dicke basis."""
    if gamma < 0:
        raise ValueError(f"gamma must be >= 0, got {gamma!r}")
    ops = spin_operators(check_n(n, even=True))
    jumps = [np.sqrt(gamma / n) * ops.sy] if gamma > 0 else []
    liou = dicke_liouvillian(eq14_hamiltonian(n, omega), jumps)
    return evolve(liou, eq14_initial_state(n), times)


def measurement_liouvillian(ham: np.ndarray, kappa: float) -> sp.csr_matrix:
    """Repeated measurements of S_z at rate kappa, paper 003 Eq. (7), Dicke basis:
    ``d rho/dt = -i[H, rho] + kappa (sum_k Pi_k rho Pi_k - rho)``, Pi_k = |D_k><D_k|.

    The dissipator multiplies each coherence rho_kl (k != l) by -kappa and leaves populations.
    """
    if not kappa >= 0:
        raise ValueError(f"kappa must be >= 0, got {kappa!r}")
    d = ham.shape[0]
    off = 1.0 - np.eye(d).reshape(-1, order="F")
    return (_commutator_super(sp.csr_matrix(ham)) - kappa * sp.diags(off)).tocsr()


def measurement_dynamics(ham: np.ndarray, kappa: float, rho0: np.ndarray, times) -> np.ndarray:
    """Integrate Eq. (7) (``qutip.mesolve``) from rho0 (Dicke basis) at ``times``."""
    return evolve(measurement_liouvillian(ham, kappa), rho0, times)


def eq15_mixture(rho0: np.ndarray, p) -> np.ndarray:
    """First-order solution of Eq. (7), paper 003 Eq. (15):
    ``rho(t) ~ (1 - p) rho0 + p sum_k Pi_k rho0 Pi_k`` with ``p = kappa t`` (valid for
    kappa t << 1, and assuming [H, rho0] = 0).

    Paper typo: Eq. (15) writes ``d rho/dt`` on the left, where the right-hand side is
    ``rho(t)``, and the commutator lacks its factor t.
    Returns an array (len(p), d, d) for array ``p``.
    """
    p = np.atleast_1d(np.asarray(p, dtype=float))
    if np.any(p < 0) or np.any(p > 1):
        raise ValueError("p must lie in [0, 1]")
    deph = np.diag(np.diag(rho0))
    return (1 - p)[:, None, None] * rho0[None] + p[:, None, None] * deph[None]


# --------------------------------------------------------------------------------------------
# Eq. (11): Gaussian superposition of Dicke states
# --------------------------------------------------------------------------------------------


def gaussian_dicke_state(n: int, sigma2: float) -> np.ndarray:
    """Normalised ``|psi_N> ~ sum_k exp(-(k - N/2)^2 / (4 sigma^2)) |D_k^N>`` (paper 003,
    Eq. 11). The printed prefactor 1/sqrt(2 pi sigma^2) does not normalise the state (see
    :func:`printed_eq11_norm`); we normalise numerically."""
    n = check_n(n)
    if not sigma2 > 0:
        raise ValueError(f"sigma2 must be > 0, got {sigma2!r}")
    k = np.arange(n + 1)
    psi = np.exp(-((k - n / 2) ** 2) / (4 * sigma2))
    return psi / np.linalg.norm(psi)


def printed_eq11_norm(n: int, sigma2: float) -> float:
    """``sum_k |psi_k|^2`` with the printed amplitudes of Eq. (11) (about
    ``1/sqrt(2 pi sigma^2)``, not 1)."""
    k = np.arange(check_n(n) + 1)
    amp = np.exp(-((k - n / 2) ** 2) / (4 * sigma2)) / np.sqrt(2 * np.pi * sigma2)
    return float(np.sum(amp**2))


def fit_gaussian_sigma2(state: np.ndarray) -> tuple[float, float]:
    """Fit Eq. (11) to a Dicke-basis state: maximise the fidelity ``<psi(sigma^2)|rho|psi>``.

    Returns ``(sigma2, fidelity)``.
    """
    rho = density_matrix(state)
    n = rho.shape[0] - 1

    def neg_fid(log_s2):
        psi = gaussian_dicke_state(n, float(np.exp(log_s2)))
        return -float(np.real(psi @ rho @ psi))

    grid = np.linspace(np.log(1e-3), np.log(n * n), 80)
    g0 = grid[np.argmin([neg_fid(g) for g in grid])]
    res = minimize_scalar(
        neg_fid, bounds=(g0 - 0.2, g0 + 0.2), method="bounded", options={"xatol": 1e-10}
    )
    return float(np.exp(res.x)), float(-res.fun)


# --------------------------------------------------------------------------------------------
# Scans and traces used by the workflow (Figs. 1-4) and the paper's claims
# --------------------------------------------------------------------------------------------


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
) -> dict[str, float]:
    """Checked steady state (``kind`` ``"thermal"`` with ``beta`` or ``"nonthermal"`` with
    ``zeta``) and its Bell minimum (Eq. 3), two-body concurrence (Eq. 12), xi^2 (Eq. 13), with
    the solver checks (``residual``, ``trace_error``, ``min_eigenvalue``)."""
    if kind == "thermal":
        if beta is None:
            raise ValueError("beta is required for kind='thermal'")
        ss = thermal_steady_state(n, j, h, beta, alpha=alpha, omega_c=omega_c)
    elif kind == "nonthermal":
        if zeta is None:
            raise ValueError("zeta is required for kind='nonthermal'")
        ss = nonthermal_steady_state(n, j, h, zeta, gamma)
    else:
        raise ValueError(f"kind must be 'thermal' or 'nonthermal', got {kind!r}")
    out = observables(ss.rho, grid=grid)
    out.update(residual=ss.residual, trace_error=ss.trace_error, min_eigenvalue=ss.min_eigenvalue)
    return out


def steady_state_scan(kind: str, n: int, axes: dict[str, np.ndarray], fixed: dict) -> dict:
    """Evaluate :func:`steady_observables` on the outer product of two ``axes``
    (``{name: values}``, names among ``j``, ``h``, ``beta``, ``zeta``, ``gamma``), the other
    arguments from ``fixed``. Returns ``{quantity: array (len(ax1), len(ax2))}``."""
    (n1, v1), (n2, v2) = list(axes.items())
    keys = ("bell", "concurrence", "xi2", "residual", "trace_error", "min_eigenvalue")
    out = {k: np.empty((len(v1), len(v2))) for k in keys}
    for a, x1 in enumerate(v1):
        for b, x2 in enumerate(v2):
            args = dict(fixed)
            args.update({n1: float(x1), n2: float(x2)})
            j, h = args.pop("j"), args.pop("h")
            obs = steady_observables(kind, n, j, h, **args)
            for k in keys:
                out[k][a, b] = obs[k]
    return out


def open_time_trace(
    kind: str,
    n: int,
    j: float,
    h: float,
    times,
    *,
    beta: float | None = None,
    zeta: float | None = None,
    gamma: float = 0.1,
    alpha: float = 1e-3,
    omega_c: float = 10.0,
    method: str = "expm",
) -> dict[str, np.ndarray]:
    """Fig. 2: evolve ``|D_N^N>`` (all spins down) under the thermal or non-thermal GKLS
    equation (energy basis, :func:`evolve` with ``method``) and return Bell minimum,
    two-body concurrence and xi^2 at ``times``, plus the steady-state Bell value it should
    approach."""
    basis = energy_basis(n, j, h)
    if kind == "thermal":
        liou = thermal_liouvillian(basis, beta, alpha=alpha, omega_c=omega_c)
        ss = thermal_steady_state(n, j, h, beta, alpha=alpha, omega_c=omega_c)
    elif kind == "nonthermal":
        liou = nonthermal_liouvillian(basis, zeta, gamma)
        ss = nonthermal_steady_state(n, j, h, zeta, gamma)
    else:
        raise ValueError(f"kind must be 'thermal' or 'nonthermal', got {kind!r}")
    psi0 = np.zeros(n + 1)
    psi0[n] = 1.0
    rho0 = basis.from_dicke(np.outer(psi0, psi0)).astype(complex)
    states = evolve(liou, rho0, times, method=method)
    obs = [observables(basis.to_dicke(r)) for r in states]
    out = {k: np.array([o[k] for o in obs]) for k in ("bell", "concurrence", "xi2")}
    out["steady_bell"] = observables(ss.rho)["bell"]
    out["steady_residual"] = ss.residual
    return out


def first_time(times, mask) -> float:
    """First entry of ``times`` where ``mask`` holds (``nan`` if never)."""
    idx = np.flatnonzero(np.asarray(mask))
    return float(np.asarray(times)[idx[0]]) if idx.size else float("nan")


def onset_times(times, bell, concurrence, xi2, *, conc_tol: float = 1e-7) -> dict[str, float]:
    """Onset times along a trace, each the first time from which a criterion holds until the
    end of the trace (so that a brief early transient does not count as the onset):
    non-locality (Bell < 0), two-body entanglement (C > ``conc_tol``, above the ~1e-10 rounding
    floor of the Wootters formula for product states) and spin squeezing (xi^2 < 1). Claims of
    Fig. 2 / Conclusions: ``nonlocal_after_entangled = t_NL > min(t_C, t_xi)`` and
    ``entanglement_time_gap = t_C != t_xi``."""

    def onset(mask):
        mask = np.asarray(mask, dtype=bool)
        if not mask[-1]:
            return float("nan")
        fails = np.flatnonzero(~mask)
        return float(np.asarray(times)[fails[-1] + 1 if fails.size else 0])

    t_nl = onset(np.asarray(bell) < 0)
    t_c = onset(np.asarray(concurrence) > conc_tol)
    t_xi = onset(np.asarray(xi2) < 1)
    return {
        "t_nonlocal": t_nl,
        "t_concurrence": t_c,
        "t_squeezing": t_xi,
        "nonlocal_after_entangled": float(t_nl > np.nanmin([t_c, t_xi])),
        "concurrence_before_squeezing": float(t_c < t_xi),
        "entanglement_time_gap": float(t_c != t_xi),
    }


def count_intervals(mask) -> int:
    """Number of maximal runs of True in a boolean sequence."""
    m = np.asarray(mask, dtype=int)
    return int(np.sum(np.diff(np.concatenate([[0], m])) == 1))


def eq14_trace(n: int, omega: float, gamma: float, times) -> dict[str, np.ndarray]:
    """Fig. 3: Bell minimum, concurrence and xi^2 along :func:`eq14_dynamics`."""
    obs = [observables(r) for r in eq14_dynamics(n, omega, gamma, times)]
    return {k: np.array([o[k] for o in obs]) for k in ("bell", "concurrence", "xi2")}


def measurement_traces(rho0: np.ndarray, ham: np.ndarray, kappas, p) -> dict[str, np.ndarray]:
    """Fig. 4: Bell minimum vs p = kappa t under Eq. (7) for each kappa (``bell_eq7[kappa, p]``)
    and for the Eq. (15) mixture (``bell_eq15[p]``), and ``||[H, rho0]||`` (Eq. 15 assumes 0)."""
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


def paper_checks(
    n: int = 20,
    j: float = 1.0,
    h: float = 0.05,
    beta: float = 10.0,
    zeta: float = 0.35,
    gamma: float = 0.1,
    alpha: float = 1e-3,
    omega_c: float = 10.0,
    beta_low: float = 30.0,
    beta_high: float = 0.5,
) -> dict[str, float]:
    """Computed values of the paper's stated claims and printed formulas (paper 003).

    Claims at the stated parameter point (N, J, h, beta, zeta): ground-state, thermal and
    non-thermal violations; no violation at h = 0 or at high temperature (``beta_high``);
    h = 0 states entangled (the paper says "clearly separable"); zeta = 0 steady state is the
    ground state; thermal steady state = Gibbs state; Eq. (11) fit at ``beta_low``; and the
    printed-formula checks (matrix elements, Eq. 11 norm, Eq. 12 as printed, Fig. 3 trace).
    """
    from bellflow.states import concurrence

    out: dict[str, float] = {}
    e, v = np.linalg.eigh(lmg_hamiltonian(n, j, h))
    ground = v[:, 0]
    out["ground_bell"] = bell_minimum(two_body_reduced_state(ground), n).value
    out["ground_violates"] = float(out["ground_bell"] < 0)
    th = thermal_steady_state(n, j, h, beta, alpha=alpha, omega_c=omega_c)
    out["thermal_bell"] = bell_minimum(two_body_reduced_state(th.rho), n).value
    out["thermal_violates"] = float(out["thermal_bell"] < 0)
    out["thermal_gibbs_deviation"] = float(np.abs(th.rho - gibbs_state(n, j, h, beta)).max())
    nt = nonthermal_steady_state(n, j, h, zeta, gamma)
    out["nonthermal_bell"] = bell_minimum(two_body_reduced_state(nt.rho), n).value
    out["nonthermal_violates"] = float(out["nonthermal_bell"] < 0)
    nt0 = nonthermal_steady_state(n, j, h, 0.0, gamma)
    out["zeta0_ground_fidelity"] = float(np.real(ground @ nt0.rho @ ground))
    h0 = [
        thermal_steady_state(n, j, 0.0, b_, alpha=alpha, omega_c=omega_c).rho
        for b_ in (beta, beta_low)
    ]
    out["h0_bell_min"] = min(bell_minimum(two_body_reduced_state(r), n).value for r in h0)
    out["h0_no_violation"] = float(out["h0_bell_min"] > -1e-8)
    out["h0_concurrence"] = two_body_concurrence(h0[1])
    out["h0_separable"] = float(out["h0_concurrence"] <= 0)
    hot = thermal_steady_state(n, j, h, beta_high, alpha=alpha, omega_c=omega_c).rho
    out["high_T_bell"] = bell_minimum(two_body_reduced_state(hot), n).value
    out["high_T_no_violation"] = float(out["high_T_bell"] >= 0)
    cold = thermal_steady_state(n, j, h, beta_low, alpha=alpha, omega_c=omega_c).rho
    out["eq11_sigma2"], out["eq11_fidelity"] = fit_gaussian_sigma2(cold)
    sigma2 = out["eq11_sigma2"]
    out["eq11_printed_norm"] = printed_eq11_norm(n, sigma2)
    # printed matrix element <D_0|S_x|D_1> = sqrt(0 (N + 1))/2 vs the correct sqrt(N)/2
    out["sx01_printed"] = float(np.sqrt(0 * (n - 0 + 1)) / 2)
    out["sx01_correct"] = float(spin_operators(n).sx[0, 1])
    out["sz00_printed"] = float(n)
    out["sz00_correct"] = float(spin_operators(n).sz[0, 0])
    # Eq. (12) as printed (eigenvalues of rho_2) vs Wootters, for the ground state
    rho2 = two_body_reduced_state(ground)
    lam = np.sort(np.linalg.eigvalsh(rho2))[::-1]
    out["eq12_printed_ground"] = float(max(0.0, lam[0] - lam[1:].sum()))
    out["eq12_wootters_ground"] = float(concurrence(rho2))
    # Fig. 3 initial state as printed: trace
    out["fig3_printed_trace"] = 2.0 * float(np.trace(eq14_initial_state(n)).real)
    # the same as yes/no statements "the printed formula is right"
    out["sx_printed_correct"] = float(abs(out["sx01_printed"] - out["sx01_correct"]) < 1e-12)
    out["sz_printed_correct"] = float(abs(out["sz00_printed"] - out["sz00_correct"]) < 1e-12)
    out["eq12_printed_correct"] = float(
        abs(out["eq12_printed_ground"] - out["eq12_wootters_ground"]) < 1e-9
    )
    out["eq11_printed_normalised"] = float(abs(out["eq11_printed_norm"] - 1.0) < 1e-9)
    out["fig3_printed_normalised"] = float(abs(out["fig3_printed_trace"] - 1.0) < 1e-12)
    # Eq. (14) vs Eq. (4) at h = 0 with omega = J/N, up to a constant
    n_even = n + n % 2
    diff = eq14_hamiltonian(n_even, j / n_even) - lmg_hamiltonian(n_even, j, 0.0)
    out["eq14_is_eq4_at_h0"] = float(np.ptp(np.diag(diff)) < 1e-12)
    # Eq. (15) as printed vs the first-order expansion of Eq. (7), from a state with
    # [H, rho0] != 0 (Fig. 3 initial state under Eq. 4), kappa = 1, t = 1e-3
    ham = lmg_hamiltonian(n_even, j, h)
    rho0 = eq14_initial_state(n_even)
    t, kappa = 1e-3, 1.0
    exact = measurement_dynamics(ham, kappa, rho0, [0.0, t])[-1]
    comm = ham @ rho0 - rho0 @ ham
    jump = kappa * t * (np.diag(np.diag(rho0)) - rho0)
    printed = rho0 - 1j * comm + jump
    corrected = rho0 - 1j * t * comm + jump
    out["eq15_corrected_error"] = float(np.abs(corrected - exact).max())
    out["eq15_printed_error"] = float(np.abs(printed - exact).max())
    out["eq15_printed_consistent"] = float(out["eq15_printed_error"] < 10 * t**2)
    return out
