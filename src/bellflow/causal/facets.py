"""Beyond the paper: facets of the simplest bipartite causal polytope and their ICO bounds."""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np

from bellflow.causal.games import algebraic_maximum, causal_bound
from bellflow.causal.sdp import ico_bound_decomposition, ico_bound_single_trigger
from bellflow.causal.triggers import find_triggers
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


def causal_polytope_facets(
    *, samples: int = 4000, seed: int = 0, check_directions: int = 2000
) -> dict[str, Any]:
    """Facets of the bipartite binary-input binary-output causal polytope, computed.

    Facets of ``P = conv(vertices)`` are the vertices of its polar. Random objectives
    ``max c . y`` s.t. ``y . (v - v0) <= 1`` (LP, HiGHS; ``v0`` the centroid, coordinates in the
    12-dimensional affine hull) land on polar vertices; the facets found are closed under the
    128 relabelling symmetries (:func:`_relabel_group`). Every facet is written as a
    non-negative game ``alpha`` with causal bound 1 (``alpha . p <= 1``; shifted per setting so
    that its smallest coefficient is 0).

    Checks returned with the result: every facet is tight on an 11-dimensional set of
    vertices; every vertex lies on >= 12 facets; the H-polytope of the facets has the support
    function of ``P`` on ``check_directions`` random directions (largest discrepancy
    ``support_discrepancy``). pycddlib is not used (not installed); qhull in 12 dimensions did
    not finish in 10 minutes.

    Returns
    -------
    dict with ``facets`` (array ``(F, 2, 2, 2, 2)``), ``classes`` (list of index lists, one
    per symmetry class), ``vertices``, ``tight_counts``, ``min_facets_per_vertex``,
    ``support_discrepancy``.
    """
    verts = causal_vertices(2, 2)
    center = verts.mean(axis=0)
    _, sv, wt = np.linalg.svd(verts - center)
    basis = wt[: int((sv > 1e-9).sum())]
    y_pts = (verts - center) @ basis.T
    dim = basis.shape[0]
    rng = np.random.default_rng(seed)
    group = _relabel_group(2, 2)

    def canonical(y: np.ndarray) -> tuple:
        beta = (basis.T @ y).reshape(2, 2, 2, 2)
        b = 1.0 + float(basis.T @ y @ center)
        shift = beta.reshape(4, 4).min(axis=0).reshape(2, 2)
        return tuple(np.round((beta - shift[None, None]).ravel() / (b - shift.sum()), 9))

    found: dict[tuple, None] = {}
    ones = np.ones(len(y_pts))
    for _ in range(samples):
        res = solve_lp(
            rng.normal(size=dim),
            name="causal polytope polar vertex",
            A_ub=y_pts,
            b_ub=ones,
            bounds=(None, None),
            maximize=True,
        )
        found.setdefault(canonical(res.extra["x"]), None)
    # close under the symmetries
    facets = {k: None for k in found}
    for key in list(facets):
        arr = np.array(key)
        for g in group:
            facets.setdefault(tuple(arr[g]), None)
    fa = np.array(list(facets))
    vals = verts @ fa.T  # (V, F)
    if np.max(vals) > 1 + 1e-7:
        raise RuntimeError("a computed facet inequality is violated by a causal vertex")
    tight = np.isclose(vals, 1.0, atol=1e-7)
    ranks = []
    for j in range(len(fa)):
        t = verts[tight[:, j]]
        ranks.append(int(np.linalg.matrix_rank(t[1:] - t[0])) if len(t) > 1 else 0)
    # support function of the H-polytope vs the vertices on random directions
    disc = 0.0
    a_ub = fa.reshape(len(fa), -1)
    # equality: normalisation of each setting block
    a_eq = np.zeros((4, 16))
    for k, (x1, x2) in enumerate(itertools.product(range(2), repeat=2)):
        for a1, a2 in itertools.product(range(2), repeat=2):
            a_eq[k, np.ravel_multi_index((a1, a2, x1, x2), (2, 2, 2, 2))] = 1
    for _ in range(check_directions):
        c = rng.normal(size=16)
        res = solve_lp(
            c,
            name="facet H-polytope support",
            A_ub=a_ub,
            b_ub=np.ones(len(fa)),
            A_eq=a_eq,
            b_eq=np.ones(4),
            bounds=(None, None),
            maximize=True,
        )
        disc = max(disc, res.value - float(np.max(verts @ c)))
    # symmetry classes
    keys = [tuple(f) for f in fa]
    index = {k: i for i, k in enumerate(keys)}
    seen: set[int] = set()
    classes = []
    for i, key in enumerate(keys):
        if i in seen:
            continue
        orbit = sorted({index[tuple(np.array(key)[g])] for g in group})
        seen.update(orbit)
        classes.append(orbit)
    return {
        "facets": fa.reshape(-1, 2, 2, 2, 2),
        "classes": classes,
        "vertices": verts,
        "tight_counts": tight.sum(axis=0),
        "facet_dims": np.array(ranks),
        "min_facets_per_vertex": int(tight.sum(axis=1).min()),
        "support_discrepancy": disc,
        "affine_dim": dim,
    }


def facet_ico_table(facets: dict[str, Any] | None = None, **kwargs: Any) -> list[dict[str, Any]]:
    """ICO bounds of every facet class of the simplest causal polytope (beyond the paper).

    One row per symmetry class of :func:`causal_polytope_facets`: orbit size, tight vertices,
    whether the facet is single-trigger, causal bound (1 by normalisation), the ICO upper bound
    (the single-trigger SDP of Eq. 3 when a trigger exists, which is exact, else the
    decomposition SDP of Eq. 28), the algebraic maximum, and the violation relative to the
    gap between the causal bound and the algebraic maximum. ``facets``: a result of
    :func:`causal_polytope_facets` (else computed with ``kwargs``).
    """
    res = causal_polytope_facets(**kwargs) if facets is None else facets
    rows = []
    for orbit in res["classes"]:
        g = res["facets"][orbit[0]]
        trig = find_triggers(g, atol=1e-9)
        r = ico_bound_single_trigger(g, trig[0]) if trig else ico_bound_decomposition(g)
        alg = algebraic_maximum(g)
        cb = causal_bound(g)
        rows.append(
            {
                "representative": g,
                "orbit_size": len(orbit),
                "tight_vertices": int(res["tight_counts"][orbit[0]]),
                "single_trigger": bool(trig),
                "causal": cb,
                "ico": r.value,
                "ico_gap": r.gap,
                "algebraic": alg,
                "relative_violation": (r.value - cb) / (alg - cb) if alg > cb else 0.0,
            }
        )
    return rows
