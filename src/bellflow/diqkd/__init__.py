"""Paper 002: unbounded DIQKD key rates from arbitrarily small nonlocality.

Farkas, PRL 132, 210803 (2024). The d-outcome Bell family of Pereira Alves and Kaniewski,
PRA 106, 032219 (2022) (Eq. 10 of the paper), the perturbed basis ``|e_k> = U_eps |k>``
(Eqs. 16-17), the Bell functional, its quantum and local values, the distance of the family's
correlations to the local set, and the key rates (Eq. 15), with the CHSH protocol of Pironio et
al., NJP 11, 045021 (2009) as the baseline.

Conventions
-----------
- Boxes are arrays ``p[a, b, x, y]`` of shape ``(oA, oB, mA, mB)``.
- For the family: Alice has ``mA = 2`` settings with ``oA = d`` outcomes; Bob has ``mB = d**2``
  settings ``y = j * d + k`` (the paper's pair ``jk``) with ``oB = 3`` outcomes.
- Kets are in the computational basis ``|0>, ..., |d-1>``; two-party operators act on
  ``C^d (x) C^d`` with Alice first (``np.kron(A, B)``).
- ``|phi_d^+> = sum_j |jj> / sqrt(d)``; for it ``<phi| A (x) B |phi> = tr(A B^T) / d``, which is
  why Bob's optimal projectors below are complex conjugates of Alice-side eigenvectors.

Notes
-----
- Paper typo, Eq. (16): with the printed Fourier basis ``sum_j omega^j |chi_j><chi_j|`` is
  ``X^dagger``, not ``X`` (d >= 3). See :func:`generator`.
- ``eps = 1`` gives ``U_1 = X^dagger``, a permutation: O is a permutation matrix and the box is
  local again, so the paper's statements hold for eps in (0, 1) (as its text says), not on the
  closed interval of Eq. (17).
- The violation ``B_d(p_eps) - L`` scales like eps^4 (closed form in :func:`family_violation`,
  exact in floating point down to 1e-16), the l1 distance to the local set like eps.
- NPA (:func:`npa_check`) bounds ``B_d - (d - 1)`` from above with a certified value; it
  resolves the violation only where that certified excess is below ``B_d(p_eps) - L`` (at
  level 1+AB, d = 2: resolved at eps = 0.5, 0.1, 0.03; not at eps = 0.01, where the certified
  precision is 5e-7 to 1.5e-6 and the violation 1.5e-8). The record says which, per eps.

Layout: :mod:`~bellflow.diqkd.construction` (bases, measurements, boxes),
:mod:`~bellflow.diqkd.bell` (Eq. 10, local bound, NPA), :mod:`~bellflow.diqkd.local`
(distance to the local set), :mod:`~bellflow.diqkd.rates` (entropies, key rates, CHSH,
the device-independent :func:`key_rate`), :mod:`~bellflow.diqkd.scans` (the workflow's scans,
as xarray Datasets), :mod:`~bellflow.diqkd.checks` (the paper's claims, by section).
"""

from bellflow.diqkd.bell import (
    bell_coefficients,
    bell_operator,
    bell_value,
    family_coefficients,
    family_local_bound,
    family_violation,
    local_bound,
    npa_check,
    quantum_value,
)
from bellflow.diqkd.construction import (
    alice_measurements,
    bob_measurements,
    box_from_state,
    family_box,
    fourier_basis,
    generator,
    max_entangled_state,
    overlap_matrix,
    shift_operator,
    sine_matrix,
    unitary,
    unitary_formula,
)
from bellflow.diqkd.local import (
    DistanceResult,
    distance_to_local,
    l1_distance,
    local_decomposition,
    local_visibility,
)
from bellflow.diqkd.rates import (
    KeyRate,
    binary_entropy,
    chsh_box,
    chsh_key_rate,
    chsh_qber_threshold,
    conditional_entropy,
    family_di_rate,
    family_key_rate,
    key_box,
    key_rate,
    pironio_entropy,
    quadrature_ceiling,
    shannon_entropy,
)
from bellflow.diqkd.scans import bff_rates, chsh_baseline, family_di_scan, family_scan, npa_scan
from bellflow.diqkd.symmetry import family_symmetry

__all__ = [
    "shift_operator",
    "fourier_basis",
    "generator",
    "unitary",
    "unitary_formula",
    "overlap_matrix",
    "sine_matrix",
    "max_entangled_state",
    "alice_measurements",
    "bob_measurements",
    "box_from_state",
    "family_box",
    "bell_coefficients",
    "family_coefficients",
    "bell_value",
    "bell_operator",
    "quantum_value",
    "local_bound",
    "family_local_bound",
    "family_violation",
    "npa_check",
    "l1_distance",
    "local_decomposition",
    "DistanceResult",
    "distance_to_local",
    "local_visibility",
    "family_symmetry",
    "key_box",
    "shannon_entropy",
    "conditional_entropy",
    "family_key_rate",
    "binary_entropy",
    "pironio_entropy",
    "chsh_box",
    "chsh_key_rate",
    "chsh_qber_threshold",
    "KeyRate",
    "key_rate",
    "family_di_rate",
    "quadrature_ceiling",
    "family_di_scan",
    "npa_scan",
    "family_scan",
    "chsh_baseline",
    "bff_rates",
]
