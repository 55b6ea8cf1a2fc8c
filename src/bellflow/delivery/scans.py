"""Paper 004's figures as data: the Fig. 2 scan over ``(a, S)`` and the Fig. 3 curves over ``S``.

Each function returns an :class:`xarray.Dataset` whose coordinates are the scan axes and whose
variables carry ``description`` and ``units`` attributes, ready for
:func:`bellflow.io.write_result`. Closed forms only (no per-point loop); the closed forms are
tested against the explicit 4x4 states in ``tests/test_delivery.py``.

Examples
--------
>>> import numpy as np
>>> scan(np.linspace(0, 1, 3), np.linspace(0, 1, 4))["eof"].shape
(3, 4)
"""

from __future__ import annotations

import numpy as np
import xarray as xr
from numpy.typing import ArrayLike, NDArray

from bellflow import states
from bellflow.delivery.channel import (
    _ab,
    _chsh_ab,
    _craw_ab,
    _unit,
    chsh_boundary,
    chsh_boundary_eq51_printed,
    entanglement_boundary,
    entanglement_boundary_eq34_printed,
    entanglement_of_formation,
    eof_max_small_S,
    optimal_entanglement,
)
from bellflow.delivery.lhv import BARRETT_WEIGHT, _check_p, _lhv_mask, lhv_boundaries

__all__ = ["scan", "boundaries", "fig2_scan", "fig3_curves"]

#: Units of the (a, S) axes: both dimensionless.
_AXES = {
    "a": {"description": "a of |psi_a> = a|00> + sqrt(1-a^2)|11> (Eq. 3.1)", "units": "1"},
    "S": {"description": "success probability S of the delivery (Eq. 2.1)", "units": "1"},
}

#: Descriptions and units of the Fig. 2 variables (name -> (description, units)).
SCAN_VARIABLES: dict[str, tuple[str, str]] = {
    "eof": ("entanglement of formation of M[psi_a] (ebit)", "ebit"),
    "concurrence": ("concurrence of M[psi_a], Eq. (3.3)", "1"),
    "fidelity": ("fidelity <psi_a|M[psi_a]|psi_a>, Eq. (3.2)", "1"),
    "chsh_max": ("Horodecki maximal CHSH value of M[psi_a]", "1"),
    "entangled": ("C > 0 (outside the white region of Eq. 3.4)", "1"),
    "chsh_violated": ("maximal CHSH value > 2 (above the line of Eq. 5.1, corrected)", "1"),
    "lhv": (
        "M[psi_a] = c rho_B + (1-c) rho_SEP with diagonal rho_SEP (Sec. V, gray triangle)",
        "1",
    ),
}

#: Descriptions of the Fig. 2 boundary curves (S thresholds as functions of a).
BOUNDARY_VARIABLES: dict[str, str] = {
    "entanglement": "S threshold of entanglement, Eq. (3.4) corrected: ab/(1+ab)",
    "entanglement_eq34_printed": "Eq. (3.4) as printed (typo)",
    "chsh": "S threshold of CHSH violation, Eq. (5.1) corrected (closed form)",
    "chsh_numeric": "S threshold of CHSH violation (bisection of the Horodecki value)",
    "chsh_eq51_printed": "Eq. (5.1) as printed (typo)",
    "lhv_left": "LHV region: d_00 >= 0 iff S <= a^3/(b(k - ab))",
    "lhv_right": "LHV region: d_11 >= 0 iff S <= b^3/(a(k - ab))",
    "lhv_offdiag": "LHV region: d_01 >= 0 iff S <= ab/(ab + k')",
    "lhv_upper": "LHV region: upper boundary (min of the upper bounds)",
    "lhv_lower": "LHV region: lower boundary (entanglement, Eq. 3.4 corrected)",
}

#: Descriptions of the Fig. 3 curves.
FIG3_VARIABLES: dict[str, str] = {
    "a_max_eof": "(a) maximum over a of E_F (closed form)",
    "a_max_eof_numeric": "(a) maximum over a of E_F (numerical maximisation)",
    "a_star": "maximiser a*(S) of E_F, branch a <= 1/sqrt(2)",
    "b_eq42": "(b) small-S approximation, Eq. (4.2)",
    "c_fixed_a": "(c) E_F for a = a_c",
    "d_fixed_a": "(d) E_F for a = a_d",
}
_FIG3_UNITS = {"a_star": "1"}


def _grid(x: ArrayLike, name: str) -> NDArray[np.float64]:
    x = _unit(x, name)
    if x.ndim != 1 or x.size < 1:
        raise ValueError(f"{name} must be a non-empty 1-d array")
    return x


def _coords(**axes: NDArray[np.float64]) -> dict[str, tuple[str, NDArray[np.float64], dict]]:
    return {k: (k, v, dict(_AXES.get(k, {}))) for k, v in axes.items()}


