# Paper 003: non-locality in the open Lipkin-Meshkov-Glick model (Marconi et al. 2022).
# Fig. 1 steady-state maps (chunked over their first axis), Fig. 2 time traces, Fig. 3 (Eq. 14)
# dynamics, Fig. 4 repeated measurements, and the paper's claims.
from bellflow.grids import grid

LMG = config["lmg"]
LMG_FIGS = ["fig1a", "fig1b", "fig2a", "fig2b", "fig3a", "fig3b", "fig4a", "fig4b"]
LMG_MAPS = [
    "thermal_h_beta",
    "thermal_h_j",
    "nonthermal_h_zeta",
    "nonthermal_gamma_zeta",
]
LMG_CATEGORY = "Paper 003: open LMG model"

TARGETS["lmg"] = [
    "results/lmg/checks.h5",
    "results/lmg/depends.h5",
    *expand("results/lmg/twobody_{map}.h5", map=LMG_MAPS),
    *expand("results/figures/lmg/twobody.{ext}", ext=["pdf", "png"]),
    *expand("results/lmg/fig1_{map}.h5", map=LMG_MAPS),
    *expand("results/figures/lmg/{fig}.{ext}", fig=LMG_FIGS, ext=["pdf", "png"]),
]
SUMMARY_INPUTS["lmg"] = [
    "results/lmg/checks.h5",
    "results/lmg/depends.h5",
    *expand("results/lmg/fig2_{bath}.h5", bath=["thermal", "nonthermal"]),
    *expand("results/lmg/fig3_{case}.h5", case=["closed", "dissipative"]),
    *expand("results/lmg/fig4_{init}.h5", init=["thermal", "nonthermal"]),
]


# Fig. 1 grids and maps: (kind, axis1, axis2, fixed).
_F1 = LMG["fig1"]
LMG_AXES = {
    "h": grid(_F1["h"]).tolist(),
    "beta": grid(_F1["beta"]).tolist(),
    "j": grid(_F1["J"]).tolist(),
    "zeta": grid(_F1["zeta"]).tolist(),
    "gamma": grid(_F1["gamma"]).tolist(),
}
_BATH = {k: LMG["thermal_bath"][k] for k in ("alpha", "omega_c")}
_NT = {"j": LMG["model"]["J"], "gamma": LMG["nonthermal"]["gamma"]}
LMG_MAP_SPECS = {
    "thermal_h_beta": ("thermal", "h", "beta", {"j": LMG["model"]["J"], **_BATH}),
    "thermal_h_j": ("thermal", "h", "j", {"beta": _F1["beta_for_J_map"], **_BATH}),
    "nonthermal_h_zeta": ("nonthermal", "h", "zeta", _NT),
    "nonthermal_gamma_zeta": (
        "nonthermal",
        "gamma",
        "zeta",
        {"j": LMG["model"]["J"], "h": _F1["gamma_panel_h"]},
    ),
}
LMG_CHUNKS = {
    m: chunk_ids(len(LMG_AXES[spec[1]]), _F1["chunk_size"])
    for m, spec in LMG_MAP_SPECS.items()
}
# Each figure as PDF + PNG in the report (alias: snakefmt reads a line starting with
# "report(" as the report directive).
wrap = report
LMG_FIG_OUT = {
    (fig, ext): wrap(
        f"results/figures/lmg/{fig}.{ext}",
        caption=f"../report/lmg/{fig}.rst",
        category=LMG_CATEGORY,
        subcategory="Figures",
    )
    for fig in LMG_FIGS
    for ext in ("pdf", "png")
}


wildcard_constraints:
    map="|".join(LMG_MAPS),
    bath="thermal|nonthermal",
    case="closed|dissipative",
    init="thermal|nonthermal",


