"""Paper checks of paper 000 (Ghosh et al., PRL 132, 250205 (2024)), one function per paper
section. Each returns an :class:`xarray.Dataset` whose variables carry a ``description``;
:mod:`bellflow.interconversion.files` merges them into the workflow's result files. The
sections of Fig. 1 and Theorem 3 (:func:`fig1_section`, :func:`theorem3_range`) live in
:mod:`bellflow.interconversion.geometry` and are re-exported here. A claim is computed as a
0-d boolean next to the numbers it rests on, and each number that a reproduction row reads
has a second, independent route stored as a 0-d deviation ``|route 1 - route 2|`` (the row's
``check``).
"""

from __future__ import annotations

import itertools
import json
import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import xarray as xr
from numpy.typing import ArrayLike

from bellflow import boxes as bx
from bellflow import npa
from bellflow.interconversion.geometry import fig1_section, theorem3_range
from bellflow.interconversion.polytope import lemma1_residual, ns_vertices
from bellflow.interconversion.realisations import (
    hardy_box,
    hardy_conditions,
    hardy_objective,
    hardy_realisation,
    hardy_state_parameter,
    hardy_state_parameter_printed,
    hardy_success_of_parameter,
    hardy_zero_conditions,
    tsirelson_box,
    tsirelson_realisation,
)
from bellflow.optim import summary_attrs

__all__ = [
    "Vars",
    "eq1_vertices",
    "strict_inclusions",
    "npa_bounds",
    "eq3_realisations",
    "lemma1",
    "corollary1_expansion",
    "extremality",
    "self_testing",
    "isotropic_thresholds",
    "proposition1",
    "proposition2",
    "theorem2",
    "theorem3_range",
    "fig1_section",
]

Vars = dict[str, tuple[Any, ...]]


def _ds(data: Vars, coords: dict[str, Any] | None = None, **attrs: Any) -> xr.Dataset:
    return xr.Dataset(data, coords=coords or {}, attrs=attrs)


def _v(value: Any, description: str, dims: tuple[str, ...] = (), **attrs: Any) -> tuple:
    return (dims, np.asarray(value), {"description": description, **attrs})


def _level_tag(level: str | int) -> str:
    return str(level).lower().replace("+", "")


def _bracket(certified: float, achieved: float) -> float:
    """Width ``certified - achieved`` of the bracket of a maximum; ``inf`` if the certified
    bound lies below a value an explicit strategy reaches (an invalid bound), ``nan`` if there
    is no certified bound."""
    if not math.isfinite(certified):
        return float("nan")
    return certified - achieved if certified >= achieved else float("inf")


def _eq1_formula_vertices() -> np.ndarray:
    """Eq. (1a) and Eq. (1b) evaluated as printed: ``delta(a, alpha x + beta)
    delta(b, gamma y + eta)`` and ``1/2 delta(a + b, xy + alpha x + beta y + gamma)``."""
    a, b, x, y = np.meshgrid(*(np.arange(2),) * 4, indexing="ij")
    loc = [
        ((a == (al * x + be) % 2) & (b == (ga * y + et) % 2)).astype(float)
        for al, be, ga, et in itertools.product(range(2), repeat=4)
    ]
    pr = [
        0.5 * (((a + b) % 2) == ((x * y + al * x + be * y + ga) % 2))
        for al, be, ga in itertools.product(range(2), repeat=3)
    ]
    return np.array(loc + pr, dtype=float)


def eq1_vertices() -> xr.Dataset:
    """Eq. (1): the 222 no-signalling polytope has 16 local deterministic and 8 nonlocal
    vertices. Route: vertex enumeration from the polytope's inequalities
    (:func:`~bellflow.interconversion.polytope.ns_vertices`), local = 0/1-valued. Check: the
    number of enumerated vertices missing from the Eq. (1a)/(1b) formulas plus formula boxes
    missing from the enumeration (0 when the two sets agree)."""
    V = ns_vertices()
    integral = np.all(np.isclose(V, np.round(V), atol=1e-9), axis=(1, 2, 3, 4))
    F = _eq1_formula_vertices()

    def unmatched(P: np.ndarray, Q: np.ndarray) -> int:
        return sum(not np.any(np.all(np.isclose(p, Q, atol=1e-9), axis=(1, 2, 3, 4))) for p in P)

    n_diff = unmatched(V, F) + unmatched(F, V)
    return _ds(
        {
            "n_local_vertices": _v(int(integral.sum()), "0/1-valued vertices of the NS polytope"),
            "n_pr_vertices": _v(int((~integral).sum()), "other (nonlocal) vertices"),
            "n_vertices": _v(len(V), "vertices found by enumeration from the inequalities"),
            "vertices_vs_eq1_unmatched": _v(n_diff, "vertices in one set (enumeration, Eq. 1)"),
        }
    )


