"""Pipeline benchmark: cold run, no-op re-run, one-parameter re-run and DAG build of the quick
config, with the no-op time as a ratio to Snakemake's own no-op on a trivial one-rule workflow
measured in the same run. Not part of the test suite.

    python benchmarks/bench_pipeline.py [--cores 2] [--repeats 3]

Prints a table; writes only into a temporary directory.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
IGNORE = shutil.ignore_patterns(
    ".venv", ".git", "results", "logs", ".snakemake", "*_cache", ".hypothesis", "__pycache__"
)
TRIVIAL = """
rule all:
    input: "a.txt"

rule make_a:
    output: "a.txt"
    shell: "echo a > {output}"
"""


def run(cwd: Path, *args: str) -> float:
    t = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "snakemake", *args],
        cwd=cwd,
        check=True,
        capture_output=True,
        text=True,
    )
    return time.perf_counter() - t


def best(n: int, f) -> float:
    return min(f() for _ in range(n))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--cores", type=int, default=2)
    ap.add_argument("--repeats", type=int, default=3)
    args = ap.parse_args()
    quick = ["--cores", str(args.cores), "--configfile", "config/quick.yaml"]
    with tempfile.TemporaryDirectory() as tmp:
        repo = Path(tmp) / "repo"
        shutil.copytree(ROOT, repo, ignore=IGNORE)
        trivial = Path(tmp) / "trivial"
        trivial.mkdir()
        (trivial / "Snakefile").write_text(TRIVIAL)
        run(trivial, "--cores", "1")

        rows = []
        rows.append(("cold run, quick config", run(repo, *quick)))
        noop = best(args.repeats, lambda: run(repo, *quick))
        rows.append(("no-op re-run", noop))
        dag = best(args.repeats, lambda: run(repo, *quick, "--dry-run"))
        rows.append(("DAG build (dry run)", dag))
        cfg = yaml.safe_load((repo / "config/quick.yaml").read_text())
        cfg["delivery"]["fig3"]["S_points"] += 1
        (repo / "config/changed.yaml").write_text(yaml.safe_dump(cfg))
        rows.append(
            (
                "one-parameter re-run (delivery fig3 grid)",
                run(repo, "--cores", str(args.cores), "--configfile", "config/changed.yaml"),
            )
        )
        trivial_noop = best(args.repeats, lambda: run(trivial, "--cores", "1"))
        rows.append(("trivial one-rule workflow, no-op", trivial_noop))

    width = max(len(r[0]) for r in rows)
    print(f"{'measurement':<{width}}  seconds")
    for name, sec in rows:
        print(f"{name:<{width}}  {sec:7.2f}")
    print(f"no-op ratio (bellflow / trivial): {noop / trivial_noop:.2f}  (goal: no-op < 5 s)")


if __name__ == "__main__":
    main()
