"""Rule causal_scan_gather: concatenate the chunks of one scan and add its summary scalars."""

import json

import numpy as np
import xarray as xr

from bellflow import causal
from bellflow.io import params_of, read_result, scalar, write_result
from bellflow.logs import to_file
from bellflow.optim import checked_solves_attrs


def summaries(scan: str, ds: xr.Dataset) -> dict:
    out = {"max_gap": scalar(float(ds["ico_gap"].max()), "largest solver duality gap")}
    if scan == "biased_ocb":
        dev = float(np.max(np.abs(ds["ico"].values - ds["process"].values)))
        out["max_ico_minus_process"] = scalar(dev, "max |SDP bound - S_OCB,alpha value|")
    elif scan == "biased_lgyni":
        dev = float(np.max(np.abs(ds["causal"].values - ds["causal_lp"].values)))
        out["max_causal_enum_minus_lp"] = scalar(dev, "max |enumeration - LP| causal bound")
        low = float(np.min(ds["ico"].values - ds["causal"].values))
        out["min_ico_minus_causal"] = scalar(low, "min (ICO - causal): never below causal")
        high = float(np.max(ds["ico"].values - ds["algebraic"].values))
        out["max_ico_minus_algebraic"] = scalar(high, "max (ICO - algebraic): never above")
    else:
        theta = ds["theta"].values
        for kind in ("ico", "causal", "algebraic"):
            fit = causal.disc_fit(theta, ds[kind].values)
            for k, v in fit.items():
                out[f"{kind}_disc_{k}"] = scalar(v, f"causal.disc_fit(theta, {kind})['{k}']")
    return out


def main(scan: str, chunks: list[str], out: str) -> None:
    parts = [read_result(c) for c in chunks]
    first = params_of(parts[0])
    axis = "theta" if scan == "fig1" else "alpha"
    ds = xr.concat(parts, dim=axis)
    data = {k: (ds[k].dims, ds[k].values, dict(ds[k].attrs)) for k in ds.data_vars}
    data.update(summaries(scan, ds))
    params = dict(first)
    params["values"] = [v for p in parts for v in params_of(p)["values"]]
    solver = checked_solves_attrs("CLARABEL")
    write_result(
        out,
        data,
        coords={axis: ds[axis].values},
        topic="causal",
        params=params,
        solver=solver,
        attrs={"chunks": json.dumps(len(parts))},
    )


if "snakemake" in globals():
    to_file(snakemake.log[0])
    main(snakemake.params.scan, list(snakemake.input.chunks), out=snakemake.output.h5)