def strict_inclusions(level: str | int = "1", solver: str = "CLARABEL") -> xr.Dataset:
    """Preliminaries: ``L subsetneq Q subsetneq N`` (222). ``P_T`` (Eq. 3a, quantum by its
    realisation) exceeds the local bound of CHSH (exact enumeration) and the PR box (in ``N``)
    exceeds the certified NPA bound of CHSH (outside ``Q``). Check: the LP visibility of
    ``P_T`` against white noise equals ``local bound / CHSH(P_T)`` (the CHSH facet is the
    binding one on the isotropic line)."""
    chsh = bx.chsh_coefficients()
    pT, pr = tsirelson_box(), bx.pr_boxes()[0]
    lb = bx.local_bound(chsh)
    c_t = float(bx.bell_value(chsh, pT))
    r = npa.npa_upper_bound(chsh, level, solver=solver)
    gap_qn = float(bx.bell_value(chsh, pr)) - r.certified
    vis = bx.local_visibility(pT).value
    return _ds(
        {
            "gap_L_Q": _v(c_t - lb, "CHSH(P_T) - local bound: P_T in Q, not in L"),
            "gap_Q_N": _v(gap_qn, f"CHSH(PR) - certified NPA {level} bound: PR in N, not in Q"),
            "strict_inclusions": _v(
                bool(c_t - lb > 1e-6 and gap_qn > 1e-6), "L subsetneq Q subsetneq N (both gaps > 0)"
            ),
            "strict_LQ_visibility_dev": _v(abs(vis - lb / c_t), "|LP visibility - 2/CHSH| of P_T"),
        }
    )


def npa_bounds(levels: Sequence[str | int], solver: str) -> xr.Dataset:
    """Text above Eq. (3): NPA bounds of CHSH (``2 sqrt 2``) and of Hardy's success
    (``(5 sqrt 5 - 11)/2``) per level: primal and dual objectives, the certified bound
    (``OptResult.certified``, attrs ``certificate``), and ``*_bracket`` = certified minus the
    value reached by the explicit realisation (Eq. 3a/3b), ``inf`` if the bound is below it.
    The attrs summarise the solves (:func:`bellflow.optim.summary_attrs`) and give the
    tolerances per bound (``solver_tolerances_per_bound``)."""
    out: Vars = {}
    tols: dict[str, Any] = {}
    results = []
    chsh = bx.chsh_coefficients()
    achieved = {
        "chsh": float(bx.bell_value(chsh, tsirelson_box())),
        "hardy": hardy_conditions(hardy_box())["success"],
    }
    for lev in levels:
        tag = _level_tag(lev)
        for kind, r in (
            ("chsh", npa.npa_upper_bound(chsh, lev, solver=solver, achieved=achieved["chsh"])),
            (
                "hardy",
                npa.npa_upper_bound(
                    hardy_objective(),
                    lev,
                    solver=solver,
                    equalities=hardy_zero_conditions(),
                    achieved=achieved["hardy"],
                ),
            ),
        ):
            name = f"{kind}_level{tag}"
            cert = json.dumps(r.certificate, sort_keys=True, default=str)
            out[name] = _v(r.value, f"NPA level {lev} bound (primal objective)")
            out[f"{name}_dual"] = _v(r.dual, f"NPA level {lev} dual objective")
            out[f"{name}_certified"] = _v(
                r.certified, f"NPA level {lev} certified upper bound", certificate=cert
            )
            out[f"{name}_bracket"] = _v(
                _bracket(r.certified, achieved[kind]), "certified bound - explicit value"
            )
            tols[name] = r.tolerances
            results.append(r)
    attrs = summary_attrs(results)
    attrs["solver_tolerances_per_bound"] = json.dumps(tols, sort_keys=True)
    return _ds(out, **attrs)


