"""Tests of bellflow.states: known answers and independent routes (qutip, explicit sums)."""

from __future__ import annotations

import numpy as np
import pytest
import qutip
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import minimize

from bellflow import states

SQ2 = np.sqrt(2)
BELLS = ["phi+", "phi-", "psi+", "psi-"]


def random_dm(rng: np.random.Generator, d: int = 4, rank: int | None = None) -> np.ndarray:
    """Random density matrix from a Ginibre matrix of the given rank."""
    rank = d if rank is None else rank
    g = rng.normal(size=(d, rank)) + 1j * rng.normal(size=(d, rank))
    rho = g @ g.conj().T
    return rho / np.trace(rho)


def random_ket(rng: np.random.Generator, d: int = 4) -> np.ndarray:
    psi = rng.normal(size=d) + 1j * rng.normal(size=d)
    return psi / np.linalg.norm(psi)


def von_neumann_bits(rho: np.ndarray) -> float:
    w = np.linalg.eigvalsh(rho)
    w = w[w > 1e-15]
    return float(-np.sum(w * np.log2(w)))


# ----------------------------------------------------------------------------- known answers
@pytest.mark.parametrize("kind", BELLS)
def test_bell_states(kind):
    rho = states.bell_state(kind)
    assert states.is_density_matrix(rho)
    # maximally entangled: C = E_F = 1, CHSH = 2 sqrt 2 (Tsirelson), marginals I/2
    assert states.concurrence(rho) == pytest.approx(1, abs=1e-12)
    assert states.entanglement_of_formation(rho) == pytest.approx(1, abs=1e-12)
    assert states.horodecki_chsh(rho) == pytest.approx(2 * SQ2, abs=1e-12)
    for keep in (0, 1):
        np.testing.assert_allclose(states.partial_trace(rho, (2, 2), keep), np.eye(2) / 2)
    assert states.fidelity(rho, rho) == pytest.approx(1, abs=1e-10)
    others = [states.bell_state(k) for k in BELLS if k != kind]
    for o in others:  # orthogonal Bell states
        assert states.fidelity(rho, o) == pytest.approx(0, abs=1e-12)


def test_product_states():
    rng = np.random.default_rng(1)
    ra = np.stack([random_dm(rng, 2) for _ in range(5)])
    rb = np.stack([random_dm(rng, 2) for _ in range(5)])
    rho = np.einsum("nij,nkl->nikjl", ra, rb).reshape(5, 4, 4)
    np.testing.assert_allclose(rho[2], np.kron(ra[2], rb[2]))
    assert np.all(states.is_density_matrix(rho))
    np.testing.assert_allclose(states.concurrence(rho), 0, atol=1e-7)
    np.testing.assert_allclose(states.entanglement_of_formation(rho), 0, atol=1e-6)
    assert np.all(states.horodecki_chsh(rho) <= 2 + 1e-12)
    np.testing.assert_allclose(states.partial_trace(rho, (2, 2), 0), ra, atol=1e-14)
    np.testing.assert_allclose(states.partial_trace(rho, (2, 2), 1), rb, atol=1e-14)


@pytest.mark.parametrize("kind", BELLS)
def test_werner_all_p(kind):
    p = np.linspace(-1 / 3, 1, 41)
    rho = states.werner_state(p, kind)
    assert rho.shape == (41, 4, 4)
    assert np.all(states.is_density_matrix(rho))
    # textbook: C = max(0, (3p - 1)/2), Horodecki CHSH = 2 sqrt 2 |p|, F(B, rho) = (1 + 3p)/4
    np.testing.assert_allclose(states.concurrence(rho), np.maximum(0, (3 * p - 1) / 2), atol=1e-7)
    np.testing.assert_allclose(states.horodecki_chsh(rho), 2 * SQ2 * np.abs(p), atol=1e-12)
    b = states.bell_state(kind)
    np.testing.assert_allclose(states.fidelity(b, rho), (1 + 3 * p) / 4, atol=1e-7)
    np.testing.assert_allclose(
        states.fidelity_pure(_bell_ket(kind), rho), (1 + 3 * p) / 4, atol=1e-12
    )
    # E_F via its own definition on the Werner closed form
    c = np.maximum(0, (3 * p - 1) / 2)
    x = (1 + np.sqrt(1 - c**2)) / 2
    with np.errstate(divide="ignore", invalid="ignore"):
        h = np.nan_to_num(-x * np.log2(x) - (1 - x) * np.log2(1 - x))
    np.testing.assert_allclose(states.entanglement_of_formation(rho), h, atol=1e-6)


