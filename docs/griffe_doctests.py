"""Griffe extension for the API reference: doctest blocks as code, wherever they stand.

bellflow's docstrings put ``>>>`` examples in the running text as well as under an
``Examples`` heading (pytest runs them all with ``--doctest-modules``). Outside ``Examples``,
numpy-style parsing would render them as Markdown (``x[1]`` becomes a link). This extension
wraps every run of doctest lines (``>>>`` prompts, ``...`` continuations and the expected
output up to a blank line) in a fenced ``pycon`` block before the docstring is parsed.
"""

from __future__ import annotations

from typing import Any

import griffe


def fence_doctests(text: str) -> str:
    """Wrap doctest blocks of a (dedented) docstring in ```` ```pycon ```` fences.

    >>> print(fence_doctests("Text.\\n\\n>>> 1 + 1\\n2\\n\\nMore."))
    Text.
    <BLANKLINE>
    ```pycon
    >>> 1 + 1
    2
    ```
    <BLANKLINE>
    More.
    """
    out: list[str] = []
    in_block = in_fence = False
    indent = ""
    for line in text.splitlines():
        stripped = line.lstrip()
        if stripped.startswith("```"):
            in_fence = not in_fence
        if not in_block and not in_fence and stripped.startswith(">>>"):
            indent = line[: len(line) - len(stripped)]
            out.append(f"{indent}```pycon")
            in_block = True
        elif in_block and not stripped:
            out.append(f"{indent}```")
            in_block = False
        out.append(line)
    if in_block:
        out.append(f"{indent}```")
    return "\n".join(out)


class DoctestFences(griffe.Extension):
    """Applies :func:`fence_doctests` to every docstring griffe loads."""

    def on_object(self, *, obj: Any, **kwargs: Any) -> None:
        if obj.docstring is not None and ">>>" in obj.docstring.value:
            obj.docstring.value = fence_doctests(obj.docstring.value)
