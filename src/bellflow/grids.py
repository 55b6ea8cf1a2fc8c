"""The config's grids, and the checks every config passes before a job is planned.

**Grids.** One form for every scan axis of ``config/*.yaml`` (schema ``$defs/grid`` in
``workflow/schemas/defs.schema.yaml``): either a mapping ``{min, max, points, spacing}`` with
``spacing`` ``lin`` (default, ``numpy.linspace``) or ``log`` (``numpy.geomspace``), or an
explicit, strictly ascending, non-empty list of numbers. :func:`grid` builds the array.

**Config checks.** :func:`check_config` is what ``workflow/rules/common.smk`` runs on the merged
config (``config/config.yaml`` with any ``--configfile`` overlay merged over it). JSON schema
bounds are comparisons, which are false for NaN, so the schema alone lets NaN through; on top
of the schema it rejects

- every number that is not finite (NaN, inf), anywhere in the config;
- every pair ``min``/``max`` or ``<x>_min``/``<x>_max`` of one mapping with ``min >= max``;
- every list whose schema says ``x-ascending: true`` (the explicit grids) that does not
  strictly ascend.

Each problem is reported as ``<key path>: <what is wrong>``, all of them at once.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterator, Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlparse
from urllib.request import url2pathname

import numpy as np
import yaml
from numpy.typing import NDArray

__all__ = [
    "grid",
    "subgrid",
    "canonical_config",
    "check_config",
    "config_problems",
    "ConfigError",
    "load_yaml",
    "leaf_keys",
]

SPACINGS = ("lin", "log")


def _number(value: Any, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float | np.integer | np.floating):
        raise ValueError(f"{name} must be a number, got {value!r}")
    if not math.isfinite(value):
        raise ValueError(f"{name} must be finite, got {value!r}")
    return float(value)


def grid(spec: Mapping[str, Any] | Sequence[float]) -> NDArray[np.float64]:
    """The points of a config grid, ascending.

    ``{min, max, points, spacing="lin"}``: ``points`` values from ``min`` to ``max`` (both
    included), equally spaced (``lin``) or with a constant ratio (``log``, needs ``min > 0``);
    ``points = 1`` gives ``[min]``. A list: its values, which must ascend strictly.

    >>> grid({"min": 0, "max": 1, "points": 3})
    array([0. , 0.5, 1. ])
    >>> grid({"min": 1e-2, "max": 1, "points": 3, "spacing": "log"})
    array([0.01, 0.1 , 1.  ])
    >>> grid([0.5, 2.0])
    array([0.5, 2. ])
    """
    if isinstance(spec, Mapping):
        unknown = set(spec) - {"min", "max", "points", "spacing"}
        if unknown:
            raise ValueError(f"grid: unknown keys {sorted(unknown)}")
        missing = {"min", "max", "points"} - set(spec)
        if missing:
            raise ValueError(f"grid: missing keys {sorted(missing)}")
        lo = _number(spec["min"], "grid min")
        hi = _number(spec["max"], "grid max")
        points = spec["points"]
        if isinstance(points, bool) or not isinstance(points, int | np.integer) or points < 1:
            raise ValueError(f"grid points must be an integer >= 1, got {points!r}")
        if lo >= hi:
            raise ValueError(f"grid min must be below max, got min={lo!r}, max={hi!r}")
        spacing = spec.get("spacing", "lin")
        if spacing not in SPACINGS:
            raise ValueError(f"grid spacing must be one of {SPACINGS}, got {spacing!r}")
        if spacing == "log":
            if lo <= 0:
                raise ValueError(f"log-spaced grid needs min > 0, got min={lo!r}")
            return np.geomspace(lo, hi, int(points), dtype=np.float64)
        return np.linspace(lo, hi, int(points), dtype=np.float64)
    if isinstance(spec, str | bytes) or not isinstance(spec, Sequence | np.ndarray):
        raise ValueError(f"grid must be a mapping or a list of numbers, got {spec!r}")
    values = np.array([_number(v, f"grid value {i}") for i, v in enumerate(spec)], dtype=float)
    if values.size == 0:
        raise ValueError("grid list must not be empty")
    if values.size > 1 and not np.all(np.diff(values) > 0):
        raise ValueError(f"grid list must ascend strictly, got {list(spec)!r}")
    return values



def subgrid(
    spec: Mapping[str, Any] | Sequence[float],
    every: int,
    *,
    from_end: bool = False,
    minimum: float | None = None,
) -> list[float]:
    """Every ``every``-th point of :func:`grid` ``(spec)``, ascending.

    Counted from the first point, or from the last one with ``from_end=True`` (so the grid's
    maximum is kept); points below ``minimum`` are dropped.

    >>> subgrid({"min": 0, "max": 1, "points": 5}, 2)
    [0.0, 0.5, 1.0]
    >>> subgrid({"min": 0, "max": 1, "points": 4}, 2, from_end=True, minimum=0.5)
    [1.0]
    """
    if isinstance(every, bool) or not isinstance(every, int | np.integer) or every < 1:
        raise ValueError(f"subgrid every must be an integer >= 1, got {every!r}")
    points = grid(spec)
    picked = points[::-every][::-1] if from_end else points[::every]
    if minimum is not None:
        picked = picked[picked >= _number(minimum, "subgrid minimum")]
    return [float(x) for x in picked]


def canonical_config(data: Any) -> Any:
    """``data`` with every mapping's keys in sorted order (lists keep their order), so that
    two configs that differ only in the order of their keys print the same.

    >>> canonical_config({"b": 1, "a": {"points": 3, "min": 0}})
    {'a': {'min': 0, 'points': 3}, 'b': 1}
    """
    if isinstance(data, Mapping):
        return {k: canonical_config(data[k]) for k in sorted(data, key=str)}
    if isinstance(data, list):
        return [canonical_config(v) for v in data]
    return data

# --- config files ---------------------------------------------------------------------------


class ConfigError(ValueError):
    """An invalid config: the message lists every problem as ``<key path>: <problem>``."""


#: libyaml's safe loader where PyYAML was built with it (same documents, ~8x faster to parse:
#: every Snakemake invocation, a no-op included, loads the config and the schemas).
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml(path: str | Path) -> Any:
    """Parse one YAML file; a syntax error names the file, line and column (1-based)."""
    path = Path(path)
    try:
        with open(path, encoding="utf-8") as f:
            return yaml.load(f, Loader=_YAML_LOADER)  # noqa: S506 (a safe loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        where = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark else str(path)
        problem = getattr(exc, "problem", None) or str(exc)
        context, cmark = getattr(exc, "context", None), getattr(exc, "context_mark", None)
        if context and cmark is not None and cmark is not mark:
            problem += f" ({context} at line {cmark.line + 1})"
        raise ConfigError(f"{where}: YAML syntax error: {problem}") from None


def leaf_keys(data: Mapping[str, Any], prefix: str = "") -> list[str]:
    """Dotted paths of the non-mapping values of a nested mapping, in file order.

    >>> leaf_keys({"a": {"b": 1, "c": [2]}, "d": 3})
    ['a.b', 'a.c', 'd']
    """
    out = []
    for key, value in data.items():
        path = f"{prefix}{key}"
        if isinstance(value, Mapping) and value:
            out += leaf_keys(value, path + ".")
        else:
            out.append(path)
    return out


# --- config checks --------------------------------------------------------------------------


def _key_path(parts: Sequence[Any]) -> str:
    """``("a", "b", 0, "c")`` -> ``"a.b[0].c"``."""
    out = ""
    for p in parts:
        out += f"[{p}]" if isinstance(p, int) else (f".{p}" if out else str(p))
    return out or "<top level>"


def _walk(data: Any, path: tuple = ()) -> Iterator[tuple[tuple, Any]]:
    yield path, data
    if isinstance(data, Mapping):
        for key, value in data.items():
            yield from _walk(value, (*path, key))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from _walk(value, (*path, i))


def _structural_problems(config: Any) -> list[str]:
    """Non-finite numbers and min >= max pairs anywhere in the config."""
    problems = []
    for path, value in _walk(config):
        if isinstance(value, float) and not math.isfinite(value):
            problems.append(f"{_key_path(path)}: {value!r} is not a finite number")
        if not isinstance(value, Mapping):
            continue
        for key in value:
            if not (key == "min" or str(key).endswith("_min")):
                continue
            top = str(key)[:-3] + "max"
            lo, hi = value[key], value.get(top)
            if all(
                isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v)
                for v in (lo, hi)
            ) and not lo < hi:
                problems.append(
                    f"{_key_path((*path, key))}: must be below {top}, got {key}={lo!r}, "
                    f"{top}={hi!r}"
                )
    return problems


def _ascending(validator: Any, flag: bool, instance: Any, schema: Any) -> Iterator[Any]:
    from jsonschema.exceptions import ValidationError

    if flag and isinstance(instance, list):
        nums = [v for v in instance if isinstance(v, int | float) and not isinstance(v, bool)]
        if len(nums) == len(instance) and any(b <= a for a, b in itertools.pairwise(nums)):
            yield ValidationError(f"{instance!r} must ascend strictly (a grid's points)")


@cache
def _validator(schema_path: str) -> Any:
    """A Draft 2020-12 validator of ``schema_path`` that resolves relative ``$ref`` between
    the schema files of its folder (as ``snakemake.utils.validate`` does) and knows the
    ``x-ascending`` keyword."""
    from jsonschema import Draft202012Validator, validators
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT202012

    def load(path: Path) -> Resource:
        # without its "$schema", a referenced file is validated by this class (x-ascending)
        # instead of the stock one jsonschema would pick for the dialect
        contents = {k: v for k, v in load_yaml(path).items() if k != "$schema"}
        contents["$id"] = path.as_uri()
        return Resource.from_contents(contents, default_specification=DRAFT202012)

    @cache
    def retrieve(uri: str) -> Resource:
        return load(Path(url2pathname(urlparse(uri).path)))

    path = Path(schema_path).resolve()
    root = load(path)
    # every schema file of the folder registered up front: a registry does not keep what
    # `retrieve` returns, and parsing the files again at each $ref costs 0.5 s a config
    siblings = [p for p in sorted(path.parent.glob("*.yaml")) if p != path]
    registry = Registry(retrieve=retrieve).with_resources(  # type: ignore[call-arg]
        [(path.as_uri(), root), *((p.as_uri(), load(p)) for p in siblings)]
    )
    schema = root.contents
    cls = validators.extend(Draft202012Validator, {"x-ascending": _ascending})
    return cls(schema, registry=registry)


def _schema_messages(error: Any) -> list[tuple[tuple, str]]:
    """(key path, message) of a schema error; for oneOf/anyOf, of its most relevant branch;
    for unknown keys, one per key, naming it."""
    from jsonschema.exceptions import best_match

    if error.context:
        # the errors of the branches whose type fits (a mapping is not a list): all of them,
        # so that two problems of one grid are both named
        fitting = [e for e in error.context if not (e.validator == "type" and not e.path)]
        if fitting:
            return [m for e in fitting for m in _schema_messages(e)]
        error = best_match(error.context)
    path = tuple(error.absolute_path)
    if error.validator == "additionalProperties" and isinstance(error.instance, Mapping):
        allowed = sorted(error.schema.get("properties", {}))
        extra = [k for k in error.instance if k not in allowed]
        if extra:
            hint = f"unknown key (allowed here: {', '.join(allowed)})"
            return [((*path, k), hint) for k in extra]
    return [(path, error.message)]


def config_problems(config: Any, schema_path: str | Path) -> list[str]:
    """Every problem of ``config`` (schema, non-finite numbers, min >= max, descending grids),
    each as ``<key path>: <problem>``; empty if the config is valid.

    The schema validation and the finiteness check are independent: a NaN is reported even
    where the schema also complains about its key.
    """
    problems = _structural_problems(config)
    seen = set(problems)
    for error in _validator(str(Path(schema_path).resolve())).iter_errors(config):
        for path, message in _schema_messages(error):
            line = f"{_key_path(path)}: {message}"
            if line not in seen:
                seen.add(line)
                problems.append(line)
    return sorted(problems)


def check_config(config: Any, schema_path: str | Path, *, source: str = "config") -> None:
    """Raise :class:`ConfigError` listing every problem of ``config`` (see module docstring).

    ``source`` names the config in the message (e.g. the files merged into it).
    """
    problems = config_problems(config, schema_path)
    if problems:
        lines = "\n".join(f"  {p}" for p in problems)
        raise ConfigError(
            f"Error validating config ({source}): {len(problems)} problem(s)\n{lines}"
        )


def _shown(path: str | Path) -> str:
    """``path`` relative to the working directory when it lies below it."""
    try:
        return str(Path(path).resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def config_banner(
    base_files: Sequence[str],
    overlay_files: Sequence[str],
    overrides: Mapping[str, Any] | None = None,
) -> str:
    """What the run prints first: the config files in effect and the keys each overlay sets.

    ``base_files`` are loaded first (the Snakefile's ``configfile:``), then each of
    ``overlay_files`` (``--configfile``) is merged over them, then ``overrides``
    (``--config key=value``).
    """
    lines = [f"bellflow config: {', '.join(map(_shown, base_files)) or '(none)'}"]
    layers = [(_shown(f), load_yaml(f) or {}) for f in overlay_files]
    if overrides:
        layers.append(("--config", overrides))
    for name, data in layers:
        keys = leaf_keys(data) if isinstance(data, Mapping) else []
        lines.append(f"  overlaid by {name}: {len(keys)} key(s)")
        by_section: dict[str, list[str]] = {}
        for key in keys:
            section, _, rest = key.partition(".")
            by_section.setdefault(section, []).append(rest or section)
        lines += [f"    {s}: {', '.join(k)}" for s, k in by_section.items()]
    return "\n".join(lines)


def merge(base: dict[str, Any], overlay: Mapping[str, Any]) -> dict[str, Any]:
    """``base`` with ``overlay`` merged over it in place, as Snakemake merges a
    ``--configfile`` (``snakemake.utils.update_config``): mappings key by key, anything else
    (numbers, strings, lists) replaced.

    >>> merge({"a": {"b": 1, "c": [1, 2]}}, {"a": {"c": [3]}, "d": 4})
    {'a': {'b': 1, 'c': [3]}, 'd': 4}
    """
    for key, value in overlay.items():
        if isinstance(value, Mapping):
            sub = base.get(key)
            base[key] = merge(sub if isinstance(sub, dict) else {}, value)
        else:
            base[key] = value
    return base


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m bellflow.grids [OVERLAY.yaml ...]``: check a config before a run.

    Loads ``config/config.yaml`` and the overlays (a YAML syntax error names file and line;
    Snakemake's own loader of ``--configfile`` names neither), prints the banner of the run and
    every problem of the merged config; exit status 1 if there is one.
    """
    import argparse
    import sys

    ap = argparse.ArgumentParser(prog="python -m bellflow.grids", description=main.__doc__)
    ap.add_argument("overlays", nargs="*", help="--configfile overlays, in order")
    ap.add_argument("--base", default="config/config.yaml")
    ap.add_argument("--schema", default="workflow/schemas/config.schema.yaml")
    ap.add_argument("-q", "--quiet", action="store_true", help="print only problems")
    args = ap.parse_args(argv)
    try:
        config = load_yaml(args.base) or {}
        for f in args.overlays:
            overlay = load_yaml(f) or {}
            if not isinstance(overlay, Mapping):
                raise ConfigError(f"{f}: a config file must be a mapping of sections")
            merge(config, overlay)
        if not args.quiet:
            print(config_banner([args.base], args.overlays), file=sys.stderr)
        check_config(config, args.schema, source=" + ".join([args.base, *args.overlays]))
    except (ConfigError, OSError) as exc:
        print(exc, file=sys.stderr)
        return 1
    if not args.quiet:
        print("config OK", file=sys.stderr)
    return 0


if __name__ == "__main__":  # pragma: no cover (command line)
    raise SystemExit(main())
