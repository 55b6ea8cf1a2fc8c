"""Rule lmg_figure2: Fig. 2a (thermal) and 2b (non-thermal) time traces."""

import matplotlib.pyplot as plt
import numpy as np

from bellflow.io import params_of, read_result
from bellflow.plotting import COLORS, save_figure, use_style


def _panel(h5, title, pdf, png):
    ds = read_result(h5)
    p = params_of(ds)
    t = ds["t"].values[1:]  # t = 0 is off the log axis
    bell = ds["bell"].values[1:]
    nc = p["n"] * ds["concurrence"].values[1:]
    xi2 = np.minimum(ds["xi2"].values[1:], 1.0)  # "xi^2 chosen equal to 1 for separable states"
    fig, (ax1, ax2) = plt.subplots(2, 1, sharex=True, figsize=(6.2, 5.2))
    ax1.plot(t, bell, "o-", ms=3, color=COLORS[0], label="Bell value, Eq. (3)")
    ax1.axhline(0.0, color="k", lw=0.8)
    ax1.fill_between(
        t,
        0,
        1,
        where=bell < 0,
        color=COLORS[5],
        alpha=0.3,
        transform=ax1.get_xaxis_transform(),
        label="NL",
    )
    ax1.set_ylabel(r"$\min\,\mathrm{Tr}[\mathcal{B}_2\rho_2]$")
    ax1.legend()
    ax2.plot(t, nc, "s-", ms=3, color=COLORS[2], label=r"$N\,C(\rho_2)$")
    ax2.plot(t, xi2, "^-", ms=3, color=COLORS[1], label=r"$\xi^2$ (clipped at 1)")
    ent = (nc > 0) | (xi2 < 1)
    ax2.fill_between(
        t,
        0,
        1,
        where=ent,
        color=COLORS[4],
        alpha=0.25,
        transform=ax2.get_xaxis_transform(),
        label="ENT",
    )
    ax2.set_xscale("log")
    ax2.set_xlabel("t")
    ax2.legend()
    ax1.set_title(title)
    save_figure(fig, pdf, png)


def main(thermal, nonthermal, pdf_a, png_a, pdf_b, png_b) -> None:
    use_style()
    p = params_of(read_result(thermal))
    _panel(
        thermal,
        f"(a) thermal, N={p['n']}, J={p['j']}, h={p['h']}, " + r"$\beta$" + f"={p['beta']}",
        pdf_a,
        png_a,
    )
    p = params_of(read_result(nonthermal))
    _panel(
        nonthermal,
        f"(b) non-thermal, N={p['n']}, J={p['j']}, h={p['h']}, " + r"$\zeta$" + f"={p['zeta']}",
        pdf_b,
        png_b,
    )


if __name__ == "__main__":  # pragma: no cover (run by Snakemake)
    from bellflow.logs import rule_log

    with rule_log(snakemake):
        main(**dict(snakemake.input), **dict(snakemake.output))
