# Paper 002: unbounded DIQKD key rates from arbitrarily small nonlocality.
# Family scan over (d, eps) chunked by groups of d, certified NPA checks, the CHSH baseline,
# BFF key rates vs visibility chunked by noise level, the device-independent (BFF) key rate of
# the family vs eps, three figures and the reproduction-table claims.

DQ = config["diqkd"]
DQ_BFF_CHUNKS = chunk_ids(len(DQ["bff"]["visibilities"]), DQ["bff"]["chunk_size"])
DQ_SCAN_CHUNKS = chunk_ids(len(DQ["scan"]["d"]), DQ["scan"]["chunk_size"])

TARGETS["diqkd"] = [
    "results/diqkd/scan.h5",
    "results/diqkd/npa.h5",
    "results/diqkd/chsh.h5",
    "results/diqkd/bff.h5",
    "results/diqkd/di_rates.h5",
] + expand(
    "results/figures/diqkd/{fig}.{ext}",
    fig=["fig1", "fig2", "fig3"],
    ext=["pdf", "png"],
)
SUMMARY_INPUTS["diqkd"] = [
    "results/diqkd/scan.h5",
    "results/diqkd/npa.h5",
    "results/diqkd/di_rates.h5",
]


rule diqkd_scan_chunk:
    input:
        code=lib("diqkd", "npa", "optim", "grids"),
    output:
        h5="results/diqkd/chunks/scan_{chunk}.h5",
    log:
        "logs/diqkd/scan_chunk{chunk}.log",
    benchmark:
        "results/benchmarks/diqkd/scan_chunk{chunk}.tsv"
    conda:
        "../../envs/sdp.yaml"
    resources:
        mem_mb=by_attempt(2000),
        runtime=by_attempt(30),
    params:
        d=lambda w: DQ["scan"]["d"][
            slice(
                *chunk_slice(w.chunk, DQ["scan"]["chunk_size"], len(DQ["scan"]["d"]))
            )
        ],
        eps=DQ["scan"]["eps"],
        noise_d_max=DQ["scan"]["noise_d_max"],
    script:
        "../../scripts/diqkd_scan_chunk.py"


rule diqkd_scan:
    input:
        chunks=expand("results/diqkd/chunks/scan_{chunk}.h5", chunk=DQ_SCAN_CHUNKS),
        code=lib("diqkd"),
    output:
        h5="results/diqkd/scan.h5",
    log:
        "logs/diqkd/scan.log",
    benchmark:
        "results/benchmarks/diqkd/scan.tsv"
    conda:
        "../../envs/base.yaml"
    resources:
        mem_mb=by_attempt(1000),
        runtime=by_attempt(5),
    params:
        claim_eps_max=DQ["scan"]["claim_eps_max"],
    script:
        "../../scripts/diqkd_scan_gather.py"


rule diqkd_npa:
    input:
        code=lib("diqkd", "npa", "boxes", "optim"),
    output:
        h5="results/diqkd/npa.h5",
    log:
        "logs/diqkd/npa.log",
    benchmark:
        "results/benchmarks/diqkd/npa.tsv"
    # the longest job of the full config (the d = 4 point, ~4 min): started first, the others
    # fill the second core around it
    priority: 50
    conda:
        "../../envs/sdp.yaml"
    resources:
        mem_mb=by_attempt(4000),
        runtime=by_attempt(60),
    params:
        points=DQ["npa"]["points"],
        level=DQ["npa"]["level"],
    script:
        "../../scripts/diqkd_npa.py"


rule diqkd_chsh:
    input:
        code=lib("diqkd", "npa", "optim"),
    output:
        h5="results/diqkd/chsh.h5",
    log:
        "logs/diqkd/chsh.log",
    benchmark:
        "results/benchmarks/diqkd/chsh.tsv"
    conda:
        "../../envs/sdp.yaml"
    resources:
        mem_mb=by_attempt(1000),
        runtime=by_attempt(5),
    params:
        v_points=DQ["chsh"]["v_points"],
    script:
        "../../scripts/diqkd_chsh.py"


