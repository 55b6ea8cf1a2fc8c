"""Rule diqkd_scan_chunk: every per-(d, eps) quantity of paper 002 for one d."""

from bellflow import diqkd
from bellflow.grids import grid
from bellflow.io import write_result


def main(d: int, eps: dict, noise_d_max: int, out: str) -> None:
    ds = diqkd.family_scan(d, grid(eps), noise=d <= noise_d_max).expand_dims(d=[d])
    write_result(out, ds, topic="diqkd", params={"d": d, "eps": eps, "noise": d <= noise_d_max})


if __name__ == "__main__":  # pragma: no cover (run by Snakemake)
    from bellflow.logs import rule_log

    with rule_log(snakemake):
        main(**dict(snakemake.params), out=snakemake.output.h5)
