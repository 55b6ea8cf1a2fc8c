"""Beyond the paper: facets of the simplest bipartite causal polytope and their ICO bounds.

The facets are enumerated exactly by the double-description method (pycddlib with GMP
rationals, ``cdd.gmp``) from the 112 deterministic causal strategies, in the 12 coordinates
``p(a1 a2 | x1 x2)`` with ``(a1, a2) != (1, 1)`` (normalisation eliminates the rest), so the
facet list is complete, not sampled. Each facet class then gets the ICO bound of
:func:`bellflow.causal.ico_bound` with its certificate.
"""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np
import xarray as xr

from bellflow.causal.bound import ico_bound
from bellflow.optim import solve_lp


def causal_vertices(m: int = 2, n: int = 2) -> np.ndarray:
    """Deterministic causal strategies of the bipartite ``(m outcomes, n settings)`` scenario.

    A before B (``a1 = f(x1)``, ``a2 = g(x1, x2)``) and B before A; duplicates (no-signalling
    deterministic strategies) removed. Rows are ``p[a1, a2, x1, x2].ravel()``, sorted.
    """
    verts = set()
    grid = list(itertools.product(range(n), repeat=2))
    for f in itertools.product(range(m), repeat=n):
        for g in itertools.product(range(m), repeat=n * n):
            for order in (0, 1):
                p = np.zeros((m, m, n, n))
                for x1, x2 in grid:
                    if order == 0:
                        p[f[x1], g[n * x1 + x2], x1, x2] = 1
                    else:
                        p[g[n * x2 + x1], f[x2], x1, x2] = 1
                verts.add(tuple(p.ravel()))
    return np.array(sorted(verts))


def _relabel_group(m: int, n: int) -> list[np.ndarray]:
    """Index permutations of ``p[a1, a2, x1, x2].ravel()`` under the scenario's symmetries:
    setting permutations, setting-dependent outcome permutations per party, party swap."""
    perms = []
    shape = (m, m, n, n)
    idx = np.arange(m * m * n * n).reshape(shape)
    out_perms = list(itertools.permutations(range(m)))
    in_perms = list(itertools.permutations(range(n)))
    for s1, s2 in itertools.product(in_perms, repeat=2):
        for o1 in itertools.product(out_perms, repeat=n):
            for o2 in itertools.product(out_perms, repeat=n):
                for swap in (False, True):
                    new = np.empty_like(idx)
                    for a1, a2, x1, x2 in itertools.product(range(m), range(m), range(n), range(n)):
                        b = (o1[x1][a1], o2[x2][a2], s1[x1], s2[x2])
                        if swap:
                            b = (b[1], b[0], b[3], b[2])
                        new[b] = idx[a1, a2, x1, x2]
                    perms.append(new.ravel())
    return perms


_KEEP = [(0, 0), (0, 1), (1, 0)]  # outcome pairs kept as coordinates (p(11|x) eliminated)


def _reduced_coordinates(p: np.ndarray) -> np.ndarray:
    """Coordinates ``p(a1 a2 | x)`` for ``(a1, a2) != (1, 1)`` of arrays ``(..., 2, 2, 2, 2)``."""
    return np.stack(
        [p[..., a1, a2, x1, x2] for x1 in range(2) for x2 in range(2) for a1, a2 in _KEEP],
        axis=-1,
    )


def _as_game(b: float, a: np.ndarray) -> np.ndarray:
    """The facet ``b + a . y >= 0`` as a non-negative game ``alpha . p <= 1`` (shifted per
    setting so that its smallest coefficient is 0, then divided by the bound)."""
    beta = np.zeros((2, 2, 2, 2))
    k = 0
    for x1, x2 in itertools.product(range(2), repeat=2):
        for a1, a2 in _KEEP:
            beta[a1, a2, x1, x2] = -a[k]
            k += 1
    shift = beta.reshape(4, 4).min(axis=0).reshape(2, 2)
    bound = b - float(shift.sum())
    if bound <= 0:
        raise RuntimeError("a facet of the causal polytope with a non-positive normalised bound")
    return (beta - shift[None, None]) / bound + 0.0  # + 0.0: no negative zeros


