"""Rule delivery_figure3: Fig. 3 of paper 004 (curves (a) to (d) over S)."""

import matplotlib.pyplot as plt
import numpy as np

from bellflow.io import read_result
from bellflow.plotting import save_figure, use_style


def main(h5: str, pdf: str, png: str) -> None:
    use_style()
    ds = read_result(h5)
    S = ds["S"].values
    curves = [
        ("a_max_eof", "(a) max over a of $E_F$", "-"),
        ("b_eq42", "(b) Eq. (4.2)", "--"),
        ("c_fixed_a", rf"(c) $a = {float(ds['a_c']):.4g}$", "-."),
        ("d_fixed_a", rf"(d) $a = {float(ds['a_d']):.4g}$", ":"),
    ]
    fig, axes = plt.subplots(1, 2, figsize=(9.5, 3.8), layout="constrained")
    for ax, log in zip(axes, (False, True), strict=True):
        for key, label, ls in curves:
            y = ds[key].values
            if log:
                y = np.where(y > 0, y, np.nan)
            ax.plot(S, y, ls=ls, label=label)
        ax.set_xlabel("success probability $S$")
        ax.set_ylabel("$E_F$ (ebit)")
        if log:
            ax.set_xscale("log")
            ax.set_yscale("log")
            ax.set_ylim(1e-12, 1.5)
            ax.set_title("log-log: (b) approaches (a) as $S \\to 0$")
        else:
            ax.set_ylim(0, 1.05)
            ax.set_title("Paper 004, Fig. 3")
            ax.legend()
    save_figure(fig, pdf, png)


if __name__ == "__main__":  # pragma: no cover (run by Snakemake)
    from bellflow.logs import rule_log

    with rule_log(snakemake):
        main(snakemake.input.h5, snakemake.output.pdf, snakemake.output.png)
