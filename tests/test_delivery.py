"""Tests of bellflow.delivery (paper 004): closed forms vs bellflow.states on the explicit state.

Paper 004, "Entanglement distribution by an inept delivery service" (see the docstring of
bellflow.delivery). Paper values appear here only as expected values, with their source.
"""

from __future__ import annotations

import numpy as np
import pytest
import qutip
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import minimize_scalar

from bellflow import delivery as dl
from bellflow import states

BELL_A = 1 / np.sqrt(2)
A = np.linspace(0, 1, 41)
S = np.linspace(0, 1, 37)
AA, SS = np.meshgrid(A, S, indexing="ij")

unit = st.floats(0, 1, allow_nan=False)


def psi_ket(a):
    a = np.asarray(a, dtype=float)
    z = np.zeros_like(a)
    return np.stack([a, z, z, np.sqrt(1 - a**2)], axis=-1)


# ----------------------------------------------------------------------------- the state
def test_delivered_state_against_qutip():
    """Eq. (2.1) built independently with qutip's ptrace and tensor."""
    for a, s in [(0.3, 0.2), (BELL_A, 0.5), (0.9, 0.8), (0.0, 0.4), (1.0, 1.0)]:
        k = qutip.Qobj(psi_ket(a), dims=[[2, 2], [1, 1]])
        rho = k * k.dag()
        m = s * rho + (1 - s) * qutip.tensor(rho.ptrace(0), rho.ptrace(1))
        np.testing.assert_allclose(dl.delivered_state(a, s), m.full(), atol=1e-14)


def test_delivered_state_shapes_and_mix_up():
    assert dl.delivered_state(0.3, 0.2).shape == (4, 4)
    assert dl.delivered_state(AA, SS).shape == AA.shape + (4, 4)
    assert dl.delivered_state(A[:, None], S[None, :]).shape == (41, 37, 4, 4)
    # M on a product state is the identity map; at S = 0 the output is the product of marginals
    rng = np.random.default_rng(0)
    ra, rb = np.diag(rng.dirichlet([1, 1])), np.diag(rng.dirichlet([1, 1]))
    np.testing.assert_allclose(dl.mix_up(np.kron(ra, rb), 0.3), np.kron(ra, rb), atol=1e-15)
    np.testing.assert_allclose(dl.mix_up(states.bell_state(), 0.0), np.eye(4) / 4, atol=1e-15)


@settings(max_examples=60, deadline=None)
@given(a=unit, s=unit)
def test_property_valid_states(a, s):
    rho = dl.delivered_state(a, s)
    assert states.is_density_matrix(rho, atol=1e-12)
    c = dl.concurrence(a, s)
    assert 0 <= c <= 1
    assert 0 <= dl.fidelity(a, s) <= 1
    # E_F is a monotone function of C: compare with a second point
    a2 = (a + 0.37) % 1
    c2 = dl.concurrence(a2, s)
    e, e2 = dl.entanglement_of_formation(a, s), dl.entanglement_of_formation(a2, s)
    if c < c2:
        assert e <= e2
    elif c > c2:
        assert e >= e2
    # symmetry a <-> sqrt(1 - a^2) (PHYSICS_NOTES); near a = 0 or 1 the partner itself is not
    # representable accurately enough in floating point, so test away from the ends
    if 1e-3 < a < 1 - 1e-3:
        assert dl.concurrence(np.sqrt(1 - a**2), s) == pytest.approx(c, abs=1e-12)


# ----------------------------------------------------------------------------- Sec. III
def test_fidelity_closed_form_vs_states():
    """Eq. (3.2) vs <psi|rho|psi> and vs Uhlmann on the explicit matrices."""
    rho = dl.delivered_state(AA, SS)
    ket = psi_ket(AA)
    np.testing.assert_allclose(dl.fidelity(AA, SS), states.fidelity_pure(ket, rho), atol=1e-13)
    sub = (slice(None, None, 5), slice(None, None, 4))
    f_uhl = states.fidelity(states.ket_to_dm(ket[sub]), rho[sub])
    np.testing.assert_allclose(dl.fidelity(AA[sub], SS[sub]), f_uhl, atol=1e-7)


