"""Layers import only downward (docs/architecture.md): every import of one package of
bilevel_mp from another, at module level or inside a function, goes to a lower layer.
Imports under ``if TYPE_CHECKING:`` are annotations only and do not count."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "bilevel_mp"

LAYERS: dict[str, int] = {
    "errors": 0,
    **dict.fromkeys(("status", "options", "jsonable", "optional", "progress", "threads"), 1),
    "tolerances": 2,
    "ir": 3,
    **dict.fromkeys(("modeling", "reformulations", "solvers", "result"), 4),
    **dict.fromkeys(("oracles", "checks", "comparison"), 5),
    "candidates": 6,
    **dict.fromkeys(("methods", "learning"), 7),
    "api": 8,
    **dict.fromkeys(("export", "differentiation", "bench"), 9),
    **dict.fromkeys(("torch", "plots"), 10),
    "cli": 11,
}
"""Each unit's layer (a package or a top-level module); a unit imports units of lower
layers only. ``progress`` is a leaf that every loop reports to; reformulations are pure
builders (no solver), checks never import methods, oracles sit above reformulations."""


def _unit(path: Path) -> str:
    return path.relative_to(PACKAGE).with_suffix("").parts[0]


def _runtime_imports(tree: ast.AST) -> list[ast.ImportFrom]:
    """``from bilevel_mp.<unit> import ...`` and ``from bilevel_mp import <unit>`` outside
    ``if TYPE_CHECKING:`` blocks."""
    found, stack = [], [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.If) and getattr(node.test, "id", "") == "TYPE_CHECKING":
            stack.extend(node.orelse)
            continue
        if isinstance(node, ast.ImportFrom) and node.module and (
                node.module == "bilevel_mp" or node.module.startswith("bilevel_mp.")):
            found.append(node)
        stack.extend(ast.iter_child_nodes(node))
    return found


def _targets(node: ast.ImportFrom) -> list[str]:
    if node.module == "bilevel_mp":
        return [alias.name for alias in node.names if alias.name in LAYERS]
    return [node.module.split(".")[1]]


def test_every_unit_has_a_layer():
    units = {_unit(p) for p in PACKAGE.rglob("*.py") if _unit(p) != "__init__"}
    assert units == set(LAYERS)


def test_imports_go_downward_only():
    upward = []
    for path in sorted(PACKAGE.rglob("*.py")):
        unit = _unit(path)
        if unit == "__init__":
            continue
        for node in _runtime_imports(ast.parse(path.read_text())):
            for target in _targets(node):
                if target != unit and LAYERS[target] >= LAYERS[unit]:
                    upward.append(f"{path.relative_to(PACKAGE)}:{node.lineno} {unit} -> "
                                  f"{target}")
    assert not upward, "\n".join(upward)