rule diqkd_bff_chunk:
    input:
        code=lib("diqkd", "entropy", "optim"),
    output:
        h5="results/diqkd/chunks/bff_{chunk}.h5",
    log:
        "logs/diqkd/bff_chunk{chunk}.log",
    benchmark:
        "results/benchmarks/diqkd/bff_chunk{chunk}.tsv"
    conda:
        "../../envs/sdp.yaml"
    resources:
        mem_mb=by_attempt(4000),
        runtime=by_attempt(120),
    params:
        visibilities=lambda w: DQ["bff"]["visibilities"][
            slice(
                *chunk_slice(
                    w.chunk, DQ["bff"]["chunk_size"], len(DQ["bff"]["visibilities"])
                )
            )
        ],
        d=DQ["bff"]["d"],
        eps=DQ["bff"]["eps"],
        m=DQ["bff"]["m"],
        m_chsh=DQ["bff"]["m_chsh"],
    script:
        "../../scripts/diqkd_bff_chunk.py"


rule diqkd_di_rates:
    input:
        code=lib("diqkd", "entropy", "optim", "grids"),
    output:
        h5="results/diqkd/di_rates.h5",
    log:
        "logs/diqkd/di_rates.log",
    benchmark:
        "results/benchmarks/diqkd/di_rates.tsv"
    conda:
        "../../envs/sdp.yaml"
    resources:
        mem_mb=by_attempt(2000),
        runtime=by_attempt(30),
    params:
        d=DQ["di"]["d"],
        eps=DQ["di"]["eps"],
        m=DQ["di"]["m"],
    script:
        "../../scripts/diqkd_di_rates.py"


rule diqkd_bff:
    input:
        chunks=expand("results/diqkd/chunks/bff_{chunk}.h5", chunk=DQ_BFF_CHUNKS),
    output:
        h5="results/diqkd/bff.h5",
    log:
        "logs/diqkd/bff.log",
    benchmark:
        "results/benchmarks/diqkd/bff.tsv"
    conda:
        "../../envs/base.yaml"
    resources:
        mem_mb=by_attempt(1000),
        runtime=by_attempt(5),
    script:
        "../../scripts/diqkd_bff_gather.py"


rule diqkd_figure1:
    input:
        h5="results/diqkd/scan.h5",
    output:
        pdf=report(
            "results/figures/diqkd/fig1.pdf",
            caption="../report/diqkd/fig1.rst",
            category="Paper 002: DIQKD from small nonlocality",
            subcategory="Figures",
        ),
        png=report(
            "results/figures/diqkd/fig1.png",
            caption="../report/diqkd/fig1.rst",
            category="Paper 002: DIQKD from small nonlocality",
            subcategory="Figures",
        ),
    log:
        "logs/diqkd/figure1.log",
    benchmark:
        "results/benchmarks/diqkd/figure1.tsv"
    conda:
        "../../envs/plot.yaml"
    resources:
        mem_mb=by_attempt(1000),
        runtime=by_attempt(5),
    script:
        "../../scripts/diqkd_plot_fig1.py"


rule diqkd_figure2:
    input:
        scan="results/diqkd/scan.h5",
        chsh="results/diqkd/chsh.h5",
    output:
        pdf=report(
            "results/figures/diqkd/fig2.pdf",
            caption="../report/diqkd/fig2.rst",
            category="Paper 002: DIQKD from small nonlocality",
            subcategory="Figures",
        ),
        png=report(
            "results/figures/diqkd/fig2.png",
            caption="../report/diqkd/fig2.rst",
            category="Paper 002: DIQKD from small nonlocality",
            subcategory="Figures",
        ),
    log:
        "logs/diqkd/figure2.log",
    benchmark:
        "results/benchmarks/diqkd/figure2.tsv"
    conda:
        "../../envs/plot.yaml"
    resources:
        mem_mb=by_attempt(1000),
        runtime=by_attempt(5),
    script:
        "../../scripts/diqkd_plot_fig2.py"


rule diqkd_figure3:
    input:
        h5="results/diqkd/bff.h5",
    output:
        pdf=report(
            "results/figures/diqkd/fig3.pdf",
            caption="../report/diqkd/fig3.rst",
            category="Paper 002: DIQKD from small nonlocality",
            subcategory="Figures",
        ),
        png=report(
            "results/figures/diqkd/fig3.png",
            caption="../report/diqkd/fig3.rst",
            category="Paper 002: DIQKD from small nonlocality",
            subcategory="Figures",
        ),
    log:
        "logs/diqkd/figure3.log",
    benchmark:
        "results/benchmarks/diqkd/figure3.tsv"
    conda:
        "../../envs/plot.yaml"
    resources:
        mem_mb=by_attempt(1000),
        runtime=by_attempt(5),
    script:
        "../../scripts/diqkd_plot_fig3.py"


rule diqkd_all:
    default_target: False
    input:
        TARGETS["diqkd"],
    localrule: True
