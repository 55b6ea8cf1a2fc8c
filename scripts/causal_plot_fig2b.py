"""Rule causal_figure2b: Fig. 2(b) of paper 001, the (P_succ^11, P_succ^ave) plane."""

import matplotlib.pyplot as plt
import numpy as np
from scipy.spatial import ConvexHull

from bellflow.causal import lgyni_plane_causal_polygon
from bellflow.io import read_result
from bellflow.plotting import COLORS, save_figure, use_style


def main(h5: str, pdf: str, png: str) -> None:
    use_style()
    ds = read_result(h5)
    causal = lgyni_plane_causal_polygon()
    exposed = np.column_stack([ds["exposed_p11"].values, ds["exposed_pave"].values])
    allpts = np.vstack([causal, exposed])
    ico = allpts[ConvexHull(allpts).vertices]
    fig, ax = plt.subplots(figsize=(4.8, 4.4))
    for pts, color, label in [
        (np.array([[0, 0], [1, 0], [1, 1], [0, 1]]), COLORS[3], "all distributions"),
        (ico, COLORS[0], "quantum ICO (exposed points of certified SDPs)"),
        (causal, COLORS[2], "causal"),
    ]:
        closed = np.vstack([pts, pts[:1]])
        ax.fill(closed[:, 0], closed[:, 1], color=color, alpha=0.35, lw=0)
        ax.plot(closed[:, 0], closed[:, 1], color=color, lw=1.0, label=label)
    ax.plot(exposed[:, 0], exposed[:, 1], ".", color=COLORS[0], ms=3)
    x = np.linspace(0, 1, 2)
    ax.plot(x, (2 - x) / 2, color="0.3", lw=0.8, ls="--", label="Eq. (54)")
    ax.set_xlabel(r"$P^{11}_{\mathrm{succ}}$")
    ax.set_ylabel(r"$P^{\mathrm{ave}}_{\mathrm{succ}}$")
    ax.set_aspect("equal")
    ax.legend(loc="lower left", fontsize=7)
    ax.set_title(f"Paper 001, Fig. 2(b) ({len(exposed)} directions)")
    save_figure(fig, pdf, png)


if __name__ == "__main__":  # pragma: no cover (run by Snakemake)
    from bellflow.logs import rule_log

    with rule_log(snakemake):
        main(snakemake.input.h5, snakemake.output.pdf, snakemake.output.png)
