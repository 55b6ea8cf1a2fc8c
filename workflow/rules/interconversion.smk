# Paper 000: multicopy interconvertibility of quantum nonlocal correlations.
# NPA numbers, isotropic thresholds, Hardy success vs Schmidt coefficient (closed form, with
# a numerical maximisation at a few check points),
# Propositions 1 and 2, the Fig. 1 slice with Theorem 3's range, the correlation sets (Eq. 1,
# L < Q < N, Lemma 1, Theorem 2, Corollary 1) and extremality / self-testing.

IC = config["interconversion"]

IC_FILES = [
    f"results/interconversion/{name}.h5"
    for name in (
        "npa_values",
        "thresholds",
        "hardy_schmidt",
        "propositions",
        "fig1_data",
        "sets",
        "extremality",
    )
]
TARGETS["interconversion"] = IC_FILES + expand(
    "results/figures/interconversion/{fig}.{ext}",
    fig=["fig1", "hardy_schmidt"],
    ext=["pdf", "png"],
)
SUMMARY_INPUTS["interconversion"] = IC_FILES


rule interconversion_npa_values:
    input:
        code=lib("interconversion", "npa", "boxes", "optim", "states"),
    output:
        h5="results/interconversion/npa_values.h5",
    log:
        "logs/interconversion/npa_values.log",
    benchmark:
        "results/benchmarks/interconversion/npa_values.tsv"
    conda:
        "../../envs/sdp.yaml"
    resources:
        mem_mb=by_attempt(1000),
        runtime=by_attempt(10),
    params:
        levels=IC["npa"]["levels"],
        solver=IC["npa"]["solver"],
    script:
        "../../scripts/interconversion_npa_values.py"


rule interconversion_thresholds:
    input:
        code=lib("interconversion", "npa", "boxes", "optim", "states"),
    output:
        h5="results/interconversion/thresholds.h5",
    log:
        "logs/interconversion/thresholds.log",
    benchmark:
        "results/benchmarks/interconversion/thresholds.tsv"
    conda:
        "../../envs/sdp.yaml"
    resources:
        mem_mb=by_attempt(1000),
        runtime=by_attempt(10),
    params:
        bisection_tol=IC["thresholds"]["bisection_tol"],
        level=IC["thresholds"]["level"],
    script:
        "../../scripts/interconversion_thresholds.py"


rule interconversion_hardy_schmidt:
    input:
        code=lib("interconversion", "npa", "boxes", "optim", "states"),
    output:
        h5="results/interconversion/hardy_schmidt.h5",
    log:
        "logs/interconversion/hardy_schmidt.log",
    benchmark:
        "results/benchmarks/interconversion/hardy_schmidt.tsv"
    conda:
        "../../envs/base.yaml"
    resources:
        mem_mb=by_attempt(1000),
        runtime=by_attempt(10),
    params:
        s=IC["hardy_schmidt"]["s"],
        check_s=IC["hardy_schmidt"]["check_s"],
        starts=IC["hardy_schmidt"]["starts"],
        seed=IC["hardy_schmidt"]["seed"],
    script:
        "../../scripts/interconversion_hardy_schmidt.py"


rule interconversion_propositions:
    input:
        code=lib("interconversion", "npa", "boxes", "optim", "states"),
    output:
        h5="results/interconversion/propositions.h5",
    log:
        "logs/interconversion/propositions.log",
    benchmark:
        "results/benchmarks/interconversion/propositions.tsv"
    conda:
        "../../envs/base.yaml"
    resources:
        mem_mb=by_attempt(2000),
        runtime=by_attempt(30),
    params:
        prop1=IC["prop1"]["seesaw"],
        claim_tol=IC["prop1"]["claim_tol"],
        prop2=IC["prop2"],
    script:
        "../../scripts/interconversion_propositions.py"


