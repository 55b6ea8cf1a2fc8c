"""Rule diqkd_scan_chunk: every per-(d, eps) quantity of paper 002 for a group of d."""

import xarray as xr

from bellflow import diqkd
from bellflow.grids import grid
from bellflow.io import write_result


def main(d: list[int], eps: dict, noise_d_max: int, out: str) -> None:
    parts = [diqkd.family_scan(k, grid(eps), noise=k <= noise_d_max).expand_dims(d=[k]) for k in d]
    ds = xr.concat(parts, dim="d", combine_attrs="drop_conflicts")
    for key in ("solver", "solver_status"):  # summaries over the group's d (solve records)
        ds.attrs[key] = ",".join(sorted({v for p in parts for v in p.attrs[key].split(",")}))
    for key in ("n_solves", "n_certified"):
        ds.attrs[key] = sum(int(p.attrs[key]) for p in parts)
    write_result(out, ds, topic="diqkd", params={"d": d, "eps": eps, "noise_d_max": noise_d_max})


if __name__ == "__main__":  # pragma: no cover (run by Snakemake)
    from bellflow.logs import rule_log

    with rule_log(snakemake):
        main(**dict(snakemake.params), out=snakemake.output.h5)
