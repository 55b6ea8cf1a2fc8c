"""bellflow.reproduction and the summary script: status rules, route/check/depends columns,
inputs that cannot be read, and the paper-values files themselves."""

from __future__ import annotations

import importlib.util
import io
import json
import math
import tokenize
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import xarray as xr
import yaml

from bellflow.io import write_result
from bellflow.reproduction import (
    NO_CHECK,
    NO_ROUTE,
    STATUSES,
    SummaryInputError,
    build_table,
    compare,
    to_markdown,
    validate_row,
)

ROOT = Path(__file__).resolve().parents[1]
PAPER_VALUES = sorted((ROOT / "workflow/resources/paper_values").glob("*.yaml"))
ROW = {"quantity": "q", "where": "Eq. 1", "file": "f.h5", "variable": "v", "tolerance": 1e-3}
CHECK = {"variable": "dev", "tolerance": 1e-6, "description": "closed form"}


def table(value, values=None, **row):
    """One row's table line; ``values`` gives other variables of the file (check, range)."""
    values = {"v": value, **(values or {})}
    return build_table({"t": [{**ROW, **row}]}, lambda f, v: values[v]).iloc[0]


@pytest.mark.parametrize(
    "computed,paper,how,ok",
    [
        (1.0005, 1.0, "abs", True),
        (1.002, 1.0, "abs", False),
        (0.9, 1.0, "le", True),
        (1.002, 1.0, "le", False),
        (1.1, 1.0, "ge", True),
        (0.998, 1.0, "ge", False),
        (0.9, 1.0, "certified_le", True),
        (0.998, 1.0, "certified_ge", False),
        (1, True, "claim", True),
        (0, True, "claim", False),
        (math.nan, 1.0, "abs", False),
    ],
)
def test_compare(computed, paper, how, ok):
    assert compare(computed, paper, 1e-3, how) is ok


def test_statuses():
    assert table(2.0, paper_value=2.0)["status"] == "pass"
    assert table(2.5, paper_value=2.0)["status"] == "fail"
    assert table(math.inf, paper_value=2.0)["status"] == "fail"
    assert table(2.5, paper_value=2.0, typo=True)["status"] == "typo"
    # a 'typo' that agrees with the paper is a wrong row
    assert table(2.0, paper_value=2.0, typo=True)["status"] == "fail"
    assert table(math.nan, paper_value=2.0, typo=True)["status"] == "fail"
    row = table(0.5, paper_value=0.6, compare="le")
    assert row["status"] == "pass" and "upper bound" in row["note"]


def test_route_and_check_columns():
    row = table(2.0, {"dev": 3e-9}, paper_value=2.0, route="m.f (SDP)", check=CHECK)
    assert row["status"] == "pass" and row["route"] == "m.f (SDP)"
    assert row["check"] == "closed form: deviation 3e-09 (tolerance 1e-06)"
    row = table(2.0, paper_value=2.0, route="m.f", check="none: a definition")
    assert row["status"] == "pass" and row["check"] == "none: a definition"


@pytest.mark.parametrize("dev", [2e-6, math.nan, -math.inf])
def test_check_over_tolerance_fails_the_row(dev):
    row = table(2.0, {"dev": dev}, paper_value=2.0, route="m.f", check=CHECK)
    assert row["status"] == "fail" and "OVER TOLERANCE" in row["check"]
    # also a typo row: the two routes disagree, so nothing is established
    row = table(2.5, {"dev": dev}, paper_value=2.0, typo=True, route="m.f", check=CHECK)
    assert row["status"] == "fail"


def test_missing_route_and_check_are_a_warning_not_a_crash():
    row = table(2.0, paper_value=2.0)
    assert row["status"] == "pass"
    assert row["route"] == NO_ROUTE and row["check"] == NO_CHECK
    assert validate_row({**ROW, "paper_value": 1}) == [NO_ROUTE, NO_CHECK]
    assert validate_row({**ROW, "paper_value": 1, "route": "r", "check": "none: x"}) == []


