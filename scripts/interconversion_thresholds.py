"""Rule interconversion_thresholds: isotropic local/quantum thresholds by bisection (+ direct)."""

from bellflow.interconversion import files
from bellflow.io import write_result


def main(params: dict, out: str) -> None:
    ds = files.thresholds(params["bisection_tol"], params["level"])
    write_result(out, ds, topic="interconversion", params=params)


if __name__ == "__main__":  # pragma: no cover (run by Snakemake)
    from bellflow.logs import rule_log

    with rule_log(snakemake):
        main(dict(snakemake.params), snakemake.output.h5)
