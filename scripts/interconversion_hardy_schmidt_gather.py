"""Rule interconversion_hardy_schmidt: gather the chunks of the Hardy-vs-Schmidt scan."""

import numpy as np
import xarray as xr

from bellflow import interconversion
from bellflow.io import read_result, scalar, write_result
from bellflow.logs import to_file


def main(chunks: list[str], out: str) -> None:
    ds = xr.concat([read_result(f) for f in chunks], dim="s")
    s = ds["s"].values
    q_h = interconversion.hardy_success_of_parameter(interconversion.hardy_state_parameter())
    closed, num = ds["closed_form"].values, ds["numeric"].values
    half = int(np.argmin(np.abs(s - 0.5)))
    data = {k: (("s",), ds[k].values, dict(ds[k].attrs)) for k in ds.data_vars}
    data["max_abs_closed_vs_numeric"] = scalar(np.abs(closed - num).max(), "closed form vs SLSQP")
    data["curve_max"] = scalar(closed.max(), "max over the s grid of q_max(s)")
    data["curve_below_hardy_max"] = scalar(bool(closed.max() <= q_h + 1e-12), "q_max(s) <= q(P_H)")
    data["zero_at_phi_plus"] = scalar(
        bool(abs(s[half] - 0.5) < 1e-12 and closed[half] == 0.0 and abs(num[half]) < 1e-9),
        "q_max(1/2) = 0 (both routes): |phi+> shows no Hardy nonlocality",
    )
    write_result(
        out, data, coords={"s": s}, topic="interconversion", params={"chunks": len(chunks)}
    )


if "snakemake" in globals():
    to_file(snakemake.log[0])
    main(list(snakemake.input.chunks), out=snakemake.output.h5)
