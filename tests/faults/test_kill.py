"""kill -9 at seeded random moments of a quick-config run: resumed without a manual step,
nothing truncated under a final name, outputs equal to an undisturbed run (which also shows
two runs give identical HDF5 numbers)."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import time
from pathlib import Path

import pytest

from tests.workflow.conftest import copy_repo

from .resume import remove_stale_temporaries, unlock_if_stale
from .runs import TARGETS, command, env, run, unreadable_h5

SEED = int(os.environ.get("BELLFLOW_KILL_SEED", "20261202"))
N_KILLS = int(os.environ.get("BELLFLOW_KILLS", "10"))


def _compare_hdf5():
    import importlib.util

    root = Path(__file__).resolve().parents[2]
    spec = importlib.util.spec_from_file_location("cr", root / "benchmarks/compare_runs.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.compare_hdf5


@pytest.fixture(scope="module")
def undisturbed(tmp_path_factory) -> tuple[Path, float]:
    repo = copy_repo(tmp_path_factory.mktemp("undisturbed") / "repo")
    t0 = time.monotonic()
    proc = run(repo, *TARGETS)
    assert proc.returncode == 0, proc.stderr[-4000:]
    return repo, time.monotonic() - t0


def test_kill9_resume_equals_undisturbed_run(tmp_path, undisturbed, figures):
    reference, seconds = undisturbed
    repo = copy_repo(tmp_path / "repo")
    rng = random.Random(SEED)
    kills, stale_unlocks, stale_temporaries, log = 0, 0, 0, []
    while kills < N_KILLS:
        stale_unlocks += unlock_if_stale(repo, "--configfile", "config/quick.yaml")
        stale_temporaries += remove_stale_temporaries(repo)
        proc = subprocess.Popen(
            command(*TARGETS),
            cwd=repo,
            env=env(),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,  # its own process group: the kill takes its jobs too
        )
        moment = rng.uniform(1.0, max(2.0, 0.8 * seconds))
        try:
            rc = proc.wait(timeout=moment)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            kills += 1
            figures["kills"] += 1
            bad = unreadable_h5(repo / "results")
            log.append(f"kill {kills} at {moment:.1f} s: {len(bad)} unreadable")
            assert bad == [], f"kill at {moment:.1f} s left truncated files: {bad}"
            continue
        assert rc == 0, f"a run ended with {rc} before its kill at {moment:.1f} s: {log}"
        # finished before the kill: start again from nothing, so every kill hits a run
        log.append(f"run finished before {moment:.1f} s")
        subprocess.run(["rm", "-rf", "results"], cwd=repo, check=True)
    # resume: no manual step (stale lock removed here, incomplete jobs re-run by the profile)
    stale_unlocks += unlock_if_stale(repo, "--configfile", "config/quick.yaml")
    stale_temporaries += remove_stale_temporaries(repo)
    proc = run(repo, *TARGETS)
    assert proc.returncode == 0, f"resume failed:\n{proc.stderr[-4000:]}\n{log}"
    assert stale_unlocks >= 1, "no kill left a lock: the resume path was not exercised"
    diffs = _compare_hdf5()(reference / "results", repo / "results")
    figures["outputs_lost"] += len(diffs)
    assert diffs == [], diffs
    assert (repo / "results/figures/delivery/fig3.png").exists()
    assert not [p for p in (repo / "results").rglob("*.tmp")], "temporary files left"
    figures["kills_survived"] += kills
    print(f"{kills} kills, {stale_unlocks} stale locks and {stale_temporaries} temporary files "
          f"of killed jobs removed; " + "; ".join(log))
