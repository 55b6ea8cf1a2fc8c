"""Paper 000: multicopy interconvertibility of quantum nonlocal correlations.

Ghosh, Roy Chowdhury, Kar, Roy, Guha, Banik, "Quantum nonlocality: multicopy resource
interconvertibility and their asymptotic inequivalence", PRL 132, 250205 (2024).

Quantities (all in the 222 scenario, boxes ``p[a, b, x, y]`` as in :mod:`bellflow.boxes`,
outcome ``0`` = eigenvalue ``+1``, two-qubit kets in ``kron`` order ``|A B>``):

- the Tsirelson box ``P_T`` (Eq. 3a) and the Hardy box ``P_H`` (Eq. 3b) from their quantum
  realisations, with the corrected Hardy state parameter (:func:`hardy_state_parameter`);
- Hardy's success probability: NPA bound, closed form on two-qubit states of Schmidt
  coefficient ``s`` and a measurement optimisation (Proposition 1);
- the spectrum argument of Proposition 2 (Eq. 7);
- isotropic thresholds by bisection (text above Theorem 3);
- the Corollary 1 / Theorem 3 geometry and the Fig. 1 slice.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from bellflow import boxes as bx
from bellflow import npa
from bellflow.optim import OptResult, solve_lp

__all__ = [
    "pauli",
    "tsirelson_realisation",
    "tsirelson_box",
    "hardy_success_of_parameter",
    "hardy_state_parameter",
    "hardy_realisation",
    "hardy_box",
    "hardy_box_chsh_aligned",
    "hardy_objective",
    "hardy_zero_conditions",
    "hardy_conditions",
    "hardy_success_npa",
    "hardy_success_schmidt",
    "hardy_success_schmidt_numeric",
    "hardy_seesaw",
    "schmidt_state",
    "phi_plus",
    "schmidt_coefficients",
    "power_spectrum",
    "power_spectrum_dense",
    "evenly_degenerate",
    "BisectionResult",
    "isotropic_threshold",
    "isotropic_nondistillable_range",
    "segment_isotropic_crossing",
    "Fig1Slice",
    "fig1_slice",
    "slice_basis",
    "slice_coordinates",
    "ns_radius",
]

_I2 = np.eye(2)


def pauli() -> dict[str, np.ndarray]:
    """Pauli matrices ``{"x", "y", "z"}``."""
    return {
        "x": np.array([[0.0, 1.0], [1.0, 0.0]]),
        "y": np.array([[0.0, -1j], [1j, 0.0]]),
        "z": np.array([[1.0, 0.0], [0.0, -1.0]]),
    }


def _dichotomic(obs: np.ndarray) -> list[np.ndarray]:
    """Projectors ``[(1 + O)/2, (1 - O)/2]`` of a +-1 observable (outcome 0 = +1)."""
    d = obs.shape[0]
    return [(np.eye(d) + obs) / 2, (np.eye(d) - obs) / 2]


def tsirelson_realisation() -> tuple[np.ndarray, list, list]:
    """Eq. (3a): ``|phi_2^+>``, ``X_0 = sz``, ``X_1 = sx``, ``Y_j = (sz + (-1)^j sx)/sqrt 2``.

    Returns ``(psi, A, B)`` with ``A[x][a]``, ``B[y][b]`` projectors.
    """
    s = pauli()
    psi = np.array([1.0, 0.0, 0.0, 1.0]) / math.sqrt(2)
    A = [_dichotomic(s["z"]), _dichotomic(s["x"])]
    B = [_dichotomic((s["z"] + (-1) ** j * s["x"]) / math.sqrt(2)) for j in (0, 1)]
    return psi, A, B


def tsirelson_box() -> np.ndarray:
    """``P_T`` of Eq. (3a): CHSH value ``2 sqrt 2``; equals ``PR_{1/sqrt 2}``.

    Examples
    --------
    >>> round(bx.bell_value(bx.chsh_coefficients(), tsirelson_box()), 12)
    2.828427124746
    """
    return bx.box_from_quantum(*tsirelson_realisation())


def hardy_success_of_parameter(a) -> np.ndarray | float:
    """Hardy success of the Eq. (3b) realisation as a function of the state parameter ``a``.

    With ``|psi_H> = a(|01> + |10>) + c|11>``, ``c = sqrt(1 - 2a^2)`` and the Eq. (3b)
    measurements, the success event is ``K_1 = +1`` on both sides (see :func:`hardy_box`):
    ``q(a) = |<alpha alpha|psi_H>|^2 = a^4 (1 - 2a^2) / (1 - a^2)^2``, ``0 <= a <= 1/sqrt 2``.
    """
    a = np.asarray(a, dtype=float)
    if np.any(a < 0) or np.any(a > 1 / math.sqrt(2) + 1e-15):
        raise ValueError(f"a must lie in [0, 1/sqrt 2], got {a}")
    u = a * a
    out = u * u * (1 - 2 * u) / (1 - u) ** 2
    return float(out) if out.ndim == 0 else out


def hardy_state_parameter() -> float:
    """Optimal state parameter ``a`` of Eq. (3b): ``a = sqrt((3 - sqrt 5)/2) = (sqrt 5 - 1)/2``.

    Maximising ``q(a) = u^2 (1 - 2u)/(1 - u)^2`` over ``u = a^2``: ``dq/du = 0`` gives
    ``u^2 - 3u + 1 = 0``, i.e. ``u = (3 - sqrt 5)/2``, and then ``q = (5 sqrt 5 - 11)/2``.

    Paper typo: Eq. (3b) prints ``a := ((5 - sqrt 3)/2)^{1/2}``, which is about 1.278 > 1 (not a
    valid amplitude: ``1 - 2a^2 < 0``). The value that reaches the maximal Hardy success is
    ``((3 - sqrt 5)/2)^{1/2}`` (digits 3 and 5 swapped, and sqrt on the other number).

    Examples
    --------
    >>> round(hardy_state_parameter(), 12)
    0.61803398875
    >>> round(hardy_success_of_parameter(hardy_state_parameter()), 12)   # (5 sqrt 5 - 11)/2
    0.090169943749
    """
    return math.sqrt((3 - math.sqrt(5)) / 2)


def hardy_realisation(a: float | None = None) -> tuple[np.ndarray, list, list]:
    """Eq. (3b): ``|psi_H> = a(|01> + |10>) + sqrt(1 - 2a^2)|11>``, ``K_0 = sz``,
    ``K_1 = |alpha><alpha| - |alpha_perp><alpha_perp|`` with
    ``|alpha> = (sqrt(1 - 2a^2)|0> - a|1>)/sqrt(1 - a^2)``, for ``K in {X, Y}``.

    ``a`` defaults to :func:`hardy_state_parameter` (the printed value is a typo).
    Returns ``(psi, A, B)`` with the same measurements on both sides, ``A[x][a]`` projectors
    with outcome 0 = eigenvalue +1.
    """
    a = hardy_state_parameter() if a is None else float(a)
    if not 0 < a < 1 / math.sqrt(2):
        raise ValueError(f"a must lie in (0, 1/sqrt 2), got {a!r}")
    c = math.sqrt(1 - 2 * a * a)
    psi = np.array([0.0, a, a, c])
    n = math.sqrt(1 - a * a)
    alpha = np.array([c, -a]) / n
    alpha_perp = np.array([a, c]) / n
    K1 = np.outer(alpha, alpha) - np.outer(alpha_perp, alpha_perp)
    M = [_dichotomic(pauli()["z"]), _dichotomic(K1)]
    return psi, M, [m.copy() for m in M]


def hardy_box(a: float | None = None) -> np.ndarray:
    """``P_H`` of Eq. (3b), written in the form of Hardy's argument (text before Eq. 4):
    ``p(00|00) = q > 0``, ``p(00|01) = p(00|10) = p(11|11) = 0``.

    With outcome 0 = eigenvalue +1, the literal Eq. (3b) realisation gives Hardy's conditions
    with the roles of ``K_0`` and ``K_1`` exchanged and the outcomes of ``K_0 = sz`` exchanged
    (its zeros are ``p(00|K_0K_0) = |<00|psi_H>|^2 = 0``,
    ``p(+1, |1>|K_1 K_0) = p(|1>, +1|K_0 K_1) = 0``, success ``p(++|K_1K_1)``). We apply this
    local relabelling (inputs swapped on both sides, then the outcomes of the new input 1
    exchanged), a free reversible operation, so that the box satisfies Hardy's conditions
    exactly as the paper writes them.
    """
    p = bx.box_from_quantum(*hardy_realisation(a))
    return bx.relabel(p, swap_x=True, swap_y=True, flip_a=(1,), flip_b=(1,))


def hardy_box_chsh_aligned(a: float | None = None) -> np.ndarray:
    """``P_H`` relabelled (free, reversible) so that it violates the standard CHSH
    ``<A0B0> + <A0B1> + <A1B0> - <A1B1> <= 2`` (the facet on which ``PR_{1/2}`` lies).

    The Hardy-form box of :func:`hardy_box` violates the CHSH variant of the PR vertex
    ``a + b = xy + x + y``; with ``x -> x + 1``, ``y -> y + 1``, ``a -> a + 1`` this becomes
    ``a + b = xy``. This is the orientation used for the Fig. 1 slice and Corollary 1.
    """
    return bx.relabel(hardy_box(a), swap_x=True, swap_y=True, flip_a=(0, 1))


def hardy_objective() -> np.ndarray:
    """Coefficients of Hardy's success probability ``p(00|00)``."""
    c = np.zeros((2, 2, 2, 2))
    c[0, 0, 0, 0] = 1.0
    return c


