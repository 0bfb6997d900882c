"""The Pyomo model of a single-level problem: :class:`SingleLevelModel` and its
:class:`ExportInfo`.

A :class:`SingleLevelModel` is a ``pyo.ConcreteModel`` (print it, solve it with any
``SolverFactory`` solver, transform it) whose ``write`` checks first that the file format
can hold the model, and says what to do when it cannot, instead of leaving an empty
file behind:

====== ======================================================================
format what it holds
====== ======================================================================
.nl    everything; ``pyomo.mpec`` complementarity conditions are written through
       Pyomo's ``mpec.nl`` transformation (applied to a copy)
.lp    linear and quadratic objectives and constraints, integers, SOS1
.mps   the same
.gms   no complementarity, no SOS constraints, no ``Expr_if`` (Pyomo's GAMS writer
       has no counterpart for them)
====== ======================================================================
"""

from __future__ import annotations

from collections.abc import Hashable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pyomo.environ as pyo
from pyomo.core.expr.numeric_expr import Expr_ifExpression
from pyomo.core.expr.visitor import identify_variables
from pyomo.mpec import Complementarity
from pyomo.opt import ProblemFormat, guess_format

from bilevel_mp.errors import ExportError

Position = tuple[str, Hashable]
"""A component name and an index in it: where one entry of our program sits."""


@dataclass(frozen=True)
class ExportInfo:
    """What :func:`~bilevel_mp.reformulate` built, kept on the model as ``export_info``.

    Attributes
    ----------
    method
        The method name whose single-level problem this is (``"kkt"`` for the MPCC).
    form
        ``"MPCC"``, ``"NLP"``, ``"MILP"``, ``"MIQP"``, ``"MILP with SOS1"`` or ``"MIQP with
        SOS1"``.
    exact
        Whether a global optimum of this model is a global optimum of the bilevel program,
        as our own method would claim it: the Big-M program when every M is proven, the
        SOS1 program (no M at all), for the convex lower levels these accept.
    parameters
        The method parameter and its value (``{"t": 0.01}``), held by the mutable ``Param``
        of that name (``lam`` for λ).
    big_m
        Per lower-level row: ``{"primal": (M, source), "dual": (M, source)}`` (Big-M only).
    names
        The bilevel program's names of variables and rows (``BilevelProgram.names``), to
        check the model a solution is loaded into.
    roles
        ``x``, ``y``, ``u``, ``v`` -> the variable component holding the upper-level
        variables, the lower-level variables and the multipliers of ``g`` and ``h`` (entries
        in program order); absent roles have no component.
    columns, rows
        Our single-level program's variables and rows, in its own order, as positions in
        the Pyomo model (``None`` for a constant row left out).
    objective_scale
        Largest coefficient of the upper-level objective (exact forms), the unit in which
        a solver's optimality gap is judged.
    description
        The formula, in words.
    """

    method: str
    form: str
    names: dict[str, tuple[str, ...]]
    roles: dict[str, str]
    columns: tuple[Position, ...]
    rows: tuple[Position | None, ...]
    exact: bool = False
    parameters: dict[str, float] = field(default_factory=dict)
    big_m: dict[str, dict[str, tuple[float, str]]] = field(default_factory=dict)
    objective_scale: float = 1.0
    description: str = ""


class SingleLevelModel(pyo.ConcreteModel):
    """A Pyomo ``ConcreteModel`` of a single-level problem built by
    :func:`~bilevel_mp.reformulate`; ``export_info`` says what it is."""

    export_info: ExportInfo

    def write(self, filename: Any = None, format: Any = None,
              solver_capability: Any = None, io_options: dict | None = None,
              int_marker: bool = False) -> Any:
        """Write the model with Pyomo's writer for the format of ``filename`` (or
        ``format``); see the module docstring for what each format holds.

        Raises
        ------
        ExportError
            When the format cannot hold a component of this model (naming it and the
            formats that can).
        """
        kind = _format_of(filename, format)
        obstacle = _obstacle(self, kind)
        if obstacle:
            raise ExportError(obstacle)
        model: pyo.ConcreteModel = self
        if kind is ProblemFormat.nl and _has_complementarity(self):
            model = _nl_copy(self)
        return pyo.ConcreteModel.write(model, filename, format, solver_capability,
                                       io_options or {}, int_marker)


