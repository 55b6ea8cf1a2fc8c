"""Collective spins of N qubits in the symmetric (Dicke) subspace, and two-body reduced states.

Conventions (used throughout :mod:`bellflow.dicke` and :mod:`bellflow.lmg`):

- Single qubit: ``|0>`` and ``|1>`` are the eigenstates of ``sigma_z`` with eigenvalues +1 and -1.
- Dicke state ``|D_k^N>`` (k = 0..N) is the normalised symmetric state with ``k`` qubits in
  ``|1>`` (paper 003, text before Eq. 2). It has ``S_z = N/2 - k``, so index ``k`` of a Dicke
  vector is index ``k`` of QuTiP's ``jmat(N/2)`` basis (``m = j, j-1, ..., -j``).
- Full register ``(C^2)^{(x)N}``: qubit 0 is the most significant bit (``np.kron`` order).
- Two-qubit states are 4x4 in the order ``|00>, |01>, |10>, |11>``.

Paper typos (Marconi et al. 2022, "System model" paragraph): the printed matrix elements
``sqrt(k (N - k + 1))`` of ``S_x``, ``S_y`` are shifted by one (they vanish at k = 0, where
``S_+ |D_1^N> = sqrt(N) |D_0^N>``); the correct element is
``<D_k^N| S_+ |D_{k+1}^N> = sqrt((k + 1)(N - k))``. The printed
``S_z = sum_k (N - 2k) |D_k><D_k|`` lacks the factor 1/2 of ``S_mu = (1/2) sum_i sigma_mu``:
``S_z |D_k^N> = (N/2 - k) |D_k^N>``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.special import gammaln

from bellflow.states import PAULI, partial_trace

__all__ = [
    "SpinOperators",
    "check_n",
    "spin_operators",
    "dicke_state",
    "dicke_embedding",
    "full_spin_operators",
    "two_body_reduced_state",
    "two_body_reduced_state_full",
    "density_matrix",
]


@dataclass(frozen=True)
class SpinOperators:
    """Collective spin operators ``S_mu = (1/2) sum_i sigma_mu^(i)`` as matrices.

    ``sp = S_x + i S_y`` and ``sm = S_x - i S_y``. In the Dicke basis these are (N+1)x(N+1)
    (``sx``, ``sz``, ``sp``, ``sm`` real, ``sy`` imaginary); in the full space 2^N x 2^N.
    """

    sx: np.ndarray
    sy: np.ndarray
    sz: np.ndarray
    sp: np.ndarray
    sm: np.ndarray


def check_n(n: int, *, minimum: int = 2, even: bool = False, name: str = "n") -> int:
    """Validate a number of qubits; raise ``ValueError`` naming ``name`` otherwise."""
    if isinstance(n, bool) or not isinstance(n, int | np.integer) or n < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}, got {n!r}")
    if even and n % 2:
        raise ValueError(f"{name} must be even, got {n!r}")
    return int(n)


def spin_operators(n: int) -> SpinOperators:
    """Collective spin operators of ``n`` qubits in the Dicke basis ``|D_0^n>, ..., |D_n^n>``.

    Implements (paper 003, "System model", with the printed typos corrected, see module doc)

        S_+ = sum_{k=0}^{n-1} sqrt((k+1)(n-k)) |D_k><D_{k+1}|,   S_- = S_+^T,
        S_x = (S_+ + S_-)/2,  S_y = (S_+ - S_-)/(2i),  S_z = sum_k (n/2 - k) |D_k><D_k|.

    These equal ``qutip.jmat(n/2, ...)`` element by element.

    Examples
    --------
    >>> ops = spin_operators(2)
    >>> np.diag(ops.sz).tolist()
    [1.0, 0.0, -1.0]
    """
    n = check_n(n, minimum=1)
    k = np.arange(n)
    sp = np.diag(np.sqrt((k + 1.0) * (n - k)), 1)
    sm = sp.T.copy()
    sx = 0.5 * (sp + sm)
    sy = -0.5j * (sp - sm)
    sz = np.diag(n / 2.0 - np.arange(n + 1.0))
    return SpinOperators(sx=sx, sy=sy, sz=sz, sp=sp, sm=sm)


def dicke_state(n: int, k: int) -> NDArray[np.complex128]:
    """The Dicke vector ``|D_k^n>`` in the Dicke basis (a unit vector of length n + 1)."""
    n = check_n(n, minimum=1)
    if not 0 <= k <= n:
        raise ValueError(f"k must be in 0..{n}, got {k!r}")
    v = np.zeros(n + 1, dtype=complex)
    v[k] = 1.0
    return v


def dicke_embedding(n: int) -> NDArray[np.float64]:
    """Isometry ``V`` (2^n x (n+1)) with column k the Dicke state ``|D_k^n>`` in the full space.

    ``|D_k^n> = C(n, k)^{-1/2} sum over the C(n, k) bit strings with k ones`` (paper 003,
    before Eq. 2). Feasible for n <= 14 or so (memory 2^n (n+1)).
    """
    n = check_n(n, minimum=1)
    if n > 16:
        raise ValueError(f"n must be <= 16 for a full-space embedding, got {n}")
    dim = 2**n
    ones = np.array([bin(i).count("1") for i in range(dim)])
    v = np.zeros((dim, n + 1))
    for k in range(n + 1):
        mask = ones == k
        v[mask, k] = 1.0 / np.sqrt(mask.sum())
    return v


def full_spin_operators(n: int) -> SpinOperators:
    """Collective spin operators ``(1/2) sum_i sigma_mu^(i)`` on the full 2^n-dim space.

    Built as explicit sums of Kronecker products of Pauli matrices (the definition in paper
    003 after Eq. 4); an independent route for testing :func:`spin_operators`. n <= 10.
    """
    n = check_n(n, minimum=1)
    if n > 10:
        raise ValueError(f"n must be <= 10 for full-space operators, got {n}")
    paulis = dict(zip("xyz", PAULI, strict=True))
    out = {}
    for mu, s in paulis.items():
        total = np.zeros((2**n, 2**n), dtype=complex)
        for i in range(n):
            total += np.kron(np.kron(np.eye(2**i), s), np.eye(2 ** (n - i - 1)))
        out[mu] = 0.5 * total
    return SpinOperators(
        sx=out["x"],
        sy=out["y"],
        sz=out["z"],
        sp=out["x"] + 1j * out["y"],
        sm=out["x"] - 1j * out["y"],
    )


def density_matrix(state: ArrayLike) -> NDArray:
    """A density matrix from a state vector (normalised) or a square matrix (returned as is)."""
    a = np.asarray(state)
    if a.ndim == 1:
        a = a / np.linalg.norm(a)
        return np.outer(a, a.conj())
    if a.ndim == 2 and a.shape[0] == a.shape[1]:
        return a
    raise ValueError(f"state must be a vector or a square matrix, got shape {a.shape}")


@lru_cache(maxsize=16)
def _eq2_weights(n: int) -> tuple[NDArray[np.intp], NDArray[np.intp], NDArray[np.float64]]:
    """Index arrays and weights of Eq. (2) for all 16 entries of rho_2 at once: entry
    ``(i', j')`` is ``sum_k w[4 i' + j', k] rho[rows[.., k], cols[.., k]]`` with
    ``w = C(N-2, k) / sqrt(C(N, k+|i'|) C(N, k+|j'|))`` (log-gamma, no overflow)."""
    ones = np.array([0, 1, 1, 2])
    k = np.arange(n - 1)
    log_c = gammaln(n - 1) - gammaln(k + 1) - gammaln(n - 1 - k)  # log C(N-2, k)

    def log_cn(m: NDArray) -> NDArray:
        return gammaln(n + 1) - gammaln(m + 1) - gammaln(n - m + 1)

    rows = (k[None, None] + ones[:, None, None]).repeat(4, axis=1).reshape(16, n - 1)
    cols = (k[None, None] + ones[None, :, None]).repeat(4, axis=0).reshape(16, n - 1)
    w = np.exp(log_c[None] - 0.5 * (log_cn(rows) + log_cn(cols)))
    for arr in (rows, cols, w):
        arr.setflags(write=False)
    return rows, cols, w


def two_body_reduced_state(state: ArrayLike, method: str = "eq2") -> NDArray:
    """Two-qubit reduced state rho_2 of a permutationally invariant state in the Dicke basis.

    ``method="eq2"`` implements paper 003, Eq. (2) (Tura et al. 2015):

        (rho_2)_{i', j'} = sum_{k=0}^{N-2} C(N-2, k) rho_{k+|i'|, k+|j'|}
                           / sqrt(C(N, k+|i'|) C(N, k+|j'|)),

    with ``|i'|`` the number of ones in the two-bit label ``i'`` (checked, no typo).
    ``method="moments"`` uses the collective moments instead:

        rho_2 = (1/4) sum_{mu,nu in {0,x,y,z}} t_{mu nu} sigma_mu (x) sigma_nu,
        t_{mu 0} = t_{0 mu} = 2 <S_mu>/N,
        t_{mu nu} = (2 <{S_mu, S_nu}> - N delta_{mu nu}) / (N (N - 1)).

    Parameters
    ----------
    state:
        Dicke-basis vector (length N+1) or density matrix ((N+1) x (N+1)), N >= 2.
    method:
        ``"eq2"`` or ``"moments"``.

    Returns
    -------
    4x4 complex array in the order ``|00>, |01>, |10>, |11>``.

    Examples
    --------
    >>> r = two_body_reduced_state(dicke_state(2, 1))  # |D_1^2> = (|01> + |10>)/sqrt(2)
    >>> np.round(r.real, 3)[1:3, 1:3].tolist()
    [[0.5, 0.5], [0.5, 0.5]]
    """
    rho = density_matrix(state)
    n = rho.shape[0] - 1
    check_n(n, minimum=2, name="N (state dimension - 1)")
    if method == "eq2":
        rows, cols, w = _eq2_weights(n)
        return (w * rho[rows, cols]).sum(axis=-1).reshape(4, 4).astype(complex)
    if method == "moments":
        ops = spin_operators(n)
        s = [ops.sx, ops.sy, ops.sz]
        pauli = [np.eye(2), *PAULI]
        t = np.zeros((4, 4))
        t[0, 0] = 1.0
        for mu in range(3):
            m1 = 2.0 * np.trace(rho @ s[mu]).real / n
            t[mu + 1, 0] = t[0, mu + 1] = m1
            for nu in range(3):
                anti = np.trace(rho @ (s[mu] @ s[nu] + s[nu] @ s[mu])).real
                t[mu + 1, nu + 1] = (2.0 * anti - n * (mu == nu)) / (n * (n - 1))
        out = np.zeros((4, 4), dtype=complex)
        for mu in range(4):
            for nu in range(4):
                out += t[mu, nu] * np.kron(pauli[mu], pauli[nu])
        return out / 4.0
    raise ValueError(f"method must be 'eq2' or 'moments', got {method!r}")


def two_body_reduced_state_full(
    rho_full: ArrayLike, n: int, keep: Sequence[int] = (0, 1)
) -> NDArray[np.complex128]:
    """Explicit partial trace of a 2^n-dim state onto the qubits ``keep`` (in that order) via
    :func:`bellflow.states.partial_trace` (test route for :func:`two_body_reduced_state`)."""
    n = check_n(n, minimum=2)
    rho = density_matrix(rho_full)
    if rho.shape != (2**n, 2**n):
        raise ValueError(f"rho_full must be {2**n}x{2**n}, got {rho.shape}")
    if len(keep) != 2 or len(set(keep)) != 2 or not all(0 <= q < n for q in keep):
        raise ValueError(f"keep must be two distinct qubits in 0..{n - 1}, got {keep!r}")
    out = partial_trace(rho, [2] * n, keep=list(keep))
    if keep[0] > keep[1]:  # partial_trace returns the kept qubits in increasing order
        swap = [0, 2, 1, 3]
        out = out[np.ix_(swap, swap)]
    return out
