"""Logging for rule scripts: everything the library logs goes to the rule's log file.

Every rule script ends with::

    if __name__ == "__main__":  # pragma: no cover (run by Snakemake)
        from bellflow.logs import rule_log
        with rule_log(snakemake):
            main(...)

:func:`rule_log` sends the library's log records (INFO and above), Python warnings and the
traceback of any uncaught exception to the rule's ``log:`` file. Library code logs through
``logging.getLogger(__name__)``; long loops report progress with :func:`progress`.
"""

from __future__ import annotations

import logging
import os
import sys
import time
import warnings
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

__all__ = ["rule_log", "progress", "to_file", "FORMAT"]

#: Format of every log line: time, level, logger name, message.
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"

T = TypeVar("T")

_log = logging.getLogger(__name__)


def _log_path(snakemake: Any) -> str | None:
    """The first ``log:`` file of the rule, or None when the rule has none."""
    log = getattr(snakemake, "log", None)
    try:
        return str(log[0]) if log is not None and len(log) else None
    except (IndexError, KeyError, TypeError):
        return None


@contextmanager
def rule_log(snakemake: Any, level: int = logging.INFO) -> Iterator[logging.Logger]:
    """Log a rule script to its ``log:`` file (``snakemake.log[0]``; stderr if it has none).

    Inside the block: the root logger writes records of ``level`` and above (INFO by default)
    to the file, Python ``warnings`` are captured into it (each distinct warning once per
    location, the Python default), and an uncaught exception is logged with its traceback
    before it propagates (Snakemake then marks the job failed). The first line names the rule
    and its wildcards. On exit the handler is removed and the file closed.

    Parameters
    ----------
    snakemake
        The ``snakemake`` object Snakemake injects into a rule script (``log``, ``rule``,
        ``wildcards`` are used when present).
    level
        Logging level of the file (``logging.INFO``).

    Yields
    ------
    logging.Logger
        The logger ``bellflow.rule.<rule name>`` for the script's own messages.
    """
    path = _log_path(snakemake)
    if path is not None:
        os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
        handler: logging.Handler = logging.FileHandler(path, mode="w", encoding="utf-8")
    else:
        handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter(FORMAT))
    handler.setLevel(level)
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(level if old_level == logging.NOTSET else min(level, old_level))
    rule = str(getattr(snakemake, "rule", None) or "script")
    logger = logging.getLogger(f"bellflow.rule.{rule}")
    logging.captureWarnings(True)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("default")
            wildcards = dict(getattr(snakemake, "wildcards", None) or {})
            logger.info("rule %s started%s", rule, f" {wildcards}" if wildcards else "")
            start = time.perf_counter()
            yield logger
            logger.info("rule %s done in %.1f s", rule, time.perf_counter() - start)
    except SystemExit as exc:
        if exc.code not in (None, 0):
            logger.exception("rule %s exited with %s", rule, exc.code)
        raise
    except BaseException:
        logger.exception("rule %s failed", rule)
        raise
    finally:
        logging.captureWarnings(False)
        root.removeHandler(handler)
        root.setLevel(old_level)
        handler.close()


def progress(
    iterable: Iterable[T],
    total: int,
    logger: logging.Logger,
    every_seconds: float = 60.0,
) -> Iterator[T]:
    """Yield from ``iterable`` and log progress at most every ``every_seconds`` seconds.

    A line reads ``12/40 points (30%), elapsed 61 s, about 142 s remaining``; the remaining
    time is the elapsed time per finished point times the points left. The first point and
    the last are always logged.

    Parameters
    ----------
    iterable
        The points of the loop.
    total
        Number of points (for the percentage and the estimate); must be >= 0.
    logger
        Where the lines go (the library module's logger).
    every_seconds
        Minimum time between two lines (> 0).

    Examples
    --------
    >>> import logging
    >>> [x * x for x in progress(range(3), 3, logging.getLogger("demo"))]
    [0, 1, 4]
    """
    if total < 0:
        raise ValueError(f"total must be >= 0, got {total}")
    if not every_seconds > 0:
        raise ValueError(f"every_seconds must be > 0, got {every_seconds}")
    start = last = time.perf_counter()
    done = 0
    for item in iterable:
        yield item
        done += 1
        now = time.perf_counter()
        if done == 1 or done == total or now - last >= every_seconds:
            last = now
            logger.info("%s", _progress_line(done, total, now - start))


def _progress_line(done: int, total: int, elapsed: float) -> str:
    pct = f" ({100 * done / total:.0f}%)" if total else ""
    line = f"{done}/{total} points{pct}, elapsed {elapsed:.0f} s"
    if 0 < done < total:
        line += f", about {elapsed / done * (total - done):.0f} s remaining"
    return line


def to_file(path: str | os.PathLike[str], level: int = logging.INFO) -> logging.Logger:
    """Send the ``bellflow`` loggers (and warnings) to ``path``; return the root bellflow logger.

    Superseded by :func:`rule_log` (which also records uncaught tracebacks); kept until every
    rule script uses it.
    """
    logging.captureWarnings(True)
    handler = logging.FileHandler(path, mode="w")
    handler.setFormatter(logging.Formatter(FORMAT))
    for name in ("bellflow", "py.warnings"):
        lg = logging.getLogger(name)
        lg.setLevel(level)
        lg.addHandler(handler)
    return logging.getLogger("bellflow")
