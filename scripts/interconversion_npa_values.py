"""Rule interconversion_npa_values: NPA bounds (CHSH, Hardy), P_T and P_H from Eq. (3)."""

import json

import numpy as np

from bellflow import interconversion
from bellflow.io import scalar, write_result
from bellflow.logs import to_file


def main(levels: list[str], solver: str, out: str) -> None:
    checks = interconversion.npa_checks(tuple(levels), solver=solver)
    tols = checks.pop("solver_tolerances")
    data = {
        k: scalar(np.asarray(v), f"interconversion.npa_checks()['{k}']") for k, v in checks.items()
    }
    write_result(
        out,
        data,
        topic="interconversion",
        params={"levels": list(levels), "solver": solver},
        solver={
            "solver": solver,
            "solver_status": "optimal",
            "solver_tolerances": json.dumps(tols, sort_keys=True),
        },
    )


if "snakemake" in globals():
    to_file(snakemake.log[0])
    main(**dict(snakemake.params), out=snakemake.output.h5)
