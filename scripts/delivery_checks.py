"""Rule delivery_checks: the computed value of every number the paper states."""

from bellflow import delivery
from bellflow.grids import grid
from bellflow.io import write_result


def main(params: dict, out: str) -> None:
    ds = delivery.paper_checks(**{**params, "fig3_S": grid(params["fig3_S"])})
    write_result(out, ds, topic="delivery", params=params)


if __name__ == "__main__":  # pragma: no cover (run by Snakemake)
    from bellflow.logs import rule_log

    with rule_log(snakemake):
        main(dict(snakemake.params), snakemake.output.h5)
