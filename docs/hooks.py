"""mkdocs hooks: paper pages generated from the repository, so the docs cannot drift from it.

A page may hold these markers (HTML comments, invisible if the hook is not run):

- ``<!-- bellflow:rows TOPIC -->``: the rows of ``workflow/resources/paper_values/TOPIC.yaml``
  (quantity, where, paper value, comparison), with the computed value and status from
  ``results/summary/reproduction.csv`` when a run has made it;
- ``<!-- bellflow:typos TOPIC -->``: the rows marked ``typo: true`` with their notes;
- ``<!-- bellflow:figures TOPIC -->``: each figure's caption (``workflow/report/TOPIC/*.rst``)
  and, when a run has made it, the PNG from ``results/figures/TOPIC/`` (copied into the site).

The results folder is ``results/`` beside ``mkdocs.yml``, or ``$BELLFLOW_RESULTS``.
"""

from __future__ import annotations

import csv
import html
import os
import re
from pathlib import Path
from typing import Any

import yaml
from mkdocs.structure.files import File, Files

ROOT = Path(__file__).resolve().parents[1]
MARKER = re.compile(r"<!-- bellflow:(rows|typos|figures) (\w+) -->")


def _results() -> Path:
    return Path(os.environ.get("BELLFLOW_RESULTS", ROOT / "results"))


REPORT_ITEM = re.compile(r'report\(\s*"([^"]+)",\s*caption="\.\./report/(\w+)/(\w+)\.rst"')


def _figures(topic: str) -> list[tuple[str, Path]]:
    """(figure name, caption file) of a topic's report captions, less those the rules attach
    to a file that is not a figure (a table)."""
    smk = ROOT / "workflow" / "rules" / f"{topic}.smk"
    items = REPORT_ITEM.findall(smk.read_text()) if smk.is_file() else []
    tables = {name for path, _, name in items if not path.startswith("results/figures/")}
    captions = sorted((ROOT / "workflow" / "report" / topic).glob("*.rst"))
    return [(c.stem, c) for c in captions if c.stem not in tables]


def on_files(files: Files, config: Any) -> Files:
    """Add the PNG figures of the last run (if any) to the site as ``figures/<topic>/*.png``."""
    for png in sorted(_results().glob("figures/*/*.png")):
        uri = f"figures/{png.parent.name}/{png.name}"
        files.append(File.generated(config, uri, abs_src_path=str(png)))
    return files


def _rst_to_md(text: str) -> str:
    """The little reStructuredText the captions use, as Markdown (Jinja shown as a name)."""
    text = re.sub(r"``\{\{\s*snakemake\.config(.*?)\}\}``", r"`config\1`", text)
    text = re.sub(r"\{\{.*?\}\}", "(see the config)", text)
    text = text.replace("``", "`")
    return " ".join(text.split())


def _value(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float):
        return f"{v:.10g}"
    return str(v)


def _cell(text: Any) -> str:
    """Plain text for a Markdown table cell or list item: no HTML, links or emphasis."""
    out = html.escape(" ".join(str(text).split()), quote=False)
    for ch in "|*[]`":
        out = out.replace(ch, "\\" + ch)
    return out


def _rows(topic: str) -> list[dict[str, Any]]:
    path = ROOT / "workflow" / "resources" / "paper_values" / f"{topic}.yaml"
    return list(yaml.safe_load(path.read_text()) or [])


def _computed(topic: str) -> dict[str, dict[str, str]]:
    """quantity -> row of the last run's reproduction table (empty without a run)."""
    path = _results() / "summary" / "reproduction.csv"
    if not path.is_file():
        return {}
    with path.open(newline="") as f:
        return {r["quantity"]: r for r in csv.DictReader(f) if r["paper"] == topic}


def _check(check: Any) -> str:
    """The row's independent route: its description and tolerance, or why there is none."""
    if isinstance(check, dict):
        tol = check.get("tolerance")
        return f"{check.get('description', '')} (within {_value(tol)})" if tol is not None else (
            str(check.get("description", ""))
        )
    return "-" if check is None else str(check)


def rows_table(topic: str) -> str:
    computed = _computed(topic)
    head = "| quantity | where | paper value | comparison | independent check |"
    sep = "|---|---|---|---|---|"
    if computed:
        head += " computed | status |"
        sep += "---|---|"
    lines = [head, sep]
    for row in _rows(topic):
        compare = row.get("compare", "abs")
        tol = row.get("tolerance")
        how = f"{compare}, tolerance {_value(tol)}" if compare != "claim" else "claim"
        cells = [row["quantity"], row.get("where", ""), _value(row["paper_value"]), how]
        cells.append(_check(row.get("check")))
        if computed:
            got = computed.get(row["quantity"], {})
            cells += [_value(got.get("computed", "-")), got.get("status", "-")]
        lines.append("| " + " | ".join(_cell(c) for c in cells) + " |")
    note = (
        "Computed values and statuses: from `results/summary/reproduction.csv` of the last run."
        if computed
        else "Computed values and statuses appear here when the docs are built after a run "
        "(`make quick`, then `make docs`); in a terminal: `bellflow table --paper "
        f"{topic}`."
    )
    return "\n".join(lines) + "\n\n" + note + "\n"


def typos_list(topic: str) -> str:
    typos = [r for r in _rows(topic) if r.get("typo")]
    if not typos:
        return "No typo found in the numbers this paper states.\n"
    return "\n".join(
        f"- **{_cell(r['quantity'])}** ({r.get('where', '')}): {_cell(r.get('note', '')).strip()}"
        for r in typos
    ) + "\n"


def figures_section(topic: str, files: Files, page_uri: str) -> str:
    depth = page_uri.count("/")
    out = []
    for name, caption in _figures(topic):
        out.append(f"### {name}\n\n{_rst_to_md(caption.read_text())}\n")
        uri = f"figures/{topic}/{name}.png"
        if files.get_file_from_path(uri) is not None:
            out.append(f"![{topic} {name}]({'../' * depth}{uri})\n")
        else:
            out.append(
                f"*The figure appears here when the docs are built after a run* "
                f"(`results/figures/{topic}/{name}.png`).\n"
            )
    return "\n".join(out)


def on_page_markdown(markdown: str, page: Any, config: Any, files: Files) -> str:
    def expand(m: re.Match[str]) -> str:
        kind, topic = m.groups()
        if kind == "rows":
            return rows_table(topic)
        if kind == "typos":
            return typos_list(topic)
        return figures_section(topic, files, page.file.src_uri)

    return MARKER.sub(expand, markdown)