rule lmg_fig1_chunk:
    input:
        code=lib("lmg", "dicke", "states"),
    output:
        h5="results/lmg/chunks/fig1_{map}_{chunk}.h5",
    log:
        "logs/lmg/fig1_chunk_{map}_{chunk}.log",
    benchmark:
        "results/benchmarks/lmg/fig1_chunk_{map}_{chunk}.tsv"
    conda:
        "../../envs/qutip.yaml"
    resources:
        mem_mb=by_attempt(1000),
        runtime=by_attempt(30),
    params:
        kind=lambda wc: LMG_MAP_SPECS[wc.map][0],
        n=_F1["N"],
        axis1=lambda wc: LMG_MAP_SPECS[wc.map][1],
        values1=lambda wc: LMG_AXES[LMG_MAP_SPECS[wc.map][1]][
            slice(
                *chunk_slice(
                    wc.chunk,
                    _F1["chunk_size"],
                    len(LMG_AXES[LMG_MAP_SPECS[wc.map][1]]),
                )
            )
        ],
        axis2=lambda wc: LMG_MAP_SPECS[wc.map][2],
        values2=lambda wc: LMG_AXES[LMG_MAP_SPECS[wc.map][2]],
        fixed=lambda wc: LMG_MAP_SPECS[wc.map][3],
    script:
        "../../scripts/lmg_fig1_chunk.py"


rule lmg_fig1_merge:
    input:
        chunks=lambda wc: expand(
            "results/lmg/chunks/fig1_{map}_{chunk}.h5",
            map=wc.map,
            chunk=LMG_CHUNKS[wc.map],
        ),
    output:
        h5="results/lmg/fig1_{map}.h5",
    log:
        "logs/lmg/fig1_merge_{map}.log",
    benchmark:
        "results/benchmarks/lmg/fig1_merge_{map}.tsv"
    conda:
        "../../envs/base.yaml"
    resources:
        mem_mb=by_attempt(1000),
        runtime=by_attempt(5),
    script:
        "../../scripts/lmg_fig1_merge.py"


rule lmg_fig2_trace:
    input:
        code=lib("lmg", "dicke", "states"),
    output:
        h5="results/lmg/fig2_{bath}.h5",
    log:
        "logs/lmg/fig2_trace_{bath}.log",
    benchmark:
        "results/benchmarks/lmg/fig2_trace_{bath}.tsv"
    conda:
        "../../envs/qutip.yaml"
    resources:
        mem_mb=by_attempt(1000),
        runtime=by_attempt(30),
    params:
        kind="{bath}",
        n=LMG["fig2"]["N"],
        j=LMG["model"]["J"],
        h=LMG["fig2"]["h"],
        bath_param=lambda wc: LMG["fig2"]["beta" if wc.bath == "thermal" else "zeta"],
        gamma=LMG["nonthermal"]["gamma"],
        alpha=LMG["thermal_bath"]["alpha"],
        omega_c=LMG["thermal_bath"]["omega_c"],
        times=grid_param(LMG["fig2"]["times"]),
    script:
        "../../scripts/lmg_fig2_trace.py"


rule lmg_fig3_trace:
    input:
        code=lib("lmg", "dicke", "states"),
    output:
        h5="results/lmg/fig3_{case}.h5",
    log:
        "logs/lmg/fig3_trace_{case}.log",
    benchmark:
        "results/benchmarks/lmg/fig3_trace_{case}.tsv"
    conda:
        "../../envs/qutip.yaml"
    resources:
        mem_mb=by_attempt(1000),
        runtime=by_attempt(30),
    params:
        n=LMG["fig3"]["N"],
        omega=LMG["fig3"]["omega"],
        gamma=lambda wc: LMG["fig3"]["gamma"] if wc.case == "dissipative" else 0.0,
        times=grid_param(LMG["fig3"]["times"]),
    script:
        "../../scripts/lmg_fig3_trace.py"


rule lmg_fig4_trace:
    input:
        code=lib("lmg", "dicke", "states"),
    output:
        h5="results/lmg/fig4_{init}.h5",
    log:
        "logs/lmg/fig4_trace_{init}.log",
    benchmark:
        "results/benchmarks/lmg/fig4_trace_{init}.tsv"
    conda:
        "../../envs/qutip.yaml"
    resources:
        mem_mb=by_attempt(1000),
        runtime=by_attempt(30),
    params:
        init="{init}",
        n=LMG["fig4"]["N"],
        j=LMG["model"]["J"],
        h=LMG["fig4"]["h"],
        beta=LMG["fig4"]["beta"],
        zeta=LMG["fig4"]["zeta"],
        gamma=LMG["nonthermal"]["gamma"],
        alpha=LMG["thermal_bath"]["alpha"],
        omega_c=LMG["thermal_bath"]["omega_c"],
        kappas=LMG["fig4"]["kappas"],
        p=grid_param(LMG["fig4"]["p"]),
        p_small=LMG["fig4"]["p_small"],
        p_small_tolerance=LMG["fig4"]["p_small_tolerance"],
    script:
        "../../scripts/lmg_fig4_trace.py"


