"""Games of paper 001 and their causal bounds (main text, Eqs. 1, 5-6, 31, 48-49)."""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np

from bellflow.optim import OptResult, solve_lp


def validate_coefficients(
    alpha: Any, *, nonnegative: bool = True, name: str = "alpha"
) -> np.ndarray:
    """Check a coefficient array ``alpha[a1, a2, x1, x2]`` and return it as a float array.

    ``name`` is the argument named in the messages (``"game"`` for :func:`ico_bound`).

    Raises
    ------
    ValueError
        If ``alpha`` is not a finite real 4-d array with every axis of length >= 1 (and >= 2
        outcomes per party), or has negative entries while ``nonnegative`` is set (the paper
        assumes non-negative coefficients, Eq. 3; the message names the most negative entry).
    """
    try:
        arr = np.asarray(alpha, dtype=float)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name} must be a real array w[a1, a2, x1, x2]: {exc}") from exc
    if arr.ndim != 4:
        raise ValueError(
            f"{name} must have 4 axes (outcomes, outcomes, settings, settings), "
            f"got shape {arr.shape}"
        )
    if min(arr.shape[:2]) < 2 or min(arr.shape[2:]) < 1:
        raise ValueError(
            f"{name} needs >= 2 outcomes and >= 1 setting per party, got shape {arr.shape}"
        )
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must be finite (no nan/inf)")
    if nonnegative and np.any(arr < 0):
        idx = tuple(int(i) for i in np.unravel_index(np.argmin(arr), arr.shape))
        raise ValueError(f"{name} must be non-negative, got w{list(idx)} = {arr.min():g}")
    return arr


def _check_unit(value: float, name: str) -> float:
    value = float(value)
    if not 0.0 <= value <= 1.0:
        raise ValueError(f"{name} must lie in [0, 1], got {value}")
    return value


def lgyni_coefficients() -> np.ndarray:
    """LGYNI (Branciard et al. 2015; main text): ``(P11 + P01 + P10 + 1) / 4``.

    ``P11 = p(1, 1 | 1, 1)``, ``P01 = p_B(0 | 0, 1)``, ``P10 = p_A(0 | 1, 0)`` and the input
    pair ``(0, 0)`` always wins. Causal bound 3/4.
    """
    a = np.zeros((2, 2, 2, 2))
    a[:, :, 0, 0] = 0.25  # both inputs 0: win whatever the outputs
    a[0, :, 1, 0] = 0.25  # P10: Alice (input 1) guesses Bob's input 0
    a[:, 0, 0, 1] = 0.25  # P01: Bob (input 1) guesses Alice's input 0
    a[1, 1, 1, 1] = 0.25  # P11: both guess 1
    return a


def biased_lgyni_coefficients(alpha: float) -> np.ndarray:
    """Biased LGYNI, Eq. (48): ``alpha P11 + (1 - alpha) (P01 + P10) / 2``, ``alpha`` in [0, 1].

    Single-trigger with triggers ``(1, 1)``; ``alpha = 1/3`` is LGYNI up to the affine map
    ``I_LGYNI = (3 I + 1) / 4``. Causal bound ``max{1 - alpha, (1 + alpha) / 2}`` (Eq. 49).
    """
    alpha = _check_unit(alpha, "alpha")
    a = np.zeros((2, 2, 2, 2))
    a[1, 1, 1, 1] = alpha
    a[0, :, 1, 0] = (1 - alpha) / 2
    a[:, 0, 0, 1] = (1 - alpha) / 2
    return a


def gyni_coefficients(n_settings: int = 2) -> np.ndarray:
    """GYNI, ``P(a1 = x2, a2 = x1)`` with uniform settings (main text; Almeida et al. 2010).

    ``n_settings`` settings and outcomes per party (the paper's game is ``n_settings = 2``,
    causal bound 1/2).
    """
    n = int(n_settings)
    if n < 2:
        raise ValueError(f"n_settings must be >= 2, got {n_settings}")
    a = np.zeros((n, n, n, n))
    for x1, x2 in itertools.product(range(n), repeat=2):
        a[x2, x1, x1, x2] = 1.0 / n**2
    return a


