"""Paper 002's construction: the bases, Alice's and Bob's measurements, the family of boxes.

Eqs. (9), (16), (17) of Farkas, PRL 132, 210803 (2024); conventions in :mod:`bellflow.diqkd`.
"""

from __future__ import annotations

from typing import Any

import numpy as np


# --------------------------------------------------------------------------------------------
# argument checks
# --------------------------------------------------------------------------------------------
def _check_d(d: Any) -> int:
    if isinstance(d, bool) or not isinstance(d, int | np.integer) or d < 2:
        raise ValueError(f"d must be an integer >= 2, got {d!r}")
    return int(d)


def _check_eps(eps: Any, *, allow_zero: bool = True) -> float:
    eps = float(eps)
    lo_ok = eps >= 0.0 if allow_zero else eps > 0.0
    if not (lo_ok and eps <= 1.0) or not np.isfinite(eps):
        rng = "[0, 1]" if allow_zero else "(0, 1]"
        raise ValueError(f"eps must lie in {rng}, got {eps!r}")
    return eps


def _check_visibility(v: Any) -> float:
    v = float(v)
    if not (0.0 <= v <= 1.0):
        raise ValueError(f"visibility must lie in [0, 1], got {v!r}")
    return v


# --------------------------------------------------------------------------------------------
# the construction (Eqs. 9, 16, 17)
# --------------------------------------------------------------------------------------------
def shift_operator(d: int) -> np.ndarray:
    """Generalised Pauli X of Eq. (16): ``X = sum_j |j+1><j|`` (indices mod d).

    >>> shift_operator(2)
    array([[0., 1.],
           [1., 0.]])
    """
    d = _check_d(d)
    return np.roll(np.eye(d), 1, axis=0)


def fourier_basis(d: int) -> np.ndarray:
    """Fourier basis of Eq. (16) as columns: ``|chi_j> = sum_k omega^(j k) |k> / sqrt(d)``.

    ``omega = exp(2 pi i / d)``; column ``j`` of the returned unitary is ``|chi_j>``.
    """
    d = _check_d(d)
    j = np.arange(d)
    return np.exp(2j * np.pi * np.outer(j, j) / d) / np.sqrt(d)


def generator(d: int) -> np.ndarray:
    """``G = sum_j (2 pi i j / d) |chi_j><chi_j|`` (below Eq. 16), so that ``U_eps = e^(eps G)``.

    Paper typo (Eq. 16): with the Fourier basis as defined in the paper,
    ``sum_j omega^j |chi_j><chi_j| = e^G`` equals ``X^dagger = sum_j |j-1><j|``, not ``X``; the
    two coincide only for d = 2. We implement ``G`` and ``U_eps`` (Eq. 17) exactly as written,
    so ``U_1 = X^dagger``. Using ``X`` instead would transpose the overlap matrix; nothing the
    paper claims depends on the choice (the local bound is invariant under ``O -> O^T`` with
    ``a_0 <-> a_1``).
    """
    F = fourier_basis(d)
    return F @ np.diag(2j * np.pi * np.arange(d) / d) @ F.conj().T


def unitary_formula(d: int, eps: float) -> np.ndarray:
    """Eq. (17) evaluated as printed, ``sum_j omega^(eps j) |chi_j><chi_j|``, with no special
    case (at eps = 0 the numerical ``F F^dagger`` differs from 1 by rounding, ~1e-16)."""
    d = _check_d(d)
    eps = _check_eps(eps)
    F = fourier_basis(d)
    return F @ np.diag(np.exp(2j * np.pi * eps * np.arange(d) / d)) @ F.conj().T


def unitary(d: int, eps: float) -> np.ndarray:
    """``U_eps = sum_j omega^(eps j) |chi_j><chi_j| = e^(eps G)``, Eq. (17), eps in [0, 1].

    :func:`unitary_formula`, except that eps = 0 returns the exact identity (the formula gives
    it up to rounding; the reproduction row ``U_0 = 1`` checks the formula itself).

    >>> np.allclose(unitary(3, 0.0), np.eye(3))
    True
    """
    d = _check_d(d)
    eps = _check_eps(eps)
    if eps == 0.0:  # exact: the numerical F F^dagger leaves 1e-17 off-diagonal residue
        return np.eye(d, dtype=complex)
    return unitary_formula(d, eps)