def _observable_correlators(psi: np.ndarray, A: list, B: list) -> np.ndarray:
    """``<psi| O_x (x) O_y |psi>`` with ``O = P_0 - P_1`` (a route without boxes), shape
    ``(3, 3)``: index 0 is the identity (marginals in row/column 0)."""
    OA = [np.eye(2)] + [a[0] - a[1] for a in A]
    OB = [np.eye(2)] + [b[0] - b[1] for b in B]
    return np.array([[np.real(np.vdot(psi, np.kron(a, b) @ psi)) for b in OB] for a in OA])


def eq3_realisations() -> xr.Dataset:
    """Eq. (3a)/(3b): the realisations of ``P_T`` and ``P_H`` and their checks, and the state
    parameter of Eq. (3b) (printed: a typo).

    Routes: boxes from the projectors (:func:`bellflow.boxes.box_from_quantum`). Checks:
    correlators ``<psi|X (x) Y|psi>`` of the observables (CHSH of ``P_T``, ``P_T =
    PR_{1/sqrt 2}``), the closed form ``q(a)`` for the success of ``P_H``, amplitudes
    ``<00|psi_H>``, ``<alpha 1|psi_H>``, ``<1 alpha|psi_H>`` for its zeros. The state parameter
    is found by numerical maximisation of the box's success over ``a``, checked against the
    closed form ``sqrt((3 - sqrt 5)/2)``; the printed formula is evaluated as printed.
    """
    from scipy.optimize import minimize_scalar

    psi_t, A_t, B_t = tsirelson_realisation()
    pT = tsirelson_box()
    E = _observable_correlators(psi_t, A_t, B_t)
    chsh_obs = E[1, 1] + E[1, 2] + E[2, 1] - E[2, 2]
    r = 1 / math.sqrt(2)
    target = np.array([[1.0, 0.0, 0.0], [0.0, r, r], [0.0, r, -r]])
    pH = hardy_box()
    h = hardy_conditions(pH)
    zeros_box = max(abs(h[k]) for k in ("p00_01", "p00_10", "p11_11"))
    psi_h, M, _ = hardy_realisation()
    alpha = np.linalg.eigh(M[1][0])[1][:, -1]
    one = np.array([0.0, 1.0])
    amps = [psi_h[0], np.kron(alpha, one) @ psi_h, np.kron(one, alpha) @ psi_h]
    res = minimize_scalar(
        lambda a: -hardy_box(a)[0, 0, 0, 0],
        bounds=(1e-3, 1 / math.sqrt(2) - 1e-6),
        method="bounded",
        options={"xatol": 1e-12},
    )
    a_pr = hardy_state_parameter_printed()
    return _ds(
        {
            "chsh_tsirelson_box": _v(bx.bell_value(bx.chsh_coefficients(), pT), "CHSH of Eq. (3a)"),
            "chsh_tsirelson_observables_dev": _v(
                abs(bx.bell_value(bx.chsh_coefficients(), pT) - chsh_obs), "box vs observables"
            ),
            "tsirelson_equals_pr_eta": _v(
                float(np.abs(pT - bx.isotropic_box(1 / math.sqrt(2))).max()),
                "max |P_T - PR_{1/sqrt 2}| (boxes)",
            ),
            "tsirelson_correlators_dev": _v(
                float(np.abs(E - target).max()), "max |<X_x Y_y> - PR_{1/sqrt 2} correlators|"
            ),
            "hardy_box_success": _v(h["success"], "p(00|00) of the Eq. (3b) box"),
            "hardy_box_success_vs_formula": _v(
                abs(h["success"] - hardy_success_of_parameter(hardy_state_parameter())),
                "|box success - a^4 (1 - 2a^2)/(1 - a^2)^2|",
            ),
            "hardy_box_max_zero": _v(zeros_box, "largest Hardy zero of P_H (box)"),
            "hardy_zeros_amplitude_dev": _v(
                abs(zeros_box - max(abs(z) ** 2 for z in amps)), "box zeros vs amplitudes"
            ),
            "hardy_state_parameter": _v(
                float(res.x), "a maximising the Eq. (3b) success (numeric)"
            ),
            "hardy_a_numeric_vs_closed_form": _v(
                abs(float(res.x) - hardy_state_parameter()), "|numeric a - sqrt((3 - sqrt 5)/2)|"
            ),
            "hardy_a_printed": _v(a_pr, "a = ((5 - sqrt 3)/2)^(1/2), Eq. (3b) as printed"),
            "hardy_a_printed_c_squared": _v(1 - 2 * a_pr**2, "1 - 2a^2 at the printed a (< 0)"),
        }
    )