def test_fidelity_minimum_at_bell():
    # Sec. III: "The minimum of Eq. (3.2) is at a = 1/sqrt 2" (for every S < 1)
    f = dl.fidelity(AA, SS)
    amin = A[np.argmin(f[:, :-1], axis=0)]
    np.testing.assert_allclose(amin, A[np.argmin(np.abs(A - BELL_A))])


def test_concurrence_and_eof_vs_states():
    """Eq. (3.3) and Wootters' E_F vs bellflow.states on the explicit 4x4 matrices."""
    rho = dl.delivered_state(AA, SS)
    np.testing.assert_allclose(dl.concurrence(AA, SS), states.concurrence(rho), atol=1e-7)
    np.testing.assert_allclose(
        dl.entanglement_of_formation(AA, SS), states.entanglement_of_formation(rho), atol=1e-6
    )


def test_entanglement_boundary():
    a = np.linspace(0.01, 0.99, 50)
    sb = dl.entanglement_boundary(a)
    # on the boundary the (unclipped) Eq. (3.3) vanishes; just above/below the state is/is not
    # entangled, by the Wootters concurrence of the explicit state
    b = np.sqrt(1 - a**2)
    np.testing.assert_allclose(2 * sb * a * b - 2 * (1 - sb) * (a * b) ** 2, 0, atol=1e-15)
    above = states.concurrence(dl.delivered_state(a, np.minimum(sb + 1e-3, 1)))
    below = states.concurrence(dl.delivered_state(a, sb - 1e-3))
    assert np.all(above > 1e-6) and np.all(below < 1e-7)
    # the corrected Eq. (3.4) written the paper's way (denominator with a^3)
    np.testing.assert_allclose(sb, a * (1 - a**2) / (b + a - a**3), rtol=1e-14)
    np.testing.assert_array_equal(dl.is_entangled(AA, SS), dl.concurrence(AA, SS) > 0)


def test_bell_pairs_entangled_iff_S_above_one_third():
    # Sec. III: "C = 0 for Bell pairs when S < 1/3"
    assert dl.entanglement_boundary(BELL_A) == pytest.approx(1 / 3, abs=1e-14)
    assert states.concurrence(dl.delivered_state(BELL_A, 1 / 3 - 1e-4)) == 0
    assert states.concurrence(dl.delivered_state(BELL_A, 1 / 3 + 1e-4)) > 0
    # Eq. (3.4) as printed gives a different threshold for Bell pairs: a typo
    assert abs(dl.entanglement_boundary_eq34_printed(BELL_A) - 1 / 3) > 0.05


def test_small_S_entangled_if_a_below_S():
    # Sec. III: "For S << 1, Eq. (3.4) is satisfied if a < S"
    for s in (1e-4, 1e-3, 1e-2):
        a = np.array([0.5, 0.9, 0.99]) * s
        assert np.all(dl.is_entangled(a, s))
        assert not np.any(dl.is_entangled(np.array([1.05, 1.1, 2.0]) * s, s))


