"""Config fuzz: invalid configs are all rejected naming the key, valid ones all accepted.

Everything here calls what ``workflow/rules/common.smk`` calls before any job is planned:
``bellflow.grids.load_yaml`` (YAML syntax, file and line) and ``bellflow.grids.check_config``
(schema, NaN/inf, min >= max, descending grids, unknown keys, on the merged config). The
mutations are derived from the configs and schemas themselves (every leaf, every mapping,
every list, every grid), so a key added by a topic is fuzzed without a change here.
``tests/workflow/test_frame.py`` runs a handful of them through ``snakemake`` to prove the
wiring.
"""

from __future__ import annotations

import copy
import math
import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bellflow.grids import ConfigError, config_problems, load_yaml, merge

ROOT = Path(__file__).resolve().parents[1]
SCHEMAS = ROOT / "workflow/schemas"
SCHEMA = SCHEMAS / "config.schema.yaml"
UNKNOWN = "zz_not_a_key"


def _configs() -> dict[str, dict]:
    full = load_yaml(ROOT / "config/config.yaml")
    quick = merge(copy.deepcopy(full), load_yaml(ROOT / "config/quick.yaml"))
    return {"full": full, "quick": quick}


CONFIGS = _configs()


# --- the schema node of a config path -------------------------------------------------------


@cache
def _schema_file(name: str) -> dict:
    return yaml.safe_load((SCHEMAS / name).read_text())


def _json_type(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    return {float: "number", str: "string", list: "array", dict: "object"}.get(type(value), "?")


def _fits(node: dict, value: Any) -> bool:
    t = node.get("type")
    if t is None:
        return True
    types = t if isinstance(t, list) else [t]
    vt = _json_type(value)
    return vt in types or (vt == "integer" and "number" in types)


def _expand(node: Any, file: str, value: Any) -> list[tuple[dict, str]]:
    """The schema nodes that apply to ``value`` at ``node``: $ref followed, allOf joined, the
    oneOf/anyOf branches of the value's type."""
    if not isinstance(node, dict):
        return []
    out = [(node, file)]
    if "$ref" in node:
        target, _, fragment = node["$ref"].partition("#")
        tfile = target or file
        sub = _schema_file(tfile)
        for part in (p for p in fragment.split("/") if p):
            sub = sub[part]
        out += _expand(sub, tfile, value)
    for sub in node.get("allOf", []):
        out += _expand(sub, file, value)
    for key in ("oneOf", "anyOf"):
        for sub in node.get(key, []):
            if _fits(sub, value):
                out += _expand(sub, file, value)
    return out


def schema_nodes(config: dict, path: tuple) -> list[dict]:
    nodes = _expand(_schema_file("config.schema.yaml"), "config.schema.yaml", config)
    value: Any = config
    for part in path:
        value = value[part]
        children = []
        for node, file in nodes:
            if isinstance(part, int) and "items" in node:
                children += _expand(node["items"], file, value)
            elif isinstance(part, str) and part in node.get("properties", {}):
                children += _expand(node["properties"][part], file, value)
        nodes = children
    return [n for n, _ in nodes]


def bounds(nodes: list[dict]) -> dict[str, Any]:
    """The numeric constraints joined over ``nodes``."""
    out: dict[str, Any] = {}
    for n in nodes:
        for key, pick in (("minimum", max), ("exclusiveMinimum", max)):
            if key in n:
                out[key] = pick(out.get(key, -math.inf), n[key])
        for key in ("maximum", "exclusiveMaximum"):
            if key in n:
                out[key] = min(out.get(key, math.inf), n[key])
        for key in ("enum", "multipleOf", "type", "const"):
            if key in n:
                out[key] = n[key]
        if "x-ascending" in n:
            out["ascending"] = True
        if any("x-ascending" in b for b in n.get("oneOf", [])):
            out["grid"] = True
    return out


# --- walking a config -----------------------------------------------------------------------


def walk(data: Any, path: tuple = ()) -> Iterator[tuple[tuple, Any]]:
    yield path, data
    if isinstance(data, dict):
        for k, v in data.items():
            yield from walk(v, (*path, k))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            yield from walk(v, (*path, i))


def key_path(path: tuple) -> str:
    out = ""
    for p in path:
        out += f"[{p}]" if isinstance(p, int) else (f".{p}" if out else str(p))
    return out


def put(config: dict, path: tuple, value: Any, *, in_place: bool = False) -> dict:
    """``config`` with the value at ``path`` replaced (a copy unless ``in_place``)."""
    new = config if in_place else copy.deepcopy(config)
    d = new
    for p in path[:-1]:
        d = d[p]
    d[path[-1]] = value
    return new


def put_all(config: dict, muts: list) -> dict:
    new = copy.deepcopy(config)
    for _, path, value, _, _ in muts:
        put(new, path, value, in_place=True)
    return new


def is_number(v: Any) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool)


# --- the catalogue of invalid mutations -----------------------------------------------------


