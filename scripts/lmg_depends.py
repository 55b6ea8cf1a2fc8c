"""Rule lmg_depends: paper-003 claims that rest on unstated parameters, scanned over them."""

import numpy as np

from bellflow import lmg
from bellflow.grids import grid
from bellflow.io import read_result, write_result


def main(params: dict, fig2: dict, out: str) -> None:
    p = dict(params)
    p.update({k: grid(p[k]) for k in ("alphas", "gammas", "h_grid", "zetas")})
    p["times"] = np.concatenate([[0.0], grid(p["times"])])
    fig2_ds = {k: read_result(f) for k, f in fig2.items()}
    ds = lmg.depends_dataset(p, fig2_ds)
    write_result(out, ds, topic="lmg", params=params)


if __name__ == "__main__":  # pragma: no cover (run by Snakemake)
    from bellflow.logs import rule_log

    with rule_log(snakemake):
        i = snakemake.input
        fig2 = {"thermal": i.fig2_thermal, "nonthermal": i.fig2_nonthermal}
        main(dict(snakemake.params), fig2, snakemake.output.h5)