# ----------------------------------------------------------------------------- Sec. IV
def test_optimal_entanglement_closed_vs_numeric_vs_scipy():
    s = np.array([1e-4, 1e-3, 0.01, 0.1, 0.3, 0.45, 0.6, 0.9])
    closed = dl.optimal_entanglement(s)
    golden = dl.optimal_entanglement(s, method="numeric")
    np.testing.assert_allclose(golden.eof, closed.eof, rtol=1e-10, atol=1e-300)
    np.testing.assert_allclose(golden.concurrence, closed.concurrence, rtol=1e-10)
    # a* is well conditioned below S = 1/2 (above it the maximum is the flat Bell point)
    low = s < 0.5
    np.testing.assert_allclose(golden.a_star[low], closed.a_star[low], rtol=1e-7)
    assert np.all(closed.a_star <= BELL_A + 1e-15)
    # independent route: scipy maximisation of E_F of the explicit state (Wootters)
    grid = np.linspace(0, BELL_A, 2001)
    for si in (0.05, 0.2, 0.4, 0.7):
        # bracket on a grid (the clipped C is flat zero over most of [0, 1/sqrt 2]), then refine
        i = int(np.argmax(states.concurrence(dl.delivered_state(grid, si))))
        r = minimize_scalar(
            lambda x, si=si: -states.concurrence(dl.delivered_state(x, si)),
            bounds=(grid[max(i - 1, 0)], grid[min(i + 1, grid.size - 1)]),
            method="bounded",
            options={"xatol": 1e-12},
        )
        e = states.eof_from_concurrence(-r.fun)
        opt = dl.optimal_entanglement(si)
        assert opt.eof == pytest.approx(e, rel=1e-6)
        if si < 0.5:
            assert opt.a_star == pytest.approx(r.x, rel=1e-4)


def test_optimal_entanglement_is_max_over_grid():
    a = np.linspace(0, 1, 4001)
    s = np.linspace(0.01, 1, 23)
    best = dl.entanglement_of_formation(a[:, None], s[None, :]).max(axis=0)
    opt = dl.optimal_entanglement(s)
    assert np.all(opt.eof >= best - 1e-14)
    np.testing.assert_allclose(opt.eof, best, rtol=2e-3)


def test_a_star_rule_and_eq42_at_small_S():
    # Sec. IV: C is maximised "for a = S/2" when S << 1, and Eq. (4.2) approximates E_F^max
    s = np.array([1e-4, 1e-3, 1e-2])
    opt = dl.optimal_entanglement(s, method="numeric")
    ratio = opt.a_star / (s / 2)
    assert np.all(np.abs(ratio - 1) < 2 * s)  # a* = S/(2(1-S)) + O(S^3)
    rel = np.abs(dl.eof_max_small_S(s) - opt.eof) / opt.eof
    assert np.all(np.diff(rel) > 0)  # accuracy improves as S -> 0
    assert np.all(rel < 3 * s)
    # ...and it is not accurate outside the S << 1 regime
    big = dl.optimal_entanglement(0.3).eof
    assert abs(dl.eof_max_small_S(0.3) - big) / big > 0.3


def test_optimal_closed_form_branches():
    s = np.array([0.1, 0.3, 0.7])
    c = dl.optimal_entanglement(s).concurrence
    # derived in the docstring: S^2/(2(1-S)) for S <= 1/2, (3S-1)/2 above (Bell optimal)
    np.testing.assert_allclose(c, [0.01 / 1.8, 0.09 / 1.4, 1.1 / 2], rtol=1e-12)


# ----------------------------------------------------------------------------- Sec. V
def test_max_chsh_vs_horodecki_on_explicit_state():
    rho = dl.delivered_state(AA, SS)
    np.testing.assert_allclose(dl.max_chsh(AA, SS), states.horodecki_chsh(rho), atol=1e-12)
    np.testing.assert_array_equal(dl.violates_chsh(AA, SS), dl.max_chsh(AA, SS) > 2)


def test_chsh_boundary_closed_vs_numeric_and_corrected_eq51():
    a = np.linspace(0.02, 0.98, 49)
    closed = dl.chsh_boundary(a)
    np.testing.assert_allclose(closed, dl.chsh_boundary(a, method="numeric"), atol=1e-12)
    np.testing.assert_allclose(dl.max_chsh(a, closed), 2, atol=1e-12)
    # corrected Eq. (5.1) written in the paper's variables
    w = 4 * a**4 - 4 * a**2
    np.testing.assert_allclose(closed, (w + 1 - np.sqrt(w + 3)) / (w - 1), rtol=1e-12)
    # Horodecki on the explicit state just above/below
    assert np.all(states.horodecki_chsh(dl.delivered_state(a, closed + 1e-4)) > 2)
    assert np.all(states.horodecki_chsh(dl.delivered_state(a, closed - 1e-4)) < 2)
    assert np.isinf(dl.chsh_boundary(0.0)) and np.isinf(dl.chsh_boundary(1.0, method="numeric"))


