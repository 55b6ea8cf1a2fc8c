"""Tests of bellflow.causal (paper 001, Liu and Chiribella 2025).

Every bound is checked by a second route: causal bounds by brute-force enumeration vs best
response vs an LP over the causal polytope; ICO bounds by the SDP's primal (a process matrix,
re-checked in the full Hilbert space) vs its dual (a no-signalling certificate, re-checked in
the full space), by the naive full-space SDP, by the paper's explicit process (Eq. 41) and by
the paper's dual certificates (Appendices B and C).
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bellflow.causal import (
    algebraic_maximum,
    appendix_d_extreme_points,
    biased_lgyni_certificate_threshold,
    biased_lgyni_coefficients,
    biased_lgyni_dual_certificate,
    biased_lgyni_no_violation_threshold,
    biased_lgyni_scan,
    biased_ocb_coefficients,
    biased_ocb_dual_certificate,
    biased_ocb_scan,
    canonical_instruments,
    causal_bound,
    causal_bound_enumeration,
    causal_bound_lp,
    causal_polytope_facets,
    classical_supermap_admissible_birkhoff,
    correlation_value,
    facet_ico_table,
    find_triggers,
    gyni_bistochastic_strategy,
    gyni_coefficients,
    ico_bound,
    ico_bound_decomposition,
    ico_bound_single_trigger,
    ico_bound_single_trigger_full,
    is_single_trigger,
    lgyni_coefficients,
    nary_signalling_strategy,
    ocb_coefficients,
    ocb_instruments,
    ocb_plane_support,
    ocb_process_matrix,
    ocb_trigger_coefficients,
    ocb_weighted_coefficients,
    sdp_size,
    shared_randomness_supermap,
    single_trigger_operator,
    supermap_probabilities,
    support_envelope,
    two_setting_deterministic_coverage,
    two_setting_instruments,
    validate_coefficients,
)
from bellflow.causal import disc_fit as causal_disc_fit
from bellflow.process import (
    bipartite_process_residuals,
    born_probabilities,
    is_admissible_bistochastic_supermap,
    is_nosignalling_choi,
    is_process_matrix,
    nosignalling_span_residual,
    process_matrix_residual,
)

SDP_TOL = 1e-7  # Clarabel at 1e-9 tolerances; measured gaps ~1e-10


def biased_ocb_formula(a):
    # Eq. (7): (1 + alpha + sqrt(1 + alpha^2)) / 2 (derivation in App. B)
    return (1 + a + np.sqrt(1 + a * a)) / 2


# ---- games and validation -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("bad", "match"),
    [
        (np.zeros((2, 2, 2)), "shape"),
        (np.zeros((1, 2, 2, 2)), "outcomes"),
        (np.full((2, 2, 2, 2), np.nan), "finite"),
        (-np.ones((2, 2, 2, 2)), "non-negative"),
        ("abc", "real array"),
    ],
)
def test_invalid_coefficients_rejected(bad, match):
    with pytest.raises(ValueError, match=match):
        validate_coefficients(bad)


def test_invalid_parameters_rejected():
    with pytest.raises(ValueError, match="alpha"):
        biased_lgyni_coefficients(1.5)
    with pytest.raises(ValueError, match="x_star"):
        ocb_trigger_coefficients(1.0, 2, 0)
    with pytest.raises(ValueError, match="single-trigger"):
        ico_bound_single_trigger(gyni_coefficients())
    with pytest.raises(ValueError, match="alpha must lie"):
        biased_lgyni_dual_certificate(0.2)


def test_lgyni_is_biased_lgyni_at_one_third():
    # Main text: I_LGYNI = (P11 + P01 + P10 + 1)/4; App. C: alpha = 1/3 is LGYNI.
    p = np.random.default_rng(0).random((2, 2, 2, 2))
    p /= p.sum(axis=(0, 1), keepdims=True)
    lhs = correlation_value(lgyni_coefficients(), p)
    rhs = (3 * correlation_value(biased_lgyni_coefficients(1 / 3), p) + 1) / 4
    assert np.isclose(lhs, rhs)


def test_biased_ocb_is_average_of_lemma1_pieces():
    # Eq. (30): biased OCB = sum_z (1/2) [piece with x* = b* = z]
    for a in (1.0, 0.4, -0.7):
        avg = sum(ocb_trigger_coefficients(a, z, z) for z in range(2)) / 2
        assert np.allclose(avg, biased_ocb_coefficients(a))
    assert np.allclose(ocb_coefficients(), biased_ocb_coefficients(1.0))


def test_trigger_detection():
    assert find_triggers(lgyni_coefficients()) == [(1, 1)]
    assert find_triggers(gyni_coefficients()) == []
    assert find_triggers(ocb_coefficients()) == []
    for xs, bs in itertools.product(range(2), repeat=2):
        assert is_single_trigger(ocb_trigger_coefficients(0.5, xs, bs), (xs, 2 * bs + 1))


# ---- causal bounds ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("game", "expected"),
    [
        (lgyni_coefficients(), 3 / 4),  # Branciard et al. 2015; main text
        (ocb_coefficients(), 3 / 2),  # main text, OCB causal inequality
        (gyni_coefficients(), 1 / 2),  # main text, GYNI causal bound
    ],
)
def test_causal_bounds_of_named_games(game, expected):
    assert np.isclose(causal_bound(game), expected)
    assert np.isclose(causal_bound_enumeration(game), expected)
    lp = causal_bound_lp(game)
    assert np.isclose(lp.value, expected) and lp.gap < 1e-9


def test_biased_lgyni_causal_bound_eq49():
    for a in np.linspace(0, 1, 11):
        g = biased_lgyni_coefficients(a)
        expected = max(1 - a, (1 + a) / 2)  # Eq. (49)
        assert np.isclose(causal_bound(g), expected)
        assert np.isclose(causal_bound_lp(g).value, expected)


@settings(max_examples=15, deadline=None)
@given(
    shape=st.tuples(st.integers(2, 3), st.integers(2, 2), st.integers(1, 2), st.integers(1, 3)),
    seed=st.integers(0, 2**16),
)
def test_causal_bound_three_routes_agree(shape, seed):
    g = np.random.default_rng(seed).random(shape)
    enum = causal_bound_enumeration(g)
    assert np.isclose(causal_bound(g), enum)
    assert np.isclose(causal_bound_lp(g).value, enum, atol=1e-8)
    assert enum <= algebraic_maximum(g) + 1e-12


def test_algebraic_maxima():
    assert np.isclose(algebraic_maximum(lgyni_coefficients()), 1.0)
    assert np.isclose(algebraic_maximum(ocb_coefficients()), 2.0)  # main text
    assert np.isclose(algebraic_maximum(gyni_coefficients()), 1.0)


# ---- single-trigger operator and canonical instruments --------------------------------------


def test_single_trigger_operator_gives_canonical_correlations():
    """Tr(Omega* S) = sum alpha p with p the Born rule of the canonical instruments (Eq. 19)."""
    g = ocb_trigger_coefficients(0.7, 1, 0)
    om = single_trigger_operator(g, (1, 1))
    rng = np.random.default_rng(3)
    h = rng.normal(size=om.shape)
    s = h @ h.T  # any operator: both sides are linear in S
    p = born_probabilities(s, [canonical_instruments(2, 2, 1), canonical_instruments(2, 4, 1)])
    assert np.isclose(np.trace(om @ s), correlation_value(g, p))


# ---- ICO bounds: single-trigger SDP ---------------------------------------------------------


def check_primal_dual(res, game, dims_out):
    """The optimal process is a process matrix and the certificate is a no-signalling bound."""
    s, c = res.extra["process"], res.extra["certificate"]
    om = single_trigger_operator(game, res.extra["triggers"])
    assert process_matrix_residual(s, [2, 2], dims_out) < 1e-8
    assert np.min(np.linalg.eigvalsh(s)) > -1e-8
    assert np.isclose(correlation_value(game, res.extra["correlations"]), res.value, atol=1e-9)
    assert nosignalling_span_residual(c, [2, 2], dims_out) < 1e-8
    assert np.min(np.linalg.eigvalsh(c - om)) > -1e-8
    assert np.isclose(np.trace(c) / 4, res.dual, atol=1e-8)
    assert res.gap < SDP_TOL and abs(res.primal - res.dual) < SDP_TOL


def test_lgyni_ico_bound():
    g = lgyni_coefficients()
    res = ico_bound_single_trigger(g, return_process=True, return_certificate=True)
    assert res.value == pytest.approx(0.8194, abs=5e-5)  # main text after Eq. (3)
    assert res.status == "optimal"
    check_primal_dual(res, g, [4, 4])


def test_lgyni_full_space_sdp_agrees_with_reduced():
    """Naive full-space primal (64 x 64 process matrices, no symmetry) = reduced SDP."""
    g = biased_lgyni_coefficients(0.6)
    full = ico_bound_single_trigger_full(g)
    red = ico_bound_single_trigger(g)
    assert abs(full.value - red.value) < SDP_TOL
    assert is_process_matrix(full.extra["process"], [2, 2], [4, 4], tol=1e-7)


@pytest.mark.parametrize("a", [1.0, 0.5, -0.6, 2.0])
def test_ocb_single_trigger_pieces_lemma1(a):
    """Lemma 1: every piece (Eq. 31) has ICO bound (1 + a + sqrt(1 + a^2))/2."""
    g = ocb_trigger_coefficients(a, 1, 0)
    res = ico_bound_single_trigger(g, return_process=True, return_certificate=True)
    assert abs(res.value - biased_ocb_formula(a)) < SDP_TOL
    check_primal_dual(res, g, [4, 8])


def test_ico_between_causal_and_algebraic_biased_lgyni():
    for a in np.linspace(0, 1, 6):
        g = biased_lgyni_coefficients(a)
        v = ico_bound_single_trigger(g).value
        assert causal_bound(g) - SDP_TOL <= v <= algebraic_maximum(g) + SDP_TOL


@settings(max_examples=8, deadline=None)
@given(seed=st.integers(0, 2**16))
def test_ico_bound_sandwich_random_single_trigger_games(seed):
    """Random non-negative single-trigger games: causal <= ICO <= algebraic."""
    rng = np.random.default_rng(seed)
    g = rng.random((2, 2, 2, 2))
    g[:, :, 0, :] = g[:1, :, 0, :]  # Alice's trigger is 1
    g[:, :, :, 0] = g[:, :1, :, 0]  # Bob's trigger is 1
    res = ico_bound_single_trigger(g, (1, 1))
    assert causal_bound(g) - SDP_TOL <= res.value <= algebraic_maximum(g) + SDP_TOL
    assert res.gap < SDP_TOL


def test_no_signalling_advantage_game_ico_equals_causal_and_algebraic():
    """Guess your own input: causal = ICO = algebraic (no signalling needed)."""
    g = np.zeros((2, 2, 2, 2))
    for x1, x2 in itertools.product(range(2), repeat=2):
        g[x1, :, x1, x2] = 0.25
    res = ico_bound_decomposition(g)
    assert np.isclose(causal_bound(g), 1.0) and np.isclose(algebraic_maximum(g), 1.0)
    assert abs(res.value - 1.0) < SDP_TOL


# ---- biased LGYNI: Appendix C ---------------------------------------------------------------


def test_biased_lgyni_certificate_threshold_closed_form():
    # App. C: the certificate exists for alpha <= (4 - sqrt 5)/11 (root of 11 a^2 - 8 a + 1)
    assert biased_lgyni_certificate_threshold() == pytest.approx((4 - np.sqrt(5)) / 11, abs=1e-12)


@pytest.mark.parametrize("a", [0.0, 0.08, 0.16])
def test_biased_lgyni_dual_certificate_appendix_c(a):
    c, om, eta = biased_lgyni_dual_certificate(a)
    # Omega of Eq. (56) is the canonical single-trigger operator of Eq. (48)
    assert np.allclose(om, single_trigger_operator(biased_lgyni_coefficients(a), (1, 1)))
    assert np.isclose(eta, 1 - a)  # Eq. (68)
    assert is_nosignalling_choi(c, [2, 2], [4, 4], scale=eta)
    assert np.min(np.linalg.eigvalsh(c - om)) > -1e-12
    # and the SDP agrees: no violation of Eq. (49)
    assert abs(ico_bound_single_trigger(biased_lgyni_coefficients(a)).value - (1 - a)) < SDP_TOL


def test_biased_lgyni_no_violation_threshold():
    lo, hi, proven, evals = biased_lgyni_no_violation_threshold()
    assert lo == pytest.approx(0.188, abs=1e-3)  # App. C: "no violation for alpha <= 0.188"
    assert lo < hi <= lo + 1e-5 and proven
    assert lo > biased_lgyni_certificate_threshold()  # the proof covers a smaller range
    assert len(evals) > 5
    # the violation at the upper end is proven by a feasible process, the lower end certified
    g = biased_lgyni_coefficients(hi)
    assert ico_bound_single_trigger(g, (1, 1)).achieved > causal_bound(g) + 1e-7
    g = biased_lgyni_coefficients(lo)
    assert ico_bound_single_trigger(g, (1, 1)).certified <= causal_bound(g) + 1e-7


@pytest.mark.parametrize(
    "game",
    [lgyni_coefficients(), biased_lgyni_coefficients(0.5), ocb_trigger_coefficients(0.7, 1, 0)],
)
def test_single_trigger_bound_is_bracketed_by_certificates(game):
    r = ico_bound_single_trigger(game)
    assert r.achieved <= r.value + 1e-9 <= r.certified + 2e-9
    assert r.certified - r.achieved < 1e-7
    if game.shape == (2, 2, 2, 2):  # the full-space SDP (independent route), 64 x 64 only
        full = ico_bound_single_trigger_full(game, r.extra["triggers"]).value
        assert r.achieved - 1e-8 <= full <= r.certified + 1e-8


def test_perturbed_certificate_stays_valid_but_looser():
    from bellflow.causal.certify import check_dual_operator

    g = lgyni_coefficients()
    r = ico_bound_single_trigger(g, return_certificate=True)
    om = single_trigger_operator(g, r.extra["triggers"])
    c = r.extra["certificate"]
    exact = check_dual_operator(c, om, [2, 2], [4, 4]).certified
    noise = np.random.default_rng(1).normal(size=c.shape) * 1e-4
    loose = check_dual_operator(c + noise + noise.T, om, [2, 2], [4, 4])
    assert loose.certified > exact  # still an upper bound of the known optimum, but looser
    assert loose.certified >= r.achieved
    assert loose.nosig_residual > 1e-6 and loose.lambda_min < 0


def test_wrong_trace_bound_is_caught():
    # the repair term is d_O (max(0, -lambda_min) + residual); with a too small trace bound
    # (e.g. d_I instead of d_O) a shifted certificate would undercut the known optimum
    from bellflow.causal.certify import check_dual_operator

    g = lgyni_coefficients()
    r = ico_bound_single_trigger(g, return_certificate=True)
    om = single_trigger_operator(g, r.extra["triggers"])
    shifted = r.extra["certificate"] - 0.01 * np.eye(64)  # infeasible by 0.01
    chk = check_dual_operator(shifted, om, [2, 2], [4, 4])
    assert chk.certified >= r.achieved  # with Tr S = d_O = 16 the repair restores validity
    wrong = chk.dual_value + 4 * max(0.0, -chk.lambda_min)  # d_I = 4 as trace bound
    assert wrong < r.achieved  # a wrong trace bound gives a "bound" below the optimum


def test_decomposition_bounds_are_certified():
    for g, lower in [(gyni_coefficients(), 0.6218), (ocb_coefficients(), 1 + 2**-0.5)]:
        r = ico_bound_decomposition(g)
        assert r.value <= r.certified <= r.value + 1e-7
        assert r.certified >= lower  # see-saw value (GYNI, Branciard et al.) / OCB process
        assert r.certificate["lambda_min"] > -1e-8


# ---- OCB: explicit process (Eq. 41) and Appendix B certificate -------------------------------


@pytest.mark.parametrize("a", [1.0, 0.3, -0.6, 2.0])
def test_ocb_process_reaches_biased_bound(a):
    w = ocb_process_matrix(a)
    assert max(bipartite_process_residuals(w, 2, 2, 2, 2).values()) < 1e-12
    assert is_process_matrix(w, [2, 2], [2, 2])
    ma, nb = ocb_instruments()
    p = born_probabilities(w, [ma, nb])
    assert np.allclose(p.sum(axis=(0, 1)), 1.0) and p.min() >= 0
    # Eqs. (45)-(46)
    for a1, a2, x1, b in itertools.product(range(2), repeat=4):
        r = np.sqrt(1 + a * a)
        assert np.isclose(p[a1, a2, x1, 2 * b], 0.25 + (-1) ** (a1 + b) / (4 * r))
        assert np.isclose(p[a1, a2, x1, 2 * b + 1], 0.25 + (-1) ** (a2 + x1) * a / (4 * r))
    assert np.isclose(correlation_value(biased_ocb_coefficients(a), p), biased_ocb_formula(a))


def test_ocb_value_1_plus_1_over_sqrt2():
    # Eq. (5): OCB value 1 + 1/sqrt 2, now shown to be the ICO bound (decomposition SDP)
    res = ico_bound_decomposition(ocb_coefficients())
    assert res.value == pytest.approx(1 + 1 / np.sqrt(2), abs=1e-7)
    assert res.gap < SDP_TOL
    assert np.allclose(sum(res.extra["parts"].values()), ocb_coefficients(), atol=1e-7)
    w = ocb_process_matrix(1.0)
    p = born_probabilities(w, list(ocb_instruments()))
    assert abs(correlation_value(ocb_coefficients(), p) - res.value) < SDP_TOL


@pytest.mark.parametrize("a", [1.0, 0.3])
def test_appendix_b_certificate(a):
    """C of Eqs. (32)-(40): in the no-signalling span with Tr C / 4 = the bound, C >= Omega of
    Eq. (33) as printed. Paper typo: Eq. (33) gives Alice the non-trigger factor |I>><<I| also
    at x1 = x*, where the canonical instrument has sum_a |aa><aa|; C does not dominate the
    correct operator (an eigenvalue -alpha/2), while the SDP certificate does."""
    for xs, bs in itertools.product(range(2), repeat=2):
        c, om_printed, eta = biased_ocb_dual_certificate(a, xs, bs)
        assert np.isclose(eta, biased_ocb_formula(a))
        assert is_nosignalling_choi(c, [2, 2], [4, 8], scale=eta)
        assert np.min(np.linalg.eigvalsh(c - om_printed)) > -1e-12
        om = single_trigger_operator(ocb_trigger_coefficients(a, xs, bs), (xs, 2 * bs + 1))
        assert np.max(np.abs(om - om_printed)) == pytest.approx(a / 2)
        assert np.min(np.linalg.eigvalsh(c - om)) == pytest.approx(-a / 2, abs=1e-9)


# ---- GYNI: decomposition SDP ------------------------------------------------------------------


def test_gyni_decomposition_bound():
    g = gyni_coefficients()
    res = ico_bound_decomposition(g)
    assert res.value <= 0.7592 + 1e-6  # main text: I_GYNI^ICO <= 0.7592
    assert res.value == pytest.approx(0.7592, abs=5e-5)
    assert res.value >= 0.6218  # see-saw lower bound quoted in the main text
    assert res.gap < SDP_TOL
    assert np.allclose(sum(res.extra["parts"].values()), g, atol=1e-7)
    for t, part in res.extra["parts"].items():
        assert is_single_trigger(part, t, atol=1e-7)
    p = res.extra["correlations"]
    assert np.allclose(p.sum(axis=(0, 1)), 1.0, atol=1e-7)


# ---- Fig. 1 geometry --------------------------------------------------------------------------


def test_support_envelope_recovers_circle_and_square():
    th = np.linspace(0, 2 * np.pi, 64, endpoint=False)
    h = 0.5 + 0.5 * (np.cos(th) + np.sin(th)) + 0.5  # circle radius 1/2 around (1/2, 1/2)
    pts = support_envelope(th, h - 0.5)
    r = np.hypot(pts[:, 0] - 0.5, pts[:, 1] - 0.5)
    assert np.all(r >= 0.5 - 1e-12) and np.all(r <= 0.5 / np.cos(np.pi / 64) + 1e-12)
    # the unconstrained square [0, 1]^2 from the algebraic maximum of w_A P_A + w_B P_B
    th4 = np.linspace(0, 2 * np.pi, 8, endpoint=False)
    hs = [algebraic_maximum(ocb_weighted_coefficients(np.cos(t), np.sin(t))) for t in th4]
    sq = support_envelope(th4, np.array(hs))
    assert np.allclose(sorted(map(tuple, np.round(sq, 12)))[0], (0.0, 0.0))
    assert np.all((sq > -1e-12) & (sq < 1 + 1e-12))


def test_causal_square_inscribed_in_disc():
    """Causal region |P_A - 1/2| + |P_B - 1/2| <= 1/2 (Fig. 1, inner square)."""
    for t in np.linspace(0, 2 * np.pi, 12, endpoint=False):
        h = causal_bound(ocb_weighted_coefficients(np.cos(t), np.sin(t)))
        c, s = np.cos(t), np.sin(t)
        assert np.isclose(h, (c + s) / 2 + max(abs(c), abs(s)) / 2)


# ---- bistochastic theories (Methods, Apps. D-E) -------------------------------------------------


def test_gyni_bistochastic_strategy_wins_with_certainty():
    s, ma, mb = gyni_bistochastic_strategy()
    assert is_admissible_bistochastic_supermap(s, 2, 2)
    assert classical_supermap_admissible_birkhoff(s, 2)
    nz = set(map(tuple, np.argwhere(np.diag(s).reshape(2, 2, 2, 2)).tolist()))
    assert nz == {(0, 0, 0, 0), (1, 1, 1, 0), (1, 0, 1, 1), (0, 1, 0, 1)}  # Eq. (86)
    for m in (ma, mb):  # bistochastic instruments: sum over outcomes is a permutation
        tot = m.sum(axis=0)
        for x in range(2):
            d = np.diag(tot[x]).reshape(2, 2)
            assert np.allclose(d.sum(axis=0), 1) and np.allclose(d.sum(axis=1), 1)
    p = supermap_probabilities(s, ma, mb)
    assert np.isclose(correlation_value(gyni_coefficients(), p), 1.0)  # algebraic maximum
    assert np.isclose(algebraic_maximum(gyni_coefficients()), 1.0)


@pytest.mark.parametrize(("n", "admissible"), [(2, True), (3, True), (4, False)])
def test_nary_two_way_signalling(n, admissible):
    """App. E: the supermap of Eq. (88) is admissible for n <= 3 and not for n = 4."""
    s, ma, mb = nary_signalling_strategy(n)
    assert is_admissible_bistochastic_supermap(s, n, n) == admissible
    assert classical_supermap_admissible_birkhoff(s, n) == admissible
    p = supermap_probabilities(s, ma, mb)
    assert np.isclose(correlation_value(gyni_coefficients(n), p), 1.0)  # perfect signalling


def test_sdp_sizes():
    small = sdp_size((2, 2, 2, 2))
    assert small["full_choi_dim"] == 64 and max(small["psd_blocks"]) <= 4
    dec = sdp_size((2, 2, 2, 3), decomposition=True)
    assert dec["n_triggers"] == 6 and dec["n_variables"] > small["n_variables"]
    assert dec["full_choi_dim"] == 96
    # the span and its complement fill the invariant space: equalities + kernel parameters
    # of the two forms (sdp._FORM) count the same variables
    for size in (small, dec):
        assert size["n_equalities"] + size["n_free"] == size["n_variables"]
    assert small["n_free"] == 17  # LGYNI: 82 invariant entries, a 65-dimensional span


@pytest.mark.parametrize("form", ["kernel", "equality"])
def test_process_variable_forms_agree(monkeypatch, form):
    """The two parametrisations of the reduced process matrix (normalisation built in, or as
    equalities; sdp._FORM) give the same certified bounds: LGYNI (single trigger) and GYNI
    (decomposition) against the paper's values, brackets and certificates per form."""
    from bellflow.causal import sdp

    monkeypatch.setattr(sdp, "_FORM", form)
    lg = ico_bound_single_trigger(lgyni_coefficients(), (1, 1))
    assert lg.value == pytest.approx(0.8194, abs=5e-5)
    assert lg.achieved - 1e-8 <= lg.value <= lg.certified + 1e-9
    assert lg.certified - lg.achieved < 1e-7
    gy = ico_bound_decomposition(gyni_coefficients())
    assert gy.value == pytest.approx(0.7592, abs=5e-5)
    assert 0 <= gy.certified - gy.value < 1e-7
    assert gy.certificate["lambda_min"] > -1e-8