rule lmg_checks:
    input:
        code=lib("lmg", "dicke", "states"),
        fig2_thermal="results/lmg/fig2_thermal.h5",
        fig2_nonthermal="results/lmg/fig2_nonthermal.h5",
    output:
        h5="results/lmg/checks.h5",
    log:
        "logs/lmg/checks.log",
    benchmark:
        "results/benchmarks/lmg/checks.tsv"
    conda:
        "../../envs/qutip.yaml"
    resources:
        mem_mb=by_attempt(1000),
        runtime=by_attempt(10),
    params:
        n=LMG["checks"]["N"],
        j=LMG["model"]["J"],
        h=LMG["checks"]["h"],
        beta=LMG["checks"]["beta"],
        zeta=LMG["checks"]["zeta"],
        gamma=LMG["nonthermal"]["gamma"],
        alpha=LMG["thermal_bath"]["alpha"],
        omega_c=LMG["thermal_bath"]["omega_c"],
        beta_low=LMG["checks"]["beta_low"],
        beta_high=LMG["checks"]["beta_high"],
        betas=grid_param(_F1["beta"]),
        gammas=grid_param(LMG["depends"]["gamma"]),
    script:
        "../../scripts/lmg_checks.py"


rule lmg_depends:
    input:
        code=lib("lmg", "dicke", "states"),
        fig2_thermal="results/lmg/fig2_thermal.h5",
        fig2_nonthermal="results/lmg/fig2_nonthermal.h5",
    output:
        h5="results/lmg/depends.h5",
    log:
        "logs/lmg/depends.log",
    benchmark:
        "results/benchmarks/lmg/depends.tsv"
    conda:
        "../../envs/qutip.yaml"
    resources:
        mem_mb=by_attempt(1000),
        runtime=by_attempt(20),
    params:
        n=LMG["depends"]["N"],
        j=LMG["model"]["J"],
        h=LMG["fig2"]["h"],
        beta=LMG["fig2"]["beta"],
        zeta=LMG["fig2"]["zeta"],
        alpha=LMG["thermal_bath"]["alpha"],
        gamma=LMG["nonthermal"]["gamma"],
        omega_c=LMG["thermal_bath"]["omega_c"],
        alphas=grid_param(LMG["depends"]["alpha"]),
        gammas=grid_param(LMG["depends"]["gamma"]),
        times=grid_param(LMG["depends"]["times"]),
        h_grid=grid_param(LMG["depends"]["h"]),
        zetas=grid_param(LMG["fig1"]["zeta"]),
    script:
        "../../scripts/lmg_depends.py"


# Study 2: the two-body trace of the Fig. 1 maps: the CHSH value of rho_2 (computed in the map
# chunks, which also store rho_2), the LP local-polytope test of its Horodecki box and the I3322
# see-saw per point, summarised per map and shown next to the many-body violation.
rule lmg_twobody:
    input:
        code=lib("lmg", "dicke", "states", "boxes", "optim"),
        fig1_map="results/lmg/fig1_{map}.h5",
    output:
        h5="results/lmg/twobody_{map}.h5",
    log:
        "logs/lmg/twobody_{map}.log",
    benchmark:
        "results/benchmarks/lmg/twobody_{map}.tsv"
    conda:
        "../../envs/qutip.yaml"
    resources:
        mem_mb=by_attempt(1000),
        runtime=by_attempt(10),
    params:
        starts=LMG["twobody"]["starts"],
        explicit_n=LMG["twobody"]["explicit_n"],
    script:
        "../../scripts/lmg_twobody.py"