def test_chsh_bell_threshold_and_eq51_typo():
    # Sec. V: "For Bell states this requires that S > 1/sqrt 2, and for a != 1/sqrt 2 the
    # requirement is more strict"
    assert dl.chsh_boundary(BELL_A) == pytest.approx(1 / np.sqrt(2), abs=1e-14)
    a = np.linspace(0.01, 0.99, 99)
    a = a[np.abs(a - BELL_A) > 1e-3]
    assert np.all(dl.chsh_boundary(a) > 1 / np.sqrt(2))
    # Eq. (5.1) as printed does not give 1/sqrt 2 for Bell pairs
    assert abs(dl.chsh_boundary_eq51_printed(BELL_A) - 1 / np.sqrt(2)) > 0.5


def test_lhv_bell_point_is_barrett_weight():
    # Sec. V / Eq. (5.2): at a = 1/sqrt 2, M[psi] is the Werner state with weight S, so the
    # construction works exactly for 1/3 < S <= 5/12 (Barrett's weight)
    s = np.linspace(0, 1, 1201)
    mask = dl.lhv_region(BELL_A, s)
    inside = s[mask]
    assert inside.min() == pytest.approx(1 / 3, abs=1e-3)
    assert inside.max() == pytest.approx(5 / 12, abs=1e-3)
    np.testing.assert_allclose(dl.barrett_state(), states.werner_state(5 / 12))


def test_lhv_decomposition_reconstructs_state():
    c, d = dl.lhv_decomposition(AA, SS)
    rebuilt = c[..., None, None] * dl.barrett_state() + np.einsum("...i,ij->...ij", d, np.eye(4))
    np.testing.assert_allclose(rebuilt, dl.delivered_state(AA, SS), atol=1e-15)


@pytest.mark.parametrize(
    ("a", "s"),
    [
        (BELL_A, 0.40),  # inside (Werner, 1/3 < S < 5/12)
        (0.69, 0.36),  # inside, left of the Bell line
        (0.73, 0.36),  # inside, right of it
        (BELL_A, 0.45),  # above Barrett's weight
        (0.60, 0.33),  # left of the region
        (0.80, 0.33),  # right of the region
        (0.30, 0.10),  # far away
    ],
)
def test_lhv_region_vs_lp(a, s):
    """Independent route: the decomposition as an LP on the explicit matrices."""
    r = dl.lhv_decomposition_lp(a, s)
    c = float(r.extra["c"])
    lp_ok = r.value <= 1e-10 and 0 < c < 1 and bool(dl.is_entangled(a, s))
    assert bool(dl.lhv_region(a, s)) == lp_ok
    assert c == pytest.approx(float(dl.lhv_decomposition(a, s)[0]), abs=1e-9)


def test_lhv_boundaries_match_mask():
    a = np.linspace(0.6, 0.8, 201)
    s = np.linspace(0.3, 0.45, 301)
    mask = dl.lhv_region(a[:, None], s[None, :])
    lb = dl.lhv_boundaries(a)
    by_bounds = (s[None, :] > lb["lower"][:, None]) & (s[None, :] < lb["upper"][:, None])
    # points within 1e-12 of a boundary may go either way
    near = (np.abs(s[None, :] - lb["lower"][:, None]) < 1e-12) | (
        np.abs(s[None, :] - lb["upper"][:, None]) < 1e-12
    )
    assert np.array_equal(mask[~near], by_bounds[~near])
    assert mask.sum() > 100
    # on the left boundary d_00 = 0, on the right one d_11 = 0
    _, d = dl.lhv_decomposition(a, lb["left"].clip(0, 1))
    np.testing.assert_allclose(d[lb["left"] <= 1, 0], 0, atol=1e-15)
    _, d = dl.lhv_decomposition(a, lb["right"].clip(0, 1))
    np.testing.assert_allclose(d[lb["right"] <= 1, 3], 0, atol=1e-15)
    # LHV points are entangled and do not violate CHSH (a local model cannot)
    m2 = dl.lhv_region(AA, SS)
    assert not np.any(m2 & ~dl.is_entangled(AA, SS))
    assert not np.any(m2 & dl.violates_chsh(AA, SS))


