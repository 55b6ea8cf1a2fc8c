"""Tests of bellflow.process: partial traces, Choi operators, no-signalling, process matrices.

Each helper is checked against an independent construction (explicit Kronecker products,
Kraus sums, the explicit bipartite conditions of Araujo et al., the definition of classical
admissibility through Birkhoff's theorem).
"""

from __future__ import annotations

import itertools
from functools import reduce

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bellflow.process import (
    bipartite_process_residuals,
    bistochastic_supermap_residuals,
    born_probabilities,
    choi_operator,
    is_admissible_bistochastic_supermap,
    is_nosignalling_choi,
    is_process_matrix,
    nosignalling_projection,
    nosignalling_span_residual,
    process_matrix_residual,
    trace_out,
    trace_replace,
    trace_replace_matrix,
)

I2 = np.eye(2)
X = np.array([[0.0, 1.0], [1.0, 0.0]])
Z = np.diag([1.0, -1.0])


def kron(*ms):
    return reduce(np.kron, ms)


def random_herm(rng, d):
    a = rng.normal(size=(d, d)) + 1j * rng.normal(size=(d, d))
    return (a + a.conj().T) / 2


def random_channel_choi(rng, d_in, d_out, rank=3):
    """Choi operator of a random CPTP map (normalised Kraus sum)."""
    ks = rng.normal(size=(rank, d_out, d_in)) + 1j * rng.normal(size=(rank, d_out, d_in))
    s = sum(k.conj().T @ k for k in ks)
    w, v = np.linalg.eigh(s)
    s_inv_half = v @ np.diag(w**-0.5) @ v.conj().T
    return choi_operator([k @ s_inv_half for k in ks])


# ---- partial trace / trace-and-replace ------------------------------------------------------


def test_partial_trace_of_product_is_product_of_traces():
    rng = np.random.default_rng(1)
    a, b, c = random_herm(rng, 2), random_herm(rng, 3), random_herm(rng, 2)
    x = kron(a, b, c)
    assert np.allclose(trace_out(x, [2, 3, 2], [1]), np.trace(b) * np.kron(a, c))
    assert np.allclose(trace_out(x, [2, 3, 2], [0, 2]), np.trace(a) * np.trace(c) * b)


def test_trace_replace_matches_explicit_kron():
    rng = np.random.default_rng(2)
    a, b = random_herm(rng, 2), random_herm(rng, 3)
    x = np.kron(a, b)
    assert np.allclose(trace_replace(x, [2, 3], [0]), np.kron(np.eye(2) / 2, b) * np.trace(a))
    assert np.allclose(trace_replace(x, [2, 3], [1]), np.kron(a, np.eye(3) / 3) * np.trace(b))


@settings(max_examples=25, deadline=None)
@given(
    dims=st.lists(st.integers(1, 3), min_size=1, max_size=3),
    data=st.data(),
)
def test_trace_replace_matrix_and_projection_properties(dims, data):
    n = len(dims)
    axes = data.draw(st.lists(st.integers(0, n - 1), min_size=1, max_size=n, unique=True))
    rng = np.random.default_rng(len(dims) + sum(axes))
    d = int(np.prod(dims))
    x, y = random_herm(rng, d), random_herm(rng, d)
    tx = trace_replace(x, dims, axes)
    # sparse matrix form agrees, on the row-major vectorisation
    assert np.allclose(trace_replace_matrix(dims, axes) @ x.reshape(-1), tx.reshape(-1))
    # orthogonal projection: idempotent and self-adjoint (Hilbert-Schmidt)
    assert np.allclose(trace_replace(tx, dims, axes), tx)
    ty = trace_replace(y, dims, axes)
    assert np.isclose(np.trace(tx.conj().T @ y), np.trace(x.conj().T @ ty))
    # the trace is preserved
    assert np.isclose(np.trace(tx), np.trace(x))


def test_bad_dims_and_axes_raise():
    with pytest.raises(ValueError, match="dims"):
        trace_out(np.eye(4), [2, 3], [0])
    with pytest.raises(ValueError, match="axes"):
        trace_replace(np.eye(4), [2, 2], [2])


# ---- Choi operators --------------------------------------------------------------------------