def hardy_zero_conditions() -> list[tuple[np.ndarray, float]]:
    """Hardy's zeros ``p(00|01) = p(00|10) = p(11|11) = 0`` as ``(coeffs, 0)`` pairs."""
    out = []
    for idx in [(0, 0, 0, 1), (0, 0, 1, 0), (1, 1, 1, 1)]:
        c = np.zeros((2, 2, 2, 2))
        c[idx] = 1.0
        out.append((c, 0.0))
    return out


def hardy_conditions(p) -> dict[str, float]:
    """Success ``q = p(00|00)`` and the three zero-condition probabilities of a box."""
    p = np.asarray(p, dtype=float)
    return {
        "success": float(p[0, 0, 0, 0]),
        "p00_01": float(p[0, 0, 0, 1]),
        "p00_10": float(p[0, 0, 1, 0]),
        "p11_11": float(p[1, 1, 1, 1]),
    }


def hardy_success_npa(level="1+AB", **kwargs) -> OptResult:
    """NPA upper bound on Hardy's success ``max p(00|00)`` subject to Hardy's zeros.

    Level ``1+AB`` already gives ``(5 sqrt 5 - 11)/2`` (the quantum maximum, reached by
    ``P_H``); level 1 is far looser. The zeros are imposed by facial reduction
    (see :func:`bellflow.npa.npa_upper_bound`).
    """
    return npa.npa_upper_bound(
        hardy_objective(), level, equalities=hardy_zero_conditions(), **kwargs
    )


