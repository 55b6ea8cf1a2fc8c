"""Bistochastic classical theory (Eq. 8, Methods Eq. 12, Appendices D-E)."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from functools import reduce

import numpy as np

from bellflow.causal.certificates import _kron


def classical_supermap(rule: Callable[[int, int], tuple[int, int]], d: int) -> np.ndarray:
    """Deterministic classical supermap as a diagonal operator on ``(A_in, A_out, B_in, B_out)``.

    ``rule(s1p, s2p) -> (s1, s2)`` maps the parties' final values to their initial values
    (Eqs. 8 and 88); ``S = sum_{s1', s2'} |s1><s1| (x) |s1'><s1'| (x) |s2><s2| (x) |s2'><s2'|``
    (Eq. 87 with ``S_{ijkl} = 1`` for ``(i, j, k, l) = (s1, s1', s2, s2')``).
    """
    d = int(d)
    if d < 1:
        raise ValueError(f"d must be >= 1, got {d}")
    diag = np.zeros((d, d, d, d))
    for s1p, s2p in itertools.product(range(d), repeat=2):
        s1, s2 = rule(s1p, s2p)
        if not (0 <= s1 < d and 0 <= s2 < d):
            raise ValueError(f"rule returned values outside range({d}): {(s1, s2)}")
        diag[s1, s1p, s2, s2p] += 1.0
    return np.diag(diag.reshape(-1))


def classical_instrument(
    rule: Callable[[int, int], tuple[int, int]], d: int, m: int, n: int
) -> np.ndarray:
    """Deterministic classical instrument ``q_{a|x}(s'|s)`` as Choi operators ``M[a, x]``.

    ``rule(s, x) -> (a, s')``; ``M[a, x] = sum_s [rule(s, x) = (a, s')] |s><s| (x) |s'><s'|``
    (input first). Shape ``(m, n, d*d, d*d)``. Bistochastic iff ``s -> s'`` is a permutation
    for every ``x`` (checked; a ``ValueError`` otherwise).
    """
    out = np.zeros((m, n, d * d, d * d))
    for x in range(n):
        image = []
        for s in range(d):
            a, sp_ = rule(s, x)
            out[a, x, s * d + sp_, s * d + sp_] += 1.0
            image.append(sp_)
        if sorted(image) != list(range(d)):
            raise ValueError(f"instrument is not bistochastic for setting {x}: s' = {image}")
    return out


def gyni_bistochastic_strategy() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The classical bistochastic strategy that wins GYNI with certainty (main text, Eq. 8).

    Process ``s1 = s1' xor s2'``, ``s2 = s1' xor s2'`` (Eq. 8; the extreme point of Eq. 86);
    instruments ``s_i' = s_i xor x_i``, outcome ``a_i = s_i'``. Returns ``(S, M_A, M_B)``.
    """
    s = classical_supermap(lambda s1p, s2p: (s1p ^ s2p, s1p ^ s2p), 2)
    inst = classical_instrument(lambda si, x: (si ^ x, si ^ x), 2, 2, 2)
    return s, inst, inst.copy()


