"""The reproduction table: every number a paper states, next to the one bellflow computes.

Paper values live in one YAML file per topic (``workflow/resources/paper_values/<topic>.yaml``),
a list of rows::

    - quantity: CHSH quantum maximum      # what the number is
      where: Eq. (2)                      # where the paper states it
      paper_value: 2.8284271247461903     # as printed (number, or true for a claim)
      tolerance: 1.0e-6
      compare: abs                        # abs | le | ge | claim | certified_le | certified_ge
      file: results/interconversion/npa_values.h5
      variable: chsh_level1               # a 0-d variable of that file
      route: npa.npa_upper_bound (NPA level 1 SDP)     # how `computed` was obtained
      check:                              # the independent route, or "none: <why>"
        variable: chsh_level1_vs_closed_form           # 0-d |route 1 - route 2|, same file
        tolerance: 1.0e-8
        description: closed form 2 sqrt(2) of the Tsirelson bound
      depends:                            # optional: a claim resting on an unstated parameter
        parameter: bath coupling alpha
        note: holds for alpha in [1e-4, 1e-2]
        range_variables: [alpha_low, alpha_high]      # 0-d, same file: the computed range
      typo: false                         # the paper's value is wrong: status 'typo'
      note: ""

The computed column always comes from the outputs of the workflow (through ``lookup``); this
module only compares.

Comparison (``compare``):

- ``abs``: ``|computed - paper_value| <= tolerance``;
- ``le`` (the paper states an upper bound): ``computed <= paper_value + tolerance``;
- ``ge`` (the paper states a lower bound): ``computed >= paper_value - tolerance``;
- ``certified_le`` / ``certified_ge``: as ``le`` / ``ge``, and ``computed`` must be a certified
  bound: its variable carries a ``certificate`` attribute (JSON, as written from
  ``OptResult.attrs()``) whose ``method`` is not ``"none"``;
- ``claim`` (a yes/no statement): ``bool(computed) == bool(paper_value)``.

Status (one of :data:`STATUSES`):

- ``fail`` if the computed value is missing or not finite, if the comparison fails on a row
  without ``typo``, if the comparison passes on a row with ``typo: true`` (then it is not a
  typo and the row is wrong), or if the ``check`` deviation is not finite or above its
  tolerance (the two routes disagree);
- otherwise ``typo`` for a ``typo: true`` row (the paper's value is wrong; ours is stated),
  ``depends`` for a row with ``depends`` (it holds at our parameters; the note gives the range
  where it holds), and ``pass``.

Columns ``route`` and ``check`` say how the value was computed and which independent route
agrees with it, by how much. A row without ``route``/``check`` says ``no route stated`` /
``no check stated`` there (a warning, allowed while the rows are being written).

Inputs that cannot be read (a missing or unreadable file, a variable the file does not hold, a
malformed row) raise :class:`SummaryInputError` naming the file: they never become a ``fail``
row.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import pandas as pd

__all__ = [
    "COLUMNS",
    "ROW_KEYS",
    "STATUSES",
    "SummaryInputError",
    "validate_row",
    "compare",
    "build_table",
    "to_markdown",
]

COLUMNS = [
    "paper",
    "quantity",
    "where",
    "paper_value",
    "computed",
    "abs_error",
    "tolerance",
    "status",
    "route",
    "check",
    "note",
]
STATUSES = ("pass", "typo", "depends", "fail")
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
    "route",
    "check",
    "depends",
}
_REQUIRED = {"quantity", "where", "paper_value", "tolerance", "file", "variable"}
_COMPARES = {"abs", "le", "ge", "claim", "certified_le", "certified_ge"}
_BOUND_NOTES = {
    "le": "(paper states an upper bound)",
    "ge": "(paper states a lower bound)",
    "certified_le": "(paper states an upper bound; computed: a certified upper bound)",
    "certified_ge": "(paper states a lower bound; computed: a certified lower bound)",
}
NO_ROUTE = "no route stated"
NO_CHECK = "no check stated"


class SummaryInputError(RuntimeError):
    """An input of the table (a results file or a paper-values file) is missing, unreadable
    or malformed; the message names the file."""


def _nonneg_number(value: Any) -> bool:
    return (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and math.isfinite(value)
        and value >= 0
    )


def _validate_check(check: Any, name: str) -> None:
    if isinstance(check, str):
        if not check.startswith("none:") or not check[5:].strip():
            raise ValueError(f"{name}: check must be a mapping or 'none: <why>', got {check!r}")
        return
    if not isinstance(check, Mapping):
        raise ValueError(f"{name}: check must be a mapping or 'none: <why>', got {check!r}")
    keys = {"variable", "tolerance", "description"}
    if set(check) != keys:
        raise ValueError(f"{name}: check needs the keys {sorted(keys)}, got {sorted(check)}")
    if not _nonneg_number(check["tolerance"]):
        raise ValueError(f"{name}: check tolerance must be a number >= 0")


def _validate_depends(depends: Any, name: str) -> None:
    keys = {"parameter", "note", "range_variables"}
    if not isinstance(depends, Mapping) or not {"parameter", "note"} <= set(depends) <= keys:
        raise ValueError(f"{name}: depends needs keys parameter, note (and range_variables)")
    rv = depends.get("range_variables", [])
    if not isinstance(rv, list) or not all(isinstance(v, str) for v in rv):
        raise ValueError(f"{name}: depends.range_variables must be a list of variable names")


def validate_row(row: Mapping[str, Any], *, topic: str = "?") -> list[str]:
    """Raise ``ValueError`` naming the topic, quantity and key of a malformed row.

    Returns the warnings of a row that is usable but incomplete (no ``route``/``check`` yet).
    """
    if not isinstance(row, Mapping):
        raise ValueError(f"{topic}: a row must be a mapping, got {row!r}")
    name = f"{topic}: row {row.get('quantity', '?')!r}"
    missing = _REQUIRED - set(row)
    if missing:
        raise ValueError(f"{name}: missing keys {sorted(missing)}")
    unknown = set(row) - ROW_KEYS
    if unknown:
        raise ValueError(f"{name}: unknown keys {sorted(unknown)}")
    if row.get("compare", "abs") not in _COMPARES:
        raise ValueError(f"{name}: compare must be one of {sorted(_COMPARES)}")
    if not _nonneg_number(row["tolerance"]):
        raise ValueError(f"{name}: tolerance must be a number >= 0, got {row['tolerance']!r}")
    if "route" in row and (not isinstance(row["route"], str) or not row["route"].strip()):
        raise ValueError(f"{name}: route must be a non-empty string")
    if "check" in row:
        _validate_check(row["check"], name)
    if "depends" in row:
        _validate_depends(row["depends"], name)
    return [w for key, w in (("route", NO_ROUTE), ("check", NO_CHECK)) if key not in row]


def compare(computed: float, paper_value: Any, tolerance: float, how: str = "abs") -> bool:
    """Does ``computed`` agree with ``paper_value`` in the sense ``how`` (see module doc)?

    (For ``certified_*`` only the inequality; :func:`build_table` checks the certificate.)
    """
    if how == "claim":
        return bool(computed) == bool(paper_value)
    if computed is None or not math.isfinite(float(computed)):
        return False
    c, p = float(computed), float(paper_value)
    if how == "abs":
        return abs(c - p) <= tolerance
    if how in ("le", "certified_le"):
        return c <= p + tolerance
    if how in ("ge", "certified_ge"):
        return c >= p - tolerance
    raise ValueError(f"compare must be one of {sorted(_COMPARES)}, got {how!r}")


def _value(x: Any) -> Any:
    """A scalar from what ``lookup`` returned (a number or a 0-d DataArray)."""
    values = getattr(x, "values", x)
    return values.item() if hasattr(values, "item") else values


def _finite(x: Any) -> bool:
    try:
        return math.isfinite(float(x))
    except (TypeError, ValueError):
        return False


def _certified(x: Any) -> bool:
    """Does the looked-up variable carry a certificate (``attrs['certificate']``)?"""
    cert = getattr(x, "attrs", {}).get("certificate")
    if isinstance(cert, str):
        try:
            cert = json.loads(cert)
        except ValueError:
            return False
    return isinstance(cert, Mapping) and cert.get("method", "none") != "none"


def _check_cell(row: Mapping[str, Any], lookup: Callable[[str, str], Any]) -> tuple[str, bool]:
    """(text of the check column, does the check hold)."""
    check = row.get("check")
    if check is None:
        return NO_CHECK, True
    if isinstance(check, str):
        return check, True
    dev = _value(lookup(row["file"], check["variable"]))
    tol = float(check["tolerance"])
    ok = _finite(dev) and abs(float(dev)) <= tol
    text = f"{check['description']}: deviation {float(dev):.3g} (tolerance {tol:.3g})"
    return (text if ok else f"{text} OVER TOLERANCE"), ok


def _depends_note(row: Mapping[str, Any], lookup: Callable[[str, str], Any]) -> str:
    dep = row["depends"]
    ranges = [
        f"{v} = {float(_value(lookup(row['file'], v))):.6g}"
        for v in dep.get("range_variables", [])
    ]
    computed = f" (computed: {', '.join(ranges)})" if ranges else ""
    return f"depends on {dep['parameter']}: {dep['note']}{computed}"


def _row(topic: str, row: Mapping[str, Any], lookup: Callable[[str, str], Any]) -> dict:
    validate_row(row, topic=topic)
    how = row.get("compare", "abs")
    note = str(row.get("note", "") or "")
    raw = lookup(row["file"], row["variable"])
    computed = _value(raw)
    if how == "claim":
        computed_val: Any = bool(computed) if _finite(computed) else None
        abs_error = float("nan")
    else:
        computed_val = float(computed)
        abs_error = abs(computed_val - float(row["paper_value"]))
    ok = _finite(computed) and compare(computed_val, row["paper_value"], row["tolerance"], how)
    if how.startswith("certified_") and not _certified(raw):
        ok = False
        note = f"{note} [{row['variable']} is not a certified bound: no certificate]".strip()
    check_text, check_ok = _check_cell(row, lookup)
    if row.get("typo", False):
        status = "typo" if (_finite(computed) and not ok) else "fail"
    else:
        status = "pass" if ok else "fail"
    if not check_ok:
        status = "fail"
    if status == "pass" and "depends" in row:
        status = "depends"
    if "depends" in row:
        note = f"{note} [{_depends_note(row, lookup)}]".strip()
    if how in _BOUND_NOTES:
        note = f"{note} {_BOUND_NOTES[how]}".strip()
    return {
        "paper": topic,
        "quantity": row["quantity"],
        "where": row["where"],
        "paper_value": row["paper_value"],
        "computed": computed_val,
        "abs_error": abs_error,
        "tolerance": float(row["tolerance"]),
        "status": status,
        "route": row.get("route", NO_ROUTE),
        "check": check_text,
        "note": note,
    }


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
        ``(file, variable) -> computed value`` (a number or a 0-d ``xarray.DataArray``, whose
        ``attrs`` hold the certificate of a certified bound). It raises
        :class:`SummaryInputError` naming the file for anything it cannot deliver; that error
        (and a malformed row, as ``ValueError``) propagates: it never becomes a row.
    """
    out = [_row(topic, row, lookup) for topic, rows in rows_by_topic.items() for row in rows]
    return pd.DataFrame(out, columns=COLUMNS)


def to_markdown(df: pd.DataFrame) -> str:
    """The table as GitHub markdown, numbers with 10 significant digits."""

    def fmt(v: Any) -> str:
        if isinstance(v, bool):
            return str(v).lower()
        if isinstance(v, float):
            return "" if math.isnan(v) else f"{v:.10g}"
        return str(v).replace("|", "\\|").replace("\n", " ")

    lines = ["| " + " | ".join(COLUMNS) + " |", "|" + "---|" * len(COLUMNS)]
    for rec in df.to_dict(orient="records"):
        lines.append("| " + " | ".join(fmt(rec[c]) for c in COLUMNS) + " |")
    counts = df["status"].value_counts().to_dict()
    summary = ", ".join(f"{counts.get(s, 0)} {s}" for s in STATUSES)
    return "# bellflow reproduction table\n\n" + summary + "\n\n" + "\n".join(lines) + "\n"
