"""Rule diqkd_bff: gather the BFF chunks."""

import xarray as xr

from bellflow.io import read_result, write_result
from bellflow.logs import to_file


def main(chunks: list[str], out: str) -> None:
    parts = [read_result(f) for f in chunks]
    ds = xr.concat(parts, dim="v")
    data = {k: (("v",), ds[k].values, dict(ds[k].attrs)) for k in ds.data_vars}
    statuses = sorted({s for p in parts for s in p.attrs["solver_status"].split(",")})
    keep = ("solver", "solver_tolerances", "bound_certification")
    solver = {k: parts[0].attrs[k] for k in keep} | {"solver_status": ",".join(statuses)}
    write_result(
        out,
        data,
        coords={"v": ds["v"].values},
        topic="diqkd",
        params={"chunks": len(chunks)},
        solver=solver,
    )


if "snakemake" in globals():
    to_file(snakemake.log[0])
    main(list(snakemake.input.chunks), out=snakemake.output.h5)
