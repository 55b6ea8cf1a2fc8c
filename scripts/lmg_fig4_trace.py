"""Rule lmg_fig4_trace: Fig. 4, repeated S_z measurements (Eq. 7) vs the Eq. (15) mixture."""

from bellflow import lmg
from bellflow.grids import grid
from bellflow.io import write_result


def main(params: dict, out: str) -> None:
    p = params
    keys = ("beta", "zeta", "gamma", "alpha", "omega_c")
    ss, ham = lmg.fig4_initial_state(p["init"], p["n"], p["j"], p["h"], **{k: p[k] for k in keys})
    kw = {k: p[k] for k in ("p_small", "p_small_tolerance")}
    ds = lmg.fig4_dataset(ss.rho, ham, p["kappas"], grid(p["p"]), steady_residual=ss.residual, **kw)
    write_result(out, ds, topic="lmg", params=p)


if __name__ == "__main__":  # pragma: no cover (run by Snakemake)
    from bellflow.logs import rule_log

    with rule_log(snakemake):
        main(dict(snakemake.params), snakemake.output.h5)
