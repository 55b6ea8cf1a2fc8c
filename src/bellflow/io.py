"""HDF5 results per the DESIGN contract.

One file per computation job. Arrays over scan axes carry HDF5 dimension scales (written by
xarray's h5netcdf backend), so ``xarray.open_dataset(path, engine="h5netcdf")`` returns labelled
arrays. Root attributes: ``bellflow_version``, ``git_commit``, ``git_dirty`` (provenance: the
code that made the file), ``topic``, ``paper``, ``params`` (JSON of the exact parameters),
``quantity`` (JSON: variable -> description), and the solver name/status/tolerances when an
optimiser ran. Files are written atomically: to a temporary name in the same folder, then
renamed, so a crash never leaves a half-written file under the final name.
"""

from __future__ import annotations

import functools
import json
import os
import subprocess
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import xarray as xr

from bellflow import __version__
from bellflow.optim import OptResult

__all__ = [
    "write_result",
    "read_result",
    "params_of",
    "scalar",
    "atomic_path",
    "provenance",
    "PAPERS",
]

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

#: Value of ``git_commit`` / ``git_dirty`` when the code does not run from a git checkout.
UNKNOWN = "unknown"


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

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        if exc_type is None:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(self.tmp, 0o666 & ~umask)
            os.replace(self.tmp, self.path)
        else:
            self.tmp.unlink(missing_ok=True)


