"""Compare two bellflow runs: their reproduction tables and, optionally, their HDF5 numbers.

    python benchmarks/compare_runs.py RUN_A RUN_B [--hdf5] [--rtol R] [--atol A]

RUN_A and RUN_B are directories holding ``results/`` (a repository copy after a run, or the
lead's baseline folder), or ``results`` folders themselves. The tables
(``summary/reproduction.csv``) must have the same rows (paper, quantity, where), the same
status, and computed values within each row's own tolerance (claims: equal). With ``--hdf5``
every ``*.h5`` file of one run must exist in the other with the same variables, shapes and
coordinates, and numbers equal within ``--rtol``/``--atol`` (default 0: identical numbers;
NaN equals NaN). Attributes (provenance, timings) are not compared.

Prints one line per difference and a summary line; exit status 1 if anything differs, 2 if a
run has no table.
"""

from __future__ import annotations

import argparse
import math
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import xarray as xr

KEY = ["paper", "quantity", "where"]


def results_dir(run: Path) -> Path:
    return run / "results" if (run / "results").is_dir() else run


def _float(x) -> float:
    try:
        return float(x)
    except (TypeError, ValueError):
        return math.nan


def _same_computed(a, b, tol: float) -> bool:
    fa, fb = _float(a), _float(b)
    if math.isnan(fa) or math.isnan(fb):
        return str(a) == str(b)  # claims ("True"/"False") and missing values
    return abs(fa - fb) <= tol


def compare_tables(a: pd.DataFrame, b: pd.DataFrame) -> list[str]:
    """Differences between two reproduction tables, one line each."""
    diffs = []
    ia, ib = a.set_index(KEY), b.set_index(KEY)
    for key in ia.index.difference(ib.index):
        diffs.append(f"row only in A: {' / '.join(map(str, key))}")
    for key in ib.index.difference(ia.index):
        diffs.append(f"row only in B: {' / '.join(map(str, key))}")
    for key in ia.index.intersection(ib.index):
        ra, rb = ia.loc[key], ib.loc[key]
        if isinstance(ra, pd.DataFrame) or isinstance(rb, pd.DataFrame):
            diffs.append(f"duplicate row: {' / '.join(map(str, key))}")
            continue
        name = " / ".join(map(str, key))
        if ra["status"] != rb["status"]:
            diffs.append(f"{name}: status {ra['status']} vs {rb['status']}")
        tol = max(_float(ra["tolerance"]), 0.0)
        if not _same_computed(ra["computed"], rb["computed"], tol):
            diffs.append(
                f"{name}: computed {ra['computed']} vs {rb['computed']} (tolerance {tol:g})"
            )
    return diffs


def compare_hdf5(a: Path, b: Path, rtol: float = 0.0, atol: float = 0.0) -> list[str]:
    """Differences between the HDF5 numbers of two results folders, one line each."""
    diffs = []
    fa = {p.relative_to(a) for p in a.rglob("*.h5")}
    fb = {p.relative_to(b) for p in b.rglob("*.h5")}
    diffs += [f"file only in A: {p}" for p in sorted(fa - fb)]
    diffs += [f"file only in B: {p}" for p in sorted(fb - fa)]
    for rel in sorted(fa & fb):
        with (
            xr.open_dataset(a / rel, engine="h5netcdf") as da,
            xr.open_dataset(b / rel, engine="h5netcdf") as db,
        ):
            names_a = set(da.variables)
            names_b = set(db.variables)
            if names_a != names_b:
                diffs.append(f"{rel}: variables differ: {sorted(names_a ^ names_b)}")
            for name in sorted(names_a & names_b):
                x, y = da[name].values, db[name].values
                if x.shape != y.shape:
                    diffs.append(f"{rel}:{name}: shape {x.shape} vs {y.shape}")
                elif x.dtype.kind in "fc":
                    if not np.allclose(x, y, rtol=rtol, atol=atol, equal_nan=True):
                        worst = np.nanmax(np.abs(x - y)) if x.size else 0.0
                        diffs.append(f"{rel}:{name}: numbers differ (max |A - B| = {worst:.3g})")
                elif not np.array_equal(x, y):
                    diffs.append(f"{rel}:{name}: values differ")
    return diffs


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("run_a", type=Path)
    ap.add_argument("run_b", type=Path)
    ap.add_argument("--hdf5", action="store_true", help="also compare every HDF5 file")
    ap.add_argument("--rtol", type=float, default=0.0, help="HDF5 relative tolerance (0)")
    ap.add_argument("--atol", type=float, default=0.0, help="HDF5 absolute tolerance (0)")
    args = ap.parse_args(argv)
    ra, rb = results_dir(args.run_a), results_dir(args.run_b)
    tables = [r / "summary" / "reproduction.csv" for r in (ra, rb)]
    for t in tables:
        if not t.is_file():
            print(f"no reproduction table: {t}", file=sys.stderr)
            return 2
    diffs = compare_tables(*(pd.read_csv(t) for t in tables))
    n_rows = len(pd.read_csv(tables[0]))
    if args.hdf5:
        diffs += compare_hdf5(ra, rb, rtol=args.rtol, atol=args.atol)
    for d in diffs:
        print(d)
    what = "table and HDF5 numbers" if args.hdf5 else "table"
    print(f"{len(diffs)} difference(s) in the {what} ({n_rows} rows in A)")
    return 1 if diffs else 0


if __name__ == "__main__":
    sys.exit(main())