def hardy_success_schmidt(s) -> np.ndarray | float:
    """Maximal Hardy success on two-qubit pure states of Schmidt coefficients ``sqrt s``,
    ``sqrt(1 - s)``, over projective measurements (Proposition 1 and the remark after it).

    ``q_max(s) = k^2 (1 - 2k) / (1 - k)^2`` with ``k = sqrt(s (1 - s))``.

    Derivation: the two measurements entering the zero ``p(11|11) = 0`` define a product basis
    in which the state has no component on the corresponding product vector, so (local phases
    removed) ``|psi> = alpha|01> + beta|10> + gamma|11>`` with ``alpha, beta, gamma >= 0``. The
    other two zeros then fix the remaining measurement vectors, and the success is
    ``alpha^2 beta^2 gamma^2 / ((alpha^2 + gamma^2)(beta^2 + gamma^2))`` (for ``alpha = beta = a``
    this is :func:`hardy_success_of_parameter`). The coefficient matrix has determinant
    ``-alpha beta``, so ``alpha beta = k``, and the denominator is ``gamma^2 + k^2``; the success
    grows with ``gamma^2 <= 1 - 2k`` (from ``alpha^2 + beta^2 >= 2 alpha beta``). It vanishes at
    ``s = 1/2`` (``|phi^+>``, Proposition 1 for n = 1) and at product states.

    Examples
    --------
    >>> hardy_success_schmidt(0.5)
    0.0
    """
    s = np.asarray(s, dtype=float)
    if np.any(s < 0) or np.any(s > 1):
        raise ValueError(f"s must lie in [0, 1], got {s}")
    k = np.sqrt(s * (1 - s))
    out = k * k * (1 - 2 * k) / (1 - k) ** 2
    return float(out) if out.ndim == 0 else out


def schmidt_state(s: float) -> np.ndarray:
    """``sqrt(s)|00> + sqrt(1 - s)|11>``."""
    if not 0 <= s <= 1:
        raise ValueError(f"s must lie in [0, 1], got {s!r}")
    return np.array([math.sqrt(s), 0.0, 0.0, math.sqrt(1 - s)])


def phi_plus(d: int) -> np.ndarray:
    """``|phi_d^+> = sum_i |ii>/sqrt d`` (``|phi_2^+>^{(x)n} = |phi_{2^n}^+>`` up to the
    reordering of the tensor factors, which is a local relabelling)."""
    if int(d) != d or d < 2:
        raise ValueError(f"d must be an integer >= 2, got {d!r}")
    return np.eye(int(d)).reshape(-1) / math.sqrt(d)


def _qubit(theta: float, phi: float) -> np.ndarray:
    return np.array([math.cos(theta / 2), np.exp(1j * phi) * math.sin(theta / 2)])