def _git(root: Path, *args: str) -> str | None:
    """Output of ``git -C root args`` (stripped), or None when git or the checkout is missing."""
    try:
        out = subprocess.run(
            ["git", "-C", str(root), *args],
            capture_output=True,
            text=True,
            timeout=30,
            check=True,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip()


@functools.cache
def provenance() -> dict[str, str]:
    """Which code is running: ``bellflow_version``, ``git_commit``, ``git_dirty``.

    The commit is that of the git checkout holding the imported ``bellflow`` package (an
    editable install, or ``src/`` on ``PYTHONPATH``) when git tracks it there; ``git_dirty``
    is ``"true"`` when tracked files differ from that commit (untracked files do not count, as
    for setuptools-scm). Outside a checkout (a wheel install) both are ``"unknown"`` and the
    version is the installed one. In a checkout the version is computed from git by
    setuptools-scm when it is importable, so it follows the commit even if the editable
    install is older. Computed once per process.

    >>> sorted(provenance())
    ['bellflow_version', 'git_commit', 'git_dirty']
    """
    src = Path(__file__).resolve().parent
    commit = _git(src, "rev-parse", "--verify", "HEAD")
    # a wheel installed into a venv that lies inside some checkout is not that checkout's code
    tracked = _git(src, "ls-files", "--error-unmatch", Path(__file__).name) is not None
    if not commit or not tracked:
        return {"bellflow_version": __version__, "git_commit": UNKNOWN, "git_dirty": UNKNOWN}
    status = _git(src, "status", "--porcelain", "--untracked-files=no")
    dirty = UNKNOWN if status is None else ("true" if status else "false")
    return {
        "bellflow_version": _version_from_git(src) or __version__,
        "git_commit": commit,
        "git_dirty": dirty,
    }


def _version_from_git(src: Path) -> str | None:
    """The setuptools-scm version of the checkout holding ``src``, computed with the settings
    of its ``pyproject.toml`` as at install time (None when unavailable)."""
    top = _git(src, "rev-parse", "--show-toplevel")
    if not top or not (Path(top) / "pyproject.toml").is_file():
        return None
    pyproject = Path(top) / "pyproject.toml"
    try:
        import tomllib

        from setuptools_scm import get_version  # type: ignore[import-not-found, unused-ignore]

        settings = tomllib.loads(pyproject.read_text())["tool"]["setuptools_scm"]
        return str(get_version(root=top, **settings))
    except Exception:  # noqa: BLE001 (any failure: fall back to the installed version)
        return None


def scalar(value: Any, description: str, **attrs: Any) -> tuple[tuple[()], Any, dict[str, Any]]:
    """A 0-d data variable for :func:`write_result` (a claim or a threshold)."""
    return ((), np.asarray(value), {"description": description, **attrs})


def write_result(
    path: str | os.PathLike[str],
    data: xr.Dataset | Mapping[str, tuple[Any, ...]],
    *,
    topic: str,
    params: Mapping[str, Any],
    solver: OptResult | Mapping[str, Any] | None = None,
    attrs: Mapping[str, Any] | None = None,
    coords: Mapping[Any, Any] | None = None,
) -> Path:
    """Write one job's result as HDF5 (netCDF4 flavour, via xarray + h5netcdf), atomically.

    Parameters
    ----------
    path
        Final file name (``results/<topic>/<name>.h5``).
    data
        An :class:`xarray.Dataset` (written as is: its variables' ``description``/``units``
        attrs and its coordinates are kept, its own attrs become root attributes), or the
        mapping ``name -> (dims, array, attrs)`` (attrs should hold a ``description``;
        ``units`` if any; use :func:`scalar` for 0-d values). Boolean variables are stored as
        int8 0/1 with ``flag_values``/``flag_meanings`` (netCDF has no boolean type).
    topic
        One of :data:`PAPERS`; the ``paper`` attribute is looked up from it.
    params
        The exact parameters of the job (stored as JSON in the ``params`` attribute).
    solver
        An :class:`~bellflow.optim.OptResult` (its ``attrs()``), or a mapping of root
        attributes (e.g. ``solver``, ``solver_status``, ``solver_tolerances``), when an
        optimiser ran.
    attrs
        Further root attributes (dicts and lists are stored as JSON).
    coords
        ``axis name -> 1-d array`` (or ``(dims, array, attrs)``): the scan axes. They become
        HDF5 dimension scales. With a Dataset, added to (or replacing) its coordinates.

    Returns
    -------
    Path
        ``path``.
    """
    if topic not in PAPERS:
        raise ValueError(f"topic must be one of {sorted(PAPERS)}, got {topic!r}")
    if isinstance(data, xr.Dataset):
        ds = _bools_as_flags(data.copy())
        if coords:
            ds = ds.assign_coords(dict(coords))
    elif isinstance(data, Mapping):
        ds = xr.Dataset(
            {k: _variable(tuple(v)) for k, v in data.items()},
            coords=dict(coords or {}),
        )
    else:
        raise TypeError(f"data must be an xarray.Dataset or a mapping, got {type(data).__name__}")
    # Every axis a dimension scale (the HDF5 contract): an axis without coordinates (e.g. the
    # quadrature nodes of a record of solves) gets its integer index.
    index = {d: np.arange(n) for d, n in ds.sizes.items() if d not in ds.coords}
    if index:
        ds = ds.assign_coords(index)
        for d in index:
            ds[d].attrs.setdefault("description", f"index along {d}")
    root: dict[str, Any] = dict(ds.attrs)
    root.update(provenance())
    root.update(
        {
            "topic": topic,
            "paper": PAPERS[topic],
            "params": json.dumps(dict(params), sort_keys=True, default=_json_default),
            "quantity": json.dumps(
                {str(k): ds[k].attrs.get("description", "") for k in ds.data_vars},
                sort_keys=True,
            ),
        }
    )
    if isinstance(solver, OptResult):
        root.update(solver.attrs())
    elif solver is not None:
        root.update(dict(solver))
    root.update(attrs or {})
    ds.attrs = {k: _attr_value(v) for k, v in root.items()}
    with atomic_path(path) as tmp:
        ds.to_netcdf(tmp, engine="h5netcdf", invalid_netcdf=True)
    return Path(path)


def _attr_value(value: Any) -> Any:
    """Dicts and lists as JSON (HDF5 attributes hold scalars, strings and flat arrays)."""
    if isinstance(value, dict | list):
        return json.dumps(value, default=_json_default)
    return value


def _flag_attrs(attrs: Mapping[str, Any]) -> dict[str, Any]:
    out = dict(attrs)
    out.setdefault("flag_values", np.array([0, 1], dtype=np.int8))
    out.setdefault("flag_meanings", "false true")
    return out


def _bools_as_flags(ds: xr.Dataset) -> xr.Dataset:
    """Boolean variables and coordinates of ``ds`` as int8 0/1 with flag attributes."""
    for name in list(ds.variables):
        var = ds[name].variable
        if var.dtype == bool:
            new = xr.Variable(var.dims, var.values.astype(np.int8), _flag_attrs(var.attrs))
            if name in ds.coords:
                ds = ds.assign_coords({name: new})
            else:
                ds[name] = new
    return ds


def _variable(spec: tuple[Any, ...]) -> tuple[Any, ...]:
    """``(dims, array[, attrs])`` -> xarray variable tuple; booleans are stored as int8 (0/1)
    with ``flag_meanings`` (netCDF has no boolean type)."""
    dims, values = spec[0], np.asarray(spec[1])
    attrs = dict(spec[2]) if len(spec) > 2 else {}
    if values.dtype == bool:
        values = values.astype(np.int8)
        attrs = _flag_attrs(attrs)
    return (dims, values, attrs)


def read_result(path: str | os.PathLike[str]) -> xr.Dataset:
    """Load a result file fully into memory (the file is closed on return)."""
    with xr.open_dataset(path, engine="h5netcdf") as ds:
        return ds.load()


def params_of(ds: xr.Dataset) -> dict[str, Any]:
    """The ``params`` attribute of a result, decoded."""
    return dict(json.loads(ds.attrs["params"]))
