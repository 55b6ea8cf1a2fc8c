"""envs/*.yaml: parse, pin exactly the tested versions (requirements/constraints.txt), and
every rule has one."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
# conda-forge names of PyPI packages that differ
CONDA_NAME = {"cvxpy-base": "cvxpy", "matplotlib-base": "matplotlib"}


def constraint_pins():
    """name -> version of requirements/constraints.txt (what `make` installs and tests)."""
    pins = {}
    for line in (ROOT / "requirements/constraints.txt").read_text().splitlines():
        line = line.split("#")[0].strip()
        if line:
            name, version = re.fullmatch(r"([A-Za-z0-9_.\-]+)==(\S+)", line).groups()
            pins[re.sub(r"[-_.]+", "-", name).lower()] = version
    return pins


ENV_FILES = sorted((ROOT / "envs").glob("*.yaml"))


def test_there_are_env_files():
    assert {p.stem for p in ENV_FILES} >= {"base", "sdp", "qutip", "plot"}


@pytest.mark.parametrize("path", ENV_FILES, ids=lambda p: p.name)
def test_env_versions_equal_constraints(path):
    env = yaml.safe_load(path.read_text())
    pins = constraint_pins()
    assert env["channels"][0] == "conda-forge"
    for dep in env["dependencies"]:
        name, version = dep.split("=", 1)
        if name == "python":
            assert version == "3.11"
            continue
        pypi = CONDA_NAME.get(name, name)
        assert pypi in pins, f"{path.name}: {name} is not pinned in requirements/constraints.txt"
        assert version == pins[pypi], f"{path.name}: {name}={version}, constraints: {pins[pypi]}"


def _rules():
    """(file, rule name, body) of every rule in the workflow."""
    for smk in sorted((ROOT / "workflow/rules").glob("*.smk")):
        text = smk.read_text()
        parts = re.split(r"^rule (\w+):\n", text, flags=re.M)
        for name, body in zip(parts[1::2], parts[2::2], strict=True):
            yield smk.name, name, body


# Aggregate rules (`<topic>_all`) run nothing and need no environment.
RULES = [r for r in _rules() if not r[1].endswith("_all")]


@pytest.mark.parametrize("smk,name,body", RULES, ids=[f"{r[0]}:{r[1]}" for r in RULES])
def test_every_rule_has_an_existing_conda_env(smk, name, body):
    if "script:" not in body and "shell:" not in body:
        pytest.fail(f"{smk}:{name} runs nothing")
    m = re.search(r"conda:\n\s+\"([^\"]+)\"", body)
    assert m, f"{smk}:{name} has no conda: directive"
    env = (ROOT / "workflow/rules" / m.group(1)).resolve()
    assert env.exists() and env.parent == ROOT / "envs", f"{smk}:{name}: {m.group(1)}"


@pytest.mark.parametrize("smk,name,body", RULES, ids=[f"{r[0]}:{r[1]}" for r in RULES])
def test_every_rule_logs_and_benchmarks(smk, name, body):
    assert "\n    log:" in body, f"{smk}:{name} has no log:"
    assert "\n    benchmark:" in body, f"{smk}:{name} has no benchmark:"


def _section(body: str, name: str) -> str:
    """The text of one directive (``input``, ``output``) of a rule body."""
    m = re.search(rf"^    {name}:\n(.*?)(?=^    \w+:|\Z)", body, flags=re.M | re.S)
    return m.group(1) if m else ""


def test_tiny_rules_are_local():
    """Figures, tables and gathers run where Snakemake runs (a cluster submits only computing
    jobs): the rules localrules.smk selects from Snakemake's parsed rules (by their outputs)
    equal the ones read here from the rule files' text (by their scripts: plotting scripts
    ``<topic>_plot_*.py`` and the summary, or a named input ``chunks``)."""
    expected = set()
    for _, name, body in RULES:
        script = re.search(r'scripts/(\w+)\.py"', _section(body, "script"))
        plots = bool(script) and re.search(r"_plot_|^summary_", script.group(1))
        if plots or re.search(r"^\s+chunks=", _section(body, "input"), flags=re.M):
            expected.add(name)
    proc = subprocess.run(
        [sys.executable, "-m", "snakemake", "--list-rules", "--configfile", "config/quick.yaml"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "BELLFLOW_LIST_LOCALRULES": "1"},
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    line = next(x for x in proc.stderr.splitlines() if x.startswith("bellflow localrules:"))
    local = set(line.split(":", 1)[1].split())
    assert local == expected
    # sanity: the summary and a figure of every topic are local; chunk workers are not
    assert "summary_reproduction" in local
    for topic in ("delivery", "interconversion", "lmg", "causal", "diqkd"):
        assert any(r.startswith(f"{topic}_fig") for r in local), topic
    assert not any(r.endswith("_chunk") for r in local)
