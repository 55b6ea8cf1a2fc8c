"""Rule diqkd_scan_chunk: every per-(d, eps) quantity of paper 002 for one d."""

import numpy as np

from bellflow import diqkd
from bellflow.io import write_result
from bellflow.logs import to_file
from bellflow.optim import checked_solves_attrs

DESCRIPTIONS = {
    "bell_value": "B_d(p_eps) of Eq. (10) from the box",
    "bell_operator_max": "largest eigenvalue of the Bell operator (optimal measurements)",
    "local_bound": "exact local bound of Eq. (10) (Alice's strategies x Bob's best response)",
    "violation": "B_d(p_eps) - local bound, closed form without cancellation",
    "violation_direct": "B_d(p_eps) - local bound as a plain difference",
    "min_overlap": "min_jk O_jk of Eq. (9)",
    "l1_to_p0": "||p_eps - p_0||_1 (p_0 = limit eps -> 0+)",
    "distance": "l1 distance of p_eps to the local set (LP value)",
    "distance_lower": "certified lower bound on the distance (LP dual Bell functional)",
    "distance_upper": "certified upper bound on the distance (LP primal local point)",
    "key_H_A": "H(A) of Alice's key setting x = 0 (bits)",
    "key_H_A_given_B": "H(A|B) with Bob's key measurement (bits)",
    "key_rate": "r = H(A) - H(A|B), Eq. (15) (bits)",
}


def main(d: int, eps_min: float, eps_max: float, eps_points: int, out: str) -> None:
    eps = np.logspace(np.log10(eps_min), np.log10(eps_max), eps_points)
    res = diqkd.family_scan(d, eps)
    data = {k: (("eps",), v[None, :], {"description": DESCRIPTIONS[k]}) for k, v in res.items()}
    data = {k: (("d", "eps"), v[1], v[2]) for k, v in data.items()}
    params = {"d": d, "eps_min": eps_min, "eps_max": eps_max, "eps_points": eps_points}
    solver = checked_solves_attrs("HiGHS")
    write_result(
        out, data, coords={"d": [d], "eps": eps}, topic="diqkd", params=params, solver=solver
    )


if "snakemake" in globals():
    to_file(snakemake.log[0])
    main(**dict(snakemake.params), out=snakemake.output.h5)
