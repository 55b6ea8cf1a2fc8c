"""Explicit certificates of the ICO bounds: dual operators checked and repaired (App. A, Eq. 23).

Upper bound (dual side). For a single-trigger operator ``Omega`` (Eq. 19) and any Hermitian
``C``, every process matrix ``S`` (``S >= 0``, ``P_NS(S) = I / d_I``, hence ``Tr S = d_O``)
satisfies

``Tr(Omega S) = Tr(C S) - Tr((C - Omega) S)
<= Tr(C) / d_I + Tr(R S) + max(0, -lambda_min(C - Omega)) Tr S
<= Tr(C) / d_I + d_O (max(0, -lambda_min(C - Omega)) + ||R||_F)``

with ``R = C - P_NS(C)`` (``Tr(P_NS(C) S) = Tr(C P_NS(S)) = Tr(C) / d_I`` since ``P_NS`` is
an orthogonal projection, and ``|Tr(R S)| <= ||R||_op Tr S <= ||R||_F Tr S``). For an exactly
feasible ``C`` (in the no-signalling span, ``C >= Omega``) this is Eq. (23); for the solver's
``C`` it is the same bound repaired by the measured infeasibilities: valid for the exact
problem whatever the solver did. A floating-point margin covers the rounding of the final
eigenvalue, norm and trace computations (``16 D eps`` times the norms involved, ``D`` the
dimension).

Lower bound (primal side). A solver's process matrix ``S`` is repaired into an exactly
normalised one, ``S' = S - P_NS(S) + I / d_I``, then mixed with the identity process
``I / d_I`` (strictly positive) just enough to be positive semidefinite; ``Tr(Omega S'')`` is
then the value of a feasible point: the ICO value lies in ``[achieved, certified]``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from bellflow.process import nosignalling_projection

_EPS = float(np.finfo(float).eps)


@dataclass(frozen=True)
class DualCheck:
    """Outcome of :func:`check_dual_operator` (all floats, for HDF5 attributes and rows)."""

    dual_value: float  # Tr(C) / d_I: the dual objective of Eq. (23) at C
    certified: float  # rigorous upper bound on max Tr(Omega S) over process matrices
    lambda_min: float  # smallest eigenvalue of C - Omega (>= 0 for an exactly feasible C)
    nosig_residual: float  # ||C - P_NS(C)||_F (0 for C in the no-signalling span)
    trace_bound: float  # Tr S = d_O of every process matrix
    margin: float  # floating-point margin included in ``certified``

    def as_dict(self) -> dict[str, float]:
        return {k: float(v) for k, v in asdict(self).items()}


def _dims(dims_in: Sequence[int], dims_out: Sequence[int], size: int) -> tuple[int, int]:
    d_i, d_o = int(np.prod(dims_in)), int(np.prod(dims_out))
    if d_i * d_o != size:
        raise ValueError(f"operators of size {size} do not match dims {dims_in}, {dims_out}")
    return d_i, d_o


def check_dual_operator(
    c: ArrayLike, omega: ArrayLike, dims_in: Sequence[int], dims_out: Sequence[int]
) -> DualCheck:
    """Check a dual operator ``C`` of Eq. (23) against ``Omega`` and repair its bound.

    Returns the certified upper bound ``Tr(C)/d_I + d_O (max(0, -lambda_min(C - Omega)) +
    ||C - P_NS(C)||_F) + margin`` on ``Tr(Omega S)`` over all process matrices ``S`` on the
    parties' ``(I_1, O_1, I_2, O_2)`` systems (module docstring), with the checked quantities.

    Examples
    --------
    >>> import numpy as np
    >>> om = np.eye(4) / 2  # Tr(Omega S) = Tr(S) / 2 = 2 for every process (Tr S = d_O = 4)
    >>> chk = check_dual_operator(np.eye(4) / 2, om, [1, 1], [2, 2])
    >>> round(chk.certified, 9), chk.lambda_min
    (2.0, 0.0)
    """
    ca = np.asarray(c, dtype=float)
    om = np.asarray(omega, dtype=float)
    if ca.shape != om.shape or ca.ndim != 2 or ca.shape[0] != ca.shape[1]:
        raise ValueError(f"c and omega must be square of equal shape, got {ca.shape}, {om.shape}")
    if not (np.all(np.isfinite(ca)) and np.all(np.isfinite(om))):
        raise ValueError("c and omega must be finite")
    d_i, d_o = _dims(dims_in, dims_out, ca.shape[0])
    ca = (ca + ca.T) / 2
    diff = ca - (om + om.T) / 2
    lam = float(np.linalg.eigvalsh(diff).min())
    res = float(np.linalg.norm(ca - nosignalling_projection(ca, dims_in, dims_out)))
    dual = float(np.trace(ca)) / d_i
    size = ca.shape[0]
    margin = 16 * size * _EPS * (np.linalg.norm(diff) + np.linalg.norm(ca)) * (1 + d_o)
    certified = dual + d_o * (max(0.0, -lam) + res) + float(margin)
    return DualCheck(dual, certified, lam, res, float(d_o), float(margin))


def feasible_process(
    s: ArrayLike, dims_in: Sequence[int], dims_out: Sequence[int]
) -> tuple[NDArray[np.float64], float]:
    """Repair an approximate process matrix into a feasible one (module docstring).

    Returns ``(S'', t)``: ``S'' = (1 - t) (S - P_NS(S) + I/d_I) + t I/d_I`` with the smallest
    ``t`` in ``[0, 1]`` (plus ``1e-12``) that makes it positive semidefinite. ``S''`` satisfies
    the normalisation exactly up to floating-point rounding (~1e-15).
    """
    sa = np.asarray(s, dtype=float)
    d_i, _ = _dims(dims_in, dims_out, sa.shape[0])
    sa = (sa + sa.T) / 2
    eye = np.eye(sa.shape[0]) / d_i
    sa = sa - nosignalling_projection(sa, dims_in, dims_out) + eye
    lam = float(np.linalg.eigvalsh(sa).min())
    t = 0.0 if lam >= 0 else min(1.0, -lam * d_i / (1 - lam * d_i) + 1e-12)
    return np.asarray((1 - t) * sa + t * eye, dtype=np.float64), t


def achieved_value(
    s: ArrayLike, omega: ArrayLike, dims_in: Sequence[int], dims_out: Sequence[int]
) -> tuple[float, float]:
    """``(Tr(Omega S''), t)`` for the repaired process ``S''`` of :func:`feasible_process`:
    the value of a feasible point, so a lower bound on the ICO value."""
    s2, t = feasible_process(s, dims_in, dims_out)
    return float(np.sum(np.asarray(omega, dtype=float) * s2)), t
