"""Sec. V of paper 004: the local-hidden-variable region (gray triangle of Fig. 2).

The delivered state is written as ``M[psi_a] = c rho_B + (1-c) rho_SEP`` (Eq. 5.3) with
``rho_B`` Barrett's Werner state (Eq. 5.2, which has a local model for all non-sequential
POVMs) and ``rho_SEP`` diagonal (hence separable). Paper typo: Eq. (5.4) is printed
``rho_SEP = (rho - rho_B)/(1 - c)``; it should read ``(rho - c rho_B)/(1 - c)``
(:func:`rho_sep`; the printed form is :func:`rho_sep_eq54_printed`).

Examples
--------
>>> import numpy as np
>>> bool(lhv_region(1 / np.sqrt(2), 0.4))
True
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from bellflow import states
from bellflow.delivery.channel import (
    FloatOrArray,
    _ab,
    _craw_ab,
    _out,
    _unit,
    delivered_state,
    entanglement_boundary,
)
from bellflow.optim import OptResult, solve_lp

__all__ = [
    "BARRETT_WEIGHT",
    "barrett_state",
    "lhv_decomposition",
    "rho_sep",
    "rho_sep_eq54_printed",
    "lhv_region",
    "lhv_boundaries",
    "lhv_decomposition_lp",
]

#: Weight of the Bell state in Barrett's Werner state, Eq. (5.2): an input of the paper's
#: construction (Barrett, PRA 65, 042302 (2002)), not a result of this paper.
BARRETT_WEIGHT: float = 5 / 12


def _check_p(p_barrett: float) -> None:
    if not (np.isfinite(p_barrett) and 0 < p_barrett <= 1):
        raise ValueError(f"p_barrett must lie in (0, 1], got {p_barrett}")


def _lhv_terms(
    a: NDArray[np.float64], b: NDArray[np.float64], S: NDArray[np.float64], p: float
) -> tuple[NDArray[np.float64], ...]:
    """``c`` and the diagonal of ``(1-c) rho_SEP`` (``d_00, d_01 = d_10, d_11``), Eq. (5.3)."""
    ab = a * b
    c = 2 * S * ab / p
    bdiag = p / 2 + (1 - p) / 4
    boff = (1 - p) / 4
    d01 = (1 - S) * ab**2 - c * boff
    d00 = S * a**2 + (1 - S) * a**4 - c * bdiag
    d11 = S * b**2 + (1 - S) * b**4 - c * bdiag
    return c, d00, d01, d11


def barrett_state(p_barrett: float = BARRETT_WEIGHT) -> NDArray[np.float64]:
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


def lhv_decomposition(
    a: ArrayLike, S: ArrayLike, p_barrett: float = BARRETT_WEIGHT
) -> tuple[FloatOrArray, NDArray[np.float64]]:
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


def rho_sep(a: ArrayLike, S: ArrayLike, p_barrett: float = BARRETT_WEIGHT) -> NDArray[np.float64]:
    """``rho_SEP = (rho - c rho_B)/(1 - c)`` from the explicit matrices (Eq. 5.4, corrected).

    ``rho`` = :func:`~bellflow.delivery.channel.delivered_state`, ``rho_B`` =
    :func:`barrett_state`, ``c = 2Sab/p`` (:func:`lhv_decomposition`). Shape
    ``broadcast(a, S).shape + (4, 4)``; ``nan`` where ``c = 1``.

    Examples
    --------
    >>> round(float(np.trace(rho_sep(1 / np.sqrt(2), 0.4))), 12)
    1.0
    """
    c, _ = lhv_decomposition(a, S, p_barrett)
    c = np.asarray(c)[..., None, None]
    rho = delivered_state(a, S)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.asarray((rho - c * barrett_state(p_barrett)) / (1 - c))


def rho_sep_eq54_printed(
    a: ArrayLike, S: ArrayLike, p_barrett: float = BARRETT_WEIGHT
) -> NDArray[np.float64]:
    """Eq. (5.4) exactly as printed: ``(rho - rho_B)/(1 - c)`` (wrong: its trace is 0).

    Examples
    --------
    >>> abs(round(float(np.trace(rho_sep_eq54_printed(1 / np.sqrt(2), 0.4))), 12))
    0.0
    """
    c, _ = lhv_decomposition(a, S, p_barrett)
    c = np.asarray(c)[..., None, None]
    rho = delivered_state(a, S)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.asarray((rho - barrett_state(p_barrett)) / (1 - c))


def lhv_region(a: ArrayLike, S: ArrayLike, p_barrett: float = BARRETT_WEIGHT) -> FloatOrArray:
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


def _lhv_mask(
    a: NDArray[np.float64], b: NDArray[np.float64], S: NDArray[np.float64], p: float
) -> NDArray[np.bool_]:
    c, d00, d01, d11 = _lhv_terms(a, b, S, p)
    ok = (c > 0) & (c < 1) & (d00 >= 0) & (d01 >= 0) & (d11 >= 0)
    return ok & (_craw_ab(a * b, S) > 0)


def lhv_boundaries(a: ArrayLike, p_barrett: float = BARRETT_WEIGHT) -> dict[str, FloatOrArray]:
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
    (checked in :func:`bellflow.delivery.checks.section5_lhv`), although it is violated at
    larger ``S``.

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

