"""Study: can an inept delivery service distribute a device-independent key?

Over paper 004's ``(a, S)`` plane, three nested regions of the delivered state
``rho = M[|psi_a><psi_a|]`` (Eq. 2.1): entangled (``C > 0``, Eq. 3.3), CHSH-violating (Horodecki
value ``> 2``) and with a positive device-independent key rate.

**The rate (Pironio et al., NJP 11, 045021 (2009)).** With CHSH value ``beta`` and quantum bit
error rate ``Q`` of the key pair of settings, one-way DIQKD against collective attacks gives

    r >= 1 - h(Q) - h((1 + sqrt((beta/2)^2 - 1))/2)          (beta > 2; r = 0 otherwise),

``h`` the binary entropy. Alice's key is one of her two CHSH measurements (the bound is on
``H(A_0|E)``); Bob has a third setting for the key. The bound is proven for symmetrised
statistics (uniform marginals); Alice and Bob reach them by flipping both outcomes on a public
random bit, which changes neither ``beta`` nor ``Q``, so the non-uniform marginals of ``rho``
(``<Z> = a^2 - b^2``) do not matter.

**Settings (derived here).** ``rho`` has the diagonal correlation matrix
``T = diag(St, -St, 1 - (1-S)t^2)`` with ``t = 2ab`` (see
:func:`~bellflow.delivery.channel.max_chsh`). Its largest singular value is always the ``zz``
entry: ``(1 - (1-S)t^2) - St = (1 - t)(1 + (1-S)t) >= 0``, so ``s1 = 1 - (1-S)t^2`` (axis ``z``)
and ``s2 = St`` (axis ``x``). For Alice's unit vectors ``a0, a1`` and Bob's best answers the
CHSH value is ``|T^T(a0 + a1)| + |T^T(a0 - a1)|``, at most ``2 sqrt(s1^2 + s2^2)`` (Horodecki).
The error rate of Alice's key ``a0`` against Bob's key direction ``b`` is
``Q = (1 - a0.T b)/2`` (the marginals cancel in ``P(a != b) = (1 - <A B>)/2``), at least
``(1 - s1)/2`` since ``|T^T a0| <= s1``. Both bounds are reached by the same settings:
Alice ``a0 = z`` (key), ``a1 = x``; Bob ``b0, b1 = (s1 z +- s2 x)/sqrt(s1^2 + s2^2)`` (CHSH,
``|T^T(a0 +- a1)| = sqrt(s1^2 + s2^2)``) and ``b = z`` (key):

    beta = 2 sqrt(s1^2 + s2^2),     Q = (1 - s1)/2 = (1 - S) t^2 / 2.

So ``r`` here is the best rate of this protocol (Alice's key one of her CHSH settings, Bob's key
a third setting) over all measurement directions. (An earlier version used the tilted optimal
pair ``a0, a1 = cos x u1 +- sin x u2``, ``tan x = s2/s1``: the same ``beta`` but the larger
``Q = (1 - sqrt((s1^4 + s2^4)/(s1^2 + s2^2)))/2``.) At ``S = 1`` the state is pure,
``Q = 0`` and ``beta = 2 sqrt(1 + t^2) > 2``: every entangled preparation ``0 < a < 1`` gives a
key. Bell pairs (``a = 1/sqrt 2``, ``S = 1``): ``beta = 2 sqrt 2``, ``Q = 0``, ``r = 1``; at
``a = 1/sqrt 2`` the state is the Werner state of weight ``S`` and ``r`` is the familiar
Pironio rate at ``Q = (1 - S)/2`` (:func:`bellflow.diqkd.chsh_key_rate`).

**Symmetry of the box.** ``Z (x) Z`` leaves ``|psi_a>`` and hence ``rho`` invariant and maps
``x -> -x``, ``z -> z`` on both sides: it flips Alice's ``a1`` and swaps Bob's ``b0, b1`` and
fixes the key settings. The box is invariant under that relabelling, which
:mod:`bellflow.entropy.symmetry` detects: the BFF moment matrix (49 x 49) splits into two
blocks (26 and 23) on the invariant moments (161 of 323).

The independent route :func:`key_box` builds the box ``p(a, b | x, y)`` of these measurements on
the explicit state from a numerical SVD of :func:`bellflow.states.correlation_matrix`
(``a0, a1`` its first two left singular vectors); its
CHSH value and ``Q`` are compared with the closed forms in :func:`dikey_scan` and the tests.

Examples
--------
>>> import numpy as np
>>> round(float(key_rate_pironio(1 / np.sqrt(2), 1.0)), 12)  # a perfect Bell pair
1.0
>>> float(key_rate_pironio(0.3, 0.5))  # no CHSH violation, no key
0.0
"""

