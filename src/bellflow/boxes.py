"""Bipartite Bell-scenario correlations ("boxes") and the local polytope.

A box is an array ``p[a, b, x, y] = p(a, b | x, y)`` of shape ``(oA, oB, mA, mB)``: Alice has
``mA`` settings with ``oA`` outcomes each, Bob ``mB`` settings with ``oB`` outcomes. Functions that
take a box accept extra leading axes where stated (a stack of boxes).

Outcome ``a = 0`` of a dichotomic +-1 observable is the ``+1`` eigenvalue, so correlators are
``<A_x B_y> = sum_ab (-1)^(a+b) p(ab|xy)``.

Conventions of the 222 scenario (Ghosh et al., PRL 132, 250205 (2024), Eq. 1):

- local deterministic vertices ``P_L^{abcd}(ab|xy) = delta(a, alpha x + beta) delta(b, gamma y +
  eta)`` (Eq. 1a), 16 of them;
- the 8 PR (nonlocal) vertices ``P_NL^{abc}(ab|xy) = 1/2 delta(a + b, xy + alpha x + beta y +
  gamma)`` (Eq. 1b), all sums mod 2.

Examples
--------
>>> p = isotropic_box(1.0)          # the PR box
>>> round(bell_value(chsh_coefficients(), p), 12)
4.0
>>> local_bound(chsh_coefficients())
2.0
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import numpy as np
from numpy.typing import ArrayLike, NDArray

from bellflow.optim import OptResult, solve_lp

__all__ = [
    "check_box",
    "bell_value",
    "chsh_coefficients",
    "correlator_coefficients",
    "deterministic_boxes",
    "pr_boxes",
    "isotropic_box",
    "white_noise",
    "local_bound",
    "box_from_quantum",
    "local_membership",
    "local_visibility",
    "relabel",
]


def _shape4(p: NDArray[np.float64], name: str = "p") -> tuple[int, int, int, int]:
    if p.ndim < 4:
        raise ValueError(f"{name} must have shape (..., oA, oB, mA, mB), got shape {p.shape}")
    oA, oB, mA, mB = p.shape[-4:]
    if min(oA, oB) < 2 or min(mA, mB) < 1:
        raise ValueError(f"{name} needs >= 2 outcomes and >= 1 setting per party, got {p.shape}")
    return oA, oB, mA, mB


def check_box(p: ArrayLike, *, atol: float = 1e-9) -> None:
    """Raise ``ValueError`` unless ``p`` is a valid no-signalling box.

    Checks, in this order: shape ``(oA, oB, mA, mB)`` (leading stack axes allowed), finite
    entries, non-negativity (``p >= -atol``), normalisation (``sum_ab p(ab|xy) = 1`` for every
    ``x, y``), and no-signalling (Alice's marginal ``sum_b p(ab|xy)`` independent of ``y``, Bob's
    ``sum_a p(ab|xy)`` independent of ``x``), each within ``atol``.

    Examples
    --------
    >>> check_box(white_noise(2, 2, 2, 2))
    >>> check_box(-white_noise(2, 2, 2, 2))
    Traceback (most recent call last):
    ...
    ValueError: p has negative entries (min -0.25 < -atol = -1e-09)
    """
    p = np.asarray(p, dtype=float)
    _shape4(p)
    if not np.all(np.isfinite(p)):
        raise ValueError("p has non-finite entries")
    if p.min() < -atol:
        raise ValueError(f"p has negative entries (min {p.min():.3g} < -atol = {-atol:.3g})")
    norm = p.sum(axis=(-4, -3))
    err = np.abs(norm - 1.0).max()
    if err > atol:
        raise ValueError(f"p is not normalised: max |sum_ab p(ab|xy) - 1| = {err:.3g} > {atol:g}")
    pa = p.sum(axis=-3)  # (..., oA, mA, mB)
    sig_a = np.abs(pa - pa[..., :1]).max()
    if sig_a > atol:
        raise ValueError(f"p is signalling from Bob to Alice: marginal varies by {sig_a:.3g}")
    pb = p.sum(axis=-4)  # (..., oB, mA, mB)
    sig_b = np.abs(pb - pb[..., :1, :]).max()
    if sig_b > atol:
        raise ValueError(f"p is signalling from Alice to Bob: marginal varies by {sig_b:.3g}")


def bell_value(coeffs: ArrayLike, p: ArrayLike) -> float | NDArray[np.float64]:
    """Bell functional ``sum_{abxy} c[a,b,x,y] p[a,b,x,y]``.

    ``p`` may carry leading axes (a stack of boxes); the result then has those axes.
    """
    c = np.asarray(coeffs, dtype=float)
    p = np.asarray(p, dtype=float)
    if c.ndim != 4 or p.shape[-4:] != c.shape:
        raise ValueError(f"coeffs shape {c.shape} does not match box shape {p.shape[-4:]}")
    val = np.tensordot(p, c, axes=4)
    return float(val) if np.ndim(val) == 0 else np.asarray(val)


def correlator_coefficients(E: ArrayLike) -> NDArray[np.float64]:
    """Coefficients ``c[a,b,x,y] = E[x,y] (-1)^(a+b)`` of ``sum_xy E[x,y] <A_x B_y>``
    (dichotomic outcomes, ``a = 0`` is ``+1``)."""
    E = np.asarray(E, dtype=float)
    if E.ndim != 2 or not np.all(np.isfinite(E)):
        raise ValueError(f"E must be a 2-d array of correlator weights, got shape {E.shape}")
    sign = np.array([[1.0, -1.0], [-1.0, 1.0]])
    return sign[:, :, None, None] * E[None, None, :, :]


def chsh_coefficients() -> NDArray[np.float64]:
    """CHSH ``<A0B0> + <A0B1> + <A1B0> - <A1B1>`` as coefficients of shape (2, 2, 2, 2).

    Local bound 2, quantum bound ``2 sqrt 2`` (Tsirelson), no-signalling bound 4.
    """
    return correlator_coefficients([[1.0, 1.0], [1.0, -1.0]])


def deterministic_boxes(oA: int, oB: int, mA: int, mB: int) -> NDArray[np.float64]:
    """All ``oA^mA * oB^mB`` local deterministic boxes, shape ``(n, oA, oB, mA, mB)``.

    Box ``k`` is ``delta(a, f(x)) delta(b, g(y))``; ``(f, g)`` run over
    ``itertools.product(range(oA), repeat=mA)`` x ``product(range(oB), repeat=mB)`` in that
    order. For 222 these are the 16 vertices of Eq. 1a.
    """
    for name, v, lo in (("oA", oA, 2), ("oB", oB, 2), ("mA", mA, 1), ("mB", mB, 1)):
        if int(v) != v or v < lo:
            raise ValueError(f"{name} must be an integer >= {lo}, got {v!r}")
    fs = np.array(list(itertools.product(range(oA), repeat=mA)), dtype=int).reshape(-1, mA)
    gs = np.array(list(itertools.product(range(oB), repeat=mB)), dtype=int).reshape(-1, mB)
    DA = (fs[:, None, :] == np.arange(oA)[None, :, None]).astype(float)  # (nf, oA, mA)
    DB = (gs[:, None, :] == np.arange(oB)[None, :, None]).astype(float)  # (ng, oB, mB)
    D = DA[:, None, :, None, :, None] * DB[None, :, None, :, None, :]
    return D.reshape(len(fs) * len(gs), oA, oB, mA, mB)


def pr_boxes() -> NDArray[np.float64]:
    """The 8 PR vertices of the 222 no-signalling polytope (Eq. 1b), shape (8, 2, 2, 2, 2).

    ``P^{alpha beta gamma}(ab|xy) = 1/2 [a + b = xy + alpha x + beta y + gamma mod 2]``, in
    the order of ``itertools.product((0, 1), repeat=3)`` over ``(alpha, beta, gamma)``; index 0
    is the standard PR box ``a + b = xy``.
    """
    a, b, x, y = np.meshgrid(*(np.arange(2),) * 4, indexing="ij")
    out = []
    for al, be, ga in itertools.product((0, 1), repeat=3):
        out.append(0.5 * (((a + b) % 2) == ((x * y + al * x + be * y + ga) % 2)))
    return np.array(out, dtype=float)


def white_noise(oA: int = 2, oB: int = 2, mA: int = 2, mB: int = 2) -> NDArray[np.float64]:
    """The uniform box ``p(ab|xy) = 1/(oA oB)`` (the point ``L_0`` of Fig. 1 for 222)."""
    return np.full((oA, oB, mA, mB), 1.0 / (oA * oB))


def isotropic_box(eta: float) -> NDArray[np.float64]:
    """Isotropic 222 box ``PR_eta`` of Ghosh et al. (text above Theorem 3).

    ``PR_eta(ab|xy) = (1 + eta)/4`` if ``a + b = xy mod 2``, else ``(1 - eta)/4``; equivalently
    ``eta PR + (1 - eta) L_0``. Its CHSH value is ``4 eta``. Valid for ``-1 <= eta <= 1``.
    """
    if not -1.0 <= eta <= 1.0:
        raise ValueError(f"eta must lie in [-1, 1], got {eta!r}")
    return eta * pr_boxes()[0] + (1.0 - eta) * white_noise()


def local_bound(coeffs: ArrayLike) -> float:
    """Exact local bound ``max_{deterministic D} sum c D`` of a Bell expression.

    Enumerates all ``oA^mA oB^mB`` deterministic strategies (vectorised over Bob's strategies
    given Alice's: for each of Alice's functions, Bob's best response is independent per
    setting, so the cost is ``oA^mA * mB * oB`` rather than the full product).
    """
    c = np.asarray(coeffs, dtype=float)
    oA, oB, mA, mB = _shape4(c, "coeffs")
    best = -np.inf
    for f in itertools.product(range(oA), repeat=mA):
        # w[b, y] = sum_x c[f(x), b, x, y]
        w = np.sum([c[f[x], :, x, :] for x in range(mA)], axis=0)
        best = max(best, float(w.max(axis=0).sum()))
    return best


def box_from_quantum(rho: ArrayLike, A: ArrayLike, B: ArrayLike) -> NDArray[np.float64]:
    """Box ``p(ab|xy) = Tr[rho (A[x][a] (x) B[y][b])]`` of a quantum realisation.

    Parameters
    ----------
    rho:
        Density matrix on ``C^dA (x) C^dB`` (Alice's factor first, ``kron`` ordering) or a state
        vector of length ``dA dB``.
    A, B:
        ``A[x][a]``: Alice's POVM elements (``dA x dA``), indexable as nested lists or an
        array of shape ``(mA, oA, dA, dA)``; likewise ``B`` for Bob.

    Returns
    -------
    np.ndarray
        Box of shape ``(oA, oB, mA, mB)`` (real part; imaginary parts are checked to vanish).

    Examples
    --------
    >>> import numpy as np
    >>> Z = [np.diag([1.0, 0.0]), np.diag([0.0, 1.0])]
    >>> psi = np.array([1, 0, 0, 1]) / np.sqrt(2)
    >>> box_from_quantum(psi, [Z], [Z])[:, :, 0, 0]
    array([[0.5, 0. ],
           [0. , 0.5]])
    """
    A = np.asarray(A, dtype=complex)
    B = np.asarray(B, dtype=complex)
    if A.ndim != 4 or A.shape[-1] != A.shape[-2]:
        raise ValueError(f"A must have shape (mA, oA, dA, dA), got {A.shape}")
    if B.ndim != 4 or B.shape[-1] != B.shape[-2]:
        raise ValueError(f"B must have shape (mB, oB, dB, dB), got {B.shape}")
    dA, dB = A.shape[-1], B.shape[-1]
    rho = np.asarray(rho, dtype=complex)
    if rho.ndim == 1:
        if rho.shape[0] != dA * dB:
            raise ValueError(f"state vector length {rho.shape[0]} != dA*dB = {dA * dB}")
        rho = np.outer(rho, rho.conj())
    if rho.shape != (dA * dB, dA * dB):
        raise ValueError(f"rho must be ({dA * dB}, {dA * dB}), got {rho.shape}")
    r = rho.reshape(dA, dB, dA, dB)
    # p[a,b,x,y] = sum A[x,a,j,i] B[y,b,l,k] r[i,k,j,l]
    p = np.einsum("xaji,yblk,ikjl->abxy", A, B, r, optimize=True)
    if np.abs(p.imag).max() > 1e-10:
        raise ValueError("rho or the POVMs are not Hermitian: complex probabilities")
    return p.real


def relabel(
    p: ArrayLike,
    *,
    swap_x: bool = False,
    swap_y: bool = False,
    flip_a: Sequence[int] = (),
    flip_b: Sequence[int] = (),
) -> NDArray[np.float64]:
    """Local relabelling of a 2-outcome box (a free, reversible operation).

    ``swap_x`` exchanges Alice's settings 0 and 1 (``mA = 2``), ``flip_a`` lists Alice's
    settings (after the swap) whose two outcomes are exchanged; likewise for Bob.
    """
    q = np.array(p, dtype=float, copy=True)
    if q.ndim != 4 or q.shape[:2] != (2, 2):
        raise ValueError(f"p must be a 2-outcome box of shape (2, 2, mA, mB), got {q.shape}")
    if swap_x:
        q = q[:, :, ::-1, :]
    if swap_y:
        q = q[:, :, :, ::-1]
    for x in flip_a:
        q[:, :, x, :] = q[::-1, :, x, :]
    for y in flip_b:
        q[:, :, :, y] = q[:, ::-1, :, y]
    return q


def _local_visibility_lp(
    p: NDArray[np.float64], noise: NDArray[np.float64], vmax: float | None, name: str
) -> OptResult:
    oA, oB, mA, mB = p.shape
    D = deterministic_boxes(oA, oB, mA, mB).reshape(-1, p.size)  # (n, N)
    n = D.shape[0]
    # variables q_1..q_n >= 0, v:  v (p - noise) - D^T q = -noise
    A_eq = np.hstack([-D.T, (p - noise).reshape(-1, 1)])
    b_eq = -noise.reshape(-1)
    c = np.zeros(n + 1)
    c[-1] = 1.0
    bounds = [(0, None)] * n + [(0, vmax)]
    return solve_lp(
        c,
        name=name,
        params={"shape": list(p.shape), "vmax": vmax},
        A_eq=A_eq,
        b_eq=b_eq,
        bounds=bounds,
        maximize=True,
    )


def local_membership(
    p: ArrayLike, *, noise: ArrayLike | None = None, atol: float = 1e-9
) -> OptResult:
    """Local-polytope membership of a box by linear programming (HiGHS).

    Solves ``max v in [0, 1]`` such that ``v p + (1 - v) noise = sum_lambda q_lambda D_lambda``
    with ``q >= 0`` (``D_lambda`` the deterministic boxes, ``noise`` the uniform box by
    default). The box is local iff ``value == 1``: the result's ``extra["member"]`` is
    ``value >= 1 - atol``, and ``extra["weights"]`` holds the ``q``.

    The LP is always feasible (``v = 0``) and bounded, so a solver failure is a real error.
    """
    p = np.asarray(p, dtype=float)
    check_box(p)
    if p.ndim != 4:
        raise ValueError(f"p must be a single box of shape (oA, oB, mA, mB), got {p.shape}")
    noise = white_noise(*p.shape) if noise is None else np.asarray(noise, dtype=float)
    res = _local_visibility_lp(p, noise, 1.0, "local membership LP")
    res.extra["weights"] = res.extra["x"][:-1]
    res.extra["member"] = bool(res.value >= 1.0 - atol)
    return res


def local_visibility(p: ArrayLike, *, noise: ArrayLike | None = None) -> OptResult:
    """Largest ``v >= 0`` with ``v p + (1 - v) noise`` local (LP, HiGHS); uncapped.

    For the PR box and white noise this is the local threshold of the isotropic family
    (``PR_eta`` is local iff ``eta <= v``). Raises :class:`~bellflow.optim.SolverError` if the
    LP is unbounded (``p`` equal to ``noise``).
    """
    p = np.asarray(p, dtype=float)
    check_box(p)
    if p.ndim != 4:
        raise ValueError(f"p must be a single box of shape (oA, oB, mA, mB), got {p.shape}")
    noise = white_noise(*p.shape) if noise is None else np.asarray(noise, dtype=float)
    return _local_visibility_lp(p, noise, None, "local visibility LP")