def _enumerate_facets(verts: np.ndarray) -> np.ndarray:
    """Exact H-representation of ``conv(verts)`` (double description, GMP rationals)."""
    import cdd
    import cdd.gmp

    y = _reduced_coordinates(verts.reshape(-1, 2, 2, 2, 2))
    rows = [[1] + [int(v) for v in row] for row in np.rint(y).astype(int)]
    mat = cdd.gmp.matrix_from_array(rows, rep_type=cdd.RepType.GENERATOR)
    h = cdd.gmp.copy_inequalities(cdd.gmp.polyhedron_from_matrix(mat))
    if h.lin_set:
        raise RuntimeError("the causal polytope is full-dimensional in these coordinates")
    games = [_as_game(float(r[0]), np.array([float(v) for v in r[1:]])) for r in h.array]
    return np.array(games)


def _support_discrepancy(fa: np.ndarray, verts: np.ndarray, directions: int, seed: int) -> float:
    """Largest ``max_{H-polytope} c.p - max_vertices c.p`` over random directions ``c``: the
    H-description (LP, HiGHS) against the vertices (independent route)."""
    rng = np.random.default_rng(seed)
    a_eq = np.zeros((4, 16))
    for k, (x1, x2) in enumerate(itertools.product(range(2), repeat=2)):
        for a1, a2 in itertools.product(range(2), repeat=2):
            a_eq[k, np.ravel_multi_index((a1, a2, x1, x2), (2, 2, 2, 2))] = 1
    disc = 0.0
    for _ in range(directions):
        c = rng.normal(size=16)
        res = solve_lp(
            c,
            name="facet H-polytope support",
            A_ub=fa.reshape(len(fa), -1),
            b_ub=np.ones(len(fa)),
            A_eq=a_eq,
            b_eq=np.ones(4),
            bounds=(None, None),
            maximize=True,
        )
        disc = max(disc, res.value - float(np.max(verts @ c)))
    return disc


def _symmetry_classes(fa: np.ndarray) -> list[list[int]]:
    """Orbits of the facets under :func:`_relabel_group` (index lists)."""
    group = _relabel_group(2, 2)
    keys = [tuple(np.round(f, 9)) for f in fa.reshape(len(fa), -1)]
    index = {k: i for i, k in enumerate(keys)}
    seen: set[int] = set()
    classes = []
    for i, key in enumerate(keys):
        if i in seen:
            continue
        orbit = sorted({index[tuple(np.array(key)[g])] for g in group})
        seen.update(orbit)
        classes.append(orbit)
    return classes


def causal_polytope_facets(*, check_directions: int = 2000, seed: int = 0) -> dict[str, Any]:
    """Facets of the bipartite binary-input binary-output causal polytope, exactly.

    Double-description enumeration (module docstring) of the facets of the convex hull of the
    112 deterministic causal strategies (:func:`causal_vertices`), each written as a
    non-negative game ``alpha`` with ``alpha . p <= 1``; classes under the 128 relabelling
    symmetries (:func:`_relabel_group`). Checks: every facet is tight on an 11-dimensional
    set of vertices (``facet_dims``), every vertex lies on >= 12 facets, and the H-polytope has
    the support function of the vertices on ``check_directions`` random directions
    (``support_discrepancy``, an LP route independent of cdd).

    Returns
    -------
    dict with ``facets`` (``(F, 2, 2, 2, 2)``), ``classes``, ``vertices``, ``tight_counts``,
    ``facet_dims``, ``min_facets_per_vertex``, ``support_discrepancy``, ``affine_dim``.
    """
    verts = causal_vertices(2, 2)
    fa = _enumerate_facets(verts)
    vals = verts @ fa.reshape(len(fa), -1).T  # (V, F)
    if np.max(vals) > 1 + 1e-9:
        raise RuntimeError("a computed facet inequality is violated by a causal vertex")
    tight = np.isclose(vals, 1.0, atol=1e-9)
    ranks = []
    for j in range(len(fa)):
        t = verts[tight[:, j]]
        ranks.append(int(np.linalg.matrix_rank(t[1:] - t[0])) if len(t) > 1 else 0)
    centered = verts - verts.mean(axis=0)
    return {
        "facets": fa,
        "classes": _symmetry_classes(fa),
        "vertices": verts,
        "tight_counts": tight.sum(axis=0),
        "facet_dims": np.array(ranks),
        "min_facets_per_vertex": int(tight.sum(axis=1).min()),
        "support_discrepancy": _support_discrepancy(fa, verts, check_directions, seed),
        "affine_dim": int(np.linalg.matrix_rank(centered)),
    }


