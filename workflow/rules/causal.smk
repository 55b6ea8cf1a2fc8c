# Paper 001: Tsirelson bounds for correlations with indefinite causal order (Liu, Chiribella).
# Named-game bounds, Appendix C thresholds, bistochastic supermaps, three scans chunked by a
# {chunk} wildcard (biased OCB over alpha, biased LGYNI over alpha (Fig. 2a), the OCB (P_A, P_B)
# plane over directions (Fig. 1)), and, beyond the paper, the causal-polytope facet table.
import numpy as np

from bellflow.grids import grid

CAUSAL = config["causal"]
CAUSAL_CATEGORY = "Paper 001: causal inequalities"
CAUSAL_SCANS = ["biased_ocb", "biased_lgyni", "fig1"]
# Every module of the bellflow.causal package (lib() resolves a package to its files).
CAUSAL_LIB = lib("causal")

TARGETS["causal"] = [
    "results/causal/games.h5",
    "results/causal/lgyni_thresholds.h5",
    "results/causal/bistochastic.h5",
    "results/causal/facets.h5",
    "results/causal/facets.csv",
    *expand("results/causal/{scan}.h5", scan=CAUSAL_SCANS),
    *expand(
        "results/figures/causal/{fig}.{ext}",
        fig=["fig1", "fig2a", "fig2b"],
        ext=["pdf", "png"],
    ),
]
SUMMARY_INPUTS["causal"] = [
    "results/causal/games.h5",
    "results/causal/lgyni_thresholds.h5",
    "results/causal/bistochastic.h5",
    *expand("results/causal/{scan}.h5", scan=CAUSAL_SCANS),
]


# The scan axes: alpha for the biased games (config grids, bellflow.grids.grid); for Fig. 1
# `directions` splits the full turn evenly (theta = 2 pi k / directions, the end point excluded),
# which the {min, max, points} grid form cannot express.
CAUSAL_GRIDS = {
    "biased_ocb": grid(CAUSAL["biased_ocb"]["alpha"]).tolist(),
    "biased_lgyni": grid(CAUSAL["biased_lgyni"]["alpha"]).tolist(),
    "fig1": np.linspace(
        0.0, 2 * np.pi, CAUSAL["fig1"]["directions"], endpoint=False
    ).tolist(),
}


rule causal_games:
    input:
        code=CAUSAL_LIB + lib("process", "optim"),
    output:
        h5="results/causal/games.h5",
    log:
        "logs/causal/games.log",
    benchmark:
        "results/benchmarks/causal/games.tsv"
    conda:
        "../../envs/sdp.yaml"
    resources:
        mem_mb=by_attempt(2000),
        runtime=by_attempt(10),
    params:
        biased_ocb_alphas=CAUSAL["games"]["biased_ocb_alphas"],
    script:
        "../../scripts/causal_games.py"


rule causal_lgyni_thresholds:
    input:
        code=CAUSAL_LIB + lib("process", "optim"),
    output:
        h5="results/causal/lgyni_thresholds.h5",
    log:
        "logs/causal/lgyni_thresholds.log",
    benchmark:
        "results/benchmarks/causal/lgyni_thresholds.tsv"
    conda:
        "../../envs/sdp.yaml"
    resources:
        mem_mb=by_attempt(1000),
        runtime=by_attempt(10),
    params:
        certificate_alphas=CAUSAL["thresholds"]["certificate_alphas"],
        tol=CAUSAL["thresholds"]["bisection_tol"],
        gap_tol=CAUSAL["thresholds"]["gap_tol"],
    script:
        "../../scripts/causal_lgyni_thresholds.py"


rule causal_bistochastic:
    input:
        code=CAUSAL_LIB + lib("process"),
    output:
        h5="results/causal/bistochastic.h5",
    log:
        "logs/causal/bistochastic.log",
    benchmark:
        "results/benchmarks/causal/bistochastic.tsv"
    conda:
        "../../envs/base.yaml"
    resources:
        mem_mb=by_attempt(1000),
        runtime=by_attempt(5),
    params:
        n_values=CAUSAL["bistochastic"]["n_values"],
    script:
        "../../scripts/causal_bistochastic.py"


rule causal_facets:
    input:
        code=CAUSAL_LIB + lib("process", "optim"),
    output:
        h5="results/causal/facets.h5",
        csv=report(
            "results/causal/facets.csv",
            caption="../report/causal/facets.rst",
            category=CAUSAL_CATEGORY,
            subcategory="Tables",
        ),
    log:
        "logs/causal/facets.log",
    benchmark:
        "results/benchmarks/causal/facets.tsv"
    conda:
        "../../envs/exact.yaml"
    resources:
        mem_mb=by_attempt(1000),
        runtime=by_attempt(10),
    params:
        check_directions=CAUSAL["facets"]["check_directions"],
        seed=CAUSAL["facets"]["seed"],
    script:
        "../../scripts/causal_facets.py"