# ---- workflow-facing helpers ------------------------------------------------------------------


def test_disc_fit_recovers_a_disc_and_flags_a_square():
    th = np.linspace(0, 2 * np.pi, 24, endpoint=False)
    fit = causal_disc_fit(th, 0.3 * np.cos(th) - 0.2 * np.sin(th) + 0.7)
    assert fit["center_x"] == pytest.approx(0.3) and fit["center_y"] == pytest.approx(-0.2)
    assert fit["radius"] == pytest.approx(0.7) and fit["max_residual"] < 1e-12
    square = np.maximum(np.abs(np.cos(th)), np.abs(np.sin(th)))
    assert causal_disc_fit(th, square)["max_residual"] > 0.05


def test_ocb_plane_support_traces_the_disc():
    """Fig. 1: the ICO support function is that of the disc of radius 1/2 at (1/2, 1/2)
    (Eq. 7 rewritten in the main text). The decomposition route is covered by
    test_ocb_value_1_plus_1_over_sqrt2 (direction 45 degrees)."""
    th = np.array([0.3, 2.0, 4.0])
    disc = 0.5 * (np.cos(th) + np.sin(th)) + 0.5
    pieces = ocb_plane_support(th, method="pieces")
    assert np.allclose(pieces["ico"], disc, atol=1e-7)
    assert np.all(pieces["causal"] <= pieces["ico"] + 1e-9)
    assert np.all(pieces["ico"] <= pieces["algebraic"] + 1e-9)
    with pytest.raises(ValueError, match="method"):
        ocb_plane_support(th, method="bogus")


