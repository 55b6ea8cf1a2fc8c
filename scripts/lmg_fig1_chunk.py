"""Rule lmg_fig1_chunk: steady-state Bell minimum, concurrence, xi^2 and two-body CHSH on one
chunk of a Fig. 1 parameter map (paper 003), with the steady-state solver checks."""

from bellflow import lmg
from bellflow.io import write_result


def main(params: dict, out: str) -> None:
    p = params
    axes = {p["axis1"]: p["values1"], p["axis2"]: p["values2"]}
    ds = lmg.steady_state_scan(p["kind"], p["n"], axes, dict(p["fixed"]))
    record = {k: v for k, v in p.items() if k != "fixed"} | dict(p["fixed"])
    write_result(out, ds, topic="lmg", params=record)


if __name__ == "__main__":  # pragma: no cover (run by Snakemake)
    from bellflow.logs import rule_log

    with rule_log(snakemake):
        main(dict(snakemake.params), snakemake.output.h5)