# ----------------------------------------------------------------------------- one-call APIs
def test_scan_matches_pointwise():
    a, s = np.linspace(0, 1, 13), np.linspace(0, 1, 7)
    r = dl.scan(a, s)
    A2, S2 = np.meshgrid(a, s, indexing="ij")
    expect = {
        "eof": dl.entanglement_of_formation(A2, S2),
        "concurrence": dl.concurrence(A2, S2),
        "fidelity": dl.fidelity(A2, S2),
        "chsh_max": dl.max_chsh(A2, S2),
        "entangled": dl.is_entangled(A2, S2),
        "chsh_violated": dl.violates_chsh(A2, S2),
        "lhv": dl.lhv_region(A2, S2),
    }
    for k, v in expect.items():
        assert r[k].shape == (13, 7), k
        if r[k].dtype == bool:
            np.testing.assert_array_equal(r[k], v, err_msg=k)
        else:
            np.testing.assert_allclose(r[k], v, rtol=1e-13, atol=1e-15, err_msg=k)
    rho = dl.delivered_state(A2, S2)
    np.testing.assert_allclose(r["eof"], states.entanglement_of_formation(rho), atol=1e-6)


def test_boundaries_and_fig3_curves():
    b = dl.boundaries(np.linspace(0.05, 0.95, 19))
    np.testing.assert_allclose(b["chsh"], b["chsh_numeric"], atol=1e-12)
    assert np.all(b["chsh"] > b["entanglement"])  # violating states are entangled
    s = np.linspace(0, 1, 101)
    f = dl.fig3_curves(s)
    assert np.all(f["a_max_eof"] >= f["c_fixed_a"] - 1e-15)
    assert np.all(f["a_max_eof"] >= f["d_fixed_a"] - 1e-15)
    np.testing.assert_allclose(f["a_max_eof"], f["a_max_eof_numeric"], rtol=1e-9, atol=1e-300)
    np.testing.assert_allclose(f["c_fixed_a"], dl.entanglement_of_formation(BELL_A, s))
    np.testing.assert_allclose(f["d_fixed_a"], dl.entanglement_of_formation(0.1, s))
    assert np.isnan(f["b_eq42"][0]) and np.all(np.isfinite(f["b_eq42"][1:]))
    # Bell pairs are optimal from S = 1/2 on
    hi = s >= 0.5
    np.testing.assert_allclose(f["a_max_eof"][hi], f["c_fixed_a"][hi], rtol=1e-12)


def test_bad_arguments():
    with pytest.raises(ValueError, match="a must"):
        dl.concurrence(1.2, 0.5)
    with pytest.raises(ValueError, match="S must"):
        dl.delivered_state(0.5, -0.1)
    with pytest.raises(ValueError, match="S must"):
        dl.max_chsh(0.5, np.nan)
    with pytest.raises(ValueError, match="method"):
        dl.optimal_entanglement(0.3, method="brute")
    with pytest.raises(ValueError, match="S must"):
        dl.eof_max_small_S(0.0)
    with pytest.raises(ValueError, match="a_grid"):
        dl.scan(np.ones((2, 2)), [0.5])
    with pytest.raises(ValueError, match="p_barrett"):
        dl.lhv_region(0.7, 0.4, p_barrett=0.0)


