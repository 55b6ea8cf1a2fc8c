"""Benchmark: a 1000 x 1000 (a, S) scan of every paper-004 quantity.

Times :func:`bellflow.delivery.scan` (E_F, concurrence, fidelity, Horodecki CHSH, entangled /
CHSH-violating / LHV masks) against a bare numpy evaluation of the same closed forms in the same
run, and reports the ratio. For scale it also times the explicit route (4x4 matrices through
:mod:`bellflow.states`) on a smaller grid, and the DIQKD study scan
(:func:`bellflow.delivery.dikey.dikey_scan`, with its per-``a`` key thresholds). Prints a
table; writes nothing.

Study 1's BFF route (``--bff``): the certified BFF key rate per (a, S) point, new route vs
old route timed interleaved in the same run (CPU seconds, ``time.process_time``):

- old: the box of the earlier tilted settings (``a0, a1 = cos x u1 +- sin x u2``, rebuilt here
  as the baseline) through :func:`bellflow.diqkd.key_rate`: no relabelling symmetry, the
  full 49 x 49 node SDPs;
- new: :func:`bellflow.delivery.dikey.bff_rates` at the point (Alice ``z``/``x`` box, whose
  ``Z (x) Z`` symmetry gives two blocks, Clarabel equilibration off);
- the new box with ``symmetry=False`` isolates the symmetry's share (same box, same value).

Run: ``python benchmarks/bench_delivery.py [n] [repeats]`` (defaults 1000 and 5), or
``python benchmarks/bench_delivery.py --bff [m]`` (``m`` quadrature nodes, default 4).
"""

from __future__ import annotations

import sys
import time

import numpy as np

from bellflow import delivery, states


def bare_numpy(a: np.ndarray, s: np.ndarray, p: float) -> dict[str, np.ndarray]:
    """The closed forms of bellflow.delivery, inline, without validation or helpers."""
    A = a[:, None]
    S = s[None, :]
    b = np.sqrt((1 - A) * (1 + A))
    ab = A * b
    craw = 2 * S * ab - 2 * (1 - S) * ab**2
    c = np.clip(craw, 0.0, None)
    x = c**2 / (2 * (1 + np.sqrt(1 - c**2)))
    with np.errstate(divide="ignore", invalid="ignore"):
        eof = np.where(x > 0, -x * np.log2(x) - (1 - x) * np.log1p(-x) / np.log(2), 0.0)
    u = 4 * ab**2
    tzz = 1 - (1 - S) * u
    chsh = 2 * np.sqrt(S**2 * u + np.maximum(S**2 * u, tzz**2))
    cc = 2 * S * ab / p
    bd, bo = p / 2 + (1 - p) / 4, (1 - p) / 4
    pop = (1 - S) * ab**2
    lhv = (
        (cc > 0)
        & (cc < 1)
        & (S * A**2 + (1 - S) * A**4 - cc * bd >= 0)
        & (pop - cc * bo >= 0)
        & (S * b**2 + (1 - S) * b**4 - cc * bd >= 0)
        & (craw > 0)
    )
    return {
        "eof": eof,
        "concurrence": c,
        "fidelity": 1 - 3 * A**2 * (1 - S) * b**2,
        "chsh_max": chsh,
        "entangled": c > 0,
        "chsh_violated": chsh > 2,
        "lhv": lhv,
    }


