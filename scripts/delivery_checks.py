"""Rule delivery_checks: the computed value of every number the paper states."""

from bellflow import delivery
from bellflow.io import write_result


def main(params: dict, out: str) -> None:
    ds = delivery.paper_checks(small_S=params["small_S"], eq42_S=params["eq42_S"])
    write_result(out, ds, topic="delivery", params=params)


if __name__ == "__main__":  # pragma: no cover (run by Snakemake)
    from bellflow.logs import rule_log

    with rule_log(snakemake):
        main(dict(snakemake.params), snakemake.output.h5)
