"""Benchmarks of paper 002 (bellflow.diqkd, bellflow.entropy): time and peak memory vs size.

Not part of the pass/fail test run. Usage::

    .venv/bin/python benchmarks/bench_diqkd.py            # d = 2..8, NPA d = 2, BFF m = 2..6
    .venv/bin/python benchmarks/bench_diqkd.py --npa-d 3  # also the NPA check at d = 3 (~40 s)
    .venv/bin/python benchmarks/bench_diqkd.py --bff-d3   # also BFF at d = 3, m = 2 (minutes)

Prints a Markdown table (wall time of one call, peak Python-heap memory by tracemalloc; the
solvers' own native allocations are not included, see results/benchmarks/diqkd/*.tsv for the
workflow jobs' max RSS), and the BFF per-node table: the old route (full 49 x 49 CHSH moment
matrix; the family with Bob's never-occurring third outcome) against the new one (symmetry
reduction to four blocks; merged zero outcome), timed in the same run, with both certified
values. Distance LPs (issue 16, phase 2): the full LP against the one reduced by the family's
dihedral relabelling symmetry (one weight per orbit), CPU seconds of each in the same run.
"""

from __future__ import annotations

import argparse
import time
import tracemalloc

from bellflow import diqkd
from bellflow import entropy as En


def measure(fn, *args, **kwargs) -> tuple[float, float]:
    tracemalloc.start()
    t0 = time.perf_counter()
    fn(*args, **kwargs)
    dt = time.perf_counter() - t0
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return dt, peak / 2**20