def _bell_ket(kind):
    return {
        "phi+": [1, 0, 0, 1],
        "phi-": [1, 0, 0, -1],
        "psi+": [0, 1, 1, 0],
        "psi-": [0, 1, -1, 0],
    }[kind]


def test_random_pure_states():
    rng = np.random.default_rng(2)
    kets = np.stack([random_ket(rng) for _ in range(30)])
    rho = states.ket_to_dm(kets)
    # pure states: C = 2 |det| of the coefficient matrix; E_F = entropy of a marginal
    c_det = 2 * np.abs(np.linalg.det(kets.reshape(30, 2, 2)))
    np.testing.assert_allclose(states.concurrence(rho), c_det, atol=1e-7)
    ent = [von_neumann_bits(r) for r in states.partial_trace(rho, (2, 2), 0)]
    np.testing.assert_allclose(states.entanglement_of_formation(rho), ent, atol=1e-6)
    # Gisin: a pure state violates CHSH with max value 2 sqrt(1 + C^2)
    np.testing.assert_allclose(states.horodecki_chsh(rho), 2 * np.sqrt(1 + c_det**2), atol=1e-9)
    # Uhlmann fidelity of pure states is the overlap |<psi|phi>|^2
    f = states.fidelity(rho[:-1], rho[1:])
    np.testing.assert_allclose(
        f, np.abs(np.sum(kets[:-1].conj() * kets[1:], axis=1)) ** 2, atol=1e-7
    )


def test_mixed_states_against_qutip():
    rng = np.random.default_rng(3)
    for rank in (1, 2, 3, 4):
        for _ in range(3):
            r, s = random_dm(rng, 4, rank), random_dm(rng, 4)
            qr = qutip.Qobj(r, dims=[[2, 2], [2, 2]])
            qs = qutip.Qobj(s, dims=[[2, 2], [2, 2]])
            assert states.concurrence(r) == pytest.approx(qutip.concurrence(qr), abs=1e-6)
            # qutip returns the root fidelity; ours is squared
            assert states.fidelity(r, s) == pytest.approx(qutip.fidelity(qr, qs) ** 2, abs=1e-6)
            np.testing.assert_allclose(states.partial_trace(r, (2, 2), 1), qr.ptrace(1).full())


def test_fidelity_general_dims_and_properties():
    rng = np.random.default_rng(4)
    r = np.stack([random_dm(rng, 3) for _ in range(6)])
    s = np.stack([random_dm(rng, 3) for _ in range(6)])
    f = states.fidelity(r, s)
    np.testing.assert_allclose(f, states.fidelity(s, r), atol=1e-10)  # symmetric
    assert np.all((f >= 0) & (f <= 1))
    np.testing.assert_allclose(states.fidelity(r, r), 1, atol=1e-8)
    for i in range(6):
        q = qutip.fidelity(qutip.Qobj(r[i]), qutip.Qobj(s[i])) ** 2
        assert f[i] == pytest.approx(q, abs=1e-6)
    psi = random_ket(rng, 3)
    np.testing.assert_allclose(
        states.fidelity(states.ket_to_dm(psi), s), states.fidelity_pure(psi, s), atol=1e-8
    )
    # commuting states: classical fidelity (sum sqrt(p q))^2
    p, q = rng.dirichlet(np.ones(3)), rng.dirichlet(np.ones(3))
    assert states.fidelity(np.diag(p), np.diag(q)) == pytest.approx(np.sum(np.sqrt(p * q)) ** 2)


