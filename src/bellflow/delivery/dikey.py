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
:func:`~bellflow.delivery.channel.max_chsh`). Let ``s1 >= s2`` be its two largest singular
values, ``u1, u2`` (Alice) and ``v1, v2`` (Bob) the singular vectors, ``T^T u_i = s_i v_i``.
For Alice's unit vectors ``a0, a1`` and Bob's best answers the CHSH value is
``|T^T(a0 + a1)| + |T^T(a0 - a1)|``; with ``a0 +- a1 = 2(cos x u1, sin x u2)`` it is
``2(s1 cos x + s2 sin x)``, maximal (``2 sqrt(s1^2 + s2^2)``, Horodecki) at ``tan x = s2/s1``:
``a0, a1 = cos x u1 +- sin x u2``, ``b0 = v1``, ``b1 = v2``. The error rate of Alice's key
``a0`` against Bob's key direction ``b`` is ``Q = (1 - a0.T b)/2`` (the marginals cancel in
``P(a != b) = (1 - <A B>)/2``), smallest for ``b = T^T a0/|T^T a0|``:

    |T^T a0|^2 = (s1^4 + s2^4)/(s1^2 + s2^2),     Q = (1 - |T^T a0|)/2.

The same holds for ``a1``. These are the Horodecki-optimal CHSH settings; a trade-off between
CHSH and ``Q`` at non-optimal settings could only increase the rate, so ``r`` here is the rate
of this protocol, a lower bound on what the state allows with the Pironio bound. Bell pairs
(``a = 1/sqrt 2``, ``S = 1``): ``beta = 2 sqrt 2``, ``Q = 0``, ``r = 1``; at ``a = 1/sqrt 2``
the state is the Werner state of weight ``S`` and ``r`` is the familiar Pironio rate at
``Q = (1 - S)/2`` (:func:`bellflow.diqkd.chsh_key_rate`).

The independent route :func:`key_box` builds the box ``p(a, b | x, y)`` of these measurements on
the explicit state from a numerical SVD of :func:`bellflow.states.correlation_matrix`; its
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

__all__ = [
    "chsh_and_qber",
    "key_rate_pironio",
    "key_box",
    "key_threshold",
    "dikey_scan",
]

_PAULI = states.PAULI


def _top_two(ab: NDArray[np.float64], S: NDArray[np.float64]) -> tuple[NDArray, NDArray]:
    """The two largest singular values ``s1 >= s2`` of ``T = diag(St, -St, 1 - (1-S)t^2)``."""
    t = 2 * ab
    xy = S * t
    zz = np.abs(1 - (1 - S) * t**2)
    return np.maximum(xy, zz), xy


def _terms(ab: NDArray[np.float64], S: NDArray[np.float64]) -> tuple[NDArray, NDArray]:
    s1, s2 = _top_two(ab, S)
    beta = _chsh_ab(ab, S)  # 2 sqrt(s1^2 + s2^2), the same closed form as Fig. 2
    norm2 = s1**2 + s2**2
    with np.errstate(invalid="ignore", divide="ignore"):
        e_key = np.sqrt(np.where(norm2 > 0, (s1**4 + s2**4) / norm2, 0.0))
    return beta, np.clip((1 - e_key) / 2, 0.0, 0.5)


def _rate(beta: NDArray[np.float64], Q: NDArray[np.float64]) -> NDArray[np.float64]:
    """Pironio rate before the clip at 0 (``-h(Q) <= 0`` where ``beta <= 2``)."""
    b = np.minimum(beta, 2 * np.sqrt(2))
    return np.asarray(diqkd.pironio_entropy(b) - diqkd.binary_entropy(Q))


