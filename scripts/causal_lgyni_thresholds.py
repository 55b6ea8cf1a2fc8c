"""Rule causal_lgyni_thresholds: biased LGYNI no-violation threshold and the Appendix C proof."""

from bellflow import causal
from bellflow.io import scalar, write_result
from bellflow.logs import to_file
from bellflow.optim import checked_solves_attrs


def main(certificate_alphas: list[float], tol: float, gap_tol: float, out: str) -> None:
    checks = causal.lgyni_threshold_checks(certificate_alphas, tol=tol, gap_tol=gap_tol)
    data = {k: scalar(v, f"causal.lgyni_threshold_checks()['{k}']") for k, v in checks.items()}
    params = {"certificate_alphas": list(certificate_alphas), "tol": tol, "gap_tol": gap_tol}
    solver = checked_solves_attrs("CLARABEL")
    write_result(out, data, topic="causal", params=params, solver=solver)


if "snakemake" in globals():
    to_file(snakemake.log[0])
    main(**dict(snakemake.params), out=snakemake.output.h5)
