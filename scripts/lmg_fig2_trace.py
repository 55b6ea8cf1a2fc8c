"""Rule lmg_fig2_trace: Fig. 2 time trace from |D_N^N> under the thermal or non-thermal bath."""

import numpy as np

from bellflow import lmg
from bellflow.io import scalar, write_result
from bellflow.logs import to_file


def main(kind, n, j, h, bath_param, gamma, alpha, omega_c, t_min, t_max, t_points, out):
    times = np.concatenate([[0.0], np.geomspace(t_min, t_max, t_points)])
    key = "beta" if kind == "thermal" else "zeta"
    tr = lmg.open_time_trace(
        kind, n, j, h, times, gamma=gamma, alpha=alpha, omega_c=omega_c, **{key: bath_param}
    )
    on = lmg.onset_times(times, tr["bell"], tr["concurrence"], tr["xi2"])
    data = {
        "bell": (("t",), tr["bell"], {"description": "Bell minimum, Eq. (3)"}),
        "concurrence": (("t",), tr["concurrence"], {"description": "C(rho_2), Eq. (12)"}),
        "xi2": (("t",), tr["xi2"], {"description": "xi^2, Eq. (13) (inf: no transverse spin)"}),
        "steady_bell": scalar(tr["steady_bell"], "Bell minimum of the steady state (Fig. 1)"),
        "steady_residual": scalar(tr["steady_residual"], "steady-state residual"),
        "stationary_deviation": scalar(
            abs(tr["bell"][-1] - tr["steady_bell"]), "|Bell(t_max) - Bell(steady state)|"
        ),
        "t_nonlocal": scalar(on["t_nonlocal"], "onset of Bell value < 0 (holds to t_max)"),
        "t_concurrence": scalar(on["t_concurrence"], "onset of C > 1e-7 (holds to t_max)"),
        "t_squeezing": scalar(on["t_squeezing"], "onset of xi^2 < 1 (holds to t_max)"),
        "nonlocal_after_entangled": scalar(
            on["nonlocal_after_entangled"], "t_NL > min(t_C, t_xi): entanglement comes first"
        ),
        "concurrence_before_squeezing": scalar(
            on["concurrence_before_squeezing"], "C > 0 before xi^2 < 1"
        ),
        "entanglement_time_gap": scalar(
            on["entanglement_time_gap"], "C > 0 and xi^2 < 1 start at different times"
        ),
    }
    params = dict(kind=kind, n=n, j=j, h=h, gamma=gamma, alpha=alpha, omega_c=omega_c)
    params.update({key: bath_param, "t_min": t_min, "t_max": t_max, "t_points": t_points})
    write_result(out, data, coords={"t": times}, topic="lmg", params=params)


if "snakemake" in globals():
    to_file(snakemake.log[0])
    main(**dict(snakemake.params), out=snakemake.output.h5)
