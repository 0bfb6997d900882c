"""Translate CasADi ``SX`` expressions into Pyomo expressions.

Every single-level form of bilevel_mp is built on CasADi symbols (the IR of
:mod:`bilevel_mp.ir`), so the rows a reformulation builds are translated from there, not
re-derived: the translation evaluates the reformulation's own expressions, symbol by
symbol, in Pyomo's algebra.

**Route.** The expressions are wrapped in one ``casadi.Function`` and its algorithm is
read instruction by instruction (``n_instructions``, ``instruction_id``,
``instruction_input``, ``instruction_output``, ``instruction_constant``): an input
instruction loads a leaf (a Pyomo variable, a mutable ``Param`` or a number), an operation
applies its Pyomo counterpart to the values of its work-vector slots, an output
instruction stores the row. The walk is linear in the size of CasADi's expression graph,
needs no recursion, and shares common subexpressions (a slot's Pyomo expression is reused
wherever CasADi reuses the node). Translating the original Pyomo expressions instead would
cover only the rows the user wrote, not the multipliers, gradients and relaxation rows
the reformulations add.

**Conditionals.** CasADi writes ``if_else(c, a, b)`` as
``if_else_zero(c, a) + if_else_zero(!c, b)``; a comparison becomes a Pyomo relational
expression, ``if_else_zero`` an ``Expr_if`` and the sum of the two branches one
``Expr_if(c, a, b)``. ``fmin``, ``fmax`` and ``sign`` become ``Expr_if`` as well.

``MX`` graphs are not walked: expand them first (:attr:`BilevelProgram.as_sx`). An
operation without a Pyomo counterpart (``atan2``, ``erf``, ``fmod``, ...) is a
:class:`~bilevel_mp.errors.ModelError` naming the row that uses it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import casadi as ca
import pyomo.environ as pyo
from pyomo.core.expr.numeric_expr import Expr_ifExpression
from pyomo.core.expr.numvalue import native_numeric_types

from bilevel_mp.errors import ModelError

Leaf = Any
"""A Pyomo variable, a mutable ``Param`` or a Python number."""


@dataclass(frozen=True)
class _Condition:
    """A comparison result used as a condition: ``relation`` (a Pyomo relational
    expression), true when it holds, or when it fails if ``negated``."""

    relation: Any
    negated: bool = False

    def select(self, then: Any, otherwise: Any) -> Any:
        """``then`` where the condition holds, else ``otherwise`` (an ``Expr_if``)."""
        if self.negated:
            then, otherwise = otherwise, then
        return pyo.Expr_if(IF=self.relation, THEN=then, ELSE=otherwise)

    def numeric(self) -> Any:
        """1 where the condition holds, 0 elsewhere."""
        return self.select(1.0, 0.0)


class _Unsupported(Exception):
    """A CasADi operation without a Pyomo counterpart (internal)."""


def _is_number(value: Any) -> bool:
    return type(value) in native_numeric_types


def _number(value: Any) -> Any:
    """A condition as 0/1, anything else unchanged (arithmetic takes numbers)."""
    return value.numeric() if isinstance(value, _Condition) else value


def _condition(value: Any) -> _Condition | bool:
    """``value`` as a condition: a number is true when nonzero (CasADi's rule)."""
    if isinstance(value, _Condition):
        return value
    if _is_number(value):
        return bool(value != 0)
    return _Condition(value == 0, negated=True)


def _compare(relation: Callable[[Any, Any], Any]) -> Callable[[Any, Any], Any]:
    def apply(a: Any, b: Any) -> Any:
        a, b = _number(a), _number(b)
        if _is_number(a) and _is_number(b):
            return float(relation(a, b))
        return _Condition(relation(a, b))
    return apply


def _not(a: Any) -> Any:
    cond = _condition(a)
    if isinstance(cond, bool):
        return float(not cond)
    return _Condition(cond.relation, not cond.negated)


def _and(a: Any, b: Any) -> Any:
    return _condition_of_number(_number(a) * _number(b))


def _or(a: Any, b: Any) -> Any:
    return _not(_condition_of_number((1.0 - _number(a)) * (1.0 - _number(b))))


def _condition_of_number(value: Any) -> Any:
    cond = _condition(value)
    return float(cond) if isinstance(cond, bool) else cond


def _if_else_zero(c: Any, value: Any) -> Any:
    cond = _condition(c)
    if isinstance(cond, bool):
        return _number(value) if cond else 0.0
    return cond.select(_number(value), 0.0)


def _add(a: Any, b: Any) -> Any:
    """``a + b``; the two halves of CasADi's ``if_else`` become one ``Expr_if``."""
    merged = _merged_branches(a, b)
    return merged if merged is not None else _number(a) + _number(b)


def _merged_branches(a: Any, b: Any) -> Any:
    """``Expr_if(c, p, 0) + Expr_if(c, 0, q)`` as ``Expr_if(c, p, q)`` (``None`` when the
    two are not the branches of one condition)."""
    if not (isinstance(a, Expr_ifExpression) and isinstance(b, Expr_ifExpression)):
        return None
    (c_a, then_a, else_a), (c_b, then_b, else_b) = a.args, b.args
    if c_a is not c_b:
        return None
    if _is_zero(else_a) and _is_zero(then_b):
        return pyo.Expr_if(IF=c_a, THEN=then_a, ELSE=else_b)
    if _is_zero(then_a) and _is_zero(else_b):
        return pyo.Expr_if(IF=c_a, THEN=then_b, ELSE=else_a)
    return None


def _is_zero(value: Any) -> bool:
    return _is_number(value) and value == 0


def _power(a: Any, b: Any) -> Any:
    if _is_number(b) and float(b).is_integer():
        b = int(b)  # x**2, not x**2.0: Pyomo's writers then see a quadratic
    return _number(a) ** b


def _sign(a: Any) -> Any:
    if _is_number(a):
        return float((a > 0) - (a < 0))
    return pyo.Expr_if(IF=a > 0, THEN=1.0, ELSE=pyo.Expr_if(IF=a < 0, THEN=-1.0, ELSE=0.0))


def _fmin(a: Any, b: Any) -> Any:
    return min(a, b) if _is_number(a) and _is_number(b) else pyo.Expr_if(
        IF=a <= b, THEN=a, ELSE=b)


def _fmax(a: Any, b: Any) -> Any:
    return max(a, b) if _is_number(a) and _is_number(b) else pyo.Expr_if(
        IF=a >= b, THEN=a, ELSE=b)


def _unary(function: Callable[[Any], Any]) -> Callable[[Any], Any]:
    return lambda a: function(_number(a))


def _binary(function: Callable[[Any, Any], Any]) -> Callable[[Any, Any], Any]:
    return lambda a, b: function(_number(a), _number(b))


OPERATIONS: dict[int, Callable[..., Any]] = {
    ca.OP_ADD: _add,
    ca.OP_SUB: _binary(lambda a, b: a - b),
    ca.OP_MUL: _binary(lambda a, b: a * b),
    ca.OP_DIV: _binary(lambda a, b: a / b),
    ca.OP_NEG: _unary(lambda a: -a),
    ca.OP_TWICE: _unary(lambda a: 2.0 * a),
    ca.OP_SQ: _unary(lambda a: a**2),
    ca.OP_INV: _unary(lambda a: 1.0 / a),
    ca.OP_POW: _power,
    ca.OP_CONSTPOW: _power,
    ca.OP_SQRT: _unary(pyo.sqrt),
    ca.OP_EXP: _unary(pyo.exp),
    ca.OP_LOG: _unary(pyo.log),
    ca.OP_SIN: _unary(pyo.sin),
    ca.OP_COS: _unary(pyo.cos),
    ca.OP_TAN: _unary(pyo.tan),
    ca.OP_ASIN: _unary(pyo.asin),
    ca.OP_ACOS: _unary(pyo.acos),
    ca.OP_ATAN: _unary(pyo.atan),
    ca.OP_SINH: _unary(pyo.sinh),
    ca.OP_COSH: _unary(pyo.cosh),
    ca.OP_TANH: _unary(pyo.tanh),
    ca.OP_ASINH: _unary(pyo.asinh),
    ca.OP_ACOSH: _unary(pyo.acosh),
    ca.OP_ATANH: _unary(pyo.atanh),
    ca.OP_FLOOR: _unary(pyo.floor),
    ca.OP_CEIL: _unary(pyo.ceil),
    ca.OP_FABS: _unary(abs),
    ca.OP_SIGN: _unary(_sign),
    ca.OP_FMIN: _binary(_fmin),
    ca.OP_FMAX: _binary(_fmax),
    ca.OP_LOG1P: _unary(lambda a: pyo.log(1.0 + a)),
    ca.OP_EXPM1: _unary(lambda a: pyo.exp(a) - 1.0),
    ca.OP_HYPOT: _binary(lambda a, b: pyo.sqrt(a**2 + b**2)),
    ca.OP_LT: _compare(lambda a, b: a < b),
    ca.OP_LE: _compare(lambda a, b: a <= b),
    ca.OP_EQ: _compare(lambda a, b: a == b),
    ca.OP_NE: lambda a, b: _not(_compare(lambda p, q: p == q)(a, b)),
    ca.OP_NOT: _not,
    ca.OP_AND: _and,
    ca.OP_OR: _or,
    ca.OP_IF_ELSE_ZERO: _if_else_zero,
}
"""CasADi operation code -> its Pyomo counterpart on the argument values."""

OPERATION_NAMES: dict[int, str] = {getattr(ca, k): k[3:].lower() for k in dir(ca)
                                   if k.startswith("OP_")}
"""CasADi operation code -> name (``"atan2"``), for messages."""


class ExpressionTranslator:
    """Pyomo expressions of CasADi ``SX`` columns over given leaves.

    Parameters
    ----------
    symbols
        The symbol columns the expressions depend on (purely symbolic ``SX``).
    leaves
        For each column of ``symbols``, the Pyomo object (variable, mutable ``Param``) or
        number that stands for each of its entries.

    Raises
    ------
    ModelError
        When a column is ``MX`` (expand the program with ``as_sx`` first) or its length
        differs from its leaves'.
    """

    def __init__(self, symbols: Sequence[ca.SX], leaves: Sequence[Sequence[Leaf]]) -> None:
        for column, values in zip(symbols, leaves, strict=True):
            if not isinstance(column, ca.SX):
                raise ModelError(f"only CasADi SX expressions can be translated to Pyomo, got "
                                 f"{type(column).__name__}; expand the program with "
                                 "BilevelProgram.as_sx first")
            if column.numel() != len(values):
                raise ModelError(f"{column.numel()} symbols but {len(values)} leaves")
        self.symbols = list(symbols)
        self.leaves = [[float(v) if _is_number(v) else v for v in values]
                       for values in leaves]

    def translate(self, expressions: ca.SX, names: Sequence[str]) -> list[Any]:
        """One Pyomo expression (or number) per entry of the column ``expressions``.

        ``names`` name the entries for messages. Raises :class:`ModelError` naming the
        first entry that uses an operation without a Pyomo counterpart.
        """
        column = ca.vec(ca.SX(expressions))
        if column.numel() == 0:
            return []
        try:
            return self._walk(column)
        except _Unsupported as exc:
            for i in range(column.numel()):
                try:
                    self._walk(column[i])
                except _Unsupported:
                    raise ModelError(f"{names[i]} uses the CasADi operation {exc}, which has "
                                     "no Pyomo counterpart") from None
            raise ModelError(f"the CasADi operation {exc} has no Pyomo counterpart") from None

    def _walk(self, column: ca.SX) -> list[Any]:
        function = ca.Function("to_pyomo", self.symbols, [column])
        work: list[Any] = [None] * function.sz_w()
        values: list[Any] = [0.0] * column.numel()
        rows = function.sparsity_out(0).row()
        for k in range(function.n_instructions()):
            op = function.instruction_id(k)
            inputs, outputs = function.instruction_input(k), function.instruction_output(k)
            if op == ca.OP_INPUT:
                work[outputs[0]] = self.leaves[inputs[0]][inputs[1]]
            elif op == ca.OP_OUTPUT:
                values[rows[outputs[1]]] = _number(work[inputs[0]])
            elif op == ca.OP_CONST:
                work[outputs[0]] = float(function.instruction_constant(k))
            elif op in OPERATIONS:
                work[outputs[0]] = OPERATIONS[op](*(work[j] for j in inputs))
            else:
                raise _Unsupported(OPERATION_NAMES.get(op, str(op)))
        return values