def test_partial_trace_general_dims():
    rng = np.random.default_rng(5)
    f = [random_dm(rng, d) for d in (2, 3, 2)]
    rho = np.kron(np.kron(f[0], f[1]), f[2])
    np.testing.assert_allclose(states.partial_trace(rho, (2, 3, 2), 1), f[1], atol=1e-14)
    np.testing.assert_allclose(
        states.partial_trace(rho, (2, 3, 2), (0, 2)), np.kron(f[0], f[2]), atol=1e-14
    )
    # an entangled (non-product) state: explicit sum over the traced index vs qutip
    g = random_dm(rng, 12)
    t = g.reshape(2, 3, 2, 2, 3, 2)
    explicit = sum(t[:, j, :, :, j, :] for j in range(3)).reshape(4, 4)
    np.testing.assert_allclose(states.partial_trace(g, (2, 3, 2), [0, 2]), explicit, atol=1e-14)
    q = qutip.Qobj(g, dims=[[2, 3, 2], [2, 3, 2]]).ptrace([1]).full()
    np.testing.assert_allclose(states.partial_trace(g, (2, 3, 2), 1), q, atol=1e-14)
    # stacks and keep-all
    stack = np.stack([g, g.conj()])
    assert states.partial_trace(stack, (2, 3, 2), 0).shape == (2, 2, 2)
    np.testing.assert_allclose(states.partial_trace(g, (2, 3, 2), [0, 1, 2]), g)


def test_horodecki_against_explicit_optimisation():
    """Independent route: maximise Tr[rho B_CHSH] over explicit spin observables."""
    rng = np.random.default_rng(6)

    def obs(theta, phi):
        n = [np.sin(theta) * np.cos(phi), np.sin(theta) * np.sin(phi), np.cos(theta)]
        return np.einsum("i,ijk->jk", n, states.PAULI)

    def chsh(x, rho):
        a0, a1, b0, b1 = (obs(x[2 * i], x[2 * i + 1]) for i in range(4))
        op = np.kron(a0, b0 + b1) + np.kron(a1, b0 - b1)
        return float(np.real(np.trace(rho @ op)))

    for rank in (1, 2, 4):
        rho = random_dm(rng, 4, rank)
        best = max(
            -minimize(lambda x, r=rho: -chsh(x, r), rng.uniform(0, np.pi, 8), method="BFGS").fun
            for _ in range(6)
        )
        assert states.horodecki_chsh(rho) == pytest.approx(best, abs=1e-6)


def test_stacks_match_elementwise():
    rng = np.random.default_rng(7)
    rho = np.stack([random_dm(rng) for _ in range(6)]).reshape(2, 3, 4, 4)
    for fn in (states.concurrence, states.entanglement_of_formation, states.horodecki_chsh):
        out = fn(rho)
        assert out.shape == (2, 3)
        for i in range(2):
            for j in range(3):
                assert out[i, j] == pytest.approx(float(fn(rho[i, j])), abs=1e-12)


def test_eof_small_concurrence_accuracy():
    # series: E_F = x log2(1/x) + x/ln 2 + O(x^2) with x = C^2/4 + O(C^4)
    c = np.array([1e-8, 1e-6, 1e-4])
    x = c**2 / 4
    np.testing.assert_allclose(
        states.eof_from_concurrence(c), x * np.log2(1 / x) + x / np.log(2), rtol=1e-6
    )


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), rank=st.integers(1, 4))
def test_properties_random_states(seed, rank):
    rng = np.random.default_rng(seed)
    rho = random_dm(rng, 4, rank)
    c = states.concurrence(rho)
    assert 0 <= c <= 1
    e = states.entanglement_of_formation(rho)
    assert 0 <= e <= 1 + 1e-12
    assert 0 <= states.horodecki_chsh(rho) <= 2 * SQ2 + 1e-9
    assert states.is_density_matrix(states.partial_trace(rho, (2, 2), 0))
    # local unitaries leave C and the CHSH value unchanged
    u = np.kron(_random_unitary(rng), _random_unitary(rng))
    rho2 = u @ rho @ u.conj().T
    assert states.concurrence(rho2) == pytest.approx(c, abs=1e-6)
    assert states.horodecki_chsh(rho2) == pytest.approx(states.horodecki_chsh(rho), abs=1e-9)


