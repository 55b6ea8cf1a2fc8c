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

A third table gives same-run ratios for the routes changed in phase 2 (CPU seconds,
``time.process_time``, less disturbed by other load than wall time): the Bell minimum of
Eq. (3) by Newton vs the BFGS route it replaced; the Fig. 3 dynamics by one eigendecomposition
vs ``qutip.mesolve``; the ``evolve(method="eig")`` product vs the 3-d temporary it replaced (at
the lmg.depends grid); the Davies generator vectorised vs its per-cluster loop;
``import bellflow.lmg`` without vs with QuTiP (a fresh interpreter each, 3 repeats, child CPU
time); and the study-2 cost per map point (I3322 see-saw, LP).

Run: ``python benchmarks/bench_lmg.py [--sizes 50 100 200 500 1000] [--max-superop 200]
[--max-dense 50] [--skip-changes]``.
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


def _cpu(fn, *args, **kwargs):
    t0 = time.process_time()
    out = fn(*args, **kwargs)
    return out, time.process_time() - t0


def _import_cpu(code: str, repeats: int = 3) -> float:
    """Median child CPU seconds of a fresh interpreter running ``code``."""
    import os
    import subprocess
    import sys

    times = []
    for _ in range(repeats):
        before = os.times()
        subprocess.run([sys.executable, "-c", code], check=True)
        after = os.times()
        times.append(
            after.children_user
            + after.children_system
            - before.children_user
            - before.children_system
        )
    return float(np.median(times))


def thermal_liouvillian_loop(basis, beta, alpha=1e-3, omega_c=10.0):
    """The Davies generator as built before phase 2 (a Python loop over the Bohr-frequency
    clusters), the baseline of the vectorised :func:`bellflow.lmg.thermal_liouvillian`."""
    import scipy.sparse as sp

    from bellflow.lmg.liouvillian import _bohr_clusters, _commutator_super, _coo, ohmic_rate

    d = basis.n + 1
    a_idx, b_idx, amp, cluster, w_mean = _bohr_clusters(basis, 1e-9)
    rate = ohmic_rate(w_mean, beta, alpha, omega_c)[cluster]
    rows, cols, vals, k_rows, k_cols, k_vals = [], [], [], [], [], []
    starts = np.flatnonzero(np.diff(np.concatenate([[-1], cluster])))
    ends = np.concatenate([starts[1:], [cluster.size]])
    for s, e in zip(starts, ends, strict=True):
        ai, bi, xi, g = a_idx[s:e], b_idx[s:e], amp[s:e], rate[s]
        ii, jj = np.repeat(np.arange(e - s), e - s), np.tile(np.arange(e - s), e - s)
        rows.append(ai[ii] + d * ai[jj])
        cols.append(bi[ii] + d * bi[jj])
        vals.append(g * xi[ii] * np.conj(xi[jj]))
        same = ai[ii] == ai[jj]
        k_rows.append(bi[ii][same])
        k_cols.append(bi[jj][same])
        k_vals.append(g * np.conj(xi[ii][same]) * xi[jj][same])
    jump_part = _coo((vals, rows, cols), (d * d, d * d))
    kmat = _coo((k_vals, k_rows, k_cols), (d, d))
    eye = sp.identity(d, format="csr")
    diss = jump_part - 0.5 * sp.kron(eye, kmat) - 0.5 * sp.kron(kmat.T, eye)
    return (_commutator_super(sp.diags(basis.energies)) + diss).tocsr()


