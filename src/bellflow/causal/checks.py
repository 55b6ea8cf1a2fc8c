"""Paper checks of paper 001, one function per paper section (reproduction table)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from bellflow.causal.certificates import (
    biased_lgyni_certificate_threshold,
    biased_lgyni_dual_certificate,
    biased_lgyni_no_violation_threshold,
    biased_ocb_dual_certificate,
    ocb_instruments,
    ocb_process_matrix,
)
from bellflow.causal.games import (
    algebraic_maximum,
    biased_lgyni_coefficients,
    causal_bound,
    causal_bound_lp,
    correlation_value,
    gyni_coefficients,
    lgyni_coefficients,
    ocb_coefficients,
    ocb_trigger_coefficients,
)
from bellflow.causal.scans import biased_ocb_scan
from bellflow.causal.sdp import ico_bound_decomposition, ico_bound_single_trigger
from bellflow.causal.supermaps import (
    classical_supermap_admissible_birkhoff,
    gyni_bistochastic_strategy,
    nary_signalling_strategy,
    supermap_probabilities,
    two_setting_deterministic_coverage,
)
from bellflow.causal.triggers import single_trigger_operator


def game_checks(biased_ocb_alphas: Sequence[float] = ()) -> dict[str, float]:
    """The paper's numbers for the named games, computed (reproduction table, ``games.h5``).

    Causal bounds (best response and LP), algebraic maxima, the LGYNI single-trigger bound
    (Eq. 3) with the full-space re-checks of its optimal process and certificate, the GYNI and
    OCB decomposition bounds (Eq. 28), the value of the explicit OCB process (Eq. 41), the
    biased OCB bound (Eq. 30 + Lemma 1) at ``biased_ocb_alphas``, and the Appendix B
    certificate checks (Eq. 33 typo). Solver gaps are included (``*_gap``).
    """
    from bellflow.process import born_probabilities, nosignalling_span_residual
    from bellflow.process import process_matrix_residual as pm_res

    out: dict[str, float] = {}
    games = {"lgyni": lgyni_coefficients(), "gyni": gyni_coefficients(), "ocb": ocb_coefficients()}
    for name, g in games.items():
        out[f"{name}_causal"] = causal_bound(g)
        out[f"{name}_causal_lp"] = causal_bound_lp(g).value
        out[f"{name}_algebraic"] = algebraic_maximum(g)
    g = games["lgyni"]
    r = ico_bound_single_trigger(g, return_process=True, return_certificate=True)
    om = single_trigger_operator(g, r.extra["triggers"])
    out["lgyni_ico"] = r.value
    out["lgyni_ico_dual"] = r.dual
    out["lgyni_ico_gap"] = r.gap
    out["lgyni_process_residual"] = pm_res(r.extra["process"], [2, 2], [4, 4])
    out["lgyni_process_min_eig"] = float(np.linalg.eigvalsh(r.extra["process"]).min())
    c = r.extra["certificate"]
    out["lgyni_certificate_nosig_residual"] = nosignalling_span_residual(c, [2, 2], [4, 4])
    out["lgyni_certificate_min_eig"] = float(np.linalg.eigvalsh(c - om).min())
    for name in ("gyni", "ocb"):
        r = ico_bound_decomposition(games[name])
        out[f"{name}_ico_decomposition"] = r.value
        out[f"{name}_ico_decomposition_dual"] = r.dual
        out[f"{name}_ico_decomposition_gap"] = r.gap
    ma, nb = ocb_instruments()
    p = born_probabilities(ocb_process_matrix(1.0), [ma, nb])
    out["ocb_process_value"] = correlation_value(games["ocb"], np.real(p))
    for a in biased_ocb_alphas:
        s = biased_ocb_scan([a])
        out[f"biased_ocb_ico_alpha_{a:g}"] = float(s["ico"][0])
        out[f"biased_ocb_process_alpha_{a:g}"] = float(s["process"][0])
    # Appendix B certificate (alpha = 1, x* = b* = 0)
    cb, om_printed, eta = biased_ocb_dual_certificate(1.0, 0, 0)
    om_true = single_trigger_operator(ocb_trigger_coefficients(1.0, 0, 0), (0, 1))
    out["appb_certificate_eta"] = eta
    out["appb_certificate_nosig_residual"] = nosignalling_span_residual(cb, [2, 2], [4, 8])
    out["appb_certificate_min_eig_printed_omega"] = float(np.linalg.eigvalsh(cb - om_printed).min())
    out["appb_certificate_min_eig_canonical_omega"] = float(np.linalg.eigvalsh(cb - om_true).min())
    out["appb_omega_printed_minus_canonical"] = float(np.max(np.abs(om_printed - om_true)))
    return out


def lgyni_threshold_checks(
    certificate_alphas: Sequence[float], *, tol: float = 1e-5, gap_tol: float = 1e-7
) -> dict[str, float]:
    """Biased LGYNI thresholds of Appendix C (``lgyni_thresholds.h5``).

    ``no_violation_threshold`` (bisection on the SDP, "about 0.188"), ``certificate_threshold``
    (the root of Eq. 69, ``(4 - sqrt 5)/11``), and for each ``alpha`` in ``certificate_alphas``
    the worst residuals of the Appendix C certificate (``max_certificate_*``) and the largest
    ``|Tr C / 4 - (1 - alpha)|`` against the SDP bound.
    """
    from bellflow.process import nosignalling_span_residual

    thr, evals = biased_lgyni_no_violation_threshold(tol=tol, gap_tol=gap_tol)
    out = {
        "no_violation_threshold": thr,
        "no_violation_bisection_steps": float(len(evals)),
        "certificate_threshold": biased_lgyni_certificate_threshold(),
    }
    worst_ns, worst_eig, worst_eta = 0.0, 0.0, 0.0
    for a in certificate_alphas:
        c, om, eta = biased_lgyni_dual_certificate(a)
        worst_ns = max(worst_ns, nosignalling_span_residual(c, [2, 2], [4, 4]))
        worst_eig = min(worst_eig, float(np.linalg.eigvalsh(c - om).min()))
        sdp = ico_bound_single_trigger(biased_lgyni_coefficients(a), (1, 1)).value
        worst_eta = max(
            worst_eta, abs(eta - sdp), abs(eta - causal_bound(biased_lgyni_coefficients(a)))
        )
    out["max_certificate_nosig_residual"] = worst_ns
    out["min_certificate_eig"] = worst_eig
    out["max_certificate_vs_sdp_and_causal"] = worst_eta
    return out


def bistochastic_checks(n_values: Sequence[int] = (2, 3, 4)) -> dict[str, float]:
    """Bistochastic theories (Eq. 8, Eq. 12, Eq. 86, Appendix E), for ``bistochastic.h5``.

    ``gyni_supermap_admissible`` (Eq. 12) and ``gyni_supermap_admissible_birkhoff`` (definition),
    ``gyni_success`` (with the Eq. 8 instruments); for each ``n``: ``nary_{n}_admissible``
    (Eq. 12), ``nary_{n}_admissible_birkhoff`` and ``nary_{n}_signalling`` (success of the
    ``n``-setting GYNI game, 1 = perfect two-way signalling); ``eq89_admissible``,
    ``eq90_n_deterministic``, ``eq90_max_deviation`` from
    :func:`two_setting_deterministic_coverage`. Booleans as 0/1 floats.
    """
    from bellflow.process import is_admissible_bistochastic_supermap

    s, ma, mb = gyni_bistochastic_strategy()
    out = {
        "gyni_supermap_admissible": float(is_admissible_bistochastic_supermap(s, 2, 2)),
        "gyni_supermap_admissible_birkhoff": float(classical_supermap_admissible_birkhoff(s, 2)),
        "gyni_success": correlation_value(gyni_coefficients(), supermap_probabilities(s, ma, mb)),
    }
    for n in n_values:
        s, ma, mb = nary_signalling_strategy(n)
        out[f"nary_{n}_admissible"] = float(is_admissible_bistochastic_supermap(s, n, n))
        out[f"nary_{n}_admissible_birkhoff"] = float(classical_supermap_admissible_birkhoff(s, n))
        out[f"nary_{n}_signalling"] = correlation_value(
            gyni_coefficients(n), supermap_probabilities(s, ma, mb)
        )
    cov = two_setting_deterministic_coverage()
    out["eq89_admissible"] = cov["admissible"]
    out["eq90_n_deterministic"] = cov["n_deterministic"]
    out["eq90_max_deviation"] = cov["max_deviation"]
    return out
