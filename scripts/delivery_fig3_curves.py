"""Rule delivery_fig3_curves: the curves (a)-(d) of Fig. 3 over S."""

from bellflow import delivery
from bellflow.grids import grid
from bellflow.io import write_result


def main(params: dict, out: str) -> None:
    ds = delivery.fig3_curves(grid(params["S"]), a_c=params["a_c"], a_d=params["a_d"])
    write_result(out, ds, topic="delivery", params=params)


if __name__ == "__main__":  # pragma: no cover (run by Snakemake)
    from bellflow.logs import rule_log

    with rule_log(snakemake):
        main(dict(snakemake.params), snakemake.output.h5)