def run_changes() -> list[dict]:
    """Same-run CPU ratios of the phase-2 changes (module docstring, third table)."""
    from bellflow.dicke import spin_operators, two_body_reduced_state
    from bellflow.lmg import (
        bell_minimum,
        dicke_liouvillian,
        eq14_dynamics,
        eq14_hamiltonian,
        eq14_initial_state,
        i3322_coefficients,
        pauli_tensor,
        seesaw_qubits,
    )
    from bellflow.lmg.twobody import horodecki_box

    rows = []
    times = np.linspace(0, 60, 1201)
    states = eq14_dynamics(20, 1.0, 0.001, times)
    rho2s = [two_body_reduced_state(r) for r in states]
    _, t_new = _cpu(lambda: [bell_minimum(r, 20) for r in rho2s])
    _, t_old = _cpu(lambda: [bell_minimum(r, 20, method="bfgs") for r in rho2s])
    rows.append(
        {"what": "Bell minimum Eq. (3), 1201 Fig. 3 states", "new_s": t_new, "old_s": t_old}
    )
    import qutip  # noqa: F401 - imported before timing

    _, t_new = _cpu(eq14_dynamics, 20, 1.0, 0.001, times)
    _, t_old = _cpu(eq14_dynamics, 20, 1.0, 0.001, times, method="mesolve")
    rows.append(
        {
            "what": "Fig. 3 dynamics, N = 20, 1201 times (eig vs mesolve)",
            "new_s": t_new,
            "old_s": t_old,
        }
    )
    ops = spin_operators(20)
    liou = dicke_liouvillian(eq14_hamiltonian(20, 1.0), [np.sqrt(0.1 / 20) * ops.sy]).toarray()
    lam, vec = np.linalg.eig(liou)
    coef = np.linalg.solve(vec, eq14_initial_state(20).reshape(-1, order="F"))
    tt = np.geomspace(0.1, 1e6, 81)
    _, t_new = _cpu(lambda: (np.exp(np.outer(tt, lam)) * coef) @ vec.T)
    _, t_old = _cpu(lambda: (vec[None] * (np.exp(np.outer(tt, lam)) * coef)[:, None, :]).sum(-1))
    rows.append({"what": "evolve eig: states at 81 times, d = 21", "new_s": t_new, "old_s": t_old})
    from bellflow.lmg import energy_basis, thermal_liouvillian

    bases = [energy_basis(20, 1.0, h) for h in np.linspace(0.0, 0.5, 26)]
    new, t_new = _cpu(lambda: [thermal_liouvillian(b, 10.0) for b in bases])
    old, t_old = _cpu(lambda: [thermal_liouvillian_loop(b, 10.0) for b in bases])
    assert max(abs(a - b).max() for a, b in zip(new, old, strict=True)) == 0
    rows.append({"what": "Davies generator, N = 20, 26 fields", "new_s": t_new, "old_s": t_old})
    t_new = _import_cpu("import bellflow.lmg")
    t_old = _import_cpu("import bellflow.lmg, qutip")
    rows.append(
        {"what": "import bellflow.lmg (lazy QuTiP vs QuTiP)", "new_s": t_new, "old_s": t_old}
    )
    tens = pauli_tensor(np.array(rho2s[:400]))
    _, t_ss = _cpu(seesaw_qubits, tens, i3322_coefficients(), starts=12)
    rows.append(
        {
            "what": "study 2: I3322 see-saw, 400 states, 12 starts (per state)",
            "new_s": t_ss / 400,
            "old_s": np.nan,
        }
    )
    from bellflow.boxes import local_visibility

    _, t_lp = _cpu(lambda: [local_visibility(horodecki_box(r)) for r in rho2s[:100]])
    rows.append(
        {"what": "study 2: Horodecki box + LP (per state)", "new_s": t_lp / 100, "old_s": np.nan}
    )
    for r in rows:
        r["old/new"] = r["old_s"] / r["new_s"]
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
    ap.add_argument("--skip-changes", action="store_true", help="skip the phase-2 table")
    args = ap.parse_args()
    if not args.skip_changes:
        print("Phase-2 changes, CPU seconds in the same run (old/new > 1: faster)\n")
        print(_table(run_changes()))
        print()
    rows = run(args.sizes, args.max_superop, args.max_dense)
    print("Non-thermal steady state (zeta = 0.35, gamma = 0.1), J = 1, h = 0.05\n")
    print(_table(rows))
    print("\nOne Fig. 1 chunk (N = 20, 60 points), current vs replaced QuTiP route\n")
    print(_table(run_fig1()))


if __name__ == "__main__":
    main()
