"""Logs of the quick run: every computing job writes its log, and a failing job's traceback
ends up in its log (bellflow.logs.rule_log at the bottom of every rule script)."""

from __future__ import annotations

import os
import re
import subprocess
import textwrap
from pathlib import Path

import pytest

from .conftest import SNAKEMAKE

pytestmark = pytest.mark.workflow

RULE = re.compile(r"^rule (\w+):\n(.*?)(?=^rule |\Z)", re.M | re.S)


def _log_patterns(repo: Path) -> dict[str, str]:
    """rule -> its log: path, with wildcards as glob stars."""
    out = {}
    for smk in sorted((repo / "workflow" / "rules").glob("*.smk")):
        for name, body in RULE.findall(smk.read_text()):
            m = re.search(r"^    log:\n\s+(?:\w+=)?\"([^\"]+)\"", body, re.M)
            if m:
                out[name] = re.sub(r"\{[^}]+\}", "*", m.group(1))
    return out


def _local_rules(repo: Path) -> set[str]:
    """The rules workflow/rules/localrules.smk keeps local (figures, gathers, the summary)."""
    proc = subprocess.run(
        [*SNAKEMAKE, "--list-rules", "--configfile", "config/quick.yaml"],
        cwd=repo,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "BELLFLOW_LIST_LOCALRULES": "1"},
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    line = next(x for x in proc.stderr.splitlines() if x.startswith("bellflow localrules:"))
    return set(line.split(":", 1)[1].split())


def test_every_computing_rule_logs(quick_run):
    """Every job of every computing rule left a non-empty log (rule, wildcards, solves,
    progress, the end): the failure message lists the rules whose logs are missing or empty."""
    local = _local_rules(quick_run)
    patterns = _log_patterns(quick_run)
    computing = {r: p for r, p in patterns.items() if r not in local and not r.endswith("_all")}
    assert len(computing) >= 20, sorted(computing)
    missing, empty = [], []
    for rule, pattern in sorted(computing.items()):
        logs = sorted(quick_run.glob(pattern))
        if not logs:
            missing.append(f"{rule} ({pattern})")
        empty += [f"{rule}: {p.relative_to(quick_run)}" for p in logs if p.stat().st_size == 0]
    assert not missing, "rules without a log after the quick run:\n  " + "\n  ".join(missing)
    assert not empty, "empty logs (script without rule_log?):\n  " + "\n  ".join(empty)


def test_a_failing_job_leaves_its_traceback_in_its_log(repo_copy):
    """A rule whose library call raises: Snakemake fails the job, and the log holds the
    traceback through the library (here bellflow.grids rejecting min >= max)."""
    (repo_copy / "scripts" / "broken_grid.py").write_text(
        textwrap.dedent(
            """\
            from bellflow.grids import grid


            def main(out):
                values = grid({"min": 1.0, "max": 0.0, "points": 3})
                open(out, "w").write(str(values))


            if __name__ == "__main__":
                from bellflow.logs import rule_log

                with rule_log(snakemake):
                    main(snakemake.output[0])
            """
        )
    )
    with (repo_copy / "Snakefile").open("a") as f:
        f.write(
            textwrap.dedent(
                """

                rule broken_grid:
                    output:
                        "results/broken.txt",
                    log:
                        "logs/broken_grid.log",
                    script:
                        "scripts/broken_grid.py"
                """
            )
        )
    # the target before --configfile (which takes several files)
    proc = subprocess.run(
        [*SNAKEMAKE, "results/broken.txt", "--cores", "1", "--configfile", "config/quick.yaml"],
        cwd=repo_copy,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode != 0, proc.stderr[-3000:]
    log = (repo_copy / "logs" / "broken_grid.log").read_text()
    assert "rule broken_grid started" in log
    assert "ERROR bellflow.rule.broken_grid: rule broken_grid failed" in log
    assert "Traceback (most recent call last)" in log
    assert re.search(r'File ".*bellflow/grids\.py", line \d+', log), log
    assert "ValueError" in log and "min" in log
    assert not (repo_copy / "results" / "broken.txt").exists()
