"""Rule summary_reproduction: the reproduction table from the HDF5 outputs.

An input that cannot be read (a paper-values file with a YAML error or a malformed row, a
results file that is missing, truncated or not HDF5, a variable a row names that the file does
not hold) fails the job with the file named; it never becomes a ``fail`` row.
"""

import logging
from pathlib import Path

from bellflow.grids import ConfigError, load_yaml
from bellflow.io import atomic_path, read_result
from bellflow.reproduction import SummaryInputError, build_table, to_markdown

log = logging.getLogger(__name__)


def read_rows(paper_values: list[str]) -> dict[str, list]:
    """``topic -> rows`` of the paper-values files (a YAML error names file and line)."""
    rows = {}
    for f in paper_values:
        try:
            data = load_yaml(f)
        except (ConfigError, OSError) as exc:
            raise SummaryInputError(f"{f}: cannot read the paper values: {exc}") from None
        if not isinstance(data, list):
            raise SummaryInputError(f"{f}: expected a list of rows, got {type(data).__name__}")
        rows[Path(f).stem] = data
    return rows


def make_lookup(h5: list[str]):
    """``(file, variable) -> 0-d DataArray`` over the declared inputs, read once each."""
    cache = {}

    def declared(file: str) -> str:
        # a row names results/<topic>/x.h5; run as a module with a prefix, the input is
        # <prefix>/results/<topic>/x.h5
        for f in h5:
            if Path(f) == Path(file) or str(Path(f)).endswith("/" + str(Path(file))):
                return f
        raise SummaryInputError(
            f"{file}: named by a row but not a declared input of the summary "
            "(register it in SUMMARY_INPUTS of its topic's rule file)"
        )

    def lookup(file: str, variable: str):
        if file not in cache:
            path = declared(file)
            try:
                cache[file] = read_result(path)
            except Exception as exc:  # truncated, garbage, missing: all name the file
                reason = f"{type(exc).__name__}: {exc}"
                raise SummaryInputError(f"{path}: cannot read ({reason})") from exc
        ds = cache[file]
        if variable not in ds.data_vars:
            raise SummaryInputError(f"{file}: has no variable {variable!r} (named by a row)")
        if ds[variable].ndim != 0:
            raise SummaryInputError(f"{file}: variable {variable!r} is not 0-d")
        return ds[variable]

    return lookup


def main(paper_values: list[str], h5: list[str], csv: str, md: str) -> None:
    rows = read_rows(paper_values)
    try:
        table = build_table(rows, make_lookup(h5))
    except ValueError as exc:  # a malformed row: the message names topic and quantity
        raise SummaryInputError(f"malformed row in workflow/resources/paper_values: {exc}") from exc
    counts = table["status"].value_counts().to_dict()
    log.info("%d rows: %s", len(table), counts)
    missing = (table["route"] == "no route stated") | (table["check"] == "no check stated")
    if missing.any():
        log.warning("%d rows state no route or no check yet", int(missing.sum()))
    text = to_markdown(table)
    with atomic_path(csv) as tmp:
        table.to_csv(tmp, index=False)
    with atomic_path(md) as tmp:
        tmp.write_text(text)


if __name__ == "__main__":  # pragma: no cover (run by Snakemake)
    from bellflow.logs import rule_log

    with rule_log(snakemake):
        main(
            list(snakemake.input.paper_values),
            list(snakemake.input.h5),
            snakemake.output.csv,
            snakemake.output.md,
        )