def lemma1(dims: Sequence[int] = (2, 3, 4, 8), samples: int = 5, seed: int = 0) -> xr.Dataset:
    """Lemma 1: ``(X (x) Y)|phi_d^+> = (I_d (x) Y X^T)|phi_d^+>`` for random complex ``X, Y``
    (:func:`~bellflow.interconversion.polytope.lemma1_residual`); check: the index route."""
    r = lemma1_residual(tuple(dims), samples=samples, seed=seed)
    return _ds(
        {
            "lemma1_residual": _v(r["lemma"], "max |(X (x) Y) phi - (1 (x) Y X^T) phi| / |X||Y|"),
            "lemma1_index_route_dev": _v(
                r["index_route"], "max |(X (x) Y) phi - vec(X Y^T)/sqrt d|"
            ),
        }
    )


def corollary1_expansion(
    box: ArrayLike, local: ArrayLike, lam: float, copies: int = 4
) -> xr.Dataset:
    """Proof of Corollary 1: ``[lambda P + (1 - lambda) L]^{(x) N} = sum_k lambda^k
    (1 - lambda)^{N - k} Pi_k{P^{(x) k} (x) L^{(x) (N - k)}}`` (all placements of ``k``
    copies of ``P``), for ``N = 1..copies``. Route 1: the Kronecker power of the mixture;
    route 2: the sum over placements. Returns the largest difference."""
    if not 0 <= lam <= 1:
        raise ValueError(f"lam must lie in [0, 1], got {lam!r}")
    P = np.asarray(box, dtype=float).reshape(-1)
    L = np.asarray(local, dtype=float).reshape(-1)
    worst = 0.0
    for N in range(1, int(copies) + 1):
        mix: np.ndarray = np.ones(1)
        for _ in range(N):
            mix = np.kron(mix, lam * P + (1 - lam) * L)
        total = np.zeros_like(mix)
        for pattern in itertools.product((0, 1), repeat=N):
            term: np.ndarray = np.ones(1)
            for use_p in pattern:
                term = np.kron(term, P if use_p else L)
            k = sum(pattern)
            total += lam**k * (1 - lam) ** (N - k) * term
        worst = max(worst, float(np.abs(mix - total).max()))
    return _ds(
        {"corollary1_expansion_residual": _v(worst, f"max over N <= {copies} of the difference")}
    )