from __future__ import annotations

import numpy as np
import xarray as xr
from numpy.typing import ArrayLike, NDArray
from scipy.optimize import brentq, minimize_scalar

from bellflow import diqkd, states
from bellflow.delivery.channel import (
    FloatOrArray,
    _ab,
    _chsh_ab,
    _craw_ab,
    _out,
    _unit,
    chsh_boundary,
    delivered_state,
    entanglement_boundary,
)
from bellflow.delivery.scans import _coords, _grid
from bellflow.optim import summary_attrs

__all__ = [
    "chsh_and_qber",
    "key_rate_pironio",
    "key_box",
    "key_threshold",
    "dikey_scan",
    "entropy_given_purifying_eve",
    "bff_rates",
    "gather_bff",
]

_PAULI = states.PAULI


def _terms(ab: NDArray[np.float64], S: NDArray[np.float64]) -> tuple[NDArray, NDArray]:
    """``beta = 2 sqrt(s1^2 + s2^2)`` and ``Q = (1 - s1)/2 = (1 - S) t^2 / 2``, ``t = 2ab``."""
    beta = _chsh_ab(ab, S)  # 2 sqrt(s1^2 + s2^2), the same closed form as Fig. 2
    return beta, np.clip((1 - S) * (2 * ab) ** 2 / 2, 0.0, 0.5)


def _rate(beta: NDArray[np.float64], Q: NDArray[np.float64]) -> NDArray[np.float64]:
    """Pironio rate before the clip at 0 (``-h(Q) <= 0`` where ``beta <= 2``)."""
    b = np.minimum(beta, 2 * np.sqrt(2))
    return np.asarray(diqkd.pironio_entropy(b) - diqkd.binary_entropy(Q))


def chsh_and_qber(a: ArrayLike, S: ArrayLike) -> tuple[FloatOrArray, FloatOrArray]:
    """Horodecki CHSH value ``2 sqrt(s1^2 + s2^2)`` and the QBER of the best key settings.

    ``Q = (1 - s1)/2 = (1 - S) t^2 / 2`` (module docstring), ``s1 = 1 - (1-S)t^2``,
    ``s2 = St``, ``t = 2a sqrt(1-a^2)``.

    Examples
    --------
    >>> beta, Q = chsh_and_qber(1 / np.sqrt(2), 0.9)  # Werner: 2 sqrt 2 S, (1 - S)/2
    >>> round(float(beta / (2 * np.sqrt(2))), 12), round(float(Q), 12)
    (0.9, 0.05)
    """
    a, b = _ab(a)
    S = _unit(S, "S")
    beta, Q = _terms(a * b, S)
    return _out(beta), _out(Q)