def hardy_success_schmidt_numeric(s: float, *, starts: int = 24, seed: int = 0) -> dict[str, float]:
    """Maximal Hardy success on ``sqrt(s)|00> + sqrt(1-s)|11>`` by direct optimisation over
    rank-one projective qubit measurements (an independent route to
    :func:`hardy_success_schmidt`).

    Outcome-0 projectors ``|a_x><a_x|``, ``|b_y><b_y|`` with Bloch angles (8 real parameters);
    maximise ``|<a_0 b_0|psi>|`` (the square root of the success, better scaled near
    ``s = 1/2`` where the success is tiny) subject to the amplitudes ``<a_0 b_1|psi>``,
    ``<a_1 b_0|psi>`` and ``<a_1^perp b_1^perp|psi>`` being zero (six real equalities), by
    SLSQP from ``starts`` random starting points (seeded). Returns the best success and the
    largest violation of the zero conditions at that point. (Rank-0 or rank-2 projectors give
    success 0 or cannot satisfy the zeros with positive success, so rank one is no loss.)
    """
    from scipy.optimize import minimize

    psi = schmidt_state(s).astype(complex)
    rng = np.random.default_rng(seed)

    def vecs(t):
        a0, a1, b0, b1 = (_qubit(t[2 * i], t[2 * i + 1]) for i in range(4))
        return a0, a1, b0, b1

    def perp(v):
        return np.array([-np.conj(v[1]), np.conj(v[0])])

    def amp(u, v):
        return np.vdot(np.kron(u, v), psi)

    def zeros(t):
        a0, a1, b0, b1 = vecs(t)
        z = [amp(a0, b1), amp(a1, b0), amp(perp(a1), perp(b1))]
        return np.array([f(v) for v in z for f in (np.real, np.imag)])

    def neg_success(t):
        a0, _, b0, _ = vecs(t)
        return -abs(amp(a0, b0))  # the amplitude: better scaled than its square near s = 1/2

    best = {"success": 0.0, "violation": 0.0}
    for _ in range(starts):
        t0 = rng.uniform(0, 2 * np.pi, size=8)
        res = minimize(
            neg_success,
            t0,
            method="SLSQP",
            constraints=[{"type": "eq", "fun": zeros}],
            options={"ftol": 1e-14, "maxiter": 500},
        )
        viol = float(np.abs(zeros(res.x)).max())
        if viol < 1e-8 and res.fun**2 > best["success"]:
            best = {"success": float(res.fun**2), "violation": viol}
    return best


def hardy_seesaw(
    psi,
    dims: tuple[int, int],
    *,
    penalty: float = 10.0,
    restarts: int = 20,
    iters: int = 300,
    seed: int = 0,
) -> dict[str, float]:
    """Penalised Hardy optimisation over projective measurements on a pure state (see-saw).

    Maximises ``J = p(00|00) - mu [p(00|01) + p(00|10) + p(11|11)]`` over dichotomic projective
    measurements of any rank on both sides (Proposition 1). For fixed Alice projectors
    ``P_x`` (outcome 0), ``J`` is linear in Bob's outcome-0 projectors ``Q_y`` with
    coefficients ``R(P_0) - mu R(P_1)`` (for ``Q_0``) and ``mu R(1 - P_1) - mu R(P_0)``
    (for ``Q_1``), ``R(X) = Tr_A[(X (x) 1)|psi><psi|]``; the optimal ``Q_y`` is the projector
    onto the positive eigenspace of its coefficient (optimal over all POVMs too), and
    likewise for Alice. Alternating these exact steps never decreases ``J``; ``restarts``
    random complex starting projectors (seeded).

    ``J(mu)`` is at least the Hardy success of any Hardy-satisfying measurement choice, so
    ``J = 0`` certifies (up to the local-optimisation caveat of a see-saw) that no measurement
    gives Hardy's nonlocality, while a Hardy-capable state gives ``J >= q > 0``.

    Returns ``J``, ``success`` and ``zeros`` (sum of the three zero-condition probabilities) at
    the best point.
    """
    dA, dB = (int(d) for d in dims)
    psi = np.asarray(psi, dtype=complex).reshape(dA, dB)
    if penalty <= 0:
        raise ValueError(f"penalty must be > 0, got {penalty!r}")
    rng = np.random.default_rng(seed)
    mu = float(penalty)

    def R(X):  # Tr_A[(X (x) 1) |psi><psi|] as a dB x dB matrix
        return psi.T @ X.T @ psi.conj()

    def S(Y):  # Tr_B[(1 (x) Y) |psi><psi|]
        return psi @ Y.T @ psi.conj().T

    def pos(M):
        M = (M + M.conj().T) / 2
        w, V = np.linalg.eigh(M)
        V = V[:, w > 1e-14 * max(1.0, np.abs(w).max())]
        return V @ V.conj().T

    def prob(X, Y):
        return float(np.real(np.trace(Y @ R(X))))

    IA, IB = np.eye(dA), np.eye(dB)
    best = {"J": -np.inf, "success": 0.0, "zeros": 0.0}
    for _ in range(restarts):
        G = rng.normal(size=(2, dA, dA)) + 1j * rng.normal(size=(2, dA, dA))
        P = [pos(g + g.conj().T) for g in G]
        J_old = -np.inf
        for _ in range(iters):
            Q0 = pos(R(P[0]) - mu * R(P[1]))
            Q1 = pos(mu * R(IA - P[1]) - mu * R(P[0]))
            P = [pos(S(Q0) - mu * S(Q1)), pos(mu * S(IB - Q1) - mu * S(Q0))]
            q = prob(P[0], Q0)
            z = prob(P[0], Q1) + prob(P[1], Q0) + prob(IA - P[1], IB - Q1)
            J = q - mu * z
            if J - J_old < 1e-14:
                break
            J_old = J
        if J > best["J"]:
            best = {"J": J, "success": q, "zeros": z}
    return best


