"""Paper 000: multicopy interconvertibility of quantum nonlocal correlations.

Ghosh, Roy Chowdhury, Kar, Roy, Guha, Banik, "Quantum nonlocality: multicopy resource
interconvertibility and their asymptotic inequivalence", PRL 132, 250205 (2024).

All in the 222 scenario, boxes ``p[a, b, x, y]`` as in :mod:`bellflow.boxes`, outcome ``0`` =
eigenvalue ``+1``, two-qubit kets in ``kron`` order ``|A B>``. Modules:

- :mod:`~bellflow.interconversion.realisations`: ``P_T`` (Eq. 3a), ``P_H`` (Eq. 3b, with the
  corrected state parameter), Hardy's conditions, the states of Propositions 1 and 2;
- :mod:`~bellflow.interconversion.hardy_schmidt`: maximal Hardy success against the Schmidt
  coefficient (closed form, derived in its docstring, and a numerical maximisation);
- :mod:`~bellflow.interconversion.seesaw`: Proposition 1 (see-saw on ``|phi_2^+>^{(x) n}``);
- :mod:`~bellflow.interconversion.spectra`: Proposition 2 (Eq. 7 spectra);
- :mod:`~bellflow.interconversion.thresholds`: isotropic thresholds, Corollary 1 / Theorem 3;
- :mod:`~bellflow.interconversion.geometry`: the Fig. 1 slice;
- :mod:`~bellflow.interconversion.polytope`: the NS polytope's vertices from its definition,
  the relabelling group, Lemma 1;
- :mod:`~bellflow.interconversion.selftest`: extremality of ``P_T``, ``P_H`` and the
  self-test of ``|phi_2^+>`` by ``P_T``;
- :mod:`~bellflow.interconversion.checks`: the paper checks, one function per section;
- :mod:`~bellflow.interconversion.files`: the workflow's result files built from them.

The public names of the submodules are re-exported here (``from bellflow import
interconversion; interconversion.hardy_box()``).
"""

from bellflow.interconversion import checks, files, geometry, polytope, selftest
from bellflow.interconversion.geometry import (
    Fig1Slice,
    fig1_slice,
    ns_radius,
    slice_basis,
    slice_coordinates,
)
from bellflow.interconversion.hardy_schmidt import (
    hardy_schmidt_chunk,
    hardy_schmidt_curve,
    hardy_success_schmidt,
    hardy_success_schmidt_numeric,
)
from bellflow.interconversion.realisations import (
    hardy_box,
    hardy_box_chsh_aligned,
    hardy_conditions,
    hardy_objective,
    hardy_realisation,
    hardy_state_parameter,
    hardy_state_parameter_printed,
    hardy_success_npa,
    hardy_success_of_parameter,
    hardy_zero_conditions,
    pauli,
    phi_plus,
    schmidt_coefficients,
    schmidt_state,
    tsirelson_box,
    tsirelson_realisation,
)
from bellflow.interconversion.seesaw import hardy_seesaw, prop1_copies
from bellflow.interconversion.spectra import (
    evenly_degenerate,
    power_spectrum,
    power_spectrum_dense,
    prop2_spectra,
)
from bellflow.interconversion.thresholds import (
    BisectionResult,
    isotropic_nondistillable_range,
    isotropic_threshold,
    segment_isotropic_crossing,
)

__all__ = [
    "checks",
    "geometry",
    "files",
    "polytope",
    "selftest",
    "pauli",
    "tsirelson_realisation",
    "tsirelson_box",
    "hardy_success_of_parameter",
    "hardy_state_parameter",
    "hardy_state_parameter_printed",
    "hardy_realisation",
    "hardy_box",
    "hardy_box_chsh_aligned",
    "hardy_objective",
    "hardy_zero_conditions",
    "hardy_conditions",
    "hardy_success_npa",
    "hardy_success_schmidt",
    "hardy_success_schmidt_numeric",
    "hardy_schmidt_chunk",
    "hardy_schmidt_curve",
    "hardy_seesaw",
    "prop1_copies",
    "schmidt_state",
    "phi_plus",
    "schmidt_coefficients",
    "power_spectrum",
    "power_spectrum_dense",
    "evenly_degenerate",
    "prop2_spectra",
    "BisectionResult",
    "isotropic_threshold",
    "isotropic_nondistillable_range",
    "segment_isotropic_crossing",
    "Fig1Slice",
    "fig1_slice",
    "slice_basis",
    "slice_coordinates",
    "ns_radius",
]
