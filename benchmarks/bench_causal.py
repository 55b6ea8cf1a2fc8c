"""Benchmark of the paper 001 SDPs: solve time and problem size vs the number of settings.

Run: ``.venv/bin/python benchmarks/bench_causal.py [--repeat 3] [--json out.json]``.

For each case it reports the reduced problem's scalar variables, normalisation equalities
(dimension of the invariant no-signalling span), the kernel form's free parameters (what the
solver sees now, ``sdp._FORM``), the PSD block sizes, the size of the full
(unreduced) Choi operator it replaces, the wall time of the solve (best of ``--repeat``, after
one warm-up that builds and caches the reduced basis), the time of its certification (explicit
dual-operator check and primal repair, ``bellflow.causal.certify``; issue 12: certification
must not cost more than the solve) side by side, and the basis build time. Baseline,
measured in the same run: the naive full-space primal SDP (Eq. 22 over 64 x 64 process
matrices, no symmetry reduction) for LGYNI; the ratio full / reduced is printed. Then the
scans of issue 16: compiled once vs rebuilt per point, and (``form_comparison``) the "kernel"
form of the process variables (the route now) vs the earlier "equality" form, interleaved
point by point, with wall and CPU (``time.process_time``) ratios and the value differences.
"""

from __future__ import annotations

import argparse
import json
import time
from collections import Counter

import numpy as np

from bellflow import causal
from bellflow.causal import reduction, sdp


def _random_single_trigger(n: int, seed: int = 0) -> np.ndarray:
    """Random non-negative single-trigger game with binary outcomes, triggers (n-1, n-1)."""
    g = np.random.default_rng(seed).random((2, 2, n, n))
    for x in range(n - 1):
        g[:, :, x, :] = g[:1, :, x, :]
        g[:, :, :, x] = g[:, :1, :, x]
    return g


def _random_game(n: int, seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).random((2, 2, n, n))


CASES = [
    ("single-trigger", "LGYNI (n=2)", lambda: causal.lgyni_coefficients(), False),
    ("single-trigger", "random, n=2", lambda: _random_single_trigger(2), False),
    ("single-trigger", "random, n=3", lambda: _random_single_trigger(3), False),
    (
        "single-trigger",
        "OCB piece (2 x 4 settings)",
        lambda: causal.ocb_trigger_coefficients(1, 0, 0),
        False,
    ),
    ("decomposition", "GYNI (n=2)", lambda: causal.gyni_coefficients(), True),
    ("decomposition", "random, n=2", lambda: _random_game(2), True),
    ("decomposition", "random, n=3", lambda: _random_game(3), True),
    ("decomposition", "OCB (2 x 4 settings)", lambda: causal.ocb_coefficients(), True),
]


def _timed_certification(solve, g: np.ndarray) -> tuple[float, float]:
    """(solve seconds without certification, certification seconds) of one call: the explicit
    dual-operator check and the primal repair (sdp._certify_*) are timed separately."""
    spent: list[float] = []
    orig = {n: getattr(sdp, n) for n in ("_certify_single", "_certify_decomposition")}

    def wrap(f):
        def timed(*a, **k):
            t0 = time.perf_counter()
            f(*a, **k)
            spent.append(time.perf_counter() - t0)

        return timed

    try:
        for n, f in orig.items():
            setattr(sdp, n, wrap(f))
        t0 = time.perf_counter()
        solve(g)
        total = time.perf_counter() - t0
    finally:
        for n, f in orig.items():
            setattr(sdp, n, f)
    return total - sum(spent), sum(spent)


def run(repeat: int = 3) -> list[dict]:
    rows = []
    for kind, name, make, dec in CASES:
        g = make()
        reduction._REDUCED_CACHE.clear()
        t0 = time.perf_counter()
        size = causal.sdp_size(g.shape, decomposition=dec)
        build = time.perf_counter() - t0
        solve = causal.ico_bound_decomposition if dec else causal.ico_bound_single_trigger
        res = solve(g)  # warm-up
        times, certs = [], []
        for _ in range(repeat):
            t_solve, t_cert = _timed_certification(solve, g)
            times.append(t_solve)
            certs.append(t_cert)
        res = solve(g)
        blocks = Counter(size["psd_blocks"])
        rows.append(
            {
                "sdp": kind,
                "game": name,
                "shape": list(g.shape),
                "value": res.value,
                "gap": res.gap,
                "n_variables": size["n_variables"],
                "n_equalities": size["n_equalities"],
                "n_free": size["n_free"],
                "psd_blocks": {int(k): int(v) for k, v in sorted(blocks.items(), reverse=True)},
                "full_choi_dim": size["full_choi_dim"],
                "n_triggers": size["n_triggers"],
                "basis_build_s": build,
                "solve_s": min(times),
                "certify_s": min(certs),
                "certified": res.certified,
            }
        )
    return rows