def scan(a_grid: ArrayLike, S_grid: ArrayLike, p_barrett: float = BARRETT_WEIGHT) -> xr.Dataset:
    """Every ``(a, S)`` quantity of Fig. 2 on the grid ``a_grid x S_grid``.

    Variables of shape ``(len(a_grid), len(S_grid))`` over the coordinates ``a`` and ``S``:
    ``eof`` (E_F, colour map), ``concurrence`` (Eq. 3.3), ``fidelity`` (Eq. 3.2),
    ``chsh_max`` (Horodecki value, :func:`~bellflow.delivery.channel.max_chsh`),
    ``entangled`` (``C > 0``; the complement is the white region, Eq. 3.4),
    ``chsh_violated`` (above the CHSH line, Eq. 5.1 corrected) and ``lhv``
    (:func:`~bellflow.delivery.lhv.lhv_region` with Barrett weight ``p_barrett``, the gray
    triangle). Closed forms only: no per-point loop.

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
    values = {
        "eof": np.asarray(states.eof_from_concurrence(c)),
        "concurrence": c,
        "fidelity": np.broadcast_to(1 - 3 * ab**2 * (1 - S), c.shape).copy(),
        "chsh_max": chsh,
        "entangled": craw > 0,
        "chsh_violated": chsh > 2,
        "lhv": _lhv_mask(A, B, S, p_barrett),
    }
    data = {
        k: (("a", "S"), v, {"description": SCAN_VARIABLES[k][0], "units": SCAN_VARIABLES[k][1]})
        for k, v in values.items()
    }
    return xr.Dataset(data, coords=_coords(a=a, S=S[0]), attrs={"p_barrett": p_barrett})


def boundaries(a_grid: ArrayLike, p_barrett: float = BARRETT_WEIGHT) -> xr.Dataset:
    """The curves of Fig. 2 as functions of ``a`` (each an ``S`` threshold, over ``a``).

    ``entanglement`` (Eq. 3.4 corrected,
    :func:`~bellflow.delivery.channel.entanglement_boundary`), ``entanglement_eq34_printed``,
    ``chsh`` (closed form, Eq. 5.1 corrected), ``chsh_numeric`` (bisection on the Horodecki
    value), ``chsh_eq51_printed``, ``lhv_left``, ``lhv_right``, ``lhv_offdiag``,
    ``lhv_upper``, ``lhv_lower`` (:func:`~bellflow.delivery.lhv.lhv_boundaries`). ``inf``
    marks "no threshold" (no ``S`` in [0, 1] qualifies).

    Examples
    --------
    >>> sorted(boundaries([0.5, 0.7]).data_vars)[:2]
    ['chsh', 'chsh_eq51_printed']
    """
    a = _grid(a_grid, "a_grid")
    lhv = lhv_boundaries(a, p_barrett)
    values = {
        "entanglement": entanglement_boundary(a),
        "entanglement_eq34_printed": entanglement_boundary_eq34_printed(a),
        "chsh": chsh_boundary(a),
        "chsh_numeric": chsh_boundary(a, method="numeric"),
        "chsh_eq51_printed": chsh_boundary_eq51_printed(a),
        **{f"lhv_{k}": lhv[k] for k in ("left", "right", "offdiag", "upper", "lower")},
    }
    data = {
        k: (("a",), np.asarray(v), {"description": BOUNDARY_VARIABLES[k], "units": "1"})
        for k, v in values.items()
    }
    return xr.Dataset(data, coords=_coords(a=a), attrs={"p_barrett": p_barrett})


def fig2_scan(
    a_grid: ArrayLike, S_grid: ArrayLike, p_barrett: float = BARRETT_WEIGHT
) -> xr.Dataset:
    """Fig. 2 as one Dataset: :func:`scan` plus :func:`boundaries` as ``boundary_<name>``.

    Examples
    --------
    >>> ds = fig2_scan(np.linspace(0, 1, 5), np.linspace(0, 1, 3))
    >>> ds["boundary_chsh"].dims
    ('a',)
    """
    grid = scan(a_grid, S_grid, p_barrett)
    curves = boundaries(a_grid, p_barrett)
    return grid.merge(curves.rename({k: f"boundary_{k}" for k in curves.data_vars}))


def fig3_curves(S_grid: ArrayLike, a_c: float = 1 / np.sqrt(2), a_d: float = 0.1) -> xr.Dataset:
    """The curves of Fig. 3 over ``S``, as its caption describes them.

    - ``a_max_eof``: (a) the maximum ``E_F`` over ``a``
      (:func:`~bellflow.delivery.channel.optimal_entanglement`, closed form;
      ``a_max_eof_numeric`` is the golden-section route),
    - ``b_eq42``: (b) the small-``S`` approximation, Eq. (4.2) (``nan`` at ``S = 0``),
    - ``c_fixed_a``: (c) ``E_F`` for the fixed state ``a = a_c`` (caption: ``1/sqrt 2``),
    - ``d_fixed_a``: (d) ``E_F`` for ``a = a_d`` (caption: ``0.1``),

    plus ``a_star`` (maximiser, branch ``a <= 1/sqrt 2``) and the 0-d ``a_c``, ``a_d``.

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
    values = {
        "a_max_eof": opt.eof,
        "a_max_eof_numeric": num.eof,
        "a_star": opt.a_star,
        "b_eq42": b,
        "c_fixed_a": entanglement_of_formation(a_c, S),
        "d_fixed_a": entanglement_of_formation(a_d, S),
    }
    data: dict[str, tuple] = {
        k: (("S",), np.asarray(values[k]), {"description": d, "units": _FIG3_UNITS.get(k, "ebit")})
        for k, d in FIG3_VARIABLES.items()
    }
    data["a_c"] = ((), np.asarray(a_c), {"description": "a of curve (c)", "units": "1"})
    data["a_d"] = ((), np.asarray(a_d), {"description": "a of curve (d)", "units": "1"})
    return xr.Dataset(data, coords=_coords(S=S))
