"""Compile a Pyomo model with :class:`LowerLevel` blocks into a :class:`BilevelProgram`.

Rules (see ``docs/architecture.md``): every active ``Var`` outside a ``LowerLevel`` block is an
upper-level variable; every ``Var`` inside one is a lower-level variable; each
``LowerLevel`` has exactly one active objective; several ``LowerLevel`` blocks that share
no lower-level variable form one separable lower level (objectives summed, constraints
stacked); a block whose objective or constraints use another block's variables is an
interacting follower and is rejected.
"""

from __future__ import annotations

from dataclasses import dataclass

import casadi as ca
import numpy as np
import pyomo.environ as pyo
from pyomo.core.base.block import BlockData
from pyomo.core.base.component_namer import index_repr

from bilevel_mp.errors import ModelError
from bilevel_mp.ir.program import BilevelProgram, bound_rows
from bilevel_mp.modeling.bigm_hints import collect_hints
from bilevel_mp.modeling.expressions import (
    ExpressionCompiler,
    make_leaf_map,
    parameter_value,
)
from bilevel_mp.modeling.lower_level import LowerLevelData


@dataclass(frozen=True)
class PyomoBinding:
    """Links the IR back to the Pyomo components it came from."""

    x_vars: tuple
    y_vars: tuple

    def load(self, x: np.ndarray, y: np.ndarray) -> None:
        """Write a solution into the model's variables (bounds are not enforced)."""
        for var, val in zip(self.x_vars, x, strict=True):
            var.set_value(_rounded_if_integer(var, val), skip_validation=True)
        for var, val in zip(self.y_vars, y, strict=True):
            var.set_value(_rounded_if_integer(var, val), skip_validation=True)


def _rounded_if_integer(var, val: float) -> float:
    return float(round(val)) if var.is_integer() or var.is_binary() else float(val)


def _lower_level_blocks(model: BlockData) -> list[BlockData]:
    blocks = [
        b for b in model.block_data_objects(active=True, descend_into=True)
        if isinstance(b, LowerLevelData)
    ]
    for b in blocks:
        if _inside_lower_level(b.parent_block()):
            raise ModelError(f"LowerLevel {b.name!r} is nested inside another LowerLevel; "
                             "nested lower levels (trilevel programs) are not supported")
    return blocks


def _upper_blocks(model: BlockData) -> list[BlockData]:
    """The model's active blocks that are not (inside) a LowerLevel block."""
    return [b for b in model.block_data_objects(active=True, descend_into=True)
            if not _inside_lower_level(b)]


def _inside_lower_level(block: BlockData) -> bool:
    while block is not None:
        if isinstance(block, LowerLevelData):
            return True
        block = block.parent_block()
    return False


def _components(blocks: list[BlockData], ctype) -> list:
    return [c for b in blocks
            for c in b.component_data_objects(ctype, active=True, descend_into=False)]


def _variables(blocks: list[BlockData]) -> list:
    return [v for v in _components(blocks, pyo.Var) if not v.fixed]


def _finite_sides(con) -> tuple[bool, bool]:
    """Whether ``con`` has a lower and an upper side (an infinite bound is none); a
    :class:`ModelError` naming it when a bound has no value."""
    try:
        return con.has_lb(), con.has_ub()
    except ValueError as exc:  # Pyomo: "Error evaluating Param value (p): ..."
        raise ModelError(f"constraint {con.name!r}: a bound has no value: "
                         f"{' '.join(str(exc).split())}") from None


def _single_objective(blocks: list[BlockData], what: str):
    objs = _components(blocks, pyo.Objective)
    if len(objs) != 1:
        found = ", ".join(o.name for o in objs) or "none"
        raise ModelError(f"{what} must have exactly one active objective; found {found}")
    return objs[0]