def test_scans_agree_with_their_routes():
    s = biased_ocb_scan([0.0, 1.5])
    assert np.allclose(s["ico"], s["process"], atol=1e-7)  # Eq. (7): bound reached
    assert np.allclose(s["ico"], [biased_ocb_formula(a) for a in (0.0, 1.5)], atol=1e-7)
    lg = biased_lgyni_scan([0.05, 0.5])
    assert np.allclose(lg["causal"], lg["causal_lp"], atol=1e-8)
    assert lg["excess"][0] < 1e-7 < lg["excess"][1]
    assert np.all(lg["ico_gap"] < SDP_TOL)


def test_two_setting_supermaps_generate_every_deterministic_distribution():
    """App. E, (2,2,?): S_{x,y} (Eq. 89) is admissible and, with the instruments described
    there, reaches all 2^8 deterministic distributions of Eq. (90)."""
    cov = two_setting_deterministic_coverage()
    assert cov == {"admissible": 1.0, "n_deterministic": 256.0, "max_deviation": 0.0}
    for x, y in [(0, 1), (2, 3), (1, 3)]:
        s = shared_randomness_supermap(x, y, 4)
        assert is_admissible_bistochastic_supermap(s, 4, 4)
        assert classical_supermap_admissible_birkhoff(s, 4)
        assert np.isclose(np.trace(s), 16)
    # the second pair of values (t = 1) delivers the same perfect two-way signalling
    f = np.array([[[0, 1], [1, 0]], [[0, 1], [1, 0]]])  # f(x, z) = x xor z: a1 = a2 = x1 xor x2
    p = supermap_probabilities(
        shared_randomness_supermap(2, 3, 4),
        two_setting_instruments(f, 4),
        two_setting_instruments(f, 4),
    )
    for x1, x2 in itertools.product(range(2), repeat=2):
        assert np.isclose(p[x1 ^ x2, x1 ^ x2, x1, x2], 1.0)
    with pytest.raises(ValueError, match="distinct"):
        shared_randomness_supermap(1, 1, 2)