def ocb_weighted_coefficients(w_a: float, w_b: float) -> np.ndarray:
    """``w_A P_A + w_B P_B`` with ``P_A = P(a1 = b | c = 0)``, ``P_B = P(a2 = x1 | c = 1)``.

    OCB scenario (main text): Alice has a bit setting ``x1``, Bob the pair ``x2 = (b, c)``
    stored as ``x2 = 2 b + c``; outcomes are bits. ``P(a1 = b | c = 0) = sum_{x1, b}
    p_A(b | x1, b, 0) / 4`` and ``P(a2 = x1 | c = 1) = sum_{x1, b} p_B(x1 | x1, b, 1) / 4``.
    Weights may have any sign (Fig. 1 directions).
    """
    a = np.zeros((2, 2, 2, 4))
    for x1, b, c in itertools.product(range(2), repeat=3):
        x2 = 2 * b + c
        if c == 0:
            a[b, :, x1, x2] += w_a / 4
        else:
            a[:, x1, x1, x2] += w_b / 4
    return a


def biased_ocb_coefficients(alpha: float) -> np.ndarray:
    """Biased OCB, Eq. (6): ``P(a1 = b | c = 0) + alpha P(a2 = x1 | c = 1)``.

    ``alpha = 1`` is the OCB correlation (causal bound 3/2, algebraic maximum 2). Negative
    ``alpha`` gives negative coefficients (allowed in the SDPs, not in :func:`causal_bound`'s
    non-negativity check, which is skipped there).
    """
    alpha = float(alpha)
    if not np.isfinite(alpha):
        raise ValueError(f"alpha must be finite, got {alpha}")
    return ocb_weighted_coefficients(1.0, alpha)


def ocb_coefficients() -> np.ndarray:
    """OCB correlation ``P(a1 = b | c = 0) + P(a2 = x1 | c = 1)`` (main text, Eq. 5)."""
    return ocb_weighted_coefficients(1.0, 1.0)


def ocb_trigger_coefficients(alpha: float, x_star: int, b_star: int) -> np.ndarray:
    """Single-trigger piece of Lemma 1, Eq. (31).

    ``P(a1 = b | x1 = x*, c = 0) + alpha P(a2 = x1 | b = b*, c = 1)``, with
    ``P(a1 = b | x1 = x*, c = 0) = sum_b p_A(b | x*, b, 0) / 2`` (as used in Eq. 47). Triggers:
    Alice ``x*``, Bob ``(b*, 1)``. Eq. (30): the biased OCB correlation is the average of these
    pieces over ``x* = b* = z``.
    """
    if x_star not in (0, 1) or b_star not in (0, 1):
        raise ValueError(f"x_star and b_star must be bits, got {x_star}, {b_star}")
    a = np.zeros((2, 2, 2, 4))
    for b in range(2):
        a[b, :, x_star, 2 * b] += 0.5
    for x1 in range(2):
        a[:, x1, x1, 2 * b_star + 1] += float(alpha) / 2
    return a


def correlation_value(alpha: np.ndarray, p: np.ndarray) -> float:
    """``I = sum_{a, x} alpha[a, x] p(a | x)`` (Eq. 1)."""
    alpha = np.asarray(alpha, dtype=float)
    p = np.asarray(p, dtype=float)
    if alpha.shape != p.shape:
        raise ValueError(f"p must have the shape of alpha {alpha.shape}, got {p.shape}")
    return float(np.sum(alpha * p))


def algebraic_maximum(alpha: np.ndarray) -> float:
    """Maximum of ``I`` over all conditional distributions: ``sum_x max_a alpha[a, x]``."""
    alpha = validate_coefficients(alpha, nonnegative=False)
    m1, m2, n1, n2 = alpha.shape
    return float(alpha.reshape(m1 * m2, n1 * n2).max(axis=0).sum())


def causal_bound(alpha: np.ndarray) -> float:
    """Causal bound of ``I``: the best deterministic causal strategy (main text, Eq. 1 ff.).

    A causal distribution is a mixture of "A before B" (Alice's outcome depends only on
    ``x1``; Bob's on ``x1, a1, x2``) and "B before A" distributions, so the maximum is reached
    by a deterministic strategy of one of the two orders. For A before B, Bob's best response
    to each ``(x1, a1, x2)`` decouples the enumeration over Alice's functions ``a1 = f(x1)``:
    ``max_f sum_{x1} sum_{x2} max_{a2} alpha[f(x1), a2, x1, x2]
    = sum_{x1} max_{a1} sum_{x2} max_{a2} alpha[a1, a2, x1, x2]``, and symmetrically for B
    before A. See :func:`causal_bound_enumeration` (brute force) and :func:`causal_bound_lp`.

    Examples
    --------
    >>> round(causal_bound(lgyni_coefficients()), 12)
    0.75
    """
    alpha = validate_coefficients(alpha, nonnegative=False)
    a_first = alpha.max(axis=1).sum(axis=2).max(axis=0).sum()
    b_first = alpha.max(axis=0).sum(axis=1).max(axis=0).sum()
    return float(max(a_first, b_first))