def _nl_copy(model: pyo.ConcreteModel) -> pyo.ConcreteModel:
    """A copy of ``model`` with its complementarity conditions in the form of Pyomo's
    ``mpec.nl`` transformation.

    Pyomo's NL writer fails (a ``KeyError``) on a complementarity variable that no row or
    objective uses, e.g. the multiplier of a lower-level row without ``y`` in it; such a
    variable gets its bound as a row, which puts it in the file and changes nothing.
    """
    copy = model.clone()
    used = {id(v) for _, expr in _expressions(copy) for v in identify_variables(expr)}
    unused = [v for comp in copy.component_data_objects(Complementarity, active=True)
              for v in identify_variables(comp._args[0])
              if id(v) not in used and (v.has_lb() or v.has_ub())]
    if unused:
        copy.complementarity_variable_bounds = pyo.Constraint(
            range(len(unused)), rule=lambda _, i: (unused[i].lb, unused[i], unused[i].ub))
    pyo.TransformationFactory("mpec.nl").apply_to(copy)
    return copy


def _format_of(filename: Any, format: Any) -> ProblemFormat | None:
    if format is not None:
        try:
            return ProblemFormat(format)
        except ValueError:
            return None
    if filename is None:
        return ProblemFormat.cpxlp  # Pyomo's default
    try:
        return guess_format(filename)
    except AttributeError:  # a stream
        return None


def _has_complementarity(model: pyo.Block) -> bool:
    return any(True for _ in model.component_data_objects(Complementarity, active=True))


def _expressions(model: pyo.Block) -> Iterator[tuple[str, Any]]:
    for obj in model.component_data_objects(pyo.Objective, active=True):
        yield f"objective {obj.name!r}", obj.expr
    for con in model.component_data_objects(pyo.Constraint, active=True):
        yield f"constraint {con.name!r}", con.body


def _uses_expr_if(expr: Any) -> bool:
    stack, seen = [expr], set()
    while stack:
        node = stack.pop()
        if isinstance(node, Expr_ifExpression):
            return True
        if id(node) in seen or not getattr(node, "is_expression_type", lambda: False)():
            continue
        seen.add(id(node))
        stack.extend(node.args)
    return False


LP_FORMATS = (ProblemFormat.cpxlp, ProblemFormat.mps)
"""Formats that hold linear and quadratic programs only."""


def _obstacle(model: pyo.Block, kind: ProblemFormat | None) -> str:
    """Why ``model`` cannot be written as ``kind`` (``""`` when it can)."""
    name = {ProblemFormat.cpxlp: ".lp", ProblemFormat.mps: ".mps",
            ProblemFormat.gams: ".gms"}.get(kind, "")
    if not name:
        return ""
    comp = next(model.component_data_objects(Complementarity, active=True), None)
    if comp is not None:
        return (f"complementarity condition {comp.name!r} (pyomo.mpec) cannot be written as "
                f"{name}: only .nl holds complementarity conditions; write .nl, or export a "
                "relaxation (e.g. method 'kkt-scholtes') or the Big-M MILP ('kkt-bigm')")
    if kind is ProblemFormat.gams:
        sos = next(model.component_data_objects(pyo.SOSConstraint, active=True), None)
        if sos is not None:
            return (f"SOS constraint {sos.name!r} cannot be written as .gms (Pyomo's GAMS "
                    "writer has none); write .lp, .mps or .nl")
        for what, expr in _expressions(model):
            if _uses_expr_if(expr):
                return (f"{what} uses an if-then-else (Expr_if), which Pyomo's GAMS writer "
                        "cannot write; write .nl")
        return ""
    for what, expr in _expressions(model):
        degree = expr.polynomial_degree() if hasattr(expr, "polynomial_degree") else 0
        if degree is None or degree > 2:
            kind_text = "not polynomial" if degree is None else f"of degree {degree}"
            return (f"{what} is {kind_text}: {name} holds linear and quadratic programs "
                    "only; write .nl (or .gms)")
    return ""
