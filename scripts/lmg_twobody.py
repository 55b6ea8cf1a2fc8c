"""Rule lmg_twobody: study 2, the two-body trace of one Fig. 1 map (paper 003): CHSH of rho_2,
the LP local-polytope test of its Horodecki box and the I3322 see-saw, next to the many-body
Bell value."""

from bellflow import lmg
from bellflow.io import params_of, read_result, write_result


def main(fig1_map: str, out: str, starts: int, explicit_n: int) -> None:
    ds = read_result(fig1_map)
    params = params_of(ds)
    summary = lmg.twobody_summary(ds, params, starts=starts, explicit_n=explicit_n)
    record = params | {"starts": starts, "explicit_n": explicit_n}
    write_result(out, summary, topic="lmg", params=record)


if __name__ == "__main__":  # pragma: no cover (run by Snakemake)
    from bellflow.logs import rule_log

    with rule_log(snakemake):
        p = snakemake.params
        main(snakemake.input.fig1_map, snakemake.output.h5, p.starts, p.explicit_n)
