"""Rule diqkd_scan: gather the per-d scans; the paper's claims as 0-d variables."""

import xarray as xr

from bellflow.diqkd import checks
from bellflow.io import read_result, write_result


def main(chunks: list[str], claim_eps_max: float, out: str) -> None:
    parts = [read_result(f) for f in chunks]
    ds = xr.concat(parts, dim="d", combine_attrs="drop")
    d = [int(k) for k in ds["d"].values]
    for part in (
        checks.key_rate_checks(ds, claim_eps_max),
        checks.family_checks(ds, claim_eps_max),
        checks.noise_checks(ds),
        checks.construction_checks(d),
        checks.p0_checks(d),
    ):
        ds = ds.assign({k: v for k, v in part.items()})
    keep = ("solver", "solver_status", "solver_tolerances", "n_solves", "n_certified")
    ds.attrs = {k: parts[0].attrs[k] for k in keep if k in parts[0].attrs}
    params = {"chunks": len(chunks), "claim_eps_max": claim_eps_max}
    write_result(out, ds, topic="diqkd", params=params)


if __name__ == "__main__":  # pragma: no cover (run by Snakemake)
    from bellflow.logs import rule_log

    with rule_log(snakemake):
        main(list(snakemake.input.chunks), **dict(snakemake.params), out=snakemake.output.h5)
