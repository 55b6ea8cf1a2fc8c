"""NPA upper bounds, visibilities and membership, solved and certified through
:func:`bellflow.optim.solve_sdp` (see :mod:`bellflow.npa` for the construction).

Certificate. Every moment of a feasible moment matrix lies in ``[-1, 1]``: ``Gamma_00 = 1``;
for a monomial ``S_i = P S_i'`` (``P`` its first projector, ``S_i'`` the rest, also a monomial
of every level here) the entries ``Gamma_i'i = <S_i'^dag P S_i'> = Gamma_ii`` coincide
(``P^2 = P``), so the PSD 2x2 minor on ``(i', i)`` gives ``Gamma_ii <= Gamma_i'i'`` and by
induction ``Gamma_ii <= 1``; then ``|Gamma_ij| <= sqrt(Gamma_ii Gamma_jj) <= 1``. Each moment is
an entry of Gamma, so ``var_bound = 1`` for the moment vector (with facial reduction the exact
constraints ``Gamma s = 0`` make ``V^T Gamma V >= 0`` equivalent to ``Gamma >= 0``). The
visibility ``v`` of :func:`npa_visibility` is bounded through one Collins-Gisin moment:
``|v d_k + n_k| <= 1`` gives ``|v| <= (1 + |n_k|) / |d_k|``.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from bellflow.boxes import check_box, white_noise
from bellflow.npa.structure import (
    _facial_reduction,
    box_to_cg,
    cg_to_box_map,
    npa_structure,
)
from bellflow.optim import OptResult, solve_sdp

__all__ = [
    "npa_upper_bound",
    "quantum_bound",
    "npa_membership",
    "npa_visibility",
    "DEFAULT_TOL",
    "TOL_LADDER",
    "SCS_SIZE",
]

#: Tolerance ladder used when ``tol`` is not given. NPA SDPs are often degenerate at the optimum
#: (rank-deficient moment matrix, no strict complementarity): Clarabel then stalls near 1e-8 and
#: ends "almost solved" (``optimal_inaccurate``) at 1e-9. The solve is then repeated at the next
#: (looser) gap/feasibility tolerance of the ladder (``fallbacks`` of
#: :func:`bellflow.optim.solve_sdp`), and the tolerance that finally gave status ``optimal`` is
#: the one recorded in ``OptResult.tolerances``. Levels 1 and 1+AB start at 1e-9, higher levels
#: and moment matrices of side >= :data:`LARGE_SIZE` at 1e-7 (where 1e-9 never succeeds and a
#: failed attempt costs a full solve). The certified bound is valid at any tolerance (only its
#: tightness depends on it).
TOL_LADDER = (1e-9, 1e-8, 1e-7, 1e-6)
DEFAULT_TOL = {"1": 1e-9, "1+AB": 1e-9}
HIGH_LEVEL_TOL = 1e-7
#: Side of the moment matrix from which the ladder starts at :data:`HIGH_LEVEL_TOL`.
LARGE_SIZE = 60
#: Side of the moment matrix above which ``solver="auto"`` picks SCS, whose ladder then starts
#: at :data:`SCS_LARGE_TOL` (the certificate, not the tolerance, makes the bound rigorous).
SCS_SIZE = 150
SCS_LARGE_TOL = 1e-5


@functools.lru_cache(maxsize=128)
def _problem(shape: Any, level: Any, kind: str, n_eq: int, zeros: tuple = ()) -> Any:
    """Parametrised cvxpy problem (cached). kind: 'bound', 'visibility' or 'membership'.

    Returns ``(problem, parameters, variables)`` with variables ``{"m": moments[, "v"]}``.
    """
    import cvxpy as cp

    st = npa_structure(shape, level)
    K, n = len(st.moments), st.size
    m = cp.Variable(K)
    G = cp.reshape(st.F @ m, (n, n), order="C")
    cg = m[st.cg_index]
    ncg = len(st.cg_index)
    cons = [m[0] == 1]
    if zeros:
        V, R, _ = _facial_reduction(shape, level, zeros)
        Gr = V.T @ G @ V
        cons += [(Gr + Gr.T) / 2 >> 0]
        if R.shape[0]:
            cons.append(R @ m == 0)
    else:
        cons.append(G >> 0)
    par: dict[str, Any] = {}
    var = {"m": m}
    if kind == "bound":
        par["c"] = cp.Parameter(ncg)
        par["c0"] = cp.Parameter()
        obj = cp.Maximize(par["c"] @ cg + par["c0"])
        if n_eq:
            par["E"] = cp.Parameter((n_eq, ncg))
            par["e"] = cp.Parameter(n_eq)
            cons.append(par["E"] @ cg == par["e"])
    elif kind in ("visibility", "membership"):
        v = var["v"] = cp.Variable()
        par["d"] = cp.Parameter(ncg)  # cg(p) - cg(noise)
        par["n"] = cp.Parameter(ncg)  # cg(noise)
        cons.append(cg == v * par["d"] + par["n"])
        if kind == "membership":
            cons.append(v <= 1)
        obj = cp.Maximize(v)
    else:  # pragma: no cover
        raise ValueError(kind)
    return cp.Problem(obj, cons), par, var


def _unit(shape: Any, z: Any) -> np.ndarray:
    c = np.zeros(shape)
    c[z] = 1.0
    return c


def _split_zero_equalities(equalities: Any, shape: Any) -> tuple[tuple, list]:
    """Split ``(c, v)`` pairs into zero probabilities (``v == 0``, ``c >= 0``: every entry with
    ``c > 0`` is a zero probability) and general equalities."""
    zeros: set = set()
    general = []
    for ck, vk in equalities:
        ck = np.asarray(ck, dtype=float)
        if ck.shape != tuple(shape):
            raise ValueError(f"equality coefficients must have shape {shape}, got {ck.shape}")
        if not (np.all(np.isfinite(ck)) and np.isfinite(float(vk))):
            raise ValueError("equalities must be finite")
        if float(vk) == 0.0 and ck.min() >= 0 and ck.max() > 0:
            zeros.update(tuple(int(i) for i in z) for z in zip(*np.nonzero(ck > 0), strict=True))
        else:
            general.append((ck, float(vk)))
    return tuple(sorted(zeros)), general


def npa_upper_bound(
    coeffs: ArrayLike,
    level: int | str = "1+AB",
    *,
    solver: str = "auto",
    equalities: Sequence[tuple[ArrayLike, float]] = (),
    tol: float | None = None,
    achieved: float | None = None,
) -> OptResult:
    """Upper bound on ``max_{p in Q} sum c[a,b,x,y] p[a,b,x,y]`` from NPA ``level``, certified.

    Parameters
    ----------
    coeffs:
        Bell expression, shape ``(oA, oB, mA, mB)`` (finite).
    level:
        ``1``, ``"1+AB"``, ``2``, ... (see :mod:`bellflow.npa`).
    solver:
        ``"CLARABEL"``, ``"SCS"`` or ``"auto"`` (default): Clarabel (interior point, accurate)
        up to a moment matrix of side :data:`SCS_SIZE`, SCS (first order; memory linear in
        the data) above, where Clarabel's dense scaling block of side ``n (n + 1) / 2`` does not
        fit (about 6 GB at ``n = 231``, the paper-002 check at ``d = 4``).
    equalities:
        Extra linear constraints ``sum c_k p = v_k`` as ``(c_k, v_k)`` pairs, e.g. Hardy's zero
        conditions. A pair with ``v_k = 0`` and ``c_k >= 0`` says that the probabilities where
        ``c_k > 0`` vanish; these are imposed by facial reduction of the moment matrix when the
        level contains the monomials they need, which keeps the SDP strictly feasible.
    tol:
        Solver gap/feasibility tolerance. ``None`` (default): the ladder :data:`TOL_LADDER`;
        the tolerance used is in ``OptResult.tolerances``.
    achieved:
        Value reached by a known quantum strategy, checked against the certificate.

    Returns
    -------
    OptResult
        ``value`` is the primal optimum (an upper bound up to solver tolerance), ``certified``
        a rigorous upper bound on the NPA optimum (the solver's dual point repaired, with
        ``var_bound = 1`` for the moments, see the module docstring), ``dual`` the dual
        objective; ``extra["moments"]`` the optimal moment vector.

    Examples
    --------
    >>> import numpy as np
    >>> c = np.zeros((2, 2, 2, 2)); c[0, 0, 0, 0] = 1.0        # Hardy success p(00|00)
    >>> zeros = []
    >>> for idx in [(0, 0, 0, 1), (0, 0, 1, 0), (1, 1, 1, 1)]:
    ...     z = np.zeros((2, 2, 2, 2)); z[idx] = 1.0; zeros.append((z, 0.0))
    >>> r = npa_upper_bound(c, "1+AB", equalities=zeros)
    >>> round(r.value, 6), r.certified >= (5 * 5**0.5 - 11) / 2   # (5 sqrt 5 - 11)/2
    (0.09017, True)
    """
    c = np.asarray(coeffs, dtype=float)
    if c.ndim != 4:
        raise ValueError(f"coeffs must have shape (oA, oB, mA, mB), got {c.shape}")
    if not np.all(np.isfinite(c)):
        raise ValueError("coeffs must be finite")
    shape = tuple(int(s) for s in c.shape)
    st = npa_structure(shape, level)
    T, t0 = cg_to_box_map(shape)
    zeros, general = _split_zero_equalities(equalities, shape)
    _, _, rest = _facial_reduction(shape, st.level, zeros) if zeros else (None, None, ())
    general += [(_unit(shape, z), 0.0) for z in rest]
    prob, par, var = _problem(shape, st.level, "bound", len(general), zeros)
    par["c"].value = T.T @ c.reshape(-1)
    par["c0"].value = float(c.reshape(-1) @ t0)
    if general:
        par["E"].value = np.array([T.T @ ck.reshape(-1) for ck, _ in general])
        par["e"].value = np.array([vk - ck.reshape(-1) @ t0 for ck, vk in general])
    res = _solve(
        prob,
        name=f"NPA level {st.level} upper bound",
        params={"shape": shape, "level": st.level, "zeros": zeros, "n_equalities": len(general)},
        level=st.level,
        size=st.size,
        solver=solver,
        tol=tol,
        var_bound={var["m"]: 1.0},
        achieved=achieved,
    )
    res.extra["moments"] = np.asarray(var["m"].value)
    res.extra["level"] = st.level
    return res


def quantum_bound(
    expression: ArrayLike, level: int | str = "1+AB", scenario: Any = None, **kwargs: Any
) -> OptResult:
    """Certified upper bound on the quantum value of a Bell expression, any bipartite scenario.

    A scenario ``(oA, oB, mA, mB)`` has ``mA`` settings ``x`` with ``oA`` outcomes ``a`` for
    Alice and ``mB``, ``oB`` for Bob; the expression is the array ``c[a, b, x, y]`` of that
    shape, and its value on a box is ``sum c[a,b,x,y] p(a b | x y)``. ``scenario`` (optional)
    is checked against the shape. ``level`` is ``1``, ``"1+AB"`` or any integer; larger is
    tighter and slower. Returns the :class:`~bellflow.optim.OptResult` of
    :func:`npa_upper_bound` (``value`` and ``certified``; keyword arguments are passed on).

    Examples
    --------
    CHSH (2 outcomes, 2 settings each; Tsirelson's bound ``2 sqrt 2``):

    >>> import numpy as np
    >>> from bellflow.boxes import chsh_coefficients
    >>> r = quantum_bound(chsh_coefficients(), 1, scenario=(2, 2, 2, 2))
    >>> round(r.value, 6), bool(2 * 2**0.5 <= r.certified < 2 * 2**0.5 + 1e-6)
    (2.828427, True)

    I3322 in Collins-Gisin form (``-pA(0|0) - 2 pB(0|0) - pB(0|1) + P(00|00) + P(00|01)
    + P(00|02) + P(00|10) + P(00|11) - P(00|12) + P(00|20) - P(00|21)``; Bob's third setting
    is ``y = 2``): level 1+AB gives 0.25147 (the quantum value is about 0.25088):

    >>> c = np.zeros((2, 2, 3, 3))
    >>> c[0, :, 0, 0] -= 1; c[:, 0, 0, 0] -= 2; c[:, 0, 0, 1] -= 1
    >>> for (x, y), s in {(0, 0): 1, (0, 1): 1, (0, 2): 1, (1, 0): 1, (1, 1): 1,
    ...                   (1, 2): -1, (2, 0): 1, (2, 1): -1}.items():
    ...     c[0, 0, x, y] += s
    >>> round(quantum_bound(c, "1+AB").value, 5)
    0.25147

    CGLMP for ``d = 3`` (probability form ``I_3``, local bound 2, quantum value
    ``1 + sqrt(11/3) = 2.9149`` reached by a non-maximally entangled state):

    >>> d = 3; c = np.zeros((d, d, 2, 2))
    >>> terms = {(0, 0): (0, 2), (1, 0): (2, 0), (1, 1): (0, 2), (0, 1): (0, 1)}
    >>> for (x, y), (plus, minus) in terms.items():   # +P(a-b = plus) - P(a-b = minus), mod d
    ...     for a in range(d):
    ...         for b in range(d):
    ...             c[a, b, x, y] = ((a - b) % d == plus) - 1.0 * ((a - b) % d == minus)
    >>> round(quantum_bound(c, "1+AB", scenario=(3, 3, 2, 2)).value, 4)
    2.9149
    """
    c = np.asarray(expression, dtype=float)
    if scenario is not None and tuple(int(s) for s in scenario) != c.shape:
        raise ValueError(f"expression of shape {c.shape} does not match scenario {scenario}")
    return npa_upper_bound(c, level, **kwargs)


def _ladder(level: str, size: int, tol: float | None, solver: str) -> tuple[float, ...]:
    if tol is not None:
        if not 0 < float(tol) < 1:
            raise ValueError(f"tol must lie in (0, 1), got {tol!r}")
        return (float(tol),)
    start = DEFAULT_TOL.get(level, HIGH_LEVEL_TOL) if size < LARGE_SIZE else HIGH_LEVEL_TOL
    if solver == "SCS" and size > SCS_SIZE:
        return (SCS_LARGE_TOL, 10 * SCS_LARGE_TOL)
    return tuple(t for t in TOL_LADDER if t >= start)


def _solve(
    prob: Any,
    *,
    name: str,
    params: dict,
    level: str,
    size: int,
    solver: str,
    tol: float | None,
    var_bound: Mapping,
    achieved: float | None = None,
) -> OptResult:
    """:func:`~bellflow.optim.solve_sdp` over the tolerance ladder, certified."""
    solver = solver.upper()
    if solver == "AUTO":
        solver = "SCS" if size > SCS_SIZE else "CLARABEL"
    if solver not in ("CLARABEL", "SCS"):
        raise ValueError(f"solver must be 'CLARABEL', 'SCS' or 'auto', got {solver!r}")
    key = ("tol_gap_abs", "tol_gap_rel", "tol_feas") if solver == "CLARABEL" else ("eps",)
    ladder: list[dict[str, Any]] = [{k: t for k in key} for t in _ladder(level, size, tol, solver)]
    return solve_sdp(
        prob,
        name=name,
        params=params,
        solver=solver,
        fallbacks=ladder[1:],
        var_bound=var_bound,
        achieved=achieved,
        **ladder[0],
    )


def _visibility(p: Any, level: Any, noise: Any, solver: Any, kind: Any, tol: Any) -> OptResult:
    p = np.asarray(p, dtype=float)
    if p.ndim != 4:
        raise ValueError(f"p must be a single box of shape (oA, oB, mA, mB), got {p.shape}")
    check_box(p)
    shape = tuple(int(s) for s in p.shape)
    noise = white_noise(*shape) if noise is None else np.asarray(noise, dtype=float)
    check_box(noise)
    st = npa_structure(shape, level)
    prob, par, var = _problem(shape, st.level, kind, 0)
    cn = box_to_cg(noise)
    d = box_to_cg(p) - cn
    par["d"].value = d
    par["n"].value = cn
    bounds = {var["m"]: 1.0}
    k = int(np.argmax(np.abs(d)))
    if abs(d[k]) > 0:  # |v d_k + n_k| <= 1 (module docstring)
        bounds[var["v"]] = (1.0 + abs(cn[k])) / abs(d[k])
    res = _solve(
        prob,
        name=f"NPA level {st.level} {kind}",
        params={"shape": shape, "level": st.level},
        level=st.level,
        size=st.size,
        solver=solver,
        tol=tol,
        var_bound=bounds,
    )
    res.extra["moments"] = np.asarray(var["m"].value)
    res.extra["level"] = st.level
    return res


def npa_membership(
    p: ArrayLike,
    level: int | str = "1+AB",
    *,
    noise: ArrayLike | None = None,
    solver: str = "auto",
    atol: float = 1e-7,
    tol: float | None = None,
) -> OptResult:
    """NPA membership of a box: ``max v in [0, 1]`` with ``v p + (1 - v) noise`` in the NPA set.

    ``noise`` defaults to the uniform box (interior of the quantum set), so the SDP is always
    feasible. The box passes level ``level`` iff ``value == 1`` up to the solver tolerance:
    ``extra["member"]`` is ``value >= 1 - atol``. ``certified`` is a rigorous upper bound on
    ``v``: ``certified < 1`` proves that the box is outside the NPA set.
    """
    if not 0 <= float(atol) < 1:
        raise ValueError(f"atol must lie in [0, 1), got {atol!r}")
    res = _visibility(p, level, noise, solver, "membership", tol)
    res.extra["member"] = bool(res.value >= 1.0 - atol)
    return res


def npa_visibility(
    p: ArrayLike,
    level: int | str = "1+AB",
    *,
    noise: ArrayLike | None = None,
    solver: str = "auto",
    tol: float | None = None,
) -> OptResult:
    """Largest ``v`` with ``v p + (1 - v) noise`` in the NPA set of ``level`` (uncapped).

    With ``p`` the PR box and white noise this is the quantum threshold of the isotropic family;
    with ``p = noise + d`` it is the distance (in units of ``d``) from the noise to the boundary
    along the ray ``d``. ``certified`` is a rigorous upper bound on it. Raises
    :class:`~bellflow.optim.SolverError` when unbounded (``p == noise``).
    """
    return _visibility(p, level, noise, solver, "visibility", tol)
