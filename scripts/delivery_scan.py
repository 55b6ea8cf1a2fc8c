"""Rule delivery_scan: every Fig. 2 quantity over the (a, S) grid, and the boundary curves."""

from bellflow import delivery
from bellflow.grids import grid
from bellflow.io import write_result


def main(params: dict, out: str) -> None:
    ds = delivery.fig2_scan(grid(params["a"]), grid(params["S"]))
    write_result(out, ds, topic="delivery", params=params)


if __name__ == "__main__":  # pragma: no cover (run by Snakemake)
    from bellflow.logs import rule_log

    with rule_log(snakemake):
        main(dict(snakemake.params), snakemake.output.h5)
