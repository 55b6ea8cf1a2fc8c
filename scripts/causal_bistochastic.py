"""Rule causal_bistochastic: admissibility and success of the bistochastic strategies."""

from bellflow import causal
from bellflow.io import write_result


def main(n_values: list[int], out: str) -> None:
    checks = causal.bistochastic_checks(n_values=n_values)
    ds = causal.checks_dataset(checks, "causal.bistochastic_checks()")
    write_result(out, ds, topic="causal", params={"n_values": list(n_values)})


if __name__ == "__main__":  # pragma: no cover (run by Snakemake)
    from bellflow.logs import rule_log

    with rule_log(snakemake):
        main(**dict(snakemake.params), out=snakemake.output.h5)