def key_rate_pironio(a: ArrayLike, S: ArrayLike) -> FloatOrArray:
    """DIQKD rate ``max(0, 1 - h(Q) - h((1 + sqrt((beta/2)^2 - 1))/2))`` of the delivered state.

    Pironio et al. (2009), Eq. (12) with the CHSH value ``beta`` and QBER ``Q`` of
    :func:`chsh_and_qber`; ``0`` wherever CHSH is not violated.

    Examples
    --------
    >>> round(float(key_rate_pironio(1 / np.sqrt(2), 0.95)), 6)
    0.539062
    """
    beta, Q = chsh_and_qber(a, S)
    return _out(np.clip(_rate(np.asarray(beta), np.asarray(Q)), 0.0, None))


def key_box(a: float, S: float) -> NDArray[np.float64]:
    """The box ``p[o_A, o_B, x, y]`` (shape ``(2, 2, 2, 3)``) of the optimal measurements.

    Built on the explicit state (:func:`~bellflow.delivery.channel.delivered_state`) from a
    numerical SVD ``T = U diag(s) V^T`` of its correlation matrix: Alice ``a0 = u1`` (``x = 0``,
    her key) and ``a1 = u2``, Bob ``T^T(a0 +- a1)`` normalised (``y = 0, 1``, CHSH) and
    ``T^T a0`` normalised (``y = 2``, key); outcome 0 is ``+1``. The same layout as
    :func:`bellflow.diqkd.chsh_box`.

    Examples
    --------
    >>> p = key_box(1 / np.sqrt(2), 1.0)
    >>> round(float(p[0, 1, 0, 2] + p[1, 0, 0, 2]), 12)  # QBER 0
    0.0
    """
    rho, PA, PB = _measurements(a, S)
    ops = np.einsum("xaij,ybkl->abxyikjl", PA, PB).reshape(2, 2, 2, 3, 4, 4)
    return np.real(np.einsum("abxymn,nm->abxy", ops, rho))


def _measurements(a: float, S: float) -> tuple[NDArray, NDArray, NDArray]:
    """The state and the projectors ``PA[x, o]``, ``PB[y, o]`` of :func:`key_box`."""
    rho = delivered_state(float(a), float(S))
    T = np.asarray(states.correlation_matrix(rho))
    U, _, Vt = np.linalg.svd(T)
    a0, a1 = U[:, 0], U[:, 1]

    def unit(v: NDArray[np.float64], default: NDArray[np.float64]) -> NDArray[np.float64]:
        n = np.linalg.norm(v)
        return v / n if n > 1e-15 else default

    alice = [a0, a1]
    bob = [unit(T.T @ (a0 + a1), Vt[0]), unit(T.T @ (a0 - a1), Vt[1]), unit(T.T @ a0, Vt[0])]

    def proj(n: NDArray[np.float64]) -> NDArray[np.complex128]:
        obs = np.einsum("i,ijk->jk", n, _PAULI)
        return np.array([(np.eye(2) + obs) / 2, (np.eye(2) - obs) / 2])

    return rho, np.array([proj(n) for n in alice]), np.array([proj(n) for n in bob])


def _vn_entropy(rho: NDArray) -> float:
    w = np.linalg.eigvalsh(rho)
    w = w[w > 1e-15]
    return float(-np.sum(w * np.log2(w)))


def entropy_given_purifying_eve(a: float, S: float) -> float:
    """``H(A|E)`` of Alice's key outcome when Eve holds a purification of the delivered state.

    One realisation of the box of :func:`key_box` (Eve's best is at least as good), so an
    upper bound on every device-independent lower bound of ``H(A|E)`` for that box (the BFF
    value of :func:`bff_rates` must lie below it). With ``rho_ABE`` pure and Alice's key
    projectors ``Pi_o``: ``H(A|E) = H(A) + sum_o p_o S(rho_B^o) - S(rho_AB)``, because after
    Alice's outcome ``o`` the state of ``BE`` is pure (``S(rho_E^o) = S(rho_B^o)``) and
    ``S(rho_E) = S(rho_AB)``.

    Examples
    --------
    >>> round(entropy_given_purifying_eve(0.6, 1.0), 6)  # pure: H(A) = h(0.36)
    0.942683
    """
    rho, PA, _ = _measurements(a, S)
    r4 = rho.reshape(2, 2, 2, 2)
    total = -_vn_entropy(rho)
    for P in PA[0]:  # Alice's key projectors
        proj = np.einsum("ij,jbkc->ibkc", P, r4)
        rho_b = np.real(np.einsum("iaib->ab", proj))
        p = float(np.trace(rho_b))
        if p > 1e-15:
            total += -p * np.log2(p) + p * _vn_entropy(rho_b / p)
    return float(total)


