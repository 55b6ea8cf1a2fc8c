"""Rule delivery_dikey_bff: certified BFF key rates from the full box at one S of the sub-grid."""

from bellflow.delivery import dikey
from bellflow.io import write_result


def main(params: dict, out: str) -> None:
    ds = dikey.bff_rates(params["a_values"], params["S"], m=params["nodes"], level=params["level"])
    write_result(out, ds, topic="delivery", params=params)


if __name__ == "__main__":  # pragma: no cover (run by Snakemake)
    from bellflow.logs import rule_log

    with rule_log(snakemake):
        main(dict(snakemake.params), snakemake.output.h5)
