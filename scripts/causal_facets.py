"""Rule causal_facets (beyond paper 001): the exact facet classes of the simplest causal
polytope and their certified ICO bounds, as HDF5 and as a CSV table for the report."""

from bellflow import causal
from bellflow.io import atomic_path, write_result


def main(check_directions: int, seed: int, h5: str, csv: str) -> None:
    params = {"check_directions": check_directions, "seed": seed}
    ds = causal.facet_dataset(**params)
    write_result(h5, ds, topic="causal", params=params)
    cols = ["inequality", *causal.facets.FACET_COLUMNS]
    with atomic_path(csv) as tmp:
        ds[cols].to_dataframe().to_csv(tmp, index=False, float_format="%.10g")


if __name__ == "__main__":  # pragma: no cover (run by Snakemake)
    from bellflow.logs import rule_log

    with rule_log(snakemake):
        main(**dict(snakemake.params), h5=snakemake.output.h5, csv=snakemake.output.csv)
