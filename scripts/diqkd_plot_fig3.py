"""Rule diqkd_figure3: BFF key rate vs visibility for the family (d = 2) and for CHSH."""

import matplotlib.pyplot as plt

from bellflow.io import read_result
from bellflow.plotting import save_figure, use_style


def main(h5: str, pdf: str, png: str) -> None:
    use_style()
    ds = read_result(h5)
    v = ds["v"].values
    fig, ax = plt.subplots(figsize=(6.5, 4.2))
    ax.plot(v, ds["family_rate"].values, "o-", label="family d = 2 (BFF, certified)")
    ax.plot(v, ds["chsh_rate"].values, "s-", label="CHSH, full box (BFF, certified)")
    ax.plot(v, ds["chsh_pironio_rate"].values, "k--", label="CHSH, Pironio et al. (analytic)")
    ax.axhline(0, color="grey", lw=0.5)
    ax.set_xlabel("visibility $v$ of $|\\phi^+\\rangle$")
    ax.set_ylabel("key rate lower bound (bits)")
    ax.set_title("Key rate vs white noise (Brown-Fawzi-Fawzi lower bounds)")
    ax.legend(fontsize=7)
    save_figure(fig, pdf, png)


if __name__ == "__main__":  # pragma: no cover (run by Snakemake)
    from bellflow.logs import rule_log

    with rule_log(snakemake):
        main(snakemake.input.h5, snakemake.output.pdf, snakemake.output.png)
