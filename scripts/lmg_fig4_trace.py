"""Rule lmg_fig4_trace: Fig. 4, repeated S_z measurements (Eq. 7) vs the Eq. (15) mixture."""

import numpy as np

from bellflow import lmg
from bellflow.io import scalar, write_result
from bellflow.logs import to_file


def main(init, n, j, h, beta, zeta, gamma, alpha, omega_c, kappas, p_max, p_points, p_small, out):
    if init == "thermal":
        ss = lmg.thermal_steady_state(n, j, h, beta, alpha=alpha, omega_c=omega_c)
    else:
        ss = lmg.nonthermal_steady_state(n, j, h, zeta, gamma)
    p = np.linspace(0.0, p_max, p_points)
    tr = lmg.measurement_traces(ss.rho, lmg.lmg_hamiltonian(n, j, h), kappas, p)
    small = p <= p_small
    dev = np.abs(tr["bell_eq7"][:, small] - tr["bell_eq15"][None, small]).max()
    data = {
        "bell_eq7": (("kappa", "p"), tr["bell_eq7"], {"description": "Bell min under Eq. (7)"}),
        "bell_eq15": (("p",), tr["bell_eq15"], {"description": "Bell min of Eq. (15) mixture"}),
        "initial_bell": scalar(tr["bell_eq15"][0], "Bell minimum of the initial state"),
        "initial_violates": scalar(float(tr["bell_eq15"][0] < 0), "initial state non-local"),
        "lost_at_p_max": scalar(
            float(np.all(tr["bell_eq7"][:, -1] > 0)), "no violation left at p_max, all kappa"
        ),
        "small_p_relative_deviation": scalar(
            dev / abs(tr["bell_eq15"][0]), "max |Eq.7 - Eq.15| / |B(0)| for p <= p_small"
        ),
        "commutator_norm": scalar(tr["commutator_norm"], "||[H, rho0]|| (Eq. 15 assumes 0)"),
        "steady_residual": scalar(ss.residual, "initial steady-state residual"),
    }
    params = dict(
        init=init,
        n=n,
        j=j,
        h=h,
        beta=beta,
        zeta=zeta,
        gamma=gamma,
        alpha=alpha,
        omega_c=omega_c,
        kappas=list(kappas),
        p_max=p_max,
        p_points=p_points,
        p_small=p_small,
    )
    write_result(
        out,
        data,
        coords={"kappa": np.asarray(kappas, float), "p": p},
        topic="lmg",
        params=params,
    )


if "snakemake" in globals():
    to_file(snakemake.log[0])
    main(**dict(snakemake.params), out=snakemake.output.h5)
