"""Proposition 2 of paper 000: the Schmidt spectrum of ``|psi_H>^{(x) n}`` is never evenly
degenerate, so Eq. (7) (and Eq. 6) cannot hold."""

from __future__ import annotations

from typing import Any

import numpy as np
import xarray as xr
from numpy.typing import ArrayLike, NDArray

from bellflow.interconversion.realisations import hardy_realisation, schmidt_coefficients

__all__ = ["power_spectrum", "power_spectrum_dense", "evenly_degenerate", "prop2_spectra"]


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


def prop2_spectra(
    n_max: int = 12, *, n_dense: int = 10, rtol: float = 1e-9, psi: ArrayLike | None = None
) -> xr.Dataset:
    """Proposition 2 numerics for ``|psi>^{(x) n}`` (default ``|psi_H>``), ``n = 1..n_max``.

    Per ``n``: whether the spectrum of ``rho_A^{(x) n}`` is evenly degenerate (it must be for
    Eq. 7), the multiplicity of its largest eigenvalue ``s^n``, the number of odd-multiplicity
    clusters, and for ``n <= n_dense`` the largest difference between the dense (Kronecker
    power, diagonalised) and product spectra (``nan`` above ``n_dense``). Control: the right
    side of Eq. (7) for ``|phi_2^+>`` with a random ancilla state (seeded) is evenly degenerate.
    """
    n_max = _check_n(n_max)
    state = hardy_realisation()[0] if psi is None else np.asarray(psi)
    s = float(schmidt_coefficients(state, (2, 2))[0])
    ns = np.arange(1, n_max + 1)
    even, top, odd, dev = [], [], [], []
    for n in ns:
        e = power_spectrum(s, int(n))
        res = evenly_degenerate(e, rtol=rtol)
        even.append(res["ok"])
        top.append(res["top_multiplicity"])
        odd.append(res["odd_clusters"])
        dev.append(
            float(np.abs(power_spectrum_dense(state, int(n)) - e).max())
            if n <= n_dense
            else float("nan")
        )
    zeta = np.random.default_rng(0).dirichlet(np.ones(7))
    control = evenly_degenerate(np.kron([0.5, 0.5], zeta), rtol=rtol)["ok"]
    return xr.Dataset(
        {
            "evenly_degenerate": (("n",), np.array(even), {"description": "Eq. (7) holds"}),
            "top_multiplicity": (("n",), np.array(top), {"description": "multiplicity of s^n"}),
            "odd_clusters": (("n",), np.array(odd), {"description": "odd-multiplicity values"}),
            "dense_vs_product": (("n",), np.array(dev), {"description": "dense vs product"}),
            "s": ((), np.asarray(s), {"description": "Schmidt coefficient s of the state"}),
            "control_ok": ((), np.asarray(control), {"description": "I/2 (x) rho_zeta passes"}),
        },
        coords={"n": ns},
    )
