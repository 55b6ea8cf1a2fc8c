"""The bellflow command on a small fake results folder (no Snakemake run but one dry run)."""

import csv
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from bellflow import cli
from bellflow.io import scalar, write_result

ROOT = Path(__file__).resolve().parents[1]
FIELDS = "paper,quantity,where,paper_value,computed,abs_error,tolerance,status,route,check,note"
FIELDS = FIELDS.split(",")
ROWS = [
    ("causal", "LGYNI ICO bound", "Eq. (5)", "0.8194", "0.81940072", "7.2e-07", "5e-05", "pass"),
    ("causal", "Omega of Eq. (33)", "Eq. (33)", "0", "0.5", "0.5", "1e-12", "typo"),
    ("delivery", "S threshold", "Sec. III", "0.3333333", "0.3333333", "0", "1e-10", "pass"),
    ("lmg", "N_c at gamma = 1", "Fig. 1", "12", "13", "1", "0.5", "fail"),
]


@pytest.fixture
def results(tmp_path):
    res = tmp_path / "results"
    (res / "summary").mkdir(parents=True)
    with (res / "summary" / "reproduction.csv").open("w", newline="") as f:
        w = csv.writer(f)
        w.writerow(FIELDS)
        for row in ROWS:
            extra = ["", "", ""]
            if row[1] == "LGYNI ICO bound":
                route = "causal.ico_bound (single-trigger SDP)"
                extra = [route, "dual 0.81940071, |diff| 1e-9", ""]
            w.writerow([*row, *extra])
    a = np.linspace(0.0, 1.0, 5)
    write_result(
        res / "delivery" / "scan.h5",
        {
            "fidelity": (("a",), 1 - a / 2, {"description": "fidelity Eq. (3.2)"}),
            "eof": (("a",), a, {"description": "entanglement of formation", "units": "ebit"}),
            "threshold": scalar(1 / 3, "S threshold"),
        },
        coords={"a": a},
        topic="delivery",
        params={"a_points": 5, "S_points": 3},
    )
    return res


def run(capsys, *argv):
    code = cli.main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_topics(capsys, results):
    code, out, _ = run(capsys, "--results", results, "topics")
    assert code == 0
    lines = out.splitlines()
    for topic, (number, _) in cli.TOPICS.items():
        line = next(x for x in lines if x.startswith(topic + " "))
        assert number in line and f"{topic}_all" in line
    assert "1 pass, 1 typo" in next(x for x in lines if x.startswith("causal "))
    assert "1 fail" in next(x for x in lines if x.startswith("lmg "))


def test_topics_without_results(capsys, tmp_path):
    code, out, _ = run(capsys, "--results", tmp_path / "none", "topics")
    assert code == 0
    assert "no results yet" in out


def test_table_filters(capsys, results):
    code, out, _ = run(capsys, "--results", results, "table", "--paper", "001")
    assert code == 0
    body = out.splitlines()
    assert body[0].split()[:2] == ["paper", "status"]
    assert [x.split()[0] for x in body[1:-1]] == ["causal", "causal"]
    assert body[-1] == "2 rows: 1 pass, 1 typo"
    code, out, _ = run(capsys, "--results", results, "table", "--status", "fail")
    assert "N_c at gamma = 1" in out and "LGYNI" not in out
    assert out.splitlines()[-1] == "1 rows: 1 fail"
    argv = ["--results", results, "table", "--paper", "delivery", "--status", "typo"]
    code, out, _ = run(capsys, *argv)
    assert out.strip() == "0 rows match"


def test_table_long(capsys, results):
    code, out, _ = run(capsys, "--results", results, "table", "--paper", "causal", "--long")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "[pass] causal: LGYNI ICO bound (Eq. (5))"
    assert lines[1] == "    paper 0.8194, computed 0.819401, |error| 7.2e-07, tolerance 5e-05"
    assert lines[2] == "    route: causal.ico_bound (single-trigger SDP)"
    assert lines[3] == "    check: dual 0.81940071, |diff| 1e-9"
    assert lines[4].startswith("[typo] causal: Omega of Eq. (33)")
    assert lines[-1] == "2 rows: 1 pass, 1 typo"


def test_table_numbers_readable(capsys, results):
    _, out, _ = run(capsys, "--results", results, "table", "--paper", "causal")
    line = next(x for x in out.splitlines() if "LGYNI" in x)
    assert "0.819401" in line and "7.2e-07" in line


@pytest.mark.parametrize(
    "argv,message",
    [
        (["table"], "no reproduction table at"),
        (["table", "--paper", "nope"], "unknown topic or paper 'nope'"),
        (["show", "missing.h5"], "no such file: missing.h5"),
        (["run", "nope"], "unknown topic or paper 'nope'"),
    ],
)
def test_user_errors_exit_2_with_one_line(capsys, tmp_path, monkeypatch, argv, message):
    monkeypatch.chdir(tmp_path)
    code, out, err = run(capsys, *argv)
    assert code == 2
    assert err.startswith("bellflow: ") and message in err
    assert len(err.strip().splitlines()) == 1
    assert "Traceback" not in err


def test_bad_status_is_a_usage_error(capsys, results):
    with pytest.raises(SystemExit) as exc:
        cli.main(["--results", str(results), "table", "--status", "ok"])
    assert exc.value.code == 2
    assert "invalid choice: 'ok'" in capsys.readouterr().err


