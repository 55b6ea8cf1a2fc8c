"""HDF5 results per the DESIGN contract.

One file per computation job. Arrays over scan axes carry HDF5 dimension scales (written by
xarray's h5netcdf backend), so ``xarray.open_dataset(path, engine="h5netcdf")`` returns labelled
arrays. Root attributes: ``bellflow_version``, ``paper``, ``params`` (JSON of the exact
parameters), ``quantity`` descriptions, and the solver name/status/tolerances when an optimiser
ran. Files are written atomically: to a temporary name in the same folder, then renamed, so a
crash never leaves a half-written file under the final name.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import xarray as xr

from bellflow import __version__
from bellflow.optim import OptResult

__all__ = ["write_result", "read_result", "scalar", "atomic_path", "PAPERS"]

#: Paper identifiers recorded in the ``paper`` attribute (arXiv id or DOI).
PAPERS: dict[str, str] = {
    "interconversion": "Ghosh et al., PRL 132, 250205 (2024), doi:10.1103/PhysRevLett.132.250205",
    "causal": "Liu and Chiribella, Tsirelson bounds for quantum correlations with indefinite "
    "causal order (2025)",
    "diqkd": "Farkas, PRL 132, 210803 (2024), doi:10.1103/PhysRevLett.132.210803",
    "lmg": "Marconi, Riera-Campeny, Sanpera, Aloy, Robustness of non-locality in many-body "
    "open quantum systems (2022)",
    "delivery": "Entanglement distribution by an inept delivery service",
}


def _json_default(obj: Any) -> Any:
    if isinstance(obj, np.generic):
        return obj.item()
    if isinstance(obj, np.ndarray):
        return obj.tolist()
    if isinstance(obj, Path):
        return str(obj)
    raise TypeError(f"cannot serialise {type(obj).__name__} to JSON")


class atomic_path:
    """Context manager yielding a temporary path beside ``path``; renamed onto it on success.

    On an exception the temporary file is removed and nothing appears under ``path``.

    Example::

        with atomic_path("out.h5") as tmp:
            write_something(tmp)
    """

    def __init__(self, path: str | os.PathLike[str]):
        self.path = Path(path)

    def __enter__(self) -> Path:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(
            prefix=f".{self.path.name}.", suffix=".tmp", dir=self.path.parent
        )
        os.close(fd)
        self.tmp = Path(tmp)
        return self.tmp

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is None:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(self.tmp, 0o666 & ~umask)
            os.replace(self.tmp, self.path)
        else:
            self.tmp.unlink(missing_ok=True)


def scalar(value: Any, description: str, **attrs: Any) -> tuple[tuple, Any, dict]:
    """A 0-d data variable for :func:`write_result` (a claim or a threshold)."""
    return ((), np.asarray(value), {"description": description, **attrs})


def write_result(
    path: str | os.PathLike[str],
    data_vars: Mapping[str, tuple],
    *,
    coords: Mapping[str, Any] | None = None,
    topic: str,
    params: Mapping[str, Any],
    solver: OptResult | Mapping[str, Any] | None = None,
    attrs: Mapping[str, Any] | None = None,
) -> Path:
    """Write one job's result as HDF5 (netCDF4 flavour, via xarray + h5netcdf), atomically.

    Parameters
    ----------
    path:
        Final file name (``results/<topic>/<name>.h5``).
    data_vars:
        ``name -> (dims, array, attrs)`` (attrs should hold a ``description``; ``units`` if any).
        Use :func:`scalar` for 0-d values.
    coords:
        ``axis name -> 1-d array`` (or ``(dims, array, attrs)``): the scan axes. They become
        HDF5 dimension scales.
    topic:
        One of :data:`PAPERS`; the ``paper`` attribute is looked up from it.
    params:
        The exact parameters of the job (stored as JSON in the ``params`` attribute).
    solver:
        An :class:`~bellflow.optim.OptResult` (or a mapping with ``solver``,
        ``solver_status``, ``solver_tolerances``) when an optimiser ran.
    attrs:
        Further root attributes.
    """
    if topic not in PAPERS:
        raise ValueError(f"topic must be one of {sorted(PAPERS)}, got {topic!r}")
    ds = xr.Dataset(
        {k: _variable(v) for k, v in data_vars.items()},
        coords=dict(coords or {}),
    )
    root: dict[str, Any] = {
        "bellflow_version": __version__,
        "topic": topic,
        "paper": PAPERS[topic],
        "params": json.dumps(dict(params), sort_keys=True, default=_json_default),
        "quantity": json.dumps(
            {k: ds[k].attrs.get("description", "") for k in ds.data_vars}, sort_keys=True
        ),
    }
    if solver is not None:
        root.update(solver.attrs() if isinstance(solver, OptResult) else dict(solver))
    for k, v in (attrs or {}).items():
        root[k] = json.dumps(v, default=_json_default) if isinstance(v, dict | list) else v
    ds.attrs.update(root)
    with atomic_path(path) as tmp:
        ds.to_netcdf(tmp, engine="h5netcdf", invalid_netcdf=True)
    return Path(path)


def _variable(spec: tuple) -> tuple:
    """``(dims, array[, attrs])`` -> xarray variable tuple; booleans are stored as int8 (0/1)
    with ``flag_meanings`` (netCDF has no boolean type)."""
    dims, values = spec[0], np.asarray(spec[1])
    attrs = dict(spec[2]) if len(spec) > 2 else {}
    if values.dtype == bool:
        values = values.astype(np.int8)
        attrs.setdefault("flag_values", np.array([0, 1], dtype=np.int8))
        attrs.setdefault("flag_meanings", "false true")
    return (dims, values, attrs)


def read_result(path: str | os.PathLike[str]) -> xr.Dataset:
    """Load a result file fully into memory (the file is closed on return)."""
    with xr.open_dataset(path, engine="h5netcdf") as ds:
        return ds.load()


def params_of(ds: xr.Dataset) -> dict[str, Any]:
    """The ``params`` attribute of a result, decoded."""
    return json.loads(ds.attrs["params"])
