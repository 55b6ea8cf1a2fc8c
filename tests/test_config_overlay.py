"""config/quick.yaml is an overlay on config/config.yaml (only the keys that differ).

Snakemake loads the Snakefile's ``configfile:`` (config/config.yaml) and merges each
``--configfile`` over it key by key (``snakemake.utils.update_config``); these tests use that
same merge.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
import yaml
from snakemake.utils import update_config

from bellflow.grids import check_config, config_banner, leaf_keys

ROOT = Path(__file__).resolve().parents[1]
BASE = ROOT / "config/config.yaml"
QUICK = ROOT / "config/quick.yaml"
SCHEMA = ROOT / "workflow/schemas/config.schema.yaml"
#: The last commit with a complete config/quick.yaml (before it became an overlay).
BEFORE_OVERLAY = "510177e"


def _load(path: Path) -> dict:
    return yaml.safe_load(path.read_text())


def _merged() -> dict:
    cfg = _load(BASE)
    update_config(cfg, _load(QUICK))
    return cfg


def _get(cfg: dict, dotted: str):
    for part in dotted.split("."):
        cfg = cfg[part]
    return cfg


GRID_KEYS = {"min", "max", "points", "spacing"}


def test_overlay_sets_only_existing_keys_to_new_values():
    """Every key of the overlay exists in config.yaml with another value. Exception: a grid
    the overlay changes may be written whole (``{min, max, points}`` read as one unit)."""
    base, quick = _load(BASE), _load(QUICK)
    for key in leaf_keys(quick):
        try:
            old = _get(base, key)
        except (KeyError, TypeError):
            pytest.fail(f"config/quick.yaml sets {key}, which config/config.yaml does not have")
        if _get(quick, key) != old:
            continue
        parent, _, _ = key.rpartition(".")
        grid = _get(quick, parent) if parent else {}
        changed = grid != _get(base, parent)
        whole_grid = isinstance(grid, dict) and set(grid) <= GRID_KEYS and changed
        assert whole_grid, f"config/quick.yaml repeats {key} = {old!r} of config.yaml"


def test_merged_quick_config_is_valid():
    check_config(_merged(), SCHEMA)
    check_config(_load(BASE), SCHEMA)


def _git_yaml(rev: str, path: str) -> dict:
    out = subprocess.run(
        ["git", "show", f"{rev}:{path}"], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return yaml.safe_load(out.stdout)


def test_merged_config_equals_the_complete_quick_config_it_replaced():
    """The overlay merged over config.yaml gives exactly the complete quick.yaml of
    BEFORE_OVERLAY, section by section, for every topic whose config.yaml section has not
    changed since (a topic that converted its keys checks its outputs against the baseline
    run instead)."""
    old_base = _git_yaml(BEFORE_OVERLAY, "config/config.yaml")
    old_quick = _git_yaml(BEFORE_OVERLAY, "config/quick.yaml")
    base, merged = _load(BASE), _merged()
    compared = [t for t in old_quick if base.get(t) == old_base.get(t)]
    for topic in compared:
        assert merged[topic] == old_quick[topic], topic
    assert set(merged) == set(old_quick)


def test_banner_names_files_and_overridden_keys(tmp_path):
    overlay = tmp_path / "small.yaml"
    overlay.write_text("delivery:\n  fig2:\n    a_points: 5\n")
    text = config_banner(["config/config.yaml"], [str(overlay)], {"lmg": {"fig4": {"N": 4}}})
    assert "bellflow config: config/config.yaml" in text
    assert f"overlaid by {overlay}: 1 key(s)" in text
    assert "delivery: fig2.a_points" in text
    assert "overlaid by --config: 1 key(s)" in text and "lmg: fig4.N" in text
