"""Random Pyomo expressions: Pyomo's own evaluation against the compiled CasADi function.

Both compile paths are checked: the tree walker and the vectorized path through Pyomo's
standard representation (linear and quadratic terms vectorized, the rest walked).
"""

from __future__ import annotations

import math
import warnings

import casadi as ca
import pyomo.environ as pyo
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bilevel_mp.modeling.expressions import ExpressionCompiler, make_leaf_map, to_casadi

N_VARS = 3


def _model() -> pyo.ConcreteModel:
    m = pyo.ConcreteModel()
    m.v = pyo.Var(range(N_VARS))
    m.pm = pyo.Param(initialize=1.5, mutable=True)  # mutable: a CasADi parameter
    m.pi = pyo.Param(initialize=-0.75)  # immutable: a number
    m.e = pyo.Expression(expr=0.0)
    return m


# Expression trees as nested tuples, built into Pyomo later; every function is applied to
# an argument kept inside its domain (positive for log/sqrt, bounded for tan).
leaf = st.one_of(
    st.tuples(st.just("var"), st.integers(0, N_VARS - 1)),
    st.tuples(st.just("const"), st.floats(-3, 3, allow_nan=False).filter(lambda c: c != 0)),
    st.just(("pm",)),
    st.just(("pi",)),
)


def _extend(children):
    unary = st.sampled_from(["neg", "exp", "log", "sqrt", "sin", "cos", "tan", "abs", "sq",
                             "cube", "named"])
    binary = st.sampled_from(["add", "sub", "mul", "div", "pow_frac"])
    return st.one_of(
        st.tuples(unary, children),
        st.tuples(binary, children, children),
        st.tuples(st.just("sum"), st.lists(children, min_size=2, max_size=4)),
    )


trees = st.recursive(leaf, _extend, max_leaves=12)


def build(tree, m):
    """Build the Pyomo expression of ``tree`` on model ``m``."""
    kind = tree[0]
    if kind == "var":
        return m.v[tree[1]]
    if kind == "const":
        return tree[1]
    if kind == "pm":
        return m.pm
    if kind == "pi":
        return m.pi
    if kind == "sum":
        return sum(build(t, m) for t in tree[1])
    a = build(tree[1], m)
    soft = 1 + 0.1 * a**2  # positive, mild growth: keeps every function in its domain
    unary = {
        "neg": lambda: -a,
        "exp": lambda: pyo.exp(0.1 * a / soft),
        "log": lambda: pyo.log(soft),
        "sqrt": lambda: pyo.sqrt(soft),
        "sin": lambda: pyo.sin(a),
        "cos": lambda: pyo.cos(a),
        "tan": lambda: pyo.tan(0.5 * a / soft),
        "abs": lambda: abs(a),
        "sq": lambda: a**2,
        "cube": lambda: a**3,
        "named": lambda: _named(m, a),
    }
    if kind in unary:
        return unary[kind]()
    b = build(tree[2], m)
    return {
        "add": lambda: a + b,
        "sub": lambda: a - b,
        "mul": lambda: a * b,
        "div": lambda: a / (1 + b**2),
        "pow_frac": lambda: (1 + a**2) ** 0.5,
    }[kind]()


def _named(m, expr):
    name = f"e{len(list(m.component_objects(pyo.Expression)))}"
    m.add_component(name, pyo.Expression(expr=expr))
    return m.component(name)


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tree=trees, point=st.lists(st.floats(-2, 2, allow_nan=False), min_size=N_VARS,
                                  max_size=N_VARS))
def test_compiled_expression_matches_pyomo(tree, point):
    m = _model()
    expr = build(tree, m)
    for i, val in enumerate(point):
        m.v[i].value = val
    expected = pyo.value(expr)
    x = ca.SX.sym("x", N_VARS)
    p = ca.SX.sym("p")
    leaf_of = make_leaf_map({id(m.v[i]): x[i] for i in range(N_VARS)}, {id(m.pm): p},
                            lambda: "test")
    vectorized = ExpressionCompiler(x, {id(m.v[i]): i for i in range(N_VARS)}, leaf_of)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        walked = to_casadi(expr, leaf_of, "test")
        fast = vectorized.compile(expr, "test")
    if math.isinf(expected) or abs(expected) > 1e12:
        return
    for compiled in (walked, fast):
        got = float(ca.Function("f", [x, p], [compiled])(point, 1.5))
        assert abs(got - expected) <= 1e-10 * max(1.0, abs(expected))
