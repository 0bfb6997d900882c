"""User bounds for Big-M: ``set_big_m`` and the suffixes it writes."""

from __future__ import annotations

import pyomo.environ as pyo

from bilevel_mp.errors import ModelError

PRIMAL_SUFFIX = "bigm_primal"
DUAL_SUFFIX = "bigm_dual"


def set_big_m(component, primal: float | None = None, dual: float | None = None) -> None:
    """Give Big-M bounds for a lower-level constraint or variable (its bounds).

    Parameters
    ----------
    component
        A lower-level ``Constraint`` (data) or ``Var`` (data); for a variable the values
        apply to the rows of its bounds.
    primal
        Upper bound on the slack ``-g_i(x, y)`` of the constraint at optimal points.
    dual
        Upper bound on its multiplier ``u_i`` at optimal points.

    The values are stored in the suffixes ``bigm_primal`` / ``bigm_dual`` of the model,
    which users of Pyomo can also fill directly. They are used where no bound can be
    proven; a result that relies on them is not reported ``OPTIMAL``.
    """
    for value, what in ((primal, "primal"), (dual, "dual")):
        if value is not None and not value >= 0:
            raise ModelError(f"set_big_m({component.name}): {what} bound must be >= 0, "
                             f"got {value!r}")
    root = component.model()
    for name, value in ((PRIMAL_SUFFIX, primal), (DUAL_SUFFIX, dual)):
        if value is None:
            continue
        suffix = root.component(name)
        if suffix is None:
            suffix = pyo.Suffix(direction=pyo.Suffix.LOCAL)
            root.add_component(name, suffix)
        suffix[component] = float(value)


def collect_hints(model, g_names: tuple[str, ...]) -> dict[str, tuple[float | None,
                                                                       float | None]]:
    """The suffix values as ``{g row name: (primal, dual)}``."""
    hints: dict[str, list[float | None]] = {}
    for position, suffix_name in enumerate((PRIMAL_SUFFIX, DUAL_SUFFIX)):
        suffix = model.component(suffix_name)
        if suffix is None:
            continue
        for component, value in suffix.items():
            rows = _rows_of(component, g_names)
            if not rows:
                raise ModelError(f"suffix {suffix_name}: {component.name!r} is not a "
                                 "lower-level inequality or bounded lower-level variable")
            for row in rows:
                hints.setdefault(row, [None, None])[position] = float(value)
    return {k: (v[0], v[1]) for k, v in hints.items()}


def _rows_of(component, g_names: tuple[str, ...]) -> list[str]:
    name = component.name
    if component.is_variable_type():
        return [g for g in g_names if g.startswith((f"{name} >= ", f"{name} <= "))]
    return [g for g in g_names if g in (name, f"{name} (lower)", f"{name} (upper)")]