class _Compiler:
    """Holds the symbol tables while one model is compiled."""

    def __init__(self, model: BlockData) -> None:
        self.model = model
        self.ll_blocks = _lower_level_blocks(model)
        if not self.ll_blocks:
            raise ModelError(
                f"model {model.name!r} has no LowerLevel block: declare the follower's "
                "problem as `m.L = bilevel_mp.LowerLevel()`"
            )
        self.ll_trees = [list(b.block_data_objects(active=True, descend_into=True))
                         for b in self.ll_blocks]
        self.ul_blocks = _upper_blocks(model)
        self.ll_vars = [_variables(tree) for tree in self.ll_trees]
        self.x_vars = _variables(self.ul_blocks)
        self.y_vars = [v for vs in self.ll_vars for v in vs]
        for b, vs in zip(self.ll_blocks, self.ll_vars, strict=True):
            if not vs:
                raise ModelError(f"LowerLevel {b.name!r} declares no (unfixed) variable")
        self.x = ca.SX.sym("x", len(self.x_vars))
        self.y = ca.SX.sym("y", len(self.y_vars))
        self.symbols = {id(v): sym for v, sym in zip(self.x_vars, ca.vertsplit(self.x),
                                                      strict=True)}
        self.symbols.update({id(v): sym for v, sym in zip(self.y_vars, ca.vertsplit(self.y),
                                                          strict=True)})
        # an immutable indexed Param yields plain numbers as its data: only mutable
        # components have ParamData entries (immutable values are compiled as numbers)
        params = [p for c in model.component_objects(pyo.Param, descend_into=True)
                  if c.mutable for p in c.values()]
        self.p = ca.SX.sym("p", len(params))
        self.p_values = np.array([_mutable_value(p) for p in params], dtype=float)
        self.params = {id(p): self.p[i] for i, p in enumerate(params)}
        self.p_names = component_names(params)
        self.current = ""
        self.leaf = make_leaf_map(self.symbols, self.params, lambda: self.current)
        index = {id(v): i for i, v in enumerate(self.x_vars + self.y_vars)}
        self.compiler = ExpressionCompiler(ca.vertcat(self.x, self.y), index, self.leaf)

    def expr(self, e, component: str) -> ca.SX:
        self.current = component
        return self.compiler.compile(e, component)

    def constraints(self, blocks: list[BlockData]) -> tuple[list, list, list, list]:
        """Rows ``<= 0`` and ``= 0`` of the active constraints, with names."""
        ineq, ineq_names, eq, eq_names = [], [], [], []
        cons = _components(blocks, pyo.Constraint)
        for con, name in zip(cons, component_names(cons), strict=True):
            body = self.expr(con.body, f"constraint {name!r}")
            has_lb, has_ub = _finite_sides(con)
            lower = self.expr(con.lower, f"constraint {name!r}") if has_lb else None
            upper = self.expr(con.upper, f"constraint {name!r}") if has_ub else None
            if con.equality:
                eq.append(body - upper)
                eq_names.append(name)
                continue
            if lower is None and upper is None:
                continue
            both = lower is not None and upper is not None
            if lower is not None:
                ineq.append(lower - body)
                ineq_names.append(f"{name} (lower)" if both else name)
            if upper is not None:
                ineq.append(body - upper)
                ineq_names.append(f"{name} (upper)" if both else name)
        return ineq, ineq_names, eq, eq_names

    def lower_level(self) -> tuple[ca.SX, float, list, list, list, list]:
        f_total, f_sign = ca.SX(0), None
        g, g_names, h, h_names = [], [], [], []
        for k, (block, tree) in enumerate(zip(self.ll_blocks, self.ll_trees, strict=True)):
            obj = _single_objective(tree, f"LowerLevel {block.name!r}")
            sign = 1.0 if obj.sense == pyo.minimize else -1.0
            if f_sign is not None and sign != f_sign:
                raise ModelError(
                    f"LowerLevel {block.name!r}: separable lower levels must share one "
                    "objective sense; write all of them as min or all as max"
                )
            f_sign = sign
            fk = self.expr(obj.expr, f"objective {obj.name!r}")
            gi, gn, hi, hn = self.constraints(tree)
            self._check_separable(k, block, [fk, *gi, *hi])
            f_total = f_total + sign * fk
            g += gi
            g_names += gn
            h += hi
            h_names += hn
        return f_total, f_sign, g, g_names, h, h_names

    def _check_separable(self, k: int, block: BlockData, exprs: list[ca.SX]) -> None:
        if len(self.ll_blocks) == 1:
            return
        for j, other in enumerate(self.ll_blocks):
            if j == k:
                continue
            others = ca.vertcat(*[self.symbols[id(v)] for v in self.ll_vars[j]])
            if any(ca.depends_on(e, others) for e in exprs):
                raise ModelError(
                    f"LowerLevel {block.name!r} uses variables of LowerLevel {other.name!r}: "
                    "interacting followers (a Nash game between lower levels) are not "
                    "supported; merge them into one LowerLevel if one follower decides both"
                )


