"""Paper 002: unbounded DIQKD key rates from arbitrarily small nonlocality.

Farkas, PRL 132, 210803 (2024). The d-outcome Bell family of Pereira Alves and Kaniewski,
PRA 106, 032219 (2022) (Eq. 10 of the paper), the perturbed basis ``|e_k> = U_eps |k>``
(Eqs. 16-17), the Bell functional, its quantum and local values, the distance of the family's
correlations to the local set, and the key rates (Eq. 15), with the CHSH protocol of Pironio et
al., NJP 11, 045021 (2009) as the baseline.

Conventions
-----------
- Boxes are arrays ``p[a, b, x, y]`` of shape ``(oA, oB, mA, mB)``.
- For the family: Alice has ``mA = 2`` settings with ``oA = d`` outcomes; Bob has ``mB = d**2``
  settings ``y = j * d + k`` (the paper's pair ``jk``) with ``oB = 3`` outcomes.
- Kets are in the computational basis ``|0>, ..., |d-1>``; two-party operators act on
  ``C^d (x) C^d`` with Alice first (``np.kron(A, B)``).
- ``|phi_d^+> = sum_j |jj> / sqrt(d)``; for it ``<phi| A (x) B |phi> = tr(A B^T) / d``, which is
  why Bob's optimal projectors below are complex conjugates of Alice-side eigenvectors.

Notes
-----
- Paper typo, Eq. (16): with the printed Fourier basis ``sum_j omega^j |chi_j><chi_j|`` is
  ``X^dagger``, not ``X`` (d >= 3). See :func:`generator`.
- ``eps = 1`` gives ``U_1 = X^dagger``, a permutation: O is a permutation matrix and the box is
  local again, so the paper's statements hold for eps in (0, 1) (as its text says), not on the
  closed interval of Eq. (17).
- The violation ``B_d(p_eps) - L`` scales like eps^4 (closed form in :func:`family_violation`,
  exact in floating point down to 1e-16), the l1 distance to the local set like eps.
- NPA (:func:`npa_check`) only confirms the quantum value ``d - 1`` to the solver's accuracy
  (about 1e-6, tolerance recorded); it is never used to resolve the tiny violations.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp

from bellflow.optim import OptResult, solve_lp

__all__ = [
    "shift_operator",
    "fourier_basis",
    "generator",
    "unitary",
    "perturbed_basis",
    "overlap_matrix",
    "sine_matrix",
    "max_entangled_state",
    "alice_measurements",
    "bob_measurements",
    "box_from_state",
    "family_box",
    "bell_coefficients",
    "bell_value",
    "bell_operator",
    "quantum_value",
    "local_bound",
    "family_local_bound",
    "family_violation",
    "npa_check",
    "l1_distance",
    "local_decomposition",
    "DistanceResult",
    "distance_to_local",
    "key_box",
    "shannon_entropy",
    "conditional_entropy",
    "family_key_rate",
    "binary_entropy",
    "pironio_entropy",
    "chsh_box",
    "chsh_key_rate",
    "chsh_qber_threshold",
]


# --------------------------------------------------------------------------------------------
# argument checks
# --------------------------------------------------------------------------------------------
def _check_d(d) -> int:
    if isinstance(d, bool) or not isinstance(d, int | np.integer) or d < 2:
        raise ValueError(f"d must be an integer >= 2, got {d!r}")
    return int(d)


def _check_eps(eps, *, allow_zero: bool = True) -> float:
    eps = float(eps)
    lo_ok = eps >= 0.0 if allow_zero else eps > 0.0
    if not (lo_ok and eps <= 1.0) or not np.isfinite(eps):
        rng = "[0, 1]" if allow_zero else "(0, 1]"
        raise ValueError(f"eps must lie in {rng}, got {eps!r}")
    return eps


def _check_visibility(v) -> float:
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


def unitary(d: int, eps: float) -> np.ndarray:
    """``U_eps = sum_j omega^(eps j) |chi_j><chi_j| = e^(eps G)``, Eq. (17), eps in [0, 1].

    >>> np.allclose(unitary(3, 0.0), np.eye(3))
    True
    """
    d = _check_d(d)
    eps = _check_eps(eps)
    if eps == 0.0:  # exact: the numerical F F^dagger leaves 1e-17 off-diagonal residue
        return np.eye(d, dtype=complex)
    F = fourier_basis(d)
    return F @ np.diag(np.exp(2j * np.pi * eps * np.arange(d) / d)) @ F.conj().T


def perturbed_basis(d: int, eps: float) -> np.ndarray:
    """Alice's second basis ``|e_k> = U_eps |k>`` as the columns of ``U_eps``."""
    return unitary(d, eps)


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