# ---- beyond the paper: facets of the simplest causal polytope -----------------------------------


def test_causal_polytope_facets_and_their_ico_bounds():
    res = causal_polytope_facets(check_directions=300, seed=1)  # exact (pycddlib)
    assert len(res["vertices"]) == 112 and res["affine_dim"] == 12
    assert len(res["facets"]) == 48 and sorted(len(c) for c in res["classes"]) == [16, 16, 16]
    assert set(res["facet_dims"]) == {11}  # every inequality is a facet
    assert res["min_facets_per_vertex"] >= 12 and res["support_discrepancy"] < 1e-9
    for g in res["facets"]:  # valid causal inequalities with bound 1, tight
        assert np.isclose(causal_bound(g), 1.0)
    rows = facet_ico_table(res)
    for r in rows:  # every bound certified, single-trigger ones bracketed by a process
        assert r["ico"] <= r["ico_certified"] + 1e-9
        assert not r["single_trigger"] or r["ico_achieved"] >= r["ico_certified"] - 1e-7
    ico = sorted(r["ico"] for r in rows)
    assert ico[0] == pytest.approx(1.0, abs=SDP_TOL)  # positivity: no violation
    # LGYNI class: (P11 + P01 + P10)/2 <= 1, ICO = (4 I_LGYNI^ICO - 1)/2 (main text)
    lg = ico_bound_single_trigger(lgyni_coefficients()).value
    assert ico[1] == pytest.approx((4 * lg - 1) / 2, abs=1e-7)
    # GYNI class: 2 P(a1 = x2, a2 = x1) <= 1, decomposition bound 2 x 0.7592
    gy = ico_bound_decomposition(gyni_coefficients()).value
    assert ico[2] == pytest.approx(2 * gy, abs=1e-7)


