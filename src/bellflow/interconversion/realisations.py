"""Quantum realisations of paper 000: the Tsirelson box ``P_T`` (Eq. 3a), the Hardy box ``P_H``
(Eq. 3b), Hardy's conditions (text before Eq. 4) and the states of Propositions 1 and 2.

Boxes ``p[a, b, x, y]`` as in :mod:`bellflow.boxes`, outcome ``0`` = eigenvalue ``+1``,
two-qubit kets in ``kron`` order ``|A B>``.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from bellflow import boxes as bx
from bellflow import npa
from bellflow.optim import OptResult
from bellflow.states import PAULI

__all__ = [
    "pauli",
    "tsirelson_realisation",
    "tsirelson_box",
    "hardy_success_of_parameter",
    "hardy_state_parameter",
    "hardy_state_parameter_printed",
    "hardy_realisation",
    "hardy_box",
    "hardy_box_chsh_aligned",
    "hardy_objective",
    "hardy_zero_conditions",
    "hardy_conditions",
    "hardy_success_npa",
    "schmidt_state",
    "phi_plus",
    "schmidt_coefficients",
]

#: A realisation ``(psi, A, B)``: state vector and projectors ``A[x][a]``, ``B[y][b]``.
Realisation = tuple[NDArray[Any], list[list[NDArray[Any]]], list[list[NDArray[Any]]]]


def pauli() -> dict[str, NDArray[np.complex128]]:
    """Pauli matrices ``{"x", "y", "z"}`` (views of :data:`bellflow.states.PAULI`)."""
    return {"x": PAULI[0], "y": PAULI[1], "z": PAULI[2]}


def _dichotomic(obs: NDArray[Any]) -> list[NDArray[Any]]:
    """Projectors ``[(1 + O)/2, (1 - O)/2]`` of a +-1 observable (outcome 0 = +1)."""
    d = obs.shape[0]
    return [(np.eye(d) + obs) / 2, (np.eye(d) - obs) / 2]


def tsirelson_realisation() -> Realisation:
    """Eq. (3a): ``|phi_2^+>``, ``X_0 = sz``, ``X_1 = sx``, ``Y_j = (sz + (-1)^j sx)/sqrt 2``.

    Returns ``(psi, A, B)`` with ``A[x][a]``, ``B[y][b]`` projectors.
    """
    s = pauli()
    psi = np.array([1.0, 0.0, 0.0, 1.0]) / math.sqrt(2)
    A = [_dichotomic(s["z"]), _dichotomic(s["x"])]
    B = [_dichotomic((s["z"] + (-1) ** j * s["x"]) / math.sqrt(2)) for j in (0, 1)]
    return psi, A, B


def tsirelson_box() -> NDArray[np.float64]:
    """``P_T`` of Eq. (3a): CHSH value ``2 sqrt 2``; equals ``PR_{1/sqrt 2}``.

    Examples
    --------
    >>> round(bx.bell_value(bx.chsh_coefficients(), tsirelson_box()), 12)
    2.828427124746
    """
    return bx.box_from_quantum(*tsirelson_realisation())


def hardy_success_of_parameter(a: ArrayLike) -> NDArray[np.float64] | float:
    """Hardy success of the Eq. (3b) realisation as a function of the state parameter ``a``.

    With ``|psi_H> = a(|01> + |10>) + c|11>``, ``c = sqrt(1 - 2a^2)`` and the Eq. (3b)
    measurements, the success event is ``K_1 = +1`` on both sides (see :func:`hardy_box`):
    ``q(a) = |<alpha alpha|psi_H>|^2 = a^4 (1 - 2a^2) / (1 - a^2)^2``, ``0 <= a <= 1/sqrt 2``.
    """
    arr = np.asarray(a, dtype=float)
    if not np.all(np.isfinite(arr)) or np.any(arr < 0) or np.any(arr > 1 / math.sqrt(2) + 1e-15):
        raise ValueError(f"a must lie in [0, 1/sqrt 2], got {a!r}")
    u = arr * arr
    out = u * u * (1 - 2 * u) / (1 - u) ** 2
    return float(out) if out.ndim == 0 else out


def hardy_state_parameter() -> float:
    """Optimal state parameter ``a`` of Eq. (3b): ``a = sqrt((3 - sqrt 5)/2) = (sqrt 5 - 1)/2``.

    Maximising ``q(a) = u^2 (1 - 2u)/(1 - u)^2`` over ``u = a^2``: ``dq/du = 0`` gives
    ``u^2 - 3u + 1 = 0``, i.e. ``u = (3 - sqrt 5)/2``, and then ``q = (5 sqrt 5 - 11)/2``.

    Paper typo: Eq. (3b) prints ``a := ((5 - sqrt 3)/2)^{1/2}`` (evaluated as printed by
    :func:`hardy_state_parameter_printed`), about 1.278 > 1: not a valid amplitude
    (``1 - 2a^2 < 0``). The value that reaches the maximal Hardy success is
    ``((3 - sqrt 5)/2)^{1/2}`` (digits 3 and 5 swapped).

    Examples
    --------
    >>> round(hardy_state_parameter(), 12)
    0.61803398875
    >>> round(hardy_success_of_parameter(hardy_state_parameter()), 12)   # (5 sqrt 5 - 11)/2
    0.090169943749
    """
    return math.sqrt((3 - math.sqrt(5)) / 2)


def hardy_state_parameter_printed() -> float:
    """Eq. (3b) evaluated as printed: ``a := ((5 - sqrt 3)/2)^{1/2}`` (a typo, see
    :func:`hardy_state_parameter`).

    Examples
    --------
    >>> hardy_state_parameter_printed() > 1 / math.sqrt(2)   # no state |psi_H> exists
    True
    """
    return math.sqrt((5 - math.sqrt(3)) / 2)


def hardy_realisation(a: float | None = None) -> Realisation:
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
    return psi, M, [[e.copy() for e in m] for m in M]


def hardy_box(a: float | None = None) -> NDArray[np.float64]:
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


def hardy_box_chsh_aligned(a: float | None = None) -> NDArray[np.float64]:
    """``P_H`` relabelled (free, reversible) so that it violates the standard CHSH
    ``<A0B0> + <A0B1> + <A1B0> - <A1B1> <= 2`` (the facet on which ``PR_{1/2}`` lies).

    The Hardy-form box of :func:`hardy_box` violates the CHSH variant of the PR vertex
    ``a + b = xy + x + y``; with ``x -> x + 1``, ``y -> y + 1``, ``a -> a + 1`` this becomes
    ``a + b = xy``. This is the orientation used for the Fig. 1 slice and Corollary 1.
    """
    return bx.relabel(hardy_box(a), swap_x=True, swap_y=True, flip_a=(0, 1))


def hardy_objective() -> NDArray[np.float64]:
    """Coefficients of Hardy's success probability ``p(00|00)``."""
    c = np.zeros((2, 2, 2, 2))
    c[0, 0, 0, 0] = 1.0
    return c


