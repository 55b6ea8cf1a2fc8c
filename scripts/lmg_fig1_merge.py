"""Rule lmg_fig1_merge: gather the chunks of one Fig. 1 map along its first axis."""

import json

import xarray as xr

from bellflow.io import params_of, read_result, write_result
from bellflow.logs import to_file


def main(chunks: list[str], out: str) -> None:
    parts = [read_result(c) for c in chunks]
    first = params_of(parts[0])
    axis1, axis2 = first["axis1"], first["axis2"]
    ds = xr.concat(parts, dim=axis1)
    params = dict(first)
    params["values1"] = [v for p in parts for v in params_of(p)["values1"]]
    data = {k: (ds[k].dims, ds[k].values, dict(ds[k].attrs)) for k in ds.data_vars}
    write_result(
        out,
        data,
        coords={axis1: ds[axis1].values, axis2: ds[axis2].values},
        topic="lmg",
        params=params,
        attrs={"chunks": json.dumps(len(parts))},
    )


if "snakemake" in globals():
    to_file(snakemake.log[0])
    main(list(snakemake.input.chunks), out=snakemake.output.h5)
