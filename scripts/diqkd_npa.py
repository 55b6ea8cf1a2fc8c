"""Rule diqkd_npa: certified NPA bounds on Eq. (10) minus d - 1, resolved per eps or not."""

from bellflow import diqkd
from bellflow.diqkd import checks
from bellflow.io import write_result


def main(points: list[dict], level: str, out: str) -> None:
    ds = diqkd.npa_scan(points, level)
    ds = ds.assign(dict(checks.npa_checks(ds)))
    write_result(out, ds, topic="diqkd", params={"points": points, "level": level})


if __name__ == "__main__":  # pragma: no cover (run by Snakemake)
    from bellflow.logs import rule_log

    with rule_log(snakemake):
        main(**dict(snakemake.params), out=snakemake.output.h5)
