"""Exact block reduction of the ICO SDPs (see the package docstring)."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import scipy.sparse as sp

from bellflow.causal.triggers import _local_projector
from bellflow.process import trace_replace_matrix


@dataclass
class _Reduced:
    """Invariant span of no-signalling operators for one trigger pair (see module docstring)."""

    m: tuple[int, int]
    n: tuple[int, int]
    triggers: tuple[int, int]
    blocks: list[tuple[int, np.ndarray]]  # (flat setting index, row indices in D)
    basis: np.ndarray  # (X*D*D, r): orthonormal basis of Span(NoSig) within the invariant space
    null_basis: np.ndarray  # (X*D*D, k - r): orthonormal basis of its complement (ker P_NS)
    trace_vec: np.ndarray  # (r,): Tr(C(w)) = trace_vec @ w
    block_maps: list[np.ndarray] = field(default_factory=list)  # per block (s*s, r)
    null_maps: list[np.ndarray] = field(default_factory=list)  # per block (s*s, k - r)
    omega_maps: list[np.ndarray] = field(default_factory=list)  # per block (s*s, alpha.size)

    @property
    def dloc(self) -> list[int]:
        return [self.m[0], self.m[0], self.m[1], self.m[1]]

    @property
    def d(self) -> int:
        return self.m[0] ** 2 * self.m[1] ** 2


_REDUCED_CACHE: dict[tuple, _Reduced] = {}


def _sector_blocks(
    m: tuple[int, int], n: tuple[int, int], triggers: tuple[int, int]
) -> list[tuple[int, np.ndarray]]:
    """Index sets of the invariant blocks: per setting pair, the charge sectors (see package)."""
    dloc = [m[0], m[0], m[1], m[1]]
    d = int(np.prod(dloc))
    multi = np.array(np.unravel_index(np.arange(d), dloc)).T  # (d, 4): in1, o1, in2, o2
    blocks = []
    for xf, x in enumerate(itertools.product(range(n[0]), range(n[1]))):
        groups: dict[tuple, list[int]] = {}
        for r in range(d):
            lab: list[tuple[Any, ...]] = []
            for i in range(2):
                j, k = multi[r, 2 * i], multi[r, 2 * i + 1]
                if x[i] != triggers[i] and j == k:
                    lab.append(("diag",))
                else:
                    lab.append((int(j), int(k)))
            groups.setdefault(tuple(lab), []).append(r)
        for rows in groups.values():
            blocks.append((xf, np.array(rows)))
    return blocks


def _symmetric_basis(blocks: list[tuple[int, np.ndarray]], d: int, nx: int) -> sp.csr_matrix:
    """Orthonormal basis (sparse columns) of the real symmetric block-diagonal operators."""
    rows, cols, vals = [], [], []
    k = 0
    for xf, idx in blocks:
        for p in range(len(idx)):
            for q in range(p, len(idx)):
                r, c = idx[p], idx[q]
                if p == q:
                    rows.append(xf * d * d + r * d + c)
                    cols.append(k)
                    vals.append(1.0)
                else:
                    for rr, cc in ((r, c), (c, r)):
                        rows.append(xf * d * d + rr * d + cc)
                        cols.append(k)
                        vals.append(1.0 / np.sqrt(2))
                k += 1
    return sp.csr_matrix((vals, (rows, cols)), shape=(nx * d * d, k))


def _nosignalling_basis(
    bmat: sp.csr_matrix, m: tuple[int, int], n: tuple[int, int]
) -> tuple[np.ndarray, np.ndarray]:
    """Orthonormal bases of ``Span(NoSig)`` and of its orthogonal complement ``ker P_NS``
    within the span of ``bmat`` (dense columns).

    ``P_NS = prod_i (1 - T_{O_i} + T_{I_i O_i})`` with ``O_i = (copy o_i, label aux_i)``; its
    compression to the invariant space is a projector (``P_NS`` commutes with the averaging).
    """
    dloc = [m[0], m[0], m[1], m[1]]
    size = bmat.shape[0]
    proj = sp.identity(size, format="csr")
    for i in range(2):
        avg = [np.eye(n[0]), np.eye(n[1])]
        avg[i] = np.full((n[i], n[i]), 1.0 / n[i])
        avg_x = sp.csr_matrix(np.kron(avg[0], avg[1]))
        t_o = sp.kron(avg_x, trace_replace_matrix(dloc, [2 * i + 1]), format="csr")
        t_io = sp.kron(avg_x, trace_replace_matrix(dloc, [2 * i, 2 * i + 1]), format="csr")
        proj = (sp.identity(size, format="csr") - t_o + t_io) @ proj
    pb = (proj @ bmat).toarray()
    compressed = bmat.T @ pb  # (k, k), a projector since P_NS commutes with the symmetrisation
    compressed = (compressed + compressed.T) / 2
    evals, evecs = np.linalg.eigh(compressed)
    if np.any((evals > 1e-8) & (evals < 1 - 1e-8)):
        raise RuntimeError("compressed no-signalling projector is not a projector")
    keep = evals > 0.5
    return np.asarray(bmat @ evecs[:, keep]), np.asarray(bmat @ evecs[:, ~keep])


def _add_block_maps(red: _Reduced) -> None:
    """Per block: the basis restricted to the block, and ``Omega`` entries per coefficient."""
    m, n, triggers, d = red.m, red.n, red.triggers, red.d
    nx = n[0] * n[1]
    xs = list(itertools.product(range(n[0]), range(n[1])))
    for xf, idx in red.blocks:
        ent = (xf * d * d + idx[:, None] * d + idx[None, :]).reshape(-1)
        red.block_maps.append(red.basis[ent])
        red.null_maps.append(red.null_basis[ent])
        om = np.zeros((len(idx) ** 2, m[0] * m[1] * nx))
        x1, x2 = xs[xf]
        for a1, a2 in itertools.product(range(m[0]), range(m[1])):
            p = np.kron(
                _local_projector(m[0], a1, x1 == triggers[0]),
                _local_projector(m[1], a2, x2 == triggers[1]),
            )
            col = np.ravel_multi_index((a1, a2, x1, x2), (m[0], m[1], n[0], n[1]))
            om[:, col] = p[np.ix_(idx, idx)].reshape(-1)
        red.omega_maps.append(om)


def _reduced(m: tuple[int, int], n: tuple[int, int], triggers: tuple[int, int]) -> _Reduced:
    """The invariant no-signalling span for one trigger pair (cached)."""
    key = (m, n, triggers)
    if key in _REDUCED_CACHE:
        return _REDUCED_CACHE[key]
    d = m[0] ** 2 * m[1] ** 2
    nx = n[0] * n[1]
    blocks = _sector_blocks(m, n, triggers)
    basis, null_basis = _nosignalling_basis(_symmetric_basis(blocks, d, nx), m, n)
    diag_idx = np.array([xf * d * d + r * d + r for xf in range(nx) for r in range(d)])
    trace_vec = basis[diag_idx].sum(axis=0)
    red = _Reduced(
        m=m,
        n=n,
        triggers=triggers,
        blocks=blocks,
        basis=basis,
        null_basis=null_basis,
        trace_vec=trace_vec,
    )
    _add_block_maps(red)
    _REDUCED_CACHE[key] = red
    return red


def sdp_size(shape: Sequence[int], *, decomposition: bool = False) -> dict[str, Any]:
    """Problem size of the reduced SDPs for a game of ``shape = (m1, m2, n1, n2)``.

    Returns the number of scalar variables (entries of the PSD blocks of the reduced process
    matrices, plus ``p`` for the decomposition SDP), the number of normalisation equalities
    (dimension of the invariant no-signalling span; the "equality" form's constraints), the
    solver's free parameters of the "kernel" form (``n_free``: dimension of ``ker P_NS`` in
    the invariant space, plus ``p`` for the decomposition SDP), the PSD block sizes (``1``: scalar
    non-negativity), and the size ``m1^2 n1 m2^2 n2`` of the full, unreduced Choi operator
    (one per trigger pair in the decomposition SDP).
    """
    m1, m2, n1, n2 = (int(s) for s in shape)
    trig = list(itertools.product(range(n1), range(n2))) if decomposition else [(0, 0)]
    n_var, n_eq, n_free, blocks = 0, 0, 0, []
    for t in trig:
        red = _reduced((m1, m2), (n1, n2), t)
        n_eq += red.basis.shape[1]
        n_free += red.null_basis.shape[1]
        for _, idx in red.blocks:
            s = len(idx)
            blocks.append(s)
            n_var += s * (s + 1) // 2
    if decomposition:
        n_var += m1 * m2 * n1 * n2
    return {
        "n_variables": int(n_var),
        "n_equalities": int(n_eq),
        "n_free": int(n_free + (m1 * m2 * n1 * n2 if decomposition else 0)),
        "psd_blocks": sorted(blocks, reverse=True),
        "full_choi_dim": int(m1 * m1 * n1 * m2 * m2 * n2),
        "n_triggers": len(trig),
    }