def extremality(
    mus: Sequence[float], level: str | int = "1+AB", max_exponent: float = -0.5
) -> xr.Dataset:
    """Text before Eq. (3): ``P_T`` and ``P_H`` are extreme points of ``Q``, through exposure
    (see :mod:`bellflow.interconversion.selftest`): the face of maximal CHSH (``P_T``) and of
    maximal Hardy success with the zeros (``P_H``) lies in a box of width
    ``~ mu^kappa`` for every penalty ``mu`` (:func:`~bellflow.interconversion.selftest.
    face_width`); the claim is ``kappa <= max_exponent`` for both (width -> 0: the face is one
    point). Control that the method can fail: ``p(00|00)`` alone, whose maximal face
    (``p(00|00) = 1``) is not a point (``kappa ~ 0``). Checks: ``P_T`` satisfies the TLM
    equality with zero marginals (``|TLM - pi| + max |marginal|``, the analytic criterion for
    extreme points with zero marginals); the box of ``P_H``'s face is centred on the Eq. (3b)
    box (largest ``|midpoint - P_H|`` at the largest ``mu``)."""
    from bellflow.interconversion.selftest import (
        box_coordinates,
        decay_exponent,
        face_width,
        tlm_value,
    )

    mu = np.asarray(mus, dtype=float)
    pT, pH = tsirelson_box(), hardy_box()
    chsh = bx.chsh_coefficients()
    ft = face_width(chsh, float(bx.bell_value(chsh, pT)), mu, level=level)
    zeros = hardy_zero_conditions()
    fh = face_width(hardy_objective(), pH[0, 0, 0, 0], mu, zeros=zeros, level=level)
    fc = face_width(hardy_objective(), 1.0, mu, level=level)
    kt, kh, kc = (decay_exponent(mu, f["width"]) for f in (ft, fh, fc))
    coords_h = np.array([np.sum(c * pH) for _, c in box_coordinates()])
    tlm = tlm_value(pT)
    d = ("mu",)
    return _ds(
        {
            "face_width_PT": _v(ft["width"], "width of the box holding the max-CHSH face", d),
            "face_width_PH": _v(fh["width"], "width of the box holding the max-Hardy face", d),
            "face_width_control": _v(fc["width"], "same for max p(00|00) without zeros", d),
            "exponent_PT": _v(kt, "kappa of width ~ mu^kappa, P_T"),
            "exponent_PH": _v(kh, "kappa of width ~ mu^kappa, P_H"),
            "exponent_control": _v(kc, "kappa of the control (a face that is not a point)"),
            "PT_extreme": _v(bool(kt <= max_exponent), f"kappa(P_T) <= {max_exponent}"),
            "PH_extreme": _v(bool(kh <= max_exponent), f"kappa(P_H) <= {max_exponent}"),
            "control_not_extreme": _v(bool(kc > max_exponent), "control kappa above the threshold"),
            "PT_tlm_dev": _v(
                abs(tlm["tlm"] - math.pi) + tlm["max_marginal"], "|TLM(P_T) - pi| + max |marginal|"
            ),
            "PH_face_vs_box": _v(
                float(np.abs(fh["mid"][-1] - coords_h).max()), "face-box midpoint vs P_H (max mu)"
            ),
        },
        {"mu": mu},
        **summary_attrs(ft["results"] + fh["results"] + fc["results"]),
    )


def self_testing(dims: Sequence[int] = (2, 3, 4), restarts: int = 5, seed: int = 0) -> xr.Dataset:
    """Proof of Proposition 2: ``P_T`` self-tests ``|phi_2^+>``. Route: realisations of
    maximal CHSH found by a see-saw over states and +-1 observables in local dimension ``d``
    (no structure imposed), mapped by the swap isometry: the extracted two qubits are
    ``|phi_2^+>`` (fidelity 1). Control: ``|psi_H>`` with its CHSH-optimal measurements
    (CHSH below ``2 sqrt 2``) extracts a state with fidelity below 1. Check: the
    sum-of-squares identity ``2 sqrt 2 - W = SOS`` for random observables (the algebraic
    proof of the self-test)."""
    from bellflow.interconversion.selftest import chsh_seesaw, chsh_sos_residual, swap_fidelity

    fid, gap = [], []
    for d in dims:
        r = chsh_seesaw(int(d), restarts=restarts, seed=seed + int(d))
        fid.append(swap_fidelity(r["psi"], r["A"], r["B"]))
        gap.append(2 * math.sqrt(2) - r["value"])
    psi_h = hardy_realisation()[0]
    ctrl = chsh_seesaw(2, psi=psi_h, restarts=restarts, seed=seed)
    ctrl_f = swap_fidelity(psi_h, ctrl["A"], ctrl["B"])
    dd = ("d",)
    return _ds(
        {
            "selftest_fidelity": _v(np.array(fid), "swap-isometry fidelity with phi+", dd),
            "selftest_chsh_gap": _v(
                np.array(gap), "2 sqrt 2 - CHSH of the see-saw realisation", dd
            ),
            "selftest_min_fidelity": _v(min(fid), "smallest fidelity over d"),
            "selftest_phi_plus": _v(
                bool(min(fid) > 1 - 1e-6 and max(gap) < 1e-9), "every realisation gives phi+"
            ),
            "selftest_control_fidelity": _v(ctrl_f, "same on psi_H (CHSH-optimal measurements)"),
            "chsh_sos_residual": _v(chsh_sos_residual(), "max entry of 2 sqrt 2 - W - SOS"),
        },
        {"d": np.array([int(d) for d in dims])},
    )


