"""Rule lmg_fig2_trace: Fig. 2 time trace from |D_N^N> under the thermal or non-thermal bath."""

import numpy as np

from bellflow import lmg
from bellflow.grids import grid
from bellflow.io import write_result


def main(params: dict, out: str) -> None:
    p = dict(params)
    times = np.concatenate([[0.0], grid(p["times"])])
    keys = ("bath_param", "gamma", "alpha", "omega_c")
    ds = lmg.fig2_dataset(p["kind"], p["n"], p["j"], p["h"], times, **{k: p[k] for k in keys})
    p["beta" if p["kind"] == "thermal" else "zeta"] = p["bath_param"]
    write_result(out, ds, topic="lmg", params=p)


if __name__ == "__main__":  # pragma: no cover (run by Snakemake)
    from bellflow.logs import rule_log

    with rule_log(snakemake):
        main(dict(snakemake.params), snakemake.output.h5)