def chsh_and_qber(a: ArrayLike, S: ArrayLike) -> tuple[FloatOrArray, FloatOrArray]:
    """Horodecki CHSH value ``2 sqrt(s1^2 + s2^2)`` and the QBER of the best key settings.

    ``Q = (1 - sqrt((s1^4 + s2^4)/(s1^2 + s2^2)))/2`` (module docstring), ``s1 >= s2`` the two
    largest of ``|St|, |St|, |1 - (1-S)t^2|``, ``t = 2a sqrt(1-a^2)``.

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
    numerical SVD of its correlation matrix: Alice ``x = 0, 1`` (``x = 0`` is her key), Bob
    ``y = 0, 1`` (CHSH) and ``y = 2`` (key); outcome 0 is ``+1``. The same layout as
    :func:`bellflow.diqkd.chsh_box`.

    Examples
    --------
    >>> p = key_box(1 / np.sqrt(2), 1.0)
    >>> round(float(p[0, 1, 0, 2] + p[1, 0, 0, 2]), 12)  # QBER 0
    0.0
    """
    rho = delivered_state(float(a), float(S))
    T = np.asarray(states.correlation_matrix(rho))
    U, s, Vt = np.linalg.svd(T)
    x = np.arctan2(s[1], s[0])
    a0 = np.cos(x) * U[:, 0] + np.sin(x) * U[:, 1]
    a1 = np.cos(x) * U[:, 0] - np.sin(x) * U[:, 1]
    tb = T.T @ a0
    bkey = tb / np.linalg.norm(tb) if np.linalg.norm(tb) > 0 else Vt[0]
    alice = [a0, a1]
    bob = [Vt[0], Vt[1], bkey]

    def proj(n: NDArray[np.float64]) -> NDArray[np.complex128]:
        obs = np.einsum("i,ijk->jk", n, _PAULI)
        return np.array([(np.eye(2) + obs) / 2, (np.eye(2) - obs) / 2])

    PA = np.array([proj(n) for n in alice])  # (x, o, 2, 2)
    PB = np.array([proj(n) for n in bob])  # (y, o, 2, 2)
    ops = np.einsum("xaij,ybkl->abxyikjl", PA, PB).reshape(2, 2, 2, 3, 4, 4)
    return np.real(np.einsum("abxymn,nm->abxy", ops, rho))


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


def _key_summary(a: NDArray[np.float64], thr: NDArray[np.float64]) -> dict[str, tuple]:
    """0-d summary: the lowest key threshold over ``a`` (grid minimum refined by scipy), its
    ``a``, the threshold for Bell pairs and the ``a`` range with a key at ``S = 1`` (roots of
    the rate in ``a`` on both sides of the Bell point)."""
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

    def raw1(x: float) -> float:  # the unclipped rate at S = 1 (a perfect delivery)
        aa, bb = _ab(x)
        return float(_rate(*_terms(np.asarray(aa * bb), np.asarray(1.0))))

    bell = 1 / np.sqrt(2)
    ends = [brentq(raw1, 0.01, bell, xtol=1e-14), brentq(raw1, bell, 0.9999, xtol=1e-14)]
    return {
        "key_S_min": _var((), best[0], "smallest S with a positive rate (minimum over a)"),
        "key_S_min_a": _var((), best[1], "a where that minimum is reached"),
        "key_S_bell": _var((), key_threshold(1 / np.sqrt(2)), "key threshold in S, Bell pairs"),
        "key_a_min": _var((), ends[0], "smallest a with a key at S = 1 (Bell-pair delivery)"),
        "key_a_max": _var((), ends[1], "largest a with a key at S = 1"),
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
    ``key_S_bell``, ``key_a_min``, ``key_a_max``), ``nested`` (1 if key ``subset`` CHSH
    ``subset`` entangled on the grid), the area fractions ``fraction_*`` of the grid, and the
    independent-route deviations ``check_*`` (explicit box on ``check_points^2`` points, Werner
    line vs :func:`bellflow.diqkd.chsh_key_rate`).

    Examples
    --------
    >>> ds = dikey_scan(np.linspace(0, 1, 5), np.linspace(0, 1, 5), check_points=2)
    >>> ds["rate_pironio"].dims, float(ds["rate_pironio"].sel(a=0.25, S=1.0)) > 0
    (('a', 'S'), False)
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
        **_key_summary(a, thr),
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