def isotropic_thresholds(bisection_tol: float = 1e-7, level: str | int = "1+AB") -> xr.Dataset:
    """Text above Theorem 3: ``PR_eta`` is local for ``eta <= 1/2`` and quantum for
    ``eta <= 1/sqrt 2``. Routes: bisection on LP / NPA membership. Checks: the LP visibility
    of the PR box (local), the Tsirelson-Landau-Masanes criterion (quantum, analytic)."""
    from bellflow.interconversion.thresholds import isotropic_threshold, tlm_isotropic_threshold

    loc = isotropic_threshold("local", tol=bisection_tol)
    qu = isotropic_threshold("quantum", tol=bisection_tol, level=level)
    pr = bx.pr_boxes()[0]
    vis_l = bx.local_visibility(pr).value
    vis_q = npa.npa_visibility(pr, level).value
    tlm = tlm_isotropic_threshold()
    return _ds(
        {
            "eta_local": _v(loc.value, "local threshold of PR_eta, LP bisection (midpoint)"),
            "eta_local_lo": _v(loc.lo, "largest eta found local"),
            "eta_local_hi": _v(loc.hi, "smallest eta found nonlocal"),
            "eta_quantum": _v(qu.value, f"NPA {level} threshold of PR_eta, bisection (midpoint)"),
            "eta_quantum_lo": _v(qu.lo, "largest eta found in the NPA set"),
            "eta_quantum_hi": _v(qu.hi, "smallest eta found outside the NPA set"),
            "eta_local_visibility": _v(vis_l, "LP visibility of the PR box (direct route)"),
            "eta_quantum_visibility": _v(vis_q, "NPA visibility of the PR box (direct)"),
            "eta_quantum_tlm": _v(tlm, "TLM criterion, root finding (analytic route)"),
            "eta_local_vs_visibility": _v(abs(loc.value - vis_l), "|bisection - LP visibility|"),
            "eta_quantum_vs_tlm": _v(abs(qu.value - tlm), "|NPA bisection - TLM|"),
            "bisection_tol": _v(bisection_tol, "bracket width at which bisection stops"),
            "steps_local": _v(loc.steps, "membership tests (local)"),
            "steps_quantum": _v(qu.steps, "membership tests (quantum)"),
        },
        **qu.solver,
        bisection_solver_local=json.dumps(loc.solver, default=str),
    )


def proposition1(claim_tol: float, **seesaw: Any) -> xr.Dataset:
    """Proposition 1: no Hardy nonlocality from ``|phi_2^+>^{(x) n}``. Route: see-saw
    (:func:`~bellflow.interconversion.seesaw.prop1_copies`), claim ``max_n J <= claim_tol``.
    Check (a positive control of the same optimiser): on ``|psi_H>`` the penalised optimum
    ``J`` is at least the success of ``P_H`` (``max(0, q(P_H) - J)``, zero unless the
    see-saw misses Hardy's paradox where it exists)."""
    from bellflow.interconversion.seesaw import prop1_copies

    p1 = prop1_copies(**seesaw)
    c = ("copies",)
    q_h = hardy_conditions(hardy_box())["success"]
    return _ds(
        {
            "prop1_J": _v(p1["J"].values, "max of p(00|00) - mu * zeros, |phi+>^n", c),
            "prop1_success": _v(p1["success"].values, "Hardy success there", c),
            "prop1_zeros": _v(p1["zeros"].values, "sum of Hardy zeros there", c),
            "prop1_control_J": _v(float(p1["control_J"]), "same optimisation on |psi_H> (control)"),
            "prop1_control_shortfall": _v(
            max(0.0, q_h - float(p1["control_J"])), "max(0, q(P_H) - control J)"
        ),
        "prop1_no_hardy": _v(
                bool(np.abs(p1["J"].values).max() <= float(claim_tol)), "J <= tol for every n"
            ),
        },
        {"copies": p1["copies"].values},
    )