def test_depends_status_and_range_in_note():
    dep = {"parameter": "bath coupling", "note": "holds for alpha < 0.1", "range_variables": ["hi"]}
    row = table(2.0, {"hi": 0.1234567}, paper_value=2.0, depends=dep)
    assert row["status"] == "depends"
    assert "depends on bath coupling: holds for alpha < 0.1 (computed: hi = 0.123457)" in (
        row["note"]
    )
    # a failing comparison stays a failure
    assert table(3.0, {"hi": 0.1}, paper_value=2.0, depends=dep)["status"] == "fail"


def test_certified_rows_need_a_certificate():
    cert = json.dumps({"method": "repaired dual", "margin": 1e-9})
    certified = xr.DataArray(0.9, attrs={"certificate": cert})
    uncertified = xr.DataArray(0.9, attrs={"certificate": json.dumps({"method": "none"})})
    row = table(certified, paper_value=1.0, compare="certified_le")
    assert row["status"] == "pass" and "certified upper bound" in row["note"]
    assert row["computed"] == 0.9
    for value in (uncertified, xr.DataArray(0.9), 0.9):
        row = table(value, paper_value=1.0, compare="certified_le")
        assert row["status"] == "fail" and "not a certified bound" in row["note"]


@pytest.mark.parametrize(
    "extra,message",
    [
        ({"colour": 1}, "unknown keys.*colour"),
        ({"compare": "near"}, "compare"),
        ({"tolerance": -1}, "tolerance"),
        ({"tolerance": math.nan}, "tolerance"),
        ({"route": ""}, "route"),
        ({"check": "no independent route"}, "none: <why>"),
        ({"check": "none:"}, "none: <why>"),
        ({"check": {"variable": "d", "tolerance": 1}}, "check needs the keys"),
        ({"check": {**CHECK, "tolerance": -1}}, "check tolerance"),
        ({"depends": {"parameter": "x"}}, "depends needs"),
        ({"depends": {"parameter": "x", "note": "y", "range_variables": "a"}}, "range_variables"),
    ],
)
def test_malformed_rows_rejected(extra, message):
    with pytest.raises(ValueError, match=message):
        build_table({"t": [{**ROW, "paper_value": 1, **extra}]}, lambda f, v: 1.0)


def test_malformed_rows_missing_keys():
    with pytest.raises(ValueError, match="missing keys"):
        build_table({"t": [{"quantity": "q"}]}, lambda f, v: 1.0)
    with pytest.raises(ValueError, match="must be a mapping"):
        build_table({"t": ["q"]}, lambda f, v: 1.0)


def test_lookup_errors_propagate():
    def lookup(f, v):
        raise SummaryInputError("f.h5: cannot read")

    with pytest.raises(SummaryInputError, match="f.h5"):
        build_table({"t": [{**ROW, "paper_value": 1.0}]}, lookup)


def test_markdown_counts():
    df = build_table(
        {"t": [{**ROW, "paper_value": 1.0}, {**ROW, "paper_value": 9.0}]}, lambda f, v: 1.0
    )
    md = to_markdown(df)
    assert "1 pass, 0 typo, 0 depends, 1 fail" in md
    assert md.count("\n| t |") == 2
    assert "| route | check |" in md


# --- the summary script ---------------------------------------------------------------------