def schmidt_coefficients(psi, dims: tuple[int, int]) -> np.ndarray:
    """Squared Schmidt coefficients (eigenvalues of the reduced state), descending."""
    m = np.asarray(psi).reshape(*dims)
    return np.linalg.svd(m, compute_uv=False) ** 2


def power_spectrum(s: float, n: int) -> np.ndarray:
    """Spectrum of ``rho_A^{(x) n}`` for a qubit marginal with eigenvalues ``(s, 1 - s)``:
    ``s^{n-j} (1 - s)^j`` with multiplicity ``C(n, j)`` (Proposition 2, ``EV{L}``), descending.
    Products route (no matrix of size ``2^n`` is formed)."""
    if int(n) != n or n < 1:
        raise ValueError(f"n must be an integer >= 1, got {n!r}")
    vals = np.array([1.0])
    for _ in range(int(n)):
        vals = np.concatenate([vals * s, vals * (1 - s)])
    return np.sort(vals)[::-1]


def power_spectrum_dense(psi, n: int) -> np.ndarray:
    """Spectrum of ``rho_A^{(x) n}`` by diagonalising the ``2^n x 2^n`` Kronecker power of the
    reduced state of the two-qubit ``psi`` (dense route; use for ``n <= 10``)."""
    m = np.asarray(psi, dtype=complex).reshape(2, 2)
    rho = m @ m.conj().T
    R = np.array([[1.0]])
    for _ in range(int(n)):
        R = np.kron(R, rho)
    return np.sort(np.linalg.eigvalsh(R))[::-1]


def evenly_degenerate(eigs, *, rtol: float = 1e-9, atol: float = 1e-14) -> dict[str, Any]:
    """Whether every distinct nonzero eigenvalue has even multiplicity (Proposition 2).

    The right side of Eq. (7), ``I_2/2 (x) rho_{A_2}^zeta``, has this property; the left side
    must have it too for Eq. (6) to hold. Eigenvalues closer than ``rtol`` (relative) are
    merged into one cluster. Returns ``ok`` and the multiplicity of the largest eigenvalue.
    """
    e = np.sort(np.asarray(eigs, dtype=float))[::-1]
    e = e[e > atol]
    clusters: list[list[float]] = []
    for v in e:
        if clusters and abs(clusters[-1][0] - v) <= rtol * clusters[-1][0]:
            clusters[-1].append(v)
        else:
            clusters.append([v])
    mult = [len(c) for c in clusters]
    return {
        "ok": bool(all(m % 2 == 0 for m in mult)),
        "top_multiplicity": int(mult[0]) if mult else 0,
        "n_distinct": len(mult),
        "odd_clusters": int(sum(m % 2 for m in mult)),
    }


@dataclass
class BisectionResult:
    """Threshold found by bisection on a membership test.

    ``value`` is the midpoint of the final bracket ``[lo, hi]`` (``lo`` passes, ``hi``
    fails), ``hi - lo <= tol``; ``steps`` membership tests were made.
    """

    value: float
    lo: float
    hi: float
    tol: float
    steps: int
    solver: dict[str, Any] = field(default_factory=dict)


def isotropic_threshold(
    kind: str,
    *,
    tol: float = 1e-7,
    level="1+AB",
    lo: float = 0.0,
    hi: float = 1.0,
    atol: float = 1e-9,
) -> BisectionResult:
    """Largest ``eta`` with ``PR_eta`` in the local set (``kind="local"``, LP membership) or in
    the NPA set of ``level`` (``kind="quantum"``), by bisection to ``tol``.

    A box counts as a member when its membership visibility is ``>= 1 - atol`` (see
    :func:`bellflow.boxes.local_membership`, :func:`bellflow.npa.npa_membership`); ``atol``
    biases the threshold upwards by about ``atol * eta``, so keep it below ``tol``. The LP's
    own accuracy (HiGHS primal feasibility tolerance 1e-7) limits the local threshold to about
    1e-7 whatever ``tol``; the NPA route reaches about 1e-8 (Clarabel tolerances).

    Paper (text above Theorem 3): ``1/2`` (local) and ``1/sqrt 2`` (quantum, ``P_T``).
    """
    if kind not in ("local", "quantum"):
        raise ValueError(f"kind must be 'local' or 'quantum', got {kind!r}")
    if not 0 < tol < 1:
        raise ValueError(f"tol must lie in (0, 1), got {tol!r}")

    def member(eta: float) -> tuple[bool, OptResult]:
        p = bx.isotropic_box(eta)
        if kind == "local":
            r = bx.local_membership(p, atol=atol)
        else:
            r = npa.npa_membership(p, level, atol=atol)
        return r.extra["member"], r

    ok_lo, _ = member(lo)
    ok_hi, _ = member(hi)
    if not ok_lo or ok_hi:
        raise ValueError(f"bracket [lo, hi] = [{lo}, {hi}] does not straddle the threshold")
    steps, last = 2, None
    while hi - lo > tol:
        mid = 0.5 * (lo + hi)
        ok, last = member(mid)
        steps += 1
        if ok:
            lo = mid
        else:
            hi = mid
    attrs = last.attrs() if last is not None else {}
    attrs["membership_atol"] = atol
    if kind == "quantum":
        attrs["level"] = str(level)
    return BisectionResult(value=0.5 * (lo + hi), lo=lo, hi=hi, tol=tol, steps=steps, solver=attrs)


