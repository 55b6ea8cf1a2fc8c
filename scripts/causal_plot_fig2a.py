"""Rule causal_figure2a: Fig. 2(a) of paper 001, biased LGYNI bounds over alpha."""

import matplotlib.pyplot as plt
import numpy as np

from bellflow.io import read_result
from bellflow.plotting import COLORS, save_figure, use_style


def main(h5: str, thresholds: str, pdf: str, png: str) -> None:
    use_style()
    ds = read_result(h5)
    thr = read_result(thresholds)
    a = ds["alpha"].values
    fig, ax = plt.subplots(figsize=(5.6, 4.0))
    ax.plot(a, ds["algebraic"].values, color=COLORS[3], label="algebraic maximum")
    ax.plot(a, ds["ico"].values, color=COLORS[0], label="ICO bound (SDP, Eq. 3)")
    ax.plot(a, ds["causal"].values, color=COLORS[2], ls="--", label="causal bound (Eq. 49)")
    a0, a_hi = float(thr["onset_low"]), float(thr["onset_high"])
    a1 = float(thr["certificate_threshold"])
    # onset_low: certified excess <= gap_tol there; the onset lies in [onset_low, onset_high]
    lab = rf"no violation for $\alpha \leq {np.floor(a0 * 1e4) / 1e4:.4f}$"
    lab += f" (onset in [{a0:.5f}, {a_hi:.5f}])"
    ax.axvline(a0, color="0.4", lw=0.8, ls=":", label=lab)
    ax.axvline(a1, color="0.6", lw=0.8, ls="-.", label=rf"proof (App. C): $\alpha \leq {a1:.4f}$")
    ax.set_xlabel(r"$\alpha$")
    ax.set_ylabel(r"$\mathcal{I}_{\mathrm{LGYNI},\alpha}$")
    ax.set_xlim(0, 1)
    ax.legend(loc="upper center", bbox_to_anchor=(0.55, 0.97), fontsize=7)
    ax.set_title("Paper 001, Fig. 2(a): biased LGYNI")
    save_figure(fig, pdf, png)


if __name__ == "__main__":  # pragma: no cover (run by Snakemake)
    from bellflow.logs import rule_log

    with rule_log(snakemake):
        main(
            snakemake.input.h5,
            snakemake.input.thresholds,
            snakemake.output.pdf,
            snakemake.output.png,
        )
