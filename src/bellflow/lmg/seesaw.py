"""Bell values of two-qubit states maximised over projective measurements by see-saw, many
states at once (study 2: beyond CHSH, the I3322 inequality on the two-body reduced state).

A two-qubit state is given by its Pauli tensor ``t[mu, nu] = Tr[rho (sigma_mu x sigma_nu)]``
(``mu, nu = 0, x, y, z``; ``rho = sum t sigma_mu x sigma_nu / 4``). A two-outcome qubit
measurement is the effect of outcome 0, ``E = (e_0 1 + e . sigma) / 2`` with Bloch 4-vector
``e``; outcome 1 has ``w - e`` with ``w = (2, 0, 0, 0)``. Then

    p(a b | x y) = e_{a|x}^T t f_{b|y} / 4.                                     (S1)

For fixed Bob the value ``sum c[a, b, x, y] p(a b | x y)`` of a Bell expression is affine in
each of Alice's ``e_x``: ``sum_x e_x . G_x + const`` with

    G_x = t sum_{b, y} (c[0, b, x, y] - c[1, b, x, y]) f_{b|y} / 4,             (S2)

and the best projective effect is the projector onto the positive part of ``G_x . sigma``:
``e = (2, 0)`` (identity) if ``G_0 >= |G|``, ``e = 0`` if ``G_0 + |G| <= 0``, else the sharp
``e = (1, G/|G|)`` (value ``max(2 G_0, 0, G_0 + |G|)``). Alternating the two best responses
never decreases the value (see-saw); the result is the value of an explicit quantum
realisation, a lower bound on the maximum over measurements. Two-outcome qubit POVMs are
mixtures of projective ones, so the maximum over projective measurements is the maximum
over all measurements on the qubits. ``sharp=True`` restricts every effect to rank one
(observables ``a . sigma``), the setting of the Horodecki CHSH value.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from bellflow.states import PAULI

__all__ = ["SeesawResult", "i3322_coefficients", "pauli_tensor", "seesaw_qubits"]

_W = np.array([2.0, 0.0, 0.0, 0.0])


def i3322_coefficients() -> NDArray[np.float64]:
    """The I3322 inequality (Collins and Gisin, J. Phys. A 37, 1775 (2004)) as box
    coefficients ``c[a, b, x, y]`` of shape (2, 2, 3, 3), local bound 0:

        -pA(0|0) - 2 pB(0|0) - pB(0|1) + P(00|00) + P(00|01) + P(00|02) + P(00|10)
        + P(00|11) - P(00|12) + P(00|20) - P(00|21) <= 0

    (the marginals written on the settings y = 0 / x = 0, as :func:`bellflow.npa.quantum_bound`
    does; no-signalling boxes give the same value either way).

    >>> from bellflow.boxes import local_bound
    >>> local_bound(i3322_coefficients())
    0.0
    """
    c = np.zeros((2, 2, 3, 3))
    c[0, :, 0, 0] -= 1.0
    c[:, 0, 0, 0] -= 2.0
    c[:, 0, 0, 1] -= 1.0
    signs = {(0, 0): 1, (0, 1): 1, (0, 2): 1, (1, 0): 1, (1, 1): 1, (1, 2): -1, (2, 0): 1}
    signs[(2, 1)] = -1
    for (x, y), s in signs.items():
        c[0, 0, x, y] += s
    return c


def pauli_tensor(rho2: ArrayLike) -> NDArray[np.float64]:
    """``t[..., mu, nu] = Tr[rho_2 (sigma_mu x sigma_nu)]`` (``sigma_0 = 1``) of two-qubit
    states (..., 4, 4); ``rho_2 = sum t sigma_mu x sigma_nu / 4``.

    >>> np.round(pauli_tensor(np.eye(4) / 4), 12)[0].tolist()
    [1.0, 0.0, 0.0, 0.0]
    """
    rho = np.asarray(rho2)
    if rho.shape[-2:] != (4, 4):
        raise ValueError(f"rho2 must have shape (..., 4, 4), got {rho.shape}")
    sig = np.concatenate([np.eye(2)[None], PAULI])
    ops = np.einsum("iab,jcd->ijacbd", sig, sig).reshape(4, 4, 4, 4)
    return np.real(np.einsum("...kl,ijlk->...ij", rho, ops))


@dataclass(frozen=True)
class SeesawResult:
    """Best see-saw value per state (``value``), Alice's and Bob's effects of outcome 0
    (``alice[..., x, :]``, ``bob[..., y, :]``, Bloch 4-vectors of Eq. S1), the number of
    starts and the largest last-round improvement of any start (``step``)."""

    value: NDArray[np.float64]
    alice: NDArray[np.float64]
    bob: NDArray[np.float64]
    starts: int
    step: float


def _best_effect(g: NDArray, sharp: bool) -> NDArray:
    """Best effect vectors for the linear forms ``g`` (..., 4) (module docstring)."""
    norm = np.linalg.norm(g[..., 1:], axis=-1)
    unit = np.where(norm[..., None] > 0, g[..., 1:] / np.maximum(norm, 1e-300)[..., None], 0.0)
    unit[..., 0] = np.where(norm > 0, unit[..., 0], 1.0)  # any direction when G = 0
    e = np.concatenate([np.ones(norm.shape + (1,)), unit], axis=-1)
    if sharp:
        return e
    g0 = g[..., 0]
    choice = np.argmax(np.stack([2 * g0, np.zeros_like(g0), g0 + norm]), axis=0)
    out = np.where((choice == 2)[..., None], e, 0.0)
    return np.where((choice == 0)[..., None], _W, out)


def _flat(e: NDArray) -> NDArray:
    """(..., m, 4) effects of outcome 0 -> (..., 2 m, 4) of both outcomes, outcome-major."""
    both = np.stack([e, _W - e], axis=-3)
    return both.reshape(both.shape[:-3] + (-1, 4))


def _value(c: NDArray, t: NDArray, ea: NDArray, fb: NDArray) -> NDArray:
    """Eq. (S1) summed with the coefficients: ``sum c p`` for every state (matrix products)."""
    probs = 0.25 * _flat(ea) @ t @ np.swapaxes(_flat(fb), -1, -2)  # (..., (a, x), (b, y))
    cm = np.transpose(c, (0, 2, 1, 3)).reshape(probs.shape[-2:])
    return np.einsum("...kl,kl->...", probs, cm)


def seesaw_qubits(
    tensors: ArrayLike,
    coeffs: ArrayLike,
    *,
    starts: int = 16,
    iters: int = 2000,
    tol: float = 1e-12,
    sharp: bool = False,
    seed: int = 0,
) -> SeesawResult:
    """Maximise ``sum c[a, b, x, y] p(a b | x y)`` (two outcomes, any numbers of settings)
    over projective qubit measurements on each state of ``tensors`` (..., 4, 4)
    (:func:`pauli_tensor`), by see-saw (Eqs. S1, S2 of the module docstring) from ``starts``
    random sharp measurements of Bob per state, all states and starts at once; a start stops
    once a round improves it by at most ``tol`` (``step``: the largest last improvement, > tol
    only for starts still rising after ``iters`` rounds). The value is exact for the
    returned measurements: a lower bound on the maximum.

    >>> from bellflow.boxes import chsh_coefficients
    >>> from bellflow.states import bell_state
    >>> r = seesaw_qubits(pauli_tensor(bell_state()), chsh_coefficients(), sharp=True)
    >>> round(float(r.value), 9)  # Tsirelson: 2 sqrt 2
    2.828427125
    """
    t = np.asarray(tensors, dtype=float)
    c = np.asarray(coeffs, dtype=float)
    if t.shape[-2:] != (4, 4) or not np.all(np.isfinite(t)):
        raise ValueError(f"tensors must be finite with shape (..., 4, 4), got {t.shape}")
    if c.ndim != 4 or c.shape[:2] != (2, 2) or not np.all(np.isfinite(c)):
        raise ValueError(f"coeffs must be finite with shape (2, 2, mA, mB), got {c.shape}")
    if starts < 1 or iters < 1:
        raise ValueError(f"starts and iters must be >= 1, got {starts}, {iters}")
    lead = t.shape[:-2]
    size = int(np.prod(lead))
    tt = np.repeat(t.reshape(-1, 4, 4), starts, axis=0)  # row r: state r // starts
    rng = np.random.default_rng(seed)
    v = rng.normal(size=(size * starts, c.shape[3], 3))
    fb = np.concatenate(
        [np.ones(v.shape[:-1] + (1,)), v / np.linalg.norm(v, axis=-1, keepdims=True)], -1
    )
    ea = np.zeros((size * starts, c.shape[2], 4))
    value, last = np.full(size * starts, -np.inf), np.full(size * starts, np.inf)
    active = np.arange(size * starts)
    for _ in range(iters):  # rows that improved by <= tol stop (they are converged)
        e_new, f_new = _round(c, tt[active], fb[active], sharp)
        new = _value(c, tt[active], e_new, f_new)
        last[active] = new - value[active]
        ea[active], fb[active], value[active] = e_new, f_new, new
        active = active[last[active] > tol]
        if active.size == 0:
            break
    values = value.reshape(size, starts)
    best = np.argmax(values, axis=1)
    pick = np.arange(size)
    alice, bob = ea.reshape(size, starts, -1, 4), fb.reshape(size, starts, -1, 4)
    return SeesawResult(
        value=values[pick, best].reshape(lead),
        alice=alice[pick, best].reshape(lead + alice.shape[2:]),
        bob=bob[pick, best].reshape(lead + bob.shape[2:]),
        starts=starts,
        step=float(last.max()),
    )


def _round(c: NDArray, tt: NDArray, fb: NDArray, sharp: bool) -> tuple[NDArray, NDArray]:
    """One see-saw round: Alice's best response to Bob's effects, then Bob's to hers."""
    ma, mb = c.shape[2:]
    ca = np.transpose(c[0] - c[1], (0, 2, 1)).reshape(2 * mb, ma)  # ((b, y), x): Eq. (S2)
    cb = (c[:, 0] - c[:, 1]).reshape(2 * ma, mb)  # ((a, x), y)
    g = 0.25 * tt @ (np.swapaxes(_flat(fb), -1, -2) @ ca)  # (..., 4, x)
    ea = _best_effect(np.swapaxes(g, -1, -2), sharp)
    g = 0.25 * (np.swapaxes(cb, 0, 1) @ _flat(ea)) @ tt  # (..., y, 4)
    return ea, _best_effect(g, sharp)
