"""Rule interconversion_figure1: Fig. 1 of paper 000, computed."""

import matplotlib.pyplot as plt
import numpy as np

from bellflow.io import read_result
from bellflow.plotting import COLORS, save_figure, use_style


def main(h5: str, pdf: str, png: str) -> None:
    use_style()
    ds = read_result(h5)
    th = ds["angle"].values
    fig, ax = plt.subplots(figsize=(5.6, 5.2))
    for key, label, color, alpha in (
        ("r_ns", "no-signalling", COLORS[5], 0.25),
        ("r_quantum", "quantum (NPA 1+AB)", COLORS[0], 0.35),
        ("r_local", "local", COLORS[2], 0.6),
    ):
        r = np.append(ds[key].values, ds[key].values[0])
        t = np.append(th, th[0])
        ax.fill(r * np.cos(t), r * np.sin(t), color=color, alpha=alpha, lw=0.8, label=label)

    def pt(name):
        return float(ds[f"x_{name}"]), float(ds[f"y_{name}"])

    x0, y0 = pt("U")
    xp, yp = pt("PR")
    ax.plot([x0, xp], [y0, yp], "k-", lw=0.8)
    xa, ya = pt("PH")
    xl, yl = pt("Lprime")
    ax.plot([xa, xl], [ya, yl], color=COLORS[1], lw=1.2, label="line A-L' (Corollary 1)")
    labels = {  # name: (label, offset in points); L_0 as the caption defines it (eta = 1/2)
        "U": ("uniform box", (4, -12)),
        "L0": ("$L_0$", (-16, 6)),
        "PR": ("PR box", (-10, 6)),
        "PT": ("$P_T$", (4, 4)),
        "PH": ("$A = P_H$", (4, 4)),
        "Piso": (r"$P_{iso}$", (5, -12)),
        "Lprime": ("$L'$", (5, -4)),
    }
    for name, (lab, off) in labels.items():
        x, y = pt(name)
        ax.plot(x, y, "ko", ms=3.5)
        ax.annotate(lab, (x, y), textcoords="offset points", xytext=off)
    ax.set_aspect("equal")
    ax.set_xlabel("along PR - uniform box")
    ax.set_ylabel("orthogonal, towards $P_H$")
    ax.set_title(f"Paper 000, Fig. 1: $P_{{iso}} = PR_\\eta$, $\\eta$ = {float(ds['eta_max']):.4f}")
    ax.legend(loc="lower left")
    save_figure(fig, pdf, png)


if __name__ == "__main__":  # pragma: no cover (run by Snakemake)
    from bellflow.logs import rule_log

    with rule_log(snakemake):
        main(snakemake.input.h5, snakemake.output.pdf, snakemake.output.png)
