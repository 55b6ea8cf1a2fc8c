"""Choi operators, partial traces, no-signalling channels and process matrices.

Helpers for paper 001 (Liu and Chiribella 2025, Appendix A and Methods) written once and
tested on their own. Conventions:

- A multipartite operator lives on a tensor product with local dimensions ``dims`` (a sequence);
  subsystem ``k`` is the ``k``-th tensor factor, row-major (the first factor is the most
  significant index), as ``numpy.kron`` orders them.
- The Choi operator of a linear map ``K`` from system ``I`` to system ``O`` is Eq. (13),
  ``Choi(K) = sum_ij |i><j| (x) K(|i><j|)``: input factor first, then output factor.
- An ``N``-partite operator on the parties' inputs and outputs is ordered
  ``(I_1, O_1, I_2, O_2, ..., I_N, O_N)``: ``dims_in[i]``, ``dims_out[i]`` per party.
- Trace-and-replace (Methods, after Eq. 12): ``_[X] S = Tr_X[S] (x) I_X / d_X``, the identity put
  back at the place of ``X``.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp
from numpy.typing import ArrayLike

from bellflow import states

__all__ = [
    "trace_out",
    "trace_replace",
    "trace_replace_matrix",
    "choi_operator",
    "party_dims",
    "nosignalling_projection",
    "nosignalling_span_residual",
    "is_nosignalling_choi",
    "process_matrix_residual",
    "is_process_matrix",
    "bipartite_process_residuals",
    "born_probabilities",
    "bistochastic_supermap_residuals",
    "is_admissible_bistochastic_supermap",
]


def _check_dims(dims: Sequence[int], shape: tuple[int, ...]) -> list[int]:
    dims = [int(d) for d in dims]
    if any(d < 1 for d in dims):
        raise ValueError(f"dims must be positive integers, got {dims}")
    total = int(np.prod(dims))
    if shape != (total, total):
        raise ValueError(f"operator of shape {shape} does not match dims {dims} (size {total})")
    return dims


def _check_axes(axes: Sequence[int] | int, n: int) -> list[int]:
    axes = [axes] if isinstance(axes, int | np.integer) else list(axes)
    if any(not 0 <= a < n for a in axes) or len(set(axes)) != len(axes):
        raise ValueError(f"axes must be distinct subsystem indices in [0, {n}), got {axes}")
    return sorted(int(a) for a in axes)


def trace_out(x: ArrayLike, dims: Sequence[int], axes: Sequence[int] | int) -> np.ndarray:
    """Partial trace ``Tr_axes[x]``: the listed subsystems are *traced out*.

    A thin wrapper of :func:`bellflow.states.partial_trace` (the library's one partial trace,
    which takes the subsystems to *keep*), called with the complement of ``axes``.

    Parameters
    ----------
    x:
        Square array of size ``prod(dims)``.
    dims:
        Local dimensions, row-major order.
    axes:
        Subsystems traced out.

    Returns
    -------
    The reduced operator on the remaining subsystems, in their original order (``1 x 1`` if
    every subsystem is traced out).

    Examples
    --------
    >>> import numpy as np
    >>> trace_out(np.kron(np.diag([1.0, 0.0]), np.eye(3)), [2, 3], [1])
    array([[3., 0.],
           [0., 0.]])
    """
    arr = np.asarray(x)
    dims = _check_dims(dims, arr.shape)
    traced = _check_axes(axes, len(dims))
    keep = [k for k in range(len(dims)) if k not in traced]
    return states.partial_trace(arr, dims, keep)


def trace_replace(x: np.ndarray, dims: Sequence[int], axes: Sequence[int] | int) -> np.ndarray:
    """Trace-and-replace ``_[X] x = Tr_X[x] (x) I_X / d_X`` (Methods, notation below Eq. 12).

    The identity is put back at the place of each traced subsystem, so the result has the
    shape and ordering of ``x``. ``_[X]`` is an orthogonal projection (Hilbert-Schmidt).

    Examples
    --------
    >>> import numpy as np
    >>> trace_replace(np.diag([1.0, 0.0]), [2], [0])
    array([[0.5, 0. ],
           [0. , 0.5]])
    """
    x = np.asarray(x)
    dims = _check_dims(dims, x.shape)
    axes = _check_axes(axes, len(dims))
    n = len(dims)
    t = x.reshape(dims + dims)
    for a in axes:
        d = dims[a]
        red = np.trace(t, axis1=a, axis2=a + n)  # remaining: other 2n-2 axes
        eye = np.eye(d) / d
        # put the identity back: outer product then move its axes to a and a+n
        full = np.multiply.outer(red, eye)  # axes: others..., new_row, new_col
        full = np.moveaxis(full, [2 * n - 2, 2 * n - 1], [a, a + n])
        t = full
    return t.reshape(x.shape)


def trace_replace_matrix(dims: Sequence[int], axes: Sequence[int] | int) -> sp.csr_matrix:
    """Sparse matrix of ``_[axes]`` acting on the row-major vectorisation ``x.reshape(-1)``.

    Used to write linear constraints for cvxpy and the block-reduced SDPs. Tested against
    :func:`trace_replace`.
    """
    dims = [int(d) for d in dims]
    n = len(dims)
    axes = _check_axes(axes, n)
    total = int(np.prod(dims))
    # index tensors of (row multi-index, col multi-index)
    idx = np.arange(total * total).reshape(dims + dims)
    rows_out, cols_in, vals = [], [], []
    weight = 1.0 / np.prod([dims[a] for a in axes])
    # For every output entry (r, c) with r_a == c_a for a in axes, and every (s) over the traced
    # subsystems, input entry (r with r_a = s_a, c with c_a = s_a) contributes weight.
    grids = np.indices(dims + dims).reshape(2 * n, -1)
    mask = np.all([grids[a] == grids[a + n] for a in axes], axis=0)
    out_lin = idx.reshape(-1)[mask]
    base = grids[:, mask]
    traced_ranges = [range(dims[a]) for a in axes]
    for combo in np.ndindex(*[len(r) for r in traced_ranges]):
        g = base.copy()
        for a, s in zip(axes, combo, strict=True):
            g[a] = s
            g[a + n] = s
        in_lin = np.ravel_multi_index(tuple(g), dims + dims)
        rows_out.append(out_lin)
        cols_in.append(in_lin)
        vals.append(np.full(out_lin.shape, weight))
    m = sp.csr_matrix(
        (np.concatenate(vals), (np.concatenate(rows_out), np.concatenate(cols_in))),
        shape=(total * total, total * total),
    )
    return m


def choi_operator(kraus: Sequence[np.ndarray]) -> np.ndarray:
    """Choi operator ``sum_i |K_i>><<K_i|`` of the CP map with Kraus operators ``K_i`` (Eq. 14).

    ``|M>> = sum_j |j> (x) M|j>``, so the result is ``sum_ij |i><j| (x) K(|i><j|)`` (Eq. 13):
    input factor first.

    Examples
    --------
    >>> import numpy as np
    >>> choi_operator([np.eye(2)])  # identity channel: |I>><<I|
    array([[1., 0., 0., 1.],
           [0., 0., 0., 0.],
           [0., 0., 0., 0.],
           [1., 0., 0., 1.]])
    """
    out = None
    for k in kraus:
        k = np.asarray(k)
        if k.ndim != 2:
            raise ValueError(f"each Kraus operator must be a matrix, got shape {k.shape}")
        # |K>> = sum_j |j> (x) K|j> ; as a vector indexed (j, o): K[o, j]
        v = k.T.reshape(-1)
        term = np.outer(v, v.conj())
        out = term if out is None else out + term
    if out is None:
        raise ValueError("kraus must contain at least one operator")
    return out


def party_dims(dims_in: Sequence[int], dims_out: Sequence[int]) -> list[int]:
    """Local dimensions ``(I_1, O_1, ..., I_N, O_N)`` of an ``N``-partite Choi operator."""
    if len(dims_in) != len(dims_out) or not dims_in:
        raise ValueError(
            f"dims_in and dims_out must be non-empty and of equal length, got {dims_in}, {dims_out}"
        )
    out = []
    for di, do in zip(dims_in, dims_out, strict=True):
        out += [int(di), int(do)]
    return out


def nosignalling_projection(
    x: np.ndarray, dims_in: Sequence[int], dims_out: Sequence[int]
) -> np.ndarray:
    """Orthogonal projection onto the span of Choi operators of no-signalling channels.

    ``P = prod_i (1 - _[O_i] + _[I_i O_i])``: party ``i`` cannot signal to the others iff
    ``Tr_{O_i} C = I_{I_i}/d_{I_i} (x) Tr_{I_i O_i} C``, i.e. ``_[O_i] C = _[I_i O_i] C``; the
    factors are commuting orthogonal projections (App. A, Eqs. 22-23 and 35).
    """
    dims = party_dims(dims_in, dims_out)
    y = np.asarray(x)
    for i in range(len(dims_in)):
        ii, oo = 2 * i, 2 * i + 1
        y = y - trace_replace(y, dims, [oo]) + trace_replace(y, dims, [ii, oo])
    return y


def nosignalling_span_residual(
    c: np.ndarray, dims_in: Sequence[int], dims_out: Sequence[int]
) -> float:
    """Largest violation ``max_i ||Tr_{O_i} C - I/d (x) Tr_{I_i O_i} C||_max`` (Eq. 35, 60)."""
    dims = party_dims(dims_in, dims_out)
    res = 0.0
    for i in range(len(dims_in)):
        ii, oo = 2 * i, 2 * i + 1
        diff = trace_replace(c, dims, [oo]) - trace_replace(c, dims, [ii, oo])
        res = max(res, float(np.max(np.abs(diff))))
    return res


def is_nosignalling_choi(
    c: np.ndarray,
    dims_in: Sequence[int],
    dims_out: Sequence[int],
    *,
    scale: float = 1.0,
    tol: float = 1e-8,
) -> bool:
    """Whether ``c / scale`` is the Choi operator of a no-signalling channel.

    Checks positivity, the no-signalling conditions and trace preservation
    (``Tr_O c = scale * I_I``).
    """
    c = np.asarray(c)
    dims = party_dims(dims_in, dims_out)
    if np.min(np.linalg.eigvalsh((c + c.conj().T) / 2)) < -tol:
        return False
    if nosignalling_span_residual(c, dims_in, dims_out) > tol:
        return False
    outs = list(range(1, len(dims), 2))
    red = trace_out(c, dims, outs)
    return bool(np.max(np.abs(red - scale * np.eye(red.shape[0]))) <= tol)


def process_matrix_residual(
    w: np.ndarray, dims_in: Sequence[int], dims_out: Sequence[int]
) -> float:
    """``||P_NS(W) - I/d_I||_max``: zero iff ``Tr(W C) = 1`` on every no-signalling channel.

    A process matrix is ``W >= 0`` in ``DualAff(Choi(NoSig))`` (App. A, conditions (i)-(ii)).
    Since the span of no-signalling Choi operators contains the identity, the affine
    condition is ``P_NS(W) = I / d_I`` with ``d_I = prod(dims_in)``.
    """
    w = np.asarray(w)
    d_i = int(np.prod(dims_in))
    p = nosignalling_projection(w, dims_in, dims_out)
    return float(np.max(np.abs(p - np.eye(w.shape[0]) / d_i)))


def is_process_matrix(
    w: np.ndarray, dims_in: Sequence[int], dims_out: Sequence[int], *, tol: float = 1e-8
) -> bool:
    """Whether ``W`` is a valid process matrix (``W >= 0`` and normalised on NoSig)."""
    w = np.asarray(w)
    if np.max(np.abs(w - w.conj().T)) > tol:
        return False
    if np.min(np.linalg.eigvalsh((w + w.conj().T) / 2)) < -tol:
        return False
    return process_matrix_residual(w, dims_in, dims_out) <= tol


def bipartite_process_residuals(
    w: np.ndarray, d_ai: int, d_ao: int, d_bi: int, d_bo: int
) -> dict[str, float]:
    """The explicit bipartite process-matrix conditions of Araujo et al. (NJP 17, 102001, 2015).

    With ``_[X]`` trace-and-replace on ``W`` over ``(A_I, A_O, B_I, B_O)``:
    ``_[B_I B_O] W = _[A_O B_I B_O] W``, ``_[A_I A_O] W = _[A_I A_O B_O] W``,
    ``W = _[A_O] W + _[B_O] W - _[A_O B_O] W`` and ``Tr W = d_AO d_BO``. An independent route to
    :func:`process_matrix_residual` (used in the tests).
    """
    dims = [d_ai, d_ao, d_bi, d_bo]
    ai, ao, bi, bo = 0, 1, 2, 3
    tr = trace_replace
    return {
        "A_to_B": float(np.max(np.abs(tr(w, dims, [bi, bo]) - tr(w, dims, [ao, bi, bo])))),
        "B_to_A": float(np.max(np.abs(tr(w, dims, [ai, ao]) - tr(w, dims, [ai, ao, bo])))),
        "no_loop": float(
            np.max(np.abs(w - tr(w, dims, [ao]) - tr(w, dims, [bo]) + tr(w, dims, [ao, bo])))
        ),
        "trace": float(abs(np.trace(w) - d_ao * d_bo)),
    }


def born_probabilities(w: np.ndarray, instruments: Sequence[np.ndarray]) -> np.ndarray:
    """Correlations ``p(a|x) = Tr[W^T (x)_i M^{(i)}_{a_i|x_i}]`` (Eq. 17).

    Parameters
    ----------
    w:
        Process matrix on ``(I_1, O_1, ..., I_N, O_N)``.
    instruments:
        Per party an array ``M[a, x]`` of Choi operators on ``(I_i, O_i)``,
        shape ``(m_i, n_i, d, d)``.

    Returns
    -------
    Array ``p[a_1, ..., a_N, x_1, ..., x_N]``.
    """
    w = np.asarray(w)
    ms = [np.asarray(m) for m in instruments]
    for m in ms:
        if m.ndim != 4 or m.shape[2] != m.shape[3]:
            raise ValueError(f"each instrument must have shape (m, n, d, d), got {m.shape}")
    sizes = [m.shape[2] for m in ms]
    if int(np.prod(sizes)) != w.shape[0]:
        raise ValueError(f"instrument sizes {sizes} do not match process matrix {w.shape}")
    n_par = len(ms)
    wt = w.T.reshape(sizes + sizes)
    # contract party by party: p[a..., x...] = sum wt[r..., c...] prod_i M_i[a_i, x_i, c_i, r_i]
    letters = "abcdefghijklmnopqrstuvwxyz"
    r = letters[:n_par]
    c = letters[n_par : 2 * n_par]
    a_idx = letters[2 * n_par : 3 * n_par]
    x_idx = "ABCDEFGHIJKLM"[:n_par]
    terms = [r + c] + [a_idx[i] + x_idx[i] + c[i] + r[i] for i in range(n_par)]
    expr = ",".join(terms) + "->" + a_idx + x_idx
    p = np.einsum(expr, wt, *ms, optimize=True)
    return np.real_if_close(p, tol=1e6)


def bistochastic_supermap_residuals(s: np.ndarray, d_a: int, d_b: int) -> dict[str, float]:
    """Residuals of the admissibility conditions of a bipartite bistochastic supermap (Eq. 12).

    ``S`` acts on ``(A_in, A_out, B_in, B_out)`` with ``dim A_in = dim A_out = d_a`` and
    likewise ``d_b``. Conditions (Methods, Eq. 12; App. D, Eqs. 76 and 78 with trivial ``C``):
    ``S >= 0``, ``Tr S = d_A d_B``, ``_[(1-A_in)(1-A_out) B_in B_out] S = 0``,
    ``_[(1-B_in)(1-B_out) A_in A_out] S = 0`` and
    ``_[(1-A_in)(1-A_out)(1-B_in)(1-B_out)] S = 0``.

    Paper typo: Eq. (12) writes ``S in L(H_Ain (x) H_Bout (x) H_Bin (x) H_Bout)``; the first
    ``B_out`` must be ``A_out``.

    Returns
    -------
    dict with ``min_eig``, ``trace`` (``|Tr S - d_A d_B|``), ``A_only``, ``B_only``, ``AB``
    (max-abs of the three projections).
    """
    s = np.asarray(s)
    dims = [int(d_a), int(d_a), int(d_b), int(d_b)]
    _check_dims(dims, s.shape)
    ai, ao, bi, bo = 0, 1, 2, 3

    def one_minus(x: np.ndarray, ax: int) -> np.ndarray:
        return x - trace_replace(x, dims, [ax])

    a_only = one_minus(one_minus(trace_replace(s, dims, [bi, bo]), ai), ao)
    b_only = one_minus(one_minus(trace_replace(s, dims, [ai, ao]), bi), bo)
    ab = s
    for ax in (ai, ao, bi, bo):
        ab = one_minus(ab, ax)
    herm = (s + s.conj().T) / 2
    return {
        "min_eig": float(np.min(np.linalg.eigvalsh(herm))),
        "trace": float(abs(np.trace(s) - d_a * d_b)),
        "A_only": float(np.max(np.abs(a_only))),
        "B_only": float(np.max(np.abs(b_only))),
        "AB": float(np.max(np.abs(ab))),
    }


def is_admissible_bistochastic_supermap(
    s: np.ndarray, d_a: int, d_b: int, *, tol: float = 1e-9
) -> bool:
    """Whether ``S`` is an admissible supermap of bistochastic quantum theory (Eq. 12)."""
    r = bistochastic_supermap_residuals(s, d_a, d_b)
    return r["min_eig"] >= -tol and max(r["trace"], r["A_only"], r["B_only"], r["AB"]) <= tol
