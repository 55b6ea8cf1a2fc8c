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
            warm = []
            for _ in range(repeat):
                t = time.perf_counter()
                r = npa.npa_upper_bound(c, level, equalities=eqs)
                warm.append(time.perf_counter() - t)
            rows.append(
                {
                    "problem": name,
                    "level": level,
                    "exact": float(exact),
                    "bellflow_value": r.value,
                    "bellflow_status": r.status,
                    "bellflow_tol": r.tolerances.get("tol_gap_abs"),
                    "bellflow_cold_s": cold,
                    "bellflow_warm_s": statistics.median(warm),
                    "moment_matrix": npa.npa_structure(c.shape, level).size,
                }
            )
    return rows


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
    args = ap.parse_args(argv)

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
    head = "| problem | level | n | exact | bellflow value | cold s | warm s |"
    sep = "|---|---|---|---|---|---|---|"
    if "toqito_s" in rows[0]:
        head += " toqito value | toqito s | toqito/bellflow cold | toqito/bellflow warm |"
        sep += "---|---|---|---|"
    print(head)
    print(sep)
    for r in rows:
        line = (
            f"| {r['problem']} | {r['level']} | {r['moment_matrix']} | {r['exact']:.10f} | "
            f"{r['bellflow_value']:.10f} | {r['bellflow_cold_s']:.4f} | "
            f"{r['bellflow_warm_s']:.4f} |"
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
    if args.json:
        with open(args.json, "w") as fh:
            json.dump({"note": note, "rows": rows}, fh, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
