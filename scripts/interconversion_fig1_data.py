"""Rule interconversion_fig1_data: the Fig. 1 slice (local/quantum/NS boundaries along rays)
and the Corollary 1 / Theorem 3 range of non-distillable isotropic boxes."""

from bellflow.interconversion import files
from bellflow.io import write_result


def main(params: dict, out: str) -> None:
    ds = files.fig1_data(params["n_angles"], params["level"])
    write_result(out, ds, topic="interconversion", params=params)


if __name__ == "__main__":  # pragma: no cover (run by Snakemake)
    from bellflow.logs import rule_log

    with rule_log(snakemake):
        main(dict(snakemake.params), snakemake.output.h5)