def key_threshold(a: ArrayLike) -> FloatOrArray:
    """Smallest ``S`` with a positive Pironio rate at ``a`` (``inf`` if none up to ``S = 1``).

    Brent's method on the unclipped rate between the CHSH threshold (rate ``<= 0``) and
    ``S = 1``; the rate increases with ``S`` there (tested).

    Examples
    --------
    >>> round(float(key_threshold(1 / np.sqrt(2))), 6)  # Werner: QBER (1 - S)/2 = 7.15 %
    0.857016
    """
    a_arr = np.atleast_1d(_unit(a, "a"))
    out = np.full(a_arr.shape, np.inf)
    for i, ai in enumerate(a_arr):
        lo = float(chsh_boundary(ai))
        aa, bb = _ab(ai)

        def raw(s: float, ab: float = float(aa * bb)) -> float:
            beta, Q = _terms(np.asarray(ab), np.asarray(s))
            return float(_rate(beta, Q))

        if np.isfinite(lo) and raw(1.0) > 0:
            out[i] = brentq(raw, lo, 1.0, xtol=1e-14, rtol=1e-14)
    return _out(out.reshape(np.shape(a)))



def _var(dims: tuple, value: ArrayLike, description: str, units: str = "1") -> tuple:
    return (dims, np.asarray(value), {"description": description, "units": units})


def _key_summary(
    a: NDArray[np.float64], thr: NDArray[np.float64], rate_S1: NDArray[np.float64]
) -> dict[str, tuple]:
    """0-d summary: the lowest key threshold over ``a`` (grid minimum refined by scipy), its
    ``a``, the threshold for Bell pairs, and whether every entangled preparation of the grid
    (``0 < a < 1``) has a key at ``S = 1`` (module docstring: ``Q = 0``, ``beta > 2``)."""
    fin = np.isfinite(thr)
    if not fin.any():
        raise ValueError("a_grid has no point with a positive key rate at any S <= 1")
    i = int(np.argmin(np.where(fin, thr, np.inf)))
    lo, hi = a[max(i - 1, 0)], a[min(i + 1, a.size - 1)]
    r = minimize_scalar(
        lambda x: float(key_threshold(x)),
        bounds=(lo, hi),
        method="bounded",
        options={"xatol": 1e-10},
    )
    best = (float(r.fun), float(r.x)) if r.fun <= thr[i] else (float(thr[i]), float(a[i]))
    inner = (a > 0) & (a < 1)
    return {
        "key_S_min": _var((), best[0], "smallest S with a positive rate (minimum over a)"),
        "key_S_min_a": _var((), best[1], "a where that minimum is reached"),
        "key_S_bell": _var((), key_threshold(1 / np.sqrt(2)), "key threshold in S, Bell pairs"),
        "key_at_S1_all": _var(
            (), float(np.all(rate_S1[inner] > 0)), "1 if every 0 < a < 1 has a key at S = 1"
        ),
    }


