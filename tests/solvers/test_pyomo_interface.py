"""MILPs through Pyomo solvers: the status table, the translation and the solve path."""

from __future__ import annotations

import numpy as np
import pyomo.environ as pyo
import pytest
import scipy.sparse as sp
from pyomo.opt import TerminationCondition

from bilevel_mp.errors import OptionError
from bilevel_mp.ir.milp import MILP
from bilevel_mp.solvers.highs import solve_highs
from bilevel_mp.solvers.pyomo_interface import (
    PYOMO_STATUS,
    check_pyomo_solver,
    index_labels,
    solve_milp_pyomo,
)
from bilevel_mp.status import TerminationStatus


def test_every_termination_condition_is_mapped():
    assert set(TerminationCondition) == set(PYOMO_STATUS)


def test_index_labels():
    assert index_labels(["u[L.c]", "u[L.y >= 0]"], "u") == ("L.c", "L.y >= 0")
    assert index_labels(["x[0]", "x[1]"], "x") == (0, 1)
    assert index_labels(["L.y", "x"], "y") == ("L.y", "x")
    assert index_labels(["a", "a"], "y") == (0, 1)  # repeated names: positions


def test_unknown_solver_is_an_option_error():
    with pytest.raises(OptionError, match="unknown solver 'nosuch'"):
        check_pyomo_solver("nosuch")


def _knapsack(bound: float) -> MILP:
    """max 5 z0 + 4 z1 + 3 z2 s.t. 2 z0 + 3 z1 + z2 <= bound, z1 + z2 >= 1, z integer in
    [0, 3] (as min of the negation)."""
    return MILP(c=np.array([-5.0, -4.0, -3.0]),
                A=sp.csr_matrix([[2.0, 3.0, 1.0], [0.0, 1.0, 1.0]]),
                row_lb=np.array([-np.inf, 1.0]), row_ub=np.array([bound, np.inf]),
                col_lb=np.zeros(3), col_ub=np.full(3, 3.0), integer=np.ones(3, dtype=bool),
                c0=1.5)


def test_appsi_highs_solves_like_our_highs():
    if not pyo.SolverFactory("appsi_highs").available(exception_flag=False):
        pytest.skip("appsi_highs is not available")
    for bound in (5.0, 7.5):
        ours = solve_highs(_knapsack(bound))
        theirs = solve_milp_pyomo(_knapsack(bound), "appsi_highs")
        assert theirs.status is TerminationStatus.OPTIMAL
        assert theirs.objective == pytest.approx(ours.objective, abs=1e-9)
        assert theirs.extra["mip_dual_bound"] == pytest.approx(ours.objective, abs=1e-6)
        assert _knapsack(bound).objective(theirs.z) == pytest.approx(theirs.objective)
    infeasible = solve_milp_pyomo(_knapsack(0.5), "appsi_highs")
    assert infeasible.status is TerminationStatus.INFEASIBLE and infeasible.z.size == 0
