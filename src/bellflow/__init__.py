"""bellflow: quantum nonlocality physics, recomputed from first principles.

The library is plain functions over numpy arrays, one module ("room") per topic:

- :mod:`bellflow.states`          two-qubit state tools (concurrence, E_F, Horodecki CHSH, ...)
- :mod:`bellflow.boxes`           bipartite correlations ``p[a, b, x, y]``, local polytope
- :mod:`bellflow.npa`             NPA hierarchy (quantum set relaxations)
- :mod:`bellflow.interconversion` paper 000: Tsirelson vs Hardy boxes, isotropic boxes
- :mod:`bellflow.causal`          paper 001: causal inequalities, ICO SDP bounds
- :mod:`bellflow.diqkd`           paper 002: d-outcome Bell family, DIQKD key rates
- :mod:`bellflow.lmg`             paper 003: open Lipkin-Meshkov-Glick model
- :mod:`bellflow.delivery`        paper 004: entanglement distribution by an inept delivery
- :mod:`bellflow.io`              HDF5 results per the DESIGN contract
- :mod:`bellflow.optim`           checked solves: a non-optimal status raises
"""

__version__ = "0.1.0"
