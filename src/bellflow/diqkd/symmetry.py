"""Relabelling symmetries of paper 002's family (a dihedral group of order ``2d``).

Rotation ``r``: ``a -> a + 1`` for both of Alice's settings, Bob's ``y = (j, k) ->
(j + 1, k + 1)`` (indices mod d), outcomes of Bob fixed. The shift ``X`` commutes with the
circulant ``U_eps`` (Eq. 17), maps ``|j> -> |j+1>``, ``|e_k> -> |e_{k+1}>``, and
``X (x) X |phi_d^+> = |phi_d^+>``.

Reflection ``s``: Alice's settings swapped with ``a -> -a``, Bob's ``(j, k) -> (-k, -j)`` with
his outcomes 0 and 1 swapped. The antiunitary ``W = U_eps R K`` (``R|j> = |-j>``, ``K`` complex
conjugation) maps ``|k> -> |e_{-k}>`` and ``|e_k> -> |-k>`` (``U^* = R U^dagger R``), so Bob's
``P - Q`` of setting ``(j, k)`` becomes ``-(P' - Q')`` of setting ``(-k, -j)``; the box of
``|phi_d^+>`` (``tr(A B^T) / d``, real) is unchanged. ``s r s = r^-1``. Both are checked on the
box by the tests (:func:`bellflow.npa.symmetry.is_symmetry`).
"""

from __future__ import annotations

from bellflow.diqkd.construction import _check_d
from bellflow.npa.symmetry import Relabelling


def family_symmetry(d: int) -> tuple[Relabelling, Relabelling]:
    """The rotation ``r`` and reflection ``s`` (module docstring) for boxes of shape
    ``(d, 3, 2, d**2)``; they generate a dihedral group of order ``2d``."""
    d = _check_d(d)
    rot = tuple((a + 1) % d for a in range(d))
    ref = tuple((-a) % d for a in range(d))
    ident_b = (0, 1, 2)
    r = Relabelling(
        xperm=(0, 1),
        aperm=(rot, rot),
        yperm=tuple(((j + 1) % d) * d + (k + 1) % d for j in range(d) for k in range(d)),
        bperm=(ident_b,) * d**2,
    )
    s = Relabelling(
        xperm=(1, 0),
        aperm=(ref, ref),
        yperm=tuple(((-k) % d) * d + (-j) % d for j in range(d) for k in range(d)),
        bperm=((1, 0, 2),) * d**2,
    )
    return r, s
