"""Rule causal_scan_chunk: one chunk of a paper 001 scan (biased OCB, biased LGYNI or the
Fig. 1 directions), with the solver's primal/dual objectives and gap per point."""

import numpy as np

from bellflow import causal
from bellflow.io import write_result
from bellflow.logs import to_file
from bellflow.optim import checked_solves_attrs

AXES = {"biased_ocb": "alpha", "biased_lgyni": "alpha", "fig1": "theta"}
DESCRIPTIONS = {
    "ico": "ICO upper bound (SDP)",
    "ico_primal": "SDP primal objective (max over process matrices)",
    "ico_dual": "SDP dual objective (min over no-signalling certificates)",
    "ico_gap": "solver duality gap",
    "ico_attempts": "Clarabel strategies tried (1: defaults; see causal._CLARABEL_RETRIES)",
    "solver_status": "solver status per point (every SDP is checked: non-optimal raises)",
    "process": "value of the explicit process S_OCB,alpha (Eq. 41), a lower bound",
    "causal": "causal bound (best deterministic causal strategy)",
    "causal_lp": "causal bound by LP over the causal polytope",
    "algebraic": "algebraic maximum",
    "excess": "ICO bound minus causal bound",
}


def main(scan: str, values: list[float], method: str, out: str) -> None:
    if scan == "biased_ocb":
        res = causal.biased_ocb_scan(values)
    elif scan == "biased_lgyni":
        res = causal.biased_lgyni_scan(values)
    else:
        res = causal.ocb_plane_support(values, method=method)
    res["solver_status"] = np.array(["optimal"] * len(values))
    axis = AXES[scan]
    data = {k: ((axis,), v, {"description": DESCRIPTIONS[k]}) for k, v in res.items()}
    params = {"scan": scan, "values": list(values), "method": method}
    solver = checked_solves_attrs("CLARABEL")
    write_result(out, data, coords={axis: values}, topic="causal", params=params, solver=solver)


if "snakemake" in globals():
    to_file(snakemake.log[0])
    main(**dict(snakemake.params), out=snakemake.output.h5)
