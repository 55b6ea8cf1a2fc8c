"""envs/*.yaml: parse, pin exactly the tested versions (requirements/constraints.txt), and
every rule has one."""

import re
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
