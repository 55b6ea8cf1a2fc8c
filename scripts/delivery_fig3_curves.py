"""Rule delivery_fig3_curves: the curves (a)-(d) of Fig. 3 over S."""

import numpy as np

from bellflow import delivery
from bellflow.io import write_result


def main(params: dict, out: str) -> None:
    S = np.linspace(0.0, 1.0, params["S_points"])
    ds = delivery.fig3_curves(S, a_c=params["a_c"], a_d=params["a_d"])
    write_result(out, ds, topic="delivery", params=params)


if __name__ == "__main__":  # pragma: no cover (run by Snakemake)
    from bellflow.logs import rule_log

    with rule_log(snakemake):
        main(dict(snakemake.params), snakemake.output.h5)
