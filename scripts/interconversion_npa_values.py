"""Rule interconversion_npa_values: NPA bounds (CHSH, Hardy), P_T and P_H from Eq. (3)."""

from bellflow.interconversion import files
from bellflow.io import write_result


def main(params: dict, out: str) -> None:
    ds = files.npa_values(tuple(params["levels"]), solver=params["solver"])
    write_result(out, ds, topic="interconversion", params=params)


if __name__ == "__main__":  # pragma: no cover (run by Snakemake)
    from bellflow.logs import rule_log

    with rule_log(snakemake):
        main(dict(snakemake.params), snakemake.output.h5)
