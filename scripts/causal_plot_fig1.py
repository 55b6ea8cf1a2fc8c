"""Rule causal_figure1: Fig. 1 of paper 001, the OCB (P_A, P_B) plane from support functions."""

import matplotlib.pyplot as plt
import numpy as np

from bellflow.causal import support_envelope
from bellflow.io import read_result
from bellflow.plotting import COLORS, save_figure, use_style


def main(h5: str, pdf: str, png: str) -> None:
    use_style()
    ds = read_result(h5)
    theta = ds["theta"].values
    fig, ax = plt.subplots(figsize=(4.8, 4.6))
    styles = [
        ("algebraic", COLORS[3], "unconstrained (algebraic maximum)"),
        ("ico", COLORS[0], "quantum ICO (SDP bound)"),
        ("causal", COLORS[2], "causal"),
    ]
    for kind, color, label in styles:
        pts = support_envelope(theta, ds[kind].values)
        closed = np.vstack([pts, pts[:1]])
        ax.fill(closed[:, 0], closed[:, 1], color=color, alpha=0.35, lw=0)
        ax.plot(closed[:, 0], closed[:, 1], color=color, lw=1.2, label=label)
    ax.set_xlabel(r"$P_A = P(a_1 = b \mid c = 0)$")
    ax.set_ylabel(r"$P_B = P(a_2 = x_1 \mid c = 1)$")
    ax.set_xlim(-0.05, 1.05)
    ax.set_ylim(-0.05, 1.05)
    ax.set_aspect("equal")
    ax.legend(loc="lower left", fontsize=7)
    ax.set_title(f"Paper 001, Fig. 1 ({len(theta)} directions)")
    save_figure(fig, pdf, png)


if __name__ == "__main__":  # pragma: no cover (run by Snakemake)
    from bellflow.logs import rule_log

    with rule_log(snakemake):
        main(snakemake.input.h5, snakemake.output.pdf, snakemake.output.png)
