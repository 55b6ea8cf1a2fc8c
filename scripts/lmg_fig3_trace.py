"""Rule lmg_fig3_trace: Fig. 3, Eq. (14) dynamics with and without the S_y/sqrt(N) jump."""

from bellflow import lmg
from bellflow.grids import grid
from bellflow.io import write_result


def main(params: dict, out: str) -> None:
    p = params
    ds = lmg.fig3_dataset(p["n"], p["omega"], p["gamma"], grid(p["times"]))
    write_result(out, ds, topic="lmg", params=p)


if __name__ == "__main__":  # pragma: no cover (run by Snakemake)
    from bellflow.logs import rule_log

    with rule_log(snakemake):
        main(dict(snakemake.params), snakemake.output.h5)
