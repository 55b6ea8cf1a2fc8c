"""Packaging: the library imports cleanly next to other tools (no global side effects)."""

import os
import subprocess
import sys


def _backend_after_import(**env):
    code = "import bellflow.plotting, matplotlib; print(matplotlib.get_backend())"
    base = {k: v for k, v in os.environ.items() if k not in ("MPLBACKEND", "DISPLAY")}
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={**base, **env},
    )
    return out.stdout.strip().lower()


def test_plotting_keeps_a_configured_backend():
    # a notebook sets MPLBACKEND (inline); importing bellflow.plotting must not switch it
    assert _backend_after_import(MPLBACKEND="svg") == "svg"


def test_plotting_headless_default_is_agg():
    assert _backend_after_import() == "agg"
