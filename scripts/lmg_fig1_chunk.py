"""Rule lmg_fig1_chunk: steady-state Bell minimum, concurrence and xi^2 on one chunk of a
Fig. 1 parameter map (paper 003), with the steady-state solver checks."""

from bellflow import lmg
from bellflow.io import write_result
from bellflow.logs import to_file

DESCRIPTIONS = {
    "bell": "min over (phi, theta) of Tr[B_2 rho_2], Eq. (3), steady state",
    "concurrence": "two-body concurrence C(rho_2), Eq. (12)",
    "xi2": "spin-squeezing parameter xi^2, Eq. (13)",
    "residual": "steady-state residual ||L vec rho|| / max|L|",
    "trace_error": "|Tr rho - 1| of the steady state",
    "min_eigenvalue": "smallest eigenvalue of the steady state",
}


def main(kind, n, axis1, values1, axis2, values2, fixed, out) -> None:
    res = lmg.steady_state_scan(kind, n, {axis1: values1, axis2: values2}, dict(fixed))
    data = {k: ((axis1, axis2), res[k], {"description": d}) for k, d in DESCRIPTIONS.items()}
    params = dict(kind=kind, n=n, axis1=axis1, values1=values1, axis2=axis2, values2=values2)
    params.update(fixed)
    write_result(out, data, coords={axis1: values1, axis2: values2}, topic="lmg", params=params)


if "snakemake" in globals():
    to_file(snakemake.log[0])
    main(**dict(snakemake.params), out=snakemake.output.h5)
