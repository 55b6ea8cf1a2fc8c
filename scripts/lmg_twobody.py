"""Rule lmg_twobody: study 2, the two-body CHSH value of rho_2 next to the many-body Bell value
along one Fig. 1 map (paper 003)."""

from bellflow import lmg
from bellflow.io import params_of, read_result, write_result


def main(fig1_map: str, out: str) -> None:
    ds = read_result(fig1_map)
    params = params_of(ds)
    write_result(out, lmg.twobody_summary(ds, params), topic="lmg", params=params)


if __name__ == "__main__":  # pragma: no cover (run by Snakemake)
    from bellflow.logs import rule_log

    with rule_log(snakemake):
        main(snakemake.input.fig1_map, snakemake.output.h5)
