"""Lower-level multipliers in the import suffixes ``dual`` / ``rc`` of each LowerLevel
block, against multipliers derived by hand from the KKT conditions of small QPs.

The convention checked is Pyomo's (AMPL's): the value is ``∂f*/∂rhs`` of the follower's
optimal value in its own sense. Each expected number below is derived twice: from the
KKT system, and as the derivative of the follower's optimal value written in closed form.
"""

from __future__ import annotations

import pyomo.environ as pyo
import pytest

import bilevel_mp as bmp
from tests.modeling.test_modeling import contract_model


def min_model() -> pyo.ConcreteModel:
    """UL max x over [0, 2] (F ignores y, so x̂ = 2); LL at x:

        min (y1 - x - 1)² + (y2 - 1)²  s.t.  c: y1 + y2 <= x,  e: y1 - y2 == 0.

    At x = 2: y = (1, 1). KKT: 2(y1 - 3) + u + v = 0, 2(y2 - 1) + u - v = 0 give
    u = v = 2. Closed form: with c's rhs r, y = (r/2, r/2) and f* = (r/2 - 3)² +
    (r/2 - 1)², ∂f*/∂r = r/2 - 3 + r/2 - 1 = -2 at r = 2 (= -u); with e's rhs s (c held
    at 2), y = (1 + s/2, 1 - s/2), f* = (s/2 - 2)² + (s/2)², ∂f*/∂s = -2 at 0 (= -v).
    """
    m = pyo.ConcreteModel()
    m.x = pyo.Var(bounds=(0, 2))
    m.L = bmp.LowerLevel()
    m.L.y1 = pyo.Var()
    m.L.y2 = pyo.Var()
    m.L.obj = pyo.Objective(expr=(m.L.y1 - m.x - 1) ** 2 + (m.L.y2 - 1) ** 2)
    m.L.c = pyo.Constraint(expr=m.L.y1 + m.L.y2 <= m.x)
    m.L.e = pyo.Constraint(expr=m.L.y1 - m.L.y2 == 0)
    m.obj = pyo.Objective(expr=m.x, sense=pyo.maximize)
    return m


def max_model() -> pyo.ConcreteModel:
    """The follower maximizes; a ranged row and an active variable bound. UL max x over
    [0, 2] (x̂ = 2); LL at x:

        max -(y1 - x - 1)² - (y2 + 1)²  s.t.  r: 0 <= y1 + y2 <= 2,  y2 >= 0,  y1 free.

    At x = 2 (min form (y1 - 3)² + (y2 + 1)²): y = (2, 0), gradient (-2, 2); KKT
    (-2, 2) + u_r (1, 1) - u_b (0, 1) = 0 gives u_r = 2 (upper side of r), u_b = 4.
    Closed form, in the follower's (max) sense: with r's upper rhs ρ, y = (ρ, 0) and
    f* = -(ρ - 3)² - 1, ∂f*/∂ρ = -2(ρ - 3) = 2; with y2's bound β, y = (2 - β, β),
    f* = -2(β + 1)², ∂f*/∂β = -4(β + 1) = -4.
    """
    m = pyo.ConcreteModel()
    m.x = pyo.Var(bounds=(0, 2))
    m.L = bmp.LowerLevel()
    m.L.y1 = pyo.Var()
    m.L.y2 = pyo.Var(bounds=(0, None))
    m.L.obj = pyo.Objective(expr=-(m.L.y1 - m.x - 1) ** 2 - (m.L.y2 + 1) ** 2,
                            sense=pyo.maximize)
    m.L.r = pyo.Constraint(expr=pyo.inequality(0, m.L.y1 + m.L.y2, 2))
    m.obj = pyo.Objective(expr=m.x, sense=pyo.maximize)
    return m


@pytest.mark.filterwarnings("ignore:no valid Big-M:bilevel_mp.BilevelWarning")
@pytest.mark.parametrize("method, tol", [("kkt-bigm", 1e-7), ("kkt-scholtes", 1e-5)])
def test_min_follower_duals_match_the_hand_derived_kkt(method, tol):
    m = min_model()
    res = bmp.solve(m, method=method)
    assert pyo.value(m.x) == pytest.approx(2.0, abs=1e-7)
    assert m.L.dual[m.L.c] == pytest.approx(-2.0, abs=tol)  # binding <= in a min: <= 0
    assert m.L.dual[m.L.e] == pytest.approx(-2.0, abs=tol)
    assert res.ll_multipliers["L.c"] == pytest.approx(2.0, abs=tol)  # IR: u >= 0
    assert len(m.L.rc) == 0  # no variable has a bound
    assert m.L.dual.import_enabled()


@pytest.mark.filterwarnings("ignore:no valid Big-M:bilevel_mp.BilevelWarning")
@pytest.mark.parametrize("method, tol", [("kkt-bigm", 1e-7), ("kkt-scholtes", 1e-5)])
def test_max_follower_ranged_row_and_bound(method, tol):
    m = max_model()
    bmp.solve(m, method=method)
    assert (pyo.value(m.L.y1), pyo.value(m.L.y2)) == pytest.approx((2.0, 0.0), abs=1e-6)
    assert m.L.dual[m.L.r] == pytest.approx(2.0, abs=tol)  # binding <= in a max: >= 0
    assert m.L.rc[m.L.y2] == pytest.approx(-4.0, abs=tol)
    assert m.L.y1 not in m.L.rc


def test_suffixes_are_refilled_and_emptied_by_methods_without_multipliers():
    m = contract_model()
    bmp.solve(m, method="kkt-bigm")
    assert m.L.c in m.L.dual
    res = bmp.solve(m, method="llvf-cuts")  # a cutting-plane method: no multipliers
    assert res.has_point and not res.ll_multipliers
    assert len(m.L.dual) == 0 and len(m.L.rc) == 0
    bmp.solve(m, method="kkt-bigm")  # the suffixes do not disturb a new compile
    assert m.L.c in m.L.dual


def test_a_component_named_dual_is_left_alone_with_a_warning():
    m = contract_model()
    m.L.dual = pyo.Param(initialize=3.0)
    with pytest.warns(bmp.BilevelWarning, match="named 'dual'"):
        bmp.solve(m, method="kkt-bigm")
    assert pyo.value(m.L.dual) == 3.0
    assert isinstance(m.L.rc, pyo.Suffix)
