"""NPA hierarchy (Navascues-Pironio-Acin) for bipartite Bell scenarios of any size.

Outer approximations of the quantum set of boxes ``p[a, b, x, y]`` (shape ``(oA, oB, mA, mB)``,
see :mod:`bellflow.boxes`) by a moment matrix that must be positive semidefinite. The entry
point for a Bell expression in any scenario is :func:`quantum_bound`.

Construction (NPA, New J. Phys. 10, 073013 (2008)), in the Collins-Gisin projector basis:

- operators ``E_{a|x}`` for ``a < oA - 1`` (Alice) and ``F_{b|y}`` for ``b < oB - 1`` (Bob); the
  last outcome is eliminated through ``sum_a E_{a|x} = 1``, so no completeness constraint is
  needed;
- rules: ``E_{a|x} E_{a'|x} = delta_{aa'} E_{a|x}`` (orthogonal projectors), Alice's and Bob's
  operators commute;
- monomials ``S`` of the level: ``1`` (words of length <= 1: identity and single operators),
  ``"1+AB"`` (level 1 plus all products ``E F``), ``k`` (all words of length <= k);
- moment matrix ``Gamma_{ij} = <S_i^dagger S_j>``, equal words share one variable. The matrix is
  taken real symmetric (a word and its adjoint share a variable): if a complex Hermitian Gamma is
  feasible, so is its real part, with the same (real) Bell value, so nothing is lost;
- ``Gamma >= 0``, ``Gamma_{11} = 1`` and the box entries in Collins-Gisin form are the moments
  ``<E_{a|x}>, <F_{b|y}>, <E_{a|x} F_{b|y}>``.

Every bound is certified (``OptResult.certified``, see :mod:`bellflow.npa.bounds`): the solver's
dual point repaired into the PSD cone with the a-priori bound ``|moment| <= 1``.

The structure (monomials, sparse maps) is cached per ``(shape, level)``, and the cvxpy problems
are cached with parameters per ``(shape, level, kind, number of extra equalities, zero
pattern)``, so repeated solves (bisections, rays, scans) skip the canonicalisation.

Cost: the moment matrix has side 5 / 9 / 13 for CHSH at levels 1 / 1+AB / 2 (milliseconds per
solve), but 95 at level 1+AB for (oA, oB, mA, mB) = (3, 3, 2, 9), where one Clarabel solve
takes about 30 s of CPU and 1.2 GB (dense PSD scaling block of side 4560), and 231 for
(4, 3, 2, 16), where ``solver="auto"`` switches to SCS (about 35 s of CPU and 0.2 GB at
tolerance 1e-5, certified within about 1e-3; Clarabel would need over 20 GB). See
``benchmarks/bench_npa.py``; pass ``tol`` to fix the tolerance.

Examples
--------
>>> from bellflow.boxes import chsh_coefficients
>>> round(npa_upper_bound(chsh_coefficients(), level=1).value, 6)   # 2 sqrt 2
2.828427
"""

from bellflow.npa.bounds import (
    DEFAULT_TOL,
    HIGH_LEVEL_TOL,
    LARGE_SIZE,
    SCS_SIZE,
    TOL_LADDER,
    _problem,
    npa_membership,
    npa_upper_bound,
    npa_visibility,
    quantum_bound,
)
from bellflow.npa.structure import (
    LEVELS,
    NPAStructure,
    _facial_reduction,
    box_to_cg,
    cg_to_box_map,
    npa_structure,
)

__all__ = [
    "NPAStructure",
    "npa_structure",
    "npa_upper_bound",
    "quantum_bound",
    "npa_membership",
    "npa_visibility",
    "box_to_cg",
    "cg_to_box_map",
    "LEVELS",
    "DEFAULT_TOL",
    "HIGH_LEVEL_TOL",
    "LARGE_SIZE",
    "SCS_SIZE",
    "TOL_LADDER",
    "_problem",
    "_facial_reduction",
]
