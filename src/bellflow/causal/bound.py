"""The ICO bound of any bipartite causal game, with its certificate (general tool).

:func:`ico_bound` takes a game ``w[a1, a2, x1, x2]`` (non-negative weights; any numbers of
outcomes >= 2 and settings >= 1 per party), chooses the exact single-trigger SDP (Eq. 3) when
the game has a trigger pair and the decomposition SDP (Eqs. 4, 28, an upper bound) otherwise,
and returns the SDP optimum, its certified value (explicit dual operators repaired to exact
feasibility, :mod:`bellflow.causal.certify`), the value of a feasible process where one is at
hand (single trigger: the repaired optimal process) and the causal bound side by side.
"""

from __future__ import annotations

from dataclasses import dataclass

from numpy.typing import ArrayLike

from bellflow.causal.games import algebraic_maximum, causal_bound, validate_coefficients
from bellflow.causal.sdp import ico_bound_decomposition, ico_bound_single_trigger
from bellflow.causal.triggers import find_triggers
from bellflow.optim import OptResult


@dataclass(frozen=True)
class ICOBound:
    """Result of :func:`ico_bound`.

    ``value``: the SDP optimum; ``certified``: a rigorous upper bound on the ICO value (for
    the decomposition SDP, on the Eq. 28 relaxation, hence on the ICO value); ``achieved``: the
    exact value of a feasible process (nan for the decomposition SDP), so that the ICO value
    lies in ``[achieved, certified]``; ``causal_bound`` and ``algebraic_maximum``; ``method``
    (``"single-trigger"`` or ``"decomposition"``), ``triggers`` (the pair used, or None) and
    the solver ``result``.
    """

    value: float
    certified: float
    achieved: float
    causal_bound: float
    algebraic_maximum: float
    method: str
    triggers: tuple[int, int] | None
    result: OptResult

    @property
    def exact(self) -> bool:
        """Whether the bound is the ICO value (single-trigger games, Eq. 3)."""
        return self.method == "single-trigger"


def ico_bound(game: ArrayLike) -> ICOBound:
    """ICO bound of a bipartite causal game ``w[a1, a2, x1, x2]`` with its certificate.

    Single-trigger games (some ``(xi_1, xi_2)`` such that ``w`` depends on ``a_i`` only at
    ``x_i = xi_i``) get the exact ICO value of Eq. (3); other games the decomposition upper
    bound of Eq. (28).

    Raises
    ------
    ValueError
        If the game is not a finite 4-axis array with >= 2 outcomes and >= 1 setting per
        party, or has a negative weight (named by its index).

    Examples
    --------
    LGYNI (Branciard et al. 2015) is single-trigger, so the bound is its exact ICO value;
    the certified bracket ``[achieved, certified]`` is ~1e-10 wide:

    >>> import numpy as np
    >>> from bellflow.causal import ico_bound, lgyni_coefficients
    >>> b = ico_bound(lgyni_coefficients())
    >>> b.method, round(b.value, 4), b.causal_bound
    ('single-trigger', 0.8194, 0.75)
    >>> bool(b.achieved <= b.certified < b.achieved + 1e-7)
    True

    A game is any non-negative array ``w[a1, a2, x1, x2]``; a wrong one is named:

    >>> w = np.ones((2, 2, 2, 2))
    >>> w[1, 0, 1, 1] = -0.5
    >>> ico_bound(w)
    Traceback (most recent call last):
    ...
    ValueError: game must be non-negative, got w[1, 0, 1, 1] = -0.5
    """
    w = validate_coefficients(game, name="game")
    triggers = find_triggers(w)
    if triggers:
        res = ico_bound_single_trigger(w, triggers[0])
        method, trig = "single-trigger", (int(triggers[0][0]), int(triggers[0][1]))
    else:
        res = ico_bound_decomposition(w)
        method, trig = "decomposition", None
    return ICOBound(
        value=float(res.value),
        certified=float(res.certified),
        achieved=float(res.achieved),
        causal_bound=causal_bound(w),
        algebraic_maximum=algebraic_maximum(w),
        method=method,
        triggers=trig,
        result=res,
    )
