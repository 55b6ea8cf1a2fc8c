"""bellflow.optim: checked solves report primal/dual and raise on non-optimal status."""

import cvxpy as cp
import numpy as np
import pytest

from bellflow.optim import SolverError, solve_lp, solve_sdp


def _sdp(sense):
    # max <X, [[0, 1/2], [1/2, 0]]> over density matrices = 1/2 (largest eigenvalue); +3 offset.
    X = cp.Variable((2, 2), symmetric=True)
    obj = X[0, 1] + 3 if sense == "max" else -X[0, 1] + 3
    prob = cp.Problem(
        cp.Maximize(obj) if sense == "max" else cp.Minimize(obj), [X >> 0, cp.trace(X) == 1]
    )
    return prob


@pytest.mark.parametrize("solver", ["CLARABEL", "SCS"])
def test_sdp_value_primal_dual(solver):
    res = solve_sdp(_sdp("max"), name="toy", solver=solver)
    assert res.status == "optimal"
    assert res.value == pytest.approx(3.5, abs=1e-6)
    assert res.dual == pytest.approx(3.5, abs=1e-6)
    assert res.gap < 1e-6
    assert res.attrs()["solver"] == solver


def test_sdp_minimise_dual_sign():
    res = solve_sdp(_sdp("min"), name="toy")
    assert res.value == pytest.approx(2.5, abs=1e-7)
    assert res.dual == pytest.approx(2.5, abs=1e-7)


@pytest.mark.parametrize(
    "constraints,status",
    [(lambda x: [x >= 0], "unbounded"), (lambda x: [x >= 1, x <= 0], "infeasible")],
)
def test_sdp_non_optimal_raises_naming_problem(constraints, status):
    x = cp.Variable()
    prob = cp.Problem(cp.Maximize(x), constraints(x))
    with pytest.raises(SolverError, match=rf"my problem.*{status}.*\"d\": 3"):
        solve_sdp(prob, name="my problem", params={"d": 3})


def test_lp_primal_dual():
    # min x + y  s.t.  x + 2y >= 2, x, y >= 0  ->  1 at (0, 1); dual max 2u s.t. u<=1, 2u<=1
    res = solve_lp([1, 1], A_ub=[[-1, -2]], b_ub=[-2], name="lp")
    assert res.value == pytest.approx(1.0)
    assert res.dual == pytest.approx(1.0)
    np.testing.assert_allclose(res.extra["x"], [0, 1], atol=1e-9)
    res = solve_lp([1, 1], A_ub=[[1, 2]], b_ub=[2], name="lp", maximize=True)
    assert res.value == pytest.approx(2.0)


def test_lp_infeasible_raises():
    with pytest.raises(SolverError, match="bad lp.*status 2"):
        solve_lp([1], A_eq=[[1]], b_eq=[-1], name="bad lp")


# --- certificates --------------------------------------------------------------------------


@pytest.mark.parametrize("solver", ["CLARABEL", "SCS"])
@pytest.mark.parametrize("sense", ["max", "min"])
def test_sdp_certified_brackets_known_optimum(solver, sense):
    # |X_ij| <= trace X = 1 for a density matrix: the a-priori bound of the certificate
    res = solve_sdp(_sdp(sense), name="toy", solver=solver, var_bound=1.0)
    exact = 3.5 if sense == "max" else 2.5
    assert res.certificate["method"] == "repaired dual"
    if sense == "max":
        assert exact <= res.certified <= exact + 1e-6
    else:
        assert exact - 1e-6 <= res.certified <= exact
    assert res.attrs()["certified"] == res.certified


def test_sdp_without_var_bound_is_not_certified():
    res = solve_sdp(_sdp("max"), name="toy")
    assert np.isnan(res.certified) and res.certificate == {"method": "none"}
    assert np.isnan(res.attrs()["achieved"])


