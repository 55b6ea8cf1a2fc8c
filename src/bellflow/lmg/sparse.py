"""Steady states by a band-limited sparse solve (paper 003 at large N).

In the energy basis of H_S the non-thermal generator couples ``rho[a, b]`` only to
``rho[a +- 1, b +- 1]`` and ``rho[a +- 2, b]``, ``rho[a, b +- 2]``, and the steady-state
coherences decay geometrically with ``|a - b|`` (a factor ~20 per two bands at the paper's
point, the same at N = 50 and 200). The solve therefore keeps only the unknowns with
``|a - b| <= K``: ``L_K = P_K L P_K`` (built directly from the sparse operators, never the full
d^2 x d^2 superoperator), the trace condition in place of one equation, SuperLU; then the
residual of the *full* equation is evaluated in operator form and K is doubled until it is
below ``tol`` (K = d - 1 is the exact full solve). Memory: O(d K w^2) for the band
superoperator (w: nonzeros per row of the jumps) plus the LU fill, O(d K^2); for the paper's
generator K ~ 16-32 at every N, so memory and time grow linearly in N (plus the dense d x d
state and its O(d^3) eigenvalue check).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp
from numpy.typing import ArrayLike, NDArray
from scipy.sparse.linalg import spsolve

__all__ = ["band_index", "band_superoperator", "operator_residual", "band_steady_state"]


def band_index(d: int, k: int) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.int64]]:
    """Unknowns ``(a, b)`` with ``|a - b| <= k`` (column-major order) and the lookup table
    ``pos[b, a - b + k]`` of their positions (-1 outside the matrix)."""
    b, o = np.meshgrid(np.arange(d), np.arange(-k, k + 1), indexing="ij")
    a = b + o
    valid = (a >= 0) & (a < d)
    pos = np.full(valid.shape, -1, dtype=np.int64)
    pos[valid] = np.arange(int(valid.sum()))
    return a[valid], b[valid], pos


def _sandwich(
    a_op: sp.spmatrix, b_op: sp.spmatrix, ab: tuple, k: int, coef: complex
) -> tuple[NDArray, NDArray, NDArray]:
    """COO triplets of ``rho -> coef A rho B`` restricted to the band (rows and columns)."""
    a_idx, b_idx, pos = ab
    ac, br = sp.csc_matrix(a_op), sp.csr_matrix(b_op)
    cnt_a, cnt_b = np.diff(ac.indptr)[a_idx], np.diff(br.indptr)[b_idx]
    tot = cnt_a * cnt_b
    var = np.repeat(np.arange(a_idx.size), tot)
    off = np.arange(int(tot.sum())) - np.repeat(np.cumsum(tot) - tot, tot)
    ka = ac.indptr[a_idx[var]] + off // cnt_b[var]
    kb = br.indptr[b_idx[var]] + off % cnt_b[var]
    row_a, col_b = ac.indices[ka], br.indices[kb]
    inside = np.abs(row_a - col_b) <= k
    rows = pos[col_b[inside], row_a[inside] - col_b[inside] + k]
    vals = coef * ac.data[ka[inside]] * br.data[kb[inside]]
    return rows, var[inside], vals


def band_superoperator(
    ham: sp.spmatrix, jumps: Sequence[sp.spmatrix], k: int, *, trace_row: bool = False
) -> tuple[sp.csr_matrix, tuple]:
    """``P_K L P_K`` of ``L rho = -i[H, rho] + sum_j (J rho J^+ - {J^+ J, rho}/2)`` on the band
    ``|a - b| <= k``, and the band index (:func:`band_index`). ``trace_row``: the equation of
    ``rho[0, 0]`` (linearly dependent on the others) is replaced by ``Tr rho``."""
    d = ham.shape[0]
    ab = band_index(d, k)
    eye = sp.identity(d, format="csr")
    terms = [(ham, eye, -1j), (eye, ham, 1j)]
    for jump in jumps:
        jd = jump.conj().T.tocsr()
        kk = (jd @ jump).tocsr()
        terms += [(jump, jd, 1.0), (kk, eye, -0.5), (eye, kk, -0.5)]
    parts = [_sandwich(a, b, ab, k, c) for a, b, c in terms]
    m = ab[0].size
    rows, cols, vals = (np.concatenate([p[i] for p in parts]) for i in range(3))
    if trace_row:
        r0 = int(np.flatnonzero(ab[0] == ab[1])[0])
        diag = np.flatnonzero(ab[0] == ab[1])
        keep = rows != r0
        rows = np.concatenate([rows[keep], np.full(diag.size, r0)])
        cols = np.concatenate([cols[keep], diag])
        vals = np.concatenate([vals[keep], np.ones(diag.size, dtype=complex)])
    return sp.csr_matrix((vals, (rows, cols)), shape=(m, m)), ab


def _norm2_bound(a: sp.spmatrix) -> float:
    absa = abs(sp.csr_matrix(a))
    return float(np.sqrt(absa.sum(axis=0).max() * absa.sum(axis=1).max()))


def operator_residual(ham: sp.spmatrix, jumps: Sequence[sp.spmatrix], rho: NDArray) -> float:
    """``||L(rho)||_F / (2 ||H|| + 2 sum_j ||J_j||^2)`` in operator form (a relative residual:
    the denominator bounds the norm of L on Frobenius-normalised matrices)."""
    out = -1j * (ham @ rho - (ham.T @ rho.T).T)
    scale = 2 * _norm2_bound(ham)
    for jump in jumps:
        jd = jump.conj().T.tocsr()
        kk = jd @ jump
        out = out + jump @ (jd.T @ rho.T).T - 0.5 * (kk @ rho + (kk.T @ rho.T).T)
        scale += 2 * _norm2_bound(jump) ** 2
    return float(np.linalg.norm(out)) / max(scale, 1e-300)


def band_steady_state(
    ham: ArrayLike | sp.spmatrix,
    jumps: Sequence[ArrayLike | sp.spmatrix],
    *,
    band: int = 16,
    tol: float = 1e-10,
) -> tuple[NDArray[np.complex128], float, int]:
    """Steady state ``L rho = 0``, ``Tr rho = 1`` by the band-limited solve (module doc), in the
    basis of the given matrices. Returns ``(rho, residual, band used)``; the caller checks
    the residual against its tolerance (the band grows to d - 1 before giving up)."""
    h = sp.csr_matrix(ham, dtype=complex)
    js = [sp.csr_matrix(j, dtype=complex) for j in jumps]
    d = h.shape[0]
    if band < 0:
        raise ValueError(f"band must be >= 0, got {band}")
    k = min(band, d - 1)
    while True:
        lk, (a_idx, b_idx, _) = band_superoperator(h, js, k, trace_row=True)
        rhs = np.zeros(a_idx.size, dtype=complex)
        rhs[int(np.flatnonzero(a_idx == b_idx)[0])] = 1.0
        x = spsolve(lk.tocsc(), rhs, permc_spec="MMD_ATA")
        rho: NDArray[np.complex128] = np.zeros((d, d), dtype=complex)
        rho[a_idx, b_idx] = x
        rho = 0.5 * (rho + rho.conj().T)
        rho /= np.trace(rho)
        res = operator_residual(h, js, rho)
        if res < tol or k >= d - 1:
            return rho, res, k
        k = min(2 * k, d - 1)
