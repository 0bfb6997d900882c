"""Translate Pyomo expression trees into CasADi ``SX`` expressions.

The walker is non-recursive (Pyomo's :class:`StreamBasedExpressionVisitor`), so deep or
wide expressions from large models compile without hitting Python's recursion limit.

Supported nodes: sums (including Pyomo's linear and monomial forms), products, division,
negation, powers, the unary functions in :data:`UNARY_FUNCTIONS`, ``abs`` (with a
:class:`~bilevel_mp.errors.NonsmoothWarning`), variables, mutable and immutable
parameters, numeric constants and named ``Expression`` components. Anything else raises
:class:`~bilevel_mp.errors.ModelError` naming the component being compiled.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Mapping

import casadi as ca
import numpy as np
import pyomo.core.expr as EXPR
from pyomo.core.expr.numvalue import native_numeric_types
from pyomo.repn.standard_repn import generate_standard_repn

from bilevel_mp.errors import ModelError, NonsmoothWarning

UNARY_FUNCTIONS: dict[str, Callable[[ca.SX], ca.SX]] = {
    "exp": ca.exp,
    "log": ca.log,
    "log10": ca.log10,
    "sqrt": ca.sqrt,
    "sin": ca.sin,
    "cos": ca.cos,
    "tan": ca.tan,
    "asin": ca.asin,
    "acos": ca.acos,
    "atan": ca.atan,
    "sinh": ca.sinh,
    "cosh": ca.cosh,
    "tanh": ca.tanh,
}
"""Pyomo unary function names and their CasADi counterparts."""


def finite_number(value: object, component: str, what: str = "number") -> float:
    """``value`` as a float; a :class:`ModelError` naming ``component`` when it is NaN or
    infinite (a dependency would fail on it far from the model: SCIP rejects the input
    data, Pyomo's FBBT asserts, IPOPT stops with a numerical error)."""
    number = float(value)
    if not np.isfinite(number):
        raise ModelError(f"{component}: {what} {number} is not a finite number")
    return number


def _sum(args: list) -> ca.SX:
    if len(args) <= 2:
        return args[0] + args[1] if len(args) == 2 else ca.SX(args[0])
    return ca.sum1(ca.vertcat(*[ca.SX(a) for a in args]))


def _product(args: list) -> ca.SX:
    return args[0] * args[1]


def _division(args: list) -> ca.SX:
    return args[0] / args[1]


def _power(args: list) -> ca.SX:
    base, exponent = args
    if isinstance(exponent, float | int) and float(exponent).is_integer():
        return base ** int(exponent)
    return base**exponent


def _negation(args: list) -> ca.SX:
    return -args[0]


_BINARY_AND_NARY: tuple[tuple[type, Callable[[list], ca.SX]], ...] = (
    (EXPR.SumExpression, _sum),
    (EXPR.MonomialTermExpression, _product),
    (EXPR.ProductExpression, _product),
    (EXPR.DivisionExpression, _division),
    (EXPR.PowExpression, _power),
    (EXPR.NegationExpression, _negation),
)


class _ToCasadi(EXPR.StreamBasedExpressionVisitor):
    """Exit-node visitor producing CasADi expressions (or Python floats for constants)."""

    def __init__(
        self,
        leaf: Callable[[object], ca.SX | float],
        component: str,
    ) -> None:
        super().__init__()
        self._leaf = leaf
        self._component = component
        self.used_abs = False

    def beforeChild(self, node, child, child_idx):  # noqa: N802 (Pyomo's API name)
        if type(child) in native_numeric_types:
            return False, finite_number(child, self._component)
        if child.is_expression_type():
            return True, None
        return False, self._leaf(child)

    def exitNode(self, node, data):  # noqa: N802 (Pyomo's API name)
        if node.is_named_expression_type():
            return data[0]
        if isinstance(node, EXPR.AbsExpression):
            self.used_abs = True
            return ca.fabs(data[0])
        if isinstance(node, EXPR.UnaryFunctionExpression):
            fn = UNARY_FUNCTIONS.get(node.getname())
            if fn is None:
                raise ModelError(
                    f"{self._component}: unsupported function {node.getname()!r}; supported: "
                    f"{', '.join(sorted(UNARY_FUNCTIONS))}, abs"
                )
            return fn(data[0])
        for cls, build in _BINARY_AND_NARY:
            if isinstance(node, cls):
                return build(data)
        raise ModelError(
            f"{self._component}: unsupported expression node {type(node).__name__} "
            f"in {node.to_string()!r}"
        )


def to_casadi(
    expr: object,
    leaf: Callable[[object], ca.SX | float],
    component: str,
) -> ca.SX:
    """Compile one Pyomo expression into a CasADi ``SX`` scalar.

    Parameters
    ----------
    expr
        A Pyomo numeric expression, variable, parameter, named expression or number.
    leaf
        Maps a Pyomo variable or parameter (data object) to its CasADi symbol or value;
        raises :class:`ModelError` for leaves that do not belong to the model.
    component
        Name of the component being compiled, used in error messages.

    Returns
    -------
    casadi.SX
        A 1x1 symbolic expression.
    """
    if type(expr) in native_numeric_types:
        return ca.SX(finite_number(expr, component))
    if not expr.is_expression_type():
        return ca.SX(leaf(expr))
    visitor = _ToCasadi(leaf, component)
    result = visitor.walk_expression(expr)
    if visitor.used_abs:
        warnings.warn(
            f"{component} uses abs(): the model is nonsmooth there; derivative-based "
            "methods may stall at the kink",
            NonsmoothWarning,
            stacklevel=3,
        )
    return ca.SX(result)


def parameter_value(param: object) -> float:
    """The value of a Pyomo parameter; a :class:`ModelError` naming it when it has none."""
    try:
        value = param.value
    except ValueError as exc:  # Pyomo: "Error evaluating Param value (p): ... undefined"
        raise ModelError(f"parameter {param.name!r} has no value: "
                         f"{' '.join(str(exc).split())}") from None
    if value is None:
        raise ModelError(f"parameter {param.name!r} has no value")
    return float(value)


def make_leaf_map(
    symbols: Mapping[int, ca.SX],
    parameters: Mapping[int, ca.SX],
    component_of: Callable[[], str],
) -> Callable[[object], ca.SX | float]:
    """Build the ``leaf`` callback of :func:`to_casadi` from id-keyed symbol tables.

    Fixed variables and immutable parameters become numbers (finite ones: a
    :class:`ModelError` otherwise); mutable parameters become their CasADi parameter
    symbol; free variables their decision-variable symbol.
    """

    def leaf(obj: object) -> ca.SX | float:
        if obj.is_variable_type():
            if obj.fixed:
                if obj.value is None:
                    raise ModelError(f"{component_of()}: variable {obj.name!r} is fixed "
                                     "but has no value")
                return finite_number(obj.value, component_of(),
                                     f"value of fixed variable {obj.name!r}:")
            sym = symbols.get(id(obj))
            if sym is None:
                raise ModelError(
                    f"{component_of()}: variable {obj.name!r} is not declared on this model"
                )
            return sym
        if obj.is_parameter_type():
            sym = parameters.get(id(obj))
            if sym is not None:
                return sym
            return finite_number(parameter_value(obj), component_of(),
                                 f"parameter {obj.name!r} =")
        if hasattr(obj, "is_constant") and obj.is_constant():
            return finite_number(obj.value, component_of())
        raise ModelError(f"{component_of()}: unsupported leaf {type(obj).__name__} {obj!r}")

    return leaf


class ExpressionCompiler:
    """Compiles expressions of one model, vectorizing their linear and quadratic parts.

    Pyomo's ``generate_standard_repn`` splits an expression into a constant, linear and
    quadratic terms and a nonlinear remainder; the terms become a few vectorized CasADi
    operations on the stacked variable vector ``xy`` (instead of one Python-level CasADi
    call per node, which dominates compile time on large models) and only the remainder
    goes through the tree walker of :func:`to_casadi`.
    """

    def __init__(self, xy: ca.SX, index: Mapping[int, int],
                 leaf: Callable[[object], ca.SX | float]) -> None:
        self.xy = xy
        self.index = index
        self.leaf = leaf

    def _coefficients(self, coefs, component: str) -> ca.SX | ca.DM:
        if all(type(c) in native_numeric_types for c in coefs):
            values = np.asarray(coefs, dtype=float)
            if not np.all(np.isfinite(values)):
                finite_number(values[~np.isfinite(values)][0], component, "coefficient")
            return ca.DM(values)
        return ca.vertcat(*[to_casadi(c, self.leaf, component) for c in coefs])

    def compile(self, expr: object, component: str) -> ca.SX:
        """Compile one expression (see :func:`to_casadi` for what is supported)."""
        if type(expr) in native_numeric_types or not expr.is_expression_type():
            return to_casadi(expr, self.leaf, component)
        try:
            repn = generate_standard_repn(expr, compute_values=False, quadratic=True)
        except (TypeError, ValueError, AttributeError, KeyError):
            return to_casadi(expr, self.leaf, component)
        variables = list(repn.linear_vars) + [v for pair in repn.quadratic_vars for v in pair]
        if any(id(v) not in self.index for v in variables):
            return to_casadi(expr, self.leaf, component)
        total = to_casadi(repn.constant, self.leaf, component)
        if repn.linear_vars:
            idx = [self.index[id(v)] for v in repn.linear_vars]
            total += ca.dot(self._coefficients(repn.linear_coefs, component), self.xy[idx])
        if repn.quadratic_vars:
            first = [self.index[id(a)] for a, _ in repn.quadratic_vars]
            second = [self.index[id(b)] for _, b in repn.quadratic_vars]
            total += ca.dot(self._coefficients(repn.quadratic_coefs, component),
                            self.xy[first] * self.xy[second])
        if repn.nonlinear_expr is not None:
            total += to_casadi(repn.nonlinear_expr, self.leaf, component)
        return total