def test_choi_operator_matches_definition_eq13():
    rng = np.random.default_rng(3)
    ks = [rng.normal(size=(3, 2)) + 1j * rng.normal(size=(3, 2)) for _ in range(2)]

    def apply(rho):
        return sum(k @ rho @ k.conj().T for k in ks)

    direct = sum(
        np.kron(np.outer(np.eye(2)[i], np.eye(2)[j]), apply(np.outer(np.eye(2)[i], np.eye(2)[j])))
        for i, j in itertools.product(range(2), repeat=2)
    )
    assert np.allclose(choi_operator(ks), direct)


def test_choi_of_channel_is_trace_preserving():
    c = random_channel_choi(np.random.default_rng(4), 2, 3)
    assert np.allclose(trace_out(c, [2, 3], [1]), np.eye(2))
    assert np.min(np.linalg.eigvalsh(c)) > -1e-12


# ---- no-signalling channels and process matrices ---------------------------------------------


def test_product_channels_are_nosignalling():
    rng = np.random.default_rng(5)
    c = np.kron(random_channel_choi(rng, 2, 3), random_channel_choi(rng, 3, 2))
    assert nosignalling_span_residual(c, [2, 3], [3, 2]) < 1e-12
    assert is_nosignalling_choi(c, [2, 3], [3, 2])
    assert np.allclose(nosignalling_projection(c, [2, 3], [3, 2]), c)


def test_signalling_channel_is_rejected():
    # A's input goes to B's output (identity), A's output and B's input are discarded/fixed:
    # channel (A_I, B_I) -> (A_O, B_O), rho -> |0><0|_{A_O} (x) Tr_{B_I}(rho).
    # Choi on (A_I, A_O, B_I, B_O) = |I>><<I|_{A_I B_O} (x) |0><0|_{A_O} (x) I_{B_I}.
    phi = np.eye(2).reshape(-1)
    big = np.kron(np.kron(np.outer(phi, phi), np.diag([1.0, 0.0])), np.eye(2))
    # current order (A_I, B_O, A_O, B_I) -> (A_I, A_O, B_I, B_O)
    c = big.reshape([2] * 8).transpose([0, 2, 3, 1, 4, 6, 7, 5]).reshape(16, 16)
    assert np.allclose(trace_out(c, [2, 2, 2, 2], [1, 3]), np.eye(4))  # a channel
    assert nosignalling_span_residual(c, [2, 2], [2, 2]) > 0.1
    assert not is_nosignalling_choi(c, [2, 2], [2, 2])


def ocb_process():
    """The OCB process matrix (Oreshkov, Costa, Brukner 2012) on (A_I, A_O, B_I, B_O)."""
    return kron(I2, I2, I2, I2) / 4 + (kron(I2, Z, Z, I2) + kron(Z, I2, X, Z)) / (4 * np.sqrt(2))


def loop_process():
    """Identity channels A_O -> B_I and B_O -> A_I: a causal loop, not a process matrix."""
    phi = np.eye(2).reshape(-1)
    big = np.kron(np.outer(phi, phi), np.outer(phi, phi))  # (A_O, B_I, B_O, A_I)
    return big.reshape([2] * 8).transpose([3, 0, 1, 2, 7, 4, 5, 6]).reshape(16, 16)


@pytest.mark.parametrize(
    ("w", "valid"), [(ocb_process(), True), (loop_process(), False), (np.eye(16) / 4, True)]
)
def test_process_matrix_checks_agree_with_araujo_conditions(w, valid):
    r = bipartite_process_residuals(w, 2, 2, 2, 2)
    assert (max(r.values()) < 1e-12) == valid
    assert (process_matrix_residual(w, [2, 2], [2, 2]) < 1e-12) == valid
    assert is_process_matrix(w, [2, 2], [2, 2]) == valid