def _route_checks(check_points: int) -> dict[str, tuple]:
    """Independent routes: the explicit box (numerical SVD) on a ``check_points^2`` grid of
    interior points, and the Werner line against :func:`bellflow.diqkd.chsh_key_rate`."""
    g = np.linspace(0.02, 0.98, check_points)
    dev_beta = dev_q = 0.0
    for ai in g:
        for si in g:
            p = key_box(ai, si)
            E = p[0, 0] + p[1, 1] - p[0, 1] - p[1, 0]  # correlators E[x, y]
            beta_box = E[0, 0] + E[0, 1] + E[1, 0] - E[1, 1]
            q_box = p[0, 1, 0, 2] + p[1, 0, 0, 2]
            beta, Q = chsh_and_qber(ai, si)
            dev_beta = max(dev_beta, abs(beta_box - float(beta)))
            dev_q = max(dev_q, abs(q_box - float(Q)))
    s = np.linspace(0, 1, 201)
    werner = np.clip(np.asarray(diqkd.chsh_key_rate((1 - s) / 2)), 0.0, None)
    dev_w = float(np.max(np.abs(np.asarray(key_rate_pironio(1 / np.sqrt(2), s)) - werner)))
    return {
        "check_box_chsh": _var((), dev_beta, "max |CHSH of the explicit box - closed form|"),
        "check_box_qber": _var((), dev_q, "max |QBER of the explicit box - closed form|"),
        "check_werner_rate": _var(
            (), dev_w, "max over S at a = 1/sqrt 2 of |rate - diqkd.chsh_key_rate((1-S)/2)|"
        ),
    }


def dikey_scan(a_grid: ArrayLike, S_grid: ArrayLike, check_points: int = 12) -> xr.Dataset:
    """The three nested regions and the Pironio rate over ``a_grid x S_grid`` (Fig. 2's axes).

    Variables over ``(a, S)``: ``entangled`` (``C > 0``), ``chsh_violated``, ``key_positive``
    (rate ``> 0``), ``rate_pironio`` (bits per round), ``chsh_max``, ``qber``; over ``a``:
    ``boundary_entanglement``, ``boundary_chsh``, ``boundary_key`` (:func:`key_threshold`,
    ``inf`` where no ``S <= 1`` gives a key); 0-d: the summary (``key_S_min``, ``key_S_min_a``,
    ``key_S_bell``, ``key_at_S1_all``), ``nested`` (1 if key ``subset`` CHSH
    ``subset`` entangled on the grid), the area fractions ``fraction_*`` of the grid, and the
    independent-route deviations ``check_*`` (explicit box on ``check_points^2`` points, Werner
    line vs :func:`bellflow.diqkd.chsh_key_rate`).

    Examples
    --------
    >>> ds = dikey_scan(np.linspace(0, 1, 5), np.linspace(0, 1, 5), check_points=2)
    >>> ds["rate_pironio"].dims, float(ds["rate_pironio"].sel(a=0.25, S=1.0)) > 0
    (('a', 'S'), True)
    """
    a = _grid(a_grid, "a_grid")
    S = _grid(S_grid, "S_grid")
    if int(check_points) < 1:
        raise ValueError(f"check_points must be >= 1, got {check_points}")
    _, b = _ab(a)
    ab, S2 = (a * b)[:, None], S[None, :]
    beta, Q = _terms(ab, S2)
    rate = np.clip(_rate(beta, Q), 0.0, None)
    ent = _craw_ab(ab, S2) > 0
    chsh, key = beta > 2, rate > 0
    thr = np.asarray(key_threshold(a), dtype=float)
    dims = ("a", "S")
    data = {
        "entangled": _var(dims, ent, "C > 0 (Eq. 3.3)"),
        "chsh_violated": _var(dims, chsh, "Horodecki CHSH value > 2"),
        "key_positive": _var(dims, key, "Pironio DIQKD rate > 0"),
        "rate_pironio": _var(dims, rate, "Pironio et al. (2009) DIQKD rate", "bit/round"),
        "chsh_max": _var(dims, beta, "Horodecki CHSH value (optimal settings)"),
        "qber": _var(dims, Q, "QBER of the best key settings (module docstring)"),
        "boundary_entanglement": _var(("a",), entanglement_boundary(a), "S threshold: C > 0"),
        "boundary_chsh": _var(("a",), chsh_boundary(a), "S threshold: CHSH > 2"),
        "boundary_key": _var(("a",), thr, "S threshold: Pironio rate > 0 (inf: none)"),
        "nested": _var((), float(not np.any(key & ~chsh) and not np.any(chsh & ~ent)),
                       "claim: key region in CHSH region in entangled region (grid)"),
        **{
            f"fraction_{k}": _var((), float(m.mean()), f"fraction of the (a, S) grid: {k}")
            for k, m in (("entangled", ent), ("chsh_violated", chsh), ("key_positive", key))
        },
        **_key_summary(a, thr, np.asarray(key_rate_pironio(a, 1.0))),
        **_route_checks(int(check_points)),
    }
    return xr.Dataset(data, coords=_coords(a=a, S=S))


