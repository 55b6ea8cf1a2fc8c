"""Rule lmg_checks: computed values of the paper's claims and printed formulas (paper 003)."""

from bellflow import lmg
from bellflow.grids import grid
from bellflow.io import read_result, write_result


def main(params: dict, fig2_thermal: str, fig2_nonthermal: str, out: str) -> None:
    fig2 = {"thermal": read_result(fig2_thermal), "nonthermal": read_result(fig2_nonthermal)}
    grids = {k: grid(params[k]).tolist() for k in ("gammas", "betas")}
    checks = lmg.paper_checks(**{**params, **grids})
    ds = lmg.checks_dataset(checks, fig2)
    write_result(out, ds, topic="lmg", params=params)


if __name__ == "__main__":  # pragma: no cover (run by Snakemake)
    from bellflow.logs import rule_log

    with rule_log(snakemake):
        i = snakemake.input
        main(dict(snakemake.params), i.fig2_thermal, i.fig2_nonthermal, snakemake.output.h5)