def _random_unitary(rng):
    q, r = np.linalg.qr(rng.normal(size=(2, 2)) + 1j * rng.normal(size=(2, 2)))
    return q * (np.diag(r) / np.abs(np.diag(r)))


@settings(max_examples=40, deadline=None)
@given(c1=st.floats(0, 1), c2=st.floats(0, 1))
def test_eof_monotone_in_concurrence(c1, c2):
    lo, hi = sorted((c1, c2))
    e_lo, e_hi = states.eof_from_concurrence(lo), states.eof_from_concurrence(hi)
    assert 0 <= e_lo <= e_hi <= 1
    if hi - lo > 1e-6:
        assert e_lo < e_hi


def test_bad_arguments():
    with pytest.raises(ValueError, match="rho"):
        states.concurrence(np.eye(3) / 3)
    with pytest.raises(ValueError, match="p"):
        states.werner_state(1.5)
    with pytest.raises(ValueError, match="kind"):
        states.bell_state("phi0")
    with pytest.raises(ValueError, match="keep"):
        states.partial_trace(np.eye(4) / 4, (2, 2), 2)
    with pytest.raises(ValueError, match="rho"):
        states.partial_trace(np.eye(4) / 4, (2, 3), 0)
    with pytest.raises(ValueError, match="concurrence"):
        states.eof_from_concurrence(1.2)
    with pytest.raises(ValueError, match="sigma"):
        states.fidelity(np.eye(2) / 2, np.eye(3) / 3)


# ----------------------------------------------------------------------------- X states, PPT
def _random_x_states(n, seed=0):
    """Random two-qubit X states: diagonal populations and the two anti-diagonal coherences
    within the positivity bounds |rho_03|^2 <= rho_00 rho_33, |rho_12|^2 <= rho_11 rho_22."""
    rng = np.random.default_rng(seed)
    p = rng.dirichlet(np.ones(4), size=n)
    rho = np.zeros((n, 4, 4), dtype=complex)
    idx = np.arange(4)
    rho[:, idx, idx] = p
    z03 = rng.uniform(0, 1, n) * np.sqrt(p[:, 0] * p[:, 3]) * np.exp(1j * rng.uniform(0, 6, n))
    z12 = rng.uniform(0, 1, n) * np.sqrt(p[:, 1] * p[:, 2]) * np.exp(1j * rng.uniform(0, 6, n))
    rho[:, 0, 3], rho[:, 3, 0] = z03, np.conj(z03)
    rho[:, 1, 2], rho[:, 2, 1] = z12, np.conj(z12)
    return rho


def test_concurrence_x_state_matches_wootters():
    rho = _random_x_states(300)
    assert np.all(states.is_density_matrix(rho, atol=1e-12))
    np.testing.assert_allclose(states.concurrence_x_state(rho), states.concurrence(rho), atol=1e-7)
    with pytest.raises(ValueError, match="X state"):
        states.concurrence_x_state(np.full((4, 4), 0.25))


def test_partial_transpose_definition_and_ppt_criterion():
    rng = np.random.default_rng(3)
    a, b = rng.normal(size=(2, 2)), rng.normal(size=(2, 2))
    c, d = rng.normal(size=(2, 2)), rng.normal(size=(2, 2))
    m = np.kron(a, b) + np.kron(c, d)
    np.testing.assert_allclose(
        states.partial_transpose(m, (2, 2), 1), np.kron(a, b.T) + np.kron(c, d.T), atol=1e-14
    )
    np.testing.assert_allclose(
        states.partial_transpose(m, (2, 2), 0), np.kron(a.T, b) + np.kron(c.T, d), atol=1e-14
    )
    # two qubits: entangled (C > 0) iff the partial transpose has a negative eigenvalue
    rho = _random_x_states(300, seed=1)
    c_ = np.asarray(states.concurrence_x_state(rho))
    lam = np.asarray(states.min_ppt_eigenvalue(rho))
    clear = np.abs(c_) > 1e-9
    np.testing.assert_array_equal((lam < 0)[clear], (c_ > 0)[clear])
    with pytest.raises(ValueError, match="transpose"):
        states.partial_transpose(m, (2, 2), 2)
