"""Rule diqkd_bff: gather the BFF chunks."""

import xarray as xr

from bellflow.io import read_result, write_result


def main(chunks: list[str], out: str) -> None:
    parts = [read_result(f) for f in chunks]
    ds = xr.concat(parts, dim="v", combine_attrs="drop")
    keep = ("solver", "solver_tolerances", "bound_certification")
    statuses = sorted({s for p in parts for s in p.attrs["solver_status"].split(",")})
    ds.attrs = {k: parts[0].attrs[k] for k in keep} | {"solver_status": ",".join(statuses)}
    write_result(out, ds, topic="diqkd", params={"chunks": len(chunks)})


if __name__ == "__main__":  # pragma: no cover (run by Snakemake)
    from bellflow.logs import rule_log

    with rule_log(snakemake):
        main(list(snakemake.input.chunks), out=snakemake.output.h5)
