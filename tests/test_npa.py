"""Tests of bellflow.npa against analytic quantum maxima and quantum realisations."""

import numpy as np
import pytest

from bellflow import boxes as bx
from bellflow import npa

TSIRELSON = 2 * np.sqrt(2)  # Tsirelson bound, Ghosh et al. text above Eq. (3); Cirel'son 1980


@pytest.mark.parametrize("level", [1, "1+AB", 2])
def test_chsh_tsirelson(level):
    r = npa.npa_upper_bound(bx.chsh_coefficients(), level)
    assert r.status == "optimal"
    assert r.value == pytest.approx(TSIRELSON, abs=1e-6)
    # primal vs dual objective
    assert abs(r.value - r.dual) < 1e-6


def test_structure_sizes_and_cache():
    assert npa.npa_structure((2, 2, 2, 2), 1).size == 5
    assert npa.npa_structure((2, 2, 2, 2), "1+ab").size == 9
    assert npa.npa_structure((2, 2, 2, 2), 2).size == 13
    assert npa.npa_structure((2, 2, 2, 2), 2) is npa.npa_structure((2, 2, 2, 2), 2)
    with pytest.raises(ValueError, match="level"):
        npa.npa_structure((2, 2, 2, 2), "banana")


def test_cg_roundtrip_general_shape():
    rng = np.random.default_rng(0)
    D = bx.deterministic_boxes(3, 3, 2, 4)
    p = np.tensordot(rng.dirichlet(np.ones(len(D))), D, 1)
    T, t0 = npa.cg_to_box_map((3, 3, 2, 4))
    np.testing.assert_allclose(T @ npa.box_to_cg(p) + t0, p.ravel(), atol=1e-14)


def test_isotropic_quantum_threshold_visibility():
    # CHSH(PR_eta) = 4 eta <= 2 sqrt 2  =>  eta <= 1/sqrt 2 (paper, text above Theorem 3)
    r = npa.npa_visibility(bx.pr_boxes()[0], "1+AB")
    assert r.value == pytest.approx(1 / np.sqrt(2), abs=1e-7)
    assert npa.npa_membership(bx.isotropic_box(0.70)).extra["member"]
    assert not npa.npa_membership(bx.isotropic_box(0.71)).extra["member"]