# --------------------------------------------------------------------------------------------
# the Bell functional (Eq. 10), quantum value, local bound
# --------------------------------------------------------------------------------------------
def bell_coefficients(O: np.ndarray) -> np.ndarray:
    """Coefficients ``c[a, b, x, y]`` with ``B_d(p) = sum c * p`` (Eq. 10), shape ``(d,3,2,d^2)``.

    ``B_d = sum_jk s_jk [p(j,0|0,jk) - p(j,1|0,jk) + p(k,1|1,jk) - p(k,0|1,jk)]
    - 1/2 sum_jk s_jk^2 [p_B(0|jk) + p_B(1|jk)]`` with ``s_jk = sqrt(1 - O_jk^2)``. Bob's
    marginal ``p_B(b|jk)`` is written with Alice's setting ``x = 0`` (all settings agree on
    no-signalling boxes).
    """
    O = np.asarray(O, dtype=float)
    if O.ndim != 2 or O.shape[0] != O.shape[1] or O.shape[0] < 2:
        raise ValueError(f"O must be a square d x d matrix with d >= 2, got shape {O.shape}")
    if np.any(O < 0) or np.any(O > 1 + 1e-12):
        raise ValueError("O must have entries in [0, 1]")
    s = np.sqrt(np.clip(1.0 - O**2, 0.0, None))
    return _bell_coefficients_from_s(s)


def _bell_coefficients_from_s(s: np.ndarray) -> np.ndarray:
    d = s.shape[0]
    c = np.zeros((d, 3, 2, d * d))
    for j in range(d):
        for k in range(d):
            y = j * d + k
            c[j, 0, 0, y] += s[j, k]
            c[j, 1, 0, y] -= s[j, k]
            c[k, 1, 1, y] += s[j, k]
            c[k, 0, 1, y] -= s[j, k]
            c[:, 0, 0, y] -= 0.5 * s[j, k] ** 2
            c[:, 1, 0, y] -= 0.5 * s[j, k] ** 2
    return c


def family_coefficients(d: int, eps: float) -> np.ndarray:
    """:func:`bell_coefficients` for the family's overlap matrix (with the stable ``s_jk``)."""
    return _bell_coefficients_from_s(sine_matrix(d, eps))


def bell_value(coeffs: np.ndarray, p: np.ndarray) -> float:
    """``sum_{abxy} coeffs[a,b,x,y] p[a,b,x,y]``."""
    coeffs = np.asarray(coeffs)
    p = np.asarray(p)
    if coeffs.shape != p.shape:
        raise ValueError(f"coeffs shape {coeffs.shape} does not match p shape {p.shape}")
    return float(np.sum(coeffs * p))


def bell_operator(d: int, eps: float) -> np.ndarray:
    """Bell operator ``W = sum c[a,b,x,y] A[x,a] (x) B[y,b]`` of Eq. (10) with the optimal
    measurements; ``<phi_d^+|W|phi_d^+> = B_d(p_eps)`` and its largest eigenvalue is the value
    reached by the best state for these measurements."""
    c = family_coefficients(d, eps)
    A = alice_measurements(d, eps)
    B = bob_measurements(d, eps)
    MA = np.einsum("abxy,xaij->byij", c, A)  # Alice-side operator per Bob (b, y)
    W = np.zeros((d * d, d * d), dtype=complex)
    for y in range(d * d):
        for b in range(3):
            W += np.kron(MA[b, y], B[y, b])
    return (W + W.conj().T) / 2


def quantum_value(d: int) -> float:
    """Maximal quantum value of Eq. (10): ``(1/d) sum_jk (1 - O_jk^2) = d - 1``.

    Each setting contributes ``s_jk^2 / d`` (see :func:`bob_measurements`) and
    ``sum_jk O_jk^2 = d`` because the columns of ``U_eps`` are unit vectors; independent of O.
    """
    return float(_check_d(d) - 1)


