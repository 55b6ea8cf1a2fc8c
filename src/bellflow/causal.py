"""Paper 001: Tsirelson bounds for correlations with indefinite causal order (ICO).

Liu and Chiribella (2025). A bipartite correlation (Eq. 1) is an array of non-negative
coefficients ``alpha[a1, a2, x1, x2]`` (outcomes ``a_i``, settings ``x_i``; any finite numbers of
each per party) scoring ``I(p) = sum alpha[a, x] p(a | x)``. This module gives

- constructors for the games of the paper (LGYNI, OCB, biased OCB Eq. 6, GYNI, biased LGYNI
  Eq. 48, the single-trigger pieces of Lemma 1 Eq. 31);
- the causal bound, exactly, by enumerating deterministic causal strategies, and by an LP over
  the causal polytope as a second route;
- the ICO bound of a single-trigger correlation (Eq. 3 / the SDP pair Eqs. 22-23) and the
  decomposition bound of a general correlation (Eq. 4, the SDP of Eq. 28), both in an exact
  block-reduced form (below), plus a naive full-space primal SDP over process matrices as an
  independent check for small games;
- the paper's explicit objects: the process matrix ``S_OCB,alpha`` (Eq. 41) with its
  instruments (Eqs. 42-44), the dual certificates of Appendix B (Eqs. 32-40) and Appendix C
  (Eqs. 55-67), and the bistochastic supermaps of the Methods and Appendices D-E.

Canonical instruments and ordering
----------------------------------
Party ``i`` with ``m_i`` outcomes and ``n_i`` settings uses input ``C^{m_i}`` and output
``C^{m_i} (x) C^{n_i}`` (copy of the input, then the setting label). Operators on the parties'
systems are ordered ``(in_1, o_1, aux_1, in_2, o_2, aux_2)`` (Choi convention Eq. 13: input
first). This is the 7-qubit ordering of Appendix B for OCB (Bob's label ``x2 = (b, c)`` is
stored as ``x2 = 2 b + c``) and the 6-qubit ordering of Appendix C.

Exact block reduction
---------------------
The dual SDP (Eq. 23 / Eq. 28) minimises ``Tr(C) / prod(m_i)`` over ``C`` in the span of
no-signalling Choi operators with ``C >= Omega``. The performance operator ``Omega`` is
invariant under (i) dephasing every setting-label register and (ii) for each party, a diagonal
phase unitary ``U`` on the input together with ``U`` on the copy when the setting is not the
trigger and an independent diagonal phase on the copy when it is (classically controlled by the
label). Both are local pre/post-processings, so they map no-signalling channels to
no-signalling channels, and both are unital, so ``C >= Omega`` is preserved. Averaging an
optimal ``C`` over the group therefore keeps it optimal (no relaxation): ``C`` can be taken
block diagonal in the setting labels and, within each label ``x``, in the "charge" sectors of
the phase group. For two parties with binary outcomes the blocks are at most 4 x 4. Complex
conjugation is a symmetry too, so ``C`` is real symmetric. The span of no-signalling operators
within the invariant space is parametrised by an explicit orthonormal basis (eigenvectors of
the compressed projector ``B^T P_NS B``), which keeps Clarabel well conditioned. The SDPs are
solved in their primal (process-matrix) form; the optimal process ``S`` and the optimal
certificate ``C`` are returned on request and re-checked in the full Hilbert space by the tests.

Solver
------
Clarabel at the default 1e-9 tolerances, without equilibration and with a larger static
regularisation (:data:`_CLARABEL_DEFAULTS`); if a solve still ends "almost solved", the
strategies of :data:`_CLARABEL_RETRIES` are tried with unchanged tolerances and recorded.

Paper typos found
-----------------
- Eq. (33) (Appendix B): the two ``alpha/2`` terms give Alice the non-trigger factor
  ``|I>><<I|`` also at ``x1 = x*``, where her canonical Choi factor is ``sum_a |aa><aa|``. The
  certificate ``C`` of Eq. (32)/(40) dominates the printed operator but not the correct one
  (smallest eigenvalue of ``C - Omega`` is ``-alpha/2``); the bound of Lemma 1 is nevertheless
  right (our SDP certificate, checked in the full space, proves it).
- Eq. (12): the supermap acts on ``A_in A_out B_in B_out`` (printed with ``B_out`` twice), see
  :func:`bellflow.process.bistochastic_supermap_residuals`.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import reduce
from typing import Any

import numpy as np
import scipy.sparse as sp

from bellflow.optim import OptResult, solve_lp, solve_sdp
from bellflow.process import trace_replace_matrix

__all__ = [
    "validate_coefficients",
    "lgyni_coefficients",
    "gyni_coefficients",
    "ocb_coefficients",
    "biased_ocb_coefficients",
    "ocb_weighted_coefficients",
    "ocb_trigger_coefficients",
    "biased_lgyni_coefficients",
    "correlation_value",
    "algebraic_maximum",
    "causal_bound",
    "causal_bound_enumeration",
    "causal_bound_lp",
    "find_triggers",
    "is_single_trigger",
    "single_trigger_operator",
    "canonical_instruments",
    "ico_bound_single_trigger",
    "ico_bound_decomposition",
    "ico_bound_single_trigger_full",
    "ocb_process_matrix",
    "ocb_instruments",
    "biased_ocb_dual_certificate",
    "biased_lgyni_dual_certificate",
    "biased_lgyni_certificate_threshold",
    "biased_lgyni_no_violation_threshold",
    "sdp_size",
    "support_envelope",
    "disc_fit",
    "ocb_plane_support",
    "biased_ocb_scan",
    "biased_lgyni_scan",
    "game_checks",
    "lgyni_threshold_checks",
    "bistochastic_checks",
    "classical_supermap",
    "classical_instrument",
    "gyni_bistochastic_strategy",
    "nary_signalling_strategy",
    "supermap_probabilities",
    "classical_supermap_admissible_birkhoff",
    "shared_randomness_supermap",
    "two_setting_instruments",
    "two_setting_deterministic_coverage",
    "causal_vertices",
    "causal_polytope_facets",
    "facet_ico_table",
]


# --------------------------------------------------------------------------------------------
# Games
# --------------------------------------------------------------------------------------------


def validate_coefficients(alpha: Any, *, nonnegative: bool = True) -> np.ndarray:
    """Check a coefficient array ``alpha[a1, a2, x1, x2]`` and return it as a float array.

    Raises
    ------
    ValueError
        If ``alpha`` is not a finite real 4-d array with every axis of length >= 1 (and >= 2
        outcomes per party), or has negative entries while ``nonnegative`` is set (the paper
        assumes non-negative coefficients, Eq. 3).
    """
    try:
        arr = np.asarray(alpha, dtype=float)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"alpha must be a real array, got {type(alpha).__name__}") from exc
    if arr.ndim != 4:
        raise ValueError(
            f"alpha must have shape (m1, m2, n1, n2) = (outcomes, outcomes, settings, "
            f"settings), got ndim={arr.ndim}"
        )
    if min(arr.shape[:2]) < 2 or min(arr.shape[2:]) < 1:
        raise ValueError(
            f"alpha needs >= 2 outcomes and >= 1 setting per party, got shape {arr.shape}"
        )
    if not np.all(np.isfinite(arr)):
        raise ValueError("alpha must be finite (no nan/inf)")
    if nonnegative and np.any(arr < 0):
        raise ValueError(f"alpha must be non-negative, min entry {arr.min():g}")
    return arr


def _check_unit(value: float, name: str) -> float:
    value = float(value)
    if not 0.0 <= value <= 1.0:
        raise ValueError(f"{name} must lie in [0, 1], got {value}")
    return value


def lgyni_coefficients() -> np.ndarray:
    """LGYNI (Branciard et al. 2015; main text): ``(P11 + P01 + P10 + 1) / 4``.

    ``P11 = p(1, 1 | 1, 1)``, ``P01 = p_B(0 | 0, 1)``, ``P10 = p_A(0 | 1, 0)`` and the input
    pair ``(0, 0)`` always wins. Causal bound 3/4.
    """
    a = np.zeros((2, 2, 2, 2))
    a[:, :, 0, 0] = 0.25  # both inputs 0: win whatever the outputs
    a[0, :, 1, 0] = 0.25  # P10: Alice (input 1) guesses Bob's input 0
    a[:, 0, 0, 1] = 0.25  # P01: Bob (input 1) guesses Alice's input 0
    a[1, 1, 1, 1] = 0.25  # P11: both guess 1
    return a


def biased_lgyni_coefficients(alpha: float) -> np.ndarray:
    """Biased LGYNI, Eq. (48): ``alpha P11 + (1 - alpha) (P01 + P10) / 2``, ``alpha`` in [0, 1].

    Single-trigger with triggers ``(1, 1)``; ``alpha = 1/3`` is LGYNI up to the affine map
    ``I_LGYNI = (3 I + 1) / 4``. Causal bound ``max{1 - alpha, (1 + alpha) / 2}`` (Eq. 49).
    """
    alpha = _check_unit(alpha, "alpha")
    a = np.zeros((2, 2, 2, 2))
    a[1, 1, 1, 1] = alpha
    a[0, :, 1, 0] = (1 - alpha) / 2
    a[:, 0, 0, 1] = (1 - alpha) / 2
    return a


def gyni_coefficients(n_settings: int = 2) -> np.ndarray:
    """GYNI, ``P(a1 = x2, a2 = x1)`` with uniform settings (main text; Almeida et al. 2010).

    ``n_settings`` settings and outcomes per party (the paper's game is ``n_settings = 2``,
    causal bound 1/2).
    """
    n = int(n_settings)
    if n < 2:
        raise ValueError(f"n_settings must be >= 2, got {n_settings}")
    a = np.zeros((n, n, n, n))
    for x1, x2 in itertools.product(range(n), repeat=2):
        a[x2, x1, x1, x2] = 1.0 / n**2
    return a


def ocb_weighted_coefficients(w_a: float, w_b: float) -> np.ndarray:
    """``w_A P_A + w_B P_B`` with ``P_A = P(a1 = b | c = 0)``, ``P_B = P(a2 = x1 | c = 1)``.

    OCB scenario (main text): Alice has a bit setting ``x1``, Bob the pair ``x2 = (b, c)``
    stored as ``x2 = 2 b + c``; outcomes are bits. ``P(a1 = b | c = 0) = sum_{x1, b}
    p_A(b | x1, b, 0) / 4`` and ``P(a2 = x1 | c = 1) = sum_{x1, b} p_B(x1 | x1, b, 1) / 4``.
    Weights may have any sign (Fig. 1 directions).
    """
    a = np.zeros((2, 2, 2, 4))
    for x1, b, c in itertools.product(range(2), repeat=3):
        x2 = 2 * b + c
        if c == 0:
            a[b, :, x1, x2] += w_a / 4
        else:
            a[:, x1, x1, x2] += w_b / 4
    return a


def biased_ocb_coefficients(alpha: float) -> np.ndarray:
    """Biased OCB, Eq. (6): ``P(a1 = b | c = 0) + alpha P(a2 = x1 | c = 1)``.

    ``alpha = 1`` is the OCB correlation (causal bound 3/2, algebraic maximum 2). Negative
    ``alpha`` gives negative coefficients (allowed in the SDPs, not in :func:`causal_bound`'s
    non-negativity check, which is skipped there).
    """
    alpha = float(alpha)
    if not np.isfinite(alpha):
        raise ValueError(f"alpha must be finite, got {alpha}")
    return ocb_weighted_coefficients(1.0, alpha)


def ocb_coefficients() -> np.ndarray:
    """OCB correlation ``P(a1 = b | c = 0) + P(a2 = x1 | c = 1)`` (main text, Eq. 5)."""
    return ocb_weighted_coefficients(1.0, 1.0)


def ocb_trigger_coefficients(alpha: float, x_star: int, b_star: int) -> np.ndarray:
    """Single-trigger piece of Lemma 1, Eq. (31).

    ``P(a1 = b | x1 = x*, c = 0) + alpha P(a2 = x1 | b = b*, c = 1)``, with
    ``P(a1 = b | x1 = x*, c = 0) = sum_b p_A(b | x*, b, 0) / 2`` (as used in Eq. 47). Triggers:
    Alice ``x*``, Bob ``(b*, 1)``. Eq. (30): the biased OCB correlation is the average of these
    pieces over ``x* = b* = z``.
    """
    if x_star not in (0, 1) or b_star not in (0, 1):
        raise ValueError(f"x_star and b_star must be bits, got {x_star}, {b_star}")
    a = np.zeros((2, 2, 2, 4))
    for b in range(2):
        a[b, :, x_star, 2 * b] += 0.5
    for x1 in range(2):
        a[:, x1, x1, 2 * b_star + 1] += float(alpha) / 2
    return a


def correlation_value(alpha: np.ndarray, p: np.ndarray) -> float:
    """``I = sum_{a, x} alpha[a, x] p(a | x)`` (Eq. 1)."""
    alpha = np.asarray(alpha, dtype=float)
    p = np.asarray(p, dtype=float)
    if alpha.shape != p.shape:
        raise ValueError(f"p must have the shape of alpha {alpha.shape}, got {p.shape}")
    return float(np.sum(alpha * p))


def algebraic_maximum(alpha: np.ndarray) -> float:
    """Maximum of ``I`` over all conditional distributions: ``sum_x max_a alpha[a, x]``."""
    alpha = validate_coefficients(alpha, nonnegative=False)
    m1, m2, n1, n2 = alpha.shape
    return float(alpha.reshape(m1 * m2, n1 * n2).max(axis=0).sum())


def causal_bound(alpha: np.ndarray) -> float:
    """Causal bound of ``I``: the best deterministic causal strategy (main text, Eq. 1 ff.).

    A causal distribution is a mixture of "A before B" (Alice's outcome depends only on
    ``x1``; Bob's on ``x1, a1, x2``) and "B before A" distributions, so the maximum is reached
    by a deterministic strategy of one of the two orders. For A before B, Bob's best response
    to each ``(x1, a1, x2)`` decouples the enumeration over Alice's functions ``a1 = f(x1)``:
    ``max_f sum_{x1} sum_{x2} max_{a2} alpha[f(x1), a2, x1, x2]
    = sum_{x1} max_{a1} sum_{x2} max_{a2} alpha[a1, a2, x1, x2]``, and symmetrically for B
    before A. See :func:`causal_bound_enumeration` (brute force) and :func:`causal_bound_lp`.

    Examples
    --------
    >>> round(causal_bound(lgyni_coefficients()), 12)
    0.75
    """
    alpha = validate_coefficients(alpha, nonnegative=False)
    a_first = alpha.max(axis=1).sum(axis=2).max(axis=0).sum()
    b_first = alpha.max(axis=0).sum(axis=1).max(axis=0).sum()
    return float(max(a_first, b_first))


def causal_bound_enumeration(alpha: np.ndarray) -> float:
    """Causal bound by brute-force enumeration of all deterministic causal strategies.

    A before B: every function ``a1 = f(x1)`` and every ``a2 = g(x1, x2)`` (``a1`` is fixed by
    ``x1``); B before A symmetrically. Exponential cost: meant for small games and tests.
    """
    alpha = validate_coefficients(alpha, nonnegative=False)
    m1, m2, n1, n2 = alpha.shape
    if m1**n1 * m2 ** (n1 * n2) > 2_000_000 or m2**n2 * m1 ** (n1 * n2) > 2_000_000:
        raise ValueError(f"alpha of shape {alpha.shape} is too large to enumerate")
    best = -np.inf
    x1s, x2s = np.meshgrid(range(n1), range(n2), indexing="ij")
    for f in itertools.product(range(m1), repeat=n1):
        a1 = np.array(f)[x1s]
        for g in itertools.product(range(m2), repeat=n1 * n2):
            a2 = np.array(g).reshape(n1, n2)
            best = max(best, alpha[a1, a2, x1s, x2s].sum())
    for f in itertools.product(range(m2), repeat=n2):
        a2 = np.array(f)[x2s]
        for g in itertools.product(range(m1), repeat=n1 * n2):
            a1 = np.array(g).reshape(n1, n2)
            best = max(best, alpha[a1, a2, x1s, x2s].sum())
    return float(best)


def causal_bound_lp(alpha: np.ndarray) -> OptResult:
    """Causal bound as an LP over the bipartite causal polytope (second route).

    Variables: two unnormalised distributions ``q_AB, q_BA >= 0`` on ``(a1, a2, x1, x2)`` with
    ``q = q_AB + q_BA`` normalised for every ``x``, each of constant weight over ``x``, and the
    one-way no-signalling constraints ``sum_{a2} q_AB(a1, a2 | x1, x2)`` independent of ``x2``,
    ``sum_{a1} q_BA(a1, a2 | x1, x2)`` independent of ``x1`` (main text, definition of causal
    distributions for two parties). Maximise ``sum alpha q``.
    """
    alpha = validate_coefficients(alpha, nonnegative=False)
    m1, m2, n1, n2 = alpha.shape
    size = alpha.size
    idx = np.arange(size).reshape(alpha.shape)
    rows: list[np.ndarray] = []
    rhs: list[float] = []

    def row() -> np.ndarray:
        return np.zeros(2 * size)

    # normalisation of q_AB + q_BA for every x; equal weight of each part over x
    for x1, x2 in itertools.product(range(n1), range(n2)):
        r = row()
        r[idx[:, :, x1, x2].ravel()] = 1
        r[size + idx[:, :, x1, x2].ravel()] = 1
        rows.append(r)
        rhs.append(1.0)
        if (x1, x2) != (0, 0):
            for part in (0, 1):
                r = row()
                r[part * size + idx[:, :, x1, x2].ravel()] = 1
                r[part * size + idx[:, :, 0, 0].ravel()] -= 1
                rows.append(r)
                rhs.append(0.0)
    # one-way no-signalling
    for a1, x1, x2 in itertools.product(range(m1), range(n1), range(1, n2)):
        r = row()
        r[idx[a1, :, x1, x2]] = 1
        r[idx[a1, :, x1, 0]] -= 1
        rows.append(r)
        rhs.append(0.0)
    for a2, x2, x1 in itertools.product(range(m2), range(n2), range(1, n1)):
        r = row()
        r[size + idx[:, a2, x1, x2]] = 1
        r[size + idx[:, a2, 0, x2]] -= 1
        rows.append(r)
        rhs.append(0.0)
    c = np.concatenate([alpha.ravel(), alpha.ravel()])
    return solve_lp(
        c,
        name="causal polytope LP (paper 001)",
        params={"shape": list(alpha.shape)},
        A_eq=np.array(rows),
        b_eq=np.array(rhs),
        bounds=(0, None),
        maximize=True,
    )


# --------------------------------------------------------------------------------------------
# Single-trigger structure and canonical objects (Eqs. 19-21, 24-25)
# --------------------------------------------------------------------------------------------


def is_single_trigger(alpha: np.ndarray, triggers: Sequence[int], *, atol: float = 0.0) -> bool:
    """Whether ``alpha`` depends on ``a_i`` only when ``x_i = triggers[i]`` (main text)."""
    alpha = validate_coefficients(alpha, nonnegative=False)
    m1, m2, n1, n2 = alpha.shape
    t1, t2 = (int(t) for t in triggers)
    if not (0 <= t1 < n1 and 0 <= t2 < n2):
        raise ValueError(f"triggers must be settings in range ({n1}, {n2}), got {triggers}")
    for x1 in range(n1):
        if x1 != t1 and np.max(np.abs(alpha[:, :, x1, :] - alpha[:1, :, x1, :])) > atol:
            return False
    for x2 in range(n2):
        if x2 != t2 and np.max(np.abs(alpha[:, :, :, x2] - alpha[:, :1, :, x2])) > atol:
            return False
    return True


def find_triggers(alpha: np.ndarray, *, atol: float = 0.0) -> list[tuple[int, int]]:
    """All trigger pairs ``(xi_1, xi_2)`` for which ``alpha`` is single-trigger (may be empty)."""
    alpha = validate_coefficients(alpha, nonnegative=False)
    n1, n2 = alpha.shape[2:]
    return [
        (t1, t2)
        for t1, t2 in itertools.product(range(n1), range(n2))
        if is_single_trigger(alpha, (t1, t2), atol=atol)
    ]


def _resolve_triggers(alpha: np.ndarray, triggers) -> tuple[int, int]:
    """The given trigger pair as ints, or the first one :func:`find_triggers` finds."""
    if triggers is None:
        found = find_triggers(alpha)
        if not found:
            raise ValueError("alpha is not a single-trigger correlation (no trigger pair found)")
        triggers = found[0]
    return int(triggers[0]), int(triggers[1])


def _local_projector(m: int, a: int, triggered: bool) -> np.ndarray:
    """Eq. (21) without the label: ``|a a><a a|`` (trigger) or ``|Phi><Phi|`` on ``(in, o)``."""
    if triggered:
        v = np.zeros(m * m)
        v[a * m + a] = 1.0
    else:
        v = np.eye(m).reshape(-1) / np.sqrt(m)
    return np.outer(v, v)


def canonical_instruments(m: int, n: int, trigger: int) -> np.ndarray:
    """Choi operators of the canonical instrument ``M*_{a|x}`` (main text; Eq. 21).

    ``M*_{a|xi}(rho) = <a|rho|a> |a><a| (x) |xi><xi|``, ``M*_{a|x}(rho) = rho/m (x) |x><x|`` for
    ``x != xi``. Returns ``M[a, x]`` on ``(in, o, aux)``, shape ``(m, n, m*m*n, m*m*n)``.
    """
    if m < 1 or n < 1 or not 0 <= trigger < n:
        raise ValueError(f"need m, n >= 1 and trigger in [0, {n}), got {m}, {n}, {trigger}")
    out = np.zeros((m, n, m * m * n, m * m * n))
    for a, x in itertools.product(range(m), range(n)):
        lab = np.zeros((n, n))
        lab[x, x] = 1.0
        out[a, x] = np.kron(_local_projector(m, a, x == trigger), lab)
    return out


def single_trigger_operator(alpha: np.ndarray, triggers: Sequence[int]) -> np.ndarray:
    """Single-trigger operator ``Omega* = sum_{a, x} alpha[a, x] P_{xi, a, x}`` (Eqs. 19-21).

    On ``(in_1, o_1, aux_1, in_2, o_2, aux_2)``; ``P`` is the tensor product of the local
    canonical Choi operators, so ``Tr(Omega* S) = sum alpha p`` for the correlations ``p``
    that a process ``S`` gives with the canonical instruments.
    """
    alpha = validate_coefficients(alpha, nonnegative=False)
    if not is_single_trigger(alpha, triggers):
        raise ValueError(f"alpha is not single-trigger for triggers {tuple(triggers)}")
    m1, m2, n1, n2 = alpha.shape
    ma = canonical_instruments(m1, n1, int(triggers[0]))
    mb = canonical_instruments(m2, n2, int(triggers[1]))
    d = ma.shape[2] * mb.shape[2]
    out = np.zeros((d, d))
    for a1, a2, x1, x2 in zip(*np.nonzero(alpha), strict=True):
        out += alpha[a1, a2, x1, x2] * np.kron(ma[a1, x1], mb[a2, x2])
    return out


# --------------------------------------------------------------------------------------------
# Block-reduced SDPs (Eqs. 23 and 28)
# --------------------------------------------------------------------------------------------


@dataclass
class _Reduced:
    """Invariant span of no-signalling operators for one trigger pair (see module docstring)."""

    m: tuple[int, int]
    n: tuple[int, int]
    triggers: tuple[int, int]
    blocks: list[tuple[int, np.ndarray]]  # (flat setting index, row indices in D)
    basis: np.ndarray  # (X*D*D, r): orthonormal basis of Span(NoSig) within the invariant space
    trace_vec: np.ndarray  # (r,): Tr(C(w)) = trace_vec @ w
    block_maps: list[np.ndarray] = field(default_factory=list)  # per block (s*s, r)
    omega_maps: list[np.ndarray] = field(default_factory=list)  # per block (s*s, alpha.size)

    @property
    def dloc(self) -> list[int]:
        return [self.m[0], self.m[0], self.m[1], self.m[1]]

    @property
    def d(self) -> int:
        return self.m[0] ** 2 * self.m[1] ** 2


_REDUCED_CACHE: dict[tuple, _Reduced] = {}


def _sector_blocks(m, n, triggers) -> list[tuple[int, np.ndarray]]:
    dloc = [m[0], m[0], m[1], m[1]]
    d = int(np.prod(dloc))
    multi = np.array(np.unravel_index(np.arange(d), dloc)).T  # (d, 4): in1, o1, in2, o2
    blocks = []
    for xf, x in enumerate(itertools.product(range(n[0]), range(n[1]))):
        groups: dict[tuple, list[int]] = {}
        for r in range(d):
            lab = []
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


def _reduced(m: tuple[int, int], n: tuple[int, int], triggers: tuple[int, int]) -> _Reduced:
    key = (m, n, triggers)
    if key in _REDUCED_CACHE:
        return _REDUCED_CACHE[key]
    dloc = [m[0], m[0], m[1], m[1]]
    d = int(np.prod(dloc))
    nx = n[0] * n[1]
    blocks = _sector_blocks(m, n, triggers)
    # orthonormal basis B of the invariant real-symmetric space (columns, sparse)
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
    size = nx * d * d
    bmat = sp.csr_matrix((vals, (rows, cols)), shape=(size, k))
    # P_NS = prod_i (1 - T_{O_i} + T_{I_i O_i}), O_i = (copy o_i, label aux_i)
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
    v = evecs[:, evals > 0.5]
    basis = bmat @ v  # dense (size, r)
    diag_idx = np.array([xf * d * d + r * d + r for xf in range(nx) for r in range(d)])
    trace_vec = basis[diag_idx].sum(axis=0)
    red = _Reduced(m=m, n=n, triggers=triggers, blocks=blocks, basis=basis, trace_vec=trace_vec)
    # block maps and Omega maps
    xs = list(itertools.product(range(n[0]), range(n[1])))
    for xf, idx in blocks:
        ent = (xf * d * d + idx[:, None] * d + idx[None, :]).reshape(-1)
        red.block_maps.append(basis[ent])
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
    _REDUCED_CACHE[key] = red
    return red


def sdp_size(shape: Sequence[int], *, decomposition: bool = False) -> dict[str, Any]:
    """Problem size of the reduced SDPs for a game of ``shape = (m1, m2, n1, n2)``.

    Returns the number of scalar variables (entries of the PSD blocks of the reduced process
    matrices, plus ``p`` for the decomposition SDP), the number of normalisation equalities
    (dimension of the invariant no-signalling span), the PSD block sizes (``1``: scalar
    non-negativity), and the size ``m1^2 n1 m2^2 n2`` of the full, unreduced Choi operator
    (one per trigger pair in the decomposition SDP).
    """
    m1, m2, n1, n2 = (int(s) for s in shape)
    trig = list(itertools.product(range(n1), range(n2))) if decomposition else [(0, 0)]
    n_var, n_eq, blocks = 0, 0, []
    for t in trig:
        red = _reduced((m1, m2), (n1, n2), t)
        n_eq += red.basis.shape[1]
        for _, idx in red.blocks:
            s = len(idx)
            blocks.append(s)
            n_var += s * (s + 1) // 2
    if decomposition:
        n_var += m1 * m2 * n1 * n2
    return {
        "n_variables": int(n_var),
        "n_equalities": int(n_eq),
        "psd_blocks": sorted(blocks, reverse=True),
        "full_choi_dim": int(m1 * m1 * n1 * m2 * m2 * n2),
        "n_triggers": len(trig),
    }


#: Clarabel settings for the ICO SDPs: without equilibration and with a slightly larger static
#: regularisation. With Clarabel's defaults these (degenerate) SDPs stall near 1e-8 and end
#: "almost solved"; with these settings they end optimal at the default 1e-9 tolerances
#: (measured duality gaps ~1e-10).
_CLARABEL_DEFAULTS: dict[str, Any] = {
    "equilibrate_enable": False,
    "static_regularization_constant": 1e-7,
}


#: Further Clarabel strategies tried, in order, when a solve with the defaults ends "almost
#: solved" (status optimal_inaccurate). Only the interior-point strategy changes: the gap and
#: feasibility tolerances stay at :data:`bellflow.optim.DEFAULT_SDP_TOL`, and the settings that
#: succeeded are recorded in ``OptResult.tolerances`` and ``extra["attempts"]``.
_CLARABEL_RETRIES: list[dict[str, Any]] = [
    {"static_regularization_constant": 1e-6},
    {"max_step_fraction": 0.95},
    {"static_regularization_constant": 1e-6, "max_step_fraction": 0.95},
]


def _solver_kwargs(kwargs: dict[str, Any]) -> dict[str, Any]:
    """Add :data:`_CLARABEL_DEFAULTS` unless the caller chose otherwise."""
    out = dict(kwargs)
    if out.get("solver", "CLARABEL").upper() == "CLARABEL":
        for k, v in _CLARABEL_DEFAULTS.items():
            out.setdefault(k, v)
    return out


def _solve(prob, *, name: str, params: dict[str, Any], solver_kwargs: dict[str, Any]):
    """:func:`bellflow.optim.solve_sdp` with the Clarabel retry ladder (only when the caller
    did not choose solver settings). Raises the last ``SolverError`` if every attempt fails."""
    from bellflow.optim import SolverError

    first = _solver_kwargs(solver_kwargs)
    ladder = [first]
    if not solver_kwargs:
        ladder += [{**first, **r} for r in _CLARABEL_RETRIES]
    attempts = []
    for kw in ladder:
        try:
            res = solve_sdp(prob, name=name, params=params, **kw)
        except SolverError as exc:
            attempts.append({"settings": kw, "error": str(exc)})
            if kw is ladder[-1]:
                raise
            continue
        attempts.append({"settings": kw, "status": res.status})
        res.extra["attempts"] = attempts
        return res
    raise AssertionError("unreachable")  # pragma: no cover


@dataclass
class _ProcessVars:
    """Reduced process matrix: one PSD block per sector, scalar sectors as one vector."""

    red: _Reduced
    mats: list[tuple[int, Any]]  # (block index, cvxpy symmetric variable)
    scalar_blocks: list[int]
    scalar: Any
    normalisation: Any  # the equality constraint <S, F_k> = Tr(F_k) / (m1 m2)


def _process_variables(red: _Reduced):
    """Variables of a reduced process matrix ``S`` and its normalisation constraint.

    ``S >= 0`` block by block and ``<S, F_k> = Tr(F_k) / (m1 m2)`` for the orthonormal basis
    ``F_k`` of the invariant no-signalling span: for an invariant ``S`` this is
    ``P_NS(S) = I / (m1 m2)``, i.e. ``S`` is a process matrix (App. A, condition (ii)).
    """
    import cvxpy as cp

    mats, scalar_blocks = [], []
    lhs = 0
    for bi, (_, idx) in enumerate(red.blocks):
        s = len(idx)
        if s == 1:
            scalar_blocks.append(bi)
            continue
        y = cp.Variable((s, s), symmetric=True)
        mats.append((bi, y))
        lhs = lhs + red.block_maps[bi].T @ cp.vec(y, order="C")
    scalar = None
    if scalar_blocks:
        g = np.vstack([red.block_maps[bi] for bi in scalar_blocks])
        scalar = cp.Variable(g.shape[0], nonneg=True)
        lhs = lhs + g.T @ scalar
    norm = lhs == red.trace_vec / (red.m[0] * red.m[1])
    cons = [y >> 0 for _, y in mats] + [norm]
    return _ProcessVars(red, mats, scalar_blocks, scalar, norm), cons


def _canonical_value_map(pv: _ProcessVars):
    """cvxpy expression of the canonical correlations ``p[a, x] = Tr(S P_{xi,a,x})`` (flat)."""
    import cvxpy as cp

    red = pv.red
    expr = 0
    for bi, y in pv.mats:
        expr = expr + red.omega_maps[bi].T @ cp.vec(y, order="C")
    if pv.scalar is not None:
        h = np.vstack([red.omega_maps[bi] for bi in pv.scalar_blocks])
        expr = expr + h.T @ pv.scalar
    return expr


def _process_value(pv: _ProcessVars) -> np.ndarray:
    """The optimal reduced process matrix on ``(in1, o1, aux1, in2, o2, aux2)``."""
    red = pv.red
    m, n, d = red.m, red.n, red.d
    nx = n[0] * n[1]
    s_blocks = np.zeros((nx, d, d))
    for bi, y in pv.mats:
        xf, idx = red.blocks[bi]
        v = np.asarray(y.value, dtype=float)
        s_blocks[xf][np.ix_(idx, idx)] = (v + v.T) / 2
    if pv.scalar is not None:
        yv = np.asarray(pv.scalar.value, dtype=float).reshape(-1)
        for k, bi in enumerate(pv.scalar_blocks):
            xf, idx = red.blocks[bi]
            s_blocks[xf][idx[0], idx[0]] = yv[k]
    return _embed_blocks(s_blocks, m, n)


def _embed_blocks(blocks: np.ndarray, m, n) -> np.ndarray:
    """``sum_x B_x (x) |x><x|`` placed on ``(in1, o1, x1, in2, o2, x2)``."""
    d = m[0] ** 2 * m[1] ** 2
    fdims = [m[0], m[0], n[0], m[1], m[1], n[1]]
    dfull = int(np.prod(fdims))
    full = np.zeros((dfull, dfull))
    multi = np.array(np.unravel_index(np.arange(d), [m[0], m[0], m[1], m[1]]))
    for xf, (x1, x2) in enumerate(itertools.product(range(n[0]), range(n[1]))):
        pos = np.ravel_multi_index(
            (multi[0], multi[1], np.full(d, x1), multi[2], multi[3], np.full(d, x2)), fdims
        )
        full[np.ix_(pos, pos)] = blocks[xf]
    return full


def _certificate_value(pv: _ProcessVars) -> np.ndarray:
    """Dual certificate ``C = sum_k w_k F_k`` from the normalisation multipliers (full space).

    Sign fixed so that ``Tr(C) / (m1 m2)`` is the bound (cvxpy's equality multipliers carry
    the sign convention of the Lagrangian).
    """
    red = pv.red
    w = np.asarray(pv.normalisation.dual_value, dtype=float).reshape(-1)
    vec = red.basis @ w
    d = red.d
    nx = red.n[0] * red.n[1]
    blocks = vec.reshape(nx, d, d)
    blocks = (blocks + blocks.transpose(0, 2, 1)) / 2
    c = _embed_blocks(blocks, red.m, red.n)
    if np.trace(c) < 0:
        c = -c
    return c


def _structure_map(shape, triggers) -> np.ndarray:
    """0/1 matrix ``R`` with ``alpha_xi = R @ beta``: single-trigger arrays for ``triggers``."""
    m1, m2, n1, n2 = shape
    free: dict[tuple, int] = {}
    rows = []
    for a1, a2, x1, x2 in itertools.product(range(m1), range(m2), range(n1), range(n2)):
        key = (a1 if x1 == triggers[0] else 0, a2 if x2 == triggers[1] else 0, x1, x2)
        rows.append(free.setdefault(key, len(free)))
    r = np.zeros((len(rows), len(free)))
    r[np.arange(len(rows)), rows] = 1.0
    return r


def ico_bound_single_trigger(
    alpha: np.ndarray,
    triggers: Sequence[int] | None = None,
    *,
    return_process: bool = False,
    return_certificate: bool = False,
    **solver_kwargs: Any,
) -> OptResult:
    """ICO bound of a single-trigger correlation, Eq. (3) (SDP pair Eqs. 22-23).

    ``I^ICO = 2^{Dmax(M*_I || NoSig)} = max { Tr(Omega* S) : S process matrix }
    = min { Tr(C) / (m1 m2) : C in Span(Choi(NoSig)), C >= Omega* }`` with ``Omega*`` the
    single-trigger operator (Eq. 19) of the canonical instruments. For coefficients of any sign
    the min is Eq. (10) with ``C`` affine (span element with ``Tr C = eta m1 m2``). Solved as the
    primal (process-matrix) SDP in the exact block-reduced form (module docstring); the dual
    objective is the min over certificates ``C``.

    Returns
    -------
    OptResult
        ``value = primal = max Tr(Omega* S)``; ``dual`` = Clarabel's dual objective (the min over
        ``C``); ``gap``. ``extra``: ``triggers``, ``sizes``; with ``return_process`` also
        ``process`` (optimal ``S`` on ``(in1, o1, aux1, in2, o2, aux2)``) and ``correlations``
        (``p[a1, a2, x1, x2]`` that ``S`` gives with the canonical instruments); with
        ``return_certificate`` also ``certificate`` (the optimal ``C``, same ordering).

    Examples
    --------
    >>> res = ico_bound_single_trigger(lgyni_coefficients())
    >>> round(res.value, 4)
    0.8194
    """
    import cvxpy as cp

    alpha = validate_coefficients(alpha, nonnegative=False)
    m1, m2, n1, n2 = alpha.shape
    triggers = _resolve_triggers(alpha, triggers)
    if not is_single_trigger(alpha, triggers):
        raise ValueError(f"alpha is not single-trigger for triggers {triggers}")
    red = _reduced((m1, m2), (n1, n2), triggers)
    pv, cons = _process_variables(red)
    p_expr = _canonical_value_map(pv)
    prob = cp.Problem(cp.Maximize(alpha.ravel() @ p_expr), cons)
    res = _solve(
        prob,
        name="single-trigger ICO bound (paper 001, Eq. 3)",
        params={"shape": list(alpha.shape), "triggers": list(triggers)},
        solver_kwargs=solver_kwargs,
    )
    res.extra["triggers"] = triggers
    res.extra["sizes"] = {
        "n_variables": int(prob.size_metrics.num_scalar_variables),
        "psd_blocks": sorted((len(i) for _, i in red.blocks), reverse=True),
        "n_equalities": int(red.basis.shape[1]),
    }
    if return_process:
        s = _process_value(pv)
        res.extra["process"] = s
        res.extra["correlations"] = _canonical_correlations(s, alpha.shape, triggers)
    if return_certificate:
        res.extra["certificate"] = _certificate_value(pv)
    return res


def _canonical_correlations(s: np.ndarray, shape, triggers) -> np.ndarray:
    from bellflow.process import born_probabilities

    m1, m2, n1, n2 = shape
    return born_probabilities(
        s,
        [
            canonical_instruments(m1, n1, triggers[0]),
            canonical_instruments(m2, n2, triggers[1]),
        ],
    )


def ico_bound_decomposition(alpha: np.ndarray, **solver_kwargs: Any) -> OptResult:
    """Upper bound on the ICO value of any correlation, Eq. (4) as the SDP of Eq. (28).

    Eq. (28): ``min sum_xi Tr(C_xi) / (m1 m2)`` over single-trigger parts ``alpha^xi`` (one per
    trigger pair ``xi``, Eq. 27) with ``sum_xi alpha^xi = alpha``, ``C_xi in Span(Choi(NoSig))``
    and ``C_xi >= Omega_xi`` (the single-trigger operator of ``alpha^xi``, Eq. 26). Solved as its
    dual, which is the family of necessary conditions of Eq. (29): maximise ``sum alpha p`` over
    correlations ``p`` such that, for every ``xi``, ``Pi_xi(p)`` (untriggered outcomes made
    uniform) is produced by some process matrix ``S_xi`` with the canonical instruments.

    Eq. (28) puts no sign constraint on the parts, and signed parts are needed: for GYNI every
    coefficient depends on both outcomes, so non-negative parts could only split it by setting
    and the bound would be the trivial value 1; the signed decomposition gives the paper's
    0.7592. Every ``S_xi`` is block-reduced as in :func:`ico_bound_single_trigger`.

    Returns
    -------
    OptResult
        ``value`` (= ``primal``, the max over ``p``), ``dual`` (the min of Eq. 28), ``gap``;
        ``extra["correlations"]``: the optimal ``p``; ``extra["parts"]``: the optimal parts
        ``alpha^xi`` (from the multipliers) keyed by ``xi``; ``extra["sizes"]``.
    """
    import cvxpy as cp

    alpha = validate_coefficients(alpha, nonnegative=False)
    m1, m2, n1, n2 = alpha.shape
    trig = list(itertools.product(range(n1), range(n2)))
    p = cp.Variable(alpha.size)
    cons = []
    links = {}
    blocks = []
    for t in trig:
        red = _reduced((m1, m2), (n1, n2), t)
        pv, c_t = _process_variables(red)
        cons += c_t
        rmap = _structure_map(alpha.shape, t)
        diff = rmap.T @ (_canonical_value_map(pv) - p)
        link = diff == 0
        cons.append(link)
        links[t] = (link, rmap)
        blocks += [len(i) for _, i in red.blocks]
    prob = cp.Problem(cp.Maximize(alpha.ravel() @ p), cons)
    res = _solve(
        prob,
        name="decomposition ICO bound (paper 001, Eqs. 4 and 28)",
        params={"shape": list(alpha.shape)},
        solver_kwargs=solver_kwargs,
    )
    n_var = int(prob.size_metrics.num_scalar_variables)
    parts = {}
    for t, (link, rmap) in links.items():
        beta = np.asarray(link.dual_value, dtype=float).reshape(-1)
        parts[t] = (rmap @ beta).reshape(alpha.shape)
    total = sum(parts.values())
    if np.max(np.abs(total + alpha)) < np.max(np.abs(total - alpha)):
        parts = {t: -v for t, v in parts.items()}
    res.extra["parts"] = parts
    res.extra["correlations"] = np.asarray(p.value).reshape(alpha.shape)
    res.extra["sizes"] = {"n_variables": n_var, "psd_blocks": sorted(blocks, reverse=True)}
    return res


def ico_bound_single_trigger_full(
    alpha: np.ndarray, triggers: Sequence[int] | None = None, **solver_kwargs: Any
) -> OptResult:
    """Naive primal SDP (Eq. 22): ``max Tr(Omega* S)`` over full process matrices ``S``.

    ``S >= 0`` real symmetric on ``(in1, o1, aux1, in2, o2, aux2)`` (dimension
    ``m1^2 n1 m2^2 n2``), normalised on every no-signalling channel:
    ``P_NS(S) = I / (m1 m2)``. No symmetry reduction: an independent route to
    :func:`ico_bound_single_trigger` for small games (LGYNI: 64 x 64; OCB pieces: 128 x 128).
    """
    import cvxpy as cp

    alpha = validate_coefficients(alpha, nonnegative=False)
    m1, m2, n1, n2 = alpha.shape
    triggers = _resolve_triggers(alpha, triggers)
    omega = single_trigger_operator(alpha, triggers)
    dims = [m1, m1 * n1, m2, m2 * n2]
    dfull = omega.shape[0]
    if dfull > 256:
        raise ValueError(f"full SDP of dimension {dfull} is too large (limit 256)")
    size = dfull * dfull
    proj = sp.identity(size, format="csr")
    for i in range(2):
        t_o = trace_replace_matrix(dims, [2 * i + 1])
        t_io = trace_replace_matrix(dims, [2 * i, 2 * i + 1])
        proj = (sp.identity(size, format="csr") - t_o + t_io) @ proj
    target = (np.eye(dfull) / (m1 * m2)).reshape(-1)
    s = cp.Variable((dfull, dfull), symmetric=True)
    proj = proj.tocsr()
    keep = np.unique(proj.nonzero()[0])
    cons = [s >> 0, proj[keep] @ cp.vec(s, order="C") == target[keep]]
    prob = cp.Problem(cp.Maximize(cp.trace(omega @ s)), cons)
    res = _solve(
        prob,
        name="full-space primal ICO SDP (paper 001, Eq. 22)",
        params={"shape": list(alpha.shape), "triggers": list(triggers)},
        solver_kwargs=solver_kwargs,
    )
    res.extra["process"] = np.asarray(s.value)
    res.extra["triggers"] = tuple(triggers)
    return res


# --------------------------------------------------------------------------------------------
# The paper's explicit process, instruments and certificates
# --------------------------------------------------------------------------------------------

_I2 = np.eye(2)
_X = np.array([[0.0, 1.0], [1.0, 0.0]])
_Z = np.diag([1.0, -1.0])


def _kron(*ms: np.ndarray) -> np.ndarray:
    return reduce(np.kron, ms)


def ocb_process_matrix(alpha: float = 1.0) -> np.ndarray:
    """``S_OCB,alpha`` of Eq. (41) on ``(A_I, A_O, B_I, B_O)`` (four qubits).

    ``I/4 + alpha/(4 sqrt(1+alpha^2)) I Z Z I + 1/(4 sqrt(1+alpha^2)) Z I X Z``; ``alpha = 1``
    is the OCB process (Oreshkov, Costa, Brukner 2012).
    """
    alpha = float(alpha)
    r = np.sqrt(1 + alpha**2)
    return (
        _kron(_I2, _I2, _I2, _I2) / 4
        + alpha / (4 * r) * _kron(_I2, _Z, _Z, _I2)
        + 1 / (4 * r) * _kron(_Z, _I2, _X, _Z)
    )


def ocb_instruments(rho: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Alice's and Bob's instruments of Appendix B (Eqs. 42-44), as Choi operators.

    Alice: ``M_{a1|x1} = |a1><a1| (x) |x1><x1|`` (measure, reprepare ``x1``). Bob with
    ``x2 = 2 b + c``: ``N_{a2|b,0} = |X_a2><X_a2| (x) |a2+b><a2+b|`` (Fourier basis, reprepare
    ``a2 xor b``), ``N_{a2|b,1} = |a2><a2| (x) rho`` (``rho`` arbitrary, default ``|0><0|``).
    Returns ``(M[a1, x1], N[a2, x2])`` of shapes ``(2, 2, 4, 4)`` and ``(2, 4, 4, 4)``.
    """
    rho = np.diag([1.0, 0.0]) if rho is None else np.asarray(rho)
    ket = np.eye(2)
    xk = np.array([[1.0, 1.0], [1.0, -1.0]]) / np.sqrt(2)  # columns |X_0>, |X_1>
    ma = np.zeros((2, 2, 4, 4))
    for a1, x1 in itertools.product(range(2), repeat=2):
        ma[a1, x1] = np.kron(np.outer(ket[a1], ket[a1]), np.outer(ket[x1], ket[x1]))
    nb = np.zeros((2, 4, 4, 4), dtype=np.result_type(rho, float))
    for a2, b in itertools.product(range(2), repeat=2):
        out = ket[a2 ^ b]
        nb[a2, 2 * b] = np.kron(np.outer(xk[:, a2], xk[:, a2]), np.outer(out, out))
        nb[a2, 2 * b + 1] = np.kron(np.outer(ket[a2], ket[a2]), rho)
    return ma, nb


