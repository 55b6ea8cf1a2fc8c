"""Rule interconversion_hardy_schmidt: gather the chunks of the Hardy-vs-Schmidt scan."""

from bellflow.interconversion import checks
from bellflow.io import read_result, write_result


def main(chunks: list[str], out: str) -> None:
    ds = checks.hardy_schmidt_gather(read_result(f) for f in chunks)
    write_result(out, ds, topic="interconversion", params={"chunks": len(chunks)})


if __name__ == "__main__":  # pragma: no cover (run by Snakemake)
    from bellflow.logs import rule_log

    with rule_log(snakemake):
        main(list(snakemake.input.chunks), snakemake.output.h5)
