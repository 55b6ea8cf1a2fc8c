"""Rule delivery_figure_dikey: the three nested regions and the DIQKD rate over (a, S)."""

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.colors import ListedColormap

from bellflow.delivery.figures import grid_image
from bellflow.io import read_result
from bellflow.plotting import COLORS, save_figure, use_style

REGIONS = ["separable", "entangled", "violates CHSH", "DIQKD rate > 0"]


def main(h5: str, bff_h5: str, pdf: str, png: str) -> None:
    use_style()
    ds = read_result(h5)
    bff = read_result(bff_h5)
    a, S = ds["a"].values, ds["S"].values
    level = sum(ds[k].values.astype(int) for k in ("entangled", "chsh_violated", "key_positive"))
    fig, axes = plt.subplots(1, 2, figsize=(10, 4.2), layout="constrained")
    ax = axes[0]
    cmap = ListedColormap(["white", "#cfe3f2", "#7fb2d9", COLORS[1]])
    grid_image(ax, a, S, level, cmap=cmap, vmin=-0.5, vmax=3.5)
    for key, ls in (("boundary_entanglement", ":"), ("boundary_chsh", "--"), ("boundary_key", "-")):
        y = ds[key].values
        ax.plot(a, np.where(y <= 1, y, np.nan), color="black", ls=ls, lw=1)
    for i, name in enumerate(REGIONS):
        ax.fill_between([], [], color=cmap(i), label=name, ec="0.5")
    ax.legend(loc="lower center", fontsize=7)
    ax.set_title("Nested regions: entangled ⊃ CHSH violation ⊃ DIQKD key")
    ax = axes[1]
    rate = np.where(ds["key_positive"].values == 1, ds["rate_pironio"].values, np.nan)
    mesh = grid_image(ax, a, S, rate, cmap="viridis", vmin=0, vmax=1)
    fig.colorbar(mesh, ax=ax, label="Pironio DIQKD rate (bit/round)")
    ax.plot(a, np.where(ds["boundary_key"].values <= 1, ds["boundary_key"].values, np.nan),
            color="black", lw=1)
    A, SS = np.meshgrid(bff["a_bff"].values, bff["S_bff"].values, indexing="ij")
    r = bff["rate_bff"].values
    pos = r > 0
    sc = ax.scatter(A[pos], SS[pos], c=r[pos], cmap="viridis", vmin=0, vmax=1, ec="white",
                    s=60, marker="D", label="BFF rate > 0 (full box, certified)")
    sc.set_zorder(3)
    ax.scatter(A[~pos], SS[~pos], color="0.4", marker="x", s=30, label="BFF rate 0")
    ax.set_ylim(min(float(ds["key_S_min"]), float(SS.min())) - 0.02, 1.005)
    ax.legend(loc="lower center", fontsize=7)
    ax.set_title("Rate: Pironio (map), BFF (diamonds)")
    for ax in axes:
        ax.set_xlabel(r"$a$ in $|\psi_a\rangle = a|00\rangle + \sqrt{1-a^2}|11\rangle$")
        ax.set_ylabel("success probability $S$")
        ax.set_xlim(0, 1)
    axes[0].set_ylim(0, 1)
    save_figure(fig, pdf, png)


if __name__ == "__main__":  # pragma: no cover (run by Snakemake)
    from bellflow.logs import rule_log

    with rule_log(snakemake):
        main(snakemake.input.h5, snakemake.input.bff, snakemake.output.pdf, snakemake.output.png)