def main(d_max: int = 8, npa_d: tuple[int, ...] = (2,), bff_m: tuple[int, ...] = (2, 4, 6)) -> None:
    eps = 1e-2
    print("| quantity | size | time (s) | peak heap (MiB) |")
    print("|---|---|---|---|")
    for d in range(2, d_max + 1):
        c = diqkd.family_coefficients(d, eps)
        t, m = measure(diqkd.local_bound, c)
        print(f"| local bound (d^2 Alice strategies) | d = {d} | {t:.4f} | {m:.1f} |")
    print()
    print(
        "| distance LP (eps = 0.01) | variables | full CPU s | symmetric CPU s | speed-up "
        "| full value | symmetric value | symmetric [lower, upper] |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for d in range(2, d_max + 1):
        p = diqkd.family_box(d, eps)
        p0 = diqkd.family_box(d, 0.0)
        ref = (p0, diqkd.local_decomposition(p0))
        gens = diqkd.family_symmetry(d)
        diqkd.distance_to_local(p, reference=ref, symmetry=gens)  # orbits, imports: warm
        t0 = time.process_time()
        full = diqkd.distance_to_local(p, reference=ref)
        t_full = time.process_time() - t0
        t0 = time.process_time()
        sym = diqkd.distance_to_local(p, reference=ref, symmetry=gens)
        t_sym = time.process_time() - t0
        n_full, n_sym = len(full.opt.extra["x"]), len(sym.opt.extra["x"])
        print(
            f"| d = {d} | {n_full} -> {n_sym} | {t_full:.3f} | {t_sym:.3f} | "
            f"{t_full / t_sym:.1f}x | {full.value:.12f} | {sym.value:.12f} | "
            f"[{sym.lower:.12f}, {sym.upper:.12f}] |"
        )
    print()
    for d in npa_d:
        t, m = measure(diqkd.npa_check, d, 0.5)
        print(f"| NPA 1+AB check | d = {d} | {t:.2f} | {m:.1f} |")
    bff_nodes(bff_m)


def _node_pair(label, ms, t, p, new_kwargs, old_ms=None, old_p=None):
    """Old and new route of one BFF node, timed in the same run (warm: compiled once)."""
    old_ms, old_p = old_ms or ms, p if old_p is None else old_p
    En.bff_node_bound(old_ms, t, p=old_p)  # compile (cvxpy) outside the timing
    En.bff_node_bound(ms, t, p=p, **new_kwargs)
    t0 = time.perf_counter()
    a = En.bff_node_bound(old_ms, t, p=old_p)
    t_old = time.perf_counter() - t0
    t0 = time.perf_counter()
    b = En.bff_node_bound(ms, t, p=p, **new_kwargs)
    t_new = time.perf_counter() - t0
    print(
        f"| {label} | t = {t:.3f} | {t_old:.2f} | {t_new:.2f} | {t_old / t_new:.1f}x | "
        f"{a.certified:.8f} | {b.certified:.8f} |"
    )


def bff_nodes(bff_m: tuple[int, ...]) -> None:
    """BFF per-node cost, old route vs new route in the same run (issue 16)."""
    from bellflow.entropy.symmetry import candidate_generators

    print()
    print("| BFF node | node | old (s) | new (s) | speed-up | old certified | new certified |")
    print("|---|---|---|---|---|---|---|")
    ms = En.moment_structure((2, 2, 2, 2))
    gens = candidate_generators((2, 2, 2, 2), 0)
    t, _ = En.gauss_radau(max(bff_m))
    for v in (1.0, 0.95, 0.9):
        p = diqkd.chsh_box(v)[:, :, :, :2]
        for ti in t[:-1]:
            _node_pair(f"CHSH v = {v}: 49x49 vs 4 symmetry blocks", ms, ti, p, {"symmetries": gens})
    # paper 002, d = 2: Bob's third outcome never occurs; old: 3 outcomes (71x71), new: merged
    box = diqkd.family_box(2, 0.5, 0.95)
    q, _ = En.drop_zero_outcomes(box)
    old = En.moment_structure(box.shape, extra="", level="local")
    new = En.moment_structure(q.shape, extra="", level="local")
    _node_pair("family d = 2: 71x71 vs 43x43", new, t[0], q, {}, old_ms=old, old_p=box)


BFF_D3 = """
import json, resource, time
from bellflow import diqkd, entropy
t, c = time.perf_counter(), time.process_time()
r = diqkd.family_di_rate(3, {eps}, {m})
ms = entropy.moment_structure((3, 3, 2, 9), extra="", level="local")
print(json.dumps({{"H_AE": r.H_AE, "ceiling": diqkd.quadrature_ceiling({m}, 3),
    "status": r.entropy.statuses, "solver": r.entropy.nodes[0].opt.solver,
    "size": ms.size, "moments": len(ms.keys), "wall": time.perf_counter() - t,
    "cpu": time.process_time() - c,
    "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}}))
"""


def bff_d3(m: int = 2, eps: float = 0.5) -> None:
    """The family's BFF bound at d = 3 (SCS, diqkd.SCS_BFF) in its own process: node count,
    matrix size, time, peak memory (max RSS) and the certified value (issue 16)."""
    import json
    import subprocess
    import sys

    out = subprocess.run(
        [sys.executable, "-c", BFF_D3.format(m=m, eps=eps)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    r = json.loads(out.strip().splitlines()[-1])
    print()
    print(
        "| BFF d = 3 | nodes (SDPs) | moment matrix | moments | solver | CPU s | wall s "
        "| max RSS MB | certified H(A\\|E) | m-node ceiling |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    print(
        f"| eps = {eps} | {m} ({m - 1}) | {r['size']} x {r['size']} | {r['moments']} | "
        f"{r['solver']} {','.join(r['status'])} | {r['cpu']:.0f} | {r['wall']:.0f} | "
        f"{r['rss_mb']:.0f} | {r['H_AE']:.5f} | {r['ceiling']:.5f} |"
    )


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--d-max", type=int, default=8)
    ap.add_argument("--npa-d", type=int, nargs="*", default=[2])
    ap.add_argument("--bff-m", type=int, nargs="*", default=[2, 4, 6])
    ap.add_argument("--bff-d3", action="store_true", help="the d = 3 BFF bound (minutes)")
    a = ap.parse_args()
    main(a.d_max, tuple(a.npa_d), tuple(a.bff_m))
    if a.bff_d3:
        bff_d3()