def overlap_matrix(d: int, eps: float) -> np.ndarray:
    """Overlap matrix ``O_jk = |<j|e_k>|`` of Eq. (9) for ``|e_k> = U_eps |k>``.

    Closed form (geometric series, used as the independent route in the tests):
    ``O_jk = sin(pi eps) / (d |sin(pi (eps + j - k) / d)|)``, strictly positive for
    eps in (0, 1).
    """
    return np.abs(unitary(d, eps))


def sine_matrix(d: int, eps: float) -> np.ndarray:
    """``s_jk = sqrt(1 - O_jk^2)``, computed stably as ``|| (1 - |j><j|) |e_k> ||``.

    For a unitary ``U_eps``, ``1 - O_jk^2 = sum_{i != j} O_ik^2``; summing the small squares
    avoids the cancellation in ``1 - O_jj^2`` when ``O_jj`` is close to 1 (small eps).
    """
    O2 = overlap_matrix(d, eps) ** 2
    return np.sqrt(np.clip(O2.sum(axis=0, keepdims=True) - O2, 0.0, None))


def max_entangled_state(d: int) -> np.ndarray:
    """``|phi_d^+> = sum_j |jj> / sqrt(d)`` as a vector of length ``d**2`` (Alice first)."""
    d = _check_d(d)
    return np.eye(d).reshape(d * d) / np.sqrt(d)


def alice_measurements(d: int, eps: float) -> np.ndarray:
    """Alice's projectors ``A[x, a]``, shape ``(2, d, d, d)``.

    ``x = 0``: ``|a><a|`` (key setting); ``x = 1``: ``U_eps |a><a| U_eps^dagger`` (below Eq. 17).
    """
    d = _check_d(d)
    U = unitary(d, eps)
    A = np.zeros((2, d, d, d), dtype=complex)
    for a in range(d):
        A[0, a, a, a] = 1.0
        A[1, a] = np.outer(U[:, a], U[:, a].conj())
    return A


