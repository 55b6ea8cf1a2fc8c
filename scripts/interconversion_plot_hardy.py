"""Rule interconversion_figure_hardy: max Hardy success vs Schmidt coefficient (Prop. 1)."""

import matplotlib.pyplot as plt

from bellflow.io import read_result
from bellflow.plotting import save_figure, use_style


def main(h5: str, pdf: str, png: str) -> None:
    use_style()
    ds = read_result(h5)
    q_h = float(ds["hardy_box_success"])
    fig, ax = plt.subplots()
    ax.plot(ds["s"].values, ds["closed_form"].values, "-", label="closed form")
    ax.plot(ds["s_check"].values, ds["numeric"].values, "o", ms=4, label="optimised (SLSQP)")
    ax.axhline(q_h, color="0.5", lw=0.8, ls="--", label=r"$(5\sqrt{5}-11)/2$, $P_H$")
    ax.axvline(0.5, color="0.6", lw=0.8, ls=":")
    ax.set_xlabel(r"Schmidt coefficient $s$ of $\sqrt{s}|00\rangle + \sqrt{1-s}|11\rangle$")
    ax.set_ylabel("maximal Hardy success $p(00|00)$")
    ax.set_title(r"Paper 000, Proposition 1: zero at $|\phi^+\rangle$ ($s = 1/2$)")
    ax.set_ylim(0, 1.15 * q_h)
    ax.legend(loc="upper center")
    save_figure(fig, pdf, png)


if __name__ == "__main__":  # pragma: no cover (run by Snakemake)
    from bellflow.logs import rule_log

    with rule_log(snakemake):
        main(snakemake.input.h5, snakemake.output.pdf, snakemake.output.png)
