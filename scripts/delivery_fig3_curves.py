"""Rule delivery_fig3_curves: the curves (a)-(d) of Fig. 3 over S."""

import numpy as np

from bellflow import delivery
from bellflow.io import scalar, write_result
from bellflow.logs import to_file

DESCRIPTIONS = {
    "a_max_eof": "(a) maximum over a of E_F (closed form)",
    "a_max_eof_numeric": "(a) maximum over a of E_F (numerical maximisation)",
    "a_star": "maximiser a*(S) of E_F, branch a <= 1/sqrt(2)",
    "b_eq42": "(b) small-S approximation, Eq. (4.2)",
    "c_fixed_a": "(c) E_F for a = a_c",
    "d_fixed_a": "(d) E_F for a = a_d",
}


def main(S_points: int, a_c: float, a_d: float, out: str) -> None:
    S = np.linspace(0.0, 1.0, S_points)
    curves = delivery.fig3_curves(S, a_c=a_c, a_d=a_d)
    data = {k: (("S",), curves[k], {"description": d}) for k, d in DESCRIPTIONS.items()}
    data["a_c"] = scalar(a_c, "a of curve (c)")
    data["a_d"] = scalar(a_d, "a of curve (d)")
    write_result(
        out,
        data,
        coords={"S": S},
        topic="delivery",
        params={"S_points": S_points, "a_c": a_c, "a_d": a_d},
    )


if "snakemake" in globals():
    to_file(snakemake.log[0])
    main(**dict(snakemake.params), out=snakemake.output.h5)
