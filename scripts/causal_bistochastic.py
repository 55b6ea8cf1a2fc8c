"""Rule causal_bistochastic: admissibility and success of the bistochastic strategies."""

from bellflow import causal
from bellflow.io import scalar, write_result
from bellflow.logs import to_file


def main(n_values: list[int], out: str) -> None:
    checks = causal.bistochastic_checks(n_values=n_values)
    data = {k: scalar(v, f"causal.bistochastic_checks()['{k}']") for k, v in checks.items()}
    write_result(out, data, topic="causal", params={"n_values": list(n_values)})


if "snakemake" in globals():
    to_file(snakemake.log[0])
    main(**dict(snakemake.params), out=snakemake.output.h5)