def compile_pyomo(model: BlockData) -> tuple[BilevelProgram, PyomoBinding]:
    """Compile a Pyomo bilevel model into the IR.

    Parameters
    ----------
    model
        A Pyomo ``ConcreteModel`` (or block) containing at least one ``LowerLevel``.

    Returns
    -------
    program, binding
        The frozen :class:`BilevelProgram` and the :class:`PyomoBinding` used to load a
        solution back into the model.

    Raises
    ------
    ModelError
        Naming the offending component, for any construct the compiler rejects.
    """
    _check_is_model(model)
    c = _Compiler(model)
    f, f_sign, g, g_names, h, h_names = c.lower_level()
    ul_obj = _single_objective(c.ul_blocks, f"model {model.name!r} (upper level)")
    F_sign = 1.0 if ul_obj.sense == pyo.minimize else -1.0
    F = F_sign * c.expr(ul_obj.expr, f"objective {ul_obj.name!r}")
    G, G_names, H, H_names = c.constraints(c.ul_blocks)
    y_names = component_names(c.y_vars)
    x_lb, x_ub = _variable_bounds(c.x_vars)
    y_lb, y_ub = _variable_bounds(c.y_vars)
    g_bounds, g_bound_names = bound_rows(c.y, y_lb, y_ub, y_names)
    n_user_g = len(g)
    program = BilevelProgram(
        x=c.x, y=c.y, F=F, f=f,
        G=_stack(G), H=_stack(H), g=ca.vertcat(_stack(g), g_bounds), h=_stack(h),
        x_lb=x_lb, x_ub=x_ub, y_lb=y_lb, y_ub=y_ub,
        names={
            "x": component_names(c.x_vars), "y": y_names,
            "G": tuple(G_names), "H": tuple(H_names),
            "g": tuple(g_names) + g_bound_names, "h": tuple(h_names), "p": c.p_names,
        },
        p=c.p, p_values=c.p_values,
        x_integer=np.array([v.is_integer() or v.is_binary() for v in c.x_vars], dtype=bool),
        y_integer=np.array([v.is_integer() or v.is_binary() for v in c.y_vars], dtype=bool),
        x0=_start(c.x_vars, x_lb, x_ub), y0=_start(c.y_vars, y_lb, y_ub),
        F_sign=F_sign, f_sign=f_sign,
        g_bound_rows=tuple(range(n_user_g, n_user_g + g_bounds.numel())),
        bigm_hints=collect_hints(model, tuple(g_names) + g_bound_names),
        source=f"pyomo:{model.name}",
    )
    return program, PyomoBinding(tuple(c.x_vars), tuple(c.y_vars))


def _check_is_model(model: object) -> None:
    """A constructed Pyomo block; a :class:`ModelError` saying what was given otherwise."""
    if not isinstance(model, BlockData):
        hint = (" (to solve a model defined in a file, run `bilevel-mp solve FILE.py:NAME` "
                "or import the file and pass its model)") if isinstance(model, str) else ""
        raise ModelError(f"expected a Pyomo model with a LowerLevel block (or a "
                         f"BilevelProgram), got {type(model).__name__} "
                         f"{_short_repr(model)}{hint}")
    if not model.is_constructed():
        raise ModelError(f"model {model.name!r} is an abstract model that is not "
                         "constructed: pass `model.create_instance(data)`")


def _short_repr(value: object, limit: int = 60) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[:limit] + "..."


def _stack(rows: list[ca.SX]) -> ca.SX:
    return ca.vertcat(*rows) if rows else ca.SX(0, 1)


def _bound(value, default: float) -> float:
    return default if value is None else float(value)


def _variable_bounds(variables: list) -> tuple[np.ndarray, np.ndarray]:
    """Bounds of ``variables`` (``±inf`` where absent); a :class:`ModelError` naming the
    variable when its lower bound exceeds its upper bound."""
    lb = np.array([_bound(v.lb, -np.inf) for v in variables], dtype=float)
    ub = np.array([_bound(v.ub, np.inf) for v in variables], dtype=float)
    crossed = np.flatnonzero(lb > ub)
    if crossed.size:
        j = crossed[0]
        raise ModelError(f"variable {variables[j].name!r} has lower bound {lb[j]:g} above "
                         f"its upper bound {ub[j]:g}")
    return lb, ub


def _mutable_value(param) -> float:
    """The value of a mutable parameter: finite or infinite (an infinite bound is no
    bound), never NaN or missing."""
    value = parameter_value(param)
    if np.isnan(value):
        raise ModelError(f"parameter {param.name!r} has value nan")
    return value


def _start(variables: list, lb: np.ndarray, ub: np.ndarray) -> np.ndarray:
    """Initial values from the model, projected onto the bounds ``lb``, ``ub`` of the
    variables (0 where unset)."""
    vals = np.array([0.0 if v.value is None else float(v.value) for v in variables],
                    dtype=float)
    bad = np.flatnonzero(~np.isfinite(vals))
    if bad.size:
        v = variables[bad[0]]
        raise ModelError(f"variable {v.name!r} has initial value {vals[bad[0]]}; give a "
                         "finite value or none")
    return np.clip(vals, lb, ub)


def component_names(components: list) -> tuple[str, ...]:
    """``c.name`` of each Pyomo component data object ``c``, by Pyomo's own rule (the name
    of the indexed component, then the index), each indexed component's name computed
    once instead of once per entry."""
    parents: dict[int, str] = {}
    out = []
    for c in components:
        parent = c.parent_component()
        if parent is c:
            out.append(c.name)
            continue
        base = parents.get(id(parent))
        if base is None:
            base = parents[id(parent)] = parent.name
        out.append(base + index_repr(c.index()))
    return tuple(out)
