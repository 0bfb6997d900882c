"""Checked inputs of the sensitivity functions: the result's program, the parameters, and
vectors given by name or in order.

Every bad input raises :class:`~bilevel_mp.errors.SensitivityError` naming the offender.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence

import numpy as np
import pyomo.environ as pyo
from pyomo.core.base.param import ParamData
from pyomo.core.expr.visitor import identify_mutable_parameters

from bilevel_mp.errors import SensitivityError
from bilevel_mp.ir.program import BilevelProgram
from bilevel_mp.result import BilevelResult

ParameterSpec = str | pyo.Param | ParamData
"""A parameter: a name of ``BilevelProgram.parameter_names``, or a mutable Pyomo ``Param``
(an indexed one stands for all its entries)."""


def program_of(result: BilevelResult) -> BilevelProgram:
    """The program ``result`` was solved from, checked to carry a point of its size."""
    if not isinstance(result, BilevelResult):
        raise SensitivityError(f"expected the BilevelResult of bilevel_mp.solve, got "
                               f"{type(result).__name__}")
    if not result.has_point:
        raise SensitivityError(f"the result of {result.method or 'the solve'} has no point "
                               f"({result.termination.name}): there is nothing to "
                               "differentiate")
    program = result.program
    if program is None:
        raise SensitivityError("the result carries no program (it was built by hand, "
                               "copied or unpickled): set result.program to the "
                               "BilevelProgram that was solved")
    if result.x_array.shape != (program.nx,) or result.y_array.shape != (program.ny,):
        raise SensitivityError(f"the result's point has {result.x_array.size} + "
                               f"{result.y_array.size} entries, its program {program.nx} + "
                               f"{program.ny} variables")
    reason = program.integer_ll_reason("the lower level has no KKT system to differentiate")
    if reason:
        raise SensitivityError(reason)
    return program


def parameters(program: BilevelProgram,
               params: ParameterSpec | Iterable[ParameterSpec]) -> tuple[tuple[str, ...],
                                                                          np.ndarray]:
    """Names and positions in ``program.p`` of the parameters ``params``.

    Raises
    ------
    SensitivityError
        For an immutable Pyomo ``Param`` (compiled as a number), one that appears in the
        bounds of a variable (bounds are numbers in the IR, so the derivative through them
        would be lost silently), a name the program does not have, a repeated parameter, or
        an empty list.
    """
    items = [params] if isinstance(params, str | pyo.Param | ParamData) else list(params)
    names: list[str] = []
    for item in items:
        names += _names_of(item, program)
    if not names:
        raise SensitivityError("no parameter given: name at least one")
    known = {name: i for i, name in enumerate(program.parameter_names)}
    for name in names:
        if name not in known:
            listing = ", ".join(list(known)[:10]) + (", ..." if len(known) > 10 else "")
            raise SensitivityError(f"the program has no parameter {name!r}; its parameters: "
                                   f"{listing or 'none (declare Params with mutable=True)'}")
    repeated = sorted(name for name, count in Counter(names).items() if count > 1)
    if repeated:
        raise SensitivityError(f"parameter(s) {', '.join(map(repr, repeated))} given more than "
                               "once")
    return tuple(names), np.array([known[n] for n in names], dtype=int)


def _names_of(item: object, program: BilevelProgram) -> list[str]:
    """The parameter names ``item`` stands for (see :func:`parameters`)."""
    if isinstance(item, str):
        return [item]
    if isinstance(item, pyo.Param | ParamData):
        component = item.parent_component()
        if not component.mutable:
            raise SensitivityError(f"Param {component.name!r} is not mutable: its value is "
                                   "compiled as a number; declare it with mutable=True")
        entries = list(item.values()) if item.is_indexed() else [item]
        _check_not_in_bounds(entries, program)
        return [entry.name for entry in entries]
    raise SensitivityError(f"a parameter is a mutable Pyomo Param or a parameter name, got "
                           f"{type(item).__name__} {item!r}"[:200])


def _check_not_in_bounds(entries: list[ParamData], program: BilevelProgram) -> None:
    """A :class:`SensitivityError` when one of ``entries`` appears in a bound of one of the
    program's variables."""
    if not entries:
        return
    wanted = {id(e): e for e in entries}
    variables = set(program.names["x"]) | set(program.names["y"])
    for var in entries[0].model().component_data_objects(pyo.Var, descend_into=True):
        if var.name not in variables:
            continue
        for bound in (var.lower, var.upper):
            if bound is None or isinstance(bound, int | float):
                continue
            for param in identify_mutable_parameters(bound):
                if id(param) in wanted:
                    raise SensitivityError(
                        f"Param {param.name!r} appears in the bounds of variable "
                        f"{var.name!r}, which bilevel_mp holds as numbers: the derivative "
                        "through that bound would be lost; write the bound as a constraint")


def vector(values: Mapping[str, float] | Sequence[float] | np.ndarray | None,
           names: Sequence[str], what: str) -> np.ndarray:
    """``values`` in the order of ``names``: a mapping name -> number (absent names are 0),
    a sequence of ``len(names)`` numbers, or ``None`` (zeros); only finite numbers."""
    if values is None:
        return np.zeros(len(names))
    if isinstance(values, Mapping):
        index = {name: i for i, name in enumerate(names)}
        unknown = [k for k in values if k not in index]
        if unknown:
            raise SensitivityError(f"{what} names {unknown[0]!r}, which is none of "
                                   f"{', '.join(list(names)[:10])}"
                                   + (", ..." if len(names) > 10 else ""))
        out = np.zeros(len(names))
        for key, value in values.items():
            out[index[key]] = _number(value, f"{what}[{key!r}]")
        return out
    try:
        out = np.asarray(values, dtype=float)
    except (TypeError, ValueError):
        raise SensitivityError(f"{what} must be numbers, got {values!r}"[:200]) from None
    if out.shape != (len(names),):
        raise SensitivityError(f"{what} must have {len(names)} entries (one per "
                               f"{', '.join(list(names)[:5])}{', ...' if len(names) > 5 else ''}"
                               f"), got shape {out.shape}")
    if not np.all(np.isfinite(out)):
        raise SensitivityError(f"{what} holds a number that is not finite")
    return out


def _number(value: object, what: str) -> float:
    try:
        out = float(value)
    except (TypeError, ValueError):
        raise SensitivityError(f"{what} must be a number, got {value!r}") from None
    if not np.isfinite(out):
        raise SensitivityError(f"{what} is not finite: {out}")
    return out
