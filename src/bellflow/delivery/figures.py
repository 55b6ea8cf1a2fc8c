"""Drawing helpers shared by the paper-004 figure scripts (``scripts/delivery_plot_*.py``).

A map over the regular ``(a, S)`` grid is drawn as one image (a raster inside the PDF), not
as ``n_a x n_S`` vector patches: ``pcolormesh`` on the 801 x 801 grid wrote 12-20 MB PDFs in
30-55 CPU s per figure.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import ArrayLike


def grid_extent(a: ArrayLike, S: ArrayLike) -> list[float]:
    """``imshow`` extent of a regular grid with the cell centres on the grid points.

    The same cells as ``pcolormesh(a, S, z, shading="auto")``: each point's cell reaches half
    a grid step to either side.

    >>> grid_extent([0.0, 0.5, 1.0], [0.0, 1.0])
    [-0.25, 1.25, -0.5, 1.5]
    """
    a, S = np.asarray(a, dtype=float), np.asarray(S, dtype=float)
    if a.ndim != 1 or S.ndim != 1 or a.size < 2 or S.size < 2:
        raise ValueError("a and S must be 1-d grids of at least 2 points")
    da, ds = (a[-1] - a[0]) / (a.size - 1) / 2, (S[-1] - S[0]) / (S.size - 1) / 2
    for name, x, half in (("a", a, da), ("S", S, ds)):
        if not (half > 0 and np.allclose(np.diff(x), 2 * half, rtol=1e-6)):
            raise ValueError(f"{name} must be increasing and evenly spaced")
    return [float(a[0] - da), float(a[-1] + da), float(S[0] - ds), float(S[-1] + ds)]


def grid_image(ax: Any, a: ArrayLike, S: ArrayLike, values: ArrayLike, **kwargs: Any) -> Any:
    """Draw ``values[i, j]`` at ``(a[i], S[j])`` as an image (``a`` across, ``S`` up)."""
    z = np.asarray(values)
    if z.shape != (np.size(a), np.size(S)):
        raise ValueError(f"values must have shape (len(a), len(S)), got {z.shape}")
    opts = {"origin": "lower", "aspect": "auto", "interpolation": "nearest"} | kwargs
    return ax.imshow(z.T, extent=grid_extent(a, S), **opts)
