"""Rule diqkd_di_rates: device-independent (BFF) key rate of the family over eps, d = 2."""

from bellflow import diqkd
from bellflow.diqkd import checks
from bellflow.grids import grid
from bellflow.io import write_result


def main(d: int, eps: dict, m: int, out: str) -> None:
    ds = diqkd.family_di_scan(d, grid(eps), m)
    ds = ds.assign(dict(checks.di_key_checks(ds)))
    write_result(out, ds, topic="diqkd", params={"d": d, "eps": eps, "m": m})


if __name__ == "__main__":  # pragma: no cover (run by Snakemake)
    from bellflow.logs import rule_log

    with rule_log(snakemake):
        main(**dict(snakemake.params), out=snakemake.output.h5)
