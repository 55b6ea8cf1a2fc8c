"""NPA solve times of bellflow.npa against toqito's NPA, CHSH and Hardy, levels 1, 1+AB, 2.

Usage::

    .venv/bin/python benchmarks/bench_npa.py [--repeat 5] [--toqito-python PATH] [--json OUT]

toqito is not a bellflow dependency. It is timed in a separate interpreter that has it
installed (``--toqito-python`` or the environment variable ``BELLFLOW_TOQITO_PYTHON``, e.g. a
throwaway venv with ``pip install toqito==1.1.8``); without one, the output says so and only
bellflow is timed. Both sides solve with Clarabel. bellflow is timed cold (first solve,
including building the moment-matrix structure and canonicalising the cvxpy problem) and warm
(the cached, parametrised problem: what a bisection or a scan pays per point); toqito builds its
problem on every call, so its time includes construction. The toqito problem is given the same
objective and (for Hardy) equality constraints in Collins-Gisin form.

Known (PHYSICS_NOTES): toqito's "1+ab" for the Hardy problem returns the level-1 value, so the
values are printed side by side and a mismatch is flagged rather than hidden.

Every bellflow row reports the solve time and the certification time (repaired dual, see
:mod:`bellflow.optim`) side by side.

Timings on a shared machine: wall times vary with the load, CPU seconds (all threads of the
process) less so; both are printed.

Second table: the paper-002 NPA check (``diqkd.npa_check``: level 1+AB, expression shifted by
the quantum value ``d - 1``) per ``d``, each case in its own interpreter so that its peak memory
(``ru_maxrss``) is its own. "full" is the certified route (certified; moment matrices of side >=
``npa.LARGE_SIZE`` start the tolerance ladder at 1e-7, one Clarabel solve); "old" is the route
before certification (ladder from 1e-9: a degenerate NPA optimum ends "almost solved" at 1e-9
and 1e-8, so it costs up to three full solves), timed in the same run. Both use the same cvxpy
formulation. The old route at d = 3 takes several minutes and is run only with ``--old-d3``;
by default the ratio is measured at d = 2 and said so. ``--d4`` adds d = 4 (side 231: the new
route picks SCS; Clarabel's dense KKT block of side 26,796 took 23 GB before the OOM killer).

Third route "sym" (issue 16, phase 2): the moments restricted to those invariant under the
family's dihedral relabelling group (order 2d) and the moment matrix block-diagonalised
(:mod:`bellflow.npa.symmetry`; d = 3: 95 -> blocks 16/15/32, d = 2: 27 -> 7/6/7/7), SCS at
1e-7 (Clarabel stalls on the degenerate reduced problem). "full" is the route it replaces.

Measured before the symmetry route (2 shared cores, load 10-20, eps = 0.1, 2026-12-02): d = 3
new ("full") 31.7 CPU s (179 s wall), 1.21 GB, certified excess 5.5e-6; old 94.9 CPU s
(495 s wall), 2.24 GB, three solves (1e-9 and 1e-8 "almost solved"); old / new 3.0x CPU,
2.8x wall. Certification 0.06 s.
d = 4 new (SCS, tol 1e-5): 33.6 CPU s, 0.21 GB, certified excess 1.0e-3, certification 0.5 s.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import textwrap
import time

import numpy as np

from bellflow import boxes as bx
from bellflow import npa
from bellflow.interconversion import hardy_objective, hardy_zero_conditions

LEVELS = ["1", "1+AB", "2"]

TOQITO_SNIPPET = textwrap.dedent(
    """
    import json, sys, time, warnings
    import numpy as np, cvxpy as cp
    from toqito.state_opt.npa_hierarchy import bell_npa_constraints
    warnings.filterwarnings("ignore")
    jobs = json.load(sys.stdin)
    out = []
    for job in jobs:
        M = np.array(job["M"]); desc = job["desc"]
        times, val, status = [], None, None
        for _ in range(job["repeat"]):
            t = time.perf_counter()
            P = cp.Variable(M.shape)
            cons = bell_npa_constraints(P, desc, k=job["level"]) + [P[0, 0] == 1]
            for E, e in job["eq"]:
                cons.append(cp.sum(cp.multiply(np.array(E), P)) == e)
            prob = cp.Problem(cp.Maximize(cp.sum(cp.multiply(M, P))), cons)
            try:
                val = prob.solve(solver="CLARABEL")
                status = prob.status
            except Exception as exc:  # report, do not hide
                val, status = float("nan"), f"error: {exc}"
            times.append(time.perf_counter() - t)
        out.append({"value": val, "status": status, "times": times})
    json.dump(out, sys.stdout)
    """
)


def _cg_matrix(vec: np.ndarray, const: float, shape) -> np.ndarray:
    """bellflow's Collins-Gisin vector -> toqito's CG matrix layout."""
    oA, oB, mA, mB = shape
    nA, nB = (oA - 1) * mA, (oB - 1) * mB
    M = np.zeros((nA + 1, nB + 1))
    M[0, 0] = const
    M[1:, 0] = vec[:nA]
    M[0, 1:] = vec[nA : nA + nB]
    M[1:, 1:] = vec[nA + nB :].reshape(nA, nB)
    return M


def problems():
    """``name -> (coeffs, equalities, analytic value)``."""
    return {
        "CHSH": (bx.chsh_coefficients(), [], 2 * np.sqrt(2)),
        "Hardy": (hardy_objective(), hardy_zero_conditions(), (5 * np.sqrt(5) - 11) / 2),
    }


def bench_bellflow(repeat: int) -> list[dict]:
    import cvxpy  # noqa: F401  (import time is not solve time)

    rows = []
    for name, (c, eqs, exact) in problems().items():
        for level in LEVELS:
            npa._problem.cache_clear()
            npa.npa_structure.cache_clear()
            npa._facial_reduction.cache_clear()
            t = time.perf_counter()
            r = npa.npa_upper_bound(c, level, equalities=eqs)
            cold = time.perf_counter() - t
            warm, solve, cert = [], [], []
            for _ in range(repeat):
                t = time.perf_counter()
                r = npa.npa_upper_bound(c, level, equalities=eqs)
                warm.append(time.perf_counter() - t)
                solve.append(r.extra["solve_seconds"])
                cert.append(r.extra["certify_seconds"])
            # warm medians: the solve (all attempts' final one) and the certification
            solve_s, cert_s = statistics.median(solve), statistics.median(cert)
            rows.append(
                {
                    "problem": name,
                    "level": level,
                    "exact": float(exact),
                    "bellflow_value": r.value,
                    "bellflow_status": r.status,
                    "bellflow_tol": r.tolerances.get("tol_gap_abs"),
                    "bellflow_certified": r.certified,
                    "bellflow_cold_s": cold,
                    "solve_s": solve_s,
                    "certify_s": cert_s,
                    "bellflow_warm_s": statistics.median(warm),
                    "moment_matrix": npa.npa_structure(c.shape, level).size,
                }
            )
    return rows


FAMILY_EPS = 0.1


def family_case(route: str, d: int, eps: float) -> dict:
    """One paper-002 NPA check in this interpreter: times, values and peak memory."""
    import resource

    from bellflow.diqkd import family_coefficients, quantum_value
    from bellflow.optim import solve_sdp

    c = family_coefficients(d, eps)
    c[:, :, 0, 0] -= quantum_value(d) * 1.0  # B_d - (d - 1), as diqkd.npa_check
    st = npa.npa_structure(c.shape, "1+AB")
    t, cpu = time.perf_counter(), time.process_time()
    if route == "sym":  # dihedral symmetry: invariant moments, block-diagonal Gamma, SCS 1e-7
        from bellflow.diqkd import family_symmetry
        from bellflow.npa.symmetry import npa_upper_bound_symmetric

        r, red = npa_upper_bound_symmetric(c, "1+AB", *family_symmetry(d))
        blocks = "/".join(map(str, red.sizes))
    elif route == "old":  # ladder from 1e-9, no certificate (the route before certification)
        T, t0 = npa.cg_to_box_map(c.shape)
        prob, par, _ = npa._problem(c.shape, st.level, "bound", 0, ())
        par["c"].value = T.T @ c.reshape(-1)
        par["c0"].value = float(c.reshape(-1) @ t0)
        tols = [{"tol_gap_abs": e, "tol_gap_rel": e, "tol_feas": e} for e in npa.TOL_LADDER]
        r = solve_sdp(prob, name="old NPA route", fallbacks=tols[1:], **tols[0])
    else:  # "full": the certified route on the whole moment matrix
        r = npa.npa_upper_bound(c, "1+AB")  # solver="auto": SCS above npa.SCS_SIZE
    blocks = blocks if route == "sym" else str(st.size)
    total, cpu = time.perf_counter() - t, time.process_time() - cpu
    return {
        "route": route,
        "d": d,
        "eps": eps,
        "n": st.size,
        "blocks": blocks,
        "value_excess": r.value,
        "certified_excess": r.certified,
        "solver": r.solver,
        "attempts": len(r.extra["attempts"]),
        "tol": r.tolerances.get("tol_feas", r.tolerances.get("eps")),
        "total_s": total,
        "cpu_s": cpu,
        "solve_s": r.extra["solve_seconds"],
        "certify_s": r.extra["certify_seconds"],
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def bench_family(old_d3: bool, d4: bool) -> list[dict]:
    cases = [("full", 2), ("old", 2), ("sym", 2), ("sym", 3), ("full", 3)]
    cases += [("old", 3)] if old_d3 else []
    cases += [("sym", 4), ("full", 4)] if d4 else []
    out = []
    for route, d in cases:
        proc = subprocess.run(
            [sys.executable, __file__, "--case", f"{route}:{d}:{FAMILY_EPS}"],
            capture_output=True,
            text=True,
            timeout=3600,
        )
        if proc.returncode != 0:
            out.append({"route": route, "d": d, "error": proc.stderr.strip().splitlines()[-1]})
        else:
            out.append(json.loads(proc.stdout))
    return out


def print_family(rows: list[dict]) -> None:
    print(f"\n# paper-002 NPA check, level 1+AB, eps = {FAMILY_EPS} (each case its own process)\n")
    print(
        "| route | d | n | PSD blocks | solver | attempts | tol | value - (d-1) "
        "| certified - (d-1) | total s | CPU s | solve s | certify s | peak MB |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        if "error" in r:
            print(f"| {r['route']} | {r['d']} | error: {r['error']} |")
            continue
        print(
            f"| {r['route']} | {r['d']} | {r['n']} | {r['blocks']} | {r['solver']} | "
            f"{r['attempts']} | "
            f"{r['tol']:.0e} | {r['value_excess']:.3e} | {r['certified_excess']:.3e} | "
            f"{r['total_s']:.1f} | {r['cpu_s']:.1f} | {r['solve_s']:.1f} | {r['certify_s']:.2f} | "
            f"{r['peak_mb']:.0f} |"
        )
    by = {(r["route"], r["d"]): r for r in rows if "error" not in r}
    for a, b in (("old", "full"), ("full", "sym")):
        for d in (2, 3, 4):
            if (a, d) in by and (b, d) in by:
                x, y = by[(a, d)], by[(b, d)]
                print(
                    f"\n{a} / {b} at d = {d}: wall {x['total_s'] / y['total_s']:.1f}x, "
                    f"CPU {x['cpu_s'] / y['cpu_s']:.1f}x, peak memory "
                    f"{x['peak_mb'] / y['peak_mb']:.1f}x"
                )


def bench_toqito(python: str, repeat: int) -> list[dict] | str:
    jobs = []
    for _name, (c, eqs, _exact) in problems().items():
        shape = c.shape
        T, t0 = npa.cg_to_box_map(shape)
        M = _cg_matrix(T.T @ c.reshape(-1), float(c.reshape(-1) @ t0), shape)
        eq = []
        for ck, vk in eqs:
            ck = np.asarray(ck).reshape(-1)
            eq.append([_cg_matrix(T.T @ ck, float(ck @ t0), shape).tolist(), float(vk)])
        for level in LEVELS:
            lev = level.lower() if level == "1+AB" else int(level)
            jobs.append(
                {"M": M.tolist(), "desc": list(shape), "level": lev, "eq": eq, "repeat": repeat}
            )
    try:
        proc = subprocess.run(
            [python, "-c", TOQITO_SNIPPET],
            input=json.dumps(jobs),
            capture_output=True,
            text=True,
            timeout=1800,
            check=True,
        )
    except (OSError, subprocess.SubprocessError) as exc:
        return f"toqito run failed: {exc}"
    return json.loads(proc.stdout)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--toqito-python", default=os.environ.get("BELLFLOW_TOQITO_PYTHON"))
    ap.add_argument("--json", default=None, help="write the rows as JSON here")
    ap.add_argument("--old-d3", action="store_true", help="also time the old route at d = 3")
    ap.add_argument("--d4", action="store_true", help="add d = 4 (SCS, certified)")
    ap.add_argument("--case", default=None, help=argparse.SUPPRESS)  # worker: route:d:eps
    args = ap.parse_args(argv)
    if args.case:
        route, d, eps = args.case.split(":")
        json.dump(family_case(route, int(d), float(eps)), sys.stdout)
        return 0

    rows = bench_bellflow(args.repeat)
    note = ""
    if args.toqito_python:
        tq = bench_toqito(args.toqito_python, args.repeat)
        if isinstance(tq, str):
            note = tq
        else:
            ver = subprocess.run(
                [
                    args.toqito_python,
                    "-c",
                    "import toqito, importlib.metadata as m;print(m.version('toqito'))",
                ],
                capture_output=True,
                text=True,
            ).stdout.strip()
            note = f"toqito {ver} (same machine, same run, Clarabel)"
            for row, t in zip(rows, tq, strict=True):
                row["toqito_value"] = t["value"]
                row["toqito_status"] = t["status"]
                row["toqito_s"] = statistics.median(t["times"])
                row["ratio_cold"] = row["toqito_s"] / row["bellflow_cold_s"]
                row["ratio_warm"] = row["toqito_s"] / row["bellflow_warm_s"]
    else:
        note = "toqito not available (pass --toqito-python PATH): bellflow only"

    print(f"# NPA benchmark ({note})\n")
    head = (
        "| problem | level | n | exact | bellflow value | certified | cold s | warm s "
        "| solve s | certify s |"
    )
    sep = "|---|---|---|---|---|---|---|---|---|---|"
    if "toqito_s" in rows[0]:
        head += " toqito value | toqito s | toqito/bellflow cold | toqito/bellflow warm |"
        sep += "---|---|---|---|"
    print(head)
    print(sep)
    for r in rows:
        line = (
            f"| {r['problem']} | {r['level']} | {r['moment_matrix']} | {r['exact']:.10f} | "
            f"{r['bellflow_value']:.10f} | {r['bellflow_certified']:.10f} | "
            f"{r['bellflow_cold_s']:.4f} | {r['bellflow_warm_s']:.4f} | {r['solve_s']:.4f} | "
            f"{r['certify_s']:.4f} |"
        )
        if "toqito_s" in r:
            flag = ""
            if not np.isclose(r["toqito_value"], r["bellflow_value"], atol=1e-5):
                flag = " (differs)"
            if r["toqito_status"] != "optimal":
                flag += f" [{r['toqito_status']}]"
            line += (
                f" {r['toqito_value']:.10f}{flag} | {r['toqito_s']:.4f} | "
                f"{r['ratio_cold']:.1f} | {r['ratio_warm']:.1f} |"
            )
        print(line)
    checks = bench_family(args.old_d3, args.d4)
    print_family(checks)
    if args.json:
        with open(args.json, "w") as fh:
            json.dump({"note": note, "rows": rows, "family": checks}, fh, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
