"""Rule causal_games: paper 001's numbers for LGYNI, GYNI, OCB and biased OCB, computed."""

from bellflow import causal
from bellflow.io import scalar, write_result
from bellflow.logs import to_file
from bellflow.optim import checked_solves_attrs


def main(biased_ocb_alphas: list[float], out: str) -> None:
    checks = causal.game_checks(biased_ocb_alphas=biased_ocb_alphas)
    data = {k: scalar(v, f"causal.game_checks()['{k}']") for k, v in checks.items()}
    solver = checked_solves_attrs("CLARABEL")
    params = {"biased_ocb_alphas": list(biased_ocb_alphas)}
    write_result(out, data, topic="causal", params=params, solver=solver)


if "snakemake" in globals():
    to_file(snakemake.log[0])
    main(**dict(snakemake.params), out=snakemake.output.h5)
