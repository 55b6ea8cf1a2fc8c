"""The workflow on a real single-node SLURM, through ``profiles/slurm``.

Run with ``make test-slurm``: it starts the cluster (``tests/slurm/start.sh``, needs root) and
runs ``pytest -m system`` on this file. The plain ``pytest`` run does not collect ``tests/slurm``
and deselects ``system`` tests. The tests start the cluster themselves if needed (the script is
idempotent) and, under CI (``CI=true``), fail rather than skip when SLURM cannot be started;
outside CI, without root and without SLURM, they skip naming the reason. Every Snakemake run is
bounded by a timeout; on timeout the run is interrupted (Snakemake cancels its jobs), leftover
jobs are cancelled and the test fails.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest
import xarray as xr
import yaml

from tests.workflow.conftest import IGNORE, cached_quick_run

ROOT = Path(__file__).resolve().parents[2]
START = ROOT / "tests" / "slurm" / "start.sh"
PROFILE = ROOT / "profiles" / "slurm"
SLURM_DIR = Path(os.environ.get("BELLFLOW_SLURM_DIR", "/tmp/bellflow-slurm"))
IN_CI = os.environ.get("CI", "").lower() in {"true", "1", "yes"}
#: Seconds for one Snakemake run: a guard against hangs, not a performance goal (the quick
#: workflow, 60 SLURM jobs, took 7-9 min through SLURM on 2 cores shared with other heavy users).
TIMEOUT = int(os.environ.get("BELLFLOW_SLURM_RUN_TIMEOUT", "900"))
SNAKEMAKE = [sys.executable, "-m", "snakemake"]
#: Faster polling than the profile's cluster-friendly 20 s/10 s, for a test on an empty cluster.
#: The plugin uses squeue only while MinJobAge (600 s in start.sh's slurm.conf) >= 3 x the
#: first delay, which holds.
FAST_POLL = [
    "--slurm-init-seconds-before-status-checks",
    "2",
    "--seconds-between-status-checks",
    "2",
]


#: Needs root and system packages: deselected by the plain run (`-m 'not system'`).
pytestmark = pytest.mark.system


def _cannot_run(reason: str):
    """Skip outside CI; fail under CI (the SLURM test must run there)."""
    if IN_CI:
        pytest.fail(f"SLURM test cannot run under CI: {reason}")
    pytest.skip(f"SLURM test cannot run here: {reason}")


@pytest.fixture(scope="module")
def slurm_env() -> dict[str, str]:
    """Environment for talking to the test cluster; starts it (idempotently) if needed."""
    try:
        proc = subprocess.run(["bash", str(START)], capture_output=True, text=True, timeout=900)
    except subprocess.TimeoutExpired as exc:
        pytest.fail(f"tests/slurm/start.sh did not finish in 900 s:\n{exc.stderr}")
    if proc.returncode == 77:
        _cannot_run(f"needs root to install/start SLURM: {proc.stderr.strip()}")
    if proc.returncode != 0:
        pytest.fail(f"tests/slurm/start.sh failed ({proc.returncode}):\n{proc.stderr}")
    env = {
        **os.environ,
        "SLURM_CONF": str(SLURM_DIR / "slurm.conf"),
        "PYTHONHASHSEED": "0",
        "BELLFLOW_LIST_LOCALRULES": "1",  # workflow/rules/localrules.smk names its local rules
    }
    state = _run(["sinfo", "--noheader", "--format=%T"], env).strip()
    assert state.startswith(("idle", "mixed", "allocated")), f"node not usable: {state!r}"
    return env


def _run(cmd: list[str], env: dict[str, str], timeout: int = 30, cwd: Path | None = None) -> str:
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=timeout, cwd=cwd)
    assert proc.returncode == 0, f"{cmd} failed: {proc.stderr}"
    return proc.stdout


def _cancel_jobs_under(workdir: Path, env: dict[str, str]) -> None:
    """scancel every job of the test cluster whose working directory is inside ``workdir``."""
    try:
        out = subprocess.run(
            ["squeue", "--noheader", "--format=%i|%Z"],
            capture_output=True, text=True, env=env, timeout=30,
        ).stdout  # fmt: skip
    except subprocess.TimeoutExpired:
        return  # slurmctld hangs: nothing to cancel through it; the test fails anyway
    ids = [
        line.split("|", 1)[0]
        for line in out.splitlines()
        if "|" in line and line.split("|", 1)[1].startswith(str(workdir))
    ]
    if ids:
        try:
            subprocess.run(["scancel", *ids], env=env, timeout=30, check=False)
        except subprocess.TimeoutExpired:
            pass


class Run:
    """A Snakemake process started in ``workdir``; ``wait()`` bounds it by ``timeout`` seconds
    counted from its start."""

    def __init__(self, workdir: Path, args: list[str], env: dict[str, str], timeout: int):
        self.workdir, self.env, self.timeout = workdir, env, timeout
        self.log = workdir / "snakemake.out"
        self.cmd = [*SNAKEMAKE, *args]
        self.start = time.monotonic()
        with open(self.log, "w") as fh:
            self.proc = subprocess.Popen(
                self.cmd, cwd=workdir, env=env, stdout=fh, stderr=subprocess.STDOUT,
                start_new_session=True,
            )  # fmt: skip
        self.end: float | None = None
        threading.Thread(target=self._note_end, daemon=True).start()

    def _note_end(self) -> None:
        self.proc.wait()
        self.end = time.monotonic()

    @property
    def elapsed(self) -> float:
        """Wall time from start to exit (so far, if still running)."""
        return (self.end or time.monotonic()) - self.start

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def wait(self) -> str:
        """Wait until ``timeout`` seconds after the start; the output, or a test failure."""
        try:
            self.proc.wait(timeout=max(1.0, self.timeout - self.elapsed))
        except subprocess.TimeoutExpired:
            # SIGINT (Ctrl-C) lets Snakemake scancel its own jobs; then make sure of it.
            os.killpg(self.proc.pid, signal.SIGINT)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=30)
            _cancel_jobs_under(self.workdir, self.env)
            pytest.fail(
                f"timed out after {self.timeout} s: {' '.join(self.cmd)}\n{self.output()[-6000:]}"
            )
        out = self.output()
        assert self.proc.returncode == 0, (
            f"{' '.join(self.cmd)} failed ({self.proc.returncode}) in {self.workdir}:\n"
            f"{out[-8000:]}"
        )
        return out


def _profile_expression(resource: str) -> str:
    """The profile's default-resources expression for ``resource`` (e.g. '2000 * attempt')."""
    profile = yaml.safe_load((PROFILE / "config.yaml").read_text())
    return str(profile["default-resources"][resource])


