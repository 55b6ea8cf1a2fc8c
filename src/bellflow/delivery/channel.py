"""The delivered state of paper 004 and its closed forms (Secs. II-V, Eqs. 2.1-5.1).

A source prepares ``|psi_a> = a|00> + sqrt(1 - a^2)|11>`` (Eq. 3.1, ``a`` in ``[0, 1]``); with
probability ``S`` the customers get their own pair, otherwise uncorrelated qubits, so they hold
(Eq. 2.1)

    M[rho] = S rho + (1 - S) Tr_B[rho] (x) Tr_A[rho].

Every quantity is a function of ``(a, S)`` that broadcasts numpy arrays (no Python loop over
scan points). Write ``b = sqrt(1 - a^2)`` and ``t = 2ab`` (the concurrence of ``|psi_a>``).
The closed forms below are derived in the docstrings and tested against the general two-qubit
tools of :mod:`bellflow.states` applied to :func:`delivered_state`.

Examples
--------
>>> import numpy as np
>>> round(float(concurrence(1 / np.sqrt(2), 0.5)), 12)  # (3S - 1)/2 for Bell pairs
0.25
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray

from bellflow import states

__all__ = [
    "FloatOrArray",
    "mix_up",
    "delivered_state",
    "fidelity",
    "concurrence",
    "entanglement_of_formation",
    "entanglement_boundary",
    "entanglement_boundary_eq34_printed",
    "is_entangled",
    "OptimalEntanglement",
    "optimal_entanglement",
    "eof_max_small_S",
    "max_chsh",
    "chsh_boundary",
    "chsh_boundary_eq51_printed",
    "violates_chsh",
]

#: A float for scalar input, an array over the broadcast input shape otherwise.
FloatOrArray = Any


# ----------------------------------------------------------------------------- helpers
def _unit(x: ArrayLike, name: str) -> NDArray[np.float64]:
    """``x`` as a float array, checked finite and in ``[0, 1]`` (``ValueError`` naming it)."""
    x = np.asarray(x, dtype=float)
    if not np.all(np.isfinite(x)) or np.any((x < 0) | (x > 1)):
        raise ValueError(f"{name} must lie in [0, 1]")
    return x


def _out(x: ArrayLike) -> FloatOrArray:
    x = np.asarray(x)
    return x[()] if x.ndim == 0 else x


def _ab(a: ArrayLike) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    a = _unit(a, "a")
    return a, np.sqrt((1 - a) * (1 + a))  # more accurate than 1 - a^2 near a = 1


def _craw_ab(ab: NDArray[np.float64], S: NDArray[np.float64]) -> NDArray[np.float64]:
    """Eq. (3.3) without the clip at 0, from ``ab``: ``2Sab - 2(1-S)a^2 b^2``."""
    return 2 * S * ab - 2 * (1 - S) * ab**2


def _concurrence_raw(a: ArrayLike, S: ArrayLike) -> NDArray[np.float64]:
    """Eq. (3.3) without the clip at 0: ``2Sab - 2(1-S)a^2 b^2``."""
    a, b = _ab(a)
    return _craw_ab(a * b, _unit(S, "S"))


def _chsh_ab(ab: NDArray[np.float64], S: NDArray[np.float64]) -> NDArray[np.float64]:
    """Horodecki CHSH value from ``ab`` (see :func:`max_chsh`)."""
    u = 4 * ab**2
    su = S**2 * u
    tzz = 1 - (1 - S) * u
    return np.asarray(2 * np.sqrt(su + np.maximum(su, tzz**2)))


def _iterations(iterations: int) -> int:
    if int(iterations) < 1:
        raise ValueError(f"iterations must be >= 1, got {iterations}")
    return int(iterations)


# ----------------------------------------------------------------------------- states
def mix_up(rho: ArrayLike, S: ArrayLike) -> NDArray[np.float64]:
    """The inept-delivery map, Eq. (2.1): ``M[rho] = S rho + (1-S) Tr_B[rho] (x) Tr_A[rho]``.

    Parameters
    ----------
    rho:
        Two-qubit density matrices ``(..., 4, 4)``.
    S:
        Success probability in ``[0, 1]`` (broadcast against ``rho``'s leading axes).

    Examples
    --------
    >>> round(float(mix_up(states.bell_state(), 0.0)[0, 0]), 12)
    0.25
    """
    rho = np.asarray(rho)
    S = _unit(S, "S")[..., None, None]
    ra = states.partial_trace(rho, (2, 2), keep=0)
    rb = states.partial_trace(rho, (2, 2), keep=1)
    prod = np.einsum("...ij,...kl->...ikjl", ra, rb)
    prod = prod.reshape(prod.shape[:-4] + (4, 4))
    return S * rho + (1 - S) * prod


def delivered_state(a: ArrayLike, S: ArrayLike) -> NDArray[np.float64]:
    """``M[|psi_a><psi_a|]`` with ``|psi_a> = a|00> + sqrt(1-a^2)|11>`` (Eqs. 2.1, 3.1).

    Built from the ket and :func:`mix_up` (explicit partial traces), not from a closed form.

    Parameters
    ----------
    a, S:
        Scalars or arrays in ``[0, 1]`` (broadcast); the result has shape
        ``broadcast(a, S).shape + (4, 4)`` and is real.

    Examples
    --------
    >>> np.round(delivered_state(1 / np.sqrt(2), 1.0)[[0, 0, 3], [0, 3, 3]], 12)
    array([0.5, 0.5, 0.5])
    """
    a, b = _ab(a)
    S = _unit(S, "S")
    a, b, S = np.broadcast_arrays(a, b, S)
    z = np.zeros_like(a)
    psi = np.stack([a, z, z, b], axis=-1)
    return mix_up(psi[..., :, None] * psi[..., None, :], S)


# ----------------------------------------------------------------------------- Sec. III
def fidelity(a: ArrayLike, S: ArrayLike) -> FloatOrArray:
    """Fidelity ``<psi_a| M[|psi_a><psi_a|] |psi_a> = 1 - 3a^2(1-S)(1-a^2)``, Eq. (3.2).

    Derivation: ``<psi_a|Tr_B (x) Tr_A|psi_a> = a^6 + b^6 = 1 - 3a^2 b^2``.

    Examples
    --------
    >>> round(float(fidelity(1 / np.sqrt(2), 0.0)), 12)
    0.25
    """
    a, b = _ab(a)
    S = _unit(S, "S")
    return _out(1 - 3 * a**2 * (1 - S) * b**2)


def concurrence(a: ArrayLike, S: ArrayLike) -> FloatOrArray:
    """Concurrence of ``M[|psi_a><psi_a|]``: ``max(0, 2Sab - 2(1-S)a^2(1-a^2))``, Eq. (3.3).

    The state is an X state with coherence ``Sab`` and populations
    ``rho_01,01 = rho_10,10 = (1-S)a^2 b^2``, so Wootters gives ``2 max(0, Sab - (1-S)a^2b^2)``.
    The paper prints Eq. (3.3) without the ``max(0, .)``; it is negative where ``C = 0``.

    Examples
    --------
    >>> float(concurrence(0.3, 0.0))
    0.0
    """
    return _out(np.clip(_concurrence_raw(a, S), 0.0, None))


def entanglement_of_formation(a: ArrayLike, S: ArrayLike) -> FloatOrArray:
    """``E_F`` of ``M[|psi_a><psi_a|]``: Wootters' ``h((1 + sqrt(1 - C^2))/2)`` of Eq. (3.3).

    Examples
    --------
    >>> round(float(entanglement_of_formation(1 / np.sqrt(2), 1.0)), 12)
    1.0
    """
    return states.eof_from_concurrence(concurrence(a, S))


def entanglement_boundary(a: ArrayLike) -> FloatOrArray:
    """Smallest ``S`` at which ``M[|psi_a><psi_a|]`` is entangled: ``C > 0`` iff ``S > ab/(1+ab)``.

    Eq. (3.4), corrected: ``S > a(1-a^2)/(sqrt(1-a^2) + a - a^3)`` (multiply ``ab/(1+ab)`` by
    ``b/b``). Paper typo: the denominator is printed ``... + a - a^2``
    (:func:`entanglement_boundary_eq34_printed`).

    Examples
    --------
    >>> round(float(entanglement_boundary(1 / np.sqrt(2))), 12)  # Bell pairs: 1/3
    0.333333333333
    """
    a, b = _ab(a)
    return _out(a * b / (1 + a * b))


def entanglement_boundary_eq34_printed(a: ArrayLike) -> FloatOrArray:
    """Eq. (3.4) exactly as printed: ``a(1-a^2)/(sqrt(1-a^2) + a - a^2)`` (wrong; see module).

    Examples
    --------
    >>> round(float(entanglement_boundary_eq34_printed(1 / np.sqrt(2))), 4)
    0.3867
    """
    a, b = _ab(a)
    with np.errstate(divide="ignore", invalid="ignore"):
        return _out(a * (1 - a**2) / (b + a - a**2))


def is_entangled(a: ArrayLike, S: ArrayLike) -> FloatOrArray:
    """``C(a, S) > 0`` (Eq. 3.3), i.e. ``S > ab/(1+ab)`` (Eq. 3.4 corrected).

    Examples
    --------
    >>> bool(is_entangled(1 / np.sqrt(2), 0.3))
    False
    """
    return _out(_concurrence_raw(a, S) > 0)


# ----------------------------------------------------------------------------- Sec. IV
class OptimalEntanglement(NamedTuple):
    """Maximum over ``a`` of the entanglement delivered at success probability ``S``."""

    a_star: FloatOrArray
    """Maximiser, on the branch ``a <= 1/sqrt(2)``."""
    concurrence: FloatOrArray
    """Maximal concurrence."""
    eof: FloatOrArray
    """Maximal entanglement of formation (ebits)."""


def optimal_entanglement(
    S: ArrayLike, method: str = "closed", iterations: int = 100
) -> OptimalEntanglement:
    """Maximum of ``E_F(a, S)`` over ``a`` (Sec. IV, Fig. 3 curve (a)) and its maximiser.

    ``E_F`` is increasing in ``C``, so both are maximised by the same ``a``. With ``t = 2ab``
    in ``[0, 1]``, Eq. (3.3) reads ``C = S t - (1-S) t^2/2``, concave in ``t``:

    - ``method="closed"``: ``t* = min(1, S/(1-S))``, ``C* = S t* - (1-S) t*^2/2`` (so
      ``C* = S^2/(2(1-S))`` for ``S <= 1/2`` and ``(3S-1)/2`` above, Bell pairs being optimal),
      ``a* = sqrt((1 - sqrt(1 - t*^2))/2)``.
    - ``method="numeric"``: golden-section search of Eq. (3.3) over ``a`` in ``[0, 1/sqrt 2]``
      (where it is unimodal), vectorised over ``S`` (``iterations`` steps).

    The maximiser reported is the one with ``a <= 1/sqrt(2)``; ``sqrt(1 - a*^2)`` is the other.
    For ``S -> 0``, ``a* -> S/2`` (the paper's rule below Eq. 4.1).

    Parameters
    ----------
    S:
        Success probability (scalar or array) in ``[0, 1]``.
    method:
        ``"closed"`` or ``"numeric"``.
    iterations:
        Golden-section steps for ``method="numeric"`` (>= 1).

    Examples
    --------
    >>> r = optimal_entanglement(0.25)
    >>> round(float(r.concurrence), 12)  # S^2 / (2 (1 - S))
    0.041666666667
    """
    S = _unit(S, "S")
    if method == "closed":
        with np.errstate(divide="ignore"):
            t = np.where(S < 0.5, S / np.where(S < 1, 1 - S, 1.0), 1.0)
        a_star = np.sqrt(t**2 / (2 * (1 + np.sqrt(1 - t**2))))
        c = S * t - (1 - S) * t**2 / 2
    elif method == "numeric":
        n_it = _iterations(iterations)
        g = (np.sqrt(5) - 1) / 2
        lo = np.zeros_like(S)
        hi = np.full_like(S, 1 / np.sqrt(2))
        for _ in range(n_it):
            x1 = hi - g * (hi - lo)
            x2 = lo + g * (hi - lo)
            left = _concurrence_raw(x1, S) >= _concurrence_raw(x2, S)  # max in [lo, x2]
            hi = np.where(left, x2, hi)
            lo = np.where(left, lo, x1)
        a_star = (lo + hi) / 2
        c = _concurrence_raw(a_star, S)
    else:
        raise ValueError(f"method must be 'closed' or 'numeric', got {method!r}")
    c = np.clip(c, 0.0, 1.0)
    return OptimalEntanglement(_out(a_star), _out(c), states.eof_from_concurrence(c))


def eof_max_small_S(S: ArrayLike) -> FloatOrArray:
    """Small-``S`` approximation of the maximal ``E_F``, Eq. (4.2).

    ``E_F^max ~ (S^4/4) [log2(1/S) + 1 + 1/(4 ln 2)]``: from ``C ~ 2aS - 2a^2`` (Eq. 4.1),
    maximal ``C ~ S^2/2`` at ``a = S/2``, and ``h(x) ~ -x log2 x + x/ln 2`` at
    ``x ~ C^2/4``.

    Parameters
    ----------
    S:
        Success probability in ``(0, 1]``.

    Examples
    --------
    >>> round(float(eof_max_small_S(0.5)), 6)
    0.036886
    """
    S = _unit(S, "S")
    if np.any(S <= 0):
        raise ValueError("S must lie in (0, 1] for Eq. (4.2)")
    return _out(S**4 / 4 * (np.log2(1 / S) + 1 + 1 / (4 * np.log(2))))


# ----------------------------------------------------------------------------- Sec. V
def max_chsh(a: ArrayLike, S: ArrayLike) -> FloatOrArray:
    """Horodecki maximal CHSH value of ``M[|psi_a><psi_a|]`` (closed form).

    The correlation matrix is diagonal: ``T = diag(St, -St, 1 - (1-S)t^2)`` with ``t = 2ab``,
    so ``max CHSH = 2 sqrt(S^2 t^2 + max(S^2 t^2, (1 - (1-S) t^2)^2))``.

    Examples
    --------
    >>> round(float(max_chsh(1 / np.sqrt(2), 1.0)), 12)  # Tsirelson 2 sqrt 2
    2.828427124746
    """
    a, b = _ab(a)
    return _out(_chsh_ab(a * b, _unit(S, "S")))


def violates_chsh(a: ArrayLike, S: ArrayLike) -> FloatOrArray:
    """Whether ``M[|psi_a><psi_a|]`` violates CHSH: :func:`max_chsh` ``> 2``.

    Examples
    --------
    >>> bool(violates_chsh(1 / np.sqrt(2), 0.8))
    True
    """
    return _out(max_chsh(a, S) > 2)


def chsh_boundary(a: ArrayLike, method: str = "closed", iterations: int = 100) -> FloatOrArray:
    """Smallest ``S`` above which ``M[|psi_a><psi_a|]`` violates CHSH (Eq. 5.1, corrected).

    With ``u = 4a^2(1-a^2) = 4a^2 - 4a^4``, :func:`max_chsh` ``> 2`` iff
    ``S^2 u + (1 - (1-S)u)^2 > 1`` or ``2 S^2 u > 1``. The first is the quadratic
    ``(1+u) S^2 + 2(1-u) S + u - 2 > 0``, i.e. ``S > s1 = (u - 1 + sqrt(3-u))/(1+u)``
    ``= (4a^4-4a^2+1-sqrt(4a^4-4a^2+3))/(4a^4-4a^2-1)``; the second ``S > s2 = 1/sqrt(2u)``.
    The boundary is ``min(s1, s2)`` (numerically ``s1 <= s2`` everywhere, equal at Bell pairs).
    For ``a`` in ``{0, 1}`` (product states) no ``S`` violates: ``inf`` is returned.

    Paper typo: Eq. (5.1) as printed (:func:`chsh_boundary_eq51_printed`) puts the whole
    expression in a denominator with a factor 4, giving ``1/(8 sqrt 2)`` for Bell pairs.

    Parameters
    ----------
    a:
        State parameter(s) in ``[0, 1]``.
    method:
        ``"closed"`` (the formula above) or ``"numeric"`` (vectorised bisection of
        :func:`max_chsh` ``= 2`` in ``S``, which is increasing in ``S``).
    iterations:
        Bisection steps for ``method="numeric"``.

    Examples
    --------
    >>> round(float(chsh_boundary(1 / np.sqrt(2))), 12)  # 1/sqrt 2
    0.707106781187
    """
    a, b = _ab(a)
    u = (2 * a * b) ** 2
    if method == "closed":
        with np.errstate(divide="ignore", invalid="ignore"):
            s1 = (u - 1 + np.sqrt(3 - u)) / (1 + u)
            s2 = 1 / np.sqrt(2 * u)
        res = np.where(u > 0, np.minimum(s1, s2), np.inf)
    elif method == "numeric":
        n_it = _iterations(iterations)
        lo = np.zeros_like(a)
        hi = np.ones_like(a)
        for _ in range(n_it):
            mid = (lo + hi) / 2
            above = max_chsh(a, mid) > 2
            hi = np.where(above, mid, hi)
            lo = np.where(above, lo, mid)
        res = np.where(max_chsh(a, 1.0) > 2, (lo + hi) / 2, np.inf)
    else:
        raise ValueError(f"method must be 'closed' or 'numeric', got {method!r}")
    return _out(res)


def chsh_boundary_eq51_printed(a: ArrayLike) -> FloatOrArray:
    """Eq. (5.1) exactly as printed (wrong; see :func:`chsh_boundary`).

    ``1/[4(4a^4-4a^2-1)(4a^4-4a^2+1-sqrt(4a^4-4a^2+3))]``.

    Examples
    --------
    >>> round(float(chsh_boundary_eq51_printed(1 / np.sqrt(2)) * 8 * np.sqrt(2)), 12)
    1.0
    """
    a = _unit(a, "a")
    w = 4 * a**4 - 4 * a**2
    with np.errstate(divide="ignore"):
        return _out(1 / (4 * (w - 1) * (w + 1 - np.sqrt(w + 3))))

