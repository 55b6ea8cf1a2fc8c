"""Paper 003: non-locality in the open Lipkin-Meshkov-Glick (LMG) model.

Marconi, Riera-Campeny, Sanpera, Aloy, "Robustness of non-locality in many-body open quantum
systems" (2022). Everything lives in the maximal-spin (symmetric) block, in the Dicke basis of
:mod:`bellflow.dicke` (``|D_k^N>``, k = 0..N, ``S_z = N/2 - k``), except the open dynamics,
which is written in the energy eigenbasis of H_S (:class:`EnergyBasis`), where H_S is diagonal
and the jump operators are sparse.

Modules (each re-exported here, so ``from bellflow import lmg; lmg.X`` works):

- :mod:`~bellflow.lmg.model`: Hamiltonians Eq. (4), Eq. (14), initial/Gibbs/Eq. (11) states,
  the gauge-fixed energy basis.
- :mod:`~bellflow.lmg.bell`: the two-body permutationally invariant Bell operator Eq. (3)
  (value and minimum over the angles), concurrence Eq. (12), spin squeezing Eq. (13).
- :mod:`~bellflow.lmg.liouvillian`: GKLS generators Eq. (6) (thermal Davies bath through S_y,
  non-thermal J(zeta), any jumps) and repeated measurements Eq. (7).
- :mod:`~bellflow.lmg.steady`: checked steady states.
- :mod:`~bellflow.lmg.dynamics`: time evolution, Eq. (14) dynamics, Eq. (15) mixture.
- :mod:`~bellflow.lmg.scans`: the Fig. 1-4 scans and traces as ``xarray.Dataset``.
- :mod:`~bellflow.lmg.checks`: the paper's claims and printed formulas, by section.
- :mod:`~bellflow.lmg.depends`: claims that rest on unstated parameters, scanned over them.
- :mod:`~bellflow.lmg.sparse`: band-limited sparse steady states (any N up to ~1000).
- :mod:`~bellflow.lmg.twobody`: study 2, the two-body trace of the many-body violation (CHSH,
  LP local-polytope membership, I3322).
- :mod:`~bellflow.lmg.seesaw`: Bell values of two-qubit states maximised over projective
  measurements by see-saw, many states at once.

Paper typos and remarks found while checking (each repeated where it is used):

- Eq. (12): the lambda_i are the square roots of the eigenvalues of rho_2 (sy x sy) rho_2^*
  (sy x sy), not the eigenvalues of rho_2 (Wootters).
- Eq. (11): the printed amplitude 1/sqrt(2 pi sigma^2) does not normalise the state; the norm
  is (2 pi sigma^2)^(-1/4) in the continuum limit. We normalise numerically.
- Eq. (14) is not Eq. (4) at h = 0: its S_z^2 term has the opposite sign (-omega S_z^2 with
  omega = J/N) and it adds the constant omega S^2. The Bell value is unchanged by the sign
  (complex conjugation maps one evolution onto the other and the x-z Bell operator is real).
- The initial state of Fig. 3 as printed has trace 2; we normalise it.
- Eq. (15): the left-hand side must be rho_S(t) (not its time derivative) and the commutator
  term carries a factor t.
- "For h = 0 the steady states are clearly separable": the h = 0, low-temperature state is
  close to |D_{N/2}^N>, whose two-body concurrence is positive (entangled); what holds is that
  it does not violate Eq. (3).
"""

from bellflow.lmg.bell import (
    BellMinimum,
    bell_minimum,
    bell_operator_dicke,
    bell_operator_full,
    bell_operator_two_body,
    bell_value,
    observables,
    spin_squeezing,
    two_body_chsh,
    two_body_concurrence,
)
from bellflow.lmg.checks import checks_dataset, paper_checks
from bellflow.lmg.depends import depends_dataset, ground_state_maximality, symmetric_bell_optimum
from bellflow.lmg.dynamics import eq14_dynamics, eq15_mixture, evolve, measurement_dynamics
from bellflow.lmg.liouvillian import (
    dicke_liouvillian,
    measurement_liouvillian,
    nonthermal_jump,
    nonthermal_liouvillian,
    ohmic_rate,
    thermal_liouvillian,
)
from bellflow.lmg.model import (
    EnergyBasis,
    energy_basis,
    eq14_hamiltonian,
    eq14_initial_state,
    fit_gaussian_sigma2,
    gaussian_dicke_state,
    gibbs_state,
    lmg_hamiltonian,
    printed_eq11_norm,
    printed_fig3_initial_state,
)
from bellflow.lmg.scans import (
    count_intervals,
    eq14_trace,
    fig2_dataset,
    fig3_dataset,
    fig4_dataset,
    fig4_initial_state,
    measurement_traces,
    onset_times,
    open_time_trace,
    steady_observables,
    steady_state_scan,
)
from bellflow.lmg.seesaw import SeesawResult, i3322_coefficients, pauli_tensor, seesaw_qubits
from bellflow.lmg.steady import (
    SteadyState,
    SteadyStateError,
    nonthermal_steady_state,
    steady_state,
    steady_state_dicke,
    thermal_steady_state,
)
from bellflow.lmg.twobody import (
    chsh_numerical,
    explicit_route_deviation,
    horodecki_box,
    lp_visibility_closed_form,
    state_from_pauli,
    twobody_di_scan,
    twobody_summary,
)

__all__ = [
    "lmg_hamiltonian",
    "eq14_hamiltonian",
    "eq14_initial_state",
    "printed_fig3_initial_state",
    "bell_operator_two_body",
    "bell_operator_dicke",
    "bell_operator_full",
    "bell_value",
    "BellMinimum",
    "bell_minimum",
    "two_body_concurrence",
    "two_body_chsh",
    "spin_squeezing",
    "EnergyBasis",
    "energy_basis",
    "ohmic_rate",
    "thermal_liouvillian",
    "nonthermal_jump",
    "nonthermal_liouvillian",
    "dicke_liouvillian",
    "SteadyState",
    "SteadyStateError",
    "steady_state",
    "thermal_steady_state",
    "nonthermal_steady_state",
    "steady_state_dicke",
    "gibbs_state",
    "evolve",
    "eq14_dynamics",
    "measurement_liouvillian",
    "measurement_dynamics",
    "eq15_mixture",
    "gaussian_dicke_state",
    "printed_eq11_norm",
    "fit_gaussian_sigma2",
    "observables",
    "steady_observables",
    "steady_state_scan",
    "open_time_trace",
    "count_intervals",
    "onset_times",
    "eq14_trace",
    "measurement_traces",
    "fig2_dataset",
    "fig3_dataset",
    "fig4_dataset",
    "fig4_initial_state",
    "paper_checks",
    "checks_dataset",
    "depends_dataset",
    "ground_state_maximality",
    "symmetric_bell_optimum",
    "chsh_numerical",
    "twobody_summary",
    "twobody_di_scan",
    "horodecki_box",
    "lp_visibility_closed_form",
    "state_from_pauli",
    "explicit_route_deviation",
    "SeesawResult",
    "i3322_coefficients",
    "pauli_tensor",
    "seesaw_qubits",
]
