"""Rule causal_lgyni_thresholds: biased LGYNI certified onset of violations and the App. C proof."""

from bellflow import causal
from bellflow.io import write_result
from bellflow.optim import summary_attrs


def main(certificate_alphas: list[float], tol: float, gap_tol: float, out: str) -> None:
    solves: list = []
    checks = causal.lgyni_threshold_checks(
        certificate_alphas, tol=tol, gap_tol=gap_tol, solves=solves
    )
    ds = causal.checks_dataset(checks, "causal.lgyni_threshold_checks()")
    ds.attrs.update(summary_attrs(solves))
    params = {"certificate_alphas": list(certificate_alphas), "tol": tol, "gap_tol": gap_tol}
    write_result(out, ds, topic="causal", params=params)


if __name__ == "__main__":  # pragma: no cover (run by Snakemake)
    from bellflow.logs import rule_log

    with rule_log(snakemake):
        main(**dict(snakemake.params), out=snakemake.output.h5)
