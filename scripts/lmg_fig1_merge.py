"""Rule lmg_fig1_merge: gather the chunks of one Fig. 1 map along its first axis."""

import xarray as xr

from bellflow.io import params_of, read_result, write_result


def main(chunks: list[str], out: str) -> None:
    parts = [read_result(c) for c in chunks]
    params = params_of(parts[0])
    params["values1"] = [v for p in parts for v in params_of(p)["values1"]]
    ds = xr.concat(parts, dim=params["axis1"], data_vars="all", combine_attrs="override")
    ds.attrs = {}
    write_result(out, ds, topic="lmg", params=params, attrs={"chunks": len(parts)})


if __name__ == "__main__":  # pragma: no cover (run by Snakemake)
    from bellflow.logs import rule_log

    with rule_log(snakemake):
        main(list(snakemake.input.chunks), snakemake.output.h5)
