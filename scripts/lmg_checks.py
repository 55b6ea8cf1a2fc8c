"""Rule lmg_checks: computed values of the paper's claims and printed formulas (paper 003)."""

from bellflow import lmg
from bellflow.io import read_result, scalar, write_result
from bellflow.logs import to_file


def main(fig2_thermal: str, fig2_nonthermal: str, out: str, **params) -> None:
    checks = lmg.paper_checks(**params)
    t_th = float(read_result(fig2_thermal)["t_nonlocal"])
    t_nt = float(read_result(fig2_nonthermal)["t_nonlocal"])
    checks["t_nonlocal_thermal_over_nonthermal"] = t_th / t_nt
    checks["thermal_nonlocal_later"] = float(t_th > t_nt)
    data = {k: scalar(v, f"lmg.paper_checks()['{k}']") for k, v in checks.items()}
    write_result(out, data, topic="lmg", params=params)


if "snakemake" in globals():
    to_file(snakemake.log[0])
    main(
        snakemake.input.fig2_thermal,
        snakemake.input.fig2_nonthermal,
        out=snakemake.output.h5,
        **dict(snakemake.params),
    )
