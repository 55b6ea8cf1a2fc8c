"""Rule delivery_dikey_bff_gather: the BFF rates of all S chunks in one (a_bff, S_bff) file."""

from bellflow.delivery import dikey
from bellflow.io import read_result, write_result


def main(params: dict, chunks: list[str], out: str) -> None:
    ds = dikey.gather_bff([read_result(f) for f in chunks])
    write_result(out, ds, topic="delivery", params=params)


if __name__ == "__main__":  # pragma: no cover (run by Snakemake)
    from bellflow.logs import rule_log

    with rule_log(snakemake):
        main(dict(snakemake.params), list(snakemake.input.chunks), snakemake.output.h5)