def biased_ocb_dual_certificate(
    alpha: float, x_star: int = 0, b_star: int = 0
) -> tuple[np.ndarray, np.ndarray, float]:
    """Dual feasible point of Lemma 1 (Appendix B, Eqs. 32-34 and 40).

    ``C = Omega + sum_{k,l} |Psi_kl><Psi_kl|`` with ``|Psi_kl> = sum_ij c_ijkl |i,i>|k>|j,j>
    |l,0>`` on the 7 qubits ``(1; 2,3) (x) (4; 5,6,7)`` and
    ``c_ijkl = (1+alpha^2)^{1/4}/4 (1 - (-1)^{i+l}/sqrt(1+alpha^2)
    - (-1)^{j+k} alpha / sqrt(1+alpha^2))`` (Eq. 40).

    Returns
    -------
    (C, Omega, eta)
        ``Omega`` is Eq. (33) as printed; ``eta = Tr(C) / 4``.

    Paper typo: Eq. (33) is not the single-trigger operator of Eq. (31): at ``x1 = x*`` Alice's
    factor in the ``alpha/2`` terms must be ``sum_a |aa><aa|`` (she measures), not
    ``|I>><<I|``. ``C`` is in the no-signalling span and dominates the printed ``Omega``, but
    ``C - Omega_correct`` has the eigenvalue ``-alpha/2``, so ``C`` does not certify Lemma 1 as
    printed. The value ``eta`` is still the ICO bound (see :func:`ico_bound_single_trigger`
    with ``return_certificate=True`` for a valid certificate).
    """
    alpha = float(alpha)
    ket = np.eye(2)
    ii = np.eye(2).reshape(-1)  # |I>>
    r = np.sqrt(1 + alpha**2)

    def proj(*vs: np.ndarray) -> np.ndarray:
        v = reduce(np.kron, vs)
        return np.outer(v, v)

    k2 = [np.kron(ket[i], ket[i]) for i in range(2)]  # |ii>
    xs, bs = ket[x_star], ket[b_star]
    omega = (
        0.5 * proj(k2[0], xs, ii, ket[0], ket[0])
        + 0.5 * proj(k2[1], xs, ii, ket[1], ket[0])
        + alpha / 2 * proj(ii, ket[0], k2[0], bs, ket[1])
        + alpha / 2 * proj(ii, ket[1], k2[1], bs, ket[1])
    )
    c = omega.copy()
    for k, l in itertools.product(range(2), repeat=2):
        psi = np.zeros(2**7)
        for i, j in itertools.product(range(2), repeat=2):
            cijkl = r**0.5 / 4 * (1 - (-1) ** (i + l) / r - (-1) ** (j + k) * alpha / r)
            psi += cijkl * reduce(np.kron, [k2[i], ket[k], k2[j], ket[l], ket[0]])
        c += np.outer(psi, psi)
    return c, omega, float(np.trace(c) / 4)


