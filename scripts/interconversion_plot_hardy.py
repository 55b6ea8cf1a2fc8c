"""Rule interconversion_figure_hardy: max Hardy success vs Schmidt coefficient (Prop. 1)."""

import matplotlib.pyplot as plt

from bellflow.io import read_result
from bellflow.plotting import save_figure, use_style


def main(h5: str, pdf: str, png: str) -> None:
    use_style()
    ds = read_result(h5)
    s = ds["s"].values
    fig, ax = plt.subplots()
    ax.plot(s, ds["closed_form"].values, "-", label="closed form $k^2(1-2k)/(1-k)^2$")
    ax.plot(s, ds["numeric"].values, ".", ms=4, label="optimised measurements (SLSQP)")
    ax.axvline(0.5, color="0.6", lw=0.8, ls=":")
    ax.set_xlabel("Schmidt coefficient $s$ of $\\sqrt{s}|00\\rangle + \\sqrt{1-s}|11\\rangle$")
    ax.set_ylabel("maximal Hardy success $p(00|00)$")
    ax.set_title("Paper 000, Proposition 1: zero at $|\\phi^+\\rangle$ ($s = 1/2$)")
    ax.legend()
    save_figure(fig, pdf, png)


if "snakemake" in globals():
    main(snakemake.input.h5, snakemake.output.pdf, snakemake.output.png)