# ---- general tool: ico_bound(game) -------------------------------------------------------------


def test_ico_bound_chooses_the_sdp_and_matches_the_paper_cases():
    lg = ico_bound(lgyni_coefficients())
    assert lg.method == "single-trigger" and lg.exact and lg.triggers == (1, 1)
    assert lg.value == pytest.approx(0.8194, abs=5e-5)  # main text after Eq. (3)
    assert lg.causal_bound == pytest.approx(0.75) and lg.algebraic_maximum == pytest.approx(1.0)
    assert lg.achieved <= lg.value <= lg.certified < lg.achieved + 1e-7
    gy = ico_bound(gyni_coefficients())
    assert gy.method == "decomposition" and not gy.exact and np.isnan(gy.achieved)
    assert gy.certified == pytest.approx(0.7592, abs=5e-5) and gy.causal_bound == 0.5
    ocb = ico_bound(ocb_coefficients())  # 2 x 4 settings
    assert ocb.certified == pytest.approx(1 + 2**-0.5, abs=1e-7)


def test_ico_bound_other_shapes():
    # three outcomes for Alice (outcome-blind at her setting 0), one setting for Bob
    g = np.random.default_rng(3).random((3, 2, 2, 1))
    g[:, :, 0, :] = g[:1, :, 0, :]
    b = ico_bound(g)
    assert b.method == "single-trigger" and b.triggers == (1, 0)
    assert b.causal_bound - 1e-9 <= b.value <= b.algebraic_maximum + 1e-9
    assert b.achieved <= b.certified
    # 3 settings each (decomposition): the causal bound is never above the certified bound
    g = np.random.default_rng(4).random((2, 2, 3, 3))
    b = ico_bound(g)
    assert b.method == "decomposition" and b.causal_bound <= b.certified + 1e-9