def _lgyni_cert_coefficients(alpha: float, c0: float) -> tuple[float, float, float]:
    """``c1, c2, c3`` from ``c0`` by Eqs. (65)-(67)."""
    # max(., 0): at the end point c0 = sqrt((1 - 3 alpha)/2) rounding can go below zero
    return (
        float(np.sqrt(max(c0**2 + alpha, 0.0))),
        float(np.sqrt(max(1 - 2 * alpha - 2 * c0**2, 0.0))),
        float(np.sqrt(max((1 - 3 * alpha) / 2 - c0**2, 0.0))),
    )


def _lgyni_cert_f(alpha: float, c0: float) -> float:
    """``f(c0) = c0 c1 + c2 c3 - (1 - alpha)/2`` (Eq. 64 residual, Appendix C)."""
    c1, c2, c3 = _lgyni_cert_coefficients(alpha, c0)
    return c0 * c1 + c2 * c3 - (1 - alpha) / 2


def biased_lgyni_certificate_threshold() -> float:
    """Largest ``alpha`` with ``f(0) >= 0`` (Eq. 69): where the Appendix C certificate exists.

    Root of ``f(0; alpha) = sqrt((1-2 alpha)(1-3 alpha)/2) - (1-alpha)/2`` on ``[0, 1/3]``,
    found by bisection (the paper's closed form is ``(4 - sqrt 5)/11``).
    """
    from scipy.optimize import brentq

    return float(brentq(lambda a: _lgyni_cert_f(a, 0.0), 0.0, 0.3, xtol=1e-15))


