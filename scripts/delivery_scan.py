"""Rule delivery_scan: every Fig. 2 quantity over the (a, S) grid, and the boundary curves."""

import numpy as np

from bellflow import delivery
from bellflow.io import write_result
from bellflow.logs import to_file

DESCRIPTIONS = {
    "eof": "entanglement of formation of M[psi_a] (ebit)",
    "concurrence": "concurrence of M[psi_a], Eq. (3.3)",
    "fidelity": "fidelity <psi_a|M[psi_a]|psi_a>, Eq. (3.2)",
    "chsh_max": "Horodecki maximal CHSH value of M[psi_a]",
    "entangled": "C > 0 (outside the white region of Eq. 3.4)",
    "chsh_violated": "maximal CHSH value > 2 (above the line of Eq. 5.1, corrected)",
    "lhv": "M[psi_a] = c rho_B + (1-c) rho_SEP with diagonal rho_SEP (Sec. V, gray triangle)",
}


def main(a_points: int, S_points: int, out: str) -> None:
    a = np.linspace(0.0, 1.0, a_points)
    S = np.linspace(0.0, 1.0, S_points)
    grid = delivery.scan(a, S)
    curves = delivery.boundaries(a)
    data = {k: (("a", "S"), grid[k], {"description": d}) for k, d in DESCRIPTIONS.items()}
    for name, values in curves.items():
        if name != "a":
            data[f"boundary_{name}"] = (("a",), values, {"description": f"S threshold: {name}"})
    write_result(
        out,
        data,
        coords={"a": a, "S": S},
        topic="delivery",
        params={"a_points": a_points, "S_points": S_points},
    )


if "snakemake" in globals():
    to_file(snakemake.log[0])
    main(**dict(snakemake.params), out=snakemake.output.h5)
