"""bellflow used as a Snakemake module from another directory (issue 15): every path of the
rules resolves from the module's own folder, outputs land under the importing workflow's
``prefix``."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from .conftest import TIMEOUT, merged_config

pytestmark = pytest.mark.workflow

OUTER = """\
configfile: "bellflow_config.yaml"


module bellflow:
    snakefile:
        "{snakefile}"
    config:
        config
    prefix:
        "bf"


use rule * from bellflow as bellflow_*
"""


@pytest.fixture
def outer(repo_copy, tmp_path) -> Path:
    """An importing workflow in its own directory, next to (not inside) the repo copy."""
    d = tmp_path / "outer"
    d.mkdir()
    (d / "Snakefile").write_text(OUTER.format(snakefile=repo_copy / "Snakefile"))
    (d / "bellflow_config.yaml").write_text(yaml.safe_dump(merged_config(repo_copy)))
    return d


def _snakemake(d: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "snakemake", *args, "--cores", "2"],
        cwd=d,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        env={**os.environ, "PYTHONHASHSEED": "0", "OMP_NUM_THREADS": "1"},
    )


def test_module_dry_run_of_everything_and_a_real_run_of_one_topic_step(outer):
    proc = _snakemake(outer, "--dry-run", "bellflow_all")
    assert proc.returncode == 0, proc.stderr[-4000:]
    out = proc.stdout + proc.stderr
    assert "bellflow_summary_reproduction" in out and "Traceback" not in out
    assert "bf/results/summary/reproduction.csv" in out
    proc = _snakemake(outer, "bf/results/delivery/fig3_curves.h5")
    assert proc.returncode == 0, proc.stderr[-4000:]
    assert (outer / "bf/results/delivery/fig3_curves.h5").exists()
    assert not (outer / "results").exists(), "an output escaped the module's prefix"


def test_module_config_is_validated(outer):
    cfg = yaml.safe_load((outer / "bellflow_config.yaml").read_text())
    cfg["delivery"]["colour"] = "red"
    (outer / "bellflow_config.yaml").write_text(yaml.safe_dump(cfg))
    proc = _snakemake(outer, "--dry-run", "bellflow_all")
    assert proc.returncode != 0
    out = proc.stdout + proc.stderr
    assert "delivery.colour: unknown key" in out and "Traceback" not in out, out[-3000:]