@pytest.mark.parametrize(
    ("game", "match"),
    [
        (np.ones((2, 2, 2)), "4 axes"),
        (np.ones((1, 2, 2, 2)), "outcomes"),
        (-np.ones((2, 2, 2, 2)), r"non-negative, got w\[0, 0, 0, 0\]"),
        (np.full((2, 2, 2, 2), np.nan), "finite"),
        ("abc", "real array"),
    ],
)
def test_ico_bound_rejects_bad_games(game, match):
    with pytest.raises(ValueError, match=match):
        ico_bound(game)


# ---- App. D: the 2^8 deterministic classical supermaps ---------------------------------------


def test_appendix_d_extreme_points_and_classes():
    d = appendix_d_extreme_points()
    assert d["n_extreme_birkhoff"] == d["n_extreme_eq82"] == 2**8 and d["eq82_vs_birkhoff"] == 0
    assert d["eq82_admissible_eq12"] == 1.0
    # App. D: 2^4 no-signalling, 2^5 + 2^6 one-way, 2^4 + 2^7 indefinite
    assert (d["n_no_signalling"], d["n_one_way"], d["n_two_way"]) == (16, 96, 144)
    assert (d["n_one_way_fixed_direction"], d["n_one_way_dynamic_direction"]) == (32, 64)
    assert d["n_two_way_process"] == d["n_two_way_xor"] == 16
    assert d["n_two_way_not_process"] == 128
    assert d["eq86_in_set"] == 1.0 and d["eq86_two_way"] == 1.0
