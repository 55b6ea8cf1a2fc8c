"""Rule interconversion_fig1_data: the Fig. 1 slice (local/quantum/NS boundaries along rays)
and the Corollary 1 / Theorem 3 range of non-distillable isotropic boxes."""

import numpy as np

from bellflow import boxes, interconversion, npa
from bellflow.io import scalar, write_result
from bellflow.logs import to_file


def main(n_angles: int, level: str, out: str) -> None:
    A = interconversion.hardy_box_chsh_aligned()
    rng = interconversion.isotropic_nondistillable_range(A)
    cross = interconversion.segment_isotropic_crossing(A, rng["L_prime"])
    points = {
        "PR": boxes.pr_boxes()[0],
        "PT": interconversion.tsirelson_box(),
        "PH": A,
        "Piso": boxes.isotropic_box(rng["eta_max"]),
        "Lprime": rng["L_prime"],
        "Lhalf": boxes.isotropic_box(0.5),
    }
    angles = np.linspace(0.0, 2 * np.pi, n_angles, endpoint=False)
    f = interconversion.fig1_slice(A, angles, level=level, points=points)
    eta_l = boxes.local_visibility(boxes.pr_boxes()[0]).value
    eta_q = npa.npa_visibility(boxes.pr_boxes()[0], level).value
    nonempty = bool(eta_l + 1e-6 < rng["eta_max"] < eta_q - 1e-6)
    data = {
        "theorem3_range_nonempty": scalar(nonempty, "1/2 < eta_max < 1/sqrt 2 (both computed)"),
        "r_local": (("angle",), f.r_local, {"description": "local polytope boundary (LP)"}),
        "r_quantum": (("angle",), f.r_quantum, {"description": f"NPA {level} boundary"}),
        "r_ns": (("angle",), f.r_ns, {"description": "no-signalling boundary (closed form)"}),
        "eta_max": scalar(rng["eta_max"], "largest eta with PR_eta = lambda P_H + (1-lambda) L"),
        "lambda_at_eta_max": scalar(rng["lambda"], "weight of P_H there"),
        "crossing_eta": scalar(cross["eta"], "line P_H-L' meets the isotropic line (lstsq)"),
        "crossing_residual": scalar(cross["residual"], "residual of that solve"),
        "lprime_local": scalar(boxes.local_membership(rng["L_prime"]).extra["member"], "L' local"),
    }
    for name, (x, y) in f.points.items():
        data[f"x_{name}"] = scalar(x, f"slice coordinate X of {name}")
        data[f"y_{name}"] = scalar(y, f"slice coordinate Y of {name}")
    write_result(
        out,
        data,
        coords={"angle": angles},
        topic="interconversion",
        params={"n_angles": n_angles, "level": level},
        solver=f.solver,
    )


if "snakemake" in globals():
    to_file(snakemake.log[0])
    main(**dict(snakemake.params), out=snakemake.output.h5)
