"""Rule lmg_figure4: Fig. 4a (thermal initial state) and 4b (non-thermal) under Eq. (7)."""

import matplotlib.pyplot as plt

from bellflow.io import params_of, read_result
from bellflow.plotting import save_figure, use_style

MARKERS = ["o", "^", "s", "D", "v"]


def _panel(h5, label, pdf, png):
    ds = read_result(h5)
    p = params_of(ds)
    x = ds["p"].values
    fig, ax = plt.subplots()
    for k, kappa in enumerate(ds["kappa"].values):
        ax.plot(
            x,
            ds["bell_eq7"].values[k],
            MARKERS[k % 5],
            ms=4,
            label=r"Eq. (7), $\kappa$" + f" = {kappa:g}",
        )
    ax.plot(x, ds["bell_eq15"].values, "k--", lw=1, label=r"Eq. (15) mixture")
    ax.axhline(0.0, color="k", lw=0.8)
    ax.axhspan(ax.get_ylim()[0], 0.0, color="#56B4E9", alpha=0.2, label="NL")
    ax.set_xlabel(r"$p = \kappa t$")
    ax.set_ylabel(r"$\min\,\mathrm{Tr}[\mathcal{B}_2\rho_2]$")
    init = (
        (r"thermal $\beta$" + f"={p['beta']}")
        if p["init"] == "thermal"
        else (r"non-thermal $\zeta$" + f"={p['zeta']}")
    )
    ax.set_title(f"({label}) N={p['n']}, h={p['h']}, J={p['j']}, {init}")
    ax.legend()
    save_figure(fig, pdf, png)


def main(thermal, nonthermal, pdf_a, png_a, pdf_b, png_b) -> None:
    use_style()
    _panel(thermal, "a", pdf_a, png_a)
    _panel(nonthermal, "b", pdf_b, png_b)


if __name__ == "__main__":  # pragma: no cover (run by Snakemake)
    from bellflow.logs import rule_log

    with rule_log(snakemake):
        main(**dict(snakemake.input), **dict(snakemake.output))
