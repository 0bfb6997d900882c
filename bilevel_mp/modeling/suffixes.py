"""Lower-level multipliers written back into the Pyomo model, as Pyomo solvers do.

After :func:`bilevel_mp.solve`, each ``LowerLevel`` block ``L`` holds two import
suffixes (created when missing, emptied before they are filled):

- ``L.dual[c]`` for each active constraint ``c`` of the block;
- ``L.rc[v]`` for each lower-level variable ``v`` of the block with a finite bound.

Sign convention (Pyomo's and AMPL's): the value is the derivative of the follower's
optimal value, in the follower's own sense (min or max), with respect to the constraint's
right-hand side, ``dual[c] = ∂f*/∂rhs``; for a variable, ``rc[v] = ∂f*/∂bound`` of its
active bound. With the IR's multipliers ``u >= 0`` of the rows ``g <= 0`` and ``v`` of the
rows ``h = 0`` of the minimization form ``s·f`` (``s = ±1``, the Lagrangian
``s·f + u'g + v'h``):

- ``body <= ub`` (row ``body - ub``): ``dual = -s·u``; ``body >= lb`` (row ``lb - body``):
  ``dual = s·u``; a ranged constraint adds both;
- ``body == rhs`` (row ``body - rhs``): ``dual = -s·v``;
- a variable: ``rc = s·(u_lb - u_ub)``.

So in a minimization, a binding ``<=`` row has ``dual <= 0`` and a binding ``>=`` row
``dual >= 0``; in a maximization the signs flip. A method that produces no multipliers
(``llvf-cuts``, or a point whose ŷ the verification replaced) leaves the suffixes empty.
"""

from __future__ import annotations

import warnings

import pyomo.environ as pyo
from pyomo.core.base.block import BlockData

from bilevel_mp.errors import BilevelWarning
from bilevel_mp.ir.program import BilevelProgram, bound_row_names
from bilevel_mp.modeling.compile import (
    _finite_sides,
    _lower_level_blocks,
    _variables,
    component_names,
)


def load_lower_level_duals(model: BlockData, program: BilevelProgram,
                           multipliers: dict[str, float]) -> None:
    """Fill ``dual`` and ``rc`` on every ``LowerLevel`` block of ``model`` from
    ``multipliers`` (``BilevelResult.ll_multipliers``, by row name), by the convention of
    the module docstring. A block whose ``dual`` or ``rc`` is some other component keeps
    it, with a :class:`~bilevel_mp.errors.BilevelWarning`."""
    s = program.f_sign
    bounds = dict(zip(program.names["y"], zip(program.y_lb, program.y_ub, strict=True),
                      strict=True))
    for block in _lower_level_blocks(model):
        dual, rc = _import_suffix(block, "dual"), _import_suffix(block, "rc")
        if dual is not None:
            cons = list(block.component_data_objects(pyo.Constraint, active=True,
                                                     descend_into=True))
            for con, name in zip(cons, component_names(cons), strict=True):
                value = _constraint_dual(con, name, multipliers)
                if value is not None:
                    dual[con] = s * value
        if rc is not None:
            variables = _variables(list(block.block_data_objects(active=True,
                                                                 descend_into=True)))
            for var, name in zip(variables, component_names(variables), strict=True):
                lower, upper = bound_row_names(name, *bounds[name])
                if lower in multipliers or upper in multipliers:
                    rc[var] = s * (multipliers.get(lower, 0.0) - multipliers.get(upper, 0.0))


def _constraint_dual(con, name: str, multipliers: dict[str, float]) -> float | None:
    """``∂(s·f)*/∂rhs`` of ``con`` (named ``name``) from the multipliers of its rows,
    ``None`` when it has no row with a multiplier."""
    if con.equality:
        return None if name not in multipliers else -multipliers[name]
    has_lb, has_ub = _finite_sides(con)
    lower = f"{name} (lower)" if has_lb and has_ub else name if has_lb else None
    upper = f"{name} (upper)" if has_lb and has_ub else name if has_ub else None
    if lower not in multipliers and upper not in multipliers:
        return None
    return multipliers.get(lower, 0.0) - multipliers.get(upper, 0.0)


def _import_suffix(block: BlockData, name: str) -> pyo.Suffix | None:
    """The block's import suffix ``name``, emptied (created when missing); ``None`` with a
    warning when ``name`` is taken by another kind of component."""
    existing = block.component(name)
    if existing is None:
        block.add_component(name, pyo.Suffix(direction=pyo.Suffix.IMPORT))
        return block.component(name)
    if isinstance(existing, pyo.Suffix):
        existing.clear()
        return existing
    warnings.warn(f"LowerLevel {block.name!r} has a {type(existing).__name__} named "
                  f"{name!r}: the lower-level multipliers are not written to it",
                  BilevelWarning, stacklevel=3)
    return None