rule causal_scan_chunk:
    input:
        code=CAUSAL_LIB + lib("process", "optim"),
    output:
        h5="results/causal/chunks/{scan}_{chunk}.h5",
    log:
        "logs/causal/scan_chunk_{scan}_{chunk}.log",
    benchmark:
        "results/benchmarks/causal/scan_chunk_{scan}_{chunk}.tsv"
    wildcard_constraints:
        scan="|".join(CAUSAL_SCANS),
        chunk=r"\d+",
    conda:
        "../../envs/sdp.yaml"
    resources:
        mem_mb=by_attempt(2000),
        runtime=by_attempt(30),
    params:
        scan=lambda w: w.scan,
        values=lambda w: CAUSAL_GRIDS[w.scan][
            slice(
                *chunk_slice(
                    w.chunk, CAUSAL[w.scan]["chunk_size"], len(CAUSAL_GRIDS[w.scan])
                )
            )
        ],
        method=lambda w: CAUSAL["fig1"]["method"] if w.scan == "fig1" else "",
    script:
        "../../scripts/causal_scan_chunk.py"


rule causal_scan_gather:
    input:
        chunks=lambda w: expand(
            "results/causal/chunks/{scan}_{chunk}.h5",
            scan=w.scan,
            chunk=chunk_ids(len(CAUSAL_GRIDS[w.scan]), CAUSAL[w.scan]["chunk_size"]),
        ),
    output:
        h5="results/causal/{scan}.h5",
    log:
        "logs/causal/scan_gather_{scan}.log",
    benchmark:
        "results/benchmarks/causal/scan_gather_{scan}.tsv"
    wildcard_constraints:
        scan="|".join(CAUSAL_SCANS),
    conda:
        "../../envs/base.yaml"
    resources:
        mem_mb=by_attempt(1000),
        runtime=by_attempt(5),
    params:
        scan=lambda w: w.scan,
    script:
        "../../scripts/causal_scan_gather.py"


rule causal_figure1:
    input:
        h5="results/causal/fig1.h5",
    output:
        pdf=report(
            "results/figures/causal/fig1.pdf",
            caption="../report/causal/fig1.rst",
            category=CAUSAL_CATEGORY,
            subcategory="Figures",
        ),
        png=report(
            "results/figures/causal/fig1.png",
            caption="../report/causal/fig1.rst",
            category=CAUSAL_CATEGORY,
            subcategory="Figures",
        ),
    log:
        "logs/causal/figure1.log",
    benchmark:
        "results/benchmarks/causal/figure1.tsv"
    conda:
        "../../envs/plot.yaml"
    resources:
        mem_mb=by_attempt(1000),
        runtime=by_attempt(5),
    script:
        "../../scripts/causal_plot_fig1.py"


rule causal_figure2a:
    input:
        h5="results/causal/biased_lgyni.h5",
        thresholds="results/causal/lgyni_thresholds.h5",
    output:
        pdf=report(
            "results/figures/causal/fig2a.pdf",
            caption="../report/causal/fig2a.rst",
            category=CAUSAL_CATEGORY,
            subcategory="Figures",
        ),
        png=report(
            "results/figures/causal/fig2a.png",
            caption="../report/causal/fig2a.rst",
            category=CAUSAL_CATEGORY,
            subcategory="Figures",
        ),
    log:
        "logs/causal/figure2a.log",
    benchmark:
        "results/benchmarks/causal/figure2a.tsv"
    conda:
        "../../envs/plot.yaml"
    resources:
        mem_mb=by_attempt(1000),
        runtime=by_attempt(5),
    script:
        "../../scripts/causal_plot_fig2a.py"


rule causal_figure2b:
    input:
        h5="results/causal/biased_lgyni.h5",
    output:
        pdf=report(
            "results/figures/causal/fig2b.pdf",
            caption="../report/causal/fig2b.rst",
            category=CAUSAL_CATEGORY,
            subcategory="Figures",
        ),
        png=report(
            "results/figures/causal/fig2b.png",
            caption="../report/causal/fig2b.rst",
            category=CAUSAL_CATEGORY,
            subcategory="Figures",
        ),
    log:
        "logs/causal/figure2b.log",
    benchmark:
        "results/benchmarks/causal/figure2b.tsv"
    conda:
        "../../envs/plot.yaml"
    resources:
        mem_mb=by_attempt(1000),
        runtime=by_attempt(5),
    script:
        "../../scripts/causal_plot_fig2b.py"


rule causal_all:
    default_target: False
    input:
        TARGETS["causal"],
    localrule: True
