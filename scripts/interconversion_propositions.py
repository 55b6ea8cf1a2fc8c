"""Rule interconversion_propositions: Proposition 1 (see-saw on |phi+>^n) and Proposition 2
(Schmidt spectra of |psi_H>^n) numerics."""

import numpy as np

from bellflow import interconversion
from bellflow.io import scalar, write_result
from bellflow.logs import to_file


def main(
    copies: list[int],
    penalty: float,
    restarts: int,
    iters: int,
    seed: int,
    control_penalty: float,
    claim_tol: float,
    n_max: int,
    n_dense: int,
    rtol: float,
    out: str,
) -> None:
    prop1 = dict(
        copies=list(copies),
        penalty=penalty,
        restarts=restarts,
        iters=iters,
        seed=seed,
        control_penalty=control_penalty,
    )
    prop2 = dict(n_max=n_max, n_dense=n_dense, rtol=rtol)
    p1 = interconversion.prop1_copies(**prop1)
    p2 = interconversion.prop2_spectra(**prop2)
    tol = float(claim_tol)
    data = {
        "prop1_J": (
            ("copies",),
            p1["J"],
            {"description": "max of p(00|00) - mu * zeros, |phi+>^n"},
        ),
        "prop1_success": (("copies",), p1["success"], {"description": "Hardy success there"}),
        "prop1_zeros": (("copies",), p1["zeros"], {"description": "sum of Hardy zeros there"}),
        "prop1_control_J": scalar(p1["control_J"], "same optimisation on |psi_H> (control)"),
        "prop1_no_hardy": scalar(bool(np.abs(p1["J"]).max() <= tol), "J <= tol for every n"),
        "prop2_evenly_degenerate": (
            ("n",),
            p2["evenly_degenerate"],
            {"description": "Eq. (7) spectrum condition holds"},
        ),
        "prop2_top_multiplicity": (
            ("n",),
            p2["top_multiplicity"],
            {"description": "multiplicity of s^n"},
        ),
        "prop2_odd_clusters": (
            ("n",),
            p2["odd_clusters"],
            {"description": "eigenvalues of odd multiplicity"},
        ),
        "prop2_dense_vs_product": (
            ("n",),
            p2["dense_vs_product"],
            {"description": "dense vs product spectrum"},
        ),
        "prop2_schmidt_s": scalar(p2["s"], "Schmidt coefficient s of |psi_H>"),
        "prop2_condition_fails_all_n": scalar(
            bool(not p2["evenly_degenerate"].any()), "Eq. (7) fails for every n"
        ),
        "prop2_control_ok": scalar(p2["control_ok"], "I/2 (x) rho_zeta passes (control)"),
    }
    params = {"prop1": prop1, "prop2": prop2, "claim_tol": claim_tol}
    write_result(
        out, data, coords={"copies": p1["n"], "n": p2["n"]}, topic="interconversion", params=params
    )


if "snakemake" in globals():
    to_file(snakemake.log[0])
    main(**dict(snakemake.params), out=snakemake.output.h5)
