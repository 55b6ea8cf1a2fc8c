"""Rule summary_reproduction: the reproduction table from the HDF5 outputs."""

from pathlib import Path

import yaml

from bellflow.io import read_result
from bellflow.reproduction import build_table, to_markdown


def main(paper_values: list[str], csv: str, md: str) -> None:
    rows = {Path(f).stem: yaml.safe_load(Path(f).read_text()) or [] for f in paper_values}
    cache: dict[str, object] = {}

    def lookup(file: str, variable: str):
        if file not in cache:
            cache[file] = read_result(file)
        ds = cache[file]
        if variable not in ds:
            raise KeyError(f"{variable} not in {file}")
        return ds[variable].values.item()

    table = build_table(rows, lookup)
    Path(csv).parent.mkdir(parents=True, exist_ok=True)
    tmp_csv, tmp_md = Path(csv + ".tmp"), Path(md + ".tmp")
    table.to_csv(tmp_csv, index=False)
    tmp_md.write_text(to_markdown(table))
    tmp_csv.replace(csv)
    tmp_md.replace(md)


if "snakemake" in globals():
    main(list(snakemake.input.paper_values), snakemake.output.csv, snakemake.output.md)
