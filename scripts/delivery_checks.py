"""Rule delivery_checks: the computed value of every number the paper states."""

from bellflow import delivery
from bellflow.io import scalar, write_result
from bellflow.logs import to_file


def main(small_S: float, eq42_S: list[float], out: str) -> None:
    checks = delivery.paper_checks(small_S=small_S, eq42_S=tuple(eq42_S))
    data = {k: scalar(v, f"delivery.paper_checks()['{k}']") for k, v in checks.items()}
    write_result(out, data, topic="delivery", params={"small_S": small_S, "eq42_S": list(eq42_S)})


if "snakemake" in globals():
    to_file(snakemake.log[0])
    main(**dict(snakemake.params), out=snakemake.output.h5)