def local_bound(coeffs: np.ndarray) -> tuple[float, tuple[int, ...]]:
    """Exact local bound of a Bell functional, Alice's deterministic strategies x Bob's best
    response.

    ``L = max_{(a_x)_x} sum_y max_b sum_x coeffs[a_x, b, x, y]``: for a fixed deterministic
    strategy of Alice, Bob's best local response is chosen per setting, so only Alice's
    ``oA**mA`` strategies are enumerated (never Bob's ``oB**mB``).

    Returns
    -------
    (value, strategy): the bound and one of Alice's optimal strategies ``(a_0, ..., a_{mA-1})``.
    """
    c = np.asarray(coeffs, dtype=float)
    if c.ndim != 4:
        raise ValueError(f"coeffs must have shape (oA, oB, mA, mB), got {c.shape}")
    oA, _, mA, _ = c.shape
    best, arg = -np.inf, ()
    for lam in itertools.product(range(oA), repeat=mA):
        t = sum(c[a, :, x, :] for x, a in enumerate(lam))  # (oB, mB)
        val = float(np.sum(np.max(t, axis=0)))
        if val > best:
            best, arg = val, lam
    return best, arg


def family_local_bound(d: int, eps: float) -> float:
    """Local bound of Eq. (10) for the family, from :func:`local_bound`."""
    return local_bound(family_coefficients(d, eps))[0]


def family_violation(d: int, eps: float) -> float:
    """``B_d(p_eps) - L`` computed without cancellation.

    Closed form: for Alice's strategy ``(a_0, a_1)`` Bob's best response gains
    ``s - s^2/2 = (1 - (1 - s)^2)/2`` on the ``2(d - 1)`` settings where exactly one of
    ``j = a_0``, ``k = a_1`` holds and 0 elsewhere, so with the quantum value ``d - 1``:
    ``B_d(p_eps) - L = min_{a_0, a_1} 1/2 sum_{jk: [j=a_0] xor [k=a_1]} (1 - s_jk)^2``, and
    ``1 - s = O^2 / (1 + s)``. It behaves like eps^4 for small eps (the tests compare with the
    direct difference where that is accurate).
    """
    d = _check_d(d)
    s = sine_matrix(d, eps)
    O2 = overlap_matrix(d, eps) ** 2
    g = 0.5 * (O2 / (1.0 + s)) ** 2
    eye = np.eye(d, dtype=bool)
    best = np.inf
    for a0 in range(d):
        for a1 in range(d):
            mask = eye[a0][:, None] ^ eye[a1][None, :]
            best = min(best, float(np.sum(g[mask])))
    return best


def npa_check(d: int, eps: float, level: str = "1+AB", slack: float = 10.0) -> dict:
    """NPA upper bound on Eq. (10) vs the quantum value ``d - 1`` of the construction.

    Uses :func:`bellflow.npa.npa_upper_bound` (Clarabel, tolerance ladder 1e-9 ... 1e-6: an
    ``optimal_inaccurate`` solve is retried at a looser tolerance and the tolerance finally used
    is recorded, never hidden). The check passes when
    ``|NPA - (d - 1)| <= slack * tol * max(1, d - 1)``: the quantum value is then maximal to the
    solver's accuracy (about 1e-6). This is *not* used to resolve the violation
    ``B_d(p_eps) - L``, which is of order eps^4 and computed exactly by
    :func:`family_violation`.

    Returns a dict with ``npa``, ``npa_dual``, ``quantum``, ``tol``, ``status``, ``passed``.
    """
    from bellflow.npa import npa_upper_bound

    d = _check_d(d)
    res = npa_upper_bound(family_coefficients(d, eps), level=level)
    tol = float(res.tolerances.get("tol_feas", res.tolerances.get("eps", 1e-9)))
    q = quantum_value(d)
    passed = abs(res.value - q) <= slack * tol * max(1.0, q)
    return {
        "npa": float(res.value),
        "npa_dual": float(res.dual),
        "quantum": q,
        "tol": tol,
        "status": res.status,
        "passed": bool(passed),
        "opt": res,
    }