def bff_rates(a_values: ArrayLike, S: float, m: int = 4, level: str = "2") -> xr.Dataset:
    """Certified DIQKD rate from the full box at the points ``(a, S)``, ``a`` in ``a_values``.

    For each point the box of :func:`key_box` goes to :func:`bellflow.diqkd.key_rate`: the
    Brown-Fawzi-Fawzi lower bound on ``H(A|E)`` (``m`` Gauss-Radau nodes, NPA ``level``) from
    the full statistics of the CHSH settings (``y = 0, 1``), minus ``H(A|B)`` with Bob's key
    setting ``y = 2``. Where the 2x2 test box is local (CHSH ``<= 2`` for every relabelling,
    Fine's theorem) Eve can know Alice's outcome, the rate is 0 and no SDP is solved
    (``local = 1``). Variables over ``a_bff`` (with the 0-d coordinate ``S_bff``):
    ``rate_bff`` (``max(0, raw)``), ``rate_bff_raw``, ``H_AE`` (certified) and
    ``H_AE_solver``, ``H_AB``, ``chsh_test_box``, ``local``, and ``rate_pironio`` at the same
    points for comparison.

    Examples
    --------
    A Bell pair (about 10 s; the quadrature with ``m = 4`` loses about 0.05 bit)::

        bff_rates([2 ** -0.5], 1.0)["rate_bff"]   # ~0.955
    """
    from bellflow.diqkd import key_rate

    a = np.atleast_1d(_unit(a_values, "a_values"))
    if a.ndim != 1:
        raise ValueError("a_values must be a 1-d array")
    s = float(_unit(S, "S"))
    if int(m) < 2:
        raise ValueError(f"m must be >= 2, got {m}")
    cols: dict[str, list[float]] = {k: [] for k in _BFF_VARS}
    for ai in a:
        p = key_box(float(ai), s)
        chsh = _test_box_chsh(p)
        row = {"chsh_test_box": chsh, "local": float(chsh <= 2)}
        if chsh <= 2:
            row.update(rate_bff=0.0, rate_bff_raw=np.nan, H_AE=0.0, H_AE_solver=np.nan)
            row["H_AB"] = np.nan
        else:
            r = key_rate(p, key_settings=[2], m=int(m), level=level)
            row.update(rate_bff=r.value, rate_bff_raw=r.raw, H_AE=r.H_AE)
            row.update(H_AE_solver=r.H_AE_solver, H_AB=r.H_AB)
        row["rate_pironio"] = float(key_rate_pironio(float(ai), s))
        for k in _BFF_VARS:
            cols[k].append(float(row[k]))
    data = {k: _var(("a_bff",), cols[k], d, u) for k, (d, u) in _BFF_VARS.items()}
    coords: dict[str, tuple] = {
        "a_bff": ("a_bff", a, {"description": "a of the BFF sub-grid", "units": "1"})
    }
    coords["S_bff"] = ((), s, {"description": "S of the BFF sub-grid", "units": "1"})
    attrs = {"bff_nodes": int(m), "npa_level": level}
    return xr.Dataset(data, coords=coords, attrs=attrs)


_BFF_VARS: dict[str, tuple[str, str]] = {
    "rate_bff": ("certified DIQKD rate max(0, H(A|E) - H(A|B)), BFF from the full box", "bit"),
    "rate_bff_raw": ("H(A|E) - H(A|B) before the clip (nan where the box is local)", "bit"),
    "H_AE": ("certified BFF lower bound on H(A|E) (0 where the test box is local)", "bit"),
    "H_AE_solver": ("the same from the solver's value, uncertified", "bit"),
    "H_AB": ("H(A|B) with Bob's key setting", "bit"),
    "chsh_test_box": ("largest CHSH value over the relabellings of the 2x2 test box", "1"),
    "local": ("1 where the 2x2 test box is local (no SDP solved, rate 0)", "1"),
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
    return ds.assign_attrs(chunks[0].attrs)
