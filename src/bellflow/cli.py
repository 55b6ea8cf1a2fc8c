"""The ``bellflow`` command: ask the results a question without writing Snakemake.

::

    bellflow topics                         the five topics, their papers and workflow targets
    bellflow table [--paper P] [--status S] [--long]
                                            the reproduction table, readable in a terminal
    bellflow show FILE.h5                   variables, axes, attributes and provenance of a result
    bellflow run TOPIC [--quick] [--cores N] [--profile P] [--dry-run]
                                            run one topic (or ``all``) through Snakemake
    bellflow unlock                         remove Snakemake's locks left by a killed run

Also ``python -m bellflow``. Errors a user can fix (an unknown topic, no results yet, a
missing file) end with a one-line message on stderr and exit code 2, without a traceback.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import shutil
import subprocess
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

__all__ = ["main", "TOPICS", "STATUSES", "live_snakemake", "unlock_if_stale", "UserError"]

#: topic -> (paper number in the papers' index, short title of the paper).
TOPICS: dict[str, tuple[str, str]] = {
    "interconversion": ("000", "Ghosh et al., multicopy interconversion of nonlocality"),
    "causal": ("001", "Liu and Chiribella, Tsirelson bounds with indefinite causal order"),
    "diqkd": ("002", "Farkas, unbounded DI key rates from small nonlocality"),
    "lmg": ("003", "Marconi et al., nonlocality in the open LMG model"),
    "delivery": ("004", "Entanglement distribution by an inept delivery service"),
}

#: Statuses of the reproduction table.
STATUSES = ("pass", "typo", "depends", "fail")

TABLE = Path("summary") / "reproduction.csv"
QUICK_CONFIG = Path("config") / "quick.yaml"


class UserError(Exception):
    """An error the user can fix: reported as one line, exit code 2."""


# -- stale locks ------------------------------------------------------------------------------


def _is_snakemake(argv: Sequence[str]) -> bool:
    """Whether a command line runs Snakemake (``snakemake ...``, ``python -m snakemake``)."""
    head = list(argv[:4])
    if any(os.path.basename(a) == "snakemake" for a in head):
        return True
    return any(a == "-m" and b == "snakemake" for a, b in zip(head, head[1:], strict=False))


def live_snakemake(directory: str | os.PathLike[str]) -> list[int] | None:
    """Process ids of Snakemake processes whose working directory is ``directory``.

    Read from ``/proc``; returns None where there is no ``/proc`` (then nothing can be said
    and no lock is removed). This process itself is never counted.
    """
    proc = Path("/proc")
    if not proc.is_dir():
        return None
    target = Path(directory).resolve()
    found = []
    for entry in proc.iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            argv = (entry / "cmdline").read_bytes().split(b"\0")
            cwd = Path(os.readlink(entry / "cwd"))
        except OSError:  # the process ended, or belongs to another user
            continue
        if cwd == target and _is_snakemake([a.decode(errors="replace") for a in argv if a]):
            found.append(int(entry.name))
    return sorted(found)


def _snakemake_cmd() -> list[str]:
    """How to call Snakemake: the executable beside this Python, else ``python -m snakemake``."""
    exe = Path(sys.executable).with_name("snakemake")
    if exe.exists():
        return [str(exe)]
    try:
        import snakemake  # noqa: F401
    except ImportError:
        raise UserError(
            "Snakemake is not installed; install the workflow extra: "
            "pip install 'bellflow[workflow]' (or run `make venv`)"
        ) from None
    return [sys.executable, "-m", "snakemake"]


def unlock_if_stale(directory: str | os.PathLike[str] = ".") -> bool:
    """Run ``snakemake --unlock`` when ``.snakemake/locks`` holds locks and no Snakemake runs.

    A run that was killed (Ctrl-C twice, a lost ssh session, an out-of-memory kill) leaves its
    locks behind, and the next run then refuses to start. Returns whether it unlocked; says
    what it does on stderr.
    """
    locks = Path(directory) / ".snakemake" / "locks"
    if not locks.is_dir() or not any(locks.iterdir()):
        return False
    live = live_snakemake(directory)
    if live is None or live:
        why = f"Snakemake is running here (pid {', '.join(map(str, live))})" if live else (
            "cannot list processes"
        )
        print(f"bellflow: .snakemake/locks holds locks; {why}: leaving them", file=sys.stderr)
        return False
    print(
        "bellflow: stale Snakemake locks (no Snakemake process runs in this directory): "
        "running snakemake --unlock",
        file=sys.stderr,
    )
    subprocess.run([*_snakemake_cmd(), "--unlock"], cwd=directory, check=True)
    return True


# -- topics and table -------------------------------------------------------------------------


def _topic(name: str) -> str:
    """A topic from its name or its paper number (``causal`` or ``001``)."""
    for topic, (number, _) in TOPICS.items():
        if name.lower() in (topic, number):
            return topic
    raise UserError(f"unknown topic or paper {name!r}; one of: {', '.join(TOPICS)} (or 000-004)")


def _read_table(results: Path) -> list[dict[str, str]]:
    path = results / TABLE
    if not path.is_file():
        raise UserError(
            f"no reproduction table at {path} yet; make one with `make quick` (~2 min) "
            "or `bellflow run all --quick`"
        )
    with path.open(newline="") as f:
        return list(csv.DictReader(f))


def cmd_topics(args: argparse.Namespace) -> int:
    """Print the topics, their papers, Snakemake targets and (if any) table statuses."""
    table = args.results / TABLE
    counts: dict[str, Counter[str]] = {}
    if table.is_file():
        for row in _read_table(args.results):
            counts.setdefault(row["paper"], Counter())[row["status"]] += 1
    rows = [("topic", "paper", "target", "rows in the table", "title")]
    for topic, (number, title) in TOPICS.items():
        c = counts.get(topic)
        status = ", ".join(f"{c[s]} {s}" for s in STATUSES if c[s]) if c else "-"
        rows.append((topic, number, f"{topic}_all", status, title))
    print(_format(rows))
    if not table.is_file():
        print(f"\n(no results yet in {args.results}: `make quick` or `bellflow run all --quick`)")
    return 0


def _num(text: str) -> str:
    try:
        return f"{float(text):.6g}"
    except ValueError:
        return text


def _format(rows: Sequence[Sequence[str]], wrap_col: int | None = None) -> str:
    """Rows as aligned columns; column ``wrap_col`` is cut to fit the terminal width."""
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    if wrap_col is not None:
        term = shutil.get_terminal_size((120, 24)).columns
        rest = sum(w + 2 for i, w in enumerate(widths) if i != wrap_col)
        widths[wrap_col] = max(20, min(widths[wrap_col], term - rest))
    lines = []
    for r in rows:
        cells = []
        for i, (cell, w) in enumerate(zip(r, widths, strict=True)):
            if len(cell) > w:
                cell = cell[: w - 1] + "…"
            cells.append(cell if i == len(widths) - 1 else cell.ljust(w))
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines)


def cmd_table(args: argparse.Namespace) -> int:
    """Print the reproduction table, filtered by paper and status."""
    topic = _topic(args.paper) if args.paper else None
    rows = _read_table(args.results)
    if topic:
        rows = [r for r in rows if r["paper"] == topic]
    if args.status:
        rows = [r for r in rows if r["status"] == args.status]
    counts = Counter(r["status"] for r in rows)
    if args.long:
        for r in rows:
            print(_long_row(r))
    elif rows:
        print(_format(_table_rows(rows), wrap_col=6))
    summary = ", ".join(f"{counts[s]} {s}" for s in STATUSES if counts[s])
    print(f"{len(rows)} rows" + (f": {summary}" if summary else " match"))
    return 0


def _long_row(r: dict[str, str]) -> str:
    """One row as a block: status, quantity, numbers, then route, check and note."""
    where = f" ({r['where']})" if r.get("where") else ""
    lines = [
        f"[{r['status']}] {r['paper']}: {r['quantity']}{where}",
        f"    paper {_num(r['paper_value'])}, computed {_num(r['computed'])}, "
        f"|error| {_num(r['abs_error'])}, tolerance {_num(r['tolerance'])}",
    ]
    for key in ("route", "check", "note"):
        if r.get(key):
            lines.append(f"    {key}: {r[key]}")
    return "\n".join(lines)


def _table_rows(rows: list[dict[str, str]]) -> list[tuple[str, ...]]:
    out: list[tuple[str, ...]] = [
        ("paper", "status", "paper value", "computed", "|error|", "tolerance", "quantity")
    ]
    for r in rows:
        out.append(
            (
                r["paper"],
                r["status"],
                _num(r["paper_value"]),
                _num(r["computed"]),
                _num(r["abs_error"]),
                _num(r["tolerance"]),
                f"{r['quantity']} [{r['where']}]" if r.get("where") else r["quantity"],
            )
        )
    return out


# -- show ---------------------------------------------------------------------------------------

PROVENANCE = ("bellflow_version", "git_commit", "git_dirty")


def _open_result(path: Path) -> Any:
    if not path.is_file():
        raise UserError(f"no such file: {path}")
    from bellflow.io import read_result

    try:
        return read_result(path)
    except Exception as exc:  # noqa: BLE001 (any reader failure is a user-facing message)
        raise UserError(f"cannot read {path} as a bellflow result (HDF5): {exc}") from None


def _var_line(name: str, var: Any) -> tuple[str, ...]:
    dims = "(" + ", ".join(f"{d}: {n}" for d, n in zip(var.dims, var.shape, strict=True)) + ")"
    value = ""
    if var.ndim == 0:
        value = "= " + _num(str(var.values.item()))
    desc = str(var.attrs.get("description", ""))
    units = var.attrs.get("units")
    return (name, dims if var.ndim else "scalar", str(var.dtype), value, desc
            + (f" [{units}]" if units else ""))


def cmd_show(args: argparse.Namespace) -> int:
    """Print what a result file holds."""
    ds = _open_result(args.file)
    attrs = dict(ds.attrs)
    print(f"{args.file}")
    print(f"  topic: {attrs.pop('topic', '?')}   paper: {attrs.pop('paper', '?')}")
    print("provenance:")
    for key in PROVENANCE:
        print(f"  {key}: {attrs.pop(key, 'not recorded')}")
    print("axes:")
    axes = [(str(d), f"{n} points", "", _axis_range(ds, d), "") for d, n in ds.sizes.items()]
    print(_indent(_format(axes)) if axes else "  (none: scalars only)")
    print("variables:")
    rows = [_var_line(str(k), v) for k, v in ds.data_vars.items()]
    print(_indent(_format(rows, wrap_col=4)) if rows else "  (none)")
    attrs.pop("quantity", None)  # the descriptions, shown above
    params = attrs.pop("params", None)
    if params is not None:
        print("params:")
        print(_indent(json.dumps(json.loads(params), indent=2, sort_keys=True)))
    if attrs:
        print("attributes:")
        print(_indent(_format([(f"{k}:", str(v)) for k, v in sorted(attrs.items())])))
    return 0


def _axis_range(ds: Any, dim: Any) -> str:
    if dim not in ds.coords:
        return "(index)"
    values = ds[dim].values
    if values.size == 0 or values.dtype.kind not in "iuf":
        return ""
    return f"{_num(str(values.min()))} .. {_num(str(values.max()))}"


def _indent(text: str) -> str:
    return "\n".join("  " + line for line in text.splitlines())


# -- run ----------------------------------------------------------------------------------------


def snakemake_command(args: argparse.Namespace) -> list[str]:
    """The Snakemake command line of ``bellflow run`` (targets before ``--configfile``)."""
    cmd = _snakemake_cmd()
    if args.topic != "all":
        cmd.append(f"{_topic(args.topic)}_all")
    cmd += ["--cores", str(args.cores)]
    if args.profile:
        cmd += ["--profile", args.profile]
    if args.dry_run:
        cmd.append("--dry-run")
    cmd += list(args.snakemake_args)
    if args.quick:
        cmd += ["--configfile", str(QUICK_CONFIG)]
    return cmd


def cmd_run(args: argparse.Namespace) -> int:
    """Run a topic through Snakemake from the checkout in the working directory."""
    if args.topic != "all":
        _topic(args.topic)
    if not Path("Snakefile").is_file():
        raise UserError(
            f"no Snakefile in {Path.cwd()}; run `bellflow run` from the bellflow checkout"
        )
    cmd = snakemake_command(args)
    _check_config(args)
    if not args.dry_run:
        unlock_if_stale(".")
    print("bellflow: " + " ".join(cmd), file=sys.stderr)
    return subprocess.run(cmd).returncode


def _check_config(args: argparse.Namespace) -> None:
    """The merged config (``config/config.yaml`` and the quick overlay) passes its checks
    (``python -m bellflow.grids``: YAML errors with file and line, schema, grids), before
    Snakemake starts."""
    from bellflow import grids

    overlays = [str(QUICK_CONFIG)] if args.quick else []
    if grids.main(["-q", *overlays]) != 0:
        raise UserError("the config has the problems listed above; nothing was run")


def cmd_unlock(args: argparse.Namespace) -> int:
    """Remove stale locks of the workflow in the working directory."""
    if not unlock_if_stale(".") and not args.quiet:
        print("bellflow: no stale locks", file=sys.stderr)
    return 0


# -- parser -------------------------------------------------------------------------------------


def _cores(text: str) -> str:
    if text == "all" or (text.isdigit() and int(text) > 0):
        return text
    raise argparse.ArgumentTypeError(f"must be a positive integer or 'all', got {text!r}")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``bellflow`` (one subcommand per function above)."""
    from bellflow import __version__

    p = argparse.ArgumentParser(
        prog="bellflow",
        description="Reproduction of five papers on quantum nonlocality: "
        "inspect results, run the workflow.",
    )
    p.add_argument("--version", action="version", version=f"bellflow {__version__}")
    p.add_argument(
        "--results",
        type=Path,
        default=Path("results"),
        help="results folder of the workflow (default: ./results)",
    )
    sub = p.add_subparsers(dest="command", metavar="COMMAND", required=True)
    s = sub.add_parser("topics", help="list the topics, their papers and workflow targets")
    s.set_defaults(func=cmd_topics)
    s = sub.add_parser("table", help="print the reproduction table (results/summary)")
    s.add_argument("--paper", help="a topic (e.g. causal) or paper number (e.g. 001)")
    s.add_argument("--status", choices=STATUSES, help="only rows with this status")
    s.add_argument(
        "-l", "--long", action="store_true", help="one block per row, with route, check and note"
    )
    s.set_defaults(func=cmd_table)
    s = sub.add_parser("show", help="print the variables, axes and provenance of a result file")
    s.add_argument("file", type=Path, metavar="FILE.h5")
    s.set_defaults(func=cmd_show)
    s = sub.add_parser(
        "run",
        help="run a topic through Snakemake",
        description="Thin pass-through to Snakemake, from the checkout in the working "
        "directory; removes stale locks first. Arguments after -- go to Snakemake.",
    )
    s.add_argument("topic", metavar="TOPIC", help="a topic, a paper number, or 'all'")
    s.add_argument("--quick", action="store_true", help="small grids (config/quick.yaml)")
    s.add_argument("--cores", type=_cores, default="all", help="cores to use (default: all)")
    s.add_argument("--profile", help="a Snakemake profile, e.g. profiles/slurm")
    s.add_argument("-n", "--dry-run", action="store_true", help="only show what would run")
    s.set_defaults(func=cmd_run, snakemake_args=[])
    s = sub.add_parser("unlock", help="remove Snakemake locks left by a killed run")
    s.add_argument("-q", "--quiet", action="store_true", help="say nothing when there are none")
    s.set_defaults(func=cmd_unlock)
    return p


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """Parse a command line; for ``run``, the arguments after ``--`` go to Snakemake."""
    argv = list(sys.argv[1:] if argv is None else argv)
    extra: list[str] = []
    if "--" in argv:
        cut = argv.index("--")
        argv, extra = argv[:cut], argv[cut + 1 :]
    args = build_parser().parse_args(argv)
    if extra:
        if args.command != "run":
            build_parser().error("arguments after -- are passed to Snakemake by `run` only")
        args.snakemake_args = extra
    return args


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``bellflow`` console script; returns the exit code."""
    args = parse_args(argv)
    try:
        return int(args.func(args))
    except UserError as exc:
        print(f"bellflow: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # `bellflow table | head`
        return 0
    except KeyboardInterrupt:
        return 130