# --------------------------------------------------------------------------------------------
# distance to the local set
# --------------------------------------------------------------------------------------------
def l1_distance(p: np.ndarray, q: np.ndarray) -> float:
    """``||p - q||_1 = sum_{abxy} |p - q|`` (the norm used for every distance here)."""
    p, q = np.asarray(p), np.asarray(q)
    if p.shape != q.shape:
        raise ValueError(f"p shape {p.shape} does not match q shape {q.shape}")
    return float(np.sum(np.abs(p - q)))


def _strategies(oA: int, mA: int) -> list[tuple[int, ...]]:
    return list(itertools.product(range(oA), repeat=mA))


def _local_map(shape: tuple[int, int, int, int]) -> sp.csr_matrix:
    """Sparse map ``m[lam, b, y] -> q[a, b, x, y] = sum_{lam: lam_x = a} m[lam, b, y]``."""
    oA, oB, mA, mB = shape
    lams = _strategies(oA, mA)
    rows, cols = [], []
    for li, lam in enumerate(lams):
        for b in range(oB):
            for y in range(mB):
                col = (li * oB + b) * mB + y
                for x, a in enumerate(lam):
                    rows.append(((a * oB + b) * mA + x) * mB + y)
                    cols.append(col)
    n_q = oA * oB * mA * mB
    return sp.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(n_q, len(lams) * oB * mB))


def local_decomposition(p0: np.ndarray) -> np.ndarray:
    """Weights ``m[lam, b, y]`` of a box whose Alice settings all measure the same observable.

    For ``p0[a, b, x, y]`` independent of ``x`` (e.g. the family at eps = 0), Alice's outcome is
    one variable shared by all her settings: ``m[(a, ..., a), b, y] = p0[a, b, 0, y]``.
    Raises ValueError if ``p0`` depends on ``x``.
    """
    p0 = np.asarray(p0, dtype=float)
    oA, oB, mA, mB = p0.shape
    if not np.allclose(p0, p0[:, :, :1, :], atol=1e-12):
        raise ValueError("p0 must not depend on Alice's setting x")
    lams = _strategies(oA, mA)
    m = np.zeros((len(lams), oB, mB))
    for a in range(oA):
        m[lams.index((a,) * mA)] = p0[a, :, 0, :]
    return m.reshape(-1)


@dataclass
class DistanceResult:
    """l1 distance of a box to the local set, with certified bounds.

    Attributes
    ----------
    value:
        LP optimum (solver value).
    lower:
        ``c.p - L(c)`` for the Bell functional ``c`` (entries in [-1, 1]) read off the LP duals,
        with ``L(c)`` from :func:`local_bound`: a valid lower bound for any such ``c``.
    upper:
        ``||p - q||_1`` for the local box ``q`` built from the LP primal (weights clipped to be
        non-negative and made consistent): a valid upper bound.
    opt:
        The :class:`~bellflow.optim.OptResult` of the LP.
    """

    value: float
    lower: float
    upper: float
    opt: OptResult = field(repr=False)


