"""bellflow.io: the HDF5 contract (labelled axes, root attributes, atomic writes)."""

import json
import subprocess
from pathlib import Path

import h5py
import numpy as np
import pytest
import xarray as xr

from bellflow import __version__
from bellflow.io import (
    PAPERS,
    atomic_path,
    params_of,
    provenance,
    read_result,
    scalar,
    write_result,
)
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
    assert ds.attrs["bellflow_version"] == provenance()["bellflow_version"]
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


def _dataset():
    a = np.linspace(0, 1, 3)
    return xr.Dataset(
        {
            "E": (("a",), 2 * a, {"description": "twice a", "units": "ebit"}),
            "ok": (("a",), a > 0.2, {"description": "a > 0.2"}),
            "claim": ((), 0.5, {"description": "a claim"}),
        },
        coords={"a": ("a", a, {"description": "the scan axis"})},
        attrs={"method": "closed form", "extra": {"k": 1}},
    )


def test_dataset_written_as_is(tmp_path):
    ds_in = _dataset()
    path = write_result(tmp_path / "d.h5", ds_in, topic="lmg", params={"n": 2})
    ds = read_result(path)
    np.testing.assert_array_equal(ds["E"].values, ds_in["E"].values)
    assert ds["E"].attrs["units"] == "ebit"
    assert ds["E"].attrs["description"] == "twice a"
    assert ds["a"].attrs["description"] == "the scan axis"
    # booleans as int8 flags, as for the mapping form
    assert ds["ok"].dtype == np.int8
    assert ds["ok"].values.tolist() == [0, 1, 1]
    assert ds["ok"].attrs["flag_meanings"] == "false true"
    # the Dataset's attrs become root attributes (dicts as JSON); the input is not modified
    assert ds.attrs["method"] == "closed form"
    assert json.loads(ds.attrs["extra"]) == {"k": 1}
    assert json.loads(ds.attrs["quantity"]) == {
        "E": "twice a",
        "ok": "a > 0.2",
        "claim": "a claim",
    }
    assert ds_in["ok"].dtype == bool
    assert "topic" not in ds_in.attrs
    with h5py.File(path) as f:
        assert f["E"].dims[0].keys() == ["a"]


def test_dataset_with_solver_mapping_and_coords(tmp_path):
    ds_in = _dataset().drop_vars("a")
    path = write_result(
        tmp_path / "d.h5",
        ds_in,
        topic="lmg",
        params={},
        solver={"solver": "SCS", "solver_status": "optimal"},
        coords={"a": [0.0, 0.25, 1.0]},
        attrs={"note": "x"},
    )
    ds = read_result(path)
    assert ds["a"].values.tolist() == [0.0, 0.25, 1.0]
    assert ds.attrs["solver"] == "SCS"
    assert ds.attrs["note"] == "x"


def test_bad_data_rejected(tmp_path):
    with pytest.raises(TypeError, match="data"):
        write_result(tmp_path / "r.h5", [1, 2], topic="lmg", params={})
    assert list(tmp_path.iterdir()) == []


def _git(*args):
    root = Path(__file__).resolve().parents[1]
    return subprocess.run(
        ["git", "-C", str(root), *args], capture_output=True, text=True, check=True
    ).stdout.strip()


def test_provenance_recorded(tmp_path):
    provenance.cache_clear()  # computed now, not when an earlier test wrote a file
    ds = read_result(_write(tmp_path / "r.h5"))
    # computed independently: git itself, in the checkout holding these tests
    assert ds.attrs["git_commit"] == _git("rev-parse", "HEAD")
    dirty = _git("status", "--porcelain", "--untracked-files=no") != ""
    # the tree may change while the tests run (shared tree): only the form is certain
    assert ds.attrs["git_dirty"] in ("true", "false")
    if not dirty:
        assert ds.attrs["git_dirty"] == "false"
    assert ds.attrs["bellflow_version"]


def test_provenance_outside_git(monkeypatch):
    import bellflow.io as bio

    monkeypatch.setattr(bio, "_git", lambda *a: None)
    bio.provenance.cache_clear()
    try:
        assert bio.provenance() == {
            "bellflow_version": __version__,
            "git_commit": "unknown",
            "git_dirty": "unknown",
        }
    finally:
        bio.provenance.cache_clear()


def test_provenance_of_an_untracked_install(monkeypatch):
    """A wheel installed in a venv inside some checkout: git answers for the checkout, but the
    package is not tracked there, so the commit is not claimed."""
    import bellflow.io as bio

    def fake_git(root, *args):
        return None if args[0] == "ls-files" else "0" * 40

    monkeypatch.setattr(bio, "_git", fake_git)
    bio.provenance.cache_clear()
    try:
        assert bio.provenance()["git_commit"] == "unknown"
    finally:
        bio.provenance.cache_clear()


def test_axis_without_coordinates_gets_its_index(tmp_path):
    # HDF5 contract: every axis a dimension scale, also for e.g. the nodes of a solve record
    ds = xr.Dataset({"x": (("v", "node"), np.ones((2, 3)), {"description": "x"})},
                    coords={"v": [0.5, 1.0]})
    path = write_result(tmp_path / "r.h5", ds, topic="diqkd", params={})
    back = read_result(path)
    assert back["node"].values.tolist() == [0, 1, 2]
    assert back["v"].values.tolist() == [0.5, 1.0]
    with h5py.File(path) as f:
        assert f["node"].attrs.get("CLASS") == b"DIMENSION_SCALE"
