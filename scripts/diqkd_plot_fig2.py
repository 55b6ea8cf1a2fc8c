"""Rule diqkd_figure2: key rate vs distance to the local set, family vs CHSH protocol."""

import matplotlib.pyplot as plt
import numpy as np

from bellflow.io import read_result
from bellflow.plotting import save_figure, use_style


def main(scan: str, chsh: str, pdf: str, png: str) -> None:
    use_style()
    s = read_result(scan)
    c = read_result(chsh)
    fig, ax = plt.subplots(figsize=(6.5, 4.2))
    eps = s["eps"].values
    inner = eps < 1.0
    for i, d in enumerate(s["d"].values):
        dist = s["distance"].values[i, inner]
        ax.semilogx(dist, s["key_rate"].values[i, inner], "o-", ms=3, label=f"family, d = {d}")
    cd = c["distance"].values
    cr = c["rate"].values
    ok = (cd > 0) & (cr > 0)
    ax.semilogx(cd[ok], cr[ok], "k-", lw=2, label="CHSH (Pironio et al. 2009)")
    ax.set_xlabel(r"$\ell_1$ distance to the local set")
    ax.set_ylabel("key rate (bits)")
    ax.set_ylim(0, np.log2(s["d"].values.max()) + 0.3)
    ax.set_title("Key rate vs nonlocality")
    ax.legend(fontsize=7)
    save_figure(fig, pdf, png)


if __name__ == "__main__":  # pragma: no cover (run by Snakemake)
    from bellflow.logs import rule_log

    with rule_log(snakemake):
        main(snakemake.input.scan, snakemake.input.chsh, snakemake.output.pdf, snakemake.output.png)