def isotropic_nondistillable_range(A) -> dict[str, Any]:
    """Isotropic boxes that Corollary 1 shows cannot be distilled to ``P_T`` (Theorem 3).

    Corollary 1: mixtures ``lambda A + (1 - lambda) L`` of a box ``A`` that is asymptotically
    inequivalent to ``P_T`` (here ``P_H``, or any box self-testing a non-maximally entangled
    two-qubit state) with a local box ``L`` cannot be distilled to ``P_T``. LP (HiGHS) over
    ``(eta, lambda, q)``::

        maximise eta  s.t.  PR_eta = lambda A + sum_k q_k D_k,  q >= 0,  0 <= lambda <= 1

    (``sum q = 1 - lambda`` follows from normalisation). Every ``PR_eta`` with
    ``1/2 < eta <= eta_max`` is such a mixture with ``lambda > 0`` (convexity), and is quantum
    nonlocal but not distillable to ``P_T``. Returns ``eta_max``, ``lambda``, the local point
    ``L' = sum q D / (1 - lambda)`` and the LP result.
    """
    A = np.asarray(A, dtype=float)
    bx.check_box(A)
    D = bx.deterministic_boxes(2, 2, 2, 2).reshape(16, -1)
    u = bx.white_noise().reshape(-1)
    pr = bx.pr_boxes()[0].reshape(-1)
    # variables (q_1..q_16, lambda, eta):  sum q D + lambda A - eta (pr - u) = u
    A_eq = np.hstack([D.T, A.reshape(-1, 1), -(pr - u).reshape(-1, 1)])
    c = np.zeros(18)
    c[-1] = 1.0
    res = solve_lp(
        c,
        name="Corollary 1 isotropic range LP",
        params={"A": "given box"},
        A_eq=A_eq,
        b_eq=u,
        bounds=[(0, None)] * 16 + [(0, 1), (0, 1)],
        maximize=True,
    )
    x = res.extra["x"]
    lam, eta = float(x[16]), float(x[17])
    Lp = (x[:16] @ D).reshape(2, 2, 2, 2) / (1 - lam)
    return {"eta_max": eta, "lambda": lam, "L_prime": Lp, "lp": res}


def segment_isotropic_crossing(A, Lp) -> dict[str, float]:
    """Where the line through ``A`` and ``L'`` meets the isotropic line (Fig. 1, ``P_iso``).

    Solves ``lambda A + (1 - lambda) L' = PR_eta`` for ``(lambda, eta)`` by least squares and
    reports the residual (zero iff the two lines meet).
    """
    A = np.asarray(A, dtype=float).reshape(-1)
    Lp = np.asarray(Lp, dtype=float).reshape(-1)
    u = bx.white_noise().reshape(-1)
    pr = bx.pr_boxes()[0].reshape(-1)
    # lambda (A - L') - eta (pr - u) = u - L'
    M = np.stack([A - Lp, -(pr - u)], axis=1)
    sol, *_ = np.linalg.lstsq(M, u - Lp, rcond=None)
    resid = float(np.abs(M @ sol - (u - Lp)).max())
    return {"lambda": float(sol[0]), "eta": float(sol[1]), "residual": resid}


@dataclass
class Fig1Slice:
    """A 2D slice of the 222 box space through ``L_0`` (white noise), the PR box and ``A``.

    Coordinates: ``p = L_0 + X e1 + Y e2`` with ``e1, e2`` orthonormal (Euclidean norm of the
    16 entries ``p[a,b,x,y]``), ``e1`` along ``PR - L_0``. ``angles`` are the ray angles;
    ``r_local``, ``r_quantum``, ``r_ns`` the boundary distances from ``L_0`` along each ray;
    ``points`` the named points' ``(X, Y)``.
    """

    e1: np.ndarray
    e2: np.ndarray
    angles: np.ndarray
    r_local: np.ndarray
    r_quantum: np.ndarray
    r_ns: np.ndarray
    points: dict[str, tuple[float, float]]
    level: str
    solver: dict[str, Any] = field(default_factory=dict)


