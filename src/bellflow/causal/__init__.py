"""Paper 001: Tsirelson bounds for correlations with indefinite causal order (ICO).

Liu and Chiribella (2025). A bipartite correlation (Eq. 1) is an array of non-negative
coefficients ``alpha[a1, a2, x1, x2]`` (outcomes ``a_i``, settings ``x_i``; any finite numbers of
each per party) scoring ``I(p) = sum alpha[a, x] p(a | x)``. This package gives

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
  (Eqs. 55-67), and the bistochastic supermaps of the Methods and Appendices D-E;
- :func:`ico_bound`, the certified ICO bound of any bipartite game, and (beyond the paper) the
  exact facets of the simplest causal polytope with their ICO bounds.

Modules: ``games`` (games, causal bounds), ``triggers`` (single-trigger structure, canonical
instruments), ``reduction`` (the exact block reduction), ``sdp`` (the ICO SDPs), ``certify``
(explicit certificates), ``bound`` (:func:`ico_bound`), ``certificates`` (the paper's process
and dual certificates), ``supermaps`` (bistochastic theories), ``scans`` (the scans, as
``xarray.Dataset``), ``checks`` (paper checks by section), ``facets`` (beyond the paper).

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
conjugation is a symmetry too, so ``C`` is real symmetric. The compressed projector
``B^T P_NS B`` splits the invariant space into the no-signalling span and its complement
``ker P_NS`` (orthonormal eigenvectors of both). The SDPs are solved in their primal
(process-matrix) form with the normalisation built in: ``S = I / (m1 m2) + sum_j z_j G_j`` over
the basis ``G_j`` of ``ker P_NS`` (``sdp._FORM``; for an OCB trigger pair 27 free parameters
instead of 174 block entries tied by 147 dense equalities), so the solver's only constraints
are the PSD blocks; the certificate is ``C = P_NS(Omega + Z)`` with ``Z`` the blocks'
multipliers. The optimal process ``S`` and the optimal certificate ``C`` are returned on
request and re-checked in the full Hilbert space by the tests.

Solver
------
Clarabel at the default 1e-9 tolerances, without equilibration, with a larger static
regularisation and a shorter step (``sdp._CLARABEL_DEFAULTS``); if a solve still ends "almost
solved", the strategies of ``sdp._CLARABEL_RETRIES`` are tried as ``bellflow.optim.solve_sdp``
fallbacks with unchanged tolerances and recorded.

Certified values
----------------
Every ICO SDP result carries ``certified`` (a rigorous upper bound: the solver's dual operator
``C`` checked for ``C >= Omega`` and for membership of the no-signalling span, its
infeasibilities repaired with the trace ``d_O`` of every process matrix, plus a floating-point
margin; :mod:`bellflow.causal.certify`) and, for the single-trigger SDP, ``achieved`` (the
exact value of the optimal process repaired into an exactly feasible one): the ICO value lies
in ``[achieved, certified]``.

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

from bellflow.causal.bound import ICOBound, ico_bound
from bellflow.causal.certificates import (
    biased_lgyni_certificate_threshold,
    biased_lgyni_dual_certificate,
    biased_lgyni_no_violation_threshold,
    biased_ocb_dual_certificate,
    ocb_instruments,
    ocb_process_matrix,
)
from bellflow.causal.checks import (
    Certified,
    bistochastic_checks,
    checks_dataset,
    game_checks,
    lgyni_threshold_checks,
)
from bellflow.causal.facets import (
    causal_polytope_facets,
    causal_vertices,
    facet_dataset,
    facet_ico_table,
)
from bellflow.causal.games import (
    algebraic_maximum,
    biased_lgyni_coefficients,
    biased_ocb_coefficients,
    causal_bound,
    causal_bound_enumeration,
    causal_bound_lp,
    correlation_value,
    gyni_coefficients,
    lgyni_coefficients,
    ocb_coefficients,
    ocb_trigger_coefficients,
    ocb_weighted_coefficients,
    validate_coefficients,
)
from bellflow.causal.reduction import (
    sdp_size,
)
from bellflow.causal.scans import (
    biased_lgyni_scan,
    biased_ocb_scan,
    disc_fit,
    gather_scan,
    lgyni_plane_causal_polygon,
    ocb_plane_support,
    support_envelope,
)
from bellflow.causal.sdp import (
    ico_bound_decomposition,
    ico_bound_single_trigger,
    ico_bound_single_trigger_full,
)
from bellflow.causal.supermaps import (
    appendix_d_extreme_points,
    classical_instrument,
    classical_supermap,
    classical_supermap_admissible_birkhoff,
    gyni_bistochastic_strategy,
    nary_signalling_strategy,
    shared_randomness_supermap,
    supermap_probabilities,
    two_setting_deterministic_coverage,
    two_setting_instruments,
)
from bellflow.causal.triggers import (
    canonical_instruments,
    find_triggers,
    is_single_trigger,
    single_trigger_operator,
)

__all__ = [
    "facet_dataset",
    "lgyni_plane_causal_polygon",
    "ico_bound",
    "ICOBound",
    "appendix_d_extreme_points",
    "Certified",
    "checks_dataset",
    "gather_scan",
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
