"""Rule delivery_figure2: Fig. 2 of paper 004 from the (a, S) scan."""

import matplotlib.pyplot as plt
import numpy as np

from bellflow.delivery.figures import grid_image
from bellflow.io import read_result
from bellflow.plotting import COLORS, save_figure, use_style


def main(h5: str, pdf: str, png: str) -> None:
    use_style()
    ds = read_result(h5)
    a, S = ds["a"].values, ds["S"].values
    eof = np.where(ds["entangled"].values == 1, ds["eof"].values, np.nan)
    fig, ax = plt.subplots(figsize=(6.2, 4.6))
    mesh = grid_image(ax, a, S, eof, cmap="viridis", vmin=0, vmax=1)
    fig.colorbar(mesh, ax=ax, label=r"$E_F(M[\psi_a])$ (ebit)")
    lhv = np.ma.masked_where(ds["lhv"].values.T == 0, ds["lhv"].values.T)
    ax.contourf(a, S, lhv, levels=[0.5, 1.5], colors=["0.55"], hatches=["///"], alpha=0.9)
    ax.fill_between([], [], color="0.55", hatch="///", label="LHV model (Sec. V)")
    chsh = ds["boundary_chsh"].values
    label = "CHSH violation, Eq. (5.1) corrected"
    ax.plot(a, np.where(chsh <= 1, chsh, np.nan), color="black", label=label)
    ent = ds["boundary_entanglement"].values
    ax.plot(a, ent, color=COLORS[1], lw=1.2, ls="--", label="C = 0, Eq. (3.4) corrected")
    ax.set_xlabel(r"$a$ in $|\psi_a\rangle = a|00\rangle + \sqrt{1-a^2}|11\rangle$")
    ax.set_ylabel(r"success probability $S$")
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.legend(loc="lower center", fontsize=7)
    ax.set_title("Paper 004, Fig. 2: white = no entanglement")
    save_figure(fig, pdf, png)


if __name__ == "__main__":  # pragma: no cover (run by Snakemake)
    from bellflow.logs import rule_log

    with rule_log(snakemake):
        main(snakemake.input.h5, snakemake.output.pdf, snakemake.output.png)