# ----------------------------------------------------------------------------- BFF (full box)
def _test_box_chsh(p: NDArray[np.float64]) -> float:
    """Largest CHSH value over the 8 relabellings of the 2x2 box ``p[:, :, :, :2]``; by Fine's
    theorem the 2x2 box is local iff it is ``<= 2``."""
    E = (p[0, 0] + p[1, 1] - p[0, 1] - p[1, 0])[:, :2]
    signs = np.array([[1, 1, 1, -1], [1, 1, -1, 1], [1, -1, 1, 1], [-1, 1, 1, 1]])
    return float(np.max(np.abs(signs @ E.reshape(4))))


def _relabelled(p: NDArray[np.float64]) -> NDArray[np.float64]:
    """The box under the ``Z (x) Z`` relabelling (module docstring): Alice's ``x = 1``
    outcomes flipped, Bob's ``y = 0, 1`` swapped (the key settings fixed)."""
    q = p.copy()
    q[:, :, 1, :] = q[::-1, :, 1, :]
    q[:, :, :, [0, 1]] = q[:, :, :, [1, 0]]
    return q


#: Clarabel settings of the symmetry-reduced node SDPs: the reduced constraint matrix is dense
#: (an orthonormal basis of the invariant moments) and Clarabel's equilibration of it ends the
#: S = 1 solves far from the optimum (certificate up to 0.037 bit low at a = 0.25); without it
#: every sub-grid point certifies within 1e-4 bit of the solver value (and of the full SDP).
REDUCED_SOLVER_OPTS: dict[str, object] = {"equilibrate_enable": False}

#: How the BFF values are made bounds although node solves may end ``optimal_inaccurate``.
BFF_CERTIFICATION = (
    "H_AE is not the solver's value but the certified lower bound of bellflow.entropy: each "
    "node's dual point repaired into the cone (bellflow.optim), moments bounded a priori; "
    "node solves ending optimal_inaccurate are accepted on that ground (nodes_inaccurate "
    "counts them); H_AE_solver is the raw value, for comparison only."
)


def _bff_point(
    p: NDArray[np.float64], m: int, level: str, gap_tol: float, solves: list
) -> dict[str, float]:
    """One non-local point: the BFF bound of :func:`bellflow.entropy.bff_entropy` on the test
    box ``p[..., :2]`` (symmetry-reduced node SDPs, :data:`REDUCED_SOLVER_OPTS`) minus
    ``H(A|B)`` with Bob's key setting (as :func:`bellflow.diqkd.key_rate`). Where the
    certificate lies more than ``gap_tol`` below the solver's value the full node SDPs are
    solved as well and the larger certified ``H(A|E)`` is kept (both are lower bounds). The
    node solves (``OptResult``) are appended to ``solves``."""
    from bellflow.diqkd import conditional_entropy
    from bellflow.entropy import bff_entropy

    test = p[:, :, :, :2]
    ent = bff_entropy(m, p=test, level=level, solver_opts=dict(REDUCED_SOLVER_OPTS))
    solves.extend(nd.opt for nd in ent.nodes)
    full = 0.0
    if ent.solver_value - ent.value > gap_tol:
        alt = bff_entropy(m, p=test, level=level, symmetry=False)
        solves.extend(nd.opt for nd in alt.nodes)
        full = 1.0
        ent = alt if alt.value > ent.value else ent
    h_ab = conditional_entropy(np.clip(p[:, :, 0, 2], 0.0, None))
    raw = ent.value - h_ab
    return {
        "rate_bff": max(0.0, raw),
        "rate_bff_raw": raw,
        "H_AE": ent.value,
        "H_AE_solver": ent.solver_value,
        "H_AB": h_ab,
        "full_sdp": full,
        "nodes_inaccurate": sum(st != "optimal" for st in ent.statuses),
    }


