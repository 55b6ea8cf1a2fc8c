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


def test_checked_solves_attrs_record_tolerances():
    import json

    from bellflow.optim import DEFAULT_SDP_TOL, checked_solves_attrs

    attrs = checked_solves_attrs("CLARABEL")
    assert attrs["solver_status"] == "optimal"
    assert json.loads(attrs["solver_tolerances"]) == DEFAULT_SDP_TOL
    assert json.loads(
        checked_solves_attrs("HiGHS", primal_feasibility=1e-7)["solver_tolerances"]
    ) == {"primal_feasibility": 1e-7}