def biased_lgyni_dual_certificate(alpha: float) -> tuple[np.ndarray, np.ndarray, float]:
    """Dual feasible point of Appendix C (Eqs. 55-67) proving ``I^ICO = 1 - alpha``.

    ``C = Omega + |Psi01><Psi01| + |Psi10><Psi10| + |Psi00><Psi00|`` on the six qubits
    ``(1; 2,3) (x) (4; 5,6)``, with ``c1, c2, c3`` from Eqs. (65)-(67) and ``c0`` in
    ``[0, sqrt((1-3 alpha)/2)]`` the root of ``f`` (Eq. 64), found by bisection. Exists for
    ``0 <= alpha <= (4 - sqrt 5)/11`` (Eqs. 69-70).

    Returns
    -------
    (C, Omega, eta) with ``eta = Tr(C) / 4`` (Eq. 68).
    """
    from scipy.optimize import brentq

    alpha = float(alpha)
    thr = biased_lgyni_certificate_threshold()
    if not 0.0 <= alpha <= thr:
        raise ValueError(f"alpha must lie in [0, {thr:.6f}] ((4 - sqrt 5)/11), got {alpha}")
    hi = np.sqrt((1 - 3 * alpha) / 2)
    f0, fhi = _lgyni_cert_f(alpha, 0.0), _lgyni_cert_f(alpha, hi)
    if abs(f0) <= 1e-14:
        c0 = 0.0
    elif abs(fhi) <= 1e-14:  # alpha = 0: the root is the end point (Eq. 70 with equality)
        c0 = hi
    else:
        c0 = brentq(lambda c: _lgyni_cert_f(alpha, c), 0.0, hi, xtol=1e-15)
    c1, c2, c3 = _lgyni_cert_coefficients(alpha, c0)
    ket = np.eye(2)
    ii = np.eye(2).reshape(-1)
    k2 = [np.kron(ket[i], ket[i]) for i in range(2)]

    def vec(*vs: np.ndarray) -> np.ndarray:
        return reduce(np.kron, vs)

    def proj(v: np.ndarray) -> np.ndarray:
        return np.outer(v, v)

    omega = (
        alpha * proj(vec(k2[1], ket[1], k2[1], ket[1]))
        + (1 - alpha) / 2 * proj(vec(k2[0], ket[1], ii, ket[0]))
        + (1 - alpha) / 2 * proj(vec(ii, ket[0], k2[0], ket[1]))
    )
    psi01 = c0 * vec(k2[1], ket[0], k2[1], ket[1]) + c1 * vec(k2[0], ket[0], k2[1], ket[1])
    psi10 = c0 * vec(k2[1], ket[1], k2[1], ket[0]) + c1 * vec(k2[1], ket[1], k2[0], ket[0])
    psi00 = (
        c2 * vec(k2[1], ket[0], k2[1], ket[0])
        + c3 * vec(k2[0], ket[0], k2[1], ket[0])
        + c3 * vec(k2[1], ket[0], k2[0], ket[0])
    )
    c = omega + proj(psi01) + proj(psi10) + proj(psi00)
    return c, omega, float(np.trace(c) / 4)


