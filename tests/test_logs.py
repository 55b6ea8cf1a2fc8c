"""bellflow.logs: rule scripts log to their log file, with warnings and tracebacks."""

import logging
import subprocess
import sys
import textwrap
import warnings
from types import SimpleNamespace

import pytest

from bellflow.logs import _progress_line, progress, rule_log


def _smk(tmp_path, rule="demo_rule", log=True):
    return SimpleNamespace(
        log=[str(tmp_path / "logs" / "demo.log")] if log else [],
        rule=rule,
        wildcards={"chunk": "3"},
    )


def test_library_records_and_warnings_reach_the_log(tmp_path):
    smk = _smk(tmp_path)
    with rule_log(smk) as log:
        logging.getLogger("bellflow.optim").info("solved problem X in 0.1 s")
        logging.getLogger("bellflow.optim").debug("not at INFO")
        log.info("own message")
        warnings.warn("something odd", RuntimeWarning, stacklevel=1)
    text = (tmp_path / "logs" / "demo.log").read_text()
    assert "rule demo_rule started {'chunk': '3'}" in text
    assert "INFO bellflow.optim: solved problem X in 0.1 s" in text
    assert "not at INFO" not in text
    assert "own message" in text
    assert "RuntimeWarning: something odd" in text
    assert "rule demo_rule done in" in text
    # the handler is gone afterwards: later records do not reach the file
    logging.getLogger("bellflow.optim").warning("after the block")
    assert "after the block" not in (tmp_path / "logs" / "demo.log").read_text()


def test_uncaught_exception_logged_and_reraised(tmp_path):
    smk = _smk(tmp_path)
    with pytest.raises(ZeroDivisionError):
        with rule_log(smk):
            1 / 0  # noqa: B018
    text = (tmp_path / "logs" / "demo.log").read_text()
    assert "ERROR bellflow.rule.demo_rule: rule demo_rule failed" in text
    assert "Traceback (most recent call last)" in text
    assert "ZeroDivisionError: division by zero" in text


def test_no_log_goes_to_stderr(tmp_path):
    # a separate interpreter: pytest's own capture handlers do not interfere
    code = textwrap.dedent(
        """
        import logging
        from types import SimpleNamespace
        from bellflow.logs import rule_log
        with rule_log(SimpleNamespace(log=[], rule="r")):
            logging.getLogger("bellflow.x").info("to stderr")
        """
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "INFO bellflow.x: to stderr" in out.stderr
    assert out.stdout == ""


def test_script_traceback_in_log_file(tmp_path):
    """As Snakemake runs a script: a fresh process whose exception ends in the log file."""
    log = tmp_path / "job.log"
    code = textwrap.dedent(
        f"""
        from types import SimpleNamespace
        from bellflow.logs import rule_log
        def main():
            raise ValueError("grid: min >= max")
        with rule_log(SimpleNamespace(log=[{str(log)!r}], rule="broken")):
            main()
        """
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 1
    text = log.read_text()
    assert "in main" in text
    assert "ValueError: grid: min >= max" in text


def test_progress_lines(caplog):
    clock = iter([0.0, 1.0, 2.0, 70.0, 80.0, 200.0])
    logger = logging.getLogger("bellflow.test_progress")
    with caplog.at_level(logging.INFO, logger="bellflow.test_progress"):
        with pytest.MonkeyPatch.context() as mp:
            mp.setattr("bellflow.logs.time.perf_counter", lambda: next(clock))
            assert list(progress("abcde", 5, logger, every_seconds=60)) == list("abcde")
    lines = [r.getMessage() for r in caplog.records]
    # start at t=0; points finish at t=1 (first), 2 (too soon), 70 (>= 60 s later), 80, 200
    assert lines == [
        "1/5 points (20%), elapsed 1 s, about 4 s remaining",
        "3/5 points (60%), elapsed 70 s, about 47 s remaining",
        "5/5 points (100%), elapsed 200 s",
    ]


def test_progress_line_and_validation():
    assert _progress_line(0, 0, 0.0) == "0/0 points, elapsed 0 s"
    assert _progress_line(1, 4, 10.0) == "1/4 points (25%), elapsed 10 s, about 30 s remaining"
    logger = logging.getLogger("x")
    with pytest.raises(ValueError, match="total"):
        list(progress([], -1, logger))
    with pytest.raises(ValueError, match="every_seconds"):
        list(progress([], 1, logger, every_seconds=0))