def slice_basis(A) -> tuple[np.ndarray, np.ndarray]:
    """Orthonormal ``(e1, e2)`` spanning ``PR - L_0`` and ``A - L_0``."""
    u = bx.white_noise()
    e1 = bx.pr_boxes()[0] - u
    e1 = e1 / np.linalg.norm(e1)
    w = np.asarray(A, dtype=float) - u
    w = w - np.sum(w * e1) * e1
    nw = np.linalg.norm(w)
    if nw < 1e-12:
        raise ValueError("A lies on the isotropic line: it does not define a plane")
    return e1, w / nw


def slice_coordinates(p, e1, e2) -> tuple[float, float]:
    """``(X, Y)`` of a box in the slice (orthogonal projection)."""
    d = np.asarray(p, dtype=float) - bx.white_noise()
    return float(np.sum(d * e1)), float(np.sum(d * e2))


def ns_radius(direction) -> float:
    """Distance from ``L_0`` to the no-signalling boundary along ``direction`` (closed form:
    the first entry of ``L_0 + r d`` to reach zero; ``d`` lies in the no-signalling subspace)."""
    d = np.asarray(direction, dtype=float).reshape(-1)
    u = bx.white_noise().reshape(-1)
    neg = d < -1e-15
    return float(np.min(u[neg] / -d[neg]))


def fig1_slice(A, angles, *, level="1+AB", points: dict | None = None) -> Fig1Slice:
    """Boundaries of the local (LP), quantum (NPA ``level``) and no-signalling sets in the
    plane through ``L_0``, the PR box and ``A`` (Fig. 1), traced along rays from ``L_0``.

    Along the ray ``d(theta) = cos(theta) e1 + sin(theta) e2``: ``r_ns`` in closed form
    (:func:`ns_radius`); with ``p_ns = L_0 + r_ns d`` (a valid box),
    ``r_local = r_ns * local_visibility(p_ns)`` and ``r_quantum = r_ns * npa_visibility(p_ns)``
    (visibilities against ``L_0``).
    """
    e1, e2 = slice_basis(A)
    u = bx.white_noise()
    angles = np.asarray(angles, dtype=float)
    rl, rq, rn = (np.empty(len(angles)) for _ in range(3))
    last = None
    for i, th in enumerate(angles):
        d = math.cos(th) * e1 + math.sin(th) * e2
        rn[i] = ns_radius(d)
        p = np.clip(u + rn[i] * d, 0.0, None)  # clears rounding negatives (~1e-17)
        rl[i] = rn[i] * bx.local_visibility(p).value
        last = npa.npa_visibility(p, level)
        rq[i] = rn[i] * last.value
    pts = {"L0": (0.0, 0.0)}
    for name, p in (points or {}).items():
        pts[name] = slice_coordinates(p, e1, e2)
    return Fig1Slice(
        e1=e1,
        e2=e2,
        angles=angles,
        r_local=rl,
        r_quantum=rq,
        r_ns=rn,
        points=pts,
        level=str(level),
        solver=last.attrs() if last is not None else {},
    )


def _level_tag(level) -> str:
    return str(level).lower().replace("+", "")


def npa_checks(levels=("1", "1+AB", "2"), *, solver: str = "CLARABEL") -> dict[str, Any]:
    """The NPA and realisation numbers of the paper, computed.

    Keys: ``chsh_level<tag>`` and ``hardy_level<tag>`` (NPA bounds, ``tag`` = ``1``, ``1ab``,
    ``2``, ...), ``*_dual`` (dual objectives), ``chsh_tsirelson_box`` (CHSH of Eq. 3a),
    ``hardy_box_success`` and ``hardy_box_max_zero`` (Eq. 3b box, Hardy form),
    ``hardy_state_parameter`` (corrected ``a`` of Eq. 3b), ``tsirelson_equals_pr_eta``
    (``max |P_T - PR_{1/sqrt 2}|``), ``n_local_vertices`` / ``n_pr_vertices`` (Eq. 1a/1b),
    ``realisations_within_bounds`` (every realisation value <= every NPA bound + 1e-8) and
    ``solver_tolerances`` (per key, the tolerance that gave status optimal).
    """
    out: dict[str, Any] = {}
    tols: dict[str, Any] = {}
    chsh = bx.chsh_coefficients()
    pT, pH = tsirelson_box(), hardy_box()
    for lev in levels:
        tag = _level_tag(lev)
        r = npa.npa_upper_bound(chsh, lev, solver=solver)
        out[f"chsh_level{tag}"], out[f"chsh_level{tag}_dual"] = r.value, r.dual
        tols[f"chsh_level{tag}"] = r.tolerances
        r = hardy_success_npa(lev, solver=solver)
        out[f"hardy_level{tag}"], out[f"hardy_level{tag}_dual"] = r.value, r.dual
        tols[f"hardy_level{tag}"] = r.tolerances
    out["chsh_tsirelson_box"] = bx.bell_value(chsh, pT)
    h = hardy_conditions(pH)
    out["hardy_box_success"] = h["success"]
    out["hardy_box_max_zero"] = max(abs(h[k]) for k in ("p00_01", "p00_10", "p11_11"))
    out["hardy_state_parameter"] = hardy_state_parameter()
    out["tsirelson_equals_pr_eta"] = float(np.abs(pT - bx.isotropic_box(1 / math.sqrt(2))).max())
    out["n_local_vertices"] = len(bx.deterministic_boxes(2, 2, 2, 2))
    out["n_pr_vertices"] = len(bx.pr_boxes())
    out["realisations_within_bounds"] = bool(
        all(out["chsh_tsirelson_box"] <= out[f"chsh_level{_level_tag(v)}"] + 1e-8 for v in levels)
        and all(
            out["hardy_box_success"] <= out[f"hardy_level{_level_tag(v)}"] + 1e-8 for v in levels
        )
    )
    out["solver_tolerances"] = tols
    return out


