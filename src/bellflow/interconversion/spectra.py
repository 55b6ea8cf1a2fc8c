"""Proposition 2 of paper 000: the Schmidt spectrum of ``|psi_H>^{(x) n}`` is never evenly
degenerate, so Eq. (7) (and Eq. 6) cannot hold."""

from __future__ import annotations

from typing import Any

import numpy as np
import xarray as xr
from numpy.typing import ArrayLike, NDArray

from bellflow.interconversion.realisations import hardy_realisation, schmidt_coefficients

__all__ = [
    "power_spectrum",
    "power_spectrum_dense",
    "evenly_degenerate",
    "eq7_distance",
    "prop2_spectra",
    "theorem2_spectra",
]


def _check_n(n: int) -> int:
    if int(n) != n or n < 1:
        raise ValueError(f"n must be an integer >= 1, got {n!r}")
    return int(n)


def power_spectrum(s: float, n: int) -> NDArray[np.float64]:
    """Spectrum of ``rho_A^{(x) n}`` for a qubit marginal with eigenvalues ``(s, 1 - s)``:
    ``s^{n-j} (1 - s)^j`` with multiplicity ``C(n, j)`` (Proposition 2, ``EV{L}``), descending.
    Products route (no matrix of size ``2^n`` is formed)."""
    n = _check_n(n)
    if not 0 <= s <= 1:
        raise ValueError(f"s must lie in [0, 1], got {s!r}")
    vals = np.array([1.0])
    for _ in range(n):
        vals = np.concatenate([vals * s, vals * (1 - s)])
    return np.sort(vals)[::-1]


def power_spectrum_dense(psi: ArrayLike, n: int) -> NDArray[np.float64]:
    """Spectrum of ``rho_A^{(x) n}`` by diagonalising the ``2^n x 2^n`` Kronecker power of the
    reduced state of the two-qubit ``psi`` (dense route; use for ``n <= 10``)."""
    n = _check_n(n)
    m = np.asarray(psi, dtype=complex).reshape(2, 2)
    rho = m @ m.conj().T
    R = np.array([[1.0]])
    for _ in range(n):
        R = np.kron(R, rho)
    return np.sort(np.linalg.eigvalsh(R))[::-1]


def evenly_degenerate(
    eigs: ArrayLike, *, rtol: float = 1e-9, atol: float = 1e-14
) -> dict[str, Any]:
    """Whether every distinct nonzero eigenvalue has even multiplicity (Proposition 2).

    The right side of Eq. (7), ``I_2/2 (x) rho_{A_2}^zeta``, has this property; the left side
    must have it too for Eq. (6) to hold. Eigenvalues closer than ``rtol`` (relative) are
    merged into one cluster. Returns ``ok``, the multiplicity of the largest eigenvalue
    (``top_multiplicity``), ``n_distinct`` and ``odd_clusters``.
    """
    e = np.sort(np.asarray(eigs, dtype=float))[::-1]
    e = e[e > atol]
    clusters: list[list[float]] = []
    for v in e:
        if clusters and abs(clusters[-1][0] - v) <= rtol * clusters[-1][0]:
            clusters[-1].append(v)
        else:
            clusters.append([v])
    mult = [len(c) for c in clusters]
    return {
        "ok": bool(all(m % 2 == 0 for m in mult)),
        "top_multiplicity": int(mult[0]) if mult else 0,
        "n_distinct": len(mult),
        "odd_clusters": int(sum(m % 2 for m in mult)),
    }


def eq7_distance(eigs: ArrayLike) -> float:
    """l1 distance of a spectrum from the nearest spectrum of the right side of Eq. (7),
    ``I_2/2 (x) rho_zeta`` (every value twice): with the eigenvalues sorted descending
    (a zero appended if their number is odd), ``sum_k |lambda_{2k-1} - lambda_{2k}|``, reached
    by ``zeta_k = lambda_{2k-1} + lambda_{2k}``. Zero iff Eq. (7) can hold for some ancilla
    state ``zeta``; it depends only on the computed spectrum, so it can come out either way.
    """
    e = np.sort(np.asarray(eigs, dtype=float).reshape(-1))[::-1]
    if not np.all(np.isfinite(e)):
        raise ValueError("eigs must be finite")
    if e.size % 2:
        e = np.append(e, 0.0)
    return float(np.abs(e[0::2] - e[1::2]).sum())