def biased_lgyni_no_violation_threshold(
    *, lo: float = 0.1, hi: float = 1.0 / 3.0, tol: float = 1e-5, gap_tol: float = 1e-7
) -> tuple[float, list[tuple[float, float]]]:
    """Largest ``alpha`` with no ICO violation of biased LGYNI (Appendix C, "about 0.188").

    Bisection on ``alpha`` in ``[lo, hi]`` for the sign of
    ``I^ICO(alpha) - max{1 - alpha, (1 + alpha)/2} > gap_tol`` (ICO bound by the SDP, causal
    bound by enumeration). Requires no violation at ``lo`` and a violation at ``hi``.
    ``gap_tol`` sits well above the SDP accuracy (duality gaps ~1e-10). The excess grows
    quadratically past the threshold (about ``7 (alpha - alpha_c)^2``), so the bisection point
    lies above the true threshold by at most ``sqrt(gap_tol / 7)`` (about 1.2e-4 by default).

    Returns
    -------
    (threshold, evaluations) with the evaluated ``(alpha, excess)`` pairs.
    """
    evals: list[tuple[float, float]] = []

    def excess(a: float) -> float:
        g = biased_lgyni_coefficients(a)
        e = ico_bound_single_trigger(g, (1, 1)).value - causal_bound(g)
        evals.append((a, e))
        return e

    if excess(lo) > gap_tol:
        raise ValueError(f"lo={lo} already shows a violation")
    if excess(hi) <= gap_tol:
        raise ValueError(f"hi={hi} shows no violation")
    while hi - lo > tol:
        mid = (lo + hi) / 2
        if excess(mid) > gap_tol:
            hi = mid
        else:
            lo = mid
    return (lo + hi) / 2, evals


