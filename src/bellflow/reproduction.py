"""The reproduction table: every number a paper states, next to the one bellflow computes.

Paper values live in one YAML file per topic (``workflow/resources/paper_values/<topic>.yaml``),
a list of rows::

    - quantity: CHSH quantum maximum      # what the number is
      where: Eq. (2)                      # where the paper states it
      paper_value: 2.8284271247461903     # as printed (number, or true for a claim)
      tolerance: 1.0e-6
      compare: abs                        # abs | le | ge | claim
      file: results/interconversion/npa_values.h5
      variable: chsh_level1               # a 0-d variable of that file
      typo: false                         # the paper's value is wrong: status 'typo'
      note: ""

The computed column always comes from the outputs of the workflow (through ``lookup``); this
module only compares.

Status rules:

- ``abs``: pass iff ``|computed - paper_value| <= tolerance``;
- ``le`` (the paper states an upper bound): pass iff ``computed <= paper_value + tolerance``;
- ``ge`` (the paper states a lower bound): pass iff ``computed >= paper_value - tolerance``;
- ``claim`` (a yes/no statement): pass iff ``bool(computed) == bool(paper_value)``;
- a row with ``typo: true`` is ``typo`` when the comparison fails (the paper's value is wrong and
  ours is stated) and ``fail`` when it passes (then it is not a typo, and the row is wrong);
- a missing or non-finite computed value is always ``fail``.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import pandas as pd

__all__ = ["COLUMNS", "ROW_KEYS", "validate_row", "compare", "build_table", "to_markdown"]

COLUMNS = [
    "paper",
    "quantity",
    "where",
    "paper_value",
    "computed",
    "abs_error",
    "tolerance",
    "status",
    "note",
]
ROW_KEYS = {
    "quantity",
    "where",
    "paper_value",
    "tolerance",
    "compare",
    "file",
    "variable",
    "typo",
    "note",
}
_REQUIRED = {"quantity", "where", "paper_value", "tolerance", "file", "variable"}
_COMPARES = {"abs", "le", "ge", "claim"}
_BOUND_NOTES = {"le": "(paper states an upper bound)", "ge": "(paper states a lower bound)"}


def validate_row(row: Mapping[str, Any], *, topic: str = "?") -> None:
    """Raise ``ValueError`` naming the topic, quantity and key of a malformed row."""
    name = f"{topic}: row {row.get('quantity', '?')!r}"
    missing = _REQUIRED - set(row)
    if missing:
        raise ValueError(f"{name}: missing keys {sorted(missing)}")
    unknown = set(row) - ROW_KEYS
    if unknown:
        raise ValueError(f"{name}: unknown keys {sorted(unknown)}")
    if row.get("compare", "abs") not in _COMPARES:
        raise ValueError(f"{name}: compare must be one of {sorted(_COMPARES)}")
    tol = row["tolerance"]
    if not isinstance(tol, int | float) or tol < 0:
        raise ValueError(f"{name}: tolerance must be a number >= 0, got {tol!r}")


def compare(computed: float, paper_value: Any, tolerance: float, how: str = "abs") -> bool:
    """Does ``computed`` agree with ``paper_value`` in the sense ``how`` (see module doc)?"""
    if how == "claim":
        return bool(computed) == bool(paper_value)
    if computed is None or not math.isfinite(float(computed)):
        return False
    c, p = float(computed), float(paper_value)
    if how == "abs":
        return abs(c - p) <= tolerance
    if how == "le":
        return c <= p + tolerance
    if how == "ge":
        return c >= p - tolerance
    raise ValueError(f"compare must be one of {sorted(_COMPARES)}, got {how!r}")


def build_table(
    rows_by_topic: Mapping[str, Iterable[Mapping[str, Any]]],
    lookup: Callable[[str, str], Any],
) -> pd.DataFrame:
    """The reproduction table.

    Parameters
    ----------
    rows_by_topic:
        ``topic -> rows`` as read from the paper-values files.
    lookup:
        ``(file, variable) -> computed value``; raising ``KeyError`` or ``FileNotFoundError``
        makes the row ``fail`` with the reason in ``note``.
    """
    out = []
    for topic, rows in rows_by_topic.items():
        for row in rows:
            validate_row(row, topic=topic)
            how = row.get("compare", "abs")
            note = str(row.get("note", "") or "")
            try:
                computed = lookup(row["file"], row["variable"])
            except (KeyError, FileNotFoundError, OSError) as exc:
                computed = float("nan")
                note = f"{note} [not computed: {exc}]".strip()
            if how == "claim":
                computed_val: Any = bool(computed) if _finite(computed) else None
                abs_error = float("nan")
            else:
                computed_val = float(computed)
                abs_error = abs(computed_val - float(row["paper_value"]))
            ok = _finite(computed) and compare(
                computed_val, row["paper_value"], float(row["tolerance"]), how
            )
            if row.get("typo", False):
                status = "typo" if (_finite(computed) and not ok) else "fail"
            else:
                status = "pass" if ok else "fail"
            where = row["where"]
            if how in _BOUND_NOTES:
                note = f"{note} {_BOUND_NOTES[how]}".strip()
            out.append(
                {
                    "paper": topic,
                    "quantity": row["quantity"],
                    "where": where,
                    "paper_value": row["paper_value"],
                    "computed": computed_val,
                    "abs_error": abs_error,
                    "tolerance": float(row["tolerance"]),
                    "status": status,
                    "note": note,
                }
            )
    return pd.DataFrame(out, columns=COLUMNS)


def _finite(x: Any) -> bool:
    try:
        return math.isfinite(float(x))
    except (TypeError, ValueError):
        return False


def to_markdown(df: pd.DataFrame) -> str:
    """The table as GitHub markdown, numbers with 10 significant digits."""

    def fmt(v: Any) -> str:
        if isinstance(v, bool):
            return str(v).lower()
        if isinstance(v, float):
            return "" if math.isnan(v) else f"{v:.10g}"
        return str(v).replace("|", "\\|")

    lines = ["| " + " | ".join(COLUMNS) + " |", "|" + "---|" * len(COLUMNS)]
    for rec in df.to_dict(orient="records"):
        lines.append("| " + " | ".join(fmt(rec[c]) for c in COLUMNS) + " |")
    counts = df["status"].value_counts().to_dict()
    summary = ", ".join(f"{counts.get(s, 0)} {s}" for s in ("pass", "typo", "fail"))
    return "# bellflow reproduction table\n\n" + summary + "\n\n" + "\n".join(lines) + "\n"