def test_show(capsys, results):
    code, out, _ = run(capsys, "show", results / "delivery" / "scan.h5")
    assert code == 0
    assert "topic: delivery" in out
    for key in ("bellflow_version", "git_commit", "git_dirty"):
        line = next(x for x in out.splitlines() if x.strip().startswith(key + ":"))
        assert "not recorded" not in line
    assert any(x.split()[:3] == ["a", "5", "points"] for x in out.splitlines())
    eof = next(x for x in out.splitlines() if x.strip().startswith("eof"))
    assert "(a: 5)" in eof and "[ebit]" in eof
    assert "= 0.333333" in next(x for x in out.splitlines() if x.strip().startswith("threshold"))
    assert '"a_points": 5' in out


def test_show_not_hdf5(capsys, tmp_path):
    bad = tmp_path / "bad.h5"
    bad.write_text("not hdf5")
    code, _, err = run(capsys, "show", bad)
    assert code == 2 and "cannot read" in err and "Traceback" not in err


def test_run_command_line(tmp_path, monkeypatch):
    monkeypatch.setattr(cli, "_snakemake_cmd", lambda: ["snakemake"])
    args = cli.parse_args(
        ["run", "002", "--quick", "--cores", "2", "--profile", "profiles/slurm", "--", "-p"]
    )
    # targets before --configfile (it takes several files)
    assert cli.snakemake_command(args) == [
        "snakemake",
        "diqkd_all",
        "--cores",
        "2",
        "--profile",
        "profiles/slurm",
        "-p",
        "--configfile",
        "config/quick.yaml",
    ]
    args = cli.parse_args(["run", "all"])
    assert cli.snakemake_command(args) == ["snakemake", "--cores", "all"]


def test_run_needs_the_checkout(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, _, err = run(capsys, "run", "delivery")
    assert code == 2 and "no Snakefile" in err


def test_run_checks_the_config_first(capsys, tmp_path, monkeypatch):
    """A YAML error in the config stops `bellflow run` before Snakemake, naming file and line."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "Snakefile").write_text("")
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "config.yaml").write_text("delivery:\n  fig2: [1, 2\n")
    monkeypatch.setattr(cli, "_snakemake_cmd", lambda: ["false"])
    code, _, err = run(capsys, "run", "delivery", "-n")
    assert code == 2
    assert "config/config.yaml" in err and "line" in err
    assert err.strip().splitlines()[-1] == (
        "bellflow: the config has the problems listed above; nothing was run"
    )


def test_snakemake_args_only_for_run(capsys):
    with pytest.raises(SystemExit):
        cli.main(["topics", "--", "-p"])
    assert "by `run` only" in capsys.readouterr().err


def test_bad_cores(capsys):
    with pytest.raises(SystemExit):
        cli.main(["run", "delivery", "--cores", "0"])
    assert "positive integer" in capsys.readouterr().err


def test_run_dry_run_through_snakemake():
    """`python -m bellflow run ... --dry-run` plans the quick delivery jobs (no job runs)."""
    env = {**os.environ, "OMP_NUM_THREADS": "1"}
    out = subprocess.run(
        [sys.executable, "-m", "bellflow", "run", "delivery", "--quick", "-n", "--cores", "1"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
    )
    assert out.returncode == 0, out.stderr[-2000:]
    text = out.stdout + out.stderr
    assert "delivery_all" in text
    assert "--configfile config/quick.yaml" in out.stderr


def test_console_script_help():
    exe = Path(sys.executable).with_name("bellflow")
    out = subprocess.run([str(exe), "--help"], capture_output=True, text=True, check=True)
    for command in ("topics", "table", "show", "run", "unlock"):
        assert command in out.stdout


# -- stale locks ----------------------------------------------------------------------------------


def _locks(tmp_path):
    locks = tmp_path / ".snakemake" / "locks"
    locks.mkdir(parents=True)
    (locks / "0.input.lock").write_text("x")
    return locks


def test_live_snakemake_found_by_cwd(tmp_path):
    fake = tmp_path / "bin" / "snakemake"
    fake.parent.mkdir()
    fake.write_text("#!/bin/sh\nsleep 30\n")
    fake.chmod(0o755)
    proc = subprocess.Popen([str(fake)], cwd=tmp_path)
    try:
        for _ in range(50):
            if cli.live_snakemake(tmp_path):
                break
            time.sleep(0.1)
        assert cli.live_snakemake(tmp_path) == [proc.pid]
        assert cli.live_snakemake(tmp_path / "bin") == []
        locks = _locks(tmp_path)
        assert cli.unlock_if_stale(tmp_path) is False  # a live run keeps its locks
        assert any(locks.iterdir())
    finally:
        proc.kill()
        proc.wait()


def test_stale_locks_unlocked(tmp_path, monkeypatch, capsys):
    locks = _locks(tmp_path)
    # stands for `snakemake --unlock`: removes the locks
    remove = f"import shutil; shutil.rmtree({str(locks)!r})"
    monkeypatch.setattr(cli, "_snakemake_cmd", lambda: [sys.executable, "-c", remove])
    assert cli.unlock_if_stale(tmp_path) is True
    assert "stale Snakemake locks" in capsys.readouterr().err
    assert not locks.exists()
    assert cli.unlock_if_stale(tmp_path) is False  # nothing left to do


def test_is_snakemake():
    assert cli._is_snakemake(["/x/.venv/bin/python", "/x/.venv/bin/snakemake", "--cores", "1"])
    assert cli._is_snakemake(["python3", "-m", "snakemake", "-n"])
    assert cli._is_snakemake(["snakemake"])
    assert not cli._is_snakemake(["python", ".snakemake/scripts/tmp.script.py"])
    assert not cli._is_snakemake(["make", "quick"])
    assert shutil.which("sh")
