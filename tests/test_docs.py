"""The documentation site builds with --strict, and its generated parts say what the repo says.

One build (about 20 s) against a small fake results folder: one figure and a reproduction
table with one row, so both the "after a run" and the "before a run" forms are checked.
mkdocs, mkdocs-material and mkdocstrings are dependencies (extra `docs`, installed by `make`):
when they are missing the build fails, it is never skipped.
"""

import csv
import html
import importlib.util
import os
import re
import struct
import subprocess
import sys
import zlib
from pathlib import Path

import pytest
import yaml

pytestmark = pytest.mark.slow  # one mkdocs build, ~20-30 s

ROOT = Path(__file__).resolve().parents[1]
TOPICS = ["interconversion", "causal", "diqkd", "lmg", "delivery"]


def _png(path: Path) -> None:
    """A valid 1x1 PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = struct.pack(">I", zlib.crc32(kind + data))
        return struct.pack(">I", len(data)) + kind + data + crc

    raw = b"\x00\xff\xff\xff"
    ihdr = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(raw[:4]))
        + chunk(b"IEND", b"")
    )


def _rows(topic):
    return yaml.safe_load((ROOT / f"workflow/resources/paper_values/{topic}.yaml").read_text())


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("docs")
    results = tmp / "results"
    _png(results / "figures" / "delivery" / "fig2.png")
    first = _rows("delivery")[0]
    (results / "summary").mkdir(parents=True)
    with (results / "summary" / "reproduction.csv").open("w", newline="") as f:
        w = csv.DictWriter(f, ["paper", "quantity", "computed", "status"])
        w.writeheader()
        w.writerow({"paper": "delivery", "quantity": first["quantity"], "computed": "0.123456789",
                    "status": "pass"})
    out = tmp / "site"
    env = {**os.environ, "BELLFLOW_RESULTS": str(results), "NO_MKDOCS_2_WARNING": "1"}
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
    )
    assert proc.returncode == 0, proc.stderr[-4000:]
    return out


def _text(path: Path) -> str:
    t = path.read_text()
    t = t[t.find("<article"):]
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", t)))


@pytest.mark.parametrize("topic", TOPICS)
def test_paper_page_lists_every_row_and_typo(site, topic):
    text = _text(site / "papers" / topic / "index.html")
    rows = _rows(topic)
    assert rows
    for row in rows:
        assert " ".join(row["quantity"].split()) in text, row["quantity"]
        check = row.get("check")
        described = check.get("description") if isinstance(check, dict) else check
        if described:
            assert " ".join(str(described).split()) in text, described
    typos = text[text.find("Known typos"):text.find("Figures ¶")]
    for row in rows:
        if row.get("typo"):
            assert " ".join(row["quantity"].split()) in typos


def test_figure_and_computed_values_from_the_results(site):
    page = (site / "papers" / "delivery" / "index.html").read_text()
    assert 'src="../../figures/delivery/fig2.png"' in page
    assert (site / "figures" / "delivery" / "fig2.png").is_file()
    # fig3 was not made: its caption is there, with a note instead of a broken image
    assert "figures/delivery/fig3.png" not in page.split("results/figures/delivery/fig3.png")[0]
    assert "results/figures/delivery/fig3.png" in page
    text = _text(site / "papers" / "delivery" / "index.html")
    assert "0.123456789 pass" in text
    # the other pages: no table of the last run, the note says how to get one
    other = _text(site / "papers" / "causal" / "index.html")
    assert "appear here when the docs are built after a run" in other


def test_api_reference_rendered(site):
    infra = (site / "api" / "infrastructure" / "index.html").read_text()
    for name in ("bellflow.io.write_result", "bellflow.logs.rule_log", "bellflow.cli.main"):
        assert f'id="{name}"' in infra, name
    for topic in TOPICS:
        page = (site / "api" / topic / "index.html").read_text()
        assert f'id="bellflow.{topic}"' in page
    basics = (site / "api" / "basics" / "index.html").read_text()
    assert 'id="bellflow.states.partial_trace"' in basics


def test_docs_cite_no_paths_outside_the_repo():
    for md in (ROOT / "docs").rglob("*.md"):
        text = md.read_text()
        assert "../shared" not in text, md
        assert "/work/" not in text and "/tmp/" not in text.replace("/tmp/bellflow-slurm", ""), md


def test_doctest_fences():
    spec = importlib.util.spec_from_file_location("gd", ROOT / "docs" / "griffe_doctests.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    text = "Intro x[1].\n\n>>> out['a'][1]\n2\n>>> 3\n3\n\nAfter.\n\n```\n>>> fenced\n```"
    assert mod.fence_doctests(text) == (
        "Intro x[1].\n\n```pycon\n>>> out['a'][1]\n2\n>>> 3\n3\n```\n\n"
        "After.\n\n```\n>>> fenced\n```"
    )
    assert mod.fence_doctests("a\n    >>> 1\n    1") == "a\n    ```pycon\n    >>> 1\n    1\n    ```"


TOOLS = sorted((ROOT / "docs" / "tools").glob("*.md"))
API_LINK = re.compile(r"\]\(\.\./api/(\w+)\.md#([\w.]+)\)")


@pytest.mark.parametrize("page", TOOLS, ids=[p.stem for p in TOOLS])
def test_tool_pages_in_nav_linked_and_their_api_anchors_exist(site, page):
    """Each tool page is in the nav and the library page, and every link of it into the API
    reference lands on an object the reference renders (mkdocs checks pages, not anchors)."""
    uri = f"tools/{page.name}"
    assert uri in (ROOT / "mkdocs.yml").read_text()
    assert f"({uri})" in (ROOT / "docs" / "library.md").read_text()
    assert (site / "tools" / page.stem / "index.html").is_file()
    links = API_LINK.findall(page.read_text())
    assert links, f"{page.name} links to no API reference entry"
    for api_page, anchor in links:
        html_text = (site / "api" / api_page / "index.html").read_text()
        assert f'id="{anchor}"' in html_text, f"{page.name}: ../api/{api_page}.md#{anchor}"
