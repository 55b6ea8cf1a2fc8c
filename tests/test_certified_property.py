"""Property test: a certified NPA bound is never below a value reached by an explicit quantum
strategy, in the 2222, 3322 and 2233 scenarios, at levels 1, 1+AB and 2.

The strategies are sharpened so that the test bites: random complex projective measurements on
qubits (2 outcomes) or qutrits (3 outcomes), then a few see-saw rounds (the best state for the
measurements is the top eigenvector of the Bell operator; for 2 outcomes the best projector of
each setting is the positive part of its effective operator). The value reached is often within
1e-6 of the NPA bound, where an uncertified solver value can fall below it.
"""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bellflow import boxes as bx
from bellflow import npa

#: (oA, oB, mA, mB) of each scenario (the name lists settings then outcomes, mA mB oA oB)
SCENARIOS = {"2222": (2, 2, 2, 2), "3322": (2, 2, 3, 3), "2233": (3, 3, 2, 2)}
LEVELS = [1, "1+AB", 2]


def _random_projective(rng, outcomes: int, settings_: int) -> np.ndarray:
    """``M[x, a]``: rank-one projectors of random complex bases in dimension ``outcomes``."""
    d = outcomes
    out = np.empty((settings_, d, d, d), dtype=complex)
    for x in range(settings_):
        q, _ = np.linalg.qr(rng.normal(size=(d, d)) + 1j * rng.normal(size=(d, d)))
        for a in range(d):
            out[x, a] = np.outer(q[:, a], q[:, a].conj())
    return out


def _bell_operator(c, A, B) -> np.ndarray:
    W = np.einsum("abxy,xaij,ybkl->ikjl", c, A, B)
    n = A.shape[-1] * B.shape[-1]
    W = W.reshape(n, n)
    return (W + W.conj().T) / 2


def _best_two_outcome(c, rho, M, other, alice: bool) -> np.ndarray:
    """See-saw step for the 2-outcome projectors ``M`` of one party given the state and the
    other party's measurements: ``P`` = positive part of ``O_0 - O_1``, where
    ``O_a = sum_{b,y} c_{a b x y} Tr_other[(1 (x) other_{y b}) rho]``."""
    dM, dO = M.shape[-1], other.shape[-1]
    if alice:
        r, cc = rho.reshape(dM, dO, dM, dO), c
    else:  # Bob first: swap the factors of rho and the roles in c
        r = rho.reshape(dO, dM, dO, dM).transpose(1, 0, 3, 2)
        cc = np.transpose(c, (1, 0, 3, 2))
    out = np.empty_like(M)
    for x in range(M.shape[0]):
        O = np.zeros((dM, dM), dtype=complex)
        for a, s in ((0, 1.0), (1, -1.0)):
            for b in range(cc.shape[1]):
                for y in range(cc.shape[3]):
                    O += s * cc[a, b, x, y] * np.einsum("ijkl,lj->ik", r, other[y, b])
        lam, V = np.linalg.eigh((O + O.conj().T) / 2)
        P = V[:, lam > 0] @ V[:, lam > 0].conj().T
        out[x, 0], out[x, 1] = P, np.eye(dM) - P
    return out


def _strategy(c, rng, rounds: int = 4) -> tuple[float, np.ndarray]:
    oA, oB, mA, mB = c.shape
    A, B = _random_projective(rng, oA, mA), _random_projective(rng, oB, mB)
    for k in range(rounds + 1):
        lam, V = np.linalg.eigh(_bell_operator(c, A, B))
        psi = V[:, -1]
        if k == rounds or oA != 2 or oB != 2:
            break
        rho = np.outer(psi, psi.conj())
        A = _best_two_outcome(c, rho, A, B, alice=True)
        B = _best_two_outcome(c, rho, B, A, alice=False)
    p = bx.box_from_quantum(psi, A, B)
    return bx.bell_value(c, p), p


@pytest.mark.parametrize("name", list(SCENARIOS))
@settings(max_examples=10, deadline=None, derandomize=True)
@given(seed=st.integers(0, 2**32 - 1))
def test_certified_never_below_quantum_strategy(name, seed):
    shape = SCENARIOS[name]
    rng = np.random.default_rng(seed)
    c = rng.normal(size=shape)
    achieved, p = _strategy(c, rng)
    bx.check_box(p, atol=1e-9)
    assert achieved == pytest.approx(float(np.sum(c * p)), abs=1e-12)
    prev = np.inf
    for level in LEVELS:
        # npa_upper_bound raises CertificateError itself if certified < achieved
        r = npa.npa_upper_bound(c, level, achieved=achieved)
        assert r.certified >= achieved
        assert r.certified >= r.value - 1e-6  # the certificate is no looser than needed...
        assert r.certified - r.value < 1e-4  # ...and no uselessly loose
        assert r.value <= prev + 1e-6  # higher levels are tighter
        prev = r.value


HARDY_ZEROS = [(0, 0, 0, 1), (0, 0, 1, 0), (1, 1, 1, 1)]


def _hardy_type_box(v) -> np.ndarray:
    """Qubit strategy with Hardy's zeros for any psi = al|00> + be|01> + ga|10>: settings 1 in
    the computational basis, settings 0 with outcome 0 on u orthogonal to (al, ga) (Alice) and
    v orthogonal to (al, be) (Bob), so p(00|01) = p(00|10) = p(11|11) = 0."""
    al, be, ga = v / np.linalg.norm(v)
    u, w = np.array([ga, -al]), np.array([be, -al])
    Z = np.diag([1.0, 0.0])

    def meas(x):
        P = np.outer(x, x) / (x @ x)
        return [[P, np.eye(2) - P], [Z, np.eye(2) - Z]]

    return bx.box_from_quantum(np.array([al, be, ga, 0.0]), meas(u), meas(w))


@settings(max_examples=12, deadline=None, derandomize=True)
@given(seed=st.integers(0, 2**32 - 1))
def test_certified_with_hardy_zeros_never_below_strategy(seed):
    # facial reduction path: Hardy's zeros imposed, objective Hardy's success plus a random
    # perturbation, any Hardy-type qubit strategy is feasible and its value a lower bound
    rng = np.random.default_rng(seed)
    p = _hardy_type_box(rng.normal(size=3))
    assert max(abs(p[z]) for z in HARDY_ZEROS) < 1e-15
    c = 0.3 * rng.normal(size=(2, 2, 2, 2))
    c[0, 0, 0, 0] += 1.0
    zeros = []
    for z in HARDY_ZEROS:
        e = np.zeros((2, 2, 2, 2))
        e[z] = 1.0
        zeros.append((e, 0.0))
    achieved = float(np.sum(c * p))
    for level in LEVELS:
        r = npa.npa_upper_bound(c, level, equalities=zeros, achieved=achieved)
        assert r.certified >= achieved