def proposition2(n_max: int, n_dense: int, rtol: float) -> xr.Dataset:
    """Proposition 2, Eq. (7): for ``|psi_H>^{(x) n}``, ``n = 1..n_max``, the spectrum of
    ``rho_A^{(x) n}`` is at a positive l1 distance from every spectrum of the right side of
    Eq. (7) (:func:`~bellflow.interconversion.spectra.eq7_distance`, computed from the dense
    reduced state for ``n <= n_dense``): claim ``min_n distance > 1e-9``. Control: the same
    distance for ``|phi_2^+>^{(x) n}`` is 0. Check: dense vs product-formula distance."""
    from bellflow.interconversion.realisations import phi_plus
    from bellflow.interconversion.spectra import eq7_distance, power_spectrum_dense, prop2_spectra

    p2 = prop2_spectra(n_max, n_dense=n_dense, rtol=rtol)
    n = ("n",)
    dist = p2["eq7_distance"].values
    ctrl = max(eq7_distance(power_spectrum_dense(phi_plus(2), k)) for k in range(1, 5))
    out = {
        f"prop2_{k}": _v(p2[k].values, p2[k].attrs["description"], n)
        for k in ("evenly_degenerate", "top_multiplicity", "odd_clusters", "dense_vs_product")
    }
    out.update(
        {
            "prop2_eq7_distance": _v(dist, "l1 distance to I/2 (x) rho_zeta", n),
            "prop2_min_distance": _v(dist.min(), "smallest distance over n"),
            "prop2_distance_dense_vs_product": _v(
                np.nanmax(p2["eq7_distance_dense_vs_product"].values), "max over n <= n_dense"
            ),
            "prop2_schmidt_s": _v(float(p2["s"]), "Schmidt coefficient s of |psi_H>"),
            "prop2_condition_fails_all_n": _v(
                bool(dist.min() > 1e-9), "Eq. (7) fails for every n (distance > 1e-9)"
            ),
            "prop2_control_distance": _v(ctrl, "distance for |phi+>^n, n <= 4 (must be 0)"),
            "prop2_control_ok": _v(bool(p2["control_ok"]), "I/2 (x) rho_zeta passes"),
        }
    )
    return _ds(out, {"n": p2["n"].values})


def theorem2(s_values: ArrayLike, n_max: int = 8) -> xr.Dataset:
    """Theorem 2 (Supplemental Material): every pair ``P_{phi_2^+}``, ``P_psi^st`` is
    asymptotically inequivalent: for two-qubit ``psi`` of Schmidt coefficient ``s`` in
    ``(1/2, 1)``, ``psi^{(x) n}`` cannot become ``|phi_2^+> (x) zeta`` (Eq. 7 distance > 0)
    and ``|phi_2^+>^{(x) n}`` cannot become ``psi (x) zeta`` (ratio gap > 0), by
    :func:`~bellflow.interconversion.spectra.theorem2_spectra` on the grid of ``s`` and
    ``n <= n_max``. Check: the same on ``s = 1/2`` gives 0 for both (the test can fail)."""
    from bellflow.interconversion.spectra import theorem2_spectra

    sv = np.asarray(s_values, dtype=float)
    if np.any(sv <= 0.5) or np.any(sv >= 1):
        raise ValueError("s_values must lie in (1/2, 1): non-maximally entangled states")
    t = theorem2_spectra(sv, n_max)
    ctrl = theorem2_spectra([0.5], min(int(n_max), 4))
    d = t["distance"].values
    return _ds(
        {
            "theorem2_min_distance": _v(d.min(), "min over s, n of the Eq. (7) distance"),
            "theorem2_min_ratio_gap": _v(t["ratio_gap"].values.min(), "min over s of the gap"),
            "theorem2_inequivalent": _v(
                bool(d.min() > 1e-9 and t["ratio_gap"].values.min() > 1e-9), "both directions fail"
            ),
            "theorem2_control": _v(
                float(ctrl["distance"].values.max() + ctrl["ratio_gap"].values.max()),
                "both quantities at s = 1/2 (must be 0)",
            ),
            "theorem2_dense_vs_product": _v(
            t["dense_vs_product"].values.max(), "max |distance(dense) - distance(product)|"
        ),
        "theorem2_s_min": _v(sv.min(), "smallest s of the grid"),
            "theorem2_s_max": _v(sv.max(), "largest s of the grid"),
        }
    )