def hardy_zero_conditions() -> list[tuple[NDArray[np.float64], float]]:
    """Hardy's zeros ``p(00|01) = p(00|10) = p(11|11) = 0`` as ``(coeffs, 0)`` pairs."""
    out = []
    for idx in [(0, 0, 0, 1), (0, 0, 1, 0), (1, 1, 1, 1)]:
        c = np.zeros((2, 2, 2, 2))
        c[idx] = 1.0
        out.append((c, 0.0))
    return out


def hardy_conditions(p: ArrayLike) -> dict[str, float]:
    """Success ``q = p(00|00)`` and the three zero-condition probabilities of a 222 box."""
    arr = np.asarray(p, dtype=float)
    if arr.shape != (2, 2, 2, 2):
        raise ValueError(f"p must have shape (2, 2, 2, 2), got {arr.shape}")
    return {
        "success": float(arr[0, 0, 0, 0]),
        "p00_01": float(arr[0, 0, 0, 1]),
        "p00_10": float(arr[0, 0, 1, 0]),
        "p11_11": float(arr[1, 1, 1, 1]),
    }


def hardy_success_npa(level: str | int = "1+AB", **kwargs: Any) -> OptResult:
    """NPA upper bound on Hardy's success ``max p(00|00)`` subject to Hardy's zeros.

    Level ``1+AB`` already gives ``(5 sqrt 5 - 11)/2`` (the quantum maximum, reached by
    ``P_H``); level 1 is far looser. The zeros are imposed by facial reduction
    (see :func:`bellflow.npa.npa_upper_bound`).
    """
    return npa.npa_upper_bound(
        hardy_objective(), level, equalities=hardy_zero_conditions(), **kwargs
    )


def schmidt_state(s: float) -> NDArray[np.float64]:
    """``sqrt(s)|00> + sqrt(1 - s)|11>``."""
    if not 0 <= s <= 1:
        raise ValueError(f"s must lie in [0, 1], got {s!r}")
    return np.array([math.sqrt(s), 0.0, 0.0, math.sqrt(1 - s)])


def phi_plus(d: int) -> NDArray[np.float64]:
    """``|phi_d^+> = sum_i |ii>/sqrt d`` (``|phi_2^+>^{(x)n} = |phi_{2^n}^+>`` up to the
    reordering of the tensor factors, which is a local relabelling)."""
    if int(d) != d or d < 2:
        raise ValueError(f"d must be an integer >= 2, got {d!r}")
    return np.eye(int(d)).reshape(-1) / math.sqrt(d)


def schmidt_coefficients(psi: ArrayLike, dims: tuple[int, int]) -> NDArray[np.float64]:
    """Squared Schmidt coefficients (eigenvalues of the reduced state), descending."""
    arr = np.asarray(psi)
    if arr.size != dims[0] * dims[1]:
        raise ValueError(f"psi has {arr.size} entries, dims {dims} need {dims[0] * dims[1]}")
    m = arr.reshape(*dims)
    return np.asarray(np.linalg.svd(m, compute_uv=False) ** 2, dtype=float)