def test_no_accounting_on_the_test_cluster(slurm_env):
    """The cluster really lacks accounting, so the profile is tested without sacct data."""
    proc = subprocess.run(
        ["sacct", "--noheader"], capture_output=True, text=True, env=slurm_env, timeout=30
    )
    assert proc.returncode != 0 and "accounting storage is disabled" in proc.stderr.lower()


def test_retry_resubmits_with_more_memory(slurm_env, tmp_path):
    """Two rules through the profile, without accounting: rule a fails once and is retried as a
    new SLURM job whose memory request follows the profile's ``mem_mb`` expression with
    ``attempt`` = 2; rule b's own ``mem_mb`` reaches SLURM unchanged."""
    (tmp_path / "Snakefile").write_text(
        textwrap.dedent(
            """\
            rule all:
                input: "a.txt", "b.txt"

            rule a:
                output: "a.txt"
                shell:
                    "scontrol show job $SLURM_JOB_ID | grep -o 'JobId=[0-9]*' >> attempts.txt; "
                    "scontrol show job $SLURM_JOB_ID | grep -o 'MinMemoryNode=[0-9]*' "
                    ">> attempts.txt; "
                    "if [ ! -e failed_once ]; then touch failed_once; exit 3; fi; "
                    "cp attempts.txt {output}"

            rule b:
                output: "b.txt"
                resources: mem_mb=300
                shell: "scontrol show job $SLURM_JOB_ID | grep -o 'MinMemoryNode=[0-9]*' > {output}"
            """
        )
    )
    args = ["--profile", str(PROFILE), "--workflow-profile", "none", *FAST_POLL]
    out = Run(tmp_path, args, slurm_env, timeout=240).wait()

    expr = _profile_expression("mem_mb")
    expected = [eval(expr, {"__builtins__": {}}, {"attempt": k}) for k in (1, 2)]  # noqa: S307
    assert expected[1] > expected[0], f"profile mem_mb {expr!r} does not grow with attempt"
    text = (tmp_path / "a.txt").read_text()
    job_ids = re.findall(r"JobId=(\d+)", text)
    mems = [int(m) for m in re.findall(r"MinMemoryNode=(\d+)", text)]
    assert len(set(job_ids)) == 2, f"expected two SLURM jobs for rule a, got {text!r}"
    assert mems == expected, f"memory per attempt {mems}, profile says {expected} ({expr})"
    assert re.findall(r"MinMemoryNode=(\d+)", (tmp_path / "b.txt").read_text()) == ["300"]
    assert len(re.findall(r"submitted with SLURM jobid", out)) == 3


