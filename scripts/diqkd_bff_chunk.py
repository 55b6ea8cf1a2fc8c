"""Rule diqkd_bff_chunk: BFF key rates for a chunk of visibilities (family and CHSH)."""

import json

import numpy as np

from bellflow import diqkd
from bellflow.io import write_result
from bellflow.logs import to_file
from bellflow.optim import DEFAULT_SDP_TOL

#: Why an ``optimal_inaccurate`` status is acceptable here (recorded in the file).
CERTIFICATION = (
    "Clarabel ends these BFF SDPs 'almost solved' (optimal_inaccurate); *_H_AE are not solver "
    "values but the objective of the solver's dual point corrected for its residuals (each "
    "residual charged with a norm bound of its word): valid lower bounds. *_H_AE_solver are the "
    "raw solver values, for comparison only (bellflow.entropy)."
)


def main(visibilities: list[float], d: int, eps: float, m: int, m_chsh: int, out: str) -> None:
    v = np.asarray(visibilities, dtype=float)
    res = diqkd.bff_rates(v, d=d, eps=eps, m=m, m_chsh=m_chsh)
    statuses = res.pop("statuses")
    data = {k: (("v",), val, {"description": f"BFF: {k} (bits)"}) for k, val in res.items()}
    params = {"visibilities": list(v), "d": d, "eps": eps, "m": m, "m_chsh": m_chsh}
    solver = {
        "solver": "CLARABEL",
        "solver_status": ",".join(sorted(set(statuses))),
        "solver_tolerances": json.dumps(DEFAULT_SDP_TOL, sort_keys=True),
        "bound_certification": CERTIFICATION,
    }
    write_result(out, data, coords={"v": v}, topic="diqkd", params=params, solver=solver)


if "snakemake" in globals():
    to_file(snakemake.log[0])
    main(**dict(snakemake.params), out=snakemake.output.h5)
