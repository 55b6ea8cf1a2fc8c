"""Rule interconversion_propositions: Proposition 1 (see-saw on |phi+>^n) and Proposition 2
(Schmidt spectra of |psi_H>^n) numerics."""

from bellflow.interconversion import files
from bellflow.io import write_result


def main(params: dict, out: str) -> None:
    ds = files.propositions(params["prop1"], params["claim_tol"], params["prop2"])
    write_result(out, ds, topic="interconversion", params=params)


if __name__ == "__main__":  # pragma: no cover (run by Snakemake)
    from bellflow.logs import rule_log

    with rule_log(snakemake):
        main(dict(snakemake.params), snakemake.output.h5)