def _outside(b: dict, value: Any) -> list[Any]:
    """Values just outside the schema bounds of a numeric leaf."""
    integer = b.get("type") == "integer" or isinstance(value, int)
    out = []
    if "minimum" in b:
        out.append(b["minimum"] - 1 if integer else b["minimum"] - 1e-3 * (1 + abs(b["minimum"])))
    if "exclusiveMinimum" in b:
        out.append(b["exclusiveMinimum"])
    if "maximum" in b:
        out.append(b["maximum"] + 1 if integer else b["maximum"] + 1e-3 * (1 + abs(b["maximum"])))
    if "exclusiveMaximum" in b:
        out.append(b["exclusiveMaximum"])
    if "multipleOf" in b and integer:
        out.append(value + 1)
    return [type(value)(v) if integer else float(v) for v in out]


def mutations(name: str) -> list[tuple[str, tuple, Any, str, tuple]]:
    """(kind, path, new value, key path the error must name, scope): ``scope`` is what the
    mutation depends on (a min/max pair: their mapping), for combining independent ones."""
    config = CONFIGS[name]
    out: list[tuple[str, tuple, Any, str, tuple]] = []
    for path, value in walk(config):
        kp = key_path(path)
        if isinstance(value, dict):
            unknown = (*path, UNKNOWN)
            out.append(("unknown key", unknown, 1, key_path(unknown), unknown))
            for key in value:
                top = "max" if key == "min" else (key[:-3] + "max" if key.endswith("_min") else "")
                if top and is_number(value[key]) and is_number(value.get(top)):
                    kmin = key_path((*path, key))
                    out.append(("min > max", (*path, key), value[top] + 1, kmin, path))
                    out.append(("min = max", (*path, key), value[top], kmin, path))
        if not path:
            continue
        b = bounds(schema_nodes(config, path))
        bad: list[tuple[str, Any]] = [("wrong type", [1] if isinstance(value, str) else "text")]
        if isinstance(value, list):
            bad.append(("empty list", []))
            if b.get("ascending") and len(value) > 1:
                bad.append(("descending grid", value[::-1]))
        if b.get("grid"):
            bad += [("descending grid", [1.0, 0.5]), ("empty list", [])]
        if is_number(value):
            bad += [("not finite", v) for v in (math.nan, math.inf, -math.inf)]
            bad += [("out of range", v) for v in _outside(b, value)]
            if b.get("type") == "integer":
                bad.append(("wrong type", value + 0.5))
        if isinstance(value, str) and "enum" in b:
            bad.append(("not in enum", value + "x"))
        # a min or max is also in the scope of its pair (min > max needs both numbers)
        pair = isinstance(path[-1], str) and (
            path[-1] in ("min", "max") or path[-1].endswith(("_min", "_max"))
        )
        out += [(kind, path, v, kp, path[:-1] if pair else path) for kind, v in bad]
    return out


CATALOGUE = {name: mutations(name) for name in CONFIGS}
KINDS = {
    "unknown key", "min > max", "min = max", "wrong type", "empty list", "descending grid",
    "not finite", "out of range",
}  # fmt: skip


def named(problems: list[str], kp: str) -> bool:
    return any(p.startswith((f"{kp}:", f"{kp}.", f"{kp}[")) for p in problems)


def test_the_catalogue_covers_every_kind_and_is_large():
    for name, muts in CATALOGUE.items():
        assert {m[0] for m in muts} >= KINDS, name
        assert len(muts) >= 200, (name, len(muts))


def test_unmodified_configs_are_valid():
    for name, config in CONFIGS.items():
        assert config_problems(config, SCHEMA) == [], name


def _independent(muts: list) -> bool:
    """No scope of ``muts`` is a prefix of (or equal to) another."""
    paths = [m[4] for m in muts]
    return all(
        p[: len(q)] != q and q[: len(p)] != p
        for i, p in enumerate(paths)
        for q in paths[i + 1 :]
    )


def _groups(muts: list, size: int) -> list[list]:
    """The mutations in groups of up to ``size`` independent ones (greedy, in order)."""
    groups: list[list] = []
    for m in muts:
        for g in groups:
            if len(g) < size and _independent([*g, m]):
                g.append(m)
                break
        else:
            groups.append([m])
    return groups


@pytest.mark.parametrize("name", list(CONFIGS))
def test_every_mutation_is_rejected_naming_its_key(name):
    """Every mutation of the catalogue, applied five at a time: each key is named."""
    misses = []
    for group in _groups(CATALOGUE[name], 5):
        problems = config_problems(put_all(CONFIGS[name], group), SCHEMA)
        misses += [
            f"{kind} at {kp} = {value!r}: {problems}"
            for kind, _, value, kp, _ in group
            if not named(problems, kp)
        ]
    assert misses == [], f"{len(misses)} invalid configs not rejected:\n" + "\n".join(misses)