def prop2_spectra(
    n_max: int = 12, *, n_dense: int = 10, rtol: float = 1e-9, psi: ArrayLike | None = None
) -> xr.Dataset:
    """Proposition 2 numerics for ``|psi>^{(x) n}`` (default ``|psi_H>``), ``n = 1..n_max``.

    Per ``n``: :func:`eq7_distance` of the spectrum of ``rho_A^{(x) n}`` (from the dense
    Kronecker power for ``n <= n_dense``, the product route above, with the difference of the
    two routes); whether the spectrum is evenly degenerate (it must be for Eq. 7), the
    multiplicity of its largest eigenvalue ``s^n``, the number of odd-multiplicity
    clusters, and for ``n <= n_dense`` the largest difference between the dense (Kronecker
    power, diagonalised) and product spectra (``nan`` above ``n_dense``). Control: the right
    side of Eq. (7) for ``|phi_2^+>`` with a random ancilla state (seeded) is evenly degenerate.
    """
    n_max = _check_n(n_max)
    state = hardy_realisation()[0] if psi is None else np.asarray(psi)
    s = float(schmidt_coefficients(state, (2, 2))[0])
    ns = np.arange(1, n_max + 1)
    even, top, odd, dev, dist, dist_dev = [], [], [], [], [], []
    for n in ns:
        e = power_spectrum(s, int(n))
        res = evenly_degenerate(e, rtol=rtol)
        even.append(res["ok"])
        top.append(res["top_multiplicity"])
        odd.append(res["odd_clusters"])
        if n <= n_dense:
            dense = power_spectrum_dense(state, int(n))
            dev.append(float(np.abs(dense - e).max()))
            dist.append(eq7_distance(dense))
            dist_dev.append(abs(dist[-1] - eq7_distance(e)))
        else:
            dev.append(float("nan"))
            dist.append(eq7_distance(e))
            dist_dev.append(float("nan"))
    zeta = np.random.default_rng(0).dirichlet(np.ones(7))
    control = evenly_degenerate(np.kron([0.5, 0.5], zeta), rtol=rtol)["ok"]
    return xr.Dataset(
        {
            "evenly_degenerate": (("n",), np.array(even), {"description": "Eq. (7) holds"}),
            "top_multiplicity": (("n",), np.array(top), {"description": "multiplicity of s^n"}),
            "odd_clusters": (("n",), np.array(odd), {"description": "odd-multiplicity values"}),
            "dense_vs_product": (("n",), np.array(dev), {"description": "dense vs product"}),
            "eq7_distance": (
                ("n",),
                np.array(dist),
                {"description": "l1 distance to I/2 (x) rho_zeta (dense n <= n_dense)"},
            ),
            "eq7_distance_dense_vs_product": (
                ("n",),
                np.array(dist_dev),
                {"description": "|distance(dense) - distance(product)|"},
            ),
            "s": ((), np.asarray(s), {"description": "Schmidt coefficient s of the state"}),
            "control_ok": ((), np.asarray(control), {"description": "I/2 (x) rho_zeta passes"}),
        },
        coords={"n": ns},
    )


def theorem2_spectra(s_values: ArrayLike, n_max: int = 8) -> xr.Dataset:
    """Theorem 2 (proof as Proposition 2, Supplemental Material), both directions, for
    two-qubit states ``sqrt(s)|00> + sqrt(1 - s)|11>``, ``s`` in ``s_values``:

    - ``psi^{(x) n} -> |phi_2^+> (x) zeta`` by local isometries needs Eq. (7):
      ``distance[s, n]`` = :func:`eq7_distance` of the spectrum of ``rho_A^{(x) n}`` (dense
      route, from the reduced state of the explicit ``psi``), zero iff possible;
    - ``|phi_2^+>^{(x) n} -> psi (x) zeta`` needs the flat spectrum ``2^-n`` of the left side
      to equal the spectrum ``{s zeta_i, (1 - s) zeta_i}`` of the right side, whose nonzero
      values have a ratio ``>= s / (1 - s)`` (largest to smallest eigenvalue of
      ``rho_A^psi``); ``ratio_gap[s]`` is that ratio minus 1 from the computed reduced state,
      zero iff possible.

    ``dense_vs_product`` compares the distance with the one from the product formula
    :func:`power_spectrum` (the check of the dense route).
    """
    sv = np.asarray(s_values, dtype=float)
    if sv.ndim != 1 or np.any(sv < 0) or np.any(sv > 1) or not np.all(np.isfinite(sv)):
        raise ValueError("s_values must be a 1-d array in [0, 1]")
    ns = np.arange(1, _check_n(n_max) + 1)
    dist = np.empty((sv.size, ns.size))
    dev = np.empty((sv.size, ns.size))
    gap = np.empty(sv.size)
    for i, s in enumerate(sv):
        psi = np.array([np.sqrt(s), 0.0, 0.0, np.sqrt(1 - s)])
        lam = power_spectrum_dense(psi, 1)
        gap[i] = lam[0] / lam[1] - 1 if lam[1] > 0 else np.inf
        for j, n in enumerate(ns):
            dist[i, j] = eq7_distance(power_spectrum_dense(psi, int(n)))
            dev[i, j] = abs(dist[i, j] - eq7_distance(power_spectrum(float(s), int(n))))
    return xr.Dataset(
        {
            "distance": (("s", "n"), dist, {"description": "Eq. (7) l1 distance, psi^n -> phi+"}),
            "ratio_gap": (("s",), gap, {"description": "lambda_max/lambda_min - 1 of rho_A"}),
            "dense_vs_product": (
                ("s", "n"),
                dev,
                {"description": "|distance(dense) - distance(product formula)|"},
            ),
        },
        coords={"s": sv, "n": ns},
    )
