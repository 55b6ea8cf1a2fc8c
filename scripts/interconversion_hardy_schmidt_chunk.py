"""Rule interconversion_hardy_schmidt_chunk: max Hardy success vs Schmidt coefficient s
(closed form and measurement optimisation) on one chunk of the s grid."""

import numpy as np

from bellflow import interconversion
from bellflow.io import write_result
from bellflow.logs import to_file


def main(s_points: int, start: int, stop: int, starts: int, seed: int, out: str) -> None:
    s = np.linspace(0.0, 1.0, s_points)[start:stop]
    num = [interconversion.hardy_success_schmidt_numeric(v, starts=starts, seed=seed) for v in s]
    data = {
        "closed_form": (
            ("s",),
            interconversion.hardy_success_schmidt(s),
            {"description": "q_max(s) closed form"},
        ),
        "numeric": (
            ("s",),
            np.array([r["success"] for r in num]),
            {"description": "q_max(s) by SLSQP over projective measurements"},
        ),
        "violation": (
            ("s",),
            np.array([r["violation"] for r in num]),
            {"description": "largest Hardy-zero amplitude at the numeric optimum"},
        ),
    }
    params = {"s_points": s_points, "start": start, "stop": stop, "starts": starts, "seed": seed}
    write_result(out, data, coords={"s": s}, topic="interconversion", params=params)


if "snakemake" in globals():
    to_file(snakemake.log[0])
    main(**dict(snakemake.params), out=snakemake.output.h5)
