"""Rule diqkd_scan_chunk: every per-(d, eps) quantity of paper 002 for one d."""

from bellflow import diqkd
from bellflow.grids import grid
from bellflow.io import write_result


def main(d: int, eps: dict, out: str) -> None:
    ds = diqkd.family_scan(d, grid(eps)).expand_dims(d=[d])
    write_result(out, ds, topic="diqkd", params={"d": d, "eps": eps})


if __name__ == "__main__":  # pragma: no cover (run by Snakemake)
    from bellflow.logs import rule_log

    with rule_log(snakemake):
        main(**dict(snakemake.params), out=snakemake.output.h5)
