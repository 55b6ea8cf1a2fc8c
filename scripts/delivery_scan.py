"""Rule delivery_scan: every Fig. 2 quantity over the (a, S) grid, and the boundary curves."""

import numpy as np

from bellflow import delivery
from bellflow.io import write_result


def main(params: dict, out: str) -> None:
    a = np.linspace(0.0, 1.0, params["a_points"])
    S = np.linspace(0.0, 1.0, params["S_points"])
    write_result(out, delivery.fig2_scan(a, S), topic="delivery", params=params)


if __name__ == "__main__":  # pragma: no cover (run by Snakemake)
    from bellflow.logs import rule_log

    with rule_log(snakemake):
        main(dict(snakemake.params), snakemake.output.h5)