def _check_job_counts(slurm_out: str, local_out: str) -> tuple[int, int]:
    """Only computing jobs go through SLURM: figures, gathers and the summary (the rules
    workflow/rules/localrules.smk lists) run on the submitting node. Returns (local jobs of the
    SLURM run, jobs of the local run)."""
    listed = re.search(r"^bellflow localrules: (.*)$", slurm_out, re.M)
    assert listed, "the SLURM run did not list its local rules"
    tiny = set(listed.group(1).split())
    remote = re.findall(r"^rule (\w+):", slurm_out, re.M)
    local_jobs = re.findall(r"^localrule (\w+):", slurm_out, re.M)
    submitted = len(re.findall(r"submitted with SLURM jobid", slurm_out))
    assert submitted == len(remote), f"{submitted} submissions for {len(remote)} remote jobs"
    assert not tiny & set(remote), f"tiny rules submitted to SLURM: {sorted(tiny & set(remote))}"
    assert set(local_jobs) - {"all"} == tiny, "every tiny rule ran locally, nothing else did"
    total = re.search(r"^total\s+(\d+)", local_out, re.M)
    assert total, "no job count in the local run's output"
    assert submitted + len(local_jobs) == int(total.group(1)), (
        f"{submitted} SLURM + {len(local_jobs)} local jobs != {total.group(1)} local-run jobs"
    )
    return len(local_jobs), int(total.group(1))


def _h5_files(repo: Path) -> list[Path]:
    return sorted(p.relative_to(repo) for p in (repo / "results").rglob("*.h5"))


def test_quick_workflow_through_slurm_matches_local_run(slurm_env, tmp_path):
    """The quick workflow through ``--profile profiles/slurm`` gives the same HDF5 outputs, to the
    last bit, as a local run of the same files (``cached_quick_run``: the run ``make test`` made,
    reused when the files are unchanged, else made now)."""
    local = cached_quick_run()
    cluster = tmp_path / "slurm"
    shutil.copytree(ROOT, cluster, ignore=IGNORE)
    quick = ["--configfile", "config/quick.yaml"]
    slurm_args = ["--profile", "profiles/slurm", *FAST_POLL, *quick]
    slurm_run = Run(cluster, slurm_args, slurm_env, TIMEOUT)
    slurm_out = slurm_run.wait()
    # the local run's job count, from a dry run of every job of the same workflow
    local_out = _run(
        [*SNAKEMAKE, "--dry-run", "--forceall", "--cores", "2", *quick],
        slurm_env,
        timeout=300,
        cwd=local,
    )
    n_submitted = len(re.findall(r"submitted with SLURM jobid", slurm_out))
    assert n_submitted > 0, f"no job went through SLURM:\n{slurm_out[-4000:]}"
    n_local, n_total = _check_job_counts(slurm_out, local_out)
    files = _h5_files(local)
    assert files, "the local quick run wrote no HDF5 file"
    print(
        f"quick workflow through SLURM {slurm_run.elapsed:.0f} s"
        f" ({n_submitted} SLURM jobs, {n_local} local jobs of {n_total});"
        f" comparing {len(files)} HDF5 files"
    )
    assert _h5_files(cluster) == files
    for rel in files:
        with (
            xr.open_dataset(local / rel, engine="h5netcdf") as a,
            xr.open_dataset(cluster / rel, engine="h5netcdf") as b,
        ):
            xr.testing.assert_identical(a.load(), b.load())
    for rel in ("results/summary/reproduction.csv",):
        if (local / rel).exists():
            assert (cluster / rel).read_text() == (local / rel).read_text(), rel