def distance_to_local(
    p: np.ndarray, *, reference: tuple[np.ndarray, np.ndarray] | None = None
) -> DistanceResult:
    """Exact l1 distance ``min_{q local} ||p - q||_1`` by LP.

    The local set is written as mixtures over Alice's ``oA**mA`` deterministic strategies
    ``lam`` with Bob's behaviour free per strategy:
    ``q[a, b, x, y] = sum_{lam: lam_x = a} m[lam, b, y]``, ``m >= 0``,
    ``sum_b m[lam, b, y]`` independent of ``y``, total weight 1 (this is the local polytope:
    Bob's part of a local model is any behaviour conditioned on Alice's strategy). LP:
    ``min sum t`` with ``t >= +-(p - q)``.

    For tiny distances the LP is solved in shifted, scaled variables around a reference local
    box ``p_ref`` with known weights ``m_ref`` (``reference=(p_ref, m_ref)``, e.g. the family
    at eps = 0 with :func:`local_decomposition`): ``m = m_ref + scale * mu``, with
    ``scale = ||p - p_ref||_1``, so the solver works with O(1) numbers and the certified bounds
    are computed without cancellation.
    """
    p = np.asarray(p, dtype=float)
    if p.ndim != 4:
        raise ValueError(f"p must have shape (oA, oB, mA, mB), got {p.shape}")
    shape = p.shape
    oA, oB, mA, mB = shape
    M = _local_map(shape)
    n_lam = oA**mA
    n_m = M.shape[1]
    n_q = M.shape[0]
    if reference is None:
        p_ref = np.zeros(shape)
        m_ref = np.zeros(n_m)
    else:
        p_ref = np.asarray(reference[0], dtype=float)
        m_ref = np.asarray(reference[1], dtype=float).reshape(-1)
        if p_ref.shape != shape or m_ref.shape != (n_m,):
            raise ValueError("reference must be (p_ref with p's shape, m_ref of length n_m)")
        if np.max(np.abs(M @ m_ref - p_ref.reshape(-1))) > 1e-12:
            raise ValueError("reference weights m_ref do not reproduce p_ref")
    delta = (p - p_ref).reshape(-1)
    scale = float(np.sum(np.abs(delta))) if reference is not None else 1.0
    if scale == 0.0:
        scale = 1.0
    # variables z = [mu (n_m), t (n_q)]; m = m_ref + scale * mu; q - p_ref = scale * M mu
    dn = delta / scale
    I_q = sp.identity(n_q, format="csr")
    A_ub = sp.vstack([sp.hstack([M, -I_q]), sp.hstack([-M, -I_q])], format="csr")
    b_ub = np.concatenate([dn, -dn])
    # consistency: sum_b m[lam, b, y] - sum_b m[lam, b, 0] = 0 (m_ref satisfies it), total = 1
    rows, cols, vals = [], [], []
    r = 0
    for li in range(n_lam):
        for y in range(1, mB):
            for b in range(oB):
                rows += [r, r]
                cols += [(li * oB + b) * mB + y, (li * oB + b) * mB]
                vals += [1.0, -1.0]
            r += 1
    for li in range(n_lam):
        for b in range(oB):
            rows.append(r)
            cols.append((li * oB + b) * mB)
            vals.append(1.0)
    r += 1
    A_eq = sp.csr_matrix((vals, (rows, cols)), shape=(r, n_m + n_q))
    b_eq = np.zeros(r)
    b_eq[-1] = (1.0 - float(np.sum(m_ref.reshape(n_lam, oB, mB)[:, :, 0]))) / scale
    bounds = [(-mr / scale, None) for mr in m_ref] + [(0.0, None)] * n_q
    c = np.concatenate([np.zeros(n_m), np.ones(n_q)])
    res = solve_lp(
        c,
        A_ub=A_ub,
        b_ub=b_ub,
        A_eq=A_eq,
        b_eq=b_eq,
        bounds=bounds,
        name="l1 distance to the local set",
        params={"shape": list(shape), "scale": scale},
    )
    value = res.value * scale
    # certified upper bound from the primal weights
    mu = res.extra["x"][:n_m]
    m = (m_ref + scale * mu).reshape(n_lam, oB, mB)
    m = np.clip(m, 0.0, None)
    w = m.sum(axis=1)  # (n_lam, mB)
    wbar = w.mean(axis=1, keepdims=True)
    ratio = np.divide(wbar, w, out=np.ones_like(w), where=w > 0)
    m = m * ratio[:, None, :]
    for li, y in zip(*np.nonzero((w == 0) & (wbar > 0)), strict=True):
        m[li, :, y] = wbar[li, 0] / oB
    m = m / m[:, :, 0].sum()
    dm = m.reshape(-1) - m_ref
    upper = float(np.sum(np.abs(delta - M @ dm)))
    # certified lower bound from the duals (a Bell functional with |c| <= 1)
    u = res.extra["marginals_ub"]
    cvec = np.clip(u[n_q:] - u[:n_q], -1.0, 1.0)
    lower = -np.inf
    p_ref_flat = p_ref.reshape(-1)
    for sgn in (1.0, -1.0):
        cc = sgn * cvec
        Lc = local_bound(cc.reshape(shape))[0]
        # c.p - L(c) = c.delta + (c.p_ref - L(c)); the bracket is <= 0 when p_ref is local
        lower = max(lower, float(cc @ delta) + (float(cc @ p_ref_flat) - Lc))
    return DistanceResult(value=value, lower=lower, upper=upper, opt=res)


