# Paper 004: entanglement distribution by an inept delivery service.
# Fig. 2 scan over (a, S) and its boundary curves, Fig. 3 curves over S, and the paper's numbers.
# Library: src/bellflow/delivery/ (channel: the state and closed forms; lhv: Sec. V; scans: the
# figures as Datasets; checks: the paper's numbers, one function per section).

DELIVERY_CORE = ["delivery/__init__", "delivery/channel", "delivery/lhv", "states"]

TARGETS["delivery"] = [
    "results/delivery/fig2_scan.h5",
    "results/delivery/fig3_curves.h5",
    "results/delivery/checks.h5",
    "results/delivery/dikey.h5",
    "results/delivery/dikey_bff.h5",
] + expand(
    "results/figures/delivery/{fig}.{ext}",
    fig=["fig2", "fig3", "dikey"],
    ext=["pdf", "png"],
)
SUMMARY_INPUTS["delivery"] = ["results/delivery/checks.h5"]


rule delivery_scan:
    input:
        code=lib(*DELIVERY_CORE, "delivery/scans", "grids"),
    output:
        h5="results/delivery/fig2_scan.h5",
    log:
        "logs/delivery/scan.log",
    benchmark:
        "results/benchmarks/delivery/scan.tsv"
    conda:
        "../../envs/sdp.yaml"
    resources:
        mem_mb=by_attempt(2000),
        runtime=by_attempt(10),
    params:
        **config["delivery"]["fig2"],
    script:
        "../../scripts/delivery_scan.py"


rule delivery_fig3_curves:
    input:
        code=lib(*DELIVERY_CORE, "delivery/scans", "grids"),
    output:
        h5="results/delivery/fig3_curves.h5",
    log:
        "logs/delivery/fig3_curves.log",
    benchmark:
        "results/benchmarks/delivery/fig3_curves.tsv"
    conda:
        "../../envs/sdp.yaml"
    resources:
        mem_mb=by_attempt(1000),
        runtime=by_attempt(10),
    params:
        **config["delivery"]["fig3"],
    script:
        "../../scripts/delivery_fig3_curves.py"


rule delivery_checks:
    input:
        code=lib(*DELIVERY_CORE, "delivery/checks", "delivery/routes", "grids"),
    output:
        h5="results/delivery/checks.h5",
    log:
        "logs/delivery/checks.log",
    benchmark:
        "results/benchmarks/delivery/checks.tsv"
    conda:
        "../../envs/sdp.yaml"
    resources:
        mem_mb=by_attempt(1000),
        runtime=by_attempt(10),
    params:
        **config["delivery"]["checks"],
        fig3_S=config["delivery"]["fig3"]["S"],
    script:
        "../../scripts/delivery_checks.py"


rule delivery_figure2:
    input:
        h5="results/delivery/fig2_scan.h5",
    output:
        pdf=report(
            "results/figures/delivery/fig2.pdf",
            caption="../report/delivery/fig2.rst",
            category="Paper 004: inept delivery",
            subcategory="Figures",
        ),
        png=report(
            "results/figures/delivery/fig2.png",
            caption="../report/delivery/fig2.rst",
            category="Paper 004: inept delivery",
            subcategory="Figures",
        ),
    log:
        "logs/delivery/figure2.log",
    benchmark:
        "results/benchmarks/delivery/figure2.tsv"
    conda:
        "../../envs/plot.yaml"
    resources:
        mem_mb=by_attempt(1000),
        runtime=by_attempt(5),
    script:
        "../../scripts/delivery_plot_fig2.py"


rule delivery_figure3:
    input:
        h5="results/delivery/fig3_curves.h5",
    output:
        pdf=report(
            "results/figures/delivery/fig3.pdf",
            caption="../report/delivery/fig3.rst",
            category="Paper 004: inept delivery",
            subcategory="Figures",
        ),
        png=report(
            "results/figures/delivery/fig3.png",
            caption="../report/delivery/fig3.rst",
            category="Paper 004: inept delivery",
            subcategory="Figures",
        ),
    log:
        "logs/delivery/figure3.log",
    benchmark:
        "results/benchmarks/delivery/figure3.tsv"
    conda:
        "../../envs/plot.yaml"
    resources:
        mem_mb=by_attempt(1000),
        runtime=by_attempt(5),
    script:
        "../../scripts/delivery_plot_fig3.py"