# --------------------------------------------------------------------------------------------
# Bistochastic classical theory (Eq. 8, Methods Eq. 12, Appendices D-E)
# --------------------------------------------------------------------------------------------


def classical_supermap(rule, d: int) -> np.ndarray:
    """Deterministic classical supermap as a diagonal operator on ``(A_in, A_out, B_in, B_out)``.

    ``rule(s1p, s2p) -> (s1, s2)`` maps the parties' final values to their initial values
    (Eqs. 8 and 88); ``S = sum_{s1', s2'} |s1><s1| (x) |s1'><s1'| (x) |s2><s2| (x) |s2'><s2'|``
    (Eq. 87 with ``S_{ijkl} = 1`` for ``(i, j, k, l) = (s1, s1', s2, s2')``).
    """
    d = int(d)
    if d < 1:
        raise ValueError(f"d must be >= 1, got {d}")
    diag = np.zeros((d, d, d, d))
    for s1p, s2p in itertools.product(range(d), repeat=2):
        s1, s2 = rule(s1p, s2p)
        if not (0 <= s1 < d and 0 <= s2 < d):
            raise ValueError(f"rule returned values outside range({d}): {(s1, s2)}")
        diag[s1, s1p, s2, s2p] += 1.0
    return np.diag(diag.reshape(-1))


def classical_instrument(rule, d: int, m: int, n: int) -> np.ndarray:
    """Deterministic classical instrument ``q_{a|x}(s'|s)`` as Choi operators ``M[a, x]``.

    ``rule(s, x) -> (a, s')``; ``M[a, x] = sum_s [rule(s, x) = (a, s')] |s><s| (x) |s'><s'|``
    (input first). Shape ``(m, n, d*d, d*d)``. Bistochastic iff ``s -> s'`` is a permutation
    for every ``x`` (checked; a ``ValueError`` otherwise).
    """
    out = np.zeros((m, n, d * d, d * d))
    for x in range(n):
        image = []
        for s in range(d):
            a, sp_ = rule(s, x)
            out[a, x, s * d + sp_, s * d + sp_] += 1.0
            image.append(sp_)
        if sorted(image) != list(range(d)):
            raise ValueError(f"instrument is not bistochastic for setting {x}: s' = {image}")
    return out


def gyni_bistochastic_strategy() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The classical bistochastic strategy that wins GYNI with certainty (main text, Eq. 8).

    Process ``s1 = s1' xor s2'``, ``s2 = s1' xor s2'`` (Eq. 8; the extreme point of Eq. 86);
    instruments ``s_i' = s_i xor x_i``, outcome ``a_i = s_i'``. Returns ``(S, M_A, M_B)``.
    """
    s = classical_supermap(lambda s1p, s2p: (s1p ^ s2p, s1p ^ s2p), 2)
    inst = classical_instrument(lambda si, x: (si ^ x, si ^ x), 2, 2, 2)
    return s, inst, inst.copy()


def nary_signalling_strategy(n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Two-way signalling of ``n``-ary digits (Appendix E, Eq. 88 and the instruments above it).

    Alice: ``s1' = (s1 - x1) mod n``, ``a1 = s1'``; Bob: ``s2' = (x2 - s2) mod n``,
    ``a2 = s2'``; process ``s1 = (s1' + s2') mod n``, ``s2 = (s1' - s2') mod n``. The paper
    states it is admissible for ``n <= 3`` and not for ``n = 4``. Returns ``(S, M_A, M_B)``.
    """
    n = int(n)
    if n < 2:
        raise ValueError(f"n must be >= 2, got {n}")
    s = classical_supermap(lambda s1p, s2p: ((s1p + s2p) % n, (s1p - s2p) % n), n)
    ma = classical_instrument(lambda s1, x: ((s1 - x) % n, (s1 - x) % n), n, n, n)
    mb = classical_instrument(lambda s2, x: ((x - s2) % n, (x - s2) % n), n, n, n)
    return s, ma, mb


def supermap_probabilities(s: np.ndarray, ma: np.ndarray, mb: np.ndarray) -> np.ndarray:
    """``p(a1, a2 | x1, x2) = Tr[S (M_{a1|x1} (x) N_{a2|x2})]`` (Methods, below Eq. 12)."""
    from bellflow.process import born_probabilities

    return born_probabilities(np.asarray(s).T, [ma, mb])


def classical_supermap_admissible_birkhoff(s: np.ndarray, d: int, *, tol: float = 1e-9) -> bool:
    """Classical admissibility by definition: ``sum S_{i j k l} q1(j|i) q2(l|k) = 1`` for every
    pair of bistochastic channels, checked on the permutation pairs (Birkhoff: they are the
    extreme points) together with ``S >= 0``. Independent of Eq. (12).
    """
    diag = np.real(np.diag(np.asarray(s))).reshape(d, d, d, d)
    if np.max(np.abs(np.asarray(s) - np.diag(np.diag(s)))) > tol or diag.min() < -tol:
        return False
    idx = np.arange(d)
    for p1 in itertools.permutations(range(d)):
        for p2 in itertools.permutations(range(d)):
            total = diag[idx[:, None], np.array(p1)[:, None], idx[None, :], np.array(p2)[None, :]]
            if abs(total.sum() - 1.0) > tol:
                return False
    return True


