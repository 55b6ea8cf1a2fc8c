# Aggregation over all topics: the reproduction table.


rule summary_reproduction:
    input:
        h5=summary_inputs(),
        paper_values=paper_value_files(),
    output:
        csv=report(
            "results/summary/reproduction.csv",
            caption="../report/summary/reproduction.rst",
            category="Reproduction table",
        ),
        md="results/summary/reproduction.md",
    log:
        "logs/summary/reproduction.log",
    benchmark:
        "results/benchmarks/summary/reproduction.tsv"
    conda:
        "../../envs/plot.yaml"
    resources:
        mem_mb=by_attempt(1000),
        runtime=by_attempt(5),
    script:
        "../../scripts/summary_reproduction.py"
