"""Rule lmg_figure3: Fig. 3a (closed) and 3b (gamma > 0) Eq. (14) dynamics."""

import matplotlib.pyplot as plt

from bellflow.io import params_of, read_result
from bellflow.plotting import COLORS, save_figure, use_style


def _panel(h5, label, pdf, png):
    ds = read_result(h5)
    p = params_of(ds)
    t, bell = ds["t"].values, ds["bell"].values
    fig, ax = plt.subplots()
    ax.plot(t, bell, color=COLORS[0])
    ax.axhline(0.0, color="k", lw=0.8)
    ax.fill_between(
        t,
        0,
        1,
        where=bell < 0,
        color=COLORS[5],
        alpha=0.3,
        transform=ax.get_xaxis_transform(),
        label=r"$Q_v < 0$ (NL)",
    )
    ax.set_xlabel(r"$t$")
    ax.set_ylabel(r"$Q_v = \min\,\mathrm{Tr}[\mathcal{B}_2\rho_2]$")
    ax.set_title(
        f"({label}) Eq. (14), N={p['n']}, "
        + r"$\omega$"
        + f"={p['omega']}, "
        + r"$\gamma$"
        + f"={p['gamma']}"
    )
    ax.legend()
    save_figure(fig, pdf, png)


def main(closed, dissipative, pdf_a, png_a, pdf_b, png_b) -> None:
    use_style()
    _panel(closed, "a", pdf_a, png_a)
    _panel(dissipative, "b", pdf_b, png_b)


if __name__ == "__main__":  # pragma: no cover (run by Snakemake)
    from bellflow.logs import rule_log

    with rule_log(snakemake):
        main(**dict(snakemake.input), **dict(snakemake.output))
