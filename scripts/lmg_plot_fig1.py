"""Rule lmg_figure1: Fig. 1a (thermal maps) and Fig. 1b (non-thermal map + gamma dependence)."""

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.colors import TwoSlopeNorm

from bellflow.io import params_of, read_result
from bellflow.plotting import save_figure, use_style

LABELS = {"h": r"$h$", "beta": r"$\beta$", "j": r"$J$", "zeta": r"$\zeta$", "gamma": r"$\gamma$"}


def _map(ax, fig, ds):
    p = params_of(ds)
    a1, a2 = p["axis1"], p["axis2"]
    x, y, z = ds[a1].values, ds[a2].values, ds["bell"].values.T
    lim = max(abs(np.nanmin(z)), abs(np.nanmax(z)), 1e-9)
    norm = TwoSlopeNorm(vcenter=0.0, vmin=min(np.nanmin(z), -1e-9), vmax=lim)
    mesh = ax.pcolormesh(x, y, z, shading="auto", cmap="RdBu_r", norm=norm)
    if np.nanmin(z) < 0 < np.nanmax(z):
        ax.contour(x, y, z, levels=[0.0], colors="k", linewidths=1.0)
    cbar = fig.colorbar(mesh, ax=ax, label=r"$\min\,\mathrm{Tr}[\mathcal{B}_2\rho_2]$")
    lo = np.nanmin(z)
    if lo < 0:  # the negative (non-local) side is compressed by the norm: label it
        cbar.set_ticks(sorted({round(lo, 1), round(lo / 2, 1), 0.0, *np.linspace(0, lim, 5)[1:]}))
    ax.set_xlabel(LABELS[a1])
    ax.set_ylabel(LABELS[a2])
    if a2 == "beta":
        ax.set_yscale("log")
    return p


def main(
    thermal_h_beta,
    thermal_h_j,
    nonthermal_h_zeta,
    nonthermal_gamma_zeta,
    pdf_a,
    png_a,
    pdf_b,
    png_b,
) -> None:
    use_style()
    fig, axes = plt.subplots(1, 2, figsize=(11, 4), gridspec_kw={"wspace": 0.35})
    p = _map(axes[0], fig, read_result(thermal_h_beta))
    axes[0].set_title(f"(a) thermal, N={p['n']}, J={p['j']}")
    p = _map(axes[1], fig, read_result(thermal_h_j))
    axes[1].set_title(f"(a) thermal, N={p['n']}, " + r"$\beta$" + f"={p['beta']}")
    save_figure(fig, pdf_a, png_a)

    fig, axes = plt.subplots(1, 2, figsize=(11, 4), gridspec_kw={"wspace": 0.35})
    p = _map(axes[0], fig, read_result(nonthermal_h_zeta))
    axes[0].set_title(f"(b) non-thermal, N={p['n']}, J={p['j']}, " + r"$\gamma$" + f"={p['gamma']}")
    ds = read_result(nonthermal_gamma_zeta)
    p = params_of(ds)
    for k, g in enumerate(ds["gamma"].values):
        axes[1].plot(
            ds["zeta"].values,
            ds["bell"].values[k],
            marker="o",
            ms=3,
            label=r"$\gamma$" + f" = {g:g}",
        )
    axes[1].axhline(0.0, color="k", lw=0.8)
    axes[1].set_xlabel(LABELS["zeta"])
    axes[1].set_ylabel(r"$\min\,\mathrm{Tr}[\mathcal{B}_2\rho_2]$")
    axes[1].set_title(f"dependence on the unstated rate, h={p['h']}, J={p['j']}")
    axes[1].legend()
    save_figure(fig, pdf_b, png_b)


if __name__ == "__main__":  # pragma: no cover (run by Snakemake)
    from bellflow.logs import rule_log

    with rule_log(snakemake):
        main(**dict(snakemake.input), **dict(snakemake.output))
