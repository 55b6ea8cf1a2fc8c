"""Benchmark of paper 003 (open LMG): the non-thermal steady state and one Bell minimisation as
N grows, the band-limited sparse route against the routes it replaces, timed in the same run.

Routes (wall-clock seconds; ratios are baseline / band, so > 1 means the band route is faster):

- ``band``: :func:`bellflow.lmg.nonthermal_steady_state`: the GKLS equation in the energy
  eigenbasis, only the coherences ``|a - b| <= K`` kept (:mod:`bellflow.lmg.sparse`), K doubled
  until the full-equation residual is below 1e-12; memory O(N K^2).
- ``superop``: the previous route: the full (N+1)^2 x (N+1)^2 energy-basis superoperator handed
  to QuTiP ``steadystate`` (sparse LU after reverse Cuthill-McKee), up to ``--max-superop``.
- ``dense``: the same equation in the Dicke basis, where the rotated jump U S_+- U^+ is dense,
  through QuTiP's ``liouvillian`` + ``steadystate`` (the naive route; memory ~N^4 non-zeros),
  up to ``--max-dense``.

Each row also gives the residual of the band route, its band K and number of unknowns, the
largest deviation from the baseline states, and the time of one Bell minimisation (Eq. 3).

A second table times one chunk of the Fig. 1 maps (N = 20, 6 values of h x 10 of beta or
zeta: steady state + Bell minimum + witnesses per point) with the current routes (SuperLU on the
thermal superoperator, band route for the non-thermal one) against the QuTiP routes they
replaced, in the same run.

Run: ``python benchmarks/bench_lmg.py [--sizes 50 100 200 500 1000] [--max-superop 200]
[--max-dense 50]``.
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


def superop_route(n: int, j: float, h: float, zeta: float, gamma: float) -> np.ndarray:
    """The previous route: full energy-basis superoperator, QuTiP direct (RCM + SuperLU)."""
    from bellflow.lmg import energy_basis, nonthermal_liouvillian, steady_state

    b = energy_basis(n, j, h)
    ss = steady_state(nonthermal_liouvillian(b, zeta, gamma), methods=("direct",))
    return b.to_dicke(ss.rho)


def run(sizes, max_superop: int, max_dense: int, j=1.0, h=0.05, zeta=0.35, gamma=0.1):
    from bellflow.dicke import two_body_reduced_state
    from bellflow.lmg import bell_minimum, nonthermal_steady_state

    nonthermal_steady_state(6, j, h, zeta, gamma)  # warm-up: imports are not timed
    superop_route(6, j, h, zeta, gamma)
    rows = []
    for n in sizes:
        ss, t_band = _timed(nonthermal_steady_state, n, j, h, zeta, gamma)
        bm, t_bell = _timed(lambda r, n=n: bell_minimum(two_body_reduced_state(r), n), ss.rho, n)
        row = {
            "N": n,
            "band_s": t_band,
            "residual": ss.residual,
            "K": ss.params["band"],
            "unknowns": (n + 1) * (2 * ss.params["band"] + 1),
            "superop_s": np.nan,
            "superop/band": np.nan,
            "dense_s": np.nan,
            "dense/band": np.nan,
            "max|drho|": np.nan,
            "bell_min_s": t_bell,
            "bell": bm.value,
        }
        if n <= max_superop:
            rho_s, row["superop_s"] = _timed(superop_route, n, j, h, zeta, gamma)
            row["superop/band"] = row["superop_s"] / t_band
            row["max|drho|"] = float(np.abs(rho_s - ss.rho).max())
        if n <= max_dense:
            rho_d, row["dense_s"] = _timed(dense_dicke_route, n, j, h, zeta, gamma)
            row["dense/band"] = row["dense_s"] / t_band
            row["max|drho|"] = max(row["max|drho|"], float(np.abs(rho_d - ss.rho).max()))
        rows.append(row)
    return rows


def fig1_chunk(kind: str, new: bool, n: int = 20) -> float:
    """Seconds for one Fig. 1 chunk (6 x 10 points) by the current or the replaced route."""
    from bellflow.lmg import nonthermal_steady_state, observables, thermal_steady_state

    t0 = time.perf_counter()
    for h in np.linspace(0.05, 0.3, 6):
        for x in np.geomspace(0.3, 50, 10) if kind == "thermal" else np.linspace(0, 1.5, 10):
            if kind == "thermal":
                methods = ("spsolve",) if new else ("direct",)
                ss = thermal_steady_state(n, 1.0, h, x, methods=methods)
            else:
                ss = nonthermal_steady_state(n, 1.0, h, x, 0.1, band=new)
            observables(ss.rho)
    return time.perf_counter() - t0


def run_fig1() -> list[dict]:
    rows = []
    for kind in ("thermal", "nonthermal"):
        t_new, t_old = fig1_chunk(kind, True), fig1_chunk(kind, False)
        rows.append({"kind": kind, "new_s": t_new, "qutip_s": t_old, "qutip/new": t_old / t_new})
    return rows


def _table(rows) -> str:
    keys = list(rows[0])
    out = ["| " + " | ".join(keys) + " |", "|" + "---|" * len(keys)]
    for r in rows:
        out.append(
            "| " + " | ".join(r[k] if isinstance(r[k], str) else f"{r[k]:.3g}" for k in keys) + " |"
        )
    return "\n".join(out)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[50, 100, 200, 500, 1000])
    ap.add_argument("--max-superop", type=int, default=200)
    ap.add_argument("--max-dense", type=int, default=50)
    args = ap.parse_args()
    rows = run(args.sizes, args.max_superop, args.max_dense)
    print("Non-thermal steady state (zeta = 0.35, gamma = 0.1), J = 1, h = 0.05\n")
    print(_table(rows))
    print("\nOne Fig. 1 chunk (N = 20, 60 points), current vs replaced QuTiP route\n")
    print(_table(run_fig1()))


if __name__ == "__main__":
    main()