rule lmg_figure_twobody:
    input:
        maps=expand("results/lmg/fig1_{map}.h5", map=LMG_MAPS),
        summaries=expand("results/lmg/twobody_{map}.h5", map=LMG_MAPS),
    output:
        pdf=report(
            "results/figures/lmg/twobody.pdf",
            caption="../report/lmg/twobody.rst",
            category=LMG_CATEGORY,
            subcategory="Study: two-body trace",
        ),
        png=report(
            "results/figures/lmg/twobody.png",
            caption="../report/lmg/twobody.rst",
            category=LMG_CATEGORY,
            subcategory="Study: two-body trace",
        ),
    log:
        "logs/lmg/figure_twobody.log",
    benchmark:
        "results/benchmarks/lmg/figure_twobody.tsv"
    conda:
        "../../envs/plot.yaml"
    resources:
        mem_mb=by_attempt(1000),
        runtime=by_attempt(5),
    script:
        "../../scripts/lmg_plot_twobody.py"


rule lmg_figure1:
    input:
        thermal_h_beta="results/lmg/fig1_thermal_h_beta.h5",
        thermal_h_j="results/lmg/fig1_thermal_h_j.h5",
        nonthermal_h_zeta="results/lmg/fig1_nonthermal_h_zeta.h5",
        nonthermal_gamma_zeta="results/lmg/fig1_nonthermal_gamma_zeta.h5",
    output:
        pdf_a=LMG_FIG_OUT[("fig1a", "pdf")],
        png_a=LMG_FIG_OUT[("fig1a", "png")],
        pdf_b=LMG_FIG_OUT[("fig1b", "pdf")],
        png_b=LMG_FIG_OUT[("fig1b", "png")],
    log:
        "logs/lmg/figure1.log",
    benchmark:
        "results/benchmarks/lmg/figure1.tsv"
    conda:
        "../../envs/plot.yaml"
    resources:
        mem_mb=by_attempt(1000),
        runtime=by_attempt(5),
    script:
        "../../scripts/lmg_plot_fig1.py"


rule lmg_figure2:
    input:
        thermal="results/lmg/fig2_thermal.h5",
        nonthermal="results/lmg/fig2_nonthermal.h5",
    output:
        pdf_a=LMG_FIG_OUT[("fig2a", "pdf")],
        png_a=LMG_FIG_OUT[("fig2a", "png")],
        pdf_b=LMG_FIG_OUT[("fig2b", "pdf")],
        png_b=LMG_FIG_OUT[("fig2b", "png")],
    log:
        "logs/lmg/figure2.log",
    benchmark:
        "results/benchmarks/lmg/figure2.tsv"
    conda:
        "../../envs/plot.yaml"
    resources:
        mem_mb=by_attempt(1000),
        runtime=by_attempt(5),
    script:
        "../../scripts/lmg_plot_fig2.py"


rule lmg_figure3:
    input:
        closed="results/lmg/fig3_closed.h5",
        dissipative="results/lmg/fig3_dissipative.h5",
    output:
        pdf_a=LMG_FIG_OUT[("fig3a", "pdf")],
        png_a=LMG_FIG_OUT[("fig3a", "png")],
        pdf_b=LMG_FIG_OUT[("fig3b", "pdf")],
        png_b=LMG_FIG_OUT[("fig3b", "png")],
    log:
        "logs/lmg/figure3.log",
    benchmark:
        "results/benchmarks/lmg/figure3.tsv"
    conda:
        "../../envs/plot.yaml"
    resources:
        mem_mb=by_attempt(1000),
        runtime=by_attempt(5),
    script:
        "../../scripts/lmg_plot_fig3.py"


rule lmg_figure4:
    input:
        thermal="results/lmg/fig4_thermal.h5",
        nonthermal="results/lmg/fig4_nonthermal.h5",
    output:
        pdf_a=LMG_FIG_OUT[("fig4a", "pdf")],
        png_a=LMG_FIG_OUT[("fig4a", "png")],
        pdf_b=LMG_FIG_OUT[("fig4b", "pdf")],
        png_b=LMG_FIG_OUT[("fig4b", "png")],
    log:
        "logs/lmg/figure4.log",
    benchmark:
        "results/benchmarks/lmg/figure4.tsv"
    conda:
        "../../envs/plot.yaml"
    resources:
        mem_mb=by_attempt(1000),
        runtime=by_attempt(5),
    script:
        "../../scripts/lmg_plot_fig4.py"


rule lmg_all:
    default_target: False
    input:
        TARGETS["lmg"],
    localrule: True