def to_markdown(rows: list[dict]) -> str:
    head = (
        "| SDP | game | variables | equalities | kernel parameters | PSD blocks (size x count) "
        "| full Choi dim (x triggers) | basis build (s) | solve (s) | certify (s) | gap |"
        "\n|---|---|---|---|---|---|---|---|---|---|---|"
    )
    lines = [head]
    for r in rows:
        blocks = ", ".join(f"{k}x{v}" for k, v in r["psd_blocks"].items())
        lines.append(
            f"| {r['sdp']} | {r['game']} | {r['n_variables']} | {r['n_equalities']} | "
            f"{r['n_free']} | {blocks} | "
            f"{r['full_choi_dim']} (x{r['n_triggers']}) | {r['basis_build_s']:.2f} | "
            f"{r['solve_s']:.2f} | {r['certify_s']:.3f} | {r['gap']:.1e} |"
        )
    return "\n".join(lines)


def baseline() -> dict:
    """Naive full-space primal vs the reduced SDP, LGYNI (both solved once, same run)."""
    g = causal.lgyni_coefficients()
    t0 = time.perf_counter()
    full = causal.ico_bound_single_trigger_full(g)
    t_full = time.perf_counter() - t0
    t0 = time.perf_counter()
    red = causal.ico_bound_single_trigger(g)
    t_red = time.perf_counter() - t0
    return {
        "full_s": t_full,
        "reduced_s": t_red,
        "ratio": t_full / t_red,
        "value_difference": abs(full.value - red.value),
    }


def fig1_scan(directions: int = 6) -> dict:
    """Issue 16: the Fig. 1 decomposition scan (OCB plane, one SDP shape for every direction).

    New route: the SDP is built and compiled once (coefficients as a cvxpy Parameter, DPP) and
    re-solved per direction. Old route, measured in the same run: the problem rebuilt and
    recompiled for every direction (the cache cleared before each solve). Returns the seconds
    per direction of both, their ratio and the largest difference of the certified values."""
    thetas = np.linspace(0, 2 * np.pi, directions, endpoint=False)
    games = [causal.ocb_weighted_coefficients(np.cos(t), np.sin(t)) for t in thetas]
    causal.ico_bound_decomposition(games[0])  # warm-up: reduced bases, first compile
    t0 = time.perf_counter()
    new = [causal.ico_bound_decomposition(g).certified for g in games]
    t_new = (time.perf_counter() - t0) / directions
    t0 = time.perf_counter()
    old = []
    for g in games:
        sdp._DECOMPOSITION_CACHE.clear()
        old.append(causal.ico_bound_decomposition(g).certified)
    t_old = (time.perf_counter() - t0) / directions
    return {
        "directions": directions,
        "rebuild_each_s": t_old,
        "compile_once_s": t_new,
        "ratio": t_old / t_new,
        "max_certified_difference": float(np.max(np.abs(np.array(new) - np.array(old)))),
    }


def lgyni_scan(points: int = 12) -> dict:
    """Issue 16: the Fig. 2(a) single-trigger scan, compiled once vs rebuilt per point (same
    run); seconds per point, ratio and the largest difference of the certified values."""
    alphas = np.linspace(0, 1, points)
    games = [causal.biased_lgyni_coefficients(a) for a in alphas]
    causal.ico_bound_single_trigger(games[0], (1, 1))  # warm-up
    t0 = time.perf_counter()
    new = [causal.ico_bound_single_trigger(g, (1, 1)).certified for g in games]
    t_new = (time.perf_counter() - t0) / points
    t0 = time.perf_counter()
    old = []
    for g in games:
        sdp._SINGLE_TRIGGER_CACHE.clear()
        old.append(causal.ico_bound_single_trigger(g, (1, 1)).certified)
    t_old = (time.perf_counter() - t0) / points
    return {
        "points": points,
        "rebuild_each_s": t_old,
        "compile_once_s": t_new,
        "ratio": t_old / t_new,
        "max_certified_difference": float(np.max(np.abs(np.array(new) - np.array(old)))),
    }


#: The Clarabel strategy of the "equality" form before the "kernel" form replaced it (same run
#: comparison of :func:`form_comparison`).
_EQUALITY_SETTINGS = (
    {"equilibrate_enable": False, "static_regularization_constant": 1e-7},
    [
        {"static_regularization_constant": 1e-6},
        {"max_step_fraction": 0.95},
        {"static_regularization_constant": 1e-6, "max_step_fraction": 0.95},
    ],
)


def _with_form(form: str, solve, g: np.ndarray):
    """``solve(g)`` with ``sdp._FORM = form`` (and, for "equality", its Clarabel strategy);
    returns ``(result, wall s, CPU s)``."""
    saved = (sdp._FORM, sdp._CLARABEL_DEFAULTS, sdp._CLARABEL_RETRIES)
    try:
        sdp._FORM = form
        if form == "equality":
            sdp._CLARABEL_DEFAULTS, sdp._CLARABEL_RETRIES = _EQUALITY_SETTINGS
        w0, c0 = time.perf_counter(), time.process_time()
        res = solve(g)
        return res, time.perf_counter() - w0, time.process_time() - c0
    finally:
        sdp._FORM, sdp._CLARABEL_DEFAULTS, sdp._CLARABEL_RETRIES = saved


