"""Study: does the many-body Bell violation of the LMG steady states leave a two-body trace?

Along the Fig. 1 maps of paper 003 the permutationally invariant Bell value (Eq. 3, a
two-body *expression* that needs every party's measurement) sits next to the maximal CHSH value
of the two-body reduced state rho_2 itself (Horodecki criterion,
:func:`bellflow.states.horodecki_chsh`): can two spins alone show non-locality where the
N-body inequality does?

For permutationally invariant states of N >= 3 qubits rho_2 is the reduced state of every pair,
and CHSH violations are monogamous (Toner and Verstraete 2006, arXiv:quant-ph/0611001: for
three qubits CHSH_AB^2 + CHSH_AC^2 <= 8), so rho_2 cannot violate CHSH. The study measures how
far below 2 it stays where Eq. (3) is violated. The Horodecki value is checked against a direct
numerical maximisation of CHSH over the four measurement directions at the extreme points of
each map.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import xarray as xr
from numpy.typing import ArrayLike, NDArray
from scipy.optimize import minimize

from bellflow.dicke import two_body_reduced_state
from bellflow.lmg.scans import _solve
from bellflow.states import correlation_matrix, horodecki_chsh

__all__ = ["chsh_numerical", "twobody_summary"]


def _unit(theta: float, phi: float) -> NDArray[np.float64]:
    return np.array([np.sin(theta) * np.cos(phi), np.sin(theta) * np.sin(phi), np.cos(theta)])


def chsh_numerical(rho2: ArrayLike, *, starts: int = 12, seed: int = 0) -> float:
    """``max over unit vectors a0, a1, b0, b1`` of the CHSH value
    ``a0.T(b0 + b1) + a1.T(b0 - b1)`` of a two-qubit state (``T``: correlation matrix), by
    maximising ``|T(b0 + b1)| + |T(b0 - b1)|`` (the best a's for given b's) over the two Bloch
    angles of each b from ``starts`` random starts (BFGS). Test route for the Horodecki closed
    form (which uses the eigenvalues of T^T T instead)."""
    t = correlation_matrix(np.asarray(rho2))

    def neg(x: NDArray) -> float:
        b0, b1 = _unit(x[0], x[1]), _unit(x[2], x[3])
        return -float(np.linalg.norm(t @ (b0 + b1)) + np.linalg.norm(t @ (b0 - b1)))

    rng = np.random.default_rng(seed)
    best = 0.0
    for _ in range(starts):
        res = minimize(neg, rng.uniform(0, 2 * np.pi, 4), method="BFGS")
        best = max(best, -float(res.fun))
    return best


def _point_state(ds: xr.Dataset, params: Mapping[str, Any], i: int, k: int) -> NDArray:
    """Steady state at grid point (i, k) of a Fig. 1 map (parameters from its ``params``)."""
    a1, a2 = params["axis1"], params["axis2"]
    keys = ("j", "h", "beta", "zeta", "gamma", "alpha", "omega_c")
    args = {key: params[key] for key in keys if key in params}
    args[a1], args[a2] = float(ds[a1].values[i]), float(ds[a2].values[k])
    j, h = args.pop("j"), args.pop("h")
    return _solve(params["kind"], params["n"], j, h, **args).rho


def twobody_summary(ds: xr.Dataset, params: Mapping[str, Any]) -> xr.Dataset:
    """For one Fig. 1 map (its Dataset and ``params``): the share of the map where Eq. (3) is
    violated, where rho_2 violates CHSH, and where the first holds without the second; the
    largest two-body CHSH value overall and inside the violating region; and the deviation of
    the Horodecki value from :func:`chsh_numerical` at the two extreme points (lowest Bell
    value, largest CHSH value), recomputed from the steady state."""
    bell, chsh = ds["bell"].values, ds["chsh_two_body"].values
    nl, two = bell < 0, chsh > 2
    pts = {
        np.unravel_index(int(np.argmin(bell)), bell.shape),
        np.unravel_index(int(np.argmax(chsh)), chsh.shape),
    }
    dev = 0.0
    for i, k in pts:
        rho2 = two_body_reduced_state(_point_state(ds, params, int(i), int(k)))
        dev = max(dev, abs(float(horodecki_chsh(rho2)) - chsh_numerical(rho2)))
        dev = max(dev, abs(float(horodecki_chsh(rho2)) - float(chsh[i, k])))
    values = {
        "fraction_manybody_violation": (nl.mean(), "share of the map with Bell value < 0 (Eq. 3)"),
        "fraction_twobody_chsh_violation": (two.mean(), "share with CHSH(rho_2) > 2"),
        "fraction_manybody_only": ((nl & ~two).mean(), "share with Eq. (3) violated, CHSH not"),
        "max_chsh_two_body": (chsh.max(), "largest CHSH value of rho_2 on the map"),
        "max_chsh_where_nonlocal": (
            chsh[nl].max() if nl.any() else np.nan,
            "largest CHSH value of rho_2 where Eq. (3) is violated",
        ),
        "min_bell": (bell.min(), "lowest Bell value of Eq. (3) on the map"),
        "chsh_check": (dev, "max |Horodecki - numerical CHSH maximisation| at the extreme points"),
    }
    return xr.Dataset(
        {k: ((), float(v), {"description": d, "units": "1"}) for k, (v, d) in values.items()}
    )
