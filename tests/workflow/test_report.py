"""The Snakemake HTML report: every figure and the reproduction table, grouped by paper.

The static check (embedded results, captions, categories) runs everywhere. The browser check
opens the report in a real headless Chromium (Debian's ``chromium``): it is a *system* test,
run by ``make test-system`` (which installs Chromium) and by CI, never silently skipped there.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile

import pytest

from .conftest import snakemake

pytestmark = pytest.mark.workflow


@pytest.fixture(scope="module")
def report(quick_run):
    path = quick_run / "results/report.html"
    if not path.exists():
        snakemake(quick_run, "--report", "results/report.html")
    return path


def _expected_figures(repo):
    return sorted(
        str(p.relative_to(repo)) for p in (repo / "results/figures").rglob("*") if p.is_file()
    )


def test_report_embeds_every_figure_and_the_table(quick_run, report):
    html = report.read_text()
    for fig in _expected_figures(quick_run):
        assert fig in html, f"{fig} missing from the report"
    assert "results/summary/reproduction.csv" in html
    assert "Reproduction table" in html
    for rst in (quick_run / "workflow/report").rglob("*.rst"):
        first_word = rst.read_text().split()[0].strip("*`")  # rendered: no RST markup
        assert first_word in html, f"caption {rst.name} missing from the report"


def _chromium():
    exe = shutil.which("chromium") or shutil.which("chromium-browser")
    if exe is None:
        if os.environ.get("CI") == "true":
            pytest.fail("Chromium is required under CI (make test-system installs it)")
        pytest.skip("no Chromium here: run `make test-system` (installs Debian's chromium)")
    return exe


@pytest.mark.system
def test_report_renders_in_headless_chromium(quick_run, report):
    exe = _chromium()
    flags = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--virtual-time-budget=10000",
    ]
    with tempfile.TemporaryDirectory() as profile:
        dom = subprocess.run(
            [exe, *flags, f"--user-data-dir={profile}", "--dump-dom", report.as_uri()],
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        ).stdout
        shot = quick_run / "results/report_screenshot.png"
        subprocess.run(
            [
                exe,
                *flags,
                f"--user-data-dir={profile}",
                f"--screenshot={shot}",
                "--window-size=1400,900",
                report.as_uri(),
            ],
            capture_output=True,
            timeout=120,
            check=True,
        )
    # What the browser rendered, without the embedded data and code:
    rendered = re.sub(r"<(script|style)\b.*?</\1>", "", dom, flags=re.S)
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", rendered))
    assert "Snakemake Report" in text
    # every category named in the rule files, literally or through a <TOPIC>_CATEGORY constant
    categories = set()
    for smk in (quick_run / "workflow/rules").glob("*.smk"):
        rules = smk.read_text()
        categories |= set(re.findall(r'(?<!sub)category="([^"]+)"', rules))
        categories |= set(re.findall(r'^\w+_CATEGORY = "([^"]+)"', rules, flags=re.M))
    assert len(categories) >= 5, categories
    categories.add("Reproduction table")
    for cat in categories:
        assert cat in text, f"category {cat!r} not rendered in the navigation"
    assert shot.stat().st_size > 10_000