@st.composite
def invalid_configs(draw):
    name = draw(st.sampled_from(sorted(CONFIGS)))
    muts = draw(
        st.lists(st.sampled_from(CATALOGUE[name]), min_size=1, max_size=4).filter(_independent)
    )
    return put_all(CONFIGS[name], muts), [m[3] for m in muts]


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=invalid_configs())
def test_random_invalid_configs_rejected_naming_every_key(case):
    config, keys = case
    problems = config_problems(config, SCHEMA)
    for kp in keys:
        assert named(problems, kp), (kp, problems)


# --- valid random configs -------------------------------------------------------------------


def _valid_value(draw, config: dict, path: tuple, value: Any) -> Any:
    b = bounds(schema_nodes(config, path))
    if "const" in b:
        return b["const"]
    if "enum" in b:
        return draw(st.sampled_from(b["enum"]))
    if isinstance(value, str):
        return value
    parent = config
    for p in path[:-1]:
        parent = parent[p]
    key = path[-1]
    lo = max(b.get("minimum", -math.inf), b.get("exclusiveMinimum", -math.inf))
    hi = min(b.get("maximum", math.inf), b.get("exclusiveMaximum", math.inf))
    excl_lo, excl_hi = "exclusiveMinimum" in b, "exclusiveMaximum" in b
    if isinstance(key, str) and (key == "min" or key.endswith("_min")):
        top = parent.get("max" if key == "min" else key[:-3] + "max")
        if is_number(top):
            hi, excl_hi = min(hi, top), True
        if parent.get("spacing") == "log":
            lo, excl_lo = max(lo, 0.0), True
    if isinstance(key, str) and (key == "max" or key.endswith("_max")):
        bottom = parent.get("min" if key == "max" else key[:-3] + "min")
        if is_number(bottom):
            lo, excl_lo = max(lo, bottom), True
    if isinstance(value, int):
        step = int(b.get("multipleOf", 1))
        if not math.isfinite(lo):
            ilo = value - 50
        else:
            ilo = math.floor(lo) + 1 if excl_lo else math.ceil(lo)
        if not math.isfinite(hi):
            ihi = value + 50
        else:
            ihi = math.ceil(hi) - 1 if excl_hi else math.floor(hi)
        ilo, ihi = -(-ilo // step) * step, (ihi // step) * step
        return value if ilo > ihi else draw(st.integers(ilo, ihi).map(lambda v: v - v % step))
    lo = lo if math.isfinite(lo) else value - 10.0
    hi = hi if math.isfinite(hi) else value + 10.0
    return draw(st.floats(lo, hi, exclude_min=excl_lo, exclude_max=excl_hi, allow_nan=False))


@st.composite
def valid_configs(draw):
    name = draw(st.sampled_from(sorted(CONFIGS)))
    config = CONFIGS[name]
    leaves = [
        (p, v)
        for p, v in walk(config)
        if p and (is_number(v) or isinstance(v, str)) and not isinstance(p[-1], int)
    ]
    for path, _ in draw(st.lists(st.sampled_from(leaves), min_size=1, max_size=6)):
        current = config
        for p in path:
            current = current[p]
        config = put(config, path, _valid_value(draw, config, path, current))
    return config


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(config=valid_configs())
def test_random_valid_configs_accepted(config):
    assert config_problems(config, SCHEMA) == []


# --- YAML syntax errors ---------------------------------------------------------------------

BROKEN_LINES = [
    "oops: [1, 2",  # unclosed flow sequence
    "oops: {a: 1",  # unclosed flow mapping
    "\toops: 1",  # tab indentation
    "oops: a: b",  # mapping value where none is allowed
    "oops: 'unclosed",  # unterminated quoted scalar
    "oops: \"unclosed",
    "- oops",  # a sequence item among mapping keys
    "]",
]
LOCAL_BREAKS = ["\toops: 1", "oops: a: b", "]"]


@settings(max_examples=100, deadline=None)
@given(
    which=st.sampled_from(["config/config.yaml", "config/quick.yaml"]),
    broken=st.sampled_from(BROKEN_LINES),
    where=st.floats(0, 1),
)
def test_yaml_syntax_errors_name_file_and_line(tmp_path_factory, which, broken, where):
    lines = (ROOT / which).read_text().splitlines()
    # at a line boundary between top-level sections or inside one: both break the file
    i = int(where * len(lines))
    text = "\n".join([*lines[:i], broken, *lines[i:]]) + "\n"
    f = tmp_path_factory.mktemp("yaml") / Path(which).name
    f.write_text(text)
    with pytest.raises(ConfigError) as info:
        load_yaml(f)
    message = str(info.value)
    assert message.startswith(f"{f}:") and "YAML syntax error" in message
    reported = {int(n) for n in re.findall(r"(?::|line )(\d+)", message[len(str(f)) :])}
    assert reported and max(reported) <= len(lines) + 2, message
    if broken in LOCAL_BREAKS:  # found where it is (a quote or bracket may close far below)
        assert reported & {i + 1, i + 2}, (i + 1, message)
