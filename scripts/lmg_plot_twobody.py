"""Rule lmg_figure_twobody: study 2 figure over the four Fig. 1 maps, with the contour where the
many-body Bell inequality (Eq. 3) is violated: top, the CHSH value of rho_2 (Horodecki); bottom,
I3322 of rho_2 maximised over rank-one measurements by see-saw (local bound 0)."""

import matplotlib.pyplot as plt

from bellflow.io import params_of, read_result
from bellflow.plotting import save_figure, use_style

LABELS = {"h": r"$h$", "beta": r"$\beta$", "j": r"$J$", "zeta": r"$\zeta$", "gamma": r"$\gamma$"}


def _panel(fig, ax, ds, p, values, label: str) -> None:
    a1, a2 = p["axis1"], p["axis2"]
    x, y = ds[a1].values, ds[a2].values
    mesh = ax.pcolormesh(x, y, values.T, shading="auto", cmap="viridis")
    bell = ds["bell"].values.T
    if bell.min() < 0 < bell.max():
        ax.contour(x, y, bell, levels=[0.0], colors="w", linewidths=1.2)
    if bell.min() < 0:  # hatched: Eq. (3) violated
        ax.contourf(x, y, bell, levels=[bell.min() - 1.0, 0.0], colors="none", hatches=["//"])
    fig.colorbar(mesh, ax=ax, label=label)
    ax.set_xlabel(LABELS[a1])
    ax.set_ylabel(LABELS[a2])
    if a1 == "gamma":
        ax.set_xscale("log")
    if a2 == "beta":
        ax.set_yscale("log")


def main(maps: list[str], summaries: list[str], pdf: str, png: str) -> None:
    use_style()
    fig, axes = plt.subplots(
        2, len(maps), figsize=(5.0 * len(maps), 8.0), squeeze=False, layout="constrained"
    )
    for col, (path, summ) in enumerate(zip(maps, summaries, strict=True)):
        ds, s = read_result(path), read_result(summ)
        p = params_of(ds)
        top, bottom = axes[0, col], axes[1, col]
        _panel(fig, top, ds, p, ds["chsh_two_body"].values, r"CHSH$(\rho_2)$ (Horodecki)")
        top.set_title(
            f"{p['kind']}, N={p['n']}: max CHSH {float(s['max_chsh_two_body']):.3f}\n"
            f"Eq. (3) violated on {100 * float(s['fraction_manybody_violation']):.0f}%, "
            f"CHSH on {100 * float(s['fraction_twobody_chsh_violation']):.0f}%; "
            f"LP local on {100 * float(s['fraction_lp_local']):.0f}%",
            fontsize=9,
        )
        _panel(fig, bottom, ds, p, s["i3322_sharp"].values, r"I3322$(\rho_2)$, sharp (see-saw)")
        bottom.set_title(
            f"max I3322 {float(s['max_i3322']):.1e} (any projective), "
            f"{float(s['max_i3322_sharp']):.3f} (sharp)\n"
            f"I3322 > 0 on {100 * float(s['fraction_i3322_violation']):.0f}%; "
            f"Eq. (3) only on {100 * float(s['fraction_manybody_only_3322']):.0f}%",
            fontsize=9,
        )
    save_figure(fig, pdf, png)


if __name__ == "__main__":  # pragma: no cover (run by Snakemake)
    from bellflow.logs import rule_log

    with rule_log(snakemake):
        i, o = snakemake.input, snakemake.output
        main(list(i.maps), list(i.summaries), o.pdf, o.png)
