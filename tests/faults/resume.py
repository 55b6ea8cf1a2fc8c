"""Resuming after a kill without a manual step: a stale lock is removed, incomplete jobs re-run.

After ``kill -9`` Snakemake leaves its lock in ``.snakemake/locks``, and every later run stops
with ``LockException`` until ``snakemake --unlock``. :func:`unlock_if_stale` unlocks only when
no live Snakemake process works in the directory (a second, running Snakemake keeps its lock).
Incomplete outputs of killed jobs are re-run by ``rerun-incomplete: true`` of
``profiles/default``; :func:`remove_stale_temporaries` deletes the hidden temporary files their
atomic writes left (never under a final name). ``make run``/``make quick`` should do the same
before starting.

    python tests/faults/resume.py [DIR]      # unlock DIR (default .) if its lock is stale
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

SNAKEMAKE = [sys.executable, "-m", "snakemake"]


def _cmdline(pid: str) -> list[str]:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace").split("\0")
    except OSError:
        return []


def live_snakemake(directory: Path) -> list[int]:
    """Pids of Snakemake processes (not their jobs) whose working directory is ``directory``."""
    here = Path(directory).resolve()
    pids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            cwd = Path(os.readlink(entry / "cwd")).resolve()
        except OSError:
            continue
        argv = _cmdline(entry.name)
        is_snakemake = any(Path(a).name == "snakemake" for a in argv[:3]) or (
            "-m" in argv[:3] and "snakemake" in argv[:4]
        )
        if cwd == here and is_snakemake:
            pids.append(int(entry.name))
    return pids


def remove_stale_temporaries(directory: Path) -> int:
    """Remove the temporary files (``.<name>.<random>.tmp`` of ``bellflow.io.atomic_path``)
    that killed jobs left under ``results/``, when no Snakemake runs here; how many."""
    if live_snakemake(directory):
        return 0
    stale = list((Path(directory) / "results").rglob(".*.tmp"))
    for f in stale:
        f.unlink(missing_ok=True)
    return len(stale)


def unlock_if_stale(directory: Path, *extra: str) -> bool:
    """Remove a lock left by a killed run; True if it unlocked."""
    locks = Path(directory) / ".snakemake" / "locks"
    if not (locks.is_dir() and any(locks.iterdir())) or live_snakemake(directory):
        return False
    print(f"bellflow: removing the lock left by a killed Snakemake run in {directory}")
    subprocess.run(
        [*SNAKEMAKE, "--unlock", *extra], cwd=directory, check=True, capture_output=True
    )
    return True


if __name__ == "__main__":  # pragma: no cover (command line)
    where = Path(sys.argv[1] if len(sys.argv) > 1 else ".")
    unlock_if_stale(where)
    remove_stale_temporaries(where)
