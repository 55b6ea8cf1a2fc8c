"""Rule lmg_fig3_trace: Fig. 3, Eq. (14) dynamics with and without the S_y/sqrt(N) jump."""

import numpy as np

from bellflow import lmg
from bellflow.io import scalar, write_result
from bellflow.logs import to_file


def main(n, omega, gamma, t_max, t_points, out):
    times = np.linspace(0.0, t_max, t_points)
    tr = lmg.eq14_trace(n, omega, gamma, times)
    violated = tr["bell"] < 0
    last = times[violated][-1] if violated.any() else np.nan
    data = {
        "bell": (("t",), tr["bell"], {"description": "Bell minimum, Eq. (3)"}),
        "concurrence": (("t",), tr["concurrence"], {"description": "C(rho_2), Eq. (12)"}),
        "xi2": (("t",), tr["xi2"], {"description": "xi^2, Eq. (13)"}),
        "bell_t0": scalar(tr["bell"][0], "Bell minimum of the initial state"),
        "initial_local": scalar(float(tr["bell"][0] >= 0), "initial state not detected"),
        "violation_intervals": scalar(lmg.count_intervals(violated), "runs with Bell < 0"),
        "periodic_violation": scalar(
            float(lmg.count_intervals(violated) >= 2), "violation arises repeatedly"
        ),
        "last_violation_time": scalar(last, "last time with Bell < 0"),
        "entangled_all_times": scalar(
            float(np.all(tr["concurrence"] > 1e-7)), "C > 1e-7 at every time of the trace"
        ),
        "squeezed_all_times": scalar(
            float(np.all(tr["xi2"] < 1)), "xi^2 < 1 at every time of the trace"
        ),
    }
    params = dict(n=n, omega=omega, gamma=gamma, t_max=t_max, t_points=t_points)
    write_result(out, data, coords={"t": times}, topic="lmg", params=params)


if "snakemake" in globals():
    to_file(snakemake.log[0])
    main(**dict(snakemake.params), out=snakemake.output.h5)