def support_envelope(thetas: np.ndarray, h: np.ndarray) -> np.ndarray:
    """Boundary of a planar convex set from its support function (Fig. 1 geometry).

    Given directions ``u_k = (cos theta_k, sin theta_k)`` (increasing, covering the circle) and
    ``h_k = max_{P in K} u_k . P``, returns the vertices of the circumscribed polygon
    ``{P : u_k . P <= h_k for all k}``: the intersections of consecutive supporting lines.
    Exact for a polygon once every edge normal is among the directions; converges to a smooth
    boundary as the grid is refined. Shape ``(len(thetas), 2)``.
    """
    thetas = np.asarray(thetas, dtype=float)
    h = np.asarray(h, dtype=float)
    if thetas.shape != h.shape or thetas.ndim != 1 or len(thetas) < 3:
        raise ValueError("thetas and h must be 1-d arrays of equal length >= 3")
    if np.any(np.diff(thetas) <= 0) or thetas[-1] - thetas[0] >= 2 * np.pi:
        raise ValueError("thetas must increase strictly within one turn")
    pts = []
    for k in range(len(thetas)):
        t0, t1 = thetas[k], thetas[(k + 1) % len(thetas)]
        a = np.array([[np.cos(t0), np.sin(t0)], [np.cos(t1), np.sin(t1)]])
        pts.append(np.linalg.solve(a, [h[k], h[(k + 1) % len(h)]]))
    return np.array(pts)


def shared_randomness_supermap(x: int, y: int, d: int) -> np.ndarray:
    """The supermap ``S_{x,y}`` of Eq. (89) (Appendix E, the (2,2,?) scenario).

    Eq. (89) is written on ``(A_O, B_O, A_I, B_I)``:
    ``(|xx><xx| + |yy><yy|) (x) (I - |y><y|) (x) |x><x|
    + (|xy><xy| + |yx><yx|) (x) |y><y| (x) (I - |x><x|)
    + (I - |x><x| - |y><y|)^{(x)2} (x) |y><y| (x) |x><x|``. Returned reordered to
    ``(A_I, A_O, B_I, B_O)`` (the convention of Eq. 12), dimension ``d`` per system.
    """
    d = int(d)
    if not (0 <= x < d and 0 <= y < d and x != y):
        raise ValueError(f"x and y must be distinct values in range({d}), got {x}, {y}")
    e = np.eye(d)

    def proj(*ks: int) -> np.ndarray:
        v = reduce(np.kron, [e[k] for k in ks])
        return np.outer(v, v)

    rest = e - proj(x) - proj(y)
    s = (
        _kron(proj(x, x) + proj(y, y), e - proj(y), proj(x))
        + _kron(proj(x, y) + proj(y, x), proj(y), e - proj(x))
        + _kron(rest, rest, proj(y), proj(x))
    )
    # (A_O, B_O, A_I, B_I) -> (A_I, A_O, B_I, B_O)
    return s.reshape([d] * 8).transpose([2, 0, 3, 1, 6, 4, 7, 5]).reshape(d**4, d**4)


