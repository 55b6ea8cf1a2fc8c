"""Two-qubit state tools: concurrence, entanglement of formation, Horodecki CHSH, fidelity.

Every function accepts a single density matrix or a stack of them, shape ``(..., 4, 4)``
(``(..., d, d)`` for the dimension-general tools :func:`partial_trace` and :func:`fidelity`),
and returns an array over the leading axes (a numpy scalar for a single matrix). The work is
batched numpy linear algebra; there is no Python loop over the stack.

Conventions
-----------
Two-qubit matrices are in the computational product basis ``|00>, |01>, |10>, |11>`` with the
first factor (A) the most significant, i.e. ``np.kron(A, B)`` ordering. Fidelity is the
*squared* Uhlmann fidelity, ``F(rho, sigma) = (Tr |sqrt(rho) sqrt(sigma)|)^2``, which for a pure
state reduces to ``<psi|rho|psi>``.

Examples
--------
>>> import numpy as np
>>> rho = werner_state(0.5)
>>> round(float(concurrence(rho)), 12)  # (3p - 1)/2
0.25
>>> round(float(horodecki_chsh(bell_state())), 12)  # 2 sqrt 2
2.828427124746
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = [
    "PAULI",
    "bell_state",
    "werner_state",
    "ket_to_dm",
    "is_density_matrix",
    "partial_trace",
    "concurrence",
    "concurrence_x_state",
    "partial_transpose",
    "min_ppt_eigenvalue",
    "eof_from_concurrence",
    "entanglement_of_formation",
    "correlation_matrix",
    "horodecki_chsh",
    "fidelity",
    "fidelity_pure",
]

#: Pauli matrices ``(sigma_x, sigma_y, sigma_z)``, shape ``(3, 2, 2)``.
PAULI: NDArray[np.complex128] = np.array(
    [[[0, 1], [1, 0]], [[0, -1j], [1j, 0]], [[1, 0], [0, -1]]], dtype=complex
)
_SYSY = np.kron(PAULI[1], PAULI[1])
_BELL_KETS = {
    "phi+": np.array([1, 0, 0, 1]) / np.sqrt(2),
    "phi-": np.array([1, 0, 0, -1]) / np.sqrt(2),
    "psi+": np.array([0, 1, 1, 0]) / np.sqrt(2),
    "psi-": np.array([0, 1, -1, 0]) / np.sqrt(2),
}


def _as_square_stack(rho: ArrayLike, name: str = "rho", dim: int | None = None) -> NDArray[Any]:
    rho = np.asarray(rho)
    if rho.ndim < 2 or rho.shape[-1] != rho.shape[-2]:
        raise ValueError(f"{name} must have shape (..., d, d), got {rho.shape}")
    if dim is not None and rho.shape[-1] != dim:
        raise ValueError(f"{name} must have shape (..., {dim}, {dim}), got {rho.shape}")
    if not np.all(np.isfinite(rho)):
        raise ValueError(f"{name} must be finite")
    return rho


def _scalar_or_array(x: NDArray[Any]) -> Any:
    return x[()] if isinstance(x, np.ndarray) and x.ndim == 0 else x


def _psd_sqrt(rho: NDArray[Any]) -> NDArray[Any]:
    """Matrix square root of Hermitian PSD matrices (negative rounding eigenvalues clipped)."""
    w, v = np.linalg.eigh(rho)
    w = np.sqrt(np.clip(w, 0.0, None))
    return (v * w[..., None, :]) @ np.conj(np.swapaxes(v, -1, -2))


def bell_state(kind: str = "phi+") -> NDArray[np.float64]:
    """Density matrix of a Bell state.

    Parameters
    ----------
    kind:
        ``"phi+"`` (``(|00> + |11>)/sqrt 2``, default), ``"phi-"``, ``"psi+"`` or ``"psi-"``.

    Examples
    --------
    >>> round(float(bell_state()[0, 3]), 12)
    0.5
    """
    if kind not in _BELL_KETS:
        raise ValueError(f"kind must be one of {sorted(_BELL_KETS)}, got {kind!r}")
    return ket_to_dm(_BELL_KETS[kind])


def werner_state(p: ArrayLike, kind: str = "phi+") -> NDArray[np.float64]:
    """Werner (isotropic) two-qubit state ``p |B><B| + (1 - p) I/4``.

    Parameters
    ----------
    p:
        Weight of the Bell state, in ``[-1/3, 1]`` (the range where the matrix is a state);
        scalar or array (the result then has shape ``p.shape + (4, 4)``).
    kind:
        Which Bell state ``|B>`` (see :func:`bell_state`).

    Examples
    --------
    >>> round(float(werner_state(1.0)[0, 0]), 12)
    0.5
    """
    p = np.asarray(p, dtype=float)
    if not np.all((p >= -1 / 3) & (p <= 1)):
        raise ValueError(f"p must lie in [-1/3, 1], got {p}")
    b = bell_state(kind)
    return p[..., None, None] * b + (1 - p[..., None, None]) * np.eye(4) / 4


def ket_to_dm(psi: ArrayLike) -> NDArray[Any]:
    """``|psi><psi|`` for a ket or a stack of kets ``(..., d)`` (normalised here).

    Examples
    --------
    >>> ket_to_dm([1, 1])
    array([[0.5, 0.5],
           [0.5, 0.5]])
    """
    psi = np.asarray(psi)
    if psi.ndim < 1 or psi.shape[-1] < 1:
        raise ValueError(f"psi must have shape (..., d), got {psi.shape}")
    norm = np.linalg.norm(psi, axis=-1, keepdims=True)
    if np.any(norm == 0) or not np.all(np.isfinite(psi)):
        raise ValueError("psi must be finite and non-zero")
    v = psi / norm
    return np.asarray(v[..., :, None] * np.conj(v[..., None, :]))


def is_density_matrix(rho: ArrayLike, atol: float = 1e-10) -> Any:
    """Whether each matrix is Hermitian, positive semidefinite and of unit trace (within atol).

    Examples
    --------
    >>> bool(is_density_matrix(np.eye(4) / 4))
    True
    """
    rho = _as_square_stack(rho)
    herm = np.all(np.abs(rho - np.conj(np.swapaxes(rho, -1, -2))) <= atol, axis=(-1, -2))
    tr = np.abs(np.trace(rho, axis1=-2, axis2=-1) - 1) <= atol
    hmat = (rho + np.conj(np.swapaxes(rho, -1, -2))) / 2
    psd = np.linalg.eigvalsh(hmat)[..., 0] >= -atol
    return _scalar_or_array(herm & tr & psd)


def partial_trace(rho: ArrayLike, dims: ArrayLike, keep: ArrayLike) -> NDArray[Any]:
    """Partial trace of (stacks of) multipartite density matrices.

    ``Tr_{not keep}[rho]`` for ``rho`` on ``H_0 (x) H_1 (x) ...`` with ``dim H_k = dims[k]``,
    in ``np.kron`` ordering (subsystem 0 most significant).

    Parameters
    ----------
    rho:
        Array ``(..., D, D)`` with ``D = prod(dims)``.
    dims:
        Local dimensions, e.g. ``(2, 2)``.
    keep:
        Index or sequence of indices of the subsystems that remain (in increasing order in the
        result).

    Examples
    --------
    >>> partial_trace(bell_state(), (2, 2), keep=0)
    array([[0.5, 0. ],
           [0. , 0.5]])
    """
    dims = tuple(int(d) for d in np.atleast_1d(dims))
    if len(dims) == 0 or any(d < 1 for d in dims):
        raise ValueError(f"dims must be positive integers, got {dims}")
    D = int(np.prod(dims))
    rho = _as_square_stack(rho, dim=D)
    keep = sorted({int(k) for k in np.atleast_1d(keep)})
    n = len(dims)
    if any(k < 0 or k >= n for k in keep):
        raise ValueError(f"keep must index subsystems 0..{n - 1}, got {keep}")
    batch = rho.shape[:-2]
    t = rho.reshape(batch + dims + dims)
    nb = len(batch)
    letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
    if nb + 2 * n > len(letters):
        raise ValueError(f"too many subsystems/batch axes ({n}, {nb})")
    bl = letters[:nb]
    row = list(letters[nb : nb + n])
    col = list(letters[nb + n : nb + 2 * n])
    for k in range(n):
        if k not in keep:
            col[k] = row[k]
    out = bl + "".join(row[k] for k in keep) + "".join(col[k] for k in keep)
    res = np.einsum(f"{bl}{''.join(row)}{''.join(col)}->{out}", t)
    dk = int(np.prod([dims[k] for k in keep]))
    return res.reshape(batch + (dk, dk))


def concurrence(rho: ArrayLike) -> Any:
    """Wootters concurrence of two-qubit states.

    ``C = max(0, l1 - l2 - l3 - l4)`` with ``l1 >= ... >= l4`` the square roots of the
    eigenvalues of ``rho (sy x sy) rho* (sy x sy)`` (Wootters, PRL 80, 2245 (1998), Eq. 9),
    computed here as the eigenvalues of the Hermitian ``sqrt(rho) rho~ sqrt(rho)``.
    Accuracy: about ``1e-8`` absolute for rank-deficient states (square roots of
    rounding-level eigenvalues), near machine precision otherwise.

    Parameters
    ----------
    rho:
        Density matrices, shape ``(..., 4, 4)``.

    Examples
    --------
    >>> round(float(concurrence(bell_state())), 12)
    1.0
    """
    rho = _as_square_stack(rho, dim=4)
    tilde = _SYSY @ np.conj(rho) @ _SYSY
    r = _psd_sqrt(rho)
    m = r @ tilde @ r
    m = (m + np.conj(np.swapaxes(m, -1, -2))) / 2
    lam = np.sqrt(np.clip(np.linalg.eigvalsh(m), 0.0, None))[..., ::-1]
    c = lam[..., 0] - lam[..., 1] - lam[..., 2] - lam[..., 3]
    return _scalar_or_array(np.clip(c, 0.0, 1.0))


def concurrence_x_state(rho: ArrayLike, atol: float = 1e-12) -> Any:
    """Concurrence of two-qubit X states from their entries (a route independent of Wootters').

    For ``rho`` with non-zero entries only on the diagonal and anti-diagonal (an "X state"),
    ``C = 2 max(0, |rho_03| - sqrt(rho_11 rho_22), |rho_12| - sqrt(rho_00 rho_33))``
    (Yu and Eberly, Quantum Inf. Comput. 7, 459 (2007)). No eigen-decomposition, so it is
    accurate to rounding even for tiny ``C`` (where :func:`concurrence` has an absolute error of
    about ``1e-8``).

    Parameters
    ----------
    rho:
        Density matrices ``(..., 4, 4)`` of X form (other entries ``<= atol`` in modulus, else
        ``ValueError``).
    atol:
        Tolerance of the X-form check (>= 0).

    Examples
    --------
    >>> round(float(concurrence_x_state(werner_state(0.5))), 12)  # (3p - 1)/2
    0.25
    """
    rho = _as_square_stack(rho, dim=4)
    if not atol >= 0:
        raise ValueError(f"atol must be >= 0, got {atol}")
    x_mask = np.eye(4, dtype=bool) | np.eye(4, dtype=bool)[::-1]
    if np.any(np.abs(rho[..., ~x_mask]) > atol):
        raise ValueError("rho must be an X state (zero outside the diagonal and anti-diagonal)")
    d = np.real(np.diagonal(rho, axis1=-2, axis2=-1)).clip(0.0, None)
    c1 = np.abs(rho[..., 0, 3]) - np.sqrt(d[..., 1] * d[..., 2])
    c2 = np.abs(rho[..., 1, 2]) - np.sqrt(d[..., 0] * d[..., 3])
    return _scalar_or_array(np.clip(2 * np.maximum(c1, c2), 0.0, 1.0))


def partial_transpose(rho: ArrayLike, dims: ArrayLike, transpose: ArrayLike) -> NDArray[Any]:
    """Partial transpose of (stacks of) multipartite matrices on the listed subsystems.

    Same ordering convention as :func:`partial_trace` (``np.kron``, subsystem 0 first).

    Parameters
    ----------
    rho:
        Array ``(..., D, D)`` with ``D = prod(dims)``.
    dims:
        Local dimensions, e.g. ``(2, 2)``.
    transpose:
        Index or indices of the subsystems to transpose.

    Examples
    --------
    >>> round(float(partial_transpose(bell_state(), (2, 2), 1)[1, 2]), 12)
    0.5
    """
    dims_t = tuple(int(d) for d in np.atleast_1d(dims))
    if len(dims_t) == 0 or any(d < 1 for d in dims_t):
        raise ValueError(f"dims must be positive integers, got {dims_t}")
    rho = _as_square_stack(rho, dim=int(np.prod(dims_t)))
    n = len(dims_t)
    which = {int(k) for k in np.atleast_1d(transpose)}
    if any(k < 0 or k >= n for k in which):
        raise ValueError(f"transpose must index subsystems 0..{n - 1}, got {sorted(which)}")
    batch = rho.shape[:-2]
    t = rho.reshape(batch + dims_t + dims_t)
    nb = len(batch)
    axes = list(range(nb + 2 * n))
    for k in which:
        axes[nb + k], axes[nb + n + k] = axes[nb + n + k], axes[nb + k]
    return np.transpose(t, axes).reshape(rho.shape)


def min_ppt_eigenvalue(rho: ArrayLike) -> Any:
    """Smallest eigenvalue of the partial transpose (on B) of two-qubit states.

    Negative iff the state is entangled (Peres-Horodecki: PPT is necessary and sufficient for
    separability of two qubits). A smooth, signed entanglement witness, so its root in a
    parameter is found by root finding (unlike the clipped concurrence).

    Examples
    --------
    >>> round(float(min_ppt_eigenvalue(werner_state(1 / 3))), 12)  # (1 - 3p)/4
    0.0
    """
    pt = partial_transpose(rho, (2, 2), 1)
    return _scalar_or_array(np.linalg.eigvalsh(pt)[..., 0])


def eof_from_concurrence(c: ArrayLike) -> Any:
    """Entanglement of formation (ebits) as a function of the concurrence.

    ``E_F = h((1 + sqrt(1 - C^2))/2)`` with ``h`` the binary entropy in bits (Wootters 1998,
    Eqs. 1-2). The small eigenvalue ``x = (1 - sqrt(1 - C^2))/2`` is evaluated as
    ``C^2 / (2 (1 + sqrt(1 - C^2)))`` so that ``E_F ~ (C^2/4) log2(4/C^2)`` stays accurate
    for tiny ``C``.

    Parameters
    ----------
    c:
        Concurrence(s) in ``[0, 1]``.

    Examples
    --------
    >>> float(eof_from_concurrence(1.0))
    1.0
    """
    c = np.asarray(c, dtype=float)
    if not np.all((c >= 0) & (c <= 1)):
        raise ValueError("c (concurrence) must lie in [0, 1]")
    x = c**2 / (2 * (1 + np.sqrt(1 - c**2)))
    with np.errstate(divide="ignore", invalid="ignore"):
        h = -x * np.log2(x) - (1 - x) * np.log1p(-x) / np.log(2)
    return _scalar_or_array(np.where(x > 0, h, 0.0))


def entanglement_of_formation(rho: ArrayLike) -> Any:
    """Entanglement of formation of two-qubit states, ``E_F = h((1 + sqrt(1 - C^2))/2)``.

    Wootters' closed form through :func:`concurrence`; see :func:`eof_from_concurrence`.

    Examples
    --------
    >>> float(entanglement_of_formation(np.eye(4) / 4))
    0.0
    """
    return eof_from_concurrence(concurrence(rho))


def correlation_matrix(rho: ArrayLike) -> NDArray[np.float64]:
    """Correlation matrix ``T_ij = Tr[rho (sigma_i x sigma_j)]``, shape ``(..., 3, 3)``.

    Examples
    --------
    >>> np.round(correlation_matrix(bell_state()), 12)
    array([[ 1.,  0.,  0.],
           [ 0., -1.,  0.],
           [ 0.,  0.,  1.]])
    """
    rho = _as_square_stack(rho, dim=4)
    # sigma_i (x) sigma_j as a (3, 3, 4, 4) array; Tr[rho O] = sum_kl rho_kl O_lk
    ops = np.einsum("iab,jcd->ijacbd", PAULI, PAULI).reshape(3, 3, 4, 4)
    return np.real(np.einsum("...kl,ijlk->...ij", rho, ops))


def horodecki_chsh(rho: ArrayLike) -> Any:
    """Maximal CHSH value of two-qubit states (Horodecki criterion).

    ``max CHSH = 2 sqrt(M(rho))``, where ``M`` is the sum of the two largest eigenvalues of
    ``T^T T`` and ``T`` is :func:`correlation_matrix` (R., P. and M. Horodecki, Phys. Lett.
    A 200, 340 (1995)). The state violates CHSH iff the value exceeds 2.

    Examples
    --------
    >>> round(float(horodecki_chsh(werner_state(0.5))), 12)  # 2 sqrt(2) p
    1.414213562373
    """
    t = correlation_matrix(rho)
    ev = np.linalg.eigvalsh(np.swapaxes(t, -1, -2) @ t)
    m = np.clip(ev[..., 1] + ev[..., 2], 0.0, None)
    return _scalar_or_array(2 * np.sqrt(m))


def fidelity(rho: ArrayLike, sigma: ArrayLike) -> Any:
    """Squared Uhlmann fidelity of general mixed states.

    ``F(rho, sigma) = (Tr sqrt(sqrt(rho) sigma sqrt(rho)))^2`` (Uhlmann 1976; Jozsa 1994),
    computed from the eigenvalues of the Hermitian ``sqrt(rho) sigma sqrt(rho)``. Symmetric,
    in ``[0, 1]``, and equal to ``<psi|sigma|psi>`` when ``rho = |psi><psi|`` (see
    :func:`fidelity_pure`).

    Parameters
    ----------
    rho, sigma:
        Density matrices ``(..., d, d)`` (broadcast against each other), any ``d``.

    Examples
    --------
    >>> round(float(fidelity(bell_state(), werner_state(0.5))), 12)  # (1 + 3p)/4
    0.625
    """
    rho = _as_square_stack(rho, "rho")
    sigma = _as_square_stack(sigma, "sigma")
    if rho.shape[-1] != sigma.shape[-1]:
        raise ValueError(f"rho and sigma dimensions differ: {rho.shape} vs {sigma.shape}")
    r = _psd_sqrt(rho)
    m = r @ sigma @ r
    m = (m + np.conj(np.swapaxes(m, -1, -2))) / 2
    f = np.sum(np.sqrt(np.clip(np.linalg.eigvalsh(m), 0.0, None)), axis=-1) ** 2
    return _scalar_or_array(np.clip(f, 0.0, 1.0))


def fidelity_pure(psi: ArrayLike, rho: ArrayLike) -> Any:
    """Fidelity of a pure state with a density matrix, ``<psi|rho|psi>`` (shortcut of Uhlmann).

    Parameters
    ----------
    psi:
        Kets ``(..., d)`` (normalised here).
    rho:
        Density matrices ``(..., d, d)`` (broadcast against ``psi``).

    Examples
    --------
    >>> float(fidelity_pure([1, 0], np.eye(2) / 2))
    0.5
    """
    psi = np.asarray(psi)
    rho = _as_square_stack(rho)
    norm = np.linalg.norm(psi, axis=-1, keepdims=True)
    if np.any(norm == 0) or psi.shape[-1] != rho.shape[-1]:
        raise ValueError(f"psi must be non-zero kets of length {rho.shape[-1]}")
    v = psi / norm
    f = np.real(np.einsum("...k,...kl,...l->...", np.conj(v), rho, v))
    return _scalar_or_array(f)
