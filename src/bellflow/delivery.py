"""Paper 004: entanglement distribution by an inept delivery service.

A source prepares ``|psi_a> = a|00> + sqrt(1 - a^2)|11>`` (Eq. 3.1, ``a`` in ``[0, 1]``); with
probability ``S`` the customers get their own pair, otherwise uncorrelated qubits, so they hold
(Eq. 2.1)

    M[rho] = S rho + (1 - S) Tr_B[rho] (x) Tr_A[rho].

Every quantity is a function of ``(a, S)`` that broadcasts numpy arrays (no Python loop over
scan points). Write ``b = sqrt(1 - a^2)`` and ``t = 2ab`` (the concurrence of ``|psi_a>``).
The closed forms below are derived in the docstrings and tested against the general two-qubit
tools of :mod:`bellflow.states` applied to :func:`delivered_state`.

Basis: ``|00>, |01>, |10>, |11>`` (``np.kron`` ordering, A first). The concurrence of
``M[|psi_a><psi_a|]`` is symmetric under ``a <-> sqrt(1 - a^2)``; where a maximiser over ``a``
is reported, it is the one with ``a <= 1/sqrt(2)`` (the paper's ``a ~ S/2`` branch).

Paper typos found (the code uses the corrected formulas):

- Eq. (3.4), as printed ``S > a(1-a^2)/(sqrt(1-a^2) + a - a^2)``, should read
  ``S > a(1-a^2)/(sqrt(1-a^2) + a - a^3)``, i.e. ``S > ab/(1 + ab)``; the printed form gives
  ``S > 0.387`` for Bell pairs, contradicting the paper's own (correct) ``S > 1/3``.
- Eq. (5.1), as printed ``S > 1/[4(4a^4-4a^2-1)(4a^4-4a^2+1-sqrt(4a^4-4a^2+3))]``, gives
  ``S > 1/(8 sqrt 2) = 0.088`` for Bell pairs, contradicting the paper's own (correct)
  ``S > 1/sqrt 2``. The CHSH threshold is
  ``S > (4a^4-4a^2+1-sqrt(4a^4-4a^2+3))/(4a^4-4a^2-1)`` (see :func:`chsh_boundary`).
- Eq. (5.4) should read ``rho_SEP = (rho - c rho_B)/(1 - c)`` (the factor ``c`` is missing).
- Eq. (3.3) is printed without ``max(0, .)``: it is negative where the state is separable.
- Sec. IV, "of order 4/S^4 log2 S^-1" deliveries per Bell pair: read as
  ``4/(S^4 log2(1/S))`` (``1/E_F^max`` from Eq. 4.2); the log belongs in the denominator.

Examples
--------
>>> import numpy as np
>>> round(float(concurrence(1 / np.sqrt(2), 0.5)), 12)  # (3S - 1)/2 for Bell pairs
0.25
>>> scan(np.linspace(0, 1, 3), np.linspace(0, 1, 4))["eof"].shape
(3, 4)
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from bellflow import states
from bellflow.optim import OptResult, solve_lp

__all__ = [
    "BARRETT_WEIGHT",
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
    "barrett_state",
    "lhv_decomposition",
    "lhv_region",
    "lhv_boundaries",
    "lhv_decomposition_lp",
    "boundaries",
    "scan",
    "fig3_curves",
    "paper_checks",
]

#: Weight of the Bell state in Barrett's Werner state, Eq. (5.2): an input of the paper's
#: construction (Barrett, PRA 65, 042302 (2002)), not a result of this paper.
BARRETT_WEIGHT: float = 5 / 12


# ----------------------------------------------------------------------------- helpers
def _unit(x, name: str) -> np.ndarray:
    x = np.asarray(x, dtype=float)
    if not np.all(np.isfinite(x)) or np.any((x < 0) | (x > 1)):
        raise ValueError(f"{name} must lie in [0, 1]")
    return x


def _out(x):
    x = np.asarray(x)
    return x[()] if x.ndim == 0 else x


def _ab(a) -> tuple[np.ndarray, np.ndarray]:
    a = _unit(a, "a")
    return a, np.sqrt((1 - a) * (1 + a))  # more accurate than 1 - a^2 near a = 1


def _craw_ab(ab: np.ndarray, S: np.ndarray) -> np.ndarray:
    """Eq. (3.3) without the clip at 0, from ``ab``: ``2Sab - 2(1-S)a^2 b^2``."""
    return 2 * S * ab - 2 * (1 - S) * ab**2


def _concurrence_raw(a, S) -> np.ndarray:
    """Eq. (3.3) without the clip at 0: ``2Sab - 2(1-S)a^2 b^2``."""
    a, b = _ab(a)
    return _craw_ab(a * b, _unit(S, "S"))


def _chsh_ab(ab: np.ndarray, S: np.ndarray) -> np.ndarray:
    """Horodecki CHSH value from ``ab`` (see :func:`max_chsh`)."""
    u = 4 * ab**2
    su = S**2 * u
    tzz = 1 - (1 - S) * u
    return 2 * np.sqrt(su + np.maximum(su, tzz**2))


def _lhv_terms(a, b, S, p: float):
    """``c`` and the diagonal of ``(1-c) rho_SEP`` (``d_00, d_01 = d_10, d_11``), Eq. (5.3)."""
    ab = a * b
    c = 2 * S * ab / p
    bdiag = p / 2 + (1 - p) / 4
    boff = (1 - p) / 4
    d01 = (1 - S) * ab**2 - c * boff
    d00 = S * a**2 + (1 - S) * a**4 - c * bdiag
    d11 = S * b**2 + (1 - S) * b**4 - c * bdiag
    return c, d00, d01, d11


def _check_p(p_barrett: float) -> None:
    if not 0 < p_barrett <= 1:
        raise ValueError(f"p_barrett must lie in (0, 1], got {p_barrett}")


# ----------------------------------------------------------------------------- states
def mix_up(rho, S) -> np.ndarray:
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


def delivered_state(a, S) -> np.ndarray:
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
def fidelity(a, S):
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


def concurrence(a, S):
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


def entanglement_of_formation(a, S):
    """``E_F`` of ``M[|psi_a><psi_a|]``: Wootters' ``h((1 + sqrt(1 - C^2))/2)`` of Eq. (3.3).

    Examples
    --------
    >>> round(float(entanglement_of_formation(1 / np.sqrt(2), 1.0)), 12)
    1.0
    """
    return states.eof_from_concurrence(concurrence(a, S))


def entanglement_boundary(a):
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


def entanglement_boundary_eq34_printed(a):
    """Eq. (3.4) exactly as printed: ``a(1-a^2)/(sqrt(1-a^2) + a - a^2)`` (wrong; see module).

    Examples
    --------
    >>> round(float(entanglement_boundary_eq34_printed(1 / np.sqrt(2))), 4)
    0.3867
    """
    a, b = _ab(a)
    with np.errstate(divide="ignore", invalid="ignore"):
        return _out(a * (1 - a**2) / (b + a - a**2))


def is_entangled(a, S):
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

    a_star: np.ndarray | float
    """Maximiser, on the branch ``a <= 1/sqrt(2)``."""
    concurrence: np.ndarray | float
    """Maximal concurrence."""
    eof: np.ndarray | float
    """Maximal entanglement of formation (ebits)."""


def optimal_entanglement(S, method: str = "closed", iterations: int = 100) -> OptimalEntanglement:
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
        if int(iterations) < 1:
            raise ValueError(f"iterations must be >= 1, got {iterations}")
        g = (np.sqrt(5) - 1) / 2
        lo = np.zeros_like(S)
        hi = np.full_like(S, 1 / np.sqrt(2))
        for _ in range(int(iterations)):
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


def eof_max_small_S(S):
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
def max_chsh(a, S):
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


def violates_chsh(a, S):
    """Whether ``M[|psi_a><psi_a|]`` violates CHSH: :func:`max_chsh` ``> 2``.

    Examples
    --------
    >>> bool(violates_chsh(1 / np.sqrt(2), 0.8))
    True
    """
    return _out(max_chsh(a, S) > 2)


def chsh_boundary(a, method: str = "closed", iterations: int = 100):
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
        if int(iterations) < 1:
            raise ValueError(f"iterations must be >= 1, got {iterations}")
        lo = np.zeros_like(a)
        hi = np.ones_like(a)
        for _ in range(int(iterations)):
            mid = (lo + hi) / 2
            above = max_chsh(a, mid) > 2
            hi = np.where(above, mid, hi)
            lo = np.where(above, lo, mid)
        res = np.where(max_chsh(a, 1.0) > 2, (lo + hi) / 2, np.inf)
    else:
        raise ValueError(f"method must be 'closed' or 'numeric', got {method!r}")
    return _out(res)


def chsh_boundary_eq51_printed(a):
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


def barrett_state(p_barrett: float = BARRETT_WEIGHT) -> np.ndarray:
    """Barrett's Werner state, Eq. (5.2): ``p |Phi+><Phi+| + (1-p) I/4`` with ``p = 5/12``.

    ``|Phi+> = (|00> + |11>)/sqrt 2`` is ``|psi_a>`` at ``a = 1/sqrt 2`` (the paper's Bell
    state). Barrett (PRA 65, 042302) gives a local model for all POVMs at this weight.

    Examples
    --------
    >>> round(float(barrett_state()[0, 3]), 12)  # p/2 = 5/24
    0.208333333333
    """
    _check_p(p_barrett)
    return states.werner_state(p_barrett)


def lhv_decomposition(a, S, p_barrett: float = BARRETT_WEIGHT) -> tuple[np.ndarray, np.ndarray]:
    """The decomposition ``M[psi_a] = c rho_B + (1-c) rho_SEP`` with diagonal ``rho_SEP``.

    Eqs. (5.3)-(5.4). A diagonal ``rho_SEP`` must carry no coherence, so the coherence
    ``rho_00,11 = Sab`` must come from ``c rho_B``, whose coherence is ``c p/2``: ``c`` is
    fixed, ``c = 2Sab/p`` (``= 24Sab/5``). The diagonal of ``(1-c) rho_SEP`` is then
    ``d_i = rho_ii - c (rho_B)_ii`` with ``(rho_B)_00 = (rho_B)_11 = p/2 + (1-p)/4`` and
    ``(rho_B)_01 = (rho_B)_10 = (1-p)/4``; ``sum_i d_i = 1 - c`` automatically.
    (Paper typo: Eq. (5.4) omits the ``c`` in ``rho - c rho_B``.)

    Returns
    -------
    c:
        Shape ``broadcast(a, S).shape``.
    d:
        Shape ``broadcast(a, S).shape + (4,)``: diagonal of ``(1-c) rho_SEP`` in the order
        ``00, 01, 10, 11`` (``rho_SEP = diag(d)/(1-c)`` when ``c < 1``).

    Examples
    --------
    >>> c, d = lhv_decomposition(1 / np.sqrt(2), 0.4)
    >>> round(float(c), 12)  # 24 S ab / 5 = 0.96
    0.96
    """
    a, b = _ab(a)
    S = _unit(S, "S")
    _check_p(p_barrett)
    a, b, S = np.broadcast_arrays(a, b, S)
    c, d00, d01, d11 = _lhv_terms(a, b, S, p_barrett)
    return _out(c), np.stack([d00, d01, d01, d11], axis=-1)


def lhv_region(a, S, p_barrett: float = BARRETT_WEIGHT):
    """Points where the paper's Sec. V local model applies (the gray triangle of Fig. 2).

    Exact condition tested per point: the state is entangled (``C > 0``, Eq. 3.3: the paper's
    lower boundary), ``0 < c < 1`` with ``c = 2Sab/p`` (Eq. 5.3; ``c`` is forced by a diagonal
    ``rho_SEP``, see :func:`lhv_decomposition`), and all four diagonal entries of
    ``rho_SEP`` are ``>= 0`` (a diagonal state is separable). No other ``c`` can work, so this
    is "some ``c`` in (0, 1) works" exactly.

    Examples
    --------
    >>> bool(lhv_region(1 / np.sqrt(2), 0.4)), bool(lhv_region(1 / np.sqrt(2), 0.45))
    (True, False)
    """
    a, b = _ab(a)
    S = _unit(S, "S")
    _check_p(p_barrett)
    return _out(_lhv_mask(a, b, S, p_barrett))


def _lhv_mask(a, b, S, p: float) -> np.ndarray:
    c, d00, d01, d11 = _lhv_terms(a, b, S, p)
    ok = (c > 0) & (c < 1) & (d00 >= 0) & (d01 >= 0) & (d11 >= 0)
    return ok & (_craw_ab(a * b, S) > 0)


def lhv_boundaries(a, p_barrett: float = BARRETT_WEIGHT) -> dict[str, np.ndarray]:
    """Boundaries in ``S`` of the conditions of :func:`lhv_region`, as functions of ``a``.

    With ``k = 1 + (1-p)/(2p)`` (``= 17/10``) and ``k' = (1-p)/(2p)`` (``= 7/10``):

    - ``"left"``: ``d_00 >= 0`` iff ``S <= a^3/(b(k - ab))`` (binding for ``a < 1/sqrt 2``),
    - ``"right"``: ``d_11 >= 0`` iff ``S <= b^3/(a(k - ab))`` (binding for ``a > 1/sqrt 2``),
    - ``"offdiag"``: ``d_01 = d_10 >= 0`` iff ``S <= ab/(ab + k')``,
    - ``"c_below_one"``: ``c < 1`` iff ``S < p/(2ab)``,
    - ``"lower"``: entanglement, ``S > ab/(1+ab)`` (:func:`entanglement_boundary`),
    - ``"upper"``: ``min`` of the four upper bounds.

    The region is ``lower < S <= upper``. The paper says two eigenvalues of ``rho_SEP`` "are
    always positive": the ``01``/``10`` bound is never the binding one inside the region
    (checked in :func:`paper_checks`), although it is violated at larger ``S``.

    Examples
    --------
    >>> sorted(lhv_boundaries(0.7))
    ['c_below_one', 'left', 'lower', 'offdiag', 'right', 'upper']
    """
    a, b = _ab(a)
    _check_p(p_barrett)
    kp = (1 - p_barrett) / (2 * p_barrett)
    k = 1 + kp
    ab = a * b
    with np.errstate(divide="ignore", invalid="ignore"):
        left = np.where(b > 0, a**3 / (b * (k - ab)), np.inf)
        right = np.where(a > 0, b**3 / (a * (k - ab)), np.inf)
        c1 = np.where(ab > 0, p_barrett / (2 * ab), np.inf)
    off = ab / (ab + kp)
    out = {
        "left": left,
        "right": right,
        "offdiag": off,
        "c_below_one": c1,
        "lower": np.asarray(entanglement_boundary(a)),
    }
    out["upper"] = np.minimum.reduce([left, right, off, c1])
    return {k_: _out(v) for k_, v in out.items()}


def lhv_decomposition_lp(a: float, S: float, p_barrett: float = BARRETT_WEIGHT) -> OptResult:
    """Reference route for one point: the Eq. (5.3) decomposition as an LP on the 4x4 matrix.

    Variables ``c`` (free) and ``d_0..d_3`` (free) and ``s >= 0``; constraints: all 16 entries
    of ``rho - c rho_B - diag(d) = 0`` with ``rho`` = :func:`delivered_state` and ``rho_B`` =
    :func:`barrett_state`, and ``d_i + s >= 0``; minimise ``s``. The decomposition with a
    diagonal (hence separable) ``rho_SEP`` exists iff the optimum has ``s <= 0`` (i.e. 0) and
    ``0 < c < 1``. Solved by :func:`bellflow.optim.solve_lp`; ``extra["c"]`` and
    ``extra["d"]`` hold the solution.

    Examples
    --------
    >>> r = lhv_decomposition_lp(1 / np.sqrt(2), 0.4)
    >>> round(r.value, 9), round(float(r.extra["c"]), 9)
    (0.0, 0.96)
    """
    rho = np.asarray(delivered_state(float(a), float(S))).reshape(16)
    rb = barrett_state(p_barrett).reshape(16)
    # x = (c, d0, d1, d2, d3, s)
    A_eq = np.zeros((16, 6))
    A_eq[:, 0] = rb
    for i in range(4):
        A_eq[5 * i, 1 + i] = 1.0
    A_ub = np.zeros((4, 6))
    for i in range(4):
        A_ub[i, 1 + i] = -1.0
        A_ub[i, 5] = -1.0
    res = solve_lp(
        np.array([0, 0, 0, 0, 0, 1.0]),
        name="delivery LHV decomposition (Eq. 5.3, diagonal rho_SEP)",
        params={"a": float(a), "S": float(S), "p_barrett": p_barrett},
        A_eq=A_eq,
        b_eq=rho,
        A_ub=A_ub,
        b_ub=np.zeros(4),
        bounds=[(None, None)] * 5 + [(0, None)],
    )
    res.extra["c"] = res.extra["x"][0]
    res.extra["d"] = res.extra["x"][1:5]
    return res


# ----------------------------------------------------------------------------- one-call APIs
def _grid(x, name: str) -> np.ndarray:
    x = _unit(x, name)
    if x.ndim != 1 or x.size < 1:
        raise ValueError(f"{name} must be a non-empty 1-d array")
    return x


def scan(a_grid, S_grid, p_barrett: float = BARRETT_WEIGHT) -> dict[str, np.ndarray]:
    """Every ``(a, S)`` quantity of Fig. 2 on the grid ``a_grid x S_grid``.

    Returns a dict of arrays of shape ``(len(a_grid), len(S_grid))`` (plus the two axes):
    ``"a"``, ``"S"`` (the grids), ``"eof"`` (E_F, colour map), ``"concurrence"`` (Eq. 3.3),
    ``"fidelity"`` (Eq. 3.2), ``"chsh_max"`` (Horodecki value, :func:`max_chsh`),
    ``"entangled"`` (``C > 0``; the complement is the white region, Eq. 3.4),
    ``"chsh_violated"`` (above the CHSH line, Eq. 5.1 corrected) and ``"lhv"``
    (:func:`lhv_region` with Barrett weight ``p_barrett``, the gray triangle). Closed forms
    only: no per-point loop.

    Examples
    --------
    >>> r = scan(np.linspace(0, 1, 5), np.linspace(0, 1, 3))
    >>> r["lhv"].shape, r["lhv"].dtype
    ((5, 3), dtype('bool'))
    """
    a = _grid(a_grid, "a_grid")
    S = _grid(S_grid, "S_grid")[None, :]
    _check_p(p_barrett)
    _, b = _ab(a)
    A, B = a[:, None], b[:, None]  # the closed forms broadcast (n_a, 1) x (1, n_S)
    ab = A * B
    craw = _craw_ab(ab, S)
    c = np.clip(craw, 0.0, None)
    chsh = _chsh_ab(ab, S)
    return {
        "a": a,
        "S": S[0],
        "eof": np.asarray(states.eof_from_concurrence(c)),
        "concurrence": c,
        "fidelity": np.broadcast_to(1 - 3 * ab**2 * (1 - S), c.shape).copy(),
        "chsh_max": chsh,
        "entangled": craw > 0,
        "chsh_violated": chsh > 2,
        "lhv": _lhv_mask(A, B, S, p_barrett),
    }


def boundaries(a_grid, p_barrett: float = BARRETT_WEIGHT) -> dict[str, np.ndarray]:
    """The curves of Fig. 2 as functions of ``a`` (each ``S`` threshold, shape ``a_grid``).

    ``"a"``; ``"entanglement"`` (Eq. 3.4 corrected, :func:`entanglement_boundary`);
    ``"entanglement_eq34_printed"``; ``"chsh"`` (closed form, Eq. 5.1 corrected),
    ``"chsh_numeric"`` (bisection on the Horodecki value), ``"chsh_eq51_printed"``;
    ``"lhv_left"``, ``"lhv_right"``, ``"lhv_offdiag"``, ``"lhv_upper"``, ``"lhv_lower"``
    (:func:`lhv_boundaries`). ``inf`` marks "no threshold" (no ``S`` in [0, 1] qualifies).

    Examples
    --------
    >>> sorted(boundaries([0.5, 0.7]))[:3]
    ['a', 'chsh', 'chsh_eq51_printed']
    """
    a = _grid(a_grid, "a_grid")
    lhv = lhv_boundaries(a, p_barrett)
    return {
        "a": a,
        "entanglement": np.asarray(entanglement_boundary(a)),
        "entanglement_eq34_printed": np.asarray(entanglement_boundary_eq34_printed(a)),
        "chsh": np.asarray(chsh_boundary(a)),
        "chsh_numeric": np.asarray(chsh_boundary(a, method="numeric")),
        "chsh_eq51_printed": np.asarray(chsh_boundary_eq51_printed(a)),
        "lhv_left": np.asarray(lhv["left"]),
        "lhv_right": np.asarray(lhv["right"]),
        "lhv_offdiag": np.asarray(lhv["offdiag"]),
        "lhv_upper": np.asarray(lhv["upper"]),
        "lhv_lower": np.asarray(lhv["lower"]),
    }


def fig3_curves(S_grid, a_c: float = 1 / np.sqrt(2), a_d: float = 0.1) -> dict[str, np.ndarray]:
    """The curves of Fig. 3 over ``S``, as its caption describes them.

    - ``"a_max_eof"``: (a) the maximum ``E_F`` over ``a`` (:func:`optimal_entanglement`,
      closed form; ``"a_max_eof_numeric"`` is the golden-section route),
    - ``"b_eq42"``: (b) the small-``S`` approximation, Eq. (4.2) (``nan`` at ``S = 0``),
    - ``"c_fixed_a"``: (c) ``E_F`` for the fixed state ``a = a_c`` (caption: ``1/sqrt 2``),
    - ``"d_fixed_a"``: (d) ``E_F`` for ``a = a_d`` (caption: ``0.1``),

    plus ``"S"``, ``"a_star"`` (maximiser, branch ``a <= 1/sqrt 2``), ``"a_c"``, ``"a_d"``.

    Examples
    --------
    >>> r = fig3_curves(np.linspace(0.1, 1, 4))
    >>> bool(np.all(r["a_max_eof"] >= r["c_fixed_a"]))
    True
    """
    S = _grid(S_grid, "S_grid")
    a_c = float(_unit(a_c, "a_c"))
    a_d = float(_unit(a_d, "a_d"))
    opt = optimal_entanglement(S)
    num = optimal_entanglement(S, method="numeric")
    pos = S > 0
    b = np.full_like(S, np.nan)
    b[pos] = eof_max_small_S(S[pos])
    return {
        "S": S,
        "a_max_eof": np.asarray(opt.eof),
        "a_max_eof_numeric": np.asarray(num.eof),
        "a_star": np.asarray(opt.a_star),
        "b_eq42": b,
        "c_fixed_a": np.asarray(entanglement_of_formation(a_c, S)),
        "d_fixed_a": np.asarray(entanglement_of_formation(a_d, S)),
        "a_c": np.asarray(a_c),
        "a_d": np.asarray(a_d),
    }


def paper_checks(
    small_S: float = 1e-3,
    eq42_S: tuple[float, ...] = (1e-2, 1e-1),
    p_barrett: float = BARRETT_WEIGHT,
) -> dict[str, float]:
    """Computed values of the numbers and claims the paper states (for the reproduction table).

    Each value is computed by root finding or optimisation (scipy ``brentq``,
    ``minimize_scalar``) on the library's functions; nothing is typed in. Claims are ``1.0``
    (true) or ``0.0``. Keys and the paper statement each one checks:

    - ``fidelity_argmin_a``: argmin over ``a`` of Eq. (3.2) at ``S = 1/2`` (Sec. III: "The
      minimum of Eq. (3.2) is at a = 1/sqrt 2").
    - ``bell_entanglement_threshold_S``: root in ``S`` of Eq. (3.3) at ``a = 1/sqrt 2``
      ("C = 0 for Bell pairs when S < 1/3").
    - ``eq34_printed_bell_S``: Eq. (3.4) as printed at ``a = 1/sqrt 2`` (typo: not 1/3).
    - ``eq34_corrected_max_abs_dev``: max over an ``a`` grid of the difference between the
      corrected Eq. (3.4) and a bisection root of Eq. (3.3) (should be ~1e-15).
    - ``small_S_entanglement_edge_over_S``: at ``S = small_S``, the largest entangled ``a`` on
      the small-``a`` branch (root of Eq. 3.4) divided by ``S`` ("For S << 1, Eq. (3.4) is
      satisfied if a < S": ratio -> 1).
    - ``pure_concurrence_over_2a``: concurrence of ``|psi_a>`` (``S = 1``) over ``2a`` at
      ``a = 1e-6`` ("the concurrence of |psi_a> scales as 2a for a << 1").
    - ``entangled_for_all_S``: claim: the maximal concurrence is ``> 0`` at every ``S`` of a
      log grid ``[1e-6, 1]`` ("no matter how small S is, ... entanglement can be distributed").
    - ``a_star_over_half_S``: numerical maximiser of ``E_F`` (scipy bounded) at
      ``S = small_S`` divided by ``S/2`` ("C (and thus E_F) is maximized for a = S/2").
    - ``a_star_closed_vs_numeric``: ``|a*_closed - a*_scipy|`` at ``S = small_S``.
    - ``eq42_rel_error_S_<S>`` for each ``S`` in ``eq42_S``: ``|Eq. 4.2 - max E_F| / max E_F``
      with ``max E_F`` from scipy's maximisation (Fig. 3 compares (a) and (b)).
    - ``distill_cost_ratio``: ``(1/max E_F) / (4/(S^4 log2(1/S)))`` at ``S = small_S``
      ("to distill a single Bell pair requires delivery of at least of order
      4/S^4 log2 S^-1" read as ``4/(S^4 log2 S^-1)``; the ratio tends to 1 only
      logarithmically slowly).
    - ``bell_chsh_threshold_S``: root in ``S`` of Horodecki CHSH = 2 at ``a = 1/sqrt 2``
      ("For Bell states this requires that S > 1/sqrt 2").
    - ``chsh_threshold_min_S``, ``chsh_threshold_argmin_a``: minimum over ``a`` of the CHSH
      threshold (bisection) and where it is ("for a != 1/sqrt 2 the requirement is more
      strict": argmin 1/sqrt 2, minimum 1/sqrt 2).
    - ``eq51_printed_bell_S``: Eq. (5.1) as printed at ``a = 1/sqrt 2`` (typo: not 1/sqrt 2).
    - ``eq51_corrected_max_abs_dev``: max over an ``a`` grid of ``|corrected closed form -
      bisection root|``.
    - ``lhv_max_S``, ``lhv_apex_a``, ``lhv_a_min``, ``lhv_a_max``: top of the LHV region (the
      corner where the left and right boundaries meet: the Bell point, where ``S`` equals
      Barrett's weight, the largest Werner weight of Eq. 5.2) and its extent in ``a`` (roots
      of left/right boundary = entanglement boundary); ``lhv_region_is_finite``: claim that
      the region is a non-empty, finite region ("we identified a finite region of S-a space").
    - ``lhv_offdiag_never_binding``: claim that the ``01``/``10`` entries of ``rho_SEP`` are
      ``>= 0`` wherever the other conditions hold ("Two of these eigenvalues are found to always
      be positive"), checked on a fine ``a`` grid.

    Parameters
    ----------
    small_S:
        The ``S << 1`` point used for the small-``S`` statements.
    eq42_S:
        The ``S`` values at which the accuracy of Eq. (4.2) is reported.
    p_barrett:
        Weight of Barrett's Werner state (Eq. 5.2) for the LHV statements.

    Examples
    --------
    >>> abs(paper_checks()["bell_entanglement_threshold_S"] - 1 / 3) < 1e-12
    True
    """
    from scipy.optimize import brentq, minimize_scalar

    if not 0 < small_S < 0.5:
        raise ValueError(f"small_S must lie in (0, 0.5), got {small_S}")
    eq42_S = tuple(float(s) for s in eq42_S)
    if any(not 0 < s < 0.5 for s in eq42_S):
        raise ValueError(f"eq42_S must lie in (0, 0.5), got {eq42_S}")
    _check_p(p_barrett)
    bell = 1 / np.sqrt(2)
    xtol = dict(xtol=1e-15, rtol=1e-15)
    out: dict[str, float] = {}

    r = minimize_scalar(
        lambda x: float(fidelity(x, 0.5)), bounds=(0, 1), method="bounded", options={"xatol": 1e-10}
    )
    out["fidelity_argmin_a"] = float(r.x)
    out["bell_entanglement_threshold_S"] = brentq(
        lambda s: float(_concurrence_raw(bell, s)), 1e-9, 1, **xtol
    )
    out["eq34_printed_bell_S"] = float(entanglement_boundary_eq34_printed(bell))

    agrid = np.linspace(0.01, 0.99, 99)
    lo, hi = np.zeros_like(agrid), np.ones_like(agrid)
    for _ in range(100):
        mid = (lo + hi) / 2
        ent = _concurrence_raw(agrid, mid) > 0
        hi, lo = np.where(ent, mid, hi), np.where(ent, lo, mid)
    out["eq34_corrected_max_abs_dev"] = float(np.max(np.abs(entanglement_boundary(agrid) - hi)))

    edge = brentq(lambda x: float(entanglement_boundary(x)) - small_S, 0.0, bell, **xtol)
    out["small_S_entanglement_edge_over_S"] = edge / small_S
    out["pure_concurrence_over_2a"] = float(concurrence(1e-6, 1.0)) / 2e-6
    sg = np.logspace(-6, 0, 61)
    out["entangled_for_all_S"] = float(np.all(optimal_entanglement(sg).concurrence > 0))

    def max_eof_scipy(s: float) -> tuple[float, float]:
        # maximise over a in [0, 1/sqrt 2] the concurrence (E_F is increasing in C, and C is
        # of order S^2 where E_F is of order S^4, so its maximum is better resolved).
        rr = minimize_scalar(
            lambda x: -float(_concurrence_raw(x, s)),
            bounds=(0, bell),
            method="bounded",
            options={"xatol": 1e-14},
        )
        return float(rr.x), float(entanglement_of_formation(rr.x, s))

    a_num, e_num = max_eof_scipy(small_S)
    out["a_star_over_half_S"] = a_num / (small_S / 2)
    out["a_star_closed_vs_numeric"] = abs(float(optimal_entanglement(small_S).a_star) - a_num)
    for s in eq42_S:
        e = max_eof_scipy(s)[1]
        out[f"eq42_rel_error_S_{s:g}"] = abs(float(eof_max_small_S(s)) - e) / e
    out["distill_cost_ratio"] = (1 / e_num) / (4 / (small_S**4 * np.log2(1 / small_S)))

    out["bell_chsh_threshold_S"] = brentq(lambda s: float(max_chsh(bell, s)) - 2, 0, 1, **xtol)
    r = minimize_scalar(
        lambda x: float(chsh_boundary(x, method="numeric")),
        bounds=(0.05, 0.95),
        method="bounded",
        options={"xatol": 1e-10},
    )
    out["chsh_threshold_min_S"] = float(r.fun)
    out["chsh_threshold_argmin_a"] = float(r.x)
    out["eq51_printed_bell_S"] = float(chsh_boundary_eq51_printed(bell))
    out["eq51_corrected_max_abs_dev"] = float(
        np.max(np.abs(chsh_boundary(agrid) - chsh_boundary(agrid, method="numeric")))
    )

    def gap_left(x):
        lb = lhv_boundaries(x, p_barrett)
        return float(lb["left"] - lb["lower"])

    def gap_right(x):
        lb = lhv_boundaries(x, p_barrett)
        return float(lb["right"] - lb["lower"])

    out["lhv_a_min"] = brentq(gap_left, 0.05, bell, **xtol)
    out["lhv_a_max"] = brentq(gap_right, bell, 0.95, **xtol)
    # the top of the region is the corner where the left and right boundaries meet
    apex = brentq(
        lambda x: float(
            lhv_boundaries(x, p_barrett)["left"] - lhv_boundaries(x, p_barrett)["right"]
        ),
        out["lhv_a_min"],
        out["lhv_a_max"],
        **xtol,
    )
    out["lhv_apex_a"] = apex
    out["lhv_max_S"] = float(lhv_boundaries(apex, p_barrett)["upper"])
    fine = np.linspace(out["lhv_a_min"], out["lhv_a_max"], 20001)
    lb = lhv_boundaries(fine, p_barrett)
    inner = np.minimum(lb["left"], lb["right"])
    out["lhv_region_is_finite"] = float(
        0 < out["lhv_a_min"] < out["lhv_a_max"] < 1 and np.all(inner >= lb["lower"] - 1e-12)
    )
    out["lhv_offdiag_never_binding"] = float(
        np.all(lb["offdiag"] >= np.minimum(inner, lb["c_below_one"]) - 1e-12)
    )
    return {k: float(v) for k, v in out.items()}
