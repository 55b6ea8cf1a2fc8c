"""Benchmark of paper 003 (open LMG): steady states and one Bell minimisation as N grows.

Routes compared in one run (wall-clock seconds, ratios to the energy-basis route):

- ``energy``: :func:`bellflow.lmg.nonthermal_steady_state` / ``thermal_steady_state``: the GKLS
  equation written in the energy eigenbasis (H diagonal, jumps sparse), QuTiP ``steadystate``
  (sparse LU after reverse Cuthill-McKee).
- ``dicke-dense``: the same equation in the Dicke basis, where the rotated jump operator
  U S_+- U^+ is dense, handed to QuTiP's ``liouvillian`` + ``steadystate`` (the naive route);
  run up to ``--max-dense`` (memory grows like N^4 non-zeros).
- ``full``: the 2^N-dimensional route for the Bell value (explicit Eq. 1 operator and partial
  trace), N <= 8.
- QuTiP's ``piqs`` does not apply: its collective processes are S_-, S_+, S_z in the Dicke basis,
  not the energy-basis-rotated J(zeta) nor a Davies bath coupled through S_y; it is reported as
  not applicable rather than timed on a different model.

Run: ``python benchmarks/bench_lmg.py [--sizes 20 50 100 200] [--max-dense 100]``.
"""

from __future__ import annotations

import argparse
import time

import numpy as np


def _timed(fn, *args, **kwargs):
    t0 = time.perf_counter()
    out = fn(*args, **kwargs)
    return out, time.perf_counter() - t0


def dense_dicke_route(n: int, j: float, h: float, zeta: float, gamma: float) -> np.ndarray:
    """Non-thermal steady state built in the Dicke basis (dense rotated jump), via QuTiP."""
    import qutip

    from bellflow.dicke import spin_operators
    from bellflow.lmg import energy_basis, lmg_hamiltonian

    b = energy_basis(n, j, h)
    ops = spin_operators(n)
    jump = b.vectors @ (np.cos(zeta) * ops.sp + np.sin(zeta) * ops.sm) @ b.vectors.T
    liou = qutip.liouvillian(
        qutip.Qobj(lmg_hamiltonian(n, j, h)), [qutip.Qobj(np.sqrt(gamma / n) * jump)]
    )
    return qutip.steadystate(liou).full()


def full_space_bell(n: int, rho_dicke: np.ndarray, phi: float, theta: float) -> float:
    """Tr[B rho] with the explicit 2^n Eq. (1) operator and the embedded state."""
    from bellflow.dicke import dicke_embedding
    from bellflow.lmg import bell_operator_full

    v = dicke_embedding(n)
    return float(np.trace(bell_operator_full(n, phi, theta) @ (v @ rho_dicke @ v.T)).real)


def run(sizes, max_dense: int, j=1.0, h=0.05, beta=10.0, zeta=0.35, gamma=0.1):
    from bellflow.dicke import two_body_reduced_state
    from bellflow.lmg import bell_minimum, nonthermal_steady_state, thermal_steady_state

    nonthermal_steady_state(6, j, h, zeta, gamma)  # warm-up: imports (QuTiP) are not timed
    thermal_steady_state(6, j, h, beta)
    rows = []
    for n in sizes:
        ss, t_energy = _timed(nonthermal_steady_state, n, j, h, zeta, gamma)
        _, t_thermal = _timed(thermal_steady_state, n, j, h, beta)
        bm, t_bell = _timed(lambda r, n=n: bell_minimum(two_body_reduced_state(r), n), ss.rho, n)
        t_dense = float("nan")
        err_dense = float("nan")
        if n <= max_dense:
            rho_d, t_dense = _timed(dense_dicke_route, n, j, h, zeta, gamma)
            err_dense = float(np.abs(rho_d - ss.rho).max())
        rows.append(
            {
                "N": n,
                "energy_s": t_energy,
                "thermal_s": t_thermal,
                "dicke_dense_s": t_dense,
                "dense/energy": t_dense / t_energy,
                "max|drho|": err_dense,
                "bell_min_s": t_bell,
                "bell": bm.value,
                "residual": ss.residual,
            }
        )
    full_rows = []
    for n in (4, 6, 8):
        ss = nonthermal_steady_state(n, j, h, zeta, gamma)
        bm, t_dicke = _timed(lambda r, n=n: bell_minimum(two_body_reduced_state(r), n), ss.rho, n)
        val, t_full = _timed(full_space_bell, n, ss.rho, bm.phi, bm.theta)
        full_rows.append(
            {
                "N": n,
                "dicke_min_s": t_dicke,
                "full_one_eval_s": t_full,
                "full/dicke": t_full / t_dicke,
                "|diff|": abs(val - bm.value),
            }
        )
    return rows, full_rows


def _table(rows) -> str:
    keys = list(rows[0])
    out = ["| " + " | ".join(keys) + " |", "|" + "---|" * len(keys)]
    for r in rows:
        out.append("| " + " | ".join(f"{r[k]:.3g}" for k in keys) + " |")
    return "\n".join(out)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[20, 50, 100, 200])
    ap.add_argument("--max-dense", type=int, default=50)
    args = ap.parse_args()
    rows, full_rows = run(args.sizes, args.max_dense)
    print("Steady states (non-thermal zeta=0.35, gamma=0.1; thermal beta=10), J=1, h=0.05\n")
    print(_table(rows))
    print("\nBell value: Dicke route (full minimisation) vs one full-space 2^N evaluation\n")
    print(_table(full_rows))
    try:
        import qutip.piqs  # noqa: F401

        print("\nqutip.piqs: available, not applicable (no rotated-jump or Davies processes).")
    except ImportError:
        print("\nqutip.piqs: not installed.")


if __name__ == "__main__":
    main()