def _script():
    spec = importlib.util.spec_from_file_location(
        "summary_reproduction", ROOT / "scripts/summary_reproduction.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def inputs(tmp_path, monkeypatch):
    """A results file and a paper-values file in tmp_path (the working directory)."""
    monkeypatch.chdir(tmp_path)
    ds = xr.Dataset({"v": ((), 2.0, {"description": "v", "units": ""}), "dev": ((), 1e-9)})
    write_result("results/t/x.h5", ds, topic="delivery", params={})
    rows = [{**ROW, "file": "results/t/x.h5", "paper_value": 2.0, "route": "r", "check": CHECK}]
    Path("t.yaml").write_text(yaml.safe_dump(rows))
    return ["t.yaml"], ["results/t/x.h5"]


def test_script_writes_both_tables(inputs):
    pv, h5 = inputs
    _script().main(pv, h5, "out/r.csv", "out/r.md")
    df = pd.read_csv("out/r.csv")
    assert list(df["status"]) == ["pass"] and "closed form" in df["check"][0]
    assert "1 pass" in Path("out/r.md").read_text()
    assert sorted(p.name for p in Path("out").iterdir()) == ["r.csv", "r.md"]


@pytest.mark.parametrize(
    "damage,message",
    [
        ("truncate", "results/t/x.h5: cannot read"),
        ("garbage", "results/t/x.h5: cannot read"),
        ("delete", "results/t/x.h5: cannot read"),
        ("undeclared", "results/t/x.h5: named by a row but not a declared input"),
        ("variable", "results/t/x.h5: has no variable 'w'"),
        ("yaml", r"t.yaml:3:1: YAML syntax error: .*line 2"),
        ("not a list", "t.yaml: expected a list of rows"),
        ("row", "malformed row.*unknown keys"),
    ],
)
def test_script_fails_naming_the_file_and_writes_nothing(inputs, damage, message):
    pv, h5 = inputs
    f = Path(h5[0])
    if damage == "truncate":
        f.write_bytes(f.read_bytes()[: f.stat().st_size // 2])
    elif damage == "garbage":
        f.write_bytes(np.random.default_rng(0).bytes(2048))
    elif damage == "delete":
        f.unlink()
    elif damage == "undeclared":
        h5 = []
    elif damage == "variable":
        rows = yaml.safe_load(Path(pv[0]).read_text())
        Path(pv[0]).write_text(yaml.safe_dump([{**rows[0], "variable": "w"}]))
    elif damage == "yaml":
        Path(pv[0]).write_text("- quantity: q\n  where: [Eq. 1\n")
    elif damage == "not a list":
        Path(pv[0]).write_text("quantity: q\n")
    elif damage == "row":
        rows = yaml.safe_load(Path(pv[0]).read_text())
        Path(pv[0]).write_text(yaml.safe_dump([{**rows[0], "colour": "red"}]))
    with pytest.raises(SummaryInputError, match=message):
        _script().main(pv, h5, "out/r.csv", "out/r.md")
    assert not Path("out").exists() or list(Path("out").iterdir()) == []


# --- the paper-values files -----------------------------------------------------------------


def _rows():
    return [(f.stem, r) for f in PAPER_VALUES for r in yaml.safe_load(f.read_text())]


def test_every_paper_values_row_is_well_formed():
    assert PAPER_VALUES
    for topic, row in _rows():
        validate_row(row, topic=topic)
        assert str(row["file"]).startswith(f"results/{topic}/"), (topic, row["quantity"])


def test_every_paper_values_row_states_route_and_check():
    lacking = [f"{t}: {r['quantity']}" for t, r in _rows() if validate_row(r, topic=t)]
    assert lacking == [], f"{len(lacking)} rows without route or check:\n" + "\n".join(lacking)


def test_statuses_documented_in_report_caption():
    caption = (ROOT / "workflow/report/summary/reproduction.rst").read_text()
    for word in (*STATUSES, "route", "check"):
        assert f"``{word}``" in caption, word


# --- no paper value typed into the code -----------------------------------------------------
#
# Rule: a numeric literal (a Python NUMBER token) in a .py file under src/ or scripts/ with at
# least MIN_DIGITS significant digits must not equal a row's paper_value to the literal's own
# precision (0.8194 matches 0.81940 and 0.8193999). Strings are not NUMBER tokens, so docstring
# examples (they run as doctests: an expected output there is checked against the code, not
# fed into it) and comments are not counted. Values with fewer digits (0.5, 1.0, 0.75) are
# too common to tell apart from ordinary constants and are not searched.

MIN_DIGITS = 4
NON_DECIMAL = ("0x", "0o", "0b")


def _significant(token: str) -> int:
    mantissa = token.lower().replace("_", "").split("e")[0]
    return len(mantissa.replace(".", "").lstrip("0").rstrip("0"))


def _decimals(token: str) -> int:
    mantissa, _, exponent = token.lower().replace("_", "").partition("e")
    places = len(mantissa.split(".")[1]) if "." in mantissa else 0
    return places - (int(exponent) if exponent else 0)


def typed_paper_values(source: str, values: list[float]) -> list[tuple[int, str, float]]:
    """(line, literal, paper value) for every literal of ``source`` that types a value."""
    hits = []
    for tok in tokenize.generate_tokens(io.StringIO(source).readline):
        lowered = tok.string.lower()
        if tok.type != tokenize.NUMBER or lowered.endswith("j") or lowered[:2] in NON_DECIMAL:
            continue
        if _significant(tok.string) < MIN_DIGITS:
            continue
        x = float(tok.string.replace("_", ""))
        half_ulp = 0.5 * 10.0 ** (-_decimals(tok.string))
        hits += [(tok.start[0], tok.string, p) for p in values if abs(p - x) <= half_ulp * 1.000001]
    return hits


def _paper_numbers() -> list[float]:
    return sorted(
        {
            float(r["paper_value"])
            for _, r in _rows()
            if isinstance(r["paper_value"], int | float) and not isinstance(r["paper_value"], bool)
        }
    )


def test_literal_detector_finds_typed_values_and_ignores_strings():
    src = 'x = 0.8194\ny = 1.70710678  # 0.7592\n"""\n>>> f()\n0.7592\n"""\nz = 0.75\n'
    hits = typed_paper_values(src, [0.8194, 0.7592, 1.7071067811865475, 0.75])
    assert [(line, lit) for line, lit, _ in hits] == [(1, "0.8194"), (2, "1.70710678")]


def test_no_paper_value_is_a_literal_in_the_code():
    values = _paper_numbers()
    assert len(values) > 10
    found = []
    for py in sorted([*(ROOT / "src").rglob("*.py"), *(ROOT / "scripts").rglob("*.py")]):
        for line, lit, p in typed_paper_values(py.read_text(), values):
            found.append(f"{py.relative_to(ROOT)}:{line}: {lit} (paper value {p!r})")
    assert found == [], "paper values typed into the code:\n" + "\n".join(found)


# --- benchmarks/compare_runs.py -------------------------------------------------------------


def _compare_runs():
    spec = importlib.util.spec_from_file_location(
        "compare_runs", ROOT / "benchmarks/compare_runs.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _run(root: Path, computed: float, status: str = "pass", h5_value: float = 1.0) -> Path:
    (root / "results/summary").mkdir(parents=True)
    rows = [{"paper": "t", "quantity": "q", "where": "w", "computed": computed,
             "tolerance": 1e-6, "status": status}]
    pd.DataFrame(rows).to_csv(root / "results/summary/reproduction.csv", index=False)
    ds = xr.Dataset({"v": (("x",), [h5_value, math.nan])}, coords={"x": [0, 1]})
    write_result(root / "results/t/x.h5", ds, topic="delivery", params={})
    return root


def test_compare_runs(tmp_path, capsys):
    main = _compare_runs().main
    a = _run(tmp_path / "a", 1.0)
    assert main([str(a), str(_run(tmp_path / "b", 1.0 + 5e-7)), "--hdf5"]) == 0
    assert main([str(a), str(_run(tmp_path / "c", 1.0 + 2e-6))]) == 1
    assert "computed 1.0 vs 1.000002" in capsys.readouterr().out
    assert main([str(a), str(_run(tmp_path / "d", 1.0, status="fail"))]) == 1
    e = _run(tmp_path / "e", 1.0, h5_value=1.0 + 1e-15)
    assert main([str(a), str(e)]) == 0  # the table alone agrees
    assert main([str(a), str(e), "--hdf5"]) == 1
    assert "t/x.h5:v: numbers differ" in capsys.readouterr().out
    assert main([str(a), str(e), "--hdf5", "--atol", "1e-14"]) == 0
    assert main([str(a), str(tmp_path / "missing")]) == 2