# --------------------------------------------------------------------------------------------
# key rates
# --------------------------------------------------------------------------------------------
def key_box(d: int, eps: float = 0.5, visibility: float = 1.0) -> np.ndarray:
    """Joint distribution ``p(a, b)`` of Alice's key setting ``x = 0`` and Bob's extra key
    setting ``|b><b|`` (below Eq. 14), shape ``(d, d)``, from the Born rule.

    Alice's key measurement does not depend on eps; the argument is checked and kept for
    symmetry with :func:`family_box`.
    """
    d = _check_d(d)
    v = _check_visibility(visibility)
    A = alice_measurements(d, eps)[:1]
    Bk = np.zeros((1, d, d, d))
    for b in range(d):
        Bk[0, b, b, b] = 1.0
    phi = max_entangled_state(d)
    rho = v * np.outer(phi, phi) + (1 - v) * np.eye(d * d) / d**2
    return box_from_state(rho, A, Bk)[:, :, 0, 0]


def shannon_entropy(p: np.ndarray) -> float:
    """``H(p) = -sum p log2 p`` in bits (zeros contribute 0)."""
    p = np.asarray(p, dtype=float).reshape(-1)
    if np.any(p < -1e-12) or abs(p.sum() - 1) > 1e-9:
        raise ValueError("p must be a probability distribution")
    p = p[p > 0]
    return float(-np.sum(p * np.log2(p)))


def conditional_entropy(pab: np.ndarray) -> float:
    """``H(A|B) = H(AB) - H(B)`` for a joint distribution ``pab[a, b]`` (bits)."""
    pab = np.asarray(pab, dtype=float)
    return shannon_entropy(pab) - shannon_entropy(pab.sum(axis=0))


def family_key_rate(d: int, eps: float) -> dict[str, float]:
    """Devetak-Winter rate of Eq. (15) for the family, from the box.

    ``H(A|E) = H(A)`` (Eqs. 8, 14: the maximal violation certifies Eq. 5 for ``x = 0``),
    ``H(A)`` from Alice's marginal of the key setting, ``H(A|B)`` from :func:`key_box`;
    ``r = H(A) - H(A|B)`` (= log2 d). Valid for eps in (0, 1) only, where all ``O_jk > 0``:
    at eps = 0 and eps = 1 (``U_1 = X^dagger`` permutes the basis) the box is local and no key
    is certified, so those values raise ValueError.
    """
    d = _check_d(d)
    eps = _check_eps(eps, allow_zero=False)
    if eps >= 1.0:
        raise ValueError("eps must lie in (0, 1) for a key rate: at eps = 1 the box is local")
    pab = key_box(d, eps)
    p = family_box(d, eps)
    HA = shannon_entropy(p[:, :, 0, 0].sum(axis=1))
    HAB = conditional_entropy(pab)
    return {"H_A": HA, "H_A_given_B": HAB, "rate": HA - HAB}


def binary_entropy(q) -> np.ndarray | float:
    """``h(q) = -q log2 q - (1 - q) log2 (1 - q)``, with ``h(0) = h(1) = 0``."""
    q = np.asarray(q, dtype=float)
    if np.any((q < 0) | (q > 1)):
        raise ValueError("q must lie in [0, 1]")
    with np.errstate(divide="ignore", invalid="ignore"):
        h = -q * np.log2(q) - (1 - q) * np.log2(1 - q)
    h = np.where((q == 0) | (q == 1), 0.0, h)
    return float(h) if h.ndim == 0 else h


def pironio_entropy(S) -> np.ndarray | float:
    """Pironio et al. (2009) bound ``H(A|E) >= 1 - h((1 + sqrt((S/2)^2 - 1)) / 2)`` (0 for
    ``S <= 2``), ``S`` the CHSH value in ``[2, 2 sqrt 2]``."""
    S = np.asarray(S, dtype=float)
    if np.any(S > 2 * np.sqrt(2) + 1e-12) or np.any(S < 0):
        raise ValueError("S must lie in [0, 2 sqrt 2]")
    x = np.sqrt(np.clip((S / 2) ** 2 - 1, 0.0, 1.0))
    return 1.0 - binary_entropy(np.clip((1 + x) / 2, 0.0, 1.0))


