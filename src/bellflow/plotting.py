"""Shared figure style: one look for every paper's figures, PDF + PNG from one call.

Example::

    import matplotlib.pyplot as plt
    use_style()
    fig, ax = plt.subplots()
    save_figure(fig, "fig.pdf", "fig.png")
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import matplotlib


def _headless_backend() -> None:
    """Pick Agg when nothing chose a backend and there is no display (a compute node).

    A backend set by ``MPLBACKEND`` (Jupyter's inline backend sets it), a ``matplotlibrc`` or
    an earlier ``matplotlib.use`` is left alone, so importing this module in a notebook keeps
    inline figures. Matplotlib's own automatic choice also ends at Agg without a display; this
    only makes that explicit before pyplot starts probing GUI toolkits.
    """
    if os.environ.get("MPLBACKEND"):
        return
    if not sys.platform.startswith("linux"):
        return
    if os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"):
        return
    try:
        auto = matplotlib.rcParams._get("backend") is matplotlib.rcsetup._auto_backend_sentinel
    except AttributeError:  # private API moved: leave the choice to matplotlib
        return
    if auto:
        matplotlib.use("Agg")


_headless_backend()

import matplotlib.pyplot as plt  # noqa: E402
from cycler import cycler  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from bellflow.io import atomic_path  # noqa: E402

__all__ = ["use_style", "save_figure", "COLORS"]

#: Colour-blind safe palette (Okabe-Ito), used in the order given.
COLORS = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442", "#000000"]

_STYLE: dict[str, Any] = {
    "figure.figsize": (6.0, 4.2),
    "figure.dpi": 100,
    "savefig.dpi": 200,
    "savefig.bbox": "tight",
    "font.size": 10,
    "axes.titlesize": 10,
    "axes.labelsize": 10,
    "legend.fontsize": 8,
    "legend.frameon": False,
    "axes.prop_cycle": cycler(color=COLORS),
    "axes.grid": False,
    "lines.linewidth": 1.5,
    "image.cmap": "viridis",
    "pdf.fonttype": 42,
    "svg.hashsalt": "bellflow",
}


def use_style() -> None:
    """Apply the bellflow matplotlib style (idempotent)."""
    plt.style.use(_STYLE)


def save_figure(fig: Figure, *paths: str | os.PathLike[str]) -> list[Path]:
    """Save ``fig`` to every path (format from the suffix), atomically, then close it.

    PDF metadata carries no creation date, so identical data give identical files.
    """
    out = []
    for p in paths:
        p = Path(p)
        with atomic_path(p) as tmp:
            fmt = p.suffix.lstrip(".")
            meta = {"CreationDate": None} if fmt == "pdf" else {}
            fig.savefig(tmp, format=fmt, metadata=meta or None)
        out.append(p)
    plt.close(fig)
    return out
