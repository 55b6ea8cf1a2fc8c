"""Rule causal_scan_gather: concatenate the chunks of one scan and add its summary scalars."""

from bellflow import causal
from bellflow.io import write_result


def main(scan: str, chunks: list[str], out: str) -> None:
    ds, params = causal.gather_scan(scan, chunks)
    write_result(out, ds, topic="causal", params=params)


if __name__ == "__main__":  # pragma: no cover (run by Snakemake)
    from bellflow.logs import rule_log

    with rule_log(snakemake):
        main(snakemake.params.scan, list(snakemake.input.chunks), out=snakemake.output.h5)