def test_sdp_certified_complex_hermitian():
    # max Re X_01 over 2x2 density matrices (complex Hermitian variable): 1/2
    X = cp.Variable((2, 2), hermitian=True)
    prob = cp.Problem(cp.Maximize(cp.real(X[0, 1])), [X >> 0, cp.real(cp.trace(X)) == 1])
    res = solve_sdp(prob, name="hermitian toy", var_bound=1.0, achieved=0.5)
    assert 0.5 <= res.certified <= 0.5 + 1e-6
    assert res.achieved == 0.5


def _raw_toy():
    """Conic data and Clarabel's raw solution of the max toy problem (optimum 3.5)."""
    prob = _sdp("max")
    data, chain, inv = prob.get_problem_data("CLARABEL")
    raw = chain.solve_via_data(prob, data, False, False, {})
    return prob, data, chain, inv, np.asarray(raw.z, dtype=float)


@pytest.mark.parametrize("rounds", [0, 3])
def test_perturbed_dual_point_gives_valid_looser_certificate(monkeypatch, rounds):
    from bellflow import optim

    monkeypatch.setattr(optim.conic, "POLISH_ROUNDS", rounds)
    prob, data, chain, inv, z = _raw_toy()
    lower, _ = optim.conic._certify_conic(prob, data, chain, inv, z, 1.0, "toy")
    rng = np.random.default_rng(0)
    polished = 0
    for _ in range(20):
        zp = z + 1e-2 * rng.standard_normal(z.shape)
        lower_p, cert = optim.conic._certify_conic(prob, data, chain, inv, zp, 1.0, "toy")
        # the solver minimises -f: a lower bound of -3.5, i.e. certified = -lower >= 3.5
        assert -lower_p >= 3.5
        assert -lower_p > -lower + 1e-4  # looser than the unperturbed certificate
        if rounds == 0:  # the residual of the perturbed point is charged with the bound
            assert cert["residual_inf"] > 1e-4
        else:  # polishing (alternating projections) keeps the best point: never looser
            monkeypatch.setattr(optim.conic, "POLISH_ROUNDS", 0)
            unpolished, _ = optim.conic._certify_conic(prob, data, chain, inv, zp, 1.0, "toy")
            monkeypatch.setattr(optim.conic, "POLISH_ROUNDS", rounds)
            assert -lower_p <= -unpolished
            polished += cert["polish_rounds"] > 0 and -lower_p < -unpolished - 1e-6
    assert rounds == 0 or polished >= 10  # and usually tighter


def test_too_small_var_bound_is_caught_against_known_optimum(monkeypatch):
    from bellflow import optim
    from bellflow.optim.conic import _certify_conic

    monkeypatch.setattr(optim.conic, "POLISH_ROUNDS", 0)  # keep the residual the bound must pay for
    prob, data, chain, inv, z = _raw_toy()
    zp = z.copy()
    zp[0] -= 1e-2  # dual of trace X == 1: raises -b.z by 0.01, residual 0.01 on the diagonal
    ok, _ = _certify_conic(prob, data, chain, inv, zp, 1.0, "toy")
    wrong, _ = _certify_conic(prob, data, chain, inv, zp, 1e-3, "toy")
    assert -ok >= 3.5  # the true bound |X_ii| <= 1 keeps the certificate valid
    assert -wrong < 3.5  # a too small bound gives a "bound" below the known optimum...


def test_achieved_on_wrong_side_raises(monkeypatch):
    from bellflow import optim

    with pytest.raises(optim.CertificateError, match="wrong side"):
        solve_sdp(_sdp("max"), name="toy", var_bound=1.0, achieved=3.6)  # 3.6 > optimum
    res = solve_sdp(_sdp("max"), name="toy", var_bound=1.0, achieved=3.5)
    assert res.achieved == 3.5 <= res.certified


def test_auxiliary_variable_without_bound_is_refused():
    from bellflow import optim

    x = cp.Variable(2)
    # |x_0 - x_1| creates an auxiliary variable with a nonzero residual
    prob = cp.Problem(cp.Minimize(cp.abs(x[0] - x[1]) - x[0]), [x >= -1, x <= 1])
    with pytest.raises(optim.CertificateError, match="needs a bound"):
        solve_sdp(prob, name="aux toy", var_bound={x: 1.0})


