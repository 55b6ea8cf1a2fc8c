"""Benchmarks of paper 002 (bellflow.diqkd, bellflow.entropy): time and peak memory vs size.

Not part of the pass/fail test run. Usage::

    .venv/bin/python benchmarks/bench_diqkd.py            # d = 2..8, NPA d = 2, BFF m = 2..6
    .venv/bin/python benchmarks/bench_diqkd.py --npa-d 3  # also the NPA check at d = 3 (~2.5 min)

Prints a Markdown table (wall time of one call, peak Python-heap memory by tracemalloc; the
solvers' own native allocations are not included, see results/benchmarks/diqkd/*.tsv for the
workflow jobs' max RSS).
"""

from __future__ import annotations

import argparse
import time
import tracemalloc

import numpy as np

from bellflow import diqkd
from bellflow.entropy import bff_entropy


def measure(fn, *args, **kwargs) -> tuple[float, float]:
    tracemalloc.start()
    t0 = time.perf_counter()
    fn(*args, **kwargs)
    dt = time.perf_counter() - t0
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return dt, peak / 2**20


def main(d_max: int = 8, npa_d: tuple[int, ...] = (2,), bff_m: tuple[int, ...] = (2, 4, 6)):
    eps = 1e-2
    print("| quantity | size | time (s) | peak heap (MiB) |")
    print("|---|---|---|---|")
    for d in range(2, d_max + 1):
        c = diqkd.family_coefficients(d, eps)
        t, m = measure(diqkd.local_bound, c)
        print(f"| local bound (d^2 Alice strategies) | d = {d} | {t:.4f} | {m:.1f} |")
    for d in range(2, d_max + 1):
        p = diqkd.family_box(d, eps)
        p0 = diqkd.family_box(d, 0.0)
        ref = (p0, diqkd.local_decomposition(p0))
        t, m = measure(diqkd.distance_to_local, p, reference=ref)
        n_var = 3 * d**4 + 6 * d**3
        print(f"| distance LP ({n_var} variables) | d = {d} | {t:.3f} | {m:.1f} |")
    for d in npa_d:
        t, m = measure(diqkd.npa_check, d, 0.5)
        print(f"| NPA 1+AB check | d = {d} | {t:.2f} | {m:.1f} |")
    chsh = np.zeros((2, 2, 2, 2))
    for a, b, x, y in np.ndindex(2, 2, 2, 2):
        chsh[a, b, x, y] = (-1) ** (a + b + x * y)
    S = 2 * np.sqrt(2) * 0.95
    for mm in bff_m:
        t, m = measure(bff_entropy, mm, functionals=[(chsh, S)])
        print(f"| BFF CHSH ({mm - 1} SDPs, 49x49) | m = {mm} | {t:.2f} | {m:.1f} |")
    t, m = measure(bff_entropy, 2, p=diqkd.family_box(2, 0.5, 0.95), level="local", extra="")
    print(f"| BFF family d = 2 (1 SDP, 71x71) | m = 2 | {t:.2f} | {m:.1f} |")


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--d-max", type=int, default=8)
    ap.add_argument("--npa-d", type=int, nargs="*", default=[2])
    ap.add_argument("--bff-m", type=int, nargs="*", default=[2, 4, 6])
    a = ap.parse_args()
    main(a.d_max, tuple(a.npa_d), tuple(a.bff_m))