def test_process_matrix_projection_random_points():
    """W = I/d_I + (1 - P_NS) H satisfies the explicit conditions; a generic H does not."""
    rng = np.random.default_rng(6)
    h = random_herm(rng, 12)  # (A_I, A_O, B_I, B_O) = (2, 3, 2, 1)
    dims_in, dims_out = [2, 2], [3, 1]
    w = np.eye(12) / 4 + h - nosignalling_projection(h, dims_in, dims_out)
    assert max(bipartite_process_residuals(w, 2, 3, 2, 1).values()) < 1e-12
    assert process_matrix_residual(w, dims_in, dims_out) < 1e-12
    assert max(bipartite_process_residuals(h, 2, 3, 2, 1).values()) > 1e-3
    assert process_matrix_residual(h, dims_in, dims_out) > 1e-3


def test_born_probabilities_product_process():
    """W = rho_A (x) I_AO (x) rho_B (x) I_BO: measurements give Born products (Eq. 17)."""
    rng = np.random.default_rng(7)
    ra = random_channel_choi(rng, 1, 2)  # a random qubit state
    rb = random_channel_choi(rng, 1, 2)
    w = kron(ra.T, I2, rb.T, I2)  # Eq. 17 transposes W
    basis = [np.eye(2), np.array([[1, 1], [1, -1]]) / np.sqrt(2)]
    inst = np.zeros((2, 2, 4, 4), dtype=complex)
    for a, x in itertools.product(range(2), repeat=2):
        v = basis[x][:, a]
        inst[a, x] = np.kron(np.outer(v, v.conj()).T, np.diag([1.0, 0.0]))
    p = born_probabilities(w, [inst, inst])
    for a1, a2, x1, x2 in itertools.product(range(2), repeat=4):
        v1, v2 = basis[x1][:, a1], basis[x2][:, a2]
        expect = np.real(v1.conj() @ ra @ v1) * np.real(v2.conj() @ rb @ v2)
        assert np.isclose(p[a1, a2, x1, x2], expect)


# ---- bistochastic supermaps (Eq. 12) ---------------------------------------------------------


def birkhoff_admissible(diag):
    """Definition: normalised on every pair of permutation channels (Birkhoff extreme points)."""
    d = diag.shape[0]
    idx = np.arange(d)
    for p1 in itertools.permutations(range(d)):
        for p2 in itertools.permutations(range(d)):
            total = diag[idx[:, None], np.array(p1)[:, None], idx[None, :], np.array(p2)[None, :]]
            if not np.isclose(total.sum(), 1.0):
                return False
    return True


def test_eq12_matches_classical_definition_on_all_01_supermaps():
    """All 0/1 diagonal S with four ones: Eq. (12) <=> Birkhoff definition <=> Eq. (80).

    Eq. (80) (App. D) predicts 2^8 = 256 extreme points.
    """
    count = 0
    for ones in itertools.combinations(range(16), 4):
        diag = np.zeros(16)
        diag[list(ones)] = 1.0
        d4 = diag.reshape(2, 2, 2, 2)
        eq12 = is_admissible_bistochastic_supermap(np.diag(diag), 2, 2)
        assert eq12 == birkhoff_admissible(d4)
        i, j, k, ll = np.indices((2, 2, 2, 2))
        eq80 = all(
            np.isclose(d4[(i == (j ^ u)) & (k == (ll ^ v))].sum(), 1.0)
            for u, v in itertools.product(range(2), repeat=2)
        )
        assert eq12 == eq80
        count += eq12
    assert count == 2**8  # App. D: "a convex set with 2^8 extreme points"


def test_bistochastic_residuals_reject_nonpositive_and_wrong_trace():
    s = np.diag(np.r_[np.ones(4), np.zeros(12)])
    r = bistochastic_supermap_residuals(-s, 2, 2)
    assert r["min_eig"] < 0 and r["trace"] > 0


def test_trace_out_is_the_complement_of_states_partial_trace():
    """process.trace_out (traces out) is states.partial_trace (keeps) on the complement."""
    from bellflow import states

    rng = np.random.default_rng(7)
    a = rng.normal(size=(12, 12))
    x = a @ a.T
    dims = [2, 3, 2]
    for out in ([0], [1], [2], [0, 2], [1, 2]):
        keep = [k for k in range(3) if k not in out]
        assert np.allclose(trace_out(x, dims, out), states.partial_trace(x, dims, keep))
    # tracing out everything leaves the 1 x 1 trace
    assert np.allclose(trace_out(x, dims, [0, 1, 2]), [[np.trace(x)]])
