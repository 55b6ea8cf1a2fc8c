"""Per-step wall time and peak memory of a finished run, from Snakemake's benchmark files.

    python benchmarks/run_profile.py [RESULTS_DIR] [--elapsed SECONDS]

Reads ``results/benchmarks/<topic>/*.tsv`` (one per job; every rule declares ``benchmark:``)
and prints, per step (a rule; chunk jobs grouped): jobs, summed and largest wall time, and
largest peak RSS (MB). With
``--elapsed`` (the run's wall time) it also prints the mean number of busy job slots,
sum(job wall time) / elapsed: how well ``--cores N`` was kept busy.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import pandas as pd


def collect(results: Path) -> pd.DataFrame:
    rows = []
    for tsv in sorted((results / "benchmarks").rglob("*.tsv")):
        df = pd.read_csv(tsv, sep="\t")
        # chunk jobs (trailing chunk number) are grouped with their siblings
        step = re.sub(r"(?<=chunk)_?\d+$|_\d+$", "", tsv.stem)
        rows.append(
            {
                "rule": f"{tsv.parent.name}/{step}",
                "s": df["s"].iloc[-1],
                "max_rss": df["max_rss"].iloc[-1],
            }
        )
    return pd.DataFrame(rows)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("results", nargs="?", default="results", type=Path)
    ap.add_argument("--elapsed", type=float, default=None)
    args = ap.parse_args()
    df = collect(args.results)
    if df.empty:
        raise SystemExit(f"no benchmark files under {args.results}/benchmarks")
    per_rule = df.groupby("rule").agg(
        jobs=("s", "size"), total_s=("s", "sum"), max_s=("s", "max"), peak_rss_mb=("max_rss", "max")
    )
    print(per_rule.sort_values("total_s", ascending=False).round(1).to_markdown())
    total = df["s"].sum()
    print(f"\n{len(df)} jobs, {total:.0f} s of job wall time")
    if args.elapsed:
        print(
            f"mean busy job slots: {total / args.elapsed:.2f} (run wall time {args.elapsed:.0f} s)"
        )


if __name__ == "__main__":
    main()