def nary_signalling_strategy(n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Two-way signalling of ``n``-ary digits (Appendix E, Eq. 88 and the instruments above it).

    Alice: ``s1' = (s1 - x1) mod n``, ``a1 = s1'``; Bob: ``s2' = (x2 - s2) mod n``,
    ``a2 = s2'``; process ``s1 = (s1' + s2') mod n``, ``s2 = (s1' - s2') mod n``. The paper
    states it is admissible for ``n <= 3`` and not for ``n = 4``. Returns ``(S, M_A, M_B)``.
    """
    n = int(n)
    if n < 2:
        raise ValueError(f"n must be >= 2, got {n}")
    s = classical_supermap(lambda s1p, s2p: ((s1p + s2p) % n, (s1p - s2p) % n), n)
    ma = classical_instrument(lambda s1, x: ((s1 - x) % n, (s1 - x) % n), n, n, n)
    mb = classical_instrument(lambda s2, x: ((x - s2) % n, (x - s2) % n), n, n, n)
    return s, ma, mb


def supermap_probabilities(s: np.ndarray, ma: np.ndarray, mb: np.ndarray) -> np.ndarray:
    """``p(a1, a2 | x1, x2) = Tr[S (M_{a1|x1} (x) N_{a2|x2})]`` (Methods, below Eq. 12)."""
    from bellflow.process import born_probabilities

    return born_probabilities(np.asarray(s).T, [ma, mb])


def classical_supermap_admissible_birkhoff(s: np.ndarray, d: int, *, tol: float = 1e-9) -> bool:
    """Classical admissibility by definition: ``sum S_{i j k l} q1(j|i) q2(l|k) = 1`` for every
    pair of bistochastic channels, checked on the permutation pairs (Birkhoff: they are the
    extreme points) together with ``S >= 0``. Independent of Eq. (12).
    """
    diag = np.real(np.diag(np.asarray(s))).reshape(d, d, d, d)
    if np.max(np.abs(np.asarray(s) - np.diag(np.diag(s)))) > tol or diag.min() < -tol:
        return False
    idx = np.arange(d)
    for p1 in itertools.permutations(range(d)):
        for p2 in itertools.permutations(range(d)):
            total = diag[idx[:, None], np.array(p1)[:, None], idx[None, :], np.array(p2)[None, :]]
            if abs(total.sum() - 1.0) > tol:
                return False
    return True


def shared_randomness_supermap(x: int, y: int, d: int) -> np.ndarray:
    """The supermap ``S_{x,y}`` of Eq. (89) (Appendix E, the (2,2,?) scenario).

    Eq. (89) is written on ``(A_O, B_O, A_I, B_I)``:
    ``(|xx><xx| + |yy><yy|) (x) (I - |y><y|) (x) |x><x|
    + (|xy><xy| + |yx><yx|) (x) |y><y| (x) (I - |x><x|)
    + (I - |x><x| - |y><y|)^{(x)2} (x) |y><y| (x) |x><x|``. Returned reordered to
    ``(A_I, A_O, B_I, B_O)`` (the convention of Eq. 12), dimension ``d`` per system.
    """
    d = int(d)
    if not (0 <= x < d and 0 <= y < d and x != y):
        raise ValueError(f"x and y must be distinct values in range({d}), got {x}, {y}")
    e = np.eye(d)

    def proj(*ks: int) -> np.ndarray:
        v = reduce(np.kron, [e[k] for k in ks])
        return np.outer(v, v)

    rest = e - proj(x) - proj(y)
    s = (
        _kron(proj(x, x) + proj(y, y), e - proj(y), proj(x))
        + _kron(proj(x, y) + proj(y, x), proj(y), e - proj(x))
        + _kron(rest, rest, proj(y), proj(x))
    )
    # (A_O, B_O, A_I, B_I) -> (A_I, A_O, B_I, B_O)
    return s.reshape([d] * 8).transpose([2, 0, 3, 1, 6, 4, 7, 5]).reshape(d**4, d**4)


def two_setting_instruments(f: np.ndarray, d: int) -> np.ndarray:
    """Classical instrument of Appendix E for two settings (even ``d``).

    With ``t = floor(s / 2)`` and ``z = (x + s) mod 2``: outcome ``a = f[t][x, z]``, output
    ``s' = 2 t + z``. ``f`` has shape ``(d/2, 2, 2)`` (outcome tables ``f^{(t)}(x, z)``) and
    binary or larger integer entries; returns ``M[a, x]`` (see :func:`classical_instrument`).
    """
    f = np.asarray(f, dtype=int)
    if d % 2 or f.shape != (d // 2, 2, 2) or f.min() < 0:
        raise ValueError(f"need even d and f of shape ({d // 2}, 2, 2) >= 0, got {f.shape}")
    m = int(f.max()) + 1

    def rule(s_in: int, x: int) -> tuple[int, int]:
        t, z = s_in // 2, (x + s_in) % 2
        return int(f[t, x, z]), 2 * t + z

    return classical_instrument(rule, d, max(m, 2), 2)


def two_setting_deterministic_coverage() -> dict[str, float]:
    """Appendix E, (2,2,?) scenario with binary outcomes and ``d = 2``: with ``S_{0,1}``
    (Eq. 89) and the instruments above, every pair of outcome tables ``f_1, f_2`` gives
    ``p = delta_{a1, f1(x1, x2)} delta_{a2, f2(x2, x1)}`` (Eq. 90). Checks all 16 x 16 pairs.

    Returns ``admissible`` (Eq. 12), ``n_deterministic`` (distinct deterministic distributions
    reached) and ``max_deviation`` from Eq. (90).
    """
    from bellflow.process import is_admissible_bistochastic_supermap

    s = shared_randomness_supermap(0, 1, 2)
    reached, dev = set(), 0.0
    tables = [np.array(b).reshape(1, 2, 2) for b in itertools.product(range(2), repeat=4)]
    for f1 in tables:
        ma = two_setting_instruments(f1, 2)
        for f2 in tables:
            p = supermap_probabilities(s, ma, two_setting_instruments(f2, 2))
            target = np.zeros((2, 2, 2, 2))
            for x1, x2 in itertools.product(range(2), repeat=2):
                target[f1[0, x1, x2], f2[0, x2, x1], x1, x2] = 1.0
            dev = max(dev, float(np.max(np.abs(p - target))))
            reached.add(tuple(np.round(p.ravel(), 9)))
    return {
        "admissible": float(is_admissible_bistochastic_supermap(s, 2, 2)),
        "n_deterministic": float(len(reached)),
        "max_deviation": dev,
    }


def _deterministic_supermaps_birkhoff() -> np.ndarray:
    """All 0/1 diagonals ``S[i, j, k, l]`` (qubits, Eq. 79) that are admissible by definition:
    ``sum_{i,k} S[i, p1(i), k, p2(k)] = 1`` for the four pairs of permutations (Birkhoff:
    the extreme bistochastic channels). Brute force over the 2^16 0/1 diagonals."""
    bits = (np.arange(2**16)[:, None] >> np.arange(15, -1, -1)[None, :]) & 1
    s = bits.reshape(-1, 2, 2, 2, 2)
    ok = np.ones(len(s), dtype=bool)
    idx = np.arange(2)
    for p1 in ((0, 1), (1, 0)):
        for p2 in ((0, 1), (1, 0)):
            tot = s[:, idx[:, None], np.array(p1)[:, None], idx[None, :], np.array(p2)[None, :]]
            ok &= tot.sum(axis=(1, 2)) == 1
    return np.asarray(s[ok], dtype=float)


def _signalling(s: np.ndarray) -> tuple[bool, bool]:
    """(A signals to B, B signals to A) for a qubit supermap diagonal ``S[i, j, k, l]``: with
    bistochastic instruments ``j = p_A(i)``, ``l = p_B(k)`` (permutations as settings), does
    the distribution of ``k`` depend on ``p_A`` (resp. of ``i`` on ``p_B``)?"""
    perms = (np.array([0, 1]), np.array([1, 0]))
    idx = np.arange(2)
    p = np.zeros((2, 2, 2, 2))  # p[pa, pb, i, k]
    for a, pa in enumerate(perms):
        for b, pb in enumerate(perms):
            p[a, b] = s[idx[:, None], pa[:, None], idx[None, :], pb[None, :]]
    bob = p.sum(axis=2)  # (pa, pb, k)
    alice = p.sum(axis=3)  # (pa, pb, i)
    return bool(np.ptp(bob, axis=0).max() > 0.5), bool(np.ptp(alice, axis=1).max() > 0.5)


def _fixed_time_directions(choice: tuple[int, ...]) -> bool:
    """Whether both parties have a fixed time direction in the supermap of Eqs. (82)-(85).

    Term ``m = 2 a + b`` (``a = i xor j``, ``b = k xor l``: the parties' bit flips) sets the
    inputs ``(i, k) = divmod(choice[m], 2)``. For a fixed setting of the other party, a party
    is used forwards when its input does not depend on its own flip (its output then does) and
    backwards when its output does not; the direction is fixed when it is the same for both
    settings of the other party, dynamically controlled otherwise (App. D classification).
    """
    i = {(m >> 1, m & 1): divmod(c, 2)[0] for m, c in enumerate(choice)}
    k = {(m >> 1, m & 1): divmod(c, 2)[1] for m, c in enumerate(choice)}
    alice = {b: i[0, b] == i[1, b] for b in (0, 1)}  # forward for this b?
    bob = {a: k[a, 0] == k[a, 1] for a in (0, 1)}
    return alice[0] == alice[1] and bob[0] == bob[1]


def _process_form(choice: tuple[int, ...]) -> tuple[bool, bool]:
    """Whether the supermap of Eqs. (82)-(85) is a deterministic process in some time frame.

    For each orientation of the two parties (forwards: the output ``j`` (``l``) is free and the
    input ``i`` (``k``) is determined; backwards: the reverse), the four terms define a
    function from the free pair to the determined pair when their free pairs are distinct.
    Returns ``(a process in some frame, ... of the form i = j xor l xor alpha, k = j xor l xor
    beta in that frame)`` (App. D: "2^4 of them ... through functions", the others "cannot be
    understood as stochastic processes").
    """
    terms = []
    for m, c in enumerate(choice):
        i, k = divmod(c, 2)
        terms.append((i, i ^ (m >> 1), k, k ^ (m & 1)))  # (i, j, k, l)
    process = xor = False
    for oa, ob in itertools.product((0, 1), repeat=2):
        free = [(t[1 - oa], t[3 - ob]) for t in terms]
        det = [(t[oa], t[2 + ob]) for t in terms]
        if len(set(free)) == 4:
            process = True
            pairs = zip(free, det, strict=True)
            offsets = {(d[0] ^ f[0] ^ f[1], d[1] ^ f[0] ^ f[1]) for f, d in pairs}
            xor = xor or len(offsets) == 1
    return process, xor


def appendix_d_extreme_points() -> dict[str, float]:
    """Appendix D, Eqs. (79)-(86): the deterministic classical bipartite supermaps on qubits.

    ``n_extreme_birkhoff``: number of 0/1 diagonals admissible by definition (Birkhoff route);
    ``n_extreme_eq82``: number of distinct supermaps built from Eqs. (82)-(85) (one term per
    parity class ``(i xor j, k xor l)``, each with a free ``(i_m, k_m)``);
    ``eq82_vs_birkhoff``: size of the symmetric difference of the two sets;
    ``eq82_admissible_eq12``: fraction of them admissible by Eq. (12); the signalling classes
    ``n_no_signalling``, ``n_one_way`` and ``n_two_way`` (signalling with permutation
    instruments, :func:`_signalling`), the one-way ones split into ``n_one_way_fixed_direction``
    and ``n_one_way_dynamic_direction`` (:func:`_fixed_time_directions`), the two-way ones into
    ``n_two_way_process`` (a deterministic process in some time frame; ``n_two_way_xor`` of
    them of the xor form) and ``n_two_way_not_process`` (:func:`_process_form`);
    ``eq86_in_set`` (the GYNI supermap Eq. 86 is one of them) and ``eq86_two_way``.
    """
    from bellflow.process import is_admissible_bistochastic_supermap

    birk = {tuple(v.ravel()) for v in _deterministic_supermaps_birkhoff()}
    built = set()
    fixed, forms = {}, {}
    for choice in itertools.product(range(4), repeat=4):
        s = np.zeros((2, 2, 2, 2))
        for m, c in enumerate(choice):
            i, k = divmod(c, 2)
            s[i, i ^ (m >> 1), k, k ^ (m & 1)] = 1.0
        built.add(tuple(s.ravel()))
        fixed[tuple(s.ravel())] = _fixed_time_directions(choice)
        forms[tuple(s.ravel())] = _process_form(choice)
    adm = [is_admissible_bistochastic_supermap(np.diag(np.array(v)), 2, 2) for v in built]
    classes = [_signalling(np.array(v).reshape(2, 2, 2, 2)) for v in built]
    eq86 = np.zeros((2, 2, 2, 2))
    for key in ((0, 0, 0, 0), (1, 1, 1, 0), (1, 0, 1, 1), (0, 1, 0, 1)):
        eq86[key] = 1.0
    one_way = [v for v, (a, b) in zip(built, classes, strict=True) if a != b]
    n_fixed = sum(fixed[v] for v in one_way)
    two_way = [v for v, (a, b) in zip(built, classes, strict=True) if a and b]
    return {
        "n_two_way_process": float(sum(forms[v][0] for v in two_way)),
        "n_two_way_xor": float(sum(forms[v][1] for v in two_way)),
        "n_two_way_not_process": float(sum(not forms[v][0] for v in two_way)),
        "n_one_way_fixed_direction": float(n_fixed),
        "n_one_way_dynamic_direction": float(len(one_way) - n_fixed),
        "n_extreme_birkhoff": float(len(birk)),
        "n_extreme_eq82": float(len(built)),
        "eq82_vs_birkhoff": float(len(birk ^ built)),
        "eq82_admissible_eq12": float(np.mean(adm)),
        "n_no_signalling": float(sum(not a and not b for a, b in classes)),
        "n_one_way": float(sum(a != b for a, b in classes)),
        "n_two_way": float(sum(a and b for a, b in classes)),
        "eq86_in_set": float(tuple(eq86.ravel()) in built),
        "eq86_two_way": float(all(_signalling(eq86))),
    }
