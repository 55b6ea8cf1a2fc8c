"""Extremality and self-testing of paper 000's boxes (text before Eq. 3, proof of
Proposition 2): ``P_T`` and ``P_H`` are extreme points of the quantum set, and ``P_T``
self-tests ``|phi_2^+>``.

- Extremality through exposure: if every quantum box that reaches ``CHSH = 2 sqrt 2``
  (respectively Hardy's zeros and ``p(00|00) = (5 sqrt 5 - 11)/2``) is ``P_T`` (``P_H``), the
  box is extreme: in a decomposition ``P = lambda P_1 + (1 - lambda) P_2`` both ``P_i`` reach
  the same maximum (and keep the zeros, which are non-negative entries), so both equal ``P``.
  Numerically (:func:`face_width`): penalised NPA bounds (the NPA set is an outer
  approximation of the quantum set) confine the face to a box whose width goes to zero.
- Self-testing (:func:`chsh_seesaw`, :func:`swap_fidelity`): realisations of maximal CHSH
  found by an optimiser in local dimension ``d``, mapped by the swap isometry, give
  ``|phi_2^+>``; the algebraic reason is the sum-of-squares identity of
  :func:`chsh_sos_residual`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from bellflow import npa

__all__ = [
    "box_coordinates",
    "face_width",
    "decay_exponent",
    "tlm_value",
    "chsh_sos_residual",
    "chsh_seesaw",
    "swap_fidelity",
    "chsh_max_pure_qubits",
]

_S = np.array([1.0, -1.0])


def box_coordinates() -> list[tuple[str, NDArray[np.float64]]]:
    """The 8 coordinates of a 222 no-signalling box as Bell coefficients: marginals
    ``<A_x>``, ``<B_y>`` and correlators ``<A_x B_y>`` (outcome 0 = +1)."""
    out = []
    for x in range(2):
        c = np.zeros((2, 2, 2, 2))
        c[:, :, x, 0] = _S[:, None] * np.ones((2, 2))
        out.append((f"<A{x}>", c))
    for y in range(2):
        c = np.zeros((2, 2, 2, 2))
        c[:, :, 0, y] = _S[None, :] * np.ones((2, 2))
        out.append((f"<B{y}>", c))
    for x in range(2):
        for y in range(2):
            c = np.zeros((2, 2, 2, 2))
            c[:, :, x, y] = np.outer(_S, _S)
            out.append((f"<A{x}B{y}>", c))
    return out


def _upper(res: Any) -> float:
    """The certified bound of an NPA result when it has one, else its primal objective."""
    return float(res.certified) if math.isfinite(res.certified) else float(res.value)


def face_width(
    functional: ArrayLike,
    maximum: float,
    mus: ArrayLike,
    *,
    zeros: Sequence[tuple[NDArray[np.float64], float]] = (),
    level: str | int = "1+AB",
) -> dict[str, Any]:
    """Outer bound on the face ``F = {p in Q : B(p) = maximum}`` (``B`` = ``functional``,
    ``zeros`` imposed) per coordinate ``c`` of :func:`box_coordinates`, from penalised NPA
    bounds without equality constraints on ``B`` (well-conditioned): with
    ``f_s(mu) = max_{p in NPA} (mu B + s c).p`` (``s = +-1``), every ``p`` in ``F`` has
    ``-(f_-(mu) - mu maximum) <= c.p <= f_+(mu) - mu maximum``, since the NPA set contains
    ``Q``. ``width[mu]`` is the largest of the 8 interval lengths, ``mid[mu]`` their midpoints,
    ``results`` the NPA solves.

    If ``F`` is a single point near which ``B`` falls off quadratically, the width decays as
    ``1/mu``; a face of positive extent keeps a width bounded away from 0. The bounds use
    ``OptResult.certified`` when the NPA layer provides it (else the primal objective).
    """
    mu = np.asarray(mus, dtype=float)
    if mu.ndim != 1 or np.any(mu <= 0) or not np.all(np.isfinite(mu)):
        raise ValueError("mus must be a 1-d array of positive finite numbers")
    f = np.asarray(functional, dtype=float)
    coords = box_coordinates()
    width, mids = np.zeros(mu.size), np.empty((mu.size, len(coords)))
    results = []
    for i, m in enumerate(mu):
        for k, (_, c) in enumerate(coords):
            r_hi = npa.npa_upper_bound(m * f + c, level, equalities=list(zeros))
            r_lo = npa.npa_upper_bound(m * f - c, level, equalities=list(zeros))
            results += [r_hi, r_lo]
            hi, lo = _upper(r_hi) - m * maximum, -(_upper(r_lo) - m * maximum)
            mids[i, k] = 0.5 * (hi + lo)
            width[i] = max(width[i], hi - lo)
    return {"width": width, "mid": mids, "results": results}


def decay_exponent(mus: ArrayLike, width: ArrayLike) -> float:
    """Least-squares slope of ``log width`` against ``log mu`` (about -1 when the face is a
    point, about 0 when it is not)."""
    x, y = np.log(np.asarray(mus, float)), np.log(np.asarray(width, float))
    return float(np.polyfit(x, y, 1)[0])


def tlm_value(p: ArrayLike) -> dict[str, float]:
    """Tsirelson-Landau-Masanes quantity of a 222 box: with correlators ``E_xy``,
    ``|asin E_00 + asin E_01 + asin E_10 - asin E_11|`` (``<= pi`` for quantum correlators;
    ``= pi`` with zero marginals and ``|E_xy| < 1``: an extreme point of the quantum set), and
    the largest marginal ``|<A_x>|``, ``|<B_y>|``."""
    arr = np.asarray(p, dtype=float)
    vals = {name: float(np.sum(c * arr)) for name, c in box_coordinates()}
    E = [vals[f"<A{x}B{y}>"] for x in range(2) for y in range(2)]
    t = abs(math.asin(E[0]) + math.asin(E[1]) + math.asin(E[2]) - math.asin(E[3]))
    marg = max(abs(vals[k]) for k in ("<A0>", "<A1>", "<B0>", "<B1>"))
    return {"tlm": t, "max_marginal": marg}


def _random_observable(rng: np.random.Generator, d: int) -> NDArray[np.complex128]:
    g = rng.normal(size=(d, d)) + 1j * rng.normal(size=(d, d))
    return _sign(g + g.conj().T)


def _sign(M: NDArray[Any]) -> NDArray[np.complex128]:
    """``sign`` of a Hermitian matrix (zero eigenvalues -> +1): a +-1 observable."""
    w, V = np.linalg.eigh((M + M.conj().T) / 2)
    return np.asarray((V * np.where(w >= 0, 1.0, -1.0)) @ V.conj().T)


def _bell_operator(A: Sequence[NDArray[Any]], B: Sequence[NDArray[Any]]) -> NDArray[Any]:
    return np.asarray(np.kron(A[0], B[0] + B[1]) + np.kron(A[1], B[0] - B[1]))


def chsh_sos_residual(
    dims: Sequence[int] = (2, 3, 4), *, samples: int = 5, seed: int = 0
) -> float:
    """Largest entry of ``2 sqrt 2 I - W - [(A_0 - (B_0 + B_1)/sqrt 2)^2 +
    (A_1 - (B_0 - B_1)/sqrt 2)^2]/sqrt 2`` (``W`` the CHSH operator, ``A_x``, ``B_y`` random
    +-1 observables of dimension ``d``): the sum-of-squares identity behind the self-test
    (it forces ``A_0 psi = (B_0 + B_1)/sqrt 2 psi`` and ``A_1 psi = (B_0 - B_1)/sqrt 2 psi`` on
    any state reaching ``2 sqrt 2``)."""
    rng = np.random.default_rng(seed)
    worst = 0.0
    for d in dims:
        for _ in range(samples):
            A = [_random_observable(rng, d) for _ in range(2)]
            B = [_random_observable(rng, d) for _ in range(2)]
            IA, IB = np.eye(d), np.eye(d)
            P0 = np.kron(A[0], IB) - np.kron(IA, B[0] + B[1]) / math.sqrt(2)
            P1 = np.kron(A[1], IB) - np.kron(IA, B[0] - B[1]) / math.sqrt(2)
            R = 2 * math.sqrt(2) * np.eye(d * d) - _bell_operator(A, B)
            R -= (P0 @ P0 + P1 @ P1) / math.sqrt(2)
            worst = max(worst, float(np.abs(R).max()))
    return worst


def chsh_seesaw(
    d: int,
    *,
    psi: ArrayLike | None = None,
    restarts: int = 5,
    iters: int = 500,
    seed: int = 0,
) -> dict[str, Any]:
    """Maximise CHSH over +-1 observables (and, if ``psi`` is None, over pure states) of local
    dimension ``d`` by a see-saw of exact steps: the state is the top eigenvector of the CHSH
    operator ``W = A_0 (x) (B_0 + B_1) + A_1 (x) (B_0 - B_1)``; for fixed state and Bob,
    ``A_x = sign(Tr_B[(1 (x) C_x) rho])`` with ``C_0 = B_0 + B_1``, ``C_1 = B_0 - B_1``;
    likewise Bob. Random starts (seeded); returns the best ``value``, ``psi``, ``A``, ``B``."""
    if int(d) != d or d < 2:
        raise ValueError(f"d must be an integer >= 2, got {d!r}")
    d = int(d)
    rng = np.random.default_rng(seed)
    fixed = None if psi is None else np.asarray(psi, dtype=complex).reshape(d, d)
    best: dict[str, Any] = {"value": -np.inf}
    for _ in range(int(restarts)):
        A = [_random_observable(rng, d) for _ in range(2)]
        B = [_random_observable(rng, d) for _ in range(2)]
        old = -np.inf
        for _ in range(int(iters)):
            if fixed is None:
                w, V = np.linalg.eigh(_bell_operator(A, B))
                m = V[:, -1].reshape(d, d)
            else:
                m = fixed
            A = [_sign(m @ C.T @ m.conj().T) for C in (B[0] + B[1], B[0] - B[1])]
            N = [m.T @ a.T @ m.conj() for a in A]
            B = [_sign(N[0] + N[1]), _sign(N[0] - N[1])]
            vec = m.reshape(-1)
            val = float(np.real(vec.conj() @ _bell_operator(A, B) @ vec))
            if val - old < 1e-15:
                break
            old = val
        if val > best["value"]:
            best = {"value": val, "psi": m.reshape(-1), "A": A, "B": B}
    return best


def swap_fidelity(
    psi: ArrayLike, A: Sequence[NDArray[Any]], B: Sequence[NDArray[Any]]
) -> float:
    """Fidelity with ``|phi_2^+>`` of the two qubits extracted from ``psi`` by the swap
    isometry built from the observables: ``Z_A = A_0``, ``X_A = A_1``,
    ``Z_B = sign(B_0 + B_1)``, ``X_B = sign(B_0 - B_1)`` (the Tsirelson realisation's
    ``sz``, ``sx`` on both sides). The isometry is
    ``psi -> sum_ij |ij> (x) K_ij psi`` with ``K_00 = (1 + Z_A)(1 + Z_B)/4``,
    ``K_01 = X_B (1 + Z_A)(1 - Z_B)/4``, ``K_10 = X_A (1 - Z_A)(1 + Z_B)/4``,
    ``K_11 = X_A X_B (1 - Z_A)(1 - Z_B)/4`` (operators on Alice (x) Bob)."""
    dA, dB = A[0].shape[0], B[0].shape[0]
    vec = np.asarray(psi, dtype=complex).reshape(-1)
    if vec.size != dA * dB:
        raise ValueError(f"psi must have {dA * dB} entries, got {vec.size}")
    IA, IB = np.eye(dA), np.eye(dB)
    ZA, XA = A[0], A[1]
    ZB, XB = _sign(B[0] + B[1]), _sign(B[0] - B[1])
    pa = [(IA + ZA) / 2, XA @ (IA - ZA) / 2]
    pb = [(IB + ZB) / 2, XB @ (IB - ZB) / 2]
    out = np.array([np.kron(pa[i], pb[j]) @ vec for i in range(2) for j in range(2)])
    phi = np.array([1.0, 0.0, 0.0, 1.0]) / math.sqrt(2)
    # rho_anc[ij, kl] = <K_kl psi | K_ij psi>; fidelity <phi+| rho_anc |phi+>
    rho = out.conj() @ out.T
    return float(np.real(phi @ rho.T @ phi))


def chsh_max_pure_qubits(s: ArrayLike) -> NDArray[np.float64] | float:
    """Maximal CHSH value of ``sqrt(s)|00> + sqrt(1 - s)|11>`` over projective measurements
    (Horodecki criterion: correlation matrix ``diag(1, C, -C)`` with ``C = 2 sqrt(s(1 - s))``,
    value ``2 sqrt(1 + C^2)``)."""
    arr = np.asarray(s, dtype=float)
    if not np.all(np.isfinite(arr)) or np.any(arr < 0) or np.any(arr > 1):
        raise ValueError(f"s must lie in [0, 1], got {s!r}")
    out = 2 * np.sqrt(1 + 4 * arr * (1 - arr))
    return float(out) if out.ndim == 0 else out