def test_non_finite_objective_raises_whatever_status(monkeypatch):
    orig = cp.Problem.unpack_results

    def nan_value(self, *args, **kwargs):
        orig(self, *args, **kwargs)
        self._value = float("nan")

    monkeypatch.setattr(cp.Problem, "unpack_results", nan_value)
    with pytest.raises(SolverError, match="non-finite") as info:
        solve_sdp(_sdp("max"), name="nan toy")
    assert info.value.status == "non_finite" and info.value.problem == "nan toy"


def test_non_finite_dual_raises(monkeypatch):
    from bellflow import optim

    orig = optim.sdp._raw_solution

    def nan_dual(raw, solver):
        x, z, p, d = orig(raw, solver)
        return x, np.full_like(z, np.nan), p, d

    monkeypatch.setattr(optim.sdp, "_raw_solution", nan_dual)
    with pytest.raises(SolverError, match="non-finite"):
        solve_sdp(_sdp("max"), name="nan dual toy")


def test_solver_error_status_and_problem():
    x = cp.Variable()
    with pytest.raises(SolverError) as info:
        solve_sdp(cp.Problem(cp.Maximize(x), [x >= 1, x <= 0]), name="infeasible toy")
    assert info.value.status == "infeasible" and info.value.problem == "infeasible toy"


def test_fallbacks_tried_in_order_and_recorded():
    # one Clarabel iteration cannot converge; the first fallback still cannot; the second can
    res = solve_sdp(
        _sdp("max"),
        name="toy",
        max_iter=1,
        fallbacks=[{"max_iter": 2}, {"solver": "SCS", "eps": 1e-9}],
        var_bound=1.0,
    )
    assert res.solver == "SCS" and res.tolerances["eps"] == 1e-9
    attempts = res.extra["attempts"]
    assert [a["solver"] for a in attempts] == ["CLARABEL", "CLARABEL", "SCS"]
    assert [a.get("max_iter") for a in attempts[:2]] == [1, 2]
    assert attempts[0]["outcome"] != "optimal" and attempts[-1]["outcome"] == "optimal"
    assert 3.5 <= res.certified <= 3.5 + 1e-6
    with pytest.raises(SolverError, match="after 2 attempts"):
        solve_sdp(_sdp("max"), name="toy", max_iter=1, fallbacks=[{"max_iter": 2}])


def test_one_info_log_line_per_solve(caplog):
    import logging

    with caplog.at_level(logging.INFO, logger="bellflow.optim"):
        solve_sdp(_sdp("max"), name="logged toy", params={"k": 1}, var_bound=1.0)
    lines = [r.getMessage() for r in caplog.records if r.name == "bellflow.optim"]
    assert len(lines) == 1
    assert "logged toy" in lines[0] and "certified" in lines[0] and '"k": 1' in lines[0]


# --- LP certificates -----------------------------------------------------------------------


def test_lp_certified_from_dual_with_bounds():
    # min x + y  s.t.  x + 2y >= 2, x, y >= 0: optimum 1
    res = solve_lp([1, 1], A_ub=[[-1, -2]], b_ub=[-2], name="lp", achieved=1.0)
    assert 1.0 - 1e-12 <= res.certified <= 1.0
    res = solve_lp([1, 1], A_ub=[[1, 2]], b_ub=[2], name="lp", maximize=True, achieved=2.0)
    assert 2.0 <= res.certified <= 2.0 + 1e-12
    assert res.certificate["method"] == "dual with bounds"