def facet_ico_table(facets: dict[str, Any] | None = None, **kwargs: Any) -> list[dict[str, Any]]:
    """ICO bounds of every facet class of the simplest causal polytope (beyond the paper).

    One row per symmetry class of :func:`causal_polytope_facets`: orbit size, tight vertices,
    whether the facet is single-trigger, causal bound (1 by normalisation), the ICO bound of
    :func:`bellflow.causal.ico_bound` (exact single-trigger SDP, Eq. 3, when a trigger exists,
    else the decomposition SDP, Eq. 28) with its certified value and the value of a feasible
    process (``achieved``, nan for the decomposition), the algebraic maximum, and the
    violation relative to the gap between the causal bound and the algebraic maximum.
    """
    res = causal_polytope_facets(**kwargs) if facets is None else facets
    rows = []
    for orbit in res["classes"]:
        g = res["facets"][orbit[0]]
        b = ico_bound(g)
        alg, cb = b.algebraic_maximum, b.causal_bound
        rows.append(
            {
                "representative": g,
                "orbit_size": len(orbit),
                "tight_vertices": int(res["tight_counts"][orbit[0]]),
                "single_trigger": b.exact,
                "causal": cb,
                "ico": b.value,
                "ico_certified": b.certified,
                "ico_achieved": b.achieved,
                "ico_gap": b.result.gap,
                "algebraic": alg,
                "relative_violation": (b.certified - cb) / (alg - cb) if alg > cb else 0.0,
            }
        )
    return rows


#: Description of every column of the facet table (HDF5 ``description``; all dimensionless).
FACET_COLUMNS: dict[str, str] = {
    "orbit_size": "facets in the symmetry class",
    "tight_vertices": "deterministic causal strategies on the facet",
    "single_trigger": "the facet has a trigger pair (its ICO bound is exact, Eq. 3)",
    "causal": "causal bound (1 by normalisation)",
    "ico": "ICO bound, SDP optimum (Eq. 3 or Eq. 28)",
    "ico_certified": "ICO bound, certified upper bound (repaired dual operators)",
    "ico_achieved": "value of a feasible process (nan: decomposition SDP)",
    "ico_gap": "solver duality gap",
    "algebraic": "algebraic maximum",
    "relative_violation": "(certified - causal) / (algebraic - causal)",
}


def facet_inequality_text(alpha: np.ndarray) -> str:
    """``"0.5 p(00|01) + ..."``: the nonzero terms of ``alpha . p <= 1``."""
    return " + ".join(
        f"{alpha[a1, a2, x1, x2]:g} p({a1}{a2}|{x1}{x2})"
        for a1, a2, x1, x2 in zip(*np.nonzero(alpha), strict=True)
    )


def facet_dataset(*, check_directions: int = 2000, seed: int = 0) -> xr.Dataset:
    """The facet table (:func:`facet_ico_table`) as a Dataset over ``facet_class`` with the
    representatives (``facet_class x entry``), the inequalities as text and the checks of
    :func:`causal_polytope_facets` as 0-d variables."""
    facets = causal_polytope_facets(check_directions=check_directions, seed=seed)
    rows = facet_ico_table(facets)
    data: dict[str, tuple] = {
        c: (("facet_class",), np.array([r[c] for r in rows]), {"description": d, "units": "1"})
        for c, d in FACET_COLUMNS.items()
    }
    data["inequality"] = (
        ("facet_class",),
        np.array([facet_inequality_text(r["representative"]) for r in rows]),
        {"description": "alpha . p <= 1, nonzero alpha[a1 a2 | x1 x2]"},
    )
    data["representative"] = (
        ("facet_class", "entry"),
        np.array([r["representative"].ravel() for r in rows]),
        {"description": "coefficients alpha[a1, a2, x1, x2] (raveled) of alpha . p <= 1"},
    )
    scalars = {
        "n_facets": (len(facets["facets"]), "number of facets (exact enumeration)"),
        "n_classes": (len(rows), "number of facet classes under relabelling"),
        "min_facet_dim": (int(min(facets["facet_dims"])), "smallest facet dimension (11)"),
        "min_facets_per_vertex": (facets["min_facets_per_vertex"], "smallest vertex degree"),
        "support_discrepancy": (facets["support_discrepancy"], "H vs V support (LP check)"),
    }
    for k, (v, d) in scalars.items():
        data[k] = ((), np.asarray(v), {"description": d})
    coords = {"facet_class": np.arange(len(rows)), "entry": np.arange(16)}
    return xr.Dataset(data, coords=coords)
