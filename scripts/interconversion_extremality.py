"""Rule interconversion_extremality: P_T and P_H are extreme points of the quantum set (NPA
face widths), P_T self-tests |phi_2^+> (see-saw realisations, swap isometry)."""

from bellflow.interconversion import files
from bellflow.io import write_result


def main(params: dict, out: str) -> None:
    ds = files.extremality(**params)
    write_result(out, ds, topic="interconversion", params=params)


if __name__ == "__main__":  # pragma: no cover (run by Snakemake)
    from bellflow.logs import rule_log

    with rule_log(snakemake):
        main(dict(snakemake.params), snakemake.output.h5)
