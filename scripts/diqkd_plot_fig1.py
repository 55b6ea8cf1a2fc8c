"""Rule diqkd_figure1: violation and distance to the local set vs eps, and the key rate."""

import matplotlib.pyplot as plt
import numpy as np

from bellflow.io import read_result
from bellflow.plotting import save_figure, use_style


def main(h5: str, pdf: str, png: str) -> None:
    use_style()
    ds = read_result(h5)
    eps, ds_d = ds["eps"].values, ds["d"].values
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(10, 4))
    colors = plt.cm.viridis(np.linspace(0, 0.9, len(ds_d)))
    inner = eps < 1.0  # eps = 1: the box is local again (violation and distance 0)
    for i, (d, col) in enumerate(zip(ds_d, colors, strict=True)):
        viol = ds["violation"].values[i, inner]
        dist = ds["distance"].values[i, inner]
        ax1.loglog(eps[inner], viol, "-", color=col, label=f"d = {d}")
        ax1.loglog(eps[inner], dist, "--", color=col)
        ax2.semilogx(eps, ds["key_rate"].values[i], "o-", color=col, ms=3, label=f"d = {d}")
    ax1.set_xlabel(r"$\varepsilon$")
    ax1.set_ylabel("violation (solid), $\\ell_1$ distance to local set (dashed)")
    ax1.set_title(r"Nonlocality $\to 0$ with $\varepsilon$")
    ax1.legend(fontsize=7)
    ax2.set_xlabel(r"$\varepsilon$")
    ax2.set_ylabel("key rate $r$ (bits), Eq. (15)")
    ax2.set_yticks(np.log2(ds_d))
    ax2.set_yticklabels([f"log2 {d}" for d in ds_d], fontsize=7)
    ax2.set_title("Key rate stays $\\log_2 d$")
    save_figure(fig, pdf, png)


if __name__ == "__main__":  # pragma: no cover (run by Snakemake)
    from bellflow.logs import rule_log

    with rule_log(snakemake):
        main(snakemake.input.h5, snakemake.output.pdf, snakemake.output.png)