def two_setting_instruments(f: np.ndarray, d: int) -> np.ndarray:
    """Classical instrument of Appendix E for two settings (even ``d``).

    With ``t = floor(s / 2)`` and ``z = (x + s) mod 2``: outcome ``a = f[t][x, z]``, output
    ``s' = 2 t + z``. ``f`` has shape ``(d/2, 2, 2)`` (outcome tables ``f^{(t)}(x, z)``) and
    binary or larger integer entries; returns ``M[a, x]`` (see :func:`classical_instrument`).
    """
    f = np.asarray(f, dtype=int)
    if d % 2 or f.shape != (d // 2, 2, 2) or f.min() < 0:
        raise ValueError(f"need even d and f of shape ({d // 2}, 2, 2) >= 0, got {f.shape}")
    m = int(f.max()) + 1

    def rule(s_in: int, x: int) -> tuple[int, int]:
        t, z = s_in // 2, (x + s_in) % 2
        return int(f[t, x, z]), 2 * t + z

    return classical_instrument(rule, d, max(m, 2), 2)


def two_setting_deterministic_coverage() -> dict[str, float]:
    """Appendix E, (2,2,?) scenario with binary outcomes and ``d = 2``: with ``S_{0,1}``
    (Eq. 89) and the instruments above, every pair of outcome tables ``f_1, f_2`` gives
    ``p = delta_{a1, f1(x1, x2)} delta_{a2, f2(x2, x1)}`` (Eq. 90). Checks all 16 x 16 pairs.

    Returns ``admissible`` (Eq. 12), ``n_deterministic`` (distinct deterministic distributions
    reached) and ``max_deviation`` from Eq. (90).
    """
    from bellflow.process import is_admissible_bistochastic_supermap

    s = shared_randomness_supermap(0, 1, 2)
    reached, dev = set(), 0.0
    tables = [np.array(b).reshape(1, 2, 2) for b in itertools.product(range(2), repeat=4)]
    for f1 in tables:
        ma = two_setting_instruments(f1, 2)
        for f2 in tables:
            p = supermap_probabilities(s, ma, two_setting_instruments(f2, 2))
            target = np.zeros((2, 2, 2, 2))
            for x1, x2 in itertools.product(range(2), repeat=2):
                target[f1[0, x1, x2], f2[0, x2, x1], x1, x2] = 1.0
            dev = max(dev, float(np.max(np.abs(p - target))))
            reached.add(tuple(np.round(p.ravel(), 9)))
    return {
        "admissible": float(is_admissible_bistochastic_supermap(s, 2, 2)),
        "n_deterministic": float(len(reached)),
        "max_deviation": dev,
    }


def disc_fit(thetas: np.ndarray, h: np.ndarray) -> dict[str, float]:
    """Least-squares fit of a support function by a disc: ``h(theta) = c . u(theta) + r``.

    A disc of centre ``c`` and radius ``r`` has exactly this support function (Fig. 1: the
    ICO set of the OCB plane). Returns ``center_x``, ``center_y``, ``radius`` and the largest
    residual ``max_residual``.
    """
    thetas = np.asarray(thetas, dtype=float)
    h = np.asarray(h, dtype=float)
    a = np.column_stack([np.cos(thetas), np.sin(thetas), np.ones_like(thetas)])
    coef, *_ = np.linalg.lstsq(a, h, rcond=None)
    return {
        "center_x": float(coef[0]),
        "center_y": float(coef[1]),
        "radius": float(coef[2]),
        "max_residual": float(np.max(np.abs(a @ coef - h))),
    }


def ocb_plane_support(thetas: Sequence[float], *, method: str = "pieces") -> dict[str, np.ndarray]:
    """Support functions of the causal, ICO and unconstrained sets in the ``(P_A, P_B)`` plane.

    For each direction ``u = (cos theta, sin theta)``: the maximum of
    ``cos theta P_A + sin theta P_B`` (``P_A = P(a1 = b | c = 0)``, ``P_B = P(a2 = x1 | c = 1)``)
    over causal distributions (:func:`causal_bound`), over quantum ICO processes (upper bound
    by SDP), and over all distributions (:func:`algebraic_maximum`) (Fig. 1).

    ``method="pieces"``: the ICO bound as the sum of the single-trigger bounds (Eq. 3) of the two
    pieces of Eq. (30) (valid for any weights). ``method="decomposition"``: the optimised
    decomposition SDP of Eq. (28). Returns arrays ``causal``, ``ico``, ``algebraic``,
    ``ico_primal``, ``ico_dual``, ``ico_gap``, ``ico_attempts`` over ``thetas``.
    """
    if method not in ("pieces", "decomposition"):
        raise ValueError(f"method must be 'pieces' or 'decomposition', got {method!r}")
    keys = ("causal", "ico", "algebraic", "ico_primal", "ico_dual", "ico_gap", "ico_attempts")
    out: dict[str, list[float]] = {k: [] for k in keys}
    for t in thetas:
        wa, wb = float(np.cos(t)), float(np.sin(t))
        g = ocb_weighted_coefficients(wa, wb)
        out["causal"].append(causal_bound(g))
        out["algebraic"].append(algebraic_maximum(g))
        if method == "decomposition":
            r = ico_bound_decomposition(g)
            out["ico"].append(r.value)
            out["ico_primal"].append(r.primal)
            out["ico_dual"].append(r.dual)
            out["ico_gap"].append(r.gap)
            out["ico_attempts"].append(len(r.extra["attempts"]))
        else:
            rs = [
                ico_bound_single_trigger(_weighted_piece(wa, wb, z), (z, 2 * z + 1))
                for z in range(2)
            ]
            out["ico"].append(sum(r.value for r in rs) / 2)
            out["ico_primal"].append(sum(r.primal for r in rs) / 2)
            out["ico_dual"].append(sum(r.dual for r in rs) / 2)
            out["ico_gap"].append(sum(r.gap for r in rs) / 2)
            out["ico_attempts"].append(max(len(r.extra["attempts"]) for r in rs))
    return {k: np.array(v) for k, v in out.items()}


def _weighted_piece(w_a: float, w_b: float, z: int) -> np.ndarray:
    """``w_A P(a1 = b | x1 = z, c = 0) + w_B P(a2 = x1 | b = z, c = 1)`` (Eq. 30 piece)."""
    a = np.zeros((2, 2, 2, 4))
    for b in range(2):
        a[b, :, z, 2 * b] += w_a / 2
    for x1 in range(2):
        a[:, x1, x1, 2 * z + 1] += w_b / 2
    return a


def biased_ocb_scan(alphas: Sequence[float]) -> dict[str, np.ndarray]:
    """Biased OCB (Eq. 6) over ``alphas``: ICO upper bound, explicit-process lower bound, causal.

    ``ico``: Eq. (30) + Lemma 1, the average of the single-trigger SDP bounds (Eq. 3) of the two
    pieces (Eq. 31 with ``x* = b* = z``); ``process``: the value reached by ``S_OCB,alpha``
    (Eq. 41) with the instruments of Eqs. (42)-(44) (a lower bound on the ICO value). Their
    agreement establishes Eq. (7). Also ``causal``, ``algebraic`` and the solver's
    ``ico_primal``, ``ico_dual``, ``ico_gap``.
    """
    keys = (
        "ico",
        "process",
        "causal",
        "algebraic",
        "ico_primal",
        "ico_dual",
        "ico_gap",
        "ico_attempts",
    )
    out: dict[str, list[float]] = {k: [] for k in keys}
    ma, nb = ocb_instruments()
    from bellflow.process import born_probabilities

    for a in alphas:
        g = biased_ocb_coefficients(a)
        rs = [
            ico_bound_single_trigger(ocb_trigger_coefficients(a, z, z), (z, 2 * z + 1))
            for z in (0, 1)
        ]
        out["ico"].append(sum(r.value for r in rs) / 2)
        out["ico_primal"].append(sum(r.primal for r in rs) / 2)
        out["ico_dual"].append(sum(r.dual for r in rs) / 2)
        out["ico_gap"].append(sum(r.gap for r in rs) / 2)
        out["ico_attempts"].append(max(len(r.extra["attempts"]) for r in rs))
        p = born_probabilities(ocb_process_matrix(a), [ma, nb])
        out["process"].append(correlation_value(g, np.real(p)))
        out["causal"].append(causal_bound(g))
        out["algebraic"].append(algebraic_maximum(g))
    return {k: np.array(v) for k, v in out.items()}


def biased_lgyni_scan(alphas: Sequence[float]) -> dict[str, np.ndarray]:
    """Biased LGYNI (Eq. 48) over ``alphas`` in [0, 1] (Fig. 2a).

    ``ico``: single-trigger SDP bound (Eq. 3) with its ``ico_primal``, ``ico_dual``,
    ``ico_gap``; ``causal`` (enumeration) and ``causal_lp`` (LP over the causal polytope);
    ``algebraic``; ``excess = ico - causal``; ``ico_attempts`` (Clarabel strategies tried).
    """
    keys = (
        "ico",
        "ico_primal",
        "ico_dual",
        "ico_gap",
        "ico_attempts",
        "causal",
        "causal_lp",
        "algebraic",
    )
    out: dict[str, list[float]] = {k: [] for k in keys}
    for a in alphas:
        g = biased_lgyni_coefficients(a)
        r = ico_bound_single_trigger(g, (1, 1))
        out["ico"].append(r.value)
        out["ico_primal"].append(r.primal)
        out["ico_dual"].append(r.dual)
        out["ico_gap"].append(r.gap)
        out["ico_attempts"].append(len(r.extra["attempts"]))
        out["causal"].append(causal_bound(g))
        out["causal_lp"].append(causal_bound_lp(g).value)
        out["algebraic"].append(algebraic_maximum(g))
    res = {k: np.array(v) for k, v in out.items()}
    res["excess"] = res["ico"] - res["causal"]
    return res


def game_checks(biased_ocb_alphas: Sequence[float] = ()) -> dict[str, float]:
    """The paper's numbers for the named games, computed (reproduction table, ``games.h5``).

    Causal bounds (best response and LP), algebraic maxima, the LGYNI single-trigger bound
    (Eq. 3) with the full-space re-checks of its optimal process and certificate, the GYNI and
    OCB decomposition bounds (Eq. 28), the value of the explicit OCB process (Eq. 41), the
    biased OCB bound (Eq. 30 + Lemma 1) at ``biased_ocb_alphas``, and the Appendix B
    certificate checks (Eq. 33 typo). Solver gaps are included (``*_gap``).
    """
    from bellflow.process import born_probabilities, nosignalling_span_residual
    from bellflow.process import process_matrix_residual as pm_res

    out: dict[str, float] = {}
    games = {"lgyni": lgyni_coefficients(), "gyni": gyni_coefficients(), "ocb": ocb_coefficients()}
    for name, g in games.items():
        out[f"{name}_causal"] = causal_bound(g)
        out[f"{name}_causal_lp"] = causal_bound_lp(g).value
        out[f"{name}_algebraic"] = algebraic_maximum(g)
    g = games["lgyni"]
    r = ico_bound_single_trigger(g, return_process=True, return_certificate=True)
    om = single_trigger_operator(g, r.extra["triggers"])
    out["lgyni_ico"] = r.value
    out["lgyni_ico_dual"] = r.dual
    out["lgyni_ico_gap"] = r.gap
    out["lgyni_process_residual"] = pm_res(r.extra["process"], [2, 2], [4, 4])
    out["lgyni_process_min_eig"] = float(np.linalg.eigvalsh(r.extra["process"]).min())
    c = r.extra["certificate"]
    out["lgyni_certificate_nosig_residual"] = nosignalling_span_residual(c, [2, 2], [4, 4])
    out["lgyni_certificate_min_eig"] = float(np.linalg.eigvalsh(c - om).min())
    for name in ("gyni", "ocb"):
        r = ico_bound_decomposition(games[name])
        out[f"{name}_ico_decomposition"] = r.value
        out[f"{name}_ico_decomposition_dual"] = r.dual
        out[f"{name}_ico_decomposition_gap"] = r.gap
    ma, nb = ocb_instruments()
    p = born_probabilities(ocb_process_matrix(1.0), [ma, nb])
    out["ocb_process_value"] = correlation_value(games["ocb"], np.real(p))
    for a in biased_ocb_alphas:
        s = biased_ocb_scan([a])
        out[f"biased_ocb_ico_alpha_{a:g}"] = float(s["ico"][0])
        out[f"biased_ocb_process_alpha_{a:g}"] = float(s["process"][0])
    # Appendix B certificate (alpha = 1, x* = b* = 0)
    cb, om_printed, eta = biased_ocb_dual_certificate(1.0, 0, 0)
    om_true = single_trigger_operator(ocb_trigger_coefficients(1.0, 0, 0), (0, 1))
    out["appb_certificate_eta"] = eta
    out["appb_certificate_nosig_residual"] = nosignalling_span_residual(cb, [2, 2], [4, 8])
    out["appb_certificate_min_eig_printed_omega"] = float(np.linalg.eigvalsh(cb - om_printed).min())
    out["appb_certificate_min_eig_canonical_omega"] = float(np.linalg.eigvalsh(cb - om_true).min())
    out["appb_omega_printed_minus_canonical"] = float(np.max(np.abs(om_printed - om_true)))
    return out


def lgyni_threshold_checks(
    certificate_alphas: Sequence[float], *, tol: float = 1e-5, gap_tol: float = 1e-7
) -> dict[str, float]:
    """Biased LGYNI thresholds of Appendix C (``lgyni_thresholds.h5``).

    ``no_violation_threshold`` (bisection on the SDP, "about 0.188"), ``certificate_threshold``
    (the root of Eq. 69, ``(4 - sqrt 5)/11``), and for each ``alpha`` in ``certificate_alphas``
    the worst residuals of the Appendix C certificate (``max_certificate_*``) and the largest
    ``|Tr C / 4 - (1 - alpha)|`` against the SDP bound.
    """
    from bellflow.process import nosignalling_span_residual

    thr, evals = biased_lgyni_no_violation_threshold(tol=tol, gap_tol=gap_tol)
    out = {
        "no_violation_threshold": thr,
        "no_violation_bisection_steps": float(len(evals)),
        "certificate_threshold": biased_lgyni_certificate_threshold(),
    }
    worst_ns, worst_eig, worst_eta = 0.0, 0.0, 0.0
    for a in certificate_alphas:
        c, om, eta = biased_lgyni_dual_certificate(a)
        worst_ns = max(worst_ns, nosignalling_span_residual(c, [2, 2], [4, 4]))
        worst_eig = min(worst_eig, float(np.linalg.eigvalsh(c - om).min()))
        sdp = ico_bound_single_trigger(biased_lgyni_coefficients(a), (1, 1)).value
        worst_eta = max(
            worst_eta, abs(eta - sdp), abs(eta - causal_bound(biased_lgyni_coefficients(a)))
        )
    out["max_certificate_nosig_residual"] = worst_ns
    out["min_certificate_eig"] = worst_eig
    out["max_certificate_vs_sdp_and_causal"] = worst_eta
    return out


def bistochastic_checks(n_values: Sequence[int] = (2, 3, 4)) -> dict[str, float]:
    """Bistochastic theories (Eq. 8, Eq. 12, Eq. 86, Appendix E), for ``bistochastic.h5``.

    ``gyni_supermap_admissible`` (Eq. 12) and ``gyni_supermap_admissible_birkhoff`` (definition),
    ``gyni_success`` (with the Eq. 8 instruments); for each ``n``: ``nary_{n}_admissible``
    (Eq. 12), ``nary_{n}_admissible_birkhoff`` and ``nary_{n}_signalling`` (success of the
    ``n``-setting GYNI game, 1 = perfect two-way signalling); ``eq89_admissible``,
    ``eq90_n_deterministic``, ``eq90_max_deviation`` from
    :func:`two_setting_deterministic_coverage`. Booleans as 0/1 floats.
    """
    from bellflow.process import is_admissible_bistochastic_supermap

    s, ma, mb = gyni_bistochastic_strategy()
    out = {
        "gyni_supermap_admissible": float(is_admissible_bistochastic_supermap(s, 2, 2)),
        "gyni_supermap_admissible_birkhoff": float(classical_supermap_admissible_birkhoff(s, 2)),
        "gyni_success": correlation_value(gyni_coefficients(), supermap_probabilities(s, ma, mb)),
    }
    for n in n_values:
        s, ma, mb = nary_signalling_strategy(n)
        out[f"nary_{n}_admissible"] = float(is_admissible_bistochastic_supermap(s, n, n))
        out[f"nary_{n}_admissible_birkhoff"] = float(classical_supermap_admissible_birkhoff(s, n))
        out[f"nary_{n}_signalling"] = correlation_value(
            gyni_coefficients(n), supermap_probabilities(s, ma, mb)
        )
    cov = two_setting_deterministic_coverage()
    out["eq89_admissible"] = cov["admissible"]
    out["eq90_n_deterministic"] = cov["n_deterministic"]
    out["eq90_max_deviation"] = cov["max_deviation"]
    return out


# --------------------------------------------------------------------------------------------
# Beyond the paper: facets of the simplest bipartite causal polytope and their ICO bounds
# --------------------------------------------------------------------------------------------


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
    for i, k in enumerate(keys):
        if i in seen:
            continue
        orbit = sorted({index[tuple(np.array(k)[g])] for g in group})
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