def _bob_vectors(d: int, eps: float, j: int, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Eigenvectors ``v_+``, ``v_-`` of ``P - Q`` (``P = |j><j|``, ``Q = |e_k><e_k|``).

    In the plane of ``|j>`` and the unit vector ``|w> = e^(-i phi) (|e_k> - <j|e_k>|j>) / s``
    (``<j|e_k> = O e^(i phi)``, ``s = sqrt(1 - O^2)``), ``P - Q = s [[s, -O], [-O, -s]]``, a
    reflection scaled by ``s``: eigenvalues ``+-s`` with
    ``v_+ = cos(beta/2)|j> - sin(beta/2)|w>``, ``v_- = sin(beta/2)|j> + cos(beta/2)|w>``,
    ``beta = atan2(O, s)``. At eps = 0 and j = k (``s = 0``) ``|w>`` is the limit eps -> 0+,
    ``(1 - |j><j|) G |j>`` normalised (``U_eps = 1 + eps G + O(eps^2)``).
    """
    U = unitary(d, eps)
    e = U[:, k]
    ov = e[j]
    perp = e.copy()
    perp[j] = 0.0
    s = np.linalg.norm(perp)
    O = abs(ov)
    if s > 0.0:
        phase = ov / O if O > 0 else 1.0
        w = np.conj(phase) * perp / s
    else:  # eps = 0, j = k: the limit eps -> 0+
        if j != k or eps != 0.0:
            raise AssertionError("unexpected degenerate overlap")  # pragma: no cover
        g = generator(d)[:, j].copy()
        g[j] = 0.0
        w = g / np.linalg.norm(g)
    beta = np.arctan2(O, s)
    ej = np.zeros(d, dtype=complex)
    ej[j] = 1.0
    vp = np.cos(beta / 2) * ej - np.sin(beta / 2) * w
    vm = np.sin(beta / 2) * ej + np.cos(beta / 2) * w
    return vp, vm


def bob_measurements(d: int, eps: float) -> np.ndarray:
    """Bob's optimal three-outcome projectors ``B[y, b]``, shape ``(d**2, 3, d, d)``.

    Derivation (the paper does not write them down). For setting ``y = jk`` the terms of
    Eq. (10) read ``sum_b <phi| M_b (x) B_b |phi>`` with Alice-side operators
    ``M_0 = s (P - Q) - s^2/2``, ``M_1 = s (Q - P) - s^2/2``, ``M_2 = 0`` (``P = |j><j|``,
    ``Q = |e_k><e_k|``, ``s = sqrt(1 - O_jk^2)``). On ``|phi_d^+>``,
    ``<phi| M (x) B |phi> = tr(M^T B) / d``, maximised over POVMs by projecting ``B_b`` onto the
    positive part of ``M_b^T`` where ``M_b`` is largest. ``P - Q`` has eigenvalues ``+-s`` (and
    0): ``M_0`` is positive (``s^2/2``) only on ``v_+``, ``M_1`` only on ``v_-``, everything else
    is <= 0. Hence ``B_0 = |v_+^*><v_+^*|``, ``B_1 = |v_-^*><v_-^*|``, ``B_2 = 1 - B_0 - B_1``
    (see :func:`_bob_vectors`), and each setting contributes ``s^2 / d``. At eps = 0 the
    projectors for j = k are the limit eps -> 0+.
    """
    d = _check_d(d)
    eps = _check_eps(eps)
    B = np.zeros((d * d, 3, d, d), dtype=complex)
    for j in range(d):
        for k in range(d):
            vp, vm = _bob_vectors(d, eps, j, k)
            y = j * d + k
            B[y, 0] = np.outer(vp.conj(), vp)
            B[y, 1] = np.outer(vm.conj(), vm)
            B[y, 2] = np.eye(d) - B[y, 0] - B[y, 1]
    return B


def box_from_state(rho: np.ndarray, A: np.ndarray, B: np.ndarray) -> np.ndarray:
    """Born rule ``p[a, b, x, y] = tr[(A[x, a] (x) B[y, b]) rho]`` (Eq. 1), real part.

    ``A`` has shape ``(mA, oA, dA, dA)``, ``B`` shape ``(mB, oB, dB, dB)``, ``rho`` is
    ``(dA dB) x (dA dB)`` with Alice first.
    """
    A = np.asarray(A)
    B = np.asarray(B)
    dA, dB = A.shape[-1], B.shape[-1]
    r = np.asarray(rho).reshape(dA, dB, dA, dB)
    # tr[(A (x) B) rho] = sum A[i,k] B[j,l] rho[k,l,i,j]
    p = np.einsum("xaik,ybjl,klij->abxy", A, B, r, optimize=True)
    return np.real(p)


def family_box(d: int, eps: float, visibility: float = 1.0) -> np.ndarray:
    """``p_eps[a, b, x, y]`` of the family, shape ``(d, 3, 2, d**2)``.

    The state is ``v |phi_d^+><phi_d^+| + (1 - v) 1/d^2`` (``v = visibility``; the paper has
    ``v = 1``), measured with :func:`alice_measurements` and :func:`bob_measurements`. Computed
    from the shortcut ``<phi|A (x) B|phi> = tr(A B^T)/d`` (the tests compare with the full
    Born rule, :func:`box_from_state`).
    """
    d = _check_d(d)
    v = _check_visibility(visibility)
    A = alice_measurements(d, eps)
    B = bob_measurements(d, eps)
    pure = np.real(np.einsum("xaij,ybij->abxy", A, B)) / d  # tr(A B^T) = sum_ij A_ij B_ij
    trA = np.real(np.einsum("xaii->ax", A))
    trB = np.real(np.einsum("ybii->by", B))
    noise = np.einsum("ax,by->abxy", trA, trB) / d**2
    return v * pure + (1.0 - v) * noise
