"""Single-trigger structure and canonical objects (main text; Eqs. 19-21, 24-25)."""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp

from bellflow.causal.games import validate_coefficients


def is_single_trigger(alpha: np.ndarray, triggers: Sequence[int], *, atol: float = 0.0) -> bool:
    """Whether ``alpha`` depends on ``a_i`` only when ``x_i = triggers[i]`` (main text)."""
    alpha = validate_coefficients(alpha, nonnegative=False)
    m1, m2, n1, n2 = alpha.shape
    t1, t2 = (int(t) for t in triggers)
    if not (0 <= t1 < n1 and 0 <= t2 < n2):
        raise ValueError(f"triggers must be settings in range ({n1}, {n2}), got {triggers}")
    for x1 in range(n1):
        if x1 != t1 and np.max(np.abs(alpha[:, :, x1, :] - alpha[:1, :, x1, :])) > atol:
            return False
    for x2 in range(n2):
        if x2 != t2 and np.max(np.abs(alpha[:, :, :, x2] - alpha[:, :1, :, x2])) > atol:
            return False
    return True


def find_triggers(alpha: np.ndarray, *, atol: float = 0.0) -> list[tuple[int, int]]:
    """All trigger pairs ``(xi_1, xi_2)`` for which ``alpha`` is single-trigger (may be empty)."""
    alpha = validate_coefficients(alpha, nonnegative=False)
    n1, n2 = alpha.shape[2:]
    return [
        (t1, t2)
        for t1, t2 in itertools.product(range(n1), range(n2))
        if is_single_trigger(alpha, (t1, t2), atol=atol)
    ]


def _resolve_triggers(alpha: np.ndarray, triggers: Sequence[int] | None) -> tuple[int, int]:
    """The given trigger pair as ints, or the first one :func:`find_triggers` finds."""
    if triggers is None:
        found = find_triggers(alpha)
        if not found:
            raise ValueError("alpha is not a single-trigger correlation (no trigger pair found)")
        triggers = found[0]
    return int(triggers[0]), int(triggers[1])


def _local_projector(m: int, a: int, triggered: bool) -> np.ndarray:
    """Eq. (21) without the label: ``|a a><a a|`` (trigger) or ``|Phi><Phi|`` on ``(in, o)``."""
    if triggered:
        v = np.zeros(m * m)
        v[a * m + a] = 1.0
    else:
        v = np.eye(m).reshape(-1) / np.sqrt(m)
    return np.outer(v, v)


def canonical_instruments(m: int, n: int, trigger: int) -> np.ndarray:
    """Choi operators of the canonical instrument ``M*_{a|x}`` (main text; Eq. 21).

    ``M*_{a|xi}(rho) = <a|rho|a> |a><a| (x) |xi><xi|``, ``M*_{a|x}(rho) = rho/m (x) |x><x|`` for
    ``x != xi``. Returns ``M[a, x]`` on ``(in, o, aux)``, shape ``(m, n, m*m*n, m*m*n)``.
    """
    if m < 1 or n < 1 or not 0 <= trigger < n:
        raise ValueError(f"need m, n >= 1 and trigger in [0, {n}), got {m}, {n}, {trigger}")
    out = np.zeros((m, n, m * m * n, m * m * n))
    for a, x in itertools.product(range(m), range(n)):
        lab = np.zeros((n, n))
        lab[x, x] = 1.0
        out[a, x] = np.kron(_local_projector(m, a, x == trigger), lab)
    return out


_PRODUCT_CACHE: dict[tuple[int, ...], sp.csc_matrix] = {}


def _canonical_products(shape: Sequence[int], triggers: Sequence[int]) -> sp.csc_matrix:
    """``P[a1, a2, x1, x2] = M*_{a1|x1} (x) M*_{a2|x2}`` as the sparse columns of a
    ``(d * d, alpha.size)`` matrix (cached per shape and trigger pair: a scan builds many
    operators of one shape; each product has at most ``m1^2 m2^2`` non-zero entries)."""
    m1, m2, n1, n2 = (int(k) for k in shape)
    key = (m1, m2, n1, n2, int(triggers[0]), int(triggers[1]))
    if key not in _PRODUCT_CACHE:
        ma = canonical_instruments(m1, n1, key[4])
        mb = canonical_instruments(m2, n2, key[5])
        cols = [
            sp.csc_matrix(sp.kron(ma[a1, x1], mb[a2, x2]).reshape((-1, 1)))
            for a1, a2, x1, x2 in itertools.product(range(m1), range(m2), range(n1), range(n2))
        ]
        _PRODUCT_CACHE[key] = sp.hstack(cols, format="csc")
    return _PRODUCT_CACHE[key]


def single_trigger_operator(alpha: np.ndarray, triggers: Sequence[int]) -> np.ndarray:
    """Single-trigger operator ``Omega* = sum_{a, x} alpha[a, x] P_{xi, a, x}`` (Eqs. 19-21).

    On ``(in_1, o_1, aux_1, in_2, o_2, aux_2)``; ``P`` is the tensor product of the local
    canonical Choi operators, so ``Tr(Omega* S) = sum alpha p`` for the correlations ``p``
    that a process ``S`` gives with the canonical instruments.
    """
    alpha = validate_coefficients(alpha, nonnegative=False)
    if not is_single_trigger(alpha, triggers):
        raise ValueError(f"alpha is not single-trigger for triggers {tuple(triggers)}")
    prods = _canonical_products(alpha.shape, triggers)
    d = int(round(np.sqrt(prods.shape[0])))
    return np.asarray(prods @ alpha.reshape(-1), dtype=float).reshape(d, d)
