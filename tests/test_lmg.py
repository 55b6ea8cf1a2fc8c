"""Paper 003 (open LMG model): Bell inequality Eq. (3), witnesses Eqs. (12)-(13), open dynamics
Eqs. (6), (7), (14), (15), steady states, Eq. (11).

Each quantity is checked against an independent route: the full 2^N space for N <= 8, QuTiP's
own Liouvillian / Bloch-Redfield tensor / mesolve, closed forms (Gibbs state, coherent state,
W state, the H = 0 solution of Eq. 7).
"""

from math import comb

import numpy as np
import pytest
import qutip
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st

import bellflow.lmg as lmg
from bellflow.dicke import (
    dicke_embedding,
    dicke_state,
    full_spin_operators,
    spin_operators,
    two_body_reduced_state,
)
from bellflow.lmg import (
    SteadyStateError,
    bell_minimum,
    bell_operator_dicke,
    bell_operator_full,
    bell_operator_two_body,
    bell_value,
    energy_basis,
    eq14_dynamics,
    eq14_hamiltonian,
    eq14_initial_state,
    eq15_mixture,
    evolve,
    fit_gaussian_sigma2,
    gaussian_dicke_state,
    gibbs_state,
    lmg_hamiltonian,
    measurement_dynamics,
    nonthermal_liouvillian,
    nonthermal_steady_state,
    ohmic_rate,
    printed_eq11_norm,
    spin_squeezing,
    steady_state,
    thermal_liouvillian,
    thermal_steady_state,
    two_body_concurrence,
)
from bellflow.lmg import bell as lmg_bell


def _random_dicke_rho(n, seed, rank=3):
    rng = np.random.default_rng(seed)
    g = rng.normal(size=(n + 1, rank)) + 1j * rng.normal(size=(n + 1, rank))
    rho = g @ g.conj().T
    return rho / np.trace(rho)


def _product_state(n, a):
    """(cos a |0> + sin a |1>)^{(x) n} in the Dicke basis: sqrt(C(n,k)) cos^{n-k} sin^k."""
    k = np.arange(n + 1)
    return np.array([np.sqrt(comb(n, i)) for i in k]) * np.cos(a) ** (n - k) * np.sin(a) ** k


def _ground_state(n, j, h):
    return np.linalg.eigh(lmg_hamiltonian(n, j, h))[1][:, 0]


def _apply(liou, rho):
    d = rho.shape[0]
    return (liou @ rho.reshape(-1, order="F")).reshape(d, d, order="F")


# ---------------------------------------------------------------------------------- Hamiltonians


@pytest.mark.parametrize("n", [2, 5, 8])
def test_hamiltonian_eq4_matches_full_space_and_qutip(n):
    j, h = 0.7, 0.3
    full, v = full_spin_operators(n), dicke_embedding(n)
    h_full = (j / n) * full.sz @ full.sz - h * full.sx
    np.testing.assert_allclose(v.T @ h_full @ v, lmg_hamiltonian(n, j, h), atol=1e-12)
    h_qt = (j / n) * qutip.jmat(n / 2, "z") ** 2 - h * qutip.jmat(n / 2, "x")
    np.testing.assert_allclose(lmg_hamiltonian(n, j, h), h_qt.full(), atol=1e-12)


def test_eq14_is_minus_omega_sz2_plus_omega_s2():
    # Eq. (14) = omega (S_x^2 + S_y^2): the constant is omega S^2 = omega (N/2)(N/2 + 1).
    n, omega = 6, 0.3
    o = spin_operators(n)
    np.testing.assert_allclose(
        eq14_hamiltonian(n, omega), omega * (o.sx @ o.sx + o.sy @ o.sy).real, atol=1e-12
    )
    rho0 = eq14_initial_state(n)
    assert np.trace(rho0).real == pytest.approx(1.0)
    with pytest.raises(ValueError, match="n must be even"):
        eq14_hamiltonian(5, 1.0)


# ---------------------------------------------------------------------------------- Bell value


@settings(max_examples=12, deadline=None)
@given(
    n=st.integers(2, 6), seed=st.integers(0, 10_000), phi=st.floats(0, 6.3), theta=st.floats(0, 6.3)
)
def test_bell_value_three_routes(n, seed, phi, theta):
    # Eq. (3) on rho_2  ==  Eq. (1) on the full 2^N space  ==  Eq. (1) from collective spins.
    rho = _random_dicke_rho(n, seed)
    rho2 = two_body_reduced_state(rho)
    val = float(bell_value(rho2, n, phi, theta))
    assert val == pytest.approx(
        np.trace(bell_operator_two_body(n, phi, theta) @ rho2).real, abs=1e-9
    )
    v = dicke_embedding(n)
    full = np.trace(bell_operator_full(n, phi, theta) @ (v @ rho @ v.T)).real
    assert val == pytest.approx(full, abs=1e-9)
    assert val == pytest.approx(np.trace(bell_operator_dicke(n, phi, theta) @ rho).real, abs=1e-9)


def test_bell_gradient_matches_finite_differences():
    n = 10
    corr = lmg_bell._correlators(two_body_reduced_state(_random_dicke_rho(n, 1)))
    for phi, theta in [(0.3, 2.0), (4.0, 1.1)]:
        g = lmg_bell._bell_grad(corr, n, phi, theta)
        e = 1e-6
        fd = [
            (
                lmg_bell._bell_from_corr(corr, n, phi + e, theta)
                - lmg_bell._bell_from_corr(corr, n, phi - e, theta)
            )
            / (2 * e),
            (
                lmg_bell._bell_from_corr(corr, n, phi, theta + e)
                - lmg_bell._bell_from_corr(corr, n, phi, theta - e)
            )
            / (2 * e),
        ]
        np.testing.assert_allclose(g, fd, rtol=1e-6, atol=1e-6)