rule interconversion_fig1_data:
    input:
        code=lib("interconversion", "npa", "boxes", "optim", "states"),
    output:
        h5="results/interconversion/fig1_data.h5",
    log:
        "logs/interconversion/fig1_data.log",
    benchmark:
        "results/benchmarks/interconversion/fig1_data.tsv"
    conda:
        "../../envs/sdp.yaml"
    resources:
        mem_mb=by_attempt(1000),
        runtime=by_attempt(30),
    params:
        n_angles=IC["fig1"]["n_angles"],
        level=IC["fig1"]["level"],
    script:
        "../../scripts/interconversion_fig1_data.py"


rule interconversion_sets:
    input:
        code=lib("interconversion", "npa", "boxes", "optim", "states"),
    output:
        h5="results/interconversion/sets.h5",
    log:
        "logs/interconversion/sets.log",
    benchmark:
        "results/benchmarks/interconversion/sets.tsv"
    conda:
        "../../envs/sdp.yaml"
    resources:
        mem_mb=by_attempt(1000),
        runtime=by_attempt(10),
    params:
        level=IC["sets"]["level"],
        theorem2_s=IC["sets"]["theorem2_s"],
        theorem2_n_max=IC["sets"]["theorem2_n_max"],
        corollary1_copies=IC["sets"]["corollary1_copies"],
        corollary1_lambda=IC["sets"]["corollary1_lambda"],
        seed=IC["sets"]["seed"],
    script:
        "../../scripts/interconversion_sets.py"


rule interconversion_extremality:
    input:
        code=lib("interconversion", "npa", "boxes", "optim", "states"),
    output:
        h5="results/interconversion/extremality.h5",
    log:
        "logs/interconversion/extremality.log",
    benchmark:
        "results/benchmarks/interconversion/extremality.tsv"
    conda:
        "../../envs/sdp.yaml"
    resources:
        mem_mb=by_attempt(1000),
        runtime=by_attempt(10),
    params:
        mus=IC["extremality"]["mus"],
        level=IC["extremality"]["level"],
        max_exponent=IC["extremality"]["max_exponent"],
        selftest_dims=IC["extremality"]["selftest_dims"],
        restarts=IC["extremality"]["restarts"],
        seed=IC["extremality"]["seed"],
    script:
        "../../scripts/interconversion_extremality.py"


rule interconversion_figure1:
    input:
        h5="results/interconversion/fig1_data.h5",
    output:
        pdf=report(
            "results/figures/interconversion/fig1.pdf",
            caption="../report/interconversion/fig1.rst",
            category="Paper 000: interconversion",
            subcategory="Figures",
        ),
        png=report(
            "results/figures/interconversion/fig1.png",
            caption="../report/interconversion/fig1.rst",
            category="Paper 000: interconversion",
            subcategory="Figures",
        ),
    log:
        "logs/interconversion/figure1.log",
    benchmark:
        "results/benchmarks/interconversion/figure1.tsv"
    conda:
        "../../envs/plot.yaml"
    resources:
        mem_mb=by_attempt(1000),
        runtime=by_attempt(5),
    script:
        "../../scripts/interconversion_plot_fig1.py"


rule interconversion_figure_hardy:
    input:
        h5="results/interconversion/hardy_schmidt.h5",
        code=lib("interconversion", "npa", "boxes", "optim", "states"),
    output:
        pdf=report(
            "results/figures/interconversion/hardy_schmidt.pdf",
            caption="../report/interconversion/hardy_schmidt.rst",
            category="Paper 000: interconversion",
            subcategory="Figures",
        ),
        png=report(
            "results/figures/interconversion/hardy_schmidt.png",
            caption="../report/interconversion/hardy_schmidt.rst",
            category="Paper 000: interconversion",
            subcategory="Figures",
        ),
    log:
        "logs/interconversion/figure_hardy.log",
    benchmark:
        "results/benchmarks/interconversion/figure_hardy.tsv"
    conda:
        "../../envs/plot.yaml"
    resources:
        mem_mb=by_attempt(1000),
        runtime=by_attempt(5),
    script:
        "../../scripts/interconversion_plot_hardy.py"


rule interconversion_all:
    default_target: False
    input:
        TARGETS["interconversion"],
    localrule: True
