"""Key rates: Shannon entropies, the family's rate (Eq. 15), the CHSH protocol baseline."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from bellflow.diqkd.construction import (
    _check_d,
    _check_eps,
    _check_visibility,
    alice_measurements,
    box_from_state,
    family_box,
    max_entangled_state,
)


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


def binary_entropy(q: ArrayLike) -> NDArray[np.float64] | float:
    """``h(q) = -q log2 q - (1 - q) log2 (1 - q)``, with ``h(0) = h(1) = 0``."""
    q = np.asarray(q, dtype=float)
    if np.any((q < 0) | (q > 1)):
        raise ValueError("q must lie in [0, 1]")
    with np.errstate(divide="ignore", invalid="ignore"):
        h = -q * np.log2(q) - (1 - q) * np.log2(1 - q)
    h = np.where((q == 0) | (q == 1), 0.0, h)
    return float(h) if h.ndim == 0 else h


def pironio_entropy(S: ArrayLike) -> NDArray[np.float64] | float:
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


def chsh_key_rate(Q: ArrayLike) -> NDArray[np.float64] | float:
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
# device-independent key rate of any box (BFF)
# --------------------------------------------------------------------------------------------
@dataclass
class KeyRate:
    """Device-independent Devetak-Winter key rate lower bound (bits) of a box.

    ``value`` (= ``certified``) is ``max(0, H_AE - H_AB)``: ``H_AE`` is the certified BFF lower
    bound on ``H(A|E)`` for Alice's key setting, ``H_AB`` the Shannon ``H(A|B)`` with Bob's
    best key setting ``bob_setting``; ``raw`` is ``H_AE - H_AB`` before clipping at 0 (one-way
    error correction cannot give a negative rate: the protocol aborts). ``H_AE_solver`` uses
    the raw solver values (not a bound; for comparison).
    """

    value: float
    raw: float
    H_AE: float
    H_AE_solver: float
    H_AB: float
    bob_setting: int
    m: int
    entropy: Any = field(repr=False)

    @property
    def certified(self) -> float:
        return self.value


def key_rate(
    box: ArrayLike,
    key_settings: Sequence[int],
    *,
    alice_key: int = 0,
    test_settings: Sequence[int] | None = None,
    m: int = 4,
    level: str = "2",
    extra: str = "ABZ",
    solver_opts: dict[str, Any] | None = None,
) -> KeyRate:
    """Certified device-independent key rate ``r >= H(A|E) - H(A|B)`` of a two-party box.

    ``box[a, b, x, y]`` holds every setting (Bob's key settings included). ``H(A|E)`` for
    Alice's setting ``alice_key`` is bounded from below by
    :func:`bellflow.entropy.bff_entropy` (``m`` Gauss-Radau nodes, relaxation ``level`` /
    ``extra``) with the statistics of Bob's ``test_settings`` imposed (default: every setting
    not in ``key_settings``, or all when that leaves none); ``H(A|B)`` is the Shannon
    conditional entropy of ``box[:, :, alice_key, y]``, minimised over ``y`` in
    ``key_settings`` (Devetak-Winter with one-way error correction). Any number of outcomes
    is accepted; the cost grows quickly with the numbers of settings and outcomes (2 outcomes
    and a few settings take seconds per node). A local box gives 0. ``solver_opts`` go to
    :func:`~bellflow.entropy.bff_entropy` (e.g. :data:`SCS_BFF` for large moment matrices,
    whose memory Clarabel's dense scaling block exceeds).

    Examples
    --------
    The maximal CHSH box with Bob's third setting aligned to Alice's key (about 10 s)::

        from bellflow.diqkd import chsh_box, key_rate
        key_rate(chsh_box(1.0), key_settings=[2], m=2).value   # 0.8115 = 1 - quadrature gap
    """
    from bellflow.entropy import bff_entropy

    p = np.asarray(box, dtype=float)
    if p.ndim != 4 or not np.all(np.isfinite(p)) or np.any(p < -1e-12):
        raise ValueError("box must be a finite non-negative array of shape (oA, oB, mA, mB)")
    if not np.allclose(p.sum(axis=(0, 1)), 1.0, atol=1e-9):
        raise ValueError("box must be normalised for every pair of settings (x, y)")
    mB = p.shape[3]
    keys = [int(y) for y in key_settings]
    if not keys or any(not 0 <= y < mB for y in keys):
        raise ValueError(f"key_settings must be a non-empty list of Bob's settings in [0, {mB})")
    if not 0 <= alice_key < p.shape[2]:
        raise ValueError(f"alice_key must lie in [0, {p.shape[2]})")
    if test_settings is None:
        test = [y for y in range(mB) if y not in keys] or list(range(mB))
    else:
        test = [int(y) for y in test_settings]
    if not test or any(not 0 <= y < mB for y in test):
        raise ValueError(f"test_settings must be Bob's settings in [0, {mB})")
    HAB = [conditional_entropy(np.clip(p[:, :, alice_key, y], 0.0, None)) for y in keys]
    best = int(np.argmin(HAB))
    ent = bff_entropy(
        m, p=p[:, :, :, test], key_setting=alice_key, level=level, extra=extra,
        solver_opts=None if solver_opts is None else dict(solver_opts),
    )  # fmt: skip
    raw = ent.value - HAB[best]
    return KeyRate(
        value=max(0.0, float(raw)),
        raw=float(raw),
        H_AE=ent.value,
        H_AE_solver=ent.solver_value,
        H_AB=float(HAB[best]),
        bob_setting=keys[best],
        m=m,
        entropy=ent,
    )


#: SCS settings of the BFF node SDP for d >= 3 (:func:`family_di_rate`): Clarabel's dense
#: scaling block of the 233 x 233 moment matrix at d = 3 needs ~6 GB; SCS ~0.27 GB. At d = 3,
#: eps = 0.5, m = 2: eps 1e-6 certifies H(A|E) >= 1.29812 (227 CPU s); eps 1e-5 with a fixed
#: scale only 1.28761 (145 CPU s); a fixed scale at 1e-6 is slower than the adaptive one.
SCS_BFF: dict[str, Any] = {"solver": "SCS", "eps": 1e-6}


def family_di_rate(
    d: int,
    eps: float,
    m: int,
    visibility: float = 1.0,
    *,
    solver_opts: dict[str, Any] | None = None,
) -> KeyRate:
    """Device-independent rate of the family (Eq. 15 without assuming ``H(A|E) = H(A)``).

    ``H(A|E)`` from :func:`bellflow.entropy.bff_entropy` with the whole box
    :func:`~bellflow.diqkd.family_box` imposed (relaxation ``level="local"``, no extra
    monomials: Bob has ``d^2`` three-outcome settings), minus ``H(A|B)`` of :func:`key_box`.
    The ``m``-node quadrature caps the bound below ``log2 d`` even for a perfectly secret key
    (:func:`quadrature_ceiling`). Sizes: d = 2 (Bob's never-occurring outcome merged) a
    43 x 43 moment matrix, 434 moments; d = 3 233 x 233, 14,427 moments, solved with SCS
    (:data:`SCS_BFF`, unless ``solver_opts`` are given) and certified by the repaired dual
    as every node (``m - 1`` SDPs; m = 2: one node, ~4 min of CPU, 0.27 GB, certified
    H(A|E) >= 1.29812 bits at eps = 0.5 against the 2-node ceiling 1.29843).
    """
    from bellflow.entropy import bff_entropy

    d = _check_d(d)
    eps = _check_eps(eps, allow_zero=False)
    v = _check_visibility(visibility)
    opts = solver_opts if solver_opts is not None else (dict(SCS_BFF) if d >= 3 else None)
    ent = bff_entropy(m, p=family_box(d, eps, v), level="local", extra="", solver_opts=opts)
    HAB = conditional_entropy(key_box(d, eps, v))
    raw = ent.value - HAB
    return KeyRate(
        value=max(0.0, float(raw)),
        raw=float(raw),
        H_AE=ent.value,
        H_AE_solver=ent.solver_value,
        H_AB=float(HAB),
        bob_setting=d * d,
        m=m,
        entropy=ent,
    )


def quadrature_ceiling(m: int, d: int) -> float:
    """The ``m``-node BFF value of a perfectly secret uniform key of ``d`` outcomes (bits).

    With Eve uncorrelated and ``p(a) = 1/d`` the node infimum is ``-1/(1 + t (d - 1))``
    (scalar ``Z_a = -1/(1 + t (d - 1))``), so the bound is
    ``sum_{i<m} w_i (d - 1) / ((1 + t_i (d - 1)) ln 2)``, a Gauss-Radau quadrature of
    ``int_0^1 (d - 1) / ((1 + t (d - 1)) ln 2) dt = log2 d``. No BFF bound with ``m`` nodes can
    exceed it; ``log2 d`` minus it is the quadrature gap (it shrinks like ``1/m^2``: the
    dropped Radau endpoint ``t = 1`` has weight ``1/m^2``).

    >>> round(quadrature_ceiling(2, 2), 6), round(quadrature_ceiling(40, 2), 6)
    (0.811516, 0.999549)
    """
    from bellflow.entropy import gauss_radau

    d = _check_d(d)
    t, w = gauss_radau(m)
    return float(np.sum(w[:-1] * (d - 1) / ((1 + t[:-1] * (d - 1)) * np.log(2))))
