"""The examples of ``docs/architecture.md`` run as written, in order, in one namespace."""

from __future__ import annotations

import re
from pathlib import Path

DOC = Path(__file__).resolve().parents[2] / "docs" / "architecture.md"


def test_every_python_block_of_the_architecture_document_runs():
    blocks = re.findall(r"```python\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)
    assert len(blocks) >= 5  # the document keeps its worked examples
    namespace: dict = {}
    for k, block in enumerate(blocks):
        exec(compile(block, f"{DOC.name}, block {k + 1}", "exec"), namespace)