def best_of(fn, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def main(n: int = 1000, repeats: int = 5) -> None:
    a = np.linspace(0, 1, n)
    s = np.linspace(0, 1, n)
    p = delivery.BARRETT_WEIGHT
    lib = delivery.scan(a, s)
    ref = bare_numpy(a, s, p)
    for k, v in ref.items():  # same numbers, else the timing comparison is meaningless
        if v.dtype == bool:
            assert np.array_equal(lib[k], v), k
        else:
            np.testing.assert_allclose(lib[k], v, rtol=1e-12, atol=1e-15, err_msg=k)
    t_lib = best_of(lambda: delivery.scan(a, s), repeats)
    t_bare = best_of(lambda: bare_numpy(a, s, p), repeats)
    m = max(n // 10, 2)
    am, sm = np.linspace(0, 1, m), np.linspace(0, 1, m)

    def explicit():
        rho = delivery.delivered_state(am[:, None], sm[None, :])
        states.entanglement_of_formation(rho)
        states.horodecki_chsh(rho)
        states.fidelity_pure(
            np.stack([am, 0 * am, 0 * am, np.sqrt(1 - am**2)], -1)[:, None, :], rho
        )

    t_exp = best_of(explicit, max(1, repeats // 2))
    from bellflow.delivery import dikey

    t_key = best_of(lambda: dikey.dikey_scan(a, s, check_points=1), max(1, repeats // 2))
    npts = n * n
    print(f"delivery scan, {n} x {n} = {npts:,} points, best of {repeats} (time.perf_counter)")
    print(f"{'route':<44}{'time [s]':>10}{'us/point':>10}{'ratio':>8}")
    rows = [
        ("bellflow.delivery.scan (closed forms)", t_lib, npts),
        ("bare numpy closed forms (same run)", t_bare, npts),
        (f"explicit 4x4 via bellflow.states ({m}x{m})", t_exp, m * m),
        ("delivery.dikey.dikey_scan (DIQKD study)", t_key, npts),
    ]
    for name, t, k in rows:
        print(f"{name:<44}{t:>10.4f}{1e6 * t / k:>10.4f}{(t / k) / (t_bare / npts):>8.2f}")
    print(f"ratio scan / bare numpy: {t_lib / t_bare:.2f}")


def tilted_box(a: float, S: float) -> np.ndarray:
    """The earlier study-1 box (baseline): Alice's tilted optimal CHSH pair
    ``cos x u1 +- sin x u2`` (``tan x = s2/s1``), Bob ``v1, v2`` and ``T^T a0`` normalised."""
    rho = delivery.delivered_state(a, S)
    T = np.asarray(states.correlation_matrix(rho))
    U, sv, Vt = np.linalg.svd(T)
    x = np.arctan2(sv[1], sv[0])
    a0 = np.cos(x) * U[:, 0] + np.sin(x) * U[:, 1]
    a1 = np.cos(x) * U[:, 0] - np.sin(x) * U[:, 1]
    tb = T.T @ a0
    alice, bob = [a0, a1], [Vt[0], Vt[1], tb / np.linalg.norm(tb)]

    def proj(n: np.ndarray) -> np.ndarray:
        obs = np.einsum("i,ijk->jk", n, states.PAULI)
        return np.array([(np.eye(2) + obs) / 2, (np.eye(2) - obs) / 2])

    PA, PB = np.array([proj(n) for n in alice]), np.array([proj(n) for n in bob])
    ops = np.einsum("xaij,ybkl->abxyikjl", PA, PB).reshape(2, 2, 2, 3, 4, 4)
    return np.real(np.einsum("abxymn,nm->abxy", ops, rho))


def cpu(fn, *args, **kwargs):
    t0 = time.process_time()
    out = fn(*args, **kwargs)
    return time.process_time() - t0, out


def bff_main(m: int = 4) -> None:
    """Study 1's BFF route, new vs old, interleaved per point (CPU seconds)."""
    from bellflow.delivery import dikey
    from bellflow.diqkd import key_rate
    from bellflow.entropy import bff_entropy

    points = [(0.25, 1.0), (0.5, 1.0), (0.625, 0.9375), (0.375, 0.875), (0.75, 0.8125)]
    dikey.bff_rates([0.5], 1.0, m=m)  # warm-up: imports and compiled problems
    key_rate(tilted_box(0.5, 1.0), [2], m=m)
    print(f"study 1 BFF rate per point, m = {m} nodes (CPU s, time.process_time)")
    head = ("a", "S", "old [s]", "new [s]", "ratio", "full [s]", "r_old", "r_new", "|dH| sym")
    print("".join(f"{h:>10}" for h in head))
    tot = np.zeros(3)
    for a, S in points:
        t_old, r_old = cpu(key_rate, tilted_box(a, S), [2], m=m)
        t_new, ds = cpu(dikey.bff_rates, [a], S, m=m)
        p = dikey.key_box(a, S)[:, :, :, :2]
        t_full, e_full = cpu(bff_entropy, m, p=p, symmetry=False)
        tot += (t_old, t_new, t_full)
        r_new, dh = float(ds["rate_bff"][0]), abs(e_full.value - float(ds["H_AE"][0]))
        row = (a, S, t_old, t_new, t_old / t_new, t_full, r_old.value, r_new, dh)
        print("".join(f"{v:>10.4g}" for v in row))
    print(f"total: old {tot[0]:.1f} s, new {tot[1]:.1f} s, ratio old/new {tot[0] / tot[1]:.2f}; "
          f"same new box without the symmetry {tot[2]:.1f} s ({tot[2] / tot[1]:.2f}x the new)")


if __name__ == "__main__":
    if sys.argv[1:2] == ["--bff"]:
        bff_main(*[int(x) for x in sys.argv[2:3]])
    else:
        main(*[int(x) for x in sys.argv[1:3]])