def chsh_box(visibility: float = 1.0) -> np.ndarray:
    """CHSH box of the depolarised ``|phi_2^+>`` with Bob's extra key setting.

    Alice: ``A_0 = Z``, ``A_1 = X``; Bob: ``B_0 = (Z + X)/sqrt 2``, ``B_1 = (Z - X)/sqrt 2``,
    ``B_2 = Z`` (key). Shape ``(2, 2, 2, 3)``; CHSH uses ``y = 0, 1``:
    ``S = 2 sqrt 2 v`` and the QBER of ``(x, y) = (0, 2)`` is ``Q = (1 - v)/2``.
    """
    v = _check_visibility(visibility)
    Z = np.diag([1.0, -1.0])
    X = np.array([[0.0, 1.0], [1.0, 0.0]])

    def proj(obs):
        return np.array([(np.eye(2) + obs) / 2, (np.eye(2) - obs) / 2])

    A = np.array([proj(Z), proj(X)])
    B = np.array([proj((Z + X) / np.sqrt(2)), proj((Z - X) / np.sqrt(2)), proj(Z)])
    phi = max_entangled_state(2)
    rho = v * np.outer(phi, phi) + (1 - v) * np.eye(4) / 4
    return box_from_state(rho, A, B)


def chsh_key_rate(Q) -> np.ndarray | float:
    """Pironio et al. (2009) rate ``r = 1 - h((1 + sqrt((S/2)^2 - 1))/2) - h(Q)`` on the
    depolarised maximally entangled state, ``S = 2 sqrt 2 (1 - 2 Q)``, ``Q`` in [0, 1/2]."""
    Q = np.asarray(Q, dtype=float)
    if np.any((Q < 0) | (Q > 0.5)):
        raise ValueError("Q must lie in [0, 1/2]")
    S = 2 * np.sqrt(2) * (1 - 2 * Q)
    r = pironio_entropy(S) - binary_entropy(Q)
    return float(r) if np.ndim(r) == 0 else r


def chsh_qber_threshold(xtol: float = 1e-14) -> float:
    """QBER where :func:`chsh_key_rate` crosses zero (Brent's method on ``[0, Q_max]``,
    ``Q_max = (1 - 1/sqrt 2)/2`` where S = 2)."""
    from scipy.optimize import brentq

    qmax = (1 - 1 / np.sqrt(2)) / 2
    return float(brentq(lambda q: chsh_key_rate(q), 1e-6, qmax - 1e-12, xtol=xtol))


# --------------------------------------------------------------------------------------------
# scans used by the workflow (one call per job)
# --------------------------------------------------------------------------------------------
def family_scan(d: int, eps_grid) -> dict[str, np.ndarray]:
    """Every per-(d, eps) quantity of the paper over an eps grid (eps in (0, 1]).

    Returns arrays over eps: ``bell_value`` (B_d of the box), ``bell_operator_max``
    (largest eigenvalue), ``local_bound``, ``violation`` (closed form),
    ``violation_direct`` (difference), ``min_overlap``, ``l1_to_p0``, ``distance``
    (LP), ``distance_lower``, ``distance_upper`` (certified), ``key_H_A``,
    ``key_H_A_given_B``, ``key_rate`` (NaN at eps = 1, where the box is local).
    """
    d = _check_d(d)
    eps_grid = np.asarray(eps_grid, dtype=float)
    p0 = family_box(d, 0.0)
    ref = (p0, local_decomposition(p0))
    keys = [
        "bell_value",
        "bell_operator_max",
        "local_bound",
        "violation",
        "violation_direct",
        "min_overlap",
        "l1_to_p0",
        "distance",
        "distance_lower",
        "distance_upper",
        "key_H_A",
        "key_H_A_given_B",
        "key_rate",
    ]
    out = {k: np.zeros(len(eps_grid)) for k in keys}
    for i, eps in enumerate(eps_grid):
        eps = _check_eps(eps, allow_zero=False)
        p = family_box(d, eps)
        c = family_coefficients(d, eps)
        out["bell_value"][i] = bell_value(c, p)
        out["bell_operator_max"][i] = np.linalg.eigvalsh(bell_operator(d, eps))[-1]
        out["local_bound"][i] = local_bound(c)[0]
        out["violation"][i] = family_violation(d, eps)
        out["violation_direct"][i] = out["bell_value"][i] - out["local_bound"][i]
        out["min_overlap"][i] = overlap_matrix(d, eps).min()
        out["l1_to_p0"][i] = l1_distance(p, p0)
        r = distance_to_local(p, reference=ref)
        out["distance"][i], out["distance_lower"][i], out["distance_upper"][i] = (
            r.value,
            r.lower,
            r.upper,
        )
        if eps < 1.0:
            k = family_key_rate(d, eps)
            out["key_H_A"][i], out["key_H_A_given_B"][i], out["key_rate"][i] = (
                k["H_A"],
                k["H_A_given_B"],
                k["rate"],
            )
        else:  # eps = 1: local box, no key certified
            out["key_H_A"][i] = out["key_H_A_given_B"][i] = out["key_rate"][i] = np.nan
    return out


