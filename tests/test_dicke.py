"""Dicke-basis collective spins and two-body reduced states (paper 003, Eq. 2 and "System model").

Three routes are compared: the Dicke-basis closed forms, QuTiP's ``jmat``, and explicit sums of
Pauli matrices / explicit partial traces in the full 2^N space (N <= 8).
"""

import numpy as np
import pytest
import qutip
from hypothesis import given, settings
from hypothesis import strategies as st

from bellflow.dicke import (
    check_n,
    dicke_embedding,
    dicke_state,
    full_spin_operators,
    spin_operators,
    two_body_reduced_state,
    two_body_reduced_state_full,
)


def _random_state(n, seed, mixed):
    rng = np.random.default_rng(seed)
    if not mixed:
        psi = rng.normal(size=n + 1) + 1j * rng.normal(size=n + 1)
        return psi / np.linalg.norm(psi)
    g = rng.normal(size=(n + 1, 3)) + 1j * rng.normal(size=(n + 1, 3))
    rho = g @ g.conj().T
    return rho / np.trace(rho)


@pytest.mark.parametrize("n", [1, 2, 5, 10, 21, 40])
def test_spin_operators_match_qutip_jmat(n):
    ops = spin_operators(n)
    for name in ("x", "y", "z", "+", "-"):
        ours = {"x": ops.sx, "y": ops.sy, "z": ops.sz, "+": ops.sp, "-": ops.sm}[name]
        np.testing.assert_allclose(ours, qutip.jmat(n / 2, name).full(), atol=1e-12)


@pytest.mark.parametrize("n", [1, 2, 3, 5, 8])
def test_spin_operators_match_full_pauli_sums(n):
    # V^T (1/2 sum_i sigma_mu^(i)) V, V the Dicke embedding: the symmetric block of the full
    # operator equals the Dicke-basis closed form; V spans an invariant subspace.
    ops, full, v = spin_operators(n), full_spin_operators(n), dicke_embedding(n)
    for mu in ("sx", "sy", "sz", "sp", "sm"):
        f = getattr(full, mu)
        np.testing.assert_allclose(v.T @ f @ v, getattr(ops, mu), atol=1e-12)
        np.testing.assert_allclose(f @ v, v @ (v.T @ f @ v), atol=1e-12)


def test_printed_matrix_elements_are_a_typo():
    # Paper 003 prints <D_k|S_x|D_{k+1}> = sqrt(k (N-k+1))/2, zero at k = 0; but S_x on the
    # all-up state |D_0> = |0...0> gives (1/2) sum_i |0..1_i..0> = (sqrt(N)/2) |D_1>.
    n = 6
    full, v = full_spin_operators(n), dicke_embedding(n)
    elem = (v[:, [0]].T @ full.sx @ v[:, [1]]).item().real
    assert elem == pytest.approx(np.sqrt(n) / 2)
    assert spin_operators(n).sx[0, 1] == pytest.approx(np.sqrt(n) / 2)
    printed = np.sqrt(0 * (n - 0 + 1)) / 2
    assert abs(printed - elem) > 1.0
    # and S_z |D_k> = (N/2 - k)|D_k>, not (N - 2k)
    np.testing.assert_allclose(np.diag(v.T @ full.sz @ v).real, n / 2 - np.arange(n + 1))


@settings(max_examples=15, deadline=None)
@given(n=st.integers(2, 40))
def test_su2_commutation_relations(n):
    o = spin_operators(n)
    np.testing.assert_allclose(o.sx @ o.sy - o.sy @ o.sx, 1j * o.sz, atol=1e-10)
    np.testing.assert_allclose(o.sy @ o.sz - o.sz @ o.sy, 1j * o.sx, atol=1e-10)
    casimir = o.sx @ o.sx + o.sy @ o.sy + o.sz @ o.sz
    np.testing.assert_allclose(casimir, (n / 2) * (n / 2 + 1) * np.eye(n + 1), atol=1e-9)


def test_two_qubit_dicke_state_closed_form():
    # |D_1^2> = (|01> + |10>)/sqrt(2): rho_2 is that projector.
    psi = np.array([0, 1, 1, 0]) / np.sqrt(2)
    for method in ("eq2", "moments"):
        np.testing.assert_allclose(
            two_body_reduced_state(dicke_state(2, 1), method), np.outer(psi, psi), atol=1e-14
        )


@settings(max_examples=20, deadline=None)
@given(n=st.integers(2, 8), seed=st.integers(0, 10_000), mixed=st.booleans())
def test_rho2_eq2_moments_and_partial_trace_agree(n, seed, mixed):
    state = _random_state(n, seed, mixed)
    rho = state if mixed else np.outer(state, state.conj())
    r_eq2 = two_body_reduced_state(state, "eq2")
    r_mom = two_body_reduced_state(state, "moments")
    v = dicke_embedding(n)
    r_full = two_body_reduced_state_full(v @ rho @ v.T, n)
    np.testing.assert_allclose(r_eq2, r_full, atol=1e-12)
    np.testing.assert_allclose(r_mom, r_full, atol=1e-12)
    # any pair of qubits gives the same state (permutation invariance)
    np.testing.assert_allclose(
        two_body_reduced_state_full(v @ rho @ v.T, n, keep=(n - 1, 0)), r_full, atol=1e-12
    )


def test_rho2_large_n_is_a_state():
    # Eq. (2) with log-binomials stays finite and normalised for N = 200.
    rho2 = two_body_reduced_state(_random_state(200, 3, True))
    assert np.trace(rho2).real == pytest.approx(1.0, abs=1e-12)
    assert np.linalg.eigvalsh(rho2).min() > -1e-12
    np.testing.assert_allclose(
        rho2, two_body_reduced_state(_random_state(200, 3, True), "moments"), atol=1e-12
    )


def test_invalid_arguments():
    with pytest.raises(ValueError, match="n must be"):
        check_n(1)
    with pytest.raises(ValueError, match="n must be even"):
        check_n(5, even=True)
    with pytest.raises(ValueError, match="k must be"):
        dicke_state(4, 5)
    with pytest.raises(ValueError, match="method"):
        two_body_reduced_state(dicke_state(4, 1), method="nope")
    with pytest.raises(ValueError, match="N \\(state dimension"):
        two_body_reduced_state(dicke_state(1, 1))
    with pytest.raises(ValueError, match="keep"):
        two_body_reduced_state_full(np.eye(8) / 8, 3, keep=(0, 0))
