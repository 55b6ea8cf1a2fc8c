"""Rule diqkd_npa: NPA upper bounds on Eq. (10) vs the quantum value d - 1."""

import json

import numpy as np

from bellflow import diqkd
from bellflow.io import scalar, write_result
from bellflow.logs import to_file


def main(points: list[dict], level: str, out: str) -> None:
    rows = [diqkd.npa_check(int(pt["d"]), float(pt["eps"]), level=level) for pt in points]
    dims = ("point",)
    data = {
        "d": (dims, np.array([pt["d"] for pt in points]), {"description": "dimension d"}),
        "eps": (dims, np.array([pt["eps"] for pt in points]), {"description": "epsilon"}),
        "npa": (dims, np.array([r["npa"] for r in rows]), {"description": "NPA upper bound"}),
        "npa_dual": (dims, np.array([r["npa_dual"] for r in rows]), {"description": "dual"}),
        "quantum": (dims, np.array([r["quantum"] for r in rows]), {"description": "d - 1"}),
        "tol": (dims, np.array([r["tol"] for r in rows]), {"description": "solver tolerance"}),
        "status": (dims, np.array([r["status"] for r in rows]), {"description": "status"}),
    }
    data["npa_all_passed"] = scalar(
        bool(all(r["passed"] for r in rows)), "NPA bound = d - 1 within 10 x solver tolerance"
    )
    data["npa_max_abs_dev"] = scalar(
        max(abs(r["npa"] - r["quantum"]) for r in rows), "max |NPA - (d - 1)|"
    )
    solver = {
        "solver": "CLARABEL",
        "solver_status": ",".join(sorted({r["status"] for r in rows})),
        "solver_tolerances": json.dumps(sorted({r["tol"] for r in rows})),
    }
    write_result(
        out,
        data,
        coords={"point": np.arange(len(points))},
        topic="diqkd",
        params={"points": points, "level": level},
        solver=solver,
    )


if "snakemake" in globals():
    to_file(snakemake.log[0])
    main(**dict(snakemake.params), out=snakemake.output.h5)