def chsh_baseline(visibilities) -> dict[str, np.ndarray]:
    """The CHSH protocol on the depolarised ``|phi_2^+>`` over visibilities ``v``.

    Arrays over ``v``: ``S`` (from the box), ``qber`` (from the box), ``rate`` (Pironio
    et al. 2009), ``distance`` / ``distance_lower`` / ``distance_upper`` (l1 distance of the
    2x2 CHSH box to the local set, the same norm as for the family).
    """
    v = np.asarray(visibilities, dtype=float)
    keys = ["S", "qber", "rate", "distance", "distance_lower", "distance_upper"]
    out = {k: np.zeros(len(v)) for k in keys}
    sign = np.array([[1.0, -1.0], [-1.0, 1.0]])
    for i, vi in enumerate(v):
        p = chsh_box(vi)
        E = np.einsum("ab,abxy->xy", sign, p)
        out["S"][i] = E[0, 0] + E[0, 1] + E[1, 0] - E[1, 1]
        out["qber"][i] = p[0, 1, 0, 2] + p[1, 0, 0, 2]
        out["rate"][i] = chsh_key_rate(min(max(out["qber"][i], 0.0), 0.5))
        r = distance_to_local(p[:, :, :, :2])
        out["distance"][i], out["distance_lower"][i], out["distance_upper"][i] = (
            r.value,
            r.lower,
            r.upper,
        )
    return out


def bff_rates(
    visibilities, *, d: int, eps: float, m: int, m_chsh: int | None = None
) -> dict[str, np.ndarray]:
    """BFF key rates vs visibility for the family member (d, eps) and for CHSH.

    Family: ``H(A|E)`` for Alice's key setting from :func:`bellflow.entropy.bff_entropy` with
    the full box of :func:`family_box` imposed (relaxation ``level="local"``, no extra
    monomials, to keep Bob's ``d^2`` three-outcome settings tractable), minus ``H(A|B)`` of
    :func:`key_box`. CHSH: full 2x2 box of :func:`chsh_box` imposed (level 2 + ``ABZ``),
    minus the binary entropy of the QBER. Only ``d = 2`` is tractable in the time budget.
    Values are certified lower bounds (see :mod:`bellflow.entropy`); the raw solver values
    are returned alongside for comparison (``*_solver``), never as bounds.
    """
    from bellflow.entropy import bff_entropy

    d = _check_d(d)
    eps = _check_eps(eps, allow_zero=False)
    v = np.asarray(visibilities, dtype=float)
    keys = [
        "family_H_AE",
        "family_H_AE_solver",
        "family_H_AB",
        "family_rate",
        "chsh_H_AE",
        "chsh_H_AE_solver",
        "chsh_H_AB",
        "chsh_rate",
        "chsh_pironio_rate",
    ]
    out = {k: np.zeros(len(v)) for k in keys}
    statuses = []
    for i, vi in enumerate(v):
        p = family_box(d, eps, vi)
        r = bff_entropy(m, p=p, level="local", extra="")
        out["family_H_AE"][i], out["family_H_AE_solver"][i] = r.value, r.solver_value
        out["family_H_AB"][i] = conditional_entropy(key_box(d, eps, vi))
        out["family_rate"][i] = r.value - out["family_H_AB"][i]
        pc = chsh_box(vi)
        rc = bff_entropy(m_chsh or m, p=pc[:, :, :, :2])
        out["chsh_H_AE"][i], out["chsh_H_AE_solver"][i] = rc.value, rc.solver_value
        out["chsh_H_AB"][i] = conditional_entropy(pc[:, :, 0, 2])
        out["chsh_rate"][i] = rc.value - out["chsh_H_AB"][i]
        out["chsh_pironio_rate"][i] = chsh_key_rate((1 - vi) / 2)
        statuses += r.statuses + rc.statuses
    out["statuses"] = np.array(statuses)
    return out
