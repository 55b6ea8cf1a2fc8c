"""Rule causal_games: paper 001's numbers for LGYNI, GYNI, OCB and biased OCB, computed, with
the certified values of the bounds."""

from bellflow import causal
from bellflow.io import write_result
from bellflow.optim import summary_attrs


def main(biased_ocb_alphas: list[float], out: str) -> None:
    solves: list = []
    checks = causal.game_checks(biased_ocb_alphas=biased_ocb_alphas, solves=solves)
    ds = causal.checks_dataset(checks, "causal.game_checks()")
    ds.attrs.update(summary_attrs(solves))
    write_result(out, ds, topic="causal", params={"biased_ocb_alphas": list(biased_ocb_alphas)})


if __name__ == "__main__":  # pragma: no cover (run by Snakemake)
    from bellflow.logs import rule_log

    with rule_log(snakemake):
        main(**dict(snakemake.params), out=snakemake.output.h5)
