"""bellflow: quantum nonlocality physics, recomputed from first principles.

The library is plain functions over numpy arrays, one module or subpackage ("room") per topic:

- :mod:`bellflow.states`          two-qubit state tools and the basic linear algebra
                                   (Pauli matrices, partial trace, ket to density matrix)
- :mod:`bellflow.boxes`           bipartite correlations ``p[a, b, x, y]``, local polytope
- :mod:`bellflow.npa`             NPA hierarchy (quantum set relaxations)
- :mod:`bellflow.interconversion` paper 000: Tsirelson vs Hardy boxes, isotropic boxes
- :mod:`bellflow.causal`          paper 001: causal inequalities, ICO SDP bounds
- :mod:`bellflow.diqkd`           paper 002: d-outcome Bell family, DIQKD key rates
- :mod:`bellflow.lmg`             paper 003: open Lipkin-Meshkov-Glick model
- :mod:`bellflow.delivery`        paper 004: entanglement distribution by an inept delivery
- :mod:`bellflow.io`              HDF5 results per the DESIGN contract, with provenance
- :mod:`bellflow.optim`           checked solves: a non-optimal status raises
- :mod:`bellflow.logs`            rule scripts log to their log file
- :mod:`bellflow.cli`             the ``bellflow`` command

``__version__`` is the installed version (from git tags by setuptools-scm at install time);
:func:`bellflow.io.provenance` gives the version, commit and dirty flag of the running code.
"""

from typing import Any


def __getattr__(name: str) -> Any:
    """``__version__``, looked up on first use (importlib.metadata costs ~0.06 s at import,
    paid by every Snakemake invocation that imports bellflow, a no-op re-run included)."""
    if name != "__version__":
        raise AttributeError(f"module 'bellflow' has no attribute {name!r}")
    from importlib.metadata import PackageNotFoundError, version

    try:
        found = version("bellflow")
    except PackageNotFoundError:  # pragma: no cover (imported from a source tree)
        found = "0.1.0"
    globals()["__version__"] = found
    return found
