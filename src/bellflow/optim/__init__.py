"""Checked optimisation: every solve reports its status, a non-optimal one raises, and a bound
comes with a certificate.

All SDPs and LPs of bellflow go through :func:`solve_sdp` (cvxpy) or :func:`solve_lp`
(scipy HiGHS). They return an :class:`OptResult` with the optimal value, the solver name,
status, primal and dual objective values, the settings used and, when an a-priori bound on the
variables is known, a **certified** bound valid for the exact problem.

Modules: :mod:`~bellflow.optim.results` (``OptResult``, errors, HDF5 records),
:mod:`~bellflow.optim.sdp` (``solve_sdp``), :mod:`~bellflow.optim.conic` (the SDP certificate),
:mod:`~bellflow.optim.lp` (``solve_lp``).

Certificate of an SDP (method ``"repaired dual"``, used by every SDP of the library)
----------------------------------------------------------------------------------------
cvxpy hands the solver the conic problem ``min c.x + d  s.t.  A x + s = b, s in K``; the dual is
``max -b.z + d  s.t.  A^T z + c = 0, z in K*``. The solver's dual point ``z`` is repaired into
the dual cone ``K* = K``: zero cone entries stay (free), nonnegative entries are clipped at 0,
each PSD block (Clarabel/SCS triangle with ``sqrt 2`` off-diagonal scaling) is unpacked, its
negative eigenvalues are set to zero and it is shifted by ``delta I`` with
``delta = 8 (n + 1) eps max|lambda|`` so that rounding of the reconstruction cannot leave it
outside the cone; second-order cone blocks get their first entry raised to the norm of the
rest. With ``r = A^T z + c`` every feasible ``x`` satisfies (weak duality, ``z.s >= 0``)

    c.x + d  >=  -b.z + d + r.x  >=  -b.z + d - sum_i |r_i| xbound_i - margin,

where ``xbound_i`` bounds ``|x_i|`` over the feasible set (from ``var_bound``) and ``margin``
bounds the floating-point error of the products (``gamma_k = k eps / (1 - k eps)`` times
``|b|.|z| + (|A|^T |z| + |c|).xbound``, with ``k`` the longest dot product; it also covers the
rounding of ``sqrt 2`` in the data). For a maximisation cvxpy minimises ``-f`` and the sign is
mapped back, so ``certified`` is an upper bound for a maximisation and a lower bound for a
minimisation. Auxiliary variables that cvxpy creates (e.g. for a norm) carry no a-priori bound:
they are allowed only where their residual entries are exactly zero. When there are none, the
repaired point is polished by ``bellflow.optim.conic.POLISH_ROUNDS`` rounds of alternating
projection (least-norm step onto ``A^T z + c = 0``, then the repair above) and the best bound
is kept: any point of the cone gives a valid bound, polishing only makes it tighter
(first-order solvers gain the most).

Certificate of an LP (method ``"dual with bounds"``, Neumaier-Shcherbina)
---------------------------------------------------------------------------
For ``min c.x s.t. A_ub x <= b_ub, A_eq x = b_eq, lb <= x <= ub`` and any ``y_eq``,
``y_ub <= 0`` (HiGHS marginals, the latter clipped at 0):
``c.x >= b.y + sum_i min_{x_i in [lb_i, ub_i]} (c - A^T y)_i x_i`` minus a rounding margin;
an unbounded variable whose reduced cost has the wrong sign (beyond its rounding level) gives
``-inf``. A reduced cost within its rounding level counts as zero; for a variable with a finite
bound the margin pays for it, for an unbounded one it is not paid for (counted in
``certificate["n_unbounded_at_rounding_level"]``; pass ``var_bound`` to close that gap).

Examples
--------
>>> import cvxpy as cp
>>> X = cp.Variable((2, 2), symmetric=True)
>>> prob = cp.Problem(cp.Maximize(X[0, 1]), [X >> 0, cp.trace(X) == 1])
>>> res = solve_sdp(prob, name="toy", var_bound=1.0)   # |X_ij| <= trace = 1
>>> round(res.value, 6), 0.5 <= res.certified < 0.5 + 1e-6
(0.5, True)
"""

from __future__ import annotations

from bellflow.optim.lp import solve_lp
from bellflow.optim.results import (
    DEFAULT_SDP_TOL,
    CertificateError,
    OptResult,
    SolverError,
    record,
    summary_attrs,
)
from bellflow.optim.sdp import solve_sdp

__all__ = [
    "OptResult",
    "SolverError",
    "CertificateError",
    "solve_sdp",
    "solve_lp",
    "record",
    "summary_attrs",
    "DEFAULT_SDP_TOL",
]
