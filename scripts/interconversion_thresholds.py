"""Rule interconversion_thresholds: isotropic local/quantum thresholds by bisection (+ direct)."""

from bellflow import boxes, interconversion, npa
from bellflow.io import scalar, write_result
from bellflow.logs import to_file


def main(bisection_tol: float, level: str, out: str) -> None:
    loc = interconversion.isotropic_threshold("local", tol=bisection_tol)
    qu = interconversion.isotropic_threshold("quantum", tol=bisection_tol, level=level)
    pr = boxes.pr_boxes()[0]
    vis_l = boxes.local_visibility(pr)
    vis_q = npa.npa_visibility(pr, level)
    data = {
        "eta_local": scalar(loc.value, "local threshold of PR_eta, LP bisection (midpoint)"),
        "eta_local_lo": scalar(loc.lo, "largest eta found local"),
        "eta_local_hi": scalar(loc.hi, "smallest eta found nonlocal"),
        "eta_quantum": scalar(qu.value, f"NPA {level} threshold of PR_eta, bisection (midpoint)"),
        "eta_quantum_lo": scalar(qu.lo, "largest eta found in the NPA set"),
        "eta_quantum_hi": scalar(qu.hi, "smallest eta found outside the NPA set"),
        "eta_local_visibility": scalar(vis_l.value, "LP visibility of the PR box (direct route)"),
        "eta_quantum_visibility": scalar(vis_q.value, "NPA visibility of the PR box (direct)"),
        "bisection_tol": scalar(bisection_tol, "bracket width at which bisection stops"),
        "steps_local": scalar(loc.steps, "membership tests (local)"),
        "steps_quantum": scalar(qu.steps, "membership tests (quantum)"),
    }
    write_result(
        out,
        data,
        topic="interconversion",
        params={"bisection_tol": bisection_tol, "level": level},
        solver=vis_q,
        attrs={"bisection_solver_quantum": qu.solver, "bisection_solver_local": loc.solver},
    )


if "snakemake" in globals():
    to_file(snakemake.log[0])
    main(**dict(snakemake.params), out=snakemake.output.h5)