def test_lp_perturbed_dual_bounded_and_unbounded():
    import scipy.sparse as sp

    from bellflow.optim.lp import _lp_certificate

    A = sp.csr_matrix([[-1.0, -2.0]])
    b, c = np.array([-2.0]), np.array([1.0, 1.0])
    y = np.array([-0.5])  # optimal dual: certificate exactly 1
    lower, *_ = _lp_certificate(A, b, c, y, np.zeros(2), np.full(2, 10.0))
    assert lower == pytest.approx(1.0, abs=1e-12) and lower <= 1.0
    y = np.array([-0.6])  # perturbed: reduced cost of y is -0.2 < 0
    lower, cert, _ = _lp_certificate(A, b, c, y, np.zeros(2), np.full(2, 10.0))
    assert lower <= 1.0 and lower == pytest.approx(1.2 - 2.0)
    lower, cert, _ = _lp_certificate(A, b, c, y, np.zeros(2), np.full(2, np.inf))
    assert lower == -np.inf and cert["n_unbounded_wrong_sign"] == 1


def test_lp_var_bound_tightens_unbounded_variable():
    # min -x s.t. x + y <= 1, free x, y >= 0 ... x bounded by 1 a priori
    res = solve_lp(
        [-1, 0], A_ub=[[1, 1]], b_ub=[1], bounds=[(None, None), (0, None)], name="lp",
        var_bound=5.0,
    )
    assert res.value == pytest.approx(-1.0)
    assert -1.0 - 1e-12 <= res.certified <= -1.0


def test_lp_non_optimal_status():
    with pytest.raises(SolverError) as info:
        solve_lp([1], A_eq=[[1]], b_eq=[-1], name="bad lp")
    assert info.value.status == "highs_status_2"


# --- records -------------------------------------------------------------------------------


def test_record_and_summary_attrs():
    import json

    from bellflow.optim import OptResult, record, summary_attrs

    r1 = OptResult(1.0, "optimal", "CLARABEL", tolerances={"tol_feas": 1e-9}, certified=1.1)
    r2 = OptResult(2.0, "optimal_inaccurate", "CLARABEL", tolerances={"tol_feas": 1e-8})
    out = record([[r1, r2], [r2, r1]], ("a", "b"))
    assert out["certified"][0] == ("a", "b")
    np.testing.assert_array_equal(out["certified"][1], [[1.1, np.nan], [np.nan, 1.1]])
    assert out["solver_status"][1][0, 1] == "optimal_inaccurate"
    assert json.loads(out["solver_tolerances"][1][1, 1]) == {"tol_feas": 1e-9}
    attrs = summary_attrs([r1, r2])
    assert attrs["solver_status"] == "optimal,optimal_inaccurate"
    assert len(json.loads(attrs["solver_tolerances"])) == 2
    assert attrs["n_solves"] == 2 and attrs["n_certified"] == 1
    with pytest.raises(ValueError, match="dims"):
        record([r1], ("a", "b"))


def test_quadratic_objective_is_not_certified():
    from bellflow import optim

    x = cp.Variable(2)
    prob = cp.Problem(cp.Minimize(cp.sum_squares(x) - x[0]), [x >= -1, x <= 1])
    with pytest.raises(optim.CertificateError, match="quadratic"):
        solve_sdp(prob, name="qp", var_bound=1.0)


def test_certified_through_cvxpy_attribute_variables():
    # PSD=True and nonneg=True variables are rewritten by cvxpy (new variable ids): the bound
    # still reaches them. max <C, X> over density matrices = lambda_max(C); max y.w over the
    # simplex = max w
    C = np.array([[1.0, 2.0, 0.0], [2.0, 0.0, 1.0], [0.0, 1.0, -1.0]])
    X = cp.Variable((3, 3), PSD=True)
    prob = cp.Problem(cp.Maximize(cp.trace(C @ X)), [cp.trace(X) == 1])
    lam = np.linalg.eigvalsh(C)[-1]
    res = solve_sdp(prob, name="psd var", var_bound={X: 1.0}, achieved=lam - 1e-12)
    assert lam <= res.certified < lam + 1e-6
    y = cp.Variable(3, nonneg=True)
    prob = cp.Problem(cp.Maximize(y @ np.array([1.0, 2.0, 3.0])), [cp.sum(y) == 1])
    res = solve_sdp(prob, name="nonneg var", var_bound={y: 1.0})
    assert 3.0 <= res.certified < 3.0 + 1e-6