# Study 1 (beyond the paper): where does the delivered state give a device-independent key?
# Stored over Fig. 2's own (a, S) axes.
rule delivery_dikey:
    input:
        code=lib(*DELIVERY_CORE, "delivery/scans", "delivery/dikey", "diqkd", "grids"),
    output:
        h5="results/delivery/dikey.h5",
    log:
        "logs/delivery/dikey.log",
    benchmark:
        "results/benchmarks/delivery/dikey.tsv"
    conda:
        "../../envs/sdp.yaml"
    resources:
        mem_mb=by_attempt(2000),
        runtime=by_attempt(10),
    params:
        **config["delivery"]["dikey"],
        a=config["delivery"]["fig2"]["a"],
        S=config["delivery"]["fig2"]["S"],
    script:
        "../../scripts/delivery_dikey.py"


# The BFF sub-grid of study 1: every a_every-th a of Fig. 2's axis, and every S_every-th S
# counted down from the top of Fig. 2's S axis (S = 1 included) down to S_min.
DIKEY_BFF = config["delivery"]["dikey"]["bff"]
DIKEY_BFF_A = subgrid(config["delivery"]["fig2"]["a"], DIKEY_BFF["a_every"])
DIKEY_BFF_S = subgrid(
    config["delivery"]["fig2"]["S"],
    DIKEY_BFF["S_every"],
    from_end=True,
    minimum=DIKEY_BFF["S_min"],
)


rule delivery_dikey_bff:
    input:
        code=lib(*DELIVERY_CORE, "delivery/scans", "delivery/dikey", "diqkd", "entropy"),
    output:
        h5="results/delivery/dikey_bff/S_{i}.h5",
    log:
        "logs/delivery/dikey_bff/S_{i}.log",
    benchmark:
        "results/benchmarks/delivery/dikey_bff/S_{i}.tsv"
    conda:
        "../../envs/sdp.yaml"
    resources:
        mem_mb=by_attempt(3000),
        runtime=by_attempt(20),
    params:
        a_values=DIKEY_BFF_A,
        S=lambda wildcards: DIKEY_BFF_S[int(wildcards.i)],
        nodes=config["delivery"]["dikey"]["bff"]["nodes"],
        level=config["delivery"]["dikey"]["bff"]["level"],
    script:
        "../../scripts/delivery_dikey_bff.py"


rule delivery_dikey_bff_gather:
    input:
        chunks=expand("results/delivery/dikey_bff/S_{i}.h5", i=range(len(DIKEY_BFF_S))),
    output:
        h5="results/delivery/dikey_bff.h5",
    log:
        "logs/delivery/dikey_bff_gather.log",
    benchmark:
        "results/benchmarks/delivery/dikey_bff_gather.tsv"
    conda:
        "../../envs/sdp.yaml"
    resources:
        mem_mb=by_attempt(1000),
        runtime=by_attempt(5),
    params:
        **config["delivery"]["dikey"]["bff"],
        a=DIKEY_BFF_A,
        S=DIKEY_BFF_S,
    script:
        "../../scripts/delivery_dikey_bff_gather.py"


rule delivery_figure_dikey:
    input:
        h5="results/delivery/dikey.h5",
        bff="results/delivery/dikey_bff.h5",
    output:
        pdf=report(
            "results/figures/delivery/dikey.pdf",
            caption="../report/delivery/dikey.rst",
            category="Paper 004: inept delivery",
            subcategory="Study: device-independent key",
        ),
        png=report(
            "results/figures/delivery/dikey.png",
            caption="../report/delivery/dikey.rst",
            category="Paper 004: inept delivery",
            subcategory="Study: device-independent key",
        ),
    log:
        "logs/delivery/figure_dikey.log",
    benchmark:
        "results/benchmarks/delivery/figure_dikey.tsv"
    conda:
        "../../envs/plot.yaml"
    resources:
        mem_mb=by_attempt(1000),
        runtime=by_attempt(5),
    script:
        "../../scripts/delivery_plot_dikey.py"


rule delivery_all:
    default_target: False
    input:
        TARGETS["delivery"],
    localrule: True