def test_barrett_weight_is_a_parameter():
    a, s = np.linspace(0.5, 0.9, 41), np.linspace(0.2, 0.6, 41)
    r = dl.scan(a, s, p_barrett=0.5)
    np.testing.assert_array_equal(r["lhv"], dl.lhv_region(a[:, None], s[None, :], p_barrett=0.5))
    # a larger local-model weight gives a larger region, topped at S = p at the Bell point
    assert r["lhv"].sum() > dl.scan(a, s)["lhv"].sum()
    assert float(dl.checks.section5_lhv(p_barrett=0.5)["lhv_max_S"][0]) == pytest.approx(
        0.5, abs=1e-12
    )


# ----------------------------------------------------------------------------- results as data
def test_scans_are_datasets_with_descriptions_and_units():
    a, s = np.linspace(0, 1, 9), np.linspace(0, 1, 5)
    for ds in (dl.fig2_scan(a, s), dl.fig3_curves(s), dl.boundaries(a)):
        for name, var in ds.data_vars.items():
            assert var.attrs.get("description"), name
            assert "units" in var.attrs, name
    ds = dl.fig2_scan(a, s)
    assert ds["eof"].dims == ("a", "S") and ds["boundary_chsh"].dims == ("a",)
    np.testing.assert_array_equal(ds["a"], a)
    np.testing.assert_array_equal(ds["boundary_chsh"], dl.chsh_boundary(a))
    assert dl.fig3_curves(s)["a_star"].dims == ("S",)


def test_old_import_paths_still_work():
    from bellflow.delivery import channel, checks, lhv, scans

    assert dl.concurrence is channel.concurrence and dl.scan is scans.scan
    assert dl.paper_checks is checks.paper_checks and dl.lhv_region is lhv.lhv_region
    assert set(dl.__all__) <= set(dir(dl))


def test_rho_sep_corrected_and_eq54_as_printed():
    """Eq. (5.4) with the factor c is the diagonal state of the decomposition; as printed
    (without c) its trace is 0, not 1."""
    a, s = np.array([0.69, BELL_A, 0.73]), np.array([0.36, 0.40, 0.36])
    sep = dl.rho_sep(a, s)
    c, d = dl.lhv_decomposition(a, s)
    expect = d[..., :, None] * np.eye(4) / (1 - c[:, None, None])
    np.testing.assert_allclose(sep, expect, atol=1e-14)
    assert np.all(states.is_density_matrix(sep, atol=1e-12))
    printed = dl.rho_sep_eq54_printed(a, s)
    np.testing.assert_allclose(np.trace(printed, axis1=-2, axis2=-1), 0, atol=1e-14)


def test_more_bad_arguments():
    with pytest.raises(ValueError, match="iterations"):
        dl.chsh_boundary(0.5, method="numeric", iterations=0)
    with pytest.raises(ValueError, match="p_barrett"):
        dl.barrett_state(np.nan)
    with pytest.raises(ValueError, match="S_grid"):
        dl.fig3_curves([0.2, 1.5])
    with pytest.raises(ValueError, match="a_c"):
        dl.fig3_curves([0.2], a_c=2.0)


def test_figure_images_cover_the_pcolormesh_cells():
    """The figure maps are images whose cells are pcolormesh's (shading="auto") cells."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from bellflow.delivery.figures import grid_extent, grid_image

    a, s = np.linspace(0, 1, 5), np.linspace(0.5, 1, 3)
    assert grid_extent(a, s) == pytest.approx([-0.125, 1.125, 0.375, 1.125])
    fig, ax = plt.subplots()
    z = np.arange(15.0).reshape(5, 3)
    im = grid_image(ax, a, s, z)
    np.testing.assert_array_equal(im.get_array(), z.T)  # S up, a across
    mesh = ax.pcolormesh(a, s, z.T, shading="auto")
    x0, y0 = mesh.get_coordinates()[0, 0]
    x1, y1 = mesh.get_coordinates()[-1, -1]
    assert [x0, x1, y0, y1] == pytest.approx(grid_extent(a, s))
    plt.close(fig)
    with pytest.raises(ValueError, match="evenly spaced"):
        grid_extent([0.0, 0.1, 0.5], s)
    with pytest.raises(ValueError, match="shape"):
        grid_image(ax, a, s, z.T)
