"""The worked examples of the tool pages (``docs/tools/*.md``) run and print what the pages say.

Every fenced block of a tool page marked ``pycon`` is a doctest (``>>>`` lines and the output
they print); the blocks of one page run in order in one namespace, as a reader would type
them. A page shows no other executable code: a ``python`` fence fails the test, so nothing on
a tool page is left unrun. Outputs are compared exactly (``NORMALIZE_WHITESPACE`` only, no
ellipsis): the paper values the pages quote (CHSH ``2 sqrt 2``, the LGYNI ICO bound, ...) are
the expected outputs, computed by the library each time.

The examples are chosen small (the whole file takes about 15-20 s of CPU).
"""

from __future__ import annotations

import doctest
import re
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
TOOLS = ROOT / "docs" / "tools"
PAGES = sorted(TOOLS.glob("*.md"))
# a fence: optional indentation (inside a list or admonition), the language, the body
FENCE = re.compile(r"^([ \t]*)```(\w*)[^\n]*\n(.*?)^\1```[ \t]*$", re.MULTILINE | re.DOTALL)


def fenced_blocks(text: str) -> list[tuple[str, str, int]]:
    """(language, dedented body, line number of the body's first line) of each fence."""
    out = []
    for m in FENCE.finditer(text):
        indent, lang, body = m.groups()
        lines = [line.removeprefix(indent) for line in body.splitlines(keepends=True)]
        lineno = text.count("\n", 0, m.start(3))
        out.append((lang, textwrap.dedent("".join(lines)), lineno))
    return out


def run_page(path: Path) -> tuple[int, int, str]:
    """Run a page's pycon blocks as doctests; (examples, failures, report)."""
    parser = doctest.DocTestParser()
    runner = doctest.DocTestRunner(optionflags=doctest.NORMALIZE_WHITESPACE)
    report: list[str] = []
    globs: dict = {"__name__": f"docs_tools_{path.stem}"}
    for lang, body, lineno in fenced_blocks(path.read_text()):
        if lang != "pycon":
            continue
        test = parser.get_doctest(body, globs, f"{path.name}:{lineno + 1}", str(path), lineno)
        runner.run(test, out=report.append, clear_globs=False)
        globs = test.globs  # a DocTest copies its globals: carry them to the next block
    return runner.tries, runner.failures, "".join(report)


def test_there_are_tool_pages():
    assert {p.stem for p in PAGES} >= {"npa", "causal", "diqkd", "lmg"}


@pytest.mark.parametrize("page", PAGES, ids=[p.stem for p in PAGES])
def test_page_shows_only_runnable_code(page):
    langs = [lang for lang, _, _ in fenced_blocks(page.read_text())]
    assert "pycon" in langs, f"{page.name} has no worked example"
    assert "python" not in langs and "py" not in langs, (
        f"{page.name}: write examples as pycon (>>> and the output), so that they run"
    )


@pytest.mark.parametrize("page", PAGES, ids=[p.stem for p in PAGES])
def test_page_examples_print_what_the_page_says(page):
    tries, failures, report = run_page(page)
    assert tries > 0
    assert failures == 0, f"{failures} of {tries} examples of {page.name} differ:\n{report}"


def test_a_wrong_output_fails(tmp_path):
    """The harness itself: a page whose printed output differs is a failure, a right one
    passes, and an indented fence (in a list or admonition) runs too."""
    page = tmp_path / "p.md"
    page.write_text(
        "Text.\n\n```pycon\n>>> x = 2\n>>> x + 1\n3\n```\n\n"
        "- item\n\n    ```pycon\n    >>> x * 10\n    21\n    ```\n"
    )
    tries, failures, report = run_page(page)
    assert (tries, failures) == (3, 1)
    assert "Expected:\n    21\nGot:\n    20" in report
