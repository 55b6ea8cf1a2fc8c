"""The result files of the paper-000 workflow, each an :class:`xarray.Dataset` assembled from
the section checks of :mod:`bellflow.interconversion.checks` (its attrs become the file's root
attributes in :func:`bellflow.io.write_result`)."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import xarray as xr
from numpy.typing import ArrayLike

from bellflow import boxes as bx
from bellflow.interconversion import checks
from bellflow.interconversion.realisations import hardy_box

__all__ = ["npa_values", "sets", "extremality", "thresholds", "propositions", "fig1_data"]


def npa_values(
    levels: Sequence[str | int] = ("1", "1+AB", "2"), solver: str = "CLARABEL"
) -> xr.Dataset:
    """``npa_values.h5``: NPA bounds (text above Eq. 3) and the realisations of Eq. (3), with
    ``realisations_within_bounds``: every explicit value lies in its certified bracket."""
    bounds = checks.npa_bounds(levels, solver)
    ds = xr.merge([bounds, checks.eq3_realisations()], combine_attrs="drop_conflicts")
    ds.attrs = dict(bounds.attrs)
    widths = [float(ds[k]) for k in ds.data_vars if str(k).endswith("_bracket")]
    ds["realisations_within_bounds"] = (
        (),
        np.asarray(all(math.isfinite(w) and w >= 0 for w in widths)),
        {"description": "achieved <= certified for every bound (finite brackets)"},
    )
    return ds


def sets(
    level: str | int = "1",
    solver: str = "CLARABEL",
    theorem2_s: ArrayLike = (0.55, 0.75, 0.95),
    theorem2_n_max: int = 8,
    corollary1_copies: int = 4,
    corollary1_lambda: float = 0.5,
    seed: int = 0,
) -> xr.Dataset:
    """``sets.h5``: Eq. (1) vertices, ``L subsetneq Q subsetneq N``, Lemma 1, Theorem 2 and
    the Corollary 1 expansion (``P = P_H``, ``L`` a random local box, seeded)."""
    D = bx.deterministic_boxes(2, 2, 2, 2)
    L = np.tensordot(np.random.default_rng(seed).dirichlet(np.ones(len(D))), D, axes=1)
    parts = [
        checks.eq1_vertices(),
        checks.strict_inclusions(level, solver),
        checks.lemma1(),
        checks.theorem2(np.asarray(theorem2_s, dtype=float), theorem2_n_max),
        checks.corollary1_expansion(hardy_box(), L, corollary1_lambda, corollary1_copies),
    ]
    return xr.merge(parts, combine_attrs="drop_conflicts")


def extremality(
    mus: Sequence[float] = (10.0, 100.0, 1000.0),
    level: str | int = "1+AB",
    max_exponent: float = -0.5,
    selftest_dims: Sequence[int] = (2, 3, 4),
    restarts: int = 5,
    seed: int = 0,
) -> xr.Dataset:
    """``extremality.h5``: ``P_T``, ``P_H`` extreme in ``Q``; ``P_T`` self-tests
    ``|phi_2^+>``."""
    return xr.merge(
        [
            checks.extremality(mus, level, max_exponent),
            checks.self_testing(selftest_dims, restarts, seed),
        ],
        combine_attrs="drop_conflicts",
    )


def thresholds(bisection_tol: float = 1e-7, level: str | int = "1+AB") -> xr.Dataset:
    """``thresholds.h5``: isotropic local and quantum thresholds (text above Theorem 3)."""
    return checks.isotropic_thresholds(bisection_tol, level)


def propositions(
    seesaw: Mapping[str, Any], claim_tol: float, spectra: Mapping[str, Any]
) -> xr.Dataset:
    """``propositions.h5``: Propositions 1 and 2."""
    return xr.merge(
        [checks.proposition1(claim_tol, **seesaw), checks.proposition2(**spectra)],
        combine_attrs="drop_conflicts",
    )


def fig1_data(n_angles: int = 720, level: str | int = "1+AB") -> xr.Dataset:
    """``fig1_data.h5``: the Fig. 1 slice and Theorem 3's range."""
    parts = [checks.fig1_section(n_angles, level), checks.theorem3_range(level)]
    ds = xr.merge(parts, combine_attrs="drop_conflicts")
    ds.attrs = dict(parts[0].attrs)
    return ds
