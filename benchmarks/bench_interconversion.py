"""Benchmark: the Hardy-vs-Schmidt curve of paper 000, old route against new route.

Old route (until the closed form became the route): the numerical maximisation over
measurements (:func:`bellflow.interconversion.hardy_success_schmidt_numeric`, SLSQP from
``starts`` random points) at every ``s`` of the grid, chunked over jobs.
New route: the closed form :func:`bellflow.interconversion.hardy_success_schmidt` on the whole
grid, and the numerical maximisation only at the check points of the config
(:func:`bellflow.interconversion.hardy_schmidt_curve`).

Both are timed in the same run. The old route is timed on ``n_old`` grid points and scaled
linearly to the full grid (its cost is the same per point); the table gives the measured and
the scaled times and their ratio. Prints a table; writes nothing.

Run: ``python benchmarks/bench_interconversion.py [points] [n_old] [starts]`` (defaults 201,
10 and 24, the full config).
"""

from __future__ import annotations

import sys
import time

import numpy as np

from bellflow import interconversion as ic

CHECK_S = [0.05, 0.2, 0.35, 0.5, 0.65, 0.8, 0.95]  # config/config.yaml hardy_schmidt.check_s


def main(points: int = 201, n_old: int = 10, starts: int = 24) -> None:
    s = np.linspace(0.0, 1.0, points)
    sub = s[:: max(1, points // n_old)][:n_old]
    t0 = time.perf_counter()
    old = ic.hardy_schmidt_chunk(sub, starts=starts, seed=0)
    t_old = (time.perf_counter() - t0) * points / sub.size
    t0 = time.perf_counter()
    curve = ic.hardy_success_schmidt(s)
    t_closed = time.perf_counter() - t0
    t0 = time.perf_counter()
    new = ic.hardy_schmidt_curve(s, CHECK_S, starts=starts, seed=0)
    t_new = time.perf_counter() - t0
    dev = float(np.abs(old["numeric"].values - old["closed_form"].values).max())
    assert np.array_equal(new["closed_form"].values, curve)
    print(f"Hardy vs Schmidt, {points} grid points, {starts} SLSQP starts per numerical point")
    print(f"{'route':<48} {'time / s':>10}")
    print(f"{'old: SLSQP at every point (scaled from ' + str(sub.size) + ')':<48} {t_old:>10.2f}")
    print(f"{'new: closed form on the grid':<48} {t_closed:>10.5f}")
    n_chk = new.sizes["s_check"]
    print(f"{'new: closed form + SLSQP at ' + str(n_chk) + ' check points':<48} {t_new:>10.2f}")
    print(f"ratio old / new: {t_old / t_new:.1f}x")
    print(f"max |closed form - SLSQP| (old route points): {dev:.2e}; new route check: "
          f"{float(new['max_abs_closed_vs_numeric']):.2e}")


if __name__ == "__main__":
    args = [int(a) for a in sys.argv[1:]]
    main(*args)