def bff_rates(
    a_values: ArrayLike, S: float, m: int = 4, level: str = "2", gap_tol: float = 1e-3
) -> xr.Dataset:
    """Certified DIQKD rate from the full box at the points ``(a, S)``, ``a`` in ``a_values``.

    For each point the box of :func:`key_box` gives the rate of
    :func:`bellflow.diqkd.key_rate` (computed by :func:`_bff_point`): the
    Brown-Fawzi-Fawzi lower bound on ``H(A|E)`` (``m`` Gauss-Radau nodes, NPA ``level``) from
    the full statistics of the CHSH settings (``y = 0, 1``), minus ``H(A|B)`` with Bob's key
    setting ``y = 2``. Where the 2x2 test box is local (CHSH ``<= 2`` for every relabelling,
    Fine's theorem) Eve can know Alice's outcome, the rate is 0 and no SDP is solved
    (``local = 1``): a box satisfying every CHSH inequality of the 2222 scenario is local
    (A. Fine, PRL 48, 291 (1982)), so a local hidden variable model hands Eve Alice's outcome.
    Elsewhere the box is invariant under the ``Z (x) Z`` relabelling (``box_symmetric``, module
    docstring), and :func:`bellflow.entropy.bff_entropy` solves each node on the invariant
    moments (two blocks instead of the 49 x 49 matrix); where that certificate is more than
    ``gap_tol`` bit below the solver's value the full SDP is solved too (``full_sdp = 1``, the
    larger certified value kept: :func:`_bff_point`). Variables over ``a_bff`` (with the 0-d
    coordinate ``S_bff``): ``rate_bff`` (``max(0, raw)``), ``rate_bff_raw``, ``H_AE``
    (certified) and ``H_AE_solver``, ``H_AB``, ``chsh_test_box``, ``local``,
    ``box_symmetric``, ``full_sdp``, ``nodes_inaccurate``, ``H_AE_state``
    (:func:`entropy_given_purifying_eve`, an upper bound on ``H_AE``) and ``rate_pironio``.

    Examples
    --------
    A Bell pair (about 2 s; the quadrature with ``m = 4`` loses about 0.05 bit)::

        bff_rates([2 ** -0.5], 1.0)["rate_bff"]   # ~0.955
    """
    a = np.atleast_1d(_unit(a_values, "a_values"))
    if a.ndim != 1:
        raise ValueError("a_values must be a 1-d array")
    s = float(_unit(S, "S"))
    if int(m) < 2:
        raise ValueError(f"m must be >= 2, got {m}")
    if not gap_tol > 0:
        raise ValueError(f"gap_tol must be > 0, got {gap_tol}")
    cols: dict[str, list[float]] = {k: [] for k in _BFF_VARS}
    attrs: dict[str, object] = {"bff_nodes": int(m), "npa_level": level, "gap_tol": gap_tol}
    solves: list = []
    for ai in a:
        p = key_box(float(ai), s)
        chsh = _test_box_chsh(p)
        row = {"chsh_test_box": chsh, "local": float(chsh <= 2), "nodes_inaccurate": 0.0}
        row["box_symmetric"] = float(np.allclose(_relabelled(p), p, rtol=0, atol=1e-12))
        if chsh <= 2:
            row.update(rate_bff=0.0, rate_bff_raw=np.nan, H_AE=0.0, H_AE_solver=np.nan)
            row.update(H_AB=np.nan, full_sdp=0.0)
        else:
            row.update(_bff_point(p, int(m), level, float(gap_tol), solves))
        row["rate_pironio"] = float(key_rate_pironio(float(ai), s))
        row["H_AE_state"] = entropy_given_purifying_eve(float(ai), s)
        for k in _BFF_VARS:
            cols[k].append(float(row[k]))
    if solves:  # solver, statuses, tolerances of every node solve (the HDF5 contract)
        attrs |= summary_attrs(solves) | {"bound_certification": BFF_CERTIFICATION}
    data = {k: _var(("a_bff",), cols[k], d, u) for k, (d, u) in _BFF_VARS.items()}
    coords: dict[str, tuple] = {
        "a_bff": ("a_bff", a, {"description": "a of the BFF sub-grid", "units": "1"})
    }
    coords["S_bff"] = ((), s, {"description": "S of the BFF sub-grid", "units": "1"})
    return xr.Dataset(data, coords=coords, attrs=attrs)


