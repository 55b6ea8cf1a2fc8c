"""bellflow.grids.grid and the $defs/grid schema (workflow/schemas/defs.schema.yaml)."""

from __future__ import annotations

import math
import shutil
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bellflow.grids import config_problems, grid

ROOT = Path(__file__).resolve().parents[1]
DEFS = ROOT / "workflow/schemas/defs.schema.yaml"

finite = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False)


def test_lin_grid_includes_both_ends():
    np.testing.assert_array_equal(grid({"min": 0.0, "max": 1.0, "points": 5}), np.linspace(0, 1, 5))
    np.testing.assert_array_equal(grid({"min": 2, "max": 3, "points": 1}), [2.0])


def test_log_grid_has_constant_ratio():
    g = grid({"min": 1e-4, "max": 1.0, "points": 5, "spacing": "log"})
    np.testing.assert_allclose(g, [1e-4, 1e-3, 1e-2, 1e-1, 1.0], rtol=1e-14)
    assert g.dtype == np.float64


def test_explicit_list():
    np.testing.assert_array_equal(grid([0.0, 0.08, 0.16]), [0.0, 0.08, 0.16])
    np.testing.assert_array_equal(grid([3]), [3.0])


@pytest.mark.parametrize(
    "spec,message",
    [
        ({"min": 1.0, "max": 1.0, "points": 3}, "min must be below max"),
        ({"min": 2.0, "max": 1.0, "points": 3}, "min must be below max"),
        ({"min": 0.0, "max": 1.0, "points": 0}, "points must be an integer >= 1"),
        ({"min": 0.0, "max": 1.0, "points": 2.5}, "points must be an integer >= 1"),
        ({"min": 0.0, "max": 1.0, "points": True}, "points must be an integer >= 1"),
        ({"min": math.nan, "max": 1.0, "points": 3}, "grid min must be finite"),
        ({"min": 0.0, "max": math.inf, "points": 3}, "grid max must be finite"),
        ({"min": 0.0, "max": 1.0, "points": 3, "spacing": "log"}, "needs min > 0"),
        ({"min": -1.0, "max": 1.0, "points": 3, "spacing": "log"}, "needs min > 0"),
        ({"min": 0.0, "max": 1.0, "points": 3, "spacing": "cubic"}, "spacing must be one of"),
        ({"min": 0.0, "max": 1.0}, "missing keys"),
        ({"min": 0.0, "max": 1.0, "points": 3, "step": 1}, "unknown keys"),
        ([], "must not be empty"),
        ([0.0, 0.0], "must ascend strictly"),
        ([1.0, 0.5], "must ascend strictly"),
        ([0.0, math.nan], "grid value 1 must be finite"),
        ([0.0, "a"], "grid value 1 must be a number"),
        ("0:1", "mapping or a list"),
        (3.0, "mapping or a list"),
    ],
)
def test_invalid_grid_named(spec, message):
    with pytest.raises(ValueError, match=message):
        grid(spec)


@settings(max_examples=200, deadline=None)
@given(lo=finite, width=st.floats(min_value=1e-3, max_value=1e6), n=st.integers(1, 500))
def test_lin_grid_ascends_from_min_to_max(lo, width, n):
    g = grid({"min": lo, "max": lo + width, "points": n})
    assert g.shape == (n,) and g[0] == lo
    if n > 1:
        assert g[-1] == lo + width and np.all(np.diff(g) > 0)


@settings(max_examples=100, deadline=None)
@given(values=st.lists(finite, min_size=1, max_size=20, unique=True))
def test_any_distinct_list_sorted_is_a_grid_and_reversed_is_not(values):
    values = sorted(values)
    np.testing.assert_array_equal(grid(values), values)
    if len(values) > 1:
        with pytest.raises(ValueError, match="ascend"):
            grid(values[::-1])


# --- the schema -----------------------------------------------------------------------------

TOPIC = """\
$schema: "https://json-schema.org/draft/2020-12/schema"
type: object
additionalProperties: false
properties:
  g: {$ref: "defs.schema.yaml#/$defs/grid", description: "a grid"}
"""
TOP = """\
$schema: "https://json-schema.org/draft/2020-12/schema"
type: object
additionalProperties: false
properties:
  topic: {$ref: "topic.schema.yaml"}
"""


@pytest.fixture
def schema(tmp_path) -> Path:
    """A top schema referencing a topic schema that references $defs/grid, as the real ones."""
    shutil.copy(DEFS, tmp_path / "defs.schema.yaml")
    (tmp_path / "topic.schema.yaml").write_text(TOPIC)
    (tmp_path / "config.schema.yaml").write_text(TOP)
    return tmp_path / "config.schema.yaml"


GOOD = [
    {"min": 0, "max": 1, "points": 3},
    {"min": 0.1, "max": 1, "points": 3, "spacing": "log"},
    [0.0, 0.5],
    [7],
]
BAD = [
    ({"min": 0, "max": 1, "points": 0}, "topic.g.points"),
    ({"min": 1, "max": 0, "points": 3}, "topic.g.min: must be below max"),
    ({"min": 0, "max": 1, "points": 3, "spacing": "log"}, "topic.g.min"),
    ({"min": 0, "max": 1, "points": 3, "spacing": "cubic"}, "topic.g.spacing"),
    ({"min": 0, "max": 1, "points": 3, "step": 2}, "topic.g.step: unknown key"),
    ({"min": 0, "max": 1}, "'points' is a required property"),
    ([], "topic.g: [] should be non-empty"),
    ([1.0, 0.5], "topic.g: [1.0, 0.5] must ascend strictly"),
    ([0.0, float("nan")], "topic.g[1]: nan is not a finite number"),
    ("0:1", "topic.g"),
]


@pytest.mark.parametrize("value", GOOD)
def test_schema_accepts_grids_and_so_does_snakemake(schema, value):
    from snakemake.utils import validate

    config = {"topic": {"g": value}}
    assert config_problems(config, schema) == []
    validate(config, str(schema))  # Snakemake resolves the relative $ref across files too


@pytest.mark.parametrize("value,named", BAD)
def test_schema_rejects_bad_grids_naming_the_key(schema, value, named):
    problems = config_problems({"topic": {"g": value}}, schema)
    assert problems, value
    assert any(named in p for p in problems), problems
    if not isinstance(value, list) or value == [] or value == "0:1":
        return
    with pytest.raises(ValueError):
        grid(value)


def test_every_defs_entry_has_a_description():
    import yaml

    defs = yaml.safe_load(DEFS.read_text())["$defs"]
    for name, d in defs.items():
        assert d.get("description"), name
        for branch in d.get("oneOf", []):
            assert branch.get("description"), name
            for key, sub in branch.get("properties", {}).items():
                assert sub.get("description"), f"{name}.{key}"


def test_command_line_check(tmp_path, capsys, monkeypatch):
    from bellflow.grids import main

    monkeypatch.chdir(ROOT)
    assert main(["-q", "config/quick.yaml"]) == 0
    assert capsys.readouterr().err == ""
    bad = tmp_path / "bad.yaml"
    bad.write_text("lmg:\n  fig4: {N: 12\n")
    assert main(["-q", str(bad)]) == 1
    assert f"{bad}:3:1: YAML syntax error" in capsys.readouterr().err
    bad.write_text("lmg:\n  fig4: {N: .nan}\n")
    assert main([str(bad)]) == 1
    err = capsys.readouterr().err
    assert f"overlaid by {bad}: 1 key(s)" in err and "lmg.fig4.N: nan is not a finite number" in err