def causal_bound_enumeration(alpha: np.ndarray) -> float:
    """Causal bound by brute-force enumeration of all deterministic causal strategies.

    A before B: every function ``a1 = f(x1)`` and every ``a2 = g(x1, x2)`` (``a1`` is fixed by
    ``x1``); B before A symmetrically. Exponential cost: meant for small games and tests.
    """
    alpha = validate_coefficients(alpha, nonnegative=False)
    m1, m2, n1, n2 = alpha.shape
    if m1**n1 * m2 ** (n1 * n2) > 2_000_000 or m2**n2 * m1 ** (n1 * n2) > 2_000_000:
        raise ValueError(f"alpha of shape {alpha.shape} is too large to enumerate")
    best = -np.inf
    x1s, x2s = np.meshgrid(range(n1), range(n2), indexing="ij")
    for f in itertools.product(range(m1), repeat=n1):
        a1 = np.array(f)[x1s]
        for g in itertools.product(range(m2), repeat=n1 * n2):
            a2 = np.array(g).reshape(n1, n2)
            best = max(best, alpha[a1, a2, x1s, x2s].sum())
    for f in itertools.product(range(m2), repeat=n2):
        a2 = np.array(f)[x2s]
        for g in itertools.product(range(m1), repeat=n1 * n2):
            a1 = np.array(g).reshape(n1, n2)
            best = max(best, alpha[a1, a2, x1s, x2s].sum())
    return float(best)


def causal_bound_lp(alpha: np.ndarray) -> OptResult:
    """Causal bound as an LP over the bipartite causal polytope (second route).

    Variables: two unnormalised distributions ``q_AB, q_BA >= 0`` on ``(a1, a2, x1, x2)`` with
    ``q = q_AB + q_BA`` normalised for every ``x``, each of constant weight over ``x``, and the
    one-way no-signalling constraints ``sum_{a2} q_AB(a1, a2 | x1, x2)`` independent of ``x2``,
    ``sum_{a1} q_BA(a1, a2 | x1, x2)`` independent of ``x1`` (main text, definition of causal
    distributions for two parties). Maximise ``sum alpha q``.
    """
    alpha = validate_coefficients(alpha, nonnegative=False)
    m1, m2, n1, n2 = alpha.shape
    size = alpha.size
    idx = np.arange(size).reshape(alpha.shape)
    rows: list[np.ndarray] = []
    rhs: list[float] = []

    def row() -> np.ndarray:
        return np.zeros(2 * size)

    # normalisation of q_AB + q_BA for every x; equal weight of each part over x
    for x1, x2 in itertools.product(range(n1), range(n2)):
        r = row()
        r[idx[:, :, x1, x2].ravel()] = 1
        r[size + idx[:, :, x1, x2].ravel()] = 1
        rows.append(r)
        rhs.append(1.0)
        if (x1, x2) != (0, 0):
            for part in (0, 1):
                r = row()
                r[part * size + idx[:, :, x1, x2].ravel()] = 1
                r[part * size + idx[:, :, 0, 0].ravel()] -= 1
                rows.append(r)
                rhs.append(0.0)
    # one-way no-signalling
    for a1, x1, x2 in itertools.product(range(m1), range(n1), range(1, n2)):
        r = row()
        r[idx[a1, :, x1, x2]] = 1
        r[idx[a1, :, x1, 0]] -= 1
        rows.append(r)
        rhs.append(0.0)
    for a2, x2, x1 in itertools.product(range(m2), range(n2), range(1, n1)):
        r = row()
        r[size + idx[:, a2, x1, x2]] = 1
        r[size + idx[:, a2, 0, x2]] -= 1
        rows.append(r)
        rhs.append(0.0)
    c = np.concatenate([alpha.ravel(), alpha.ravel()])
    return solve_lp(
        c,
        name="causal polytope LP (paper 001)",
        params={"shape": list(alpha.shape)},
        A_eq=np.array(rows),
        b_eq=np.array(rhs),
        bounds=(0, None),
        maximize=True,
    )