_BFF_VARS: dict[str, tuple[str, str]] = {
    "rate_bff": ("certified DIQKD rate max(0, H(A|E) - H(A|B)), BFF from the full box", "bit"),
    "rate_bff_raw": ("H(A|E) - H(A|B) before the clip (nan where the box is local)", "bit"),
    "H_AE": ("certified BFF lower bound on H(A|E) (0 where the test box is local)", "bit"),
    "H_AE_solver": ("the same from the solver's value, uncertified", "bit"),
    "H_AB": ("H(A|B) with Bob's key setting", "bit"),
    "H_AE_state": ("H(A|E) with Eve purifying the delivered state (an upper bound)", "bit"),
    "chsh_test_box": ("largest CHSH value over the relabellings of the 2x2 test box", "1"),
    "local": ("1 where the 2x2 test box is local (no SDP solved, rate 0)", "1"),
    "box_symmetric": ("1 where the box is invariant under the Z (x) Z relabelling", "1"),
    "full_sdp": ("1 where the full (unreduced) node SDPs were solved as well", "1"),
    "nodes_inaccurate": ("node SDPs that ended optimal_inaccurate (certified anyway)", "1"),
    "rate_pironio": ("Pironio CHSH rate at the same point", "bit"),
}


def gather_bff(chunks: list[xr.Dataset]) -> xr.Dataset:
    """Concatenate :func:`bff_rates` results (one per ``S``) into ``(a_bff, S_bff)`` arrays.

    Examples
    --------
    >>> c = [xr.Dataset({"r": ("a_bff", [0.0, 1.0])}, coords={"a_bff": [0.5, 0.7],
    ...      "S_bff": s}) for s in (0.9, 1.0)]
    >>> gather_bff(c)["r"].dims
    ('a_bff', 'S_bff')
    """
    if not chunks:
        raise ValueError("chunks must not be empty")
    ds = xr.concat(chunks, dim="S_bff").sortby("S_bff").transpose("a_bff", "S_bff")
    attrs = dict(chunks[0].attrs)
    solved = [c.attrs for c in chunks if "solver_status" in c.attrs]
    if solved:  # statuses of every chunk's solves (a chunk of local points solved none)
        attrs |= {k: solved[0][k] for k in ("solver", "solver_tolerances", "bound_certification")}
        statuses = {st for c in solved for st in str(c["solver_status"]).split(",")}
        attrs["solver_status"] = ",".join(sorted(statuses))
        attrs["n_solves"] = sum(int(c["n_solves"]) for c in solved)
        attrs["n_certified"] = sum(int(c["n_certified"]) for c in solved)
    return ds.assign_attrs(attrs)
