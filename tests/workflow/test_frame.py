"""The workflow frame: config validation, complete outputs, HDF5 contract, incremental runs."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
import xarray as xr
import yaml

from bellflow.grids import leaf_keys

from .conftest import merged_config, planned_jobs, snakemake

pytestmark = pytest.mark.workflow


def _bad_configs():
    """(name, mutate(config), key the error must name)."""

    def set_(path, value):
        def mutate(cfg):
            d = cfg
            for k in path[:-1]:
                d = d[k]
            d[path[-1]] = value

        return mutate

    return [
        ("wrong type", set_(["delivery", "fig2", "a", "points"], "many"), "delivery.fig2.a.points"),
        ("out of range", set_(["delivery", "fig2", "S", "points"], 0), "delivery.fig2.S.points"),
        ("unknown key", set_(["delivery", "colour"], "red"), "delivery.colour"),
        ("unknown section", set_(["delivry"], {}), "delivry"),
        ("NaN", set_(["causal", "thresholds", "gap_tol"], float("nan")), "gap_tol: nan"),
        ("min > max", set_(["delivery", "fig2", "a", "min"], 2.0), "delivery.fig2.a.min"),
        ("descending grid", set_(["delivery", "fig3", "S"], [1.0, 0.5]), "delivery.fig3.S"),
        ("empty list", set_(["lmg", "fig4", "kappas"], []), "lmg.fig4.kappas"),
    ]


@pytest.mark.parametrize("name,mutate,key", _bad_configs(), ids=[c[0] for c in _bad_configs()])
def test_invalid_config_rejected_before_any_job(repo_copy, name, mutate, key):
    cfg = merged_config(repo_copy)
    mutate(cfg)
    (repo_copy / "config/bad.yaml").write_text(yaml.safe_dump(cfg))
    # --configfile replaces config/config.yaml's values key by key; the schema sees the merge.
    proc = snakemake(repo_copy, "--configfile", "config/bad.yaml", check=False)
    out = proc.stdout + proc.stderr
    assert proc.returncode != 0
    assert "Error validating config" in out
    assert key in out, out[-2000:]
    assert "Traceback" not in out, out[-3000:]
    assert not (repo_copy / "results").exists(), "a job ran despite the invalid config"


def test_yaml_syntax_error_names_file_and_line(repo_copy):
    cfg = repo_copy / "config/config.yaml"
    lines = cfg.read_text().splitlines()
    lines.insert(3, "oops: a: b")
    cfg.write_text("\n".join(lines) + "\n")
    proc = snakemake(repo_copy, "--dry-run", check=False)
    out = proc.stdout + proc.stderr
    assert proc.returncode != 0
    assert "config/config.yaml:4:" in out and "YAML syntax error" in out, out[-2000:]
    assert "Traceback" not in out, out[-3000:]


def test_run_prints_config_files_and_overridden_keys(repo_copy):
    proc = snakemake(repo_copy, "--dry-run")
    err = proc.stderr
    assert "bellflow config: config/config.yaml" in err
    n = len(leaf_keys(yaml.safe_load((repo_copy / "config/quick.yaml").read_text())))
    assert f"overlaid by config/quick.yaml: {n} key(s)" in err
    assert err.count("bellflow config:") == 1


def test_all_targets_exist(quick_run):
    assert planned_jobs(quick_run) == {}, "a second run would have work to do"
    assert (quick_run / "results/summary/reproduction.csv").exists()
    figures = list((quick_run / "results/figures").rglob("*.png"))
    assert figures and all(p.with_suffix(".pdf").exists() for p in figures)


def test_no_temporary_files_left(quick_run):
    leftovers = [p for p in (quick_run / "results").rglob("*") if p.name.endswith(".tmp")]
    assert leftovers == []


def test_hdf5_contract(quick_run):
    files = sorted((quick_run / "results").rglob("*.h5"))
    assert files
    for f in files:
        with xr.open_dataset(f, engine="h5netcdf") as ds:
            for attr in ("bellflow_version", "paper", "params", "quantity", "topic"):
                assert attr in ds.attrs, f"{f}: no root attribute {attr}"
            json.loads(ds.attrs["params"])
            assert ds.attrs["topic"] in str(f.relative_to(quick_run / "results"))
            for name, da in ds.data_vars.items():
                for dim in da.dims:
                    assert dim in ds.coords, f"{f}:{name}: axis {dim} has no coordinate"
            if "solver" in ds.attrs:
                statuses = set(ds.attrs["solver_status"].split(","))
                assert statuses <= {"optimal", "optimal_inaccurate"}, f"{f}: {statuses}"
                json.loads(ds.attrs.get("solver_tolerances", "{}"))
                if "optimal_inaccurate" in statuses:
                    # accepted only where the file says how the bound was made valid
                    assert "bound_certification" in ds.attrs, f"{f}: inaccurate, uncertified"


def test_reproduction_table_has_no_fail_row(quick_run):
    table = pd.read_csv(quick_run / "results/summary/reproduction.csv")
    assert len(table) > 0
    assert set(table["status"]) <= {"pass", "typo", "depends"}, table[
        table["status"] == "fail"
    ].to_string()
    assert {"route", "check"} <= set(table.columns)
    md = (quick_run / "results/summary/reproduction.md").read_text()
    assert "0 fail" in md


def test_every_topic_has_paper_values(quick_run):
    rows = Path(quick_run / "workflow/resources/paper_values")
    table = pd.read_csv(quick_run / "results/summary/reproduction.csv")
    for f in rows.glob("*.yaml"):
        assert f.stem in set(table["paper"]), f"no rows of {f.name} in the table"
