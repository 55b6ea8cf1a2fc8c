"""bellflow.reproduction: status rules of the reproduction table."""

import math

import pytest

from bellflow.reproduction import build_table, compare, to_markdown

ROW = {"quantity": "q", "where": "Eq. 1", "file": "f.h5", "variable": "v", "tolerance": 1e-3}


def table(value, **row):
    return build_table({"t": [{**ROW, **row}]}, lambda f, v: value).iloc[0]


@pytest.mark.parametrize(
    "computed,paper,how,ok",
    [
        (1.0005, 1.0, "abs", True),
        (1.002, 1.0, "abs", False),
        (0.9, 1.0, "le", True),
        (1.002, 1.0, "le", False),
        (1.1, 1.0, "ge", True),
        (0.998, 1.0, "ge", False),
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
    assert table(2.5, paper_value=2.0, typo=True)["status"] == "typo"
    # a 'typo' that agrees with the paper is a wrong row
    assert table(2.0, paper_value=2.0, typo=True)["status"] == "fail"
    assert table(math.nan, paper_value=2.0, typo=True)["status"] == "fail"
    row = table(0.5, paper_value=0.6, compare="le")
    assert row["status"] == "pass" and "upper bound" in row["note"]


def test_missing_output_fails_with_reason():
    def lookup(f, v):
        raise KeyError("v not in f.h5")

    row = build_table({"t": [{**ROW, "paper_value": 1.0}]}, lookup).iloc[0]
    assert row["status"] == "fail"
    assert "not computed" in row["note"]


def test_malformed_rows_rejected():
    with pytest.raises(ValueError, match="missing keys"):
        build_table({"t": [{"quantity": "q"}]}, lambda f, v: 1.0)
    with pytest.raises(ValueError, match="unknown keys.*colour"):
        build_table({"t": [{**ROW, "paper_value": 1, "colour": 1}]}, lambda f, v: 1.0)
    with pytest.raises(ValueError, match="compare"):
        build_table({"t": [{**ROW, "paper_value": 1, "compare": "near"}]}, lambda f, v: 1.0)


def test_markdown_counts():
    df = build_table(
        {"t": [{**ROW, "paper_value": 1.0}, {**ROW, "paper_value": 9.0}]}, lambda f, v: 1.0
    )
    md = to_markdown(df)
    assert "1 pass, 0 typo, 1 fail" in md
    assert md.count("\n| t |") == 2
