"""bellflow.io: the HDF5 contract (labelled axes, root attributes, atomic writes)."""

import json

import h5py
import numpy as np
import pytest
import xarray as xr

from bellflow import __version__
from bellflow.io import PAPERS, atomic_path, params_of, read_result, scalar, write_result
from bellflow.optim import OptResult


def _write(path, **kw):
    a = np.linspace(0, 1, 3)
    s = np.linspace(0.1, 1, 4)
    return write_result(
        path,
        {
            "E": (("a", "S"), np.outer(a, s), {"description": "a*S", "units": "ebit"}),
            "threshold": scalar(1 / 3, "entanglement threshold"),
            "status": (("a",), np.array(["optimal"] * 3), {"description": "solver status"}),
        },
        coords={"a": a, "S": s},
        topic="delivery",
        params={"n": 3, "grid": np.arange(2), "x": np.float64(0.5)},
        **kw,
    )


def test_labelled_axes_in_xarray(tmp_path):
    path = _write(tmp_path / "r.h5")
    with xr.open_dataset(path, engine="h5netcdf") as ds:
        assert ds["E"].dims == ("a", "S")
        np.testing.assert_allclose(ds["E"].sel(a=1.0).values, np.linspace(0.1, 1, 4))
        assert float(ds["threshold"]) == pytest.approx(1 / 3)
        assert ds["status"].values.tolist() == ["optimal"] * 3
    # The axes are real HDF5 dimension scales, not just names.
    with h5py.File(path) as f:
        assert f["E"].dims[0].keys() == ["a"]
        assert f["E"].dims[1].keys() == ["S"]


def test_root_attributes(tmp_path):
    res = OptResult(1.0, "optimal", "CLARABEL", 1.0, 1.0, 1e-10, {"tol_gap_abs": 1e-9})
    ds = read_result(_write(tmp_path / "r.h5", solver=res))
    assert ds.attrs["bellflow_version"] == __version__
    assert ds.attrs["paper"] == PAPERS["delivery"]
    assert params_of(ds) == {"n": 3, "grid": [0, 1], "x": 0.5}
    assert json.loads(ds.attrs["quantity"])["E"] == "a*S"
    assert ds.attrs["solver"] == "CLARABEL"
    assert ds.attrs["solver_status"] == "optimal"
    assert json.loads(ds.attrs["solver_tolerances"]) == {"tol_gap_abs": 1e-9}


def test_unknown_topic_rejected(tmp_path):
    with pytest.raises(ValueError, match="topic"):
        write_result(tmp_path / "r.h5", {}, topic="nope", params={})


def test_atomic_write_leaves_nothing_on_crash(tmp_path):
    final = tmp_path / "out.h5"
    with pytest.raises(RuntimeError):
        with atomic_path(final) as tmp:
            tmp.write_bytes(b"half written")
            raise RuntimeError("killed")
    assert not final.exists()
    assert list(tmp_path.iterdir()) == []


def test_atomic_write_replaces_only_on_success(tmp_path):
    final = tmp_path / "out.h5"
    _write(final)
    before = final.read_bytes()

    class Boom:
        def __array__(self, *a, **k):
            raise RuntimeError("crash while computing")

    with pytest.raises(RuntimeError):
        write_result(final, {"x": ((), Boom(), {})}, topic="delivery", params={})
    assert final.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["out.h5"]