def form_comparison(directions: int = 12, points: int = 12) -> dict:
    """Issue 16: the "kernel" form (normalisation built in, 2 x 2 blocks as cones; the route
    now) against the "equality" form (block entries tied by the dense normalisation
    equalities, with its earlier Clarabel strategy), interleaved point by point in the same
    run after one warm-up (compile) of each: the Fig. 1 decomposition scan over ``directions``
    and the Fig. 2(a) single-trigger scan over ``points``. Per scan: wall and CPU seconds per
    point of each route, their ratios, solver attempts, and the largest differences of the SDP
    and certified values."""
    scans = {
        "fig1": (
            causal.ico_bound_decomposition,
            [
                causal.ocb_weighted_coefficients(np.cos(t), np.sin(t))
                for t in np.linspace(0, 2 * np.pi, directions, endpoint=False)
            ],
        ),
        "lgyni": (
            lambda g: causal.ico_bound_single_trigger(g, (1, 1)),
            [causal.biased_lgyni_coefficients(a) for a in np.linspace(0, 1, points)],
        ),
    }
    out = {}
    for name, (solve, games) in scans.items():
        for form in ("equality", "kernel"):
            _with_form(form, solve, games[0])  # warm-up: bases and the first compile
        acc = {
            f: {"wall": 0.0, "cpu": 0.0, "attempts": 0, "value": [], "cert": []}
            for f in ("equality", "kernel")
        }
        for g in games:
            for form, a in acc.items():
                res, wall, cpu = _with_form(form, solve, g)
                a["wall"] += wall
                a["cpu"] += cpu
                a["attempts"] += len(res.extra["attempts"])
                a["value"].append(res.value)
                a["cert"].append(res.certified)
        eq, ke = acc["equality"], acc["kernel"]
        out[name] = {
            "points": len(games),
            "equality_wall_s": eq["wall"] / len(games),
            "kernel_wall_s": ke["wall"] / len(games),
            "equality_cpu_s": eq["cpu"] / len(games),
            "kernel_cpu_s": ke["cpu"] / len(games),
            "wall_ratio": eq["wall"] / ke["wall"],
            "cpu_ratio": eq["cpu"] / ke["cpu"],
            "equality_attempts": eq["attempts"],
            "kernel_attempts": ke["attempts"],
            "max_value_difference": float(np.max(np.abs(np.subtract(eq["value"], ke["value"])))),
            "max_certified_difference": float(np.max(np.abs(np.subtract(eq["cert"], ke["cert"])))),
            "equality_max_certified_minus_value": float(
                np.max(np.subtract(eq["cert"], eq["value"]))
            ),
            "kernel_max_certified_minus_value": float(np.max(np.subtract(ke["cert"], ke["value"]))),
        }
    return out


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--json", default=None)
    args = ap.parse_args()
    rows = run(args.repeat)
    print(to_markdown(rows))
    b = baseline()
    print(
        f"\nbaseline LGYNI: full-space SDP {b['full_s']:.2f} s, reduced {b['reduced_s']:.3f} s, "
        f"ratio {b['ratio']:.0f}x, |value difference| {b['value_difference']:.1e}"
    )
    rows.append({"baseline": b})
    f1 = fig1_scan()
    print(
        f"Fig. 1 decomposition scan ({f1['directions']} directions): rebuilt per direction "
        f"{f1['rebuild_each_s']:.2f} s, compiled once {f1['compile_once_s']:.2f} s per direction, "
        f"ratio {f1['ratio']:.2f}x, |certified difference| {f1['max_certified_difference']:.1e}"
    )
    rows.append({"fig1_scan": f1})
    lg = lgyni_scan()
    print(
        f"Fig. 2(a) single-trigger scan ({lg['points']} points): rebuilt per point "
        f"{lg['rebuild_each_s']:.3f} s, compiled once {lg['compile_once_s']:.3f} s per point, "
        f"ratio {lg['ratio']:.2f}x, |certified difference| {lg['max_certified_difference']:.1e}"
    )
    rows.append({"lgyni_scan": lg})
    fc = form_comparison()
    for name, r in fc.items():
        print(
            f"{name} kernel vs equality form ({r['points']} points, interleaved): CPU "
            f"{r['equality_cpu_s']:.3f} -> {r['kernel_cpu_s']:.3f} s per point "
            f"(ratio {r['cpu_ratio']:.1f}x; wall ratio {r['wall_ratio']:.1f}x), attempts "
            f"{r['equality_attempts']} -> {r['kernel_attempts']}, |value difference| "
            f"{r['max_value_difference']:.1e}, |certified difference| "
            f"{r['max_certified_difference']:.1e}, certified - value "
            f"{r['equality_max_certified_minus_value']:.1e} -> "
            f"{r['kernel_max_certified_minus_value']:.1e}"
        )
    rows.append({"form_comparison": fc})
    if args.json:
        with open(args.json, "w") as fh:
            json.dump(rows, fh, indent=2)