@settings(max_examples=15, deadline=None)
@given(n=st.integers(2, 30), a=st.floats(0, np.pi))
def test_product_states_never_violate(n, a):
    # Product states are local: no angles give Tr[B rho] < 0 (local bound 0).
    rho2 = two_body_reduced_state(_product_state(n, a))
    assert bell_minimum(rho2, n).value > -1e-9


@pytest.mark.parametrize("n", [4, 10, 20, 50])
def test_half_filled_dicke_state_does_not_violate(n):
    # Closed form for |D_{N/2}>: <s_z> = <s_x> = 0, <zz> = -1/(N-1), <xx> = N/(2(N-1)), so
    # Tr[B rho_2] = 2N - (N/2)(c_phi - c_theta)^2 + (N^2/4)(s_phi - s_theta)^2 >= 0, min 0.
    bm = bell_minimum(two_body_reduced_state(dicke_state(n, n // 2)), n)
    assert bm.value == pytest.approx(0.0, abs=1e-8)


def test_lmg_ground_state_violates_and_dense_search_finds_nothing_lower():
    # Paper 003, text after Eq. (4): the ground state violates Eq. (3); J = 1, h = 0.05, N = 20
    # are the parameters of Fig. 2.
    n = 20
    states = [
        _ground_state(n, 1.0, 0.05),
        _ground_state(n, 1.0, 0.5),
        gibbs_state(n, 1.0, 0.05, 10.0),
        _random_dicke_rho(n, 7),
    ]
    a = np.linspace(0, 2 * np.pi, 721)
    pp, tt = np.meshgrid(a, a, indexing="ij")
    for k, s in enumerate(states):
        rho2 = two_body_reduced_state(s)
        bm = bell_minimum(rho2, n)
        assert float(bell_value(rho2, n, bm.phi, bm.theta)) == pytest.approx(bm.value, abs=1e-9)
        assert bell_value(rho2, n, pp, tt).min() >= bm.value - 1e-9
        if k == 0:
            assert bm.value < -1.0


def test_bell_minimum_newton_matches_bfgs():
    # the Newton refinement (analytic Hessian) against the BFGS route it replaced, on random
    # symmetric states of several N and on steady states; values agree to rounding
    states = [
        (_random_dicke_rho(n, seed, rank=1 + seed % 3), n)
        for n in (2, 3, 8, 20, 50)
        for seed in range(8)
    ]
    states += [(thermal_steady_state(20, 1.0, h, 10.0).rho, 20) for h in (0.0, 0.05, 0.3)]
    states += [(nonthermal_steady_state(20, 1.0, 0.05, z, 0.1).rho, 20) for z in (0.0, 0.35, 1.2)]
    for rho, n in states:
        rho2 = two_body_reduced_state(rho)
        new, old = bell_minimum(rho2, n), bell_minimum(rho2, n, method="bfgs")
        assert new.value == pytest.approx(old.value, abs=1e-12 * n * n)
        assert float(bell_value(rho2, n, new.phi, new.theta)) == pytest.approx(
            new.value, abs=1e-12 * n * n
        )
    # the analytic gradient vanishes at the Newton point
    rho2 = two_body_reduced_state(_random_dicke_rho(20, 3))
    bm = bell_minimum(rho2, 20)
    grad = lmg_bell._bell_grad(lmg_bell._correlators(rho2), 20, bm.phi, bm.theta)
    assert np.abs(grad).max() < 1e-9 * 400


def test_bell_minimum_arguments():
    with pytest.raises(ValueError, match="method"):
        bell_minimum(np.eye(4) / 4, 4, method="nelder")
    with pytest.raises(ValueError, match="grid"):
        bell_minimum(np.eye(4) / 4, 4, grid=2)
    with pytest.raises(ValueError, match="rho2"):
        bell_minimum(np.eye(3) / 3, 4)


# ---------------------------------------------------------------------------------- witnesses


@pytest.mark.parametrize("n", [3, 5, 8])
def test_w_state_concurrence_is_2_over_n(n):
    # |D_1^N> (W state): rho_2 = ((N-2)/N)|00><00| + (2/N)|psi+><psi+|, concurrence 2/N.
    assert two_body_concurrence(dicke_state(n, 1)) == pytest.approx(2 / n, abs=1e-10)


def test_h0_state_is_entangled_but_local():
    # Paper 003 calls the h = 0 steady states "clearly separable". At low temperature the state
    # is ~|D_{N/2}>, which is entangled (C > 0, and its xi^2 is infinite: no transverse spin),
    # but it does not violate Eq. (3).
    n = 20
    rho = gibbs_state(n, 1.0, 0.0, 30.0)
    assert two_body_concurrence(rho) > 0.01
    assert bell_minimum(two_body_reduced_state(rho), n).value > -1e-8


def test_spin_squeezing_coherent_state_full_space_and_ground_state():
    # Coherent state along +x: (Delta S_z)^2 = N/4, <S_x> = N/2  ->  xi^2 = 1.
    n = 12
    assert spin_squeezing(_product_state(n, np.pi / 4)) == pytest.approx(1.0, abs=1e-12)
    # Full-space route for a random symmetric state.
    n = 6
    rho = _random_dicke_rho(n, 3)
    v, f = dicke_embedding(n), full_spin_operators(n)
    big = v @ rho @ v.T

    def ev(op):
        return np.trace(big @ op).real

    xi2 = n * (ev(f.sz @ f.sz) - ev(f.sz) ** 2) / (ev(f.sx) ** 2 + ev(f.sy) ** 2)
    assert spin_squeezing(rho) == pytest.approx(xi2, rel=1e-10)
    assert spin_squeezing(_ground_state(20, 1.0, 0.05)) < 1.0


# ---------------------------------------------------------------------------------- energy basis


def test_energy_basis_diagonalises_and_orders():
    b = energy_basis(20, 1.0, 0.05)
    ham = lmg_hamiltonian(20, 1.0, 0.05)
    np.testing.assert_allclose(b.vectors.T @ ham @ b.vectors, np.diag(b.energies), atol=1e-12)
    np.testing.assert_allclose(b.vectors.T @ b.vectors, np.eye(21), atol=1e-12)
    np.testing.assert_allclose(b.energies, np.linalg.eigvalsh(ham), atol=1e-12)
    flip = np.eye(21)[::-1]
    np.testing.assert_allclose(flip @ b.vectors, b.vectors * b.parity, atol=1e-12)
    assert np.all(np.diff(b.energies) >= -1e-10)


@pytest.mark.parametrize(
    "n,j,h",
    [
        (6, 1.0, 0.15),
        (6, -1.0, 0.15),
        (5, 1.0, 0.15),
        (5, -1.0, 0.15),
        (5, 1.0, -0.15),
        (7, -1.0, -0.2),
    ],
)
def test_doublet_ordering_rule_matches_resolved_splitting(n, j, h):
    # Where the tunnelling splitting is resolvable (small N, large h), the numerically ordered
    # outermost doublet (top for J > 0, bottom for J < 0) has the order that energy_basis
    # assigns to unresolved doublets: even N: odd lower iff J > 0; odd N: even lower iff h > 0.
    resolved = energy_basis(n, j, h, degeneracy_tol=0.0)
    k = n - 1 if j > 0 else 0
    assert resolved.energies[k + 1] - resolved.energies[k] > 1e-12
    assert resolved.parity[k] != resolved.parity[k + 1]
    expected = (-1 if j > 0 else 1) if n % 2 == 0 else (1 if h > 0 else -1)
    assert resolved.parity[k] == expected
    # and with a huge tolerance (every doublet "unresolved") the rule gives the same order
    forced = energy_basis(n, j, h, degeneracy_tol=1e-3)
    np.testing.assert_array_equal(forced.parity[k : k + 2], resolved.parity[k : k + 2])


def test_energy_basis_independent_of_lapack_signs(monkeypatch):
    # Random eigenvector signs (as another LAPACK build may return) give the same gauge and the
    # same non-thermal steady state in the Dicke basis.
    ref_b = energy_basis(12, 1.0, 0.05)
    ref = nonthermal_steady_state(12, 1.0, 0.05, 0.35, 0.1).rho
    rng = np.random.default_rng(5)
    real_eigh = np.linalg.eigh

    def flipped(a):
        w, u = real_eigh(a)
        return w, u * rng.choice([-1.0, 1.0], size=u.shape[1])

    monkeypatch.setattr(np.linalg, "eigh", flipped)
    for _ in range(3):
        np.testing.assert_allclose(energy_basis(12, 1.0, 0.05).vectors, ref_b.vectors, atol=1e-12)
        rho = nonthermal_steady_state(12, 1.0, 0.05, 0.35, 0.1).rho
        np.testing.assert_allclose(rho, ref, atol=1e-10)


# ---------------------------------------------------------------------------------- thermal bath


def test_davies_generator_equals_qutip_bloch_redfield_tensor():
    n, j, h, beta, alpha, wc = 4, 1.0, 0.3, 2.0, 1e-2, 10.0
    b = energy_basis(n, j, h)
    liou = thermal_liouvillian(b, beta, alpha=alpha, omega_c=wc).toarray()

    def spectrum(w):
        return float(ohmic_rate(w, beta, alpha, wc))

    ops = spin_operators(n)
    tensor = qutip.bloch_redfield_tensor(
        qutip.Qobj(lmg_hamiltonian(n, j, h)),
        [(qutip.Qobj(ops.sy), spectrum)],
        sec_cutoff=1e-6,
        fock_basis=True,
    ).full()
    rng = np.random.default_rng(0)
    for _ in range(3):
        x = rng.normal(size=(n + 1, n + 1)) + 1j * rng.normal(size=(n + 1, n + 1))
        ours = b.to_dicke(_apply(liou, b.from_dicke(x)))
        np.testing.assert_allclose(ours, _apply(tensor, x), atol=1e-12)


def test_ohmic_rate_detailed_balance():
    w = np.array([0.01, 0.3, 2.0])
    for beta in (0.5, 10.0):
        np.testing.assert_allclose(
            ohmic_rate(-w, beta, 1e-2, 5.0), np.exp(-beta * w) * ohmic_rate(w, beta, 1e-2, 5.0)
        )
        assert ohmic_rate(0.0, beta, 1e-2, 5.0) == pytest.approx(
            ohmic_rate(1e-9, beta, 1e-2, 5.0), rel=1e-6
        )


@pytest.mark.parametrize("beta", [0.5, 3.0, 10.0, 30.0])
@pytest.mark.parametrize("h", [0.0, 0.05, 0.4])
def test_thermal_steady_state_is_gibbs(beta, h):
    ss = thermal_steady_state(10, 1.0, h, beta)
    np.testing.assert_allclose(ss.rho, gibbs_state(10, 1.0, h, beta), atol=1e-9)
    assert ss.residual < 1e-10 and ss.trace_error < 1e-10 and ss.min_eigenvalue > -1e-10


def test_thermal_kernel_is_degenerate_at_h0_only():
    # Y^(x)N is a strong symmetry of the Davies generator at h = 0 (two steady states); h > 0
    # breaks it and the steady state is unique.
    for h, n_zero in ((0.0, 2), (0.2, 1)):
        liou = thermal_liouvillian(energy_basis(4, 1.0, h), 2.0, alpha=0.05).toarray()
        ev = np.linalg.eigvals(liou)
        assert np.sum(np.abs(ev) < 1e-10) >= n_zero
        if n_zero == 1:
            assert np.sum(np.abs(ev) < 1e-10) == 1
    assert thermal_steady_state(10, 1.0, 0.0, 5.0).method == "gibbs-h0"


def test_thermal_steady_state_large_n_is_gibbs():
    ss = thermal_steady_state(100, 1.0, 0.05, 10.0)
    np.testing.assert_allclose(ss.rho, gibbs_state(100, 1.0, 0.05, 10.0), atol=1e-9)


def test_thermal_steady_state_equals_long_time_mesolve():
    n = 6
    b = energy_basis(n, 1.0, 0.3)
    liou = thermal_liouvillian(b, 3.0, alpha=0.05)
    rho0 = b.from_dicke(np.outer(dicke_state(n, n), dicke_state(n, n)))
    late = evolve(liou, rho0, [0.0, 4000.0])[-1]
    np.testing.assert_allclose(
        b.to_dicke(late), thermal_steady_state(n, 1.0, 0.3, 3.0).rho, atol=1e-7
    )


# ---------------------------------------------------------------------------------- non-thermal


def test_zeta_zero_drives_to_ground_state():
    # Paper 003 after Fig. 1: J(0) = S^_+ forces the evolution to the (ground) thermal-like state.
    for n in (8, 20):
        ss = nonthermal_steady_state(n, 1.0, 0.05, 0.0, 0.1)
        g = _ground_state(n, 1.0, 0.05)
        assert np.real(g @ ss.rho @ g) == pytest.approx(1.0, abs=1e-10)


def test_nonthermal_energy_basis_equals_dense_dicke_route():
    # Same equation written in the Dicke basis with the rotated jump operator U S_+- U^+ (dense),
    # handed to QuTiP's own liouvillian + steadystate.
    n, j, h, zeta, gamma = 10, 1.0, 0.05, 0.35, 0.1
    b = energy_basis(n, j, h)
    ops = spin_operators(n)
    jump_d = b.vectors @ (np.cos(zeta) * ops.sp + np.sin(zeta) * ops.sm) @ b.vectors.T
    l_qt = qutip.liouvillian(
        qutip.Qobj(lmg_hamiltonian(n, j, h)), [qutip.Qobj(np.sqrt(gamma / n) * jump_d)]
    )
    rho_qt = qutip.steadystate(l_qt).full()
    ss = nonthermal_steady_state(n, j, h, zeta, gamma)
    np.testing.assert_allclose(ss.rho, rho_qt, atol=1e-9)
    assert ss.residual < 1e-10 and ss.min_eigenvalue > -1e-10
    # long-time mesolve from |D_N^N>
    rho0 = b.from_dicke(np.outer(dicke_state(n, n), dicke_state(n, n)))
    late = evolve(nonthermal_liouvillian(b, zeta, gamma), rho0, [0.0, 3000.0])[-1]
    np.testing.assert_allclose(b.to_dicke(late), ss.rho, atol=1e-7)
    # only gamma c^2 matters: c = 1 and gamma/N give the same state
    ss2 = nonthermal_steady_state(n, j, h, zeta, gamma / n, jump_norm=1.0)
    np.testing.assert_allclose(ss2.rho, ss.rho, atol=1e-10)


def test_nonthermal_steady_state_n200_is_checked_by_the_band_route():
    ss = nonthermal_steady_state(200, 1.0, 0.05, 0.35, 0.1)
    assert ss.residual < 1e-10 and abs(ss.trace_error) < 1e-10 and ss.min_eigenvalue > -1e-9
    assert ss.method == "band" and ss.params["band"] < 200  # a band, not the full system


def test_band_route_equals_full_qutip_solve_and_grows_its_band():
    # The band-limited solve from a band of 1 (too narrow: the residual check widens it) equals
    # QuTiP's steadystate of the full superoperator; the operator-form residual agrees with the
    # superoperator residual.
    from bellflow.lmg.sparse import _norm2_bound, band_steady_state, operator_residual

    n, zeta, gamma = 12, 0.35, 0.3
    b = energy_basis(n, 1.0, 0.05)
    jump = lmg.nonthermal_jump(b, zeta, gamma)
    ham = sp.diags(b.energies)
    rho, res, band = band_steady_state(ham, [jump], band=1, tol=1e-13)
    assert band > 1 and res < 1e-13
    liou = nonthermal_liouvillian(b, zeta, gamma)
    ref = steady_state(liou, methods=("direct",))  # QuTiP on the full superoperator
    np.testing.assert_allclose(rho, ref.rho, atol=1e-10)
    # operator-form residual = ||L vec x|| / (2||H|| + 2||J||^2) with L the superoperator
    x = np.random.default_rng(1).normal(size=(n + 1, n + 1))
    scale = 2 * _norm2_bound(ham) + 2 * _norm2_bound(jump) ** 2
    assert operator_residual(ham, [jump], x) * scale == pytest.approx(
        np.linalg.norm(_apply(liou, x)), rel=1e-12
    )


def test_steady_state_dicke_general_jumps_match_the_paper_case_and_qutip():
    n, j, h, zeta, gamma = 10, 1.0, 0.05, 0.35, 0.1
    b = energy_basis(n, j, h)
    ops = spin_operators(n)
    jump = b.vectors @ (np.cos(zeta) * ops.sp + np.sin(zeta) * ops.sm) @ b.vectors.T
    ham = lmg_hamiltonian(n, j, h)
    ss = lmg.steady_state_dicke(ham, [np.sqrt(gamma / n) * jump])
    np.testing.assert_allclose(ss.rho, nonthermal_steady_state(n, j, h, zeta, gamma).rho, atol=1e-9)
    # collective decay S_- plus dephasing S_z, solved in the Dicke basis, vs QuTiP
    jumps = [np.sqrt(0.2 / n) * ops.sm, np.sqrt(0.05) * ops.sz]
    ss = lmg.steady_state_dicke(ham, jumps, basis="dicke")
    ref = qutip.steadystate(qutip.Qobj(ham), [qutip.Qobj(a) for a in jumps]).full()
    np.testing.assert_allclose(ss.rho, ref, atol=1e-9)
    assert ss.residual < 1e-10
    with pytest.raises(ValueError, match="basis"):
        lmg.steady_state_dicke(ham, jumps, basis="fock")
    with pytest.raises(ValueError, match="square"):
        lmg.steady_state_dicke(ham, [np.eye(3)])


def test_thermal_spsolve_route_equals_qutip_direct():
    b = energy_basis(10, 1.0, 0.2)
    liou = thermal_liouvillian(b, 3.0)
    ours = steady_state(liou)
    ref = steady_state(liou, methods=("direct",))
    assert ours.method == "spsolve" and ref.method == "direct"
    np.testing.assert_allclose(ours.rho, ref.rho, atol=1e-10)


def test_steady_state_raises_when_no_state_exists():
    # -identity has no kernel: every method must be rejected, loudly, naming the parameters.
    with pytest.raises(SteadyStateError, match="toy"):
        steady_state(-sp.identity(9, format="csr"), params={"name": "toy"})


def test_steady_state_dicke_refuses_a_non_unique_steady_state():
    # decay |1> -> |0> only: |2>, |3>, |4> are stationary too (a kernel of dimension 4); the
    # singular band system must end in SteadyStateError saying so, in both bases
    ham, jump = np.diag([0.0, 1.0, 2.0, 3.0, 4.0]), np.zeros((5, 5))
    jump[0, 1] = 1.0
    for basis in ("energy", "dicke"):
        with pytest.raises(SteadyStateError, match="not unique"), np.errstate(all="ignore"):
            lmg.steady_state_dicke(ham, [jump], basis=basis)


# ---------------------------------------------------------------------------------- Eq. 14, Fig. 3


def test_eq14_closed_system_closed_form_and_sign_invariance():
    n, omega = 8, 1.0
    times = np.linspace(0, 3.0, 7)
    states = eq14_dynamics(n, omega, 0.0, times)
    e = np.diag(eq14_hamiltonian(n, omega))
    rho0 = eq14_initial_state(n)
    for t, rho in zip(times, states, strict=True):
        exact = np.exp(-1j * (e[:, None] - e[None, :]) * t) * rho0
        np.testing.assert_allclose(rho, exact, atol=1e-7)
        # Eq. (4) at h = 0 (opposite sign of S_z^2) gives the conjugate state: same Bell value.
        b1 = bell_minimum(two_body_reduced_state(rho), n).value
        b2 = bell_minimum(two_body_reduced_state(rho.conj()), n).value
        assert b1 == pytest.approx(b2, abs=1e-9)


def test_eq14_dissipative_matches_qutip_mesolve():
    n, omega, gamma = 8, 1.0, 0.05
    times = np.linspace(0, 20.0, 5)
    ours = eq14_dynamics(n, omega, gamma, times)
    ops = spin_operators(n)
    res = qutip.mesolve(
        qutip.Qobj(eq14_hamiltonian(n, omega)),
        qutip.Qobj(eq14_initial_state(n)),
        times,
        [qutip.Qobj(np.sqrt(gamma / n) * ops.sy)],
        options={"atol": 1e-10, "rtol": 1e-9},
    )
    for rho, ref in zip(ours, res.states, strict=True):
        np.testing.assert_allclose(rho, ref.full(), atol=1e-6)


# ---------------------------------------------------------------------------------- Eqs. 7, 15


def test_eq7_expm_route_matches_qutip_mesolve():
    # Eq. (7) by expm_multiply (the Fig. 4 route) against qutip.mesolve (the route it replaced)
    n = 10
    ham = lmg_hamiltonian(n, 1.0, 0.05)
    rho0 = gibbs_state(n, 1.0, 0.05, 5.0) * 0.5 + _random_dicke_rho(n, 4) * 0.5
    times = np.linspace(0.0, 3.0, 7)
    new = measurement_dynamics(ham, 0.5, rho0, times)
    old = measurement_dynamics(ham, 0.5, rho0, times, method="mesolve")
    np.testing.assert_allclose(new, old, atol=1e-7)


def test_eq7_without_hamiltonian_is_exponential_dephasing():
    # H = 0: rho(t) = e^{-kappa t} rho0 + (1 - e^{-kappa t}) diag(rho0) exactly; Eq. (15) is its
    # first-order expansion (p = kappa t), off by O(p^2).
    n, kappa = 6, 0.5
    rho0 = _random_dicke_rho(n, 2)
    times = np.array([0.0, 0.02, 0.2, 2.0])
    states = measurement_dynamics(np.zeros((n + 1, n + 1)), kappa, rho0, times)
    q = 1 - np.exp(-kappa * times)
    exact = eq15_mixture(rho0, q)
    np.testing.assert_allclose(states, exact, atol=1e-8)
    first_order = eq15_mixture(rho0, np.minimum(kappa * times, 1.0))
    err = np.abs(states - first_order).max(axis=(1, 2))
    off = np.abs(rho0 - np.diag(np.diag(rho0))).max()
    assert err[1] < 0.6 * (kappa * times[1]) ** 2 * off
    assert err[3] > 0.1 * off  # kappa t = 1: the two have parted


def test_eq7_matches_eq15_for_small_kappa_t_from_thermal_state():
    # [H, rho0] = 0 for the Gibbs state, as Eq. (15) assumes; it holds for kappa t << 1 and the
    # error grows like p^2 (kappa term) and p h t (H acting on the dephased part).
    n, j, h = 10, 1.0, 0.05
    rho0 = gibbs_state(n, j, h, 10.0)
    for kappa in (1.0, 0.1):
        ps = np.array([0.0, 0.01, 0.05, 0.8])
        states = measurement_dynamics(lmg_hamiltonian(n, j, h), kappa, rho0, ps / kappa)
        err = np.abs(states - eq15_mixture(rho0, ps)).max(axis=(1, 2))
        assert err[1] < 2e-3 and err[2] < 3e-2
        assert err[3] > 10 * err[1]


def test_eq15_rejects_p_outside_unit_interval():
    with pytest.raises(ValueError, match="p must"):
        eq15_mixture(np.eye(3) / 3, [1.5])


# ---------------------------------------------------------------------------------- Eq. 11


def test_eq11_printed_norm_and_fit_to_ground_state():
    # Printed amplitudes 1/sqrt(2 pi sigma^2) exp(-(k - N/2)^2 / 4 sigma^2) have total weight
    # ~ 1/sqrt(2 pi sigma^2), not 1 (paper typo).
    assert printed_eq11_norm(200, 4.0) == pytest.approx(1 / np.sqrt(2 * np.pi * 4.0), rel=1e-6)
    assert np.linalg.norm(gaussian_dicke_state(20, 2.0)) == pytest.approx(1.0)
    sigma2, fid = fit_gaussian_sigma2(thermal_steady_state(20, 1.0, 0.05, 30.0).rho)
    assert fid > 0.99
    # the fit is a genuine maximum: neighbouring widths give lower fidelity
    rho = gibbs_state(20, 1.0, 0.05, 30.0)
    for s2 in (0.8 * sigma2, 1.25 * sigma2):
        psi = gaussian_dicke_state(20, s2)
        assert np.real(psi @ rho @ psi) < fid


def test_invalid_physical_parameters():
    b = energy_basis(4, 1.0, 0.1)
    with pytest.raises(ValueError, match="beta"):
        thermal_liouvillian(b, 0.0)
    with pytest.raises(ValueError, match="gamma"):
        nonthermal_liouvillian(b, 0.1, -1.0)
    with pytest.raises(ValueError, match="kappa"):
        measurement_dynamics(np.eye(5), -1.0, np.eye(5) / 5, [0, 1])
    with pytest.raises(ValueError, match="n must be"):
        lmg_hamiltonian(1, 1.0, 0.1)


# ------------------------------------------------------------------------- workflow helpers


def test_evolve_expm_multiply_equals_mesolve():
    b = energy_basis(8, 1.0, 0.05)
    liou = nonthermal_liouvillian(b, 0.35, 0.1)
    rho0 = b.from_dicke(np.outer(dicke_state(8, 8), dicke_state(8, 8))).astype(complex)
    times = [0.0, 0.5, 3.0, 40.0, 400.0]
    np.testing.assert_allclose(
        evolve(liou, rho0, times, method="expm"), evolve(liou, rho0, times), atol=1e-7
    )
    with pytest.raises(ValueError, match="method"):
        evolve(liou, rho0, times, method="rk4")


def test_onset_times_and_intervals():
    t = np.arange(8.0)
    bell = np.array([1, -1, 1, 1, 1, -1, -1, -1])  # transient at t=1, onset at t=5
    conc = np.array([0, 1e-9, 0.1, 0, 0.2, 0.3, 0.3, 0.3])  # rounding floor ignored; onset 4
    xi2 = np.array([np.inf, 2, 2, 2, 2, 0.9, 0.5, 0.5])
    on = lmg.onset_times(t, bell, conc, xi2)
    assert (on["t_nonlocal"], on["t_concurrence"], on["t_squeezing"]) == (5.0, 4.0, 5.0)
    assert on["nonlocal_after_entangled"] == 1.0 and on["entanglement_time_gap"] == 1.0
    assert np.isnan(lmg.onset_times(t, -bell, conc, xi2)["t_nonlocal"])
    assert lmg.count_intervals(bell < 0) == 2
    assert lmg.count_intervals(np.zeros(4, bool)) == 0


def test_steady_state_scan_matches_pointwise():
    axes = {"h": np.array([0.0, 0.3]), "beta": np.array([1.0, 20.0])}
    res = lmg.steady_state_scan("thermal", 6, axes, {"j": 1.0})
    assert res["bell"].dims == ("h", "beta") and res["bell"].shape == (2, 2)
    assert all(res[k].attrs["description"] and res[k].attrs["units"] for k in res.data_vars)
    bell = res["bell"].sel(h=0.3, beta=20.0).item()
    obs = lmg.steady_observables("thermal", 6, 1.0, 0.3, beta=20.0)
    assert bell == pytest.approx(obs["bell"], abs=1e-12)
    ref = bell_minimum(two_body_reduced_state(gibbs_state(6, 1.0, 0.3, 20.0)), 6).value
    assert bell == pytest.approx(ref, abs=1e-9)
    with pytest.raises(ValueError, match="kind"):
        lmg.steady_observables("hot", 6, 1.0, 0.3, beta=1.0)


def test_paper_checks_claims_at_the_stated_point():
    c = lmg.paper_checks()
    assert c["ground_violates"] == c["thermal_violates"] == c["nonthermal_violates"] == 1.0
    assert c["h0_no_violation"] == 1.0 and c["h0_separable"] == 0.0  # entangled, not separable
    assert c["thermal_gibbs_deviation"] < 1e-9
    assert c["zeta0_ground_fidelity"] == pytest.approx(1.0, abs=1e-9)
    # corrected Eq. (15) is first-order accurate (error O(t^2), t = 1e-3); printed is not
    assert c["eq15_corrected_error"] < 1e-6 < c["eq15_printed_error"]
    # printed-formula checks are all "wrong as printed"
    for key in (
        "sx_printed_correct",
        "sz_printed_correct",
        "eq12_printed_correct",
        "eq11_printed_normalised",
        "fig3_printed_normalised",
        "eq14_is_eq4_at_h0",
    ):
        assert c[key] == 0.0, key


# ------------------------------------------------------------------ claims on unstated parameters


def test_symmetric_optimum_matches_full_space_route():
    # min over angles and symmetric states of Eq. (1): lowest eigenvalue of V^T B_full V (N = 4).
    n = 4
    opt, psi = lmg.symmetric_bell_optimum(n)
    v = dicke_embedding(n)
    a = np.linspace(0, 2 * np.pi, 25, endpoint=False)
    coarse = min(np.linalg.eigvalsh(v.T @ bell_operator_full(n, p, t) @ v)[0] for p in a for t in a)
    assert opt <= coarse + 1e-9
    assert bell_minimum(two_body_reduced_state(psi), n).value == pytest.approx(opt, abs=1e-9)
    g = lmg.ground_state_maximality(n, 1.0, 0.05, [0.01, 0.05, 0.2])
    assert g["ground_ratio_best"] <= 1.0 + 1e-9


def test_evolve_eig_route_equals_expm():
    b = energy_basis(6, 1.0, 0.05)
    liou = thermal_liouvillian(b, 3.0, alpha=0.05)
    rho0 = b.from_dicke(np.outer(dicke_state(6, 6), dicke_state(6, 6))).astype(complex)
    times = [0.0, 1.0, 30.0, 900.0]
    np.testing.assert_allclose(
        evolve(liou, rho0, times, method="eig"), evolve(liou, rho0, times, method="expm"), atol=1e-8
    )


def test_nonthermal_states_are_not_gibbs_and_zeta_edge_brackets_the_sign_change():
    from bellflow.lmg.depends import nonthermal_gibbs_distance, zeta_edge

    out = nonthermal_gibbs_distance(8, 1.0, 0.05, [0.3, np.pi / 2], 0.1)
    assert np.all(out["gibbs_distance"] > 1e-3) and np.all(out["energy_matched_distance"] > 1e-3)
    edge = zeta_edge(8, 1.0, 0.05, 0.1, xtol=1e-4)
    for z, sign in ((edge - 1e-3, -1), (edge + 1e-3, 1)):
        rho = nonthermal_steady_state(8, 1.0, 0.05, z, 0.1).rho
        assert np.sign(bell_minimum(two_body_reduced_state(rho), 8).value) == sign


# ------------------------------------------------------------------ study 2: two-body CHSH trace


def test_two_body_chsh_of_steady_state_from_explicit_partial_trace():
    # rho_2 of an LMG steady state by Eq. (2) equals the explicit partial trace of the embedded
    # 2^N state (states.partial_trace); the Horodecki value equals a direct CHSH maximisation.
    from bellflow.dicke import two_body_reduced_state_full

    n = 6
    rho = nonthermal_steady_state(n, 1.0, 0.05, 0.35, 0.1).rho
    v = dicke_embedding(n)
    rho2_full = two_body_reduced_state_full(v @ rho @ v.T, n, keep=(1, 4))
    np.testing.assert_allclose(two_body_reduced_state(rho), rho2_full, atol=1e-12)
    chsh = lmg.two_body_chsh(rho)
    assert chsh == pytest.approx(lmg.chsh_numerical(rho2_full), abs=1e-6)
    assert chsh < 2  # monogamy: a symmetric state of N >= 3 qubits
    # N = 2: the two-qubit state itself, |D_1^2> = psi+ reaches 2 sqrt 2
    assert lmg.two_body_chsh(dicke_state(2, 1)) == pytest.approx(2 * np.sqrt(2), abs=1e-12)


@settings(max_examples=15, deadline=None)
@given(n=st.integers(3, 12), seed=st.integers(0, 10_000))
def test_symmetric_states_of_three_or_more_qubits_never_violate_chsh_in_rho2(n, seed):
    # CHSH monogamy (Toner-Verstraete): rho_2 of a permutationally invariant state of N >= 3
    # qubits satisfies CHSH; random symmetric states and LMG ground states.
    assert lmg.two_body_chsh(_random_dicke_rho(n, seed, rank=1)) <= 2 + 1e-9
    assert lmg.two_body_chsh(_ground_state(n, 1.0, 0.01 + seed / 1e4)) <= 2 + 1e-9


def test_twobody_summary_on_a_small_map():
    axes = {"h": np.array([0.02, 0.2]), "beta": np.array([2.0, 30.0])}
    fixed = {"j": 1.0, "alpha": 1e-3, "omega_c": 10.0}
    ds = lmg.steady_state_scan("thermal", 6, axes, fixed)
    params = {"kind": "thermal", "n": 6, "axis1": "h", "axis2": "beta", **fixed}
    s = lmg.twobody_summary(ds, params)
    assert float(s["chsh_check"]) < 1e-6
    assert float(s["max_chsh_two_body"]) <= 2
    assert float(s["fraction_manybody_only"]) == float(s["fraction_manybody_violation"])


# ------------------------------------------------------------------ study 2: two-body trace


def _random_two_qubit(rng, rank=2):
    g = rng.normal(size=(4, rank)) + 1j * rng.normal(size=(4, rank))
    rho = g @ g.conj().T
    return rho / np.trace(rho)


def _cg_state(theta=0.43, p=0.87):
    # Collins-Gisin family p |psi_theta><psi_theta| + (1 - p) |01><01|
    psi = np.array([np.cos(theta), 0.0, 0.0, np.sin(theta)])
    return p * np.outer(psi, psi) + (1 - p) * np.diag([0.0, 1.0, 0.0, 0.0])


def test_seesaw_chsh_is_horodecki_and_i3322_known_values():
    from bellflow.boxes import bell_value as box_value
    from bellflow.boxes import box_from_quantum, chsh_coefficients
    from bellflow.states import PAULI, bell_state, horodecki_chsh

    rng = np.random.default_rng(5)
    rhos = np.array([_random_two_qubit(rng, 1 + k % 3) for k in range(40)])
    res = lmg.seesaw_qubits(lmg.pauli_tensor(rhos), chsh_coefficients(), sharp=True)
    np.testing.assert_allclose(res.value, horodecki_chsh(rhos), atol=1e-9)
    # I3322: 1/4 for the Bell pair (qubit maximum); the value is that of the returned
    # measurements, recomputed through boxes.box_from_quantum
    c = lmg.i3322_coefficients()
    res = lmg.seesaw_qubits(lmg.pauli_tensor(bell_state()), c)
    assert float(res.value) == pytest.approx(0.25, abs=1e-9)
    sig = np.concatenate([np.eye(2)[None], PAULI])

    def povm(e):
        eff = 0.5 * np.einsum("xi,iab->xab", e, sig)
        return np.stack([eff, np.eye(2)[None] - eff], axis=1)

    box = box_from_quantum(bell_state(), povm(res.alice), povm(res.bob))
    assert float(box_value(c, box)) == pytest.approx(float(res.value), abs=1e-12)
    # a product state never exceeds the local bound 0, which deterministic measurements reach
    prod = np.kron(np.diag([0.7, 0.3]), np.array([[0.5, 0.5], [0.5, 0.5]]))
    assert float(lmg.seesaw_qubits(lmg.pauli_tensor(prod), c).value) == pytest.approx(0, abs=1e-12)


def test_seesaw_finds_i3322_violation_that_chsh_misses():
    # Collins and Gisin (2004): states violating I3322 but not CHSH exist
    from bellflow.states import horodecki_chsh

    rho = _cg_state()
    assert float(horodecki_chsh(rho)) < 2.0
    assert float(lmg.seesaw_qubits(lmg.pauli_tensor(rho), lmg.i3322_coefficients()).value) > 0.01


def test_seesaw_below_npa_bound():
    from bellflow.npa import quantum_bound

    rng = np.random.default_rng(2)
    rhos = np.array([_random_two_qubit(rng, 1) for _ in range(20)])
    best = lmg.seesaw_qubits(lmg.pauli_tensor(rhos), lmg.i3322_coefficients()).value.max()
    assert best <= quantum_bound(lmg.i3322_coefficients(), "1+AB").certified + 1e-9


def test_symmetric_rho2_never_violates_i3322():
    # Terhal-Doherty-Schenker: rho_2 of a symmetric N-qubit state has an (N-1)-copy symmetric
    # extension, so no violation with <= N - 1 settings (N = 4: I3322's 3 settings)
    tensors = [
        lmg.pauli_tensor(two_body_reduced_state(_random_dicke_rho(4, s, rank=1))) for s in range(30)
    ]
    vals = lmg.seesaw_qubits(np.array(tensors), lmg.i3322_coefficients(), starts=24).value
    assert vals.max() < 1e-9
    # ... while a two-qubit state with no extension (N = 2: the singlet-like |D_1^2>) does
    t2 = lmg.pauli_tensor(two_body_reduced_state(dicke_state(2, 1)))
    assert float(lmg.seesaw_qubits(t2, lmg.i3322_coefficients()).value) == pytest.approx(0.25)


def test_pauli_tensor_round_trip_and_validation():
    rho = _random_two_qubit(np.random.default_rng(1), 3)
    np.testing.assert_allclose(lmg.state_from_pauli(lmg.pauli_tensor(rho)), rho, atol=1e-14)
    with pytest.raises(ValueError, match="rho2"):
        lmg.pauli_tensor(np.eye(3))
    with pytest.raises(ValueError, match="coeffs"):
        lmg.seesaw_qubits(lmg.pauli_tensor(rho), np.zeros((3, 2, 2, 2)))
    with pytest.raises(ValueError, match="starts"):
        lmg.seesaw_qubits(lmg.pauli_tensor(rho), lmg.i3322_coefficients(), starts=0)


def test_horodecki_box_lp_visibility():
    from bellflow.boxes import local_visibility
    from bellflow.states import bell_state, horodecki_chsh

    rng = np.random.default_rng(3)
    states = [bell_state(), _cg_state()] + [_random_two_qubit(rng, 1 + k % 3) for k in range(12)]
    for rho in states:
        box = lmg.horodecki_box(rho)
        e = box[0, 0] + box[1, 1] - box[0, 1] - box[1, 0]
        assert e[0, 0] + e[0, 1] + e[1, 0] - e[1, 1] == pytest.approx(
            float(horodecki_chsh(rho)), abs=1e-12
        )
        lp = local_visibility(box)
        assert lp.value == pytest.approx(lmg.lp_visibility_closed_form(box), abs=1e-8)
        assert lp.certified >= lp.value - 1e-9
    assert local_visibility(lmg.horodecki_box(bell_state())).value == pytest.approx(2**-0.5)


def test_explicit_route_and_twobody_summary():
    rho = nonthermal_steady_state(6, 1.0, 0.05, 0.35, 0.1).rho
    dev = lmg.explicit_route_deviation(rho)
    assert max(dev.values()) < 1e-12
    axes = {"h": [0.05, 0.3], "zeta": [0.0, 0.35]}
    ds = lmg.steady_state_scan("nonthermal", 6, axes, {"j": 1.0, "gamma": 0.1})
    params = {"kind": "nonthermal", "n": 6, "axis1": "h", "axis2": "zeta", "j": 1.0, "gamma": 0.1}
    s = lmg.twobody_summary(ds, params, starts=6, explicit_n=4)
    assert s["i3322"].dims == ("h", "zeta")
    assert float(s["max_i3322"]) < 1e-9 and float(s["fraction_i3322_violation"]) == 0
    assert float(s["lp_closed_form_deviation"]) < 1e-8
    assert float(s["chsh_seesaw_deviation"]) < 1e-8
    assert float(s["lp_chsh_agreement"]) == 1.0
    assert float(s["explicit_rho2_deviation"]) < 1e-12
    assert set(s["lp_solver_status"].values.ravel()) == {"optimal"}
