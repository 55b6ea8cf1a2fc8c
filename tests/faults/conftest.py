"""Kill and fault tests (slow: `make test-faults`, mk/faults.mk). Not collected by a plain
`pytest` run unless BELLFLOW_FAULTS=1 (the make target sets it): each test runs Snakemake on a
repository copy, several times.

A summary line with the figures (kills survived, faults injected, outputs lost) is printed at
the end of the session and written to $BELLFLOW_FAULTS_SUMMARY if set.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.workflow.conftest import copy_repo

collect_ignore_glob = [] if os.environ.get("BELLFLOW_FAULTS") else ["test_*.py"]

#: Figures collected by the tests for the summary line.
FIGURES: dict[str, int] = {"kills": 0, "kills_survived": 0, "faults": 0, "outputs_lost": 0}


@pytest.fixture(scope="session")
def figures() -> dict[str, int]:
    return FIGURES


@pytest.fixture
def repo_copy(tmp_path) -> Path:
    return copy_repo(tmp_path / "repo")


def pytest_terminal_summary(terminalreporter):
    if not FIGURES["kills"] and not FIGURES["faults"]:
        return
    line = (
        f"bellflow faults: {FIGURES['kills_survived']} of {FIGURES['kills']} kill -9 survived "
        f"(resumed without a manual step, outputs equal to an undisturbed run), "
        f"{FIGURES['faults']} faults injected (each failed its job naming the cause), "
        f"outputs lost or wrong: {FIGURES['outputs_lost']}"
    )
    terminalreporter.write_line(line)
    target = os.environ.get("BELLFLOW_FAULTS_SUMMARY")
    if target:
        Path(target).write_text(json.dumps({**FIGURES, "line": line}, indent=1) + "\n")
