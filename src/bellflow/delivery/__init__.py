"""Paper 004: entanglement distribution by an inept delivery service.

A source prepares ``|psi_a> = a|00> + sqrt(1 - a^2)|11>`` (Eq. 3.1); with probability ``S`` the
customers get their own pair, otherwise uncorrelated qubits (Eq. 2.1). The package:

- :mod:`~bellflow.delivery.channel`: the delivered state and its closed forms (fidelity,
  concurrence, E_F, optimal ``a``, Horodecki CHSH, thresholds; Secs. II-V),
- :mod:`~bellflow.delivery.lhv`: the local-model region of Sec. V (Eqs. 5.2-5.4),
- :mod:`~bellflow.delivery.scans`: Figs. 2 and 3 as :class:`xarray.Dataset`,
- :mod:`~bellflow.delivery.checks`: the paper's numbers and claims, one function per section,
  each with an independent route from :mod:`~bellflow.delivery.routes` (explicit states),
- :mod:`bellflow.delivery.dikey` (imported on its own, it pulls in :mod:`bellflow.diqkd`): a
  study beyond the paper, where the delivered state gives a device-independent key.

Basis: ``|00>, |01>, |10>, |11>`` (``np.kron`` ordering, A first). The concurrence of
``M[|psi_a><psi_a|]`` is symmetric under ``a <-> sqrt(1 - a^2)``; where a maximiser over ``a``
is reported, it is the one with ``a <= 1/sqrt(2)`` (the paper's ``a ~ S/2`` branch).

Paper typos found (the code uses the corrected formulas):

- Eq. (3.4), as printed ``S > a(1-a^2)/(sqrt(1-a^2) + a - a^2)``, should read
  ``S > a(1-a^2)/(sqrt(1-a^2) + a - a^3)``, i.e. ``S > ab/(1 + ab)``; the printed form gives
  ``S > 0.387`` for Bell pairs, contradicting the paper's own (correct) ``S > 1/3``.
- Eq. (5.1), as printed ``S > 1/[4(4a^4-4a^2-1)(4a^4-4a^2+1-sqrt(4a^4-4a^2+3))]``, gives
  ``S > 1/(8 sqrt 2) = 0.088`` for Bell pairs, contradicting the paper's own (correct)
  ``S > 1/sqrt 2``. The CHSH threshold is
  ``S > (4a^4-4a^2+1-sqrt(4a^4-4a^2+3))/(4a^4-4a^2-1)`` (see :func:`chsh_boundary`).
- Eq. (5.4) should read ``rho_SEP = (rho - c rho_B)/(1 - c)`` (the factor ``c`` is missing).
- Eq. (3.3) is printed without ``max(0, .)``: it is negative where the state is separable.
- Sec. IV, "of order 4/S^4 log2 S^-1" deliveries per Bell pair: read as
  ``4/(S^4 log2(1/S))`` (``1/E_F^max`` from Eq. 4.2); the log belongs in the denominator.

Examples
--------
>>> import numpy as np
>>> round(float(concurrence(1 / np.sqrt(2), 0.5)), 12)  # (3S - 1)/2 for Bell pairs
0.25
>>> scan(np.linspace(0, 1, 3), np.linspace(0, 1, 4))["eof"].shape
(3, 4)
"""

from __future__ import annotations

from bellflow.delivery import channel, checks, lhv, routes, scans
from bellflow.delivery.channel import (
    OptimalEntanglement,
    chsh_boundary,
    chsh_boundary_eq51_printed,
    concurrence,
    delivered_state,
    entanglement_boundary,
    entanglement_boundary_eq34_printed,
    entanglement_of_formation,
    eof_max_small_S,
    fidelity,
    is_entangled,
    max_chsh,
    mix_up,
    optimal_entanglement,
    violates_chsh,
)
from bellflow.delivery.checks import paper_checks
from bellflow.delivery.lhv import (
    BARRETT_WEIGHT,
    barrett_state,
    lhv_boundaries,
    lhv_decomposition,
    lhv_decomposition_lp,
    lhv_region,
    rho_sep,
    rho_sep_eq54_printed,
)
from bellflow.delivery.scans import boundaries, fig2_scan, fig3_curves, scan

__all__ = [
    "channel",
    "checks",
    "lhv",
    "routes",
    "scans",
    "BARRETT_WEIGHT",
    "mix_up",
    "delivered_state",
    "fidelity",
    "concurrence",
    "entanglement_of_formation",
    "entanglement_boundary",
    "entanglement_boundary_eq34_printed",
    "is_entangled",
    "OptimalEntanglement",
    "optimal_entanglement",
    "eof_max_small_S",
    "max_chsh",
    "chsh_boundary",
    "chsh_boundary_eq51_printed",
    "violates_chsh",
    "barrett_state",
    "lhv_decomposition",
    "rho_sep",
    "rho_sep_eq54_printed",
    "lhv_region",
    "lhv_boundaries",
    "lhv_decomposition_lp",
    "boundaries",
    "scan",
    "fig2_scan",
    "fig3_curves",
    "paper_checks",
]