def prop1_copies(
    copies=(1, 2, 3),
    *,
    penalty: float = 10.0,
    restarts: int = 20,
    iters: int = 300,
    seed: int = 0,
    control_penalty: float = 100.0,
) -> dict[str, Any]:
    """Proposition 1 numerics: :func:`hardy_seesaw` on ``|phi_2^+>^{(x) n}`` for each ``n`` in
    ``copies`` (as ``|phi_{2^n}^+>``), and on ``|psi_H>`` as a control that must succeed.

    Returns arrays ``J``, ``success``, ``zeros`` over ``n`` and the control's values.
    """
    copies = [int(n) for n in copies]
    if not copies or min(copies) < 1:
        raise ValueError(f"copies must be positive integers, got {copies!r}")
    rows = [
        hardy_seesaw(
            phi_plus(2**n),
            (2**n, 2**n),
            penalty=penalty,
            restarts=restarts,
            iters=iters,
            seed=seed + n,
        )
        for n in copies
    ]
    ctrl = hardy_seesaw(
        hardy_realisation()[0],
        (2, 2),
        penalty=control_penalty,
        restarts=restarts,
        iters=iters,
        seed=seed,
    )
    return {
        "n": np.array(copies),
        "J": np.array([r["J"] for r in rows]),
        "success": np.array([r["success"] for r in rows]),
        "zeros": np.array([r["zeros"] for r in rows]),
        "control_J": ctrl["J"],
        "control_success": ctrl["success"],
        "control_zeros": ctrl["zeros"],
    }


def prop2_spectra(n_max: int = 12, *, n_dense: int = 10, rtol: float = 1e-9) -> dict[str, Any]:
    """Proposition 2 numerics for ``|psi_H>^{(x) n}``, ``n = 1..n_max``.

    Per ``n``: whether the spectrum of ``rho_A^{(x) n}`` is evenly degenerate (it must be for
    Eq. 7), the multiplicity of its largest eigenvalue ``s^n``, the number of odd-multiplicity
    clusters, and for ``n <= n_dense`` the largest difference between the dense (Kronecker
    power, diagonalised) and product spectra (``nan`` above ``n_dense``). Control: the right
    side of Eq. (7) for ``|phi_2^+>`` with a random ancilla state (seeded) is evenly degenerate.
    """
    if int(n_max) < 1:
        raise ValueError(f"n_max must be >= 1, got {n_max!r}")
    psi = hardy_realisation()[0]
    s = float(schmidt_coefficients(psi, (2, 2))[0])
    ns = np.arange(1, int(n_max) + 1)
    even, top, odd, dev = [], [], [], []
    for n in ns:
        e = power_spectrum(s, int(n))
        res = evenly_degenerate(e, rtol=rtol)
        even.append(res["ok"])
        top.append(res["top_multiplicity"])
        odd.append(res["odd_clusters"])
        dev.append(
            float(np.abs(power_spectrum_dense(psi, int(n)) - e).max())
            if n <= n_dense
            else float("nan")
        )
    zeta = np.random.default_rng(0).dirichlet(np.ones(7))
    control = evenly_degenerate(np.kron([0.5, 0.5], zeta), rtol=rtol)["ok"]
    return {
        "s": s,
        "n": ns,
        "evenly_degenerate": np.array(even),
        "top_multiplicity": np.array(top),
        "odd_clusters": np.array(odd),
        "dense_vs_product": np.array(dev),
        "control_ok": bool(control),
    }
