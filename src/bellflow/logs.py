"""Logging for rule scripts: everything the library logs goes to the rule's log file."""

from __future__ import annotations

import logging
import os

__all__ = ["to_file", "get_logger"]


def get_logger(name: str) -> logging.Logger:
    """The library's logger for a module (``bellflow.<topic>``)."""
    return logging.getLogger(name)


def to_file(path: str | os.PathLike[str], level: int = logging.INFO) -> logging.Logger:
    """Send the ``bellflow`` loggers (and warnings) to ``path``; return the root bellflow logger."""
    logging.captureWarnings(True)
    handler = logging.FileHandler(path, mode="w")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    for name in ("bellflow", "py.warnings"):
        lg = logging.getLogger(name)
        lg.setLevel(level)
        lg.addHandler(handler)
    return logging.getLogger("bellflow")
