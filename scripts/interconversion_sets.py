"""Rule interconversion_sets: Eq. (1) vertices by enumeration, L < Q < N, Lemma 1, Theorem 2
spectra and the Corollary 1 expansion."""

from bellflow.grids import grid
from bellflow.interconversion import files
from bellflow.io import write_result


def main(params: dict, out: str) -> None:
    ds = files.sets(**{**params, "theorem2_s": grid(params["theorem2_s"])})
    write_result(out, ds, topic="interconversion", params=params)


if __name__ == "__main__":  # pragma: no cover (run by Snakemake)
    from bellflow.logs import rule_log

    with rule_log(snakemake):
        main(dict(snakemake.params), snakemake.output.h5)
