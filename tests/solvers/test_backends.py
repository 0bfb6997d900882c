"""Back-ends: status mapping, deadline handling, cyipopt parity (when installed)."""

from __future__ import annotations

import importlib.util

import casadi as ca
import numpy as np
import pytest

import bilevel_mp as bmp
from bilevel_mp.ir.nlp import NLP
from bilevel_mp.solvers.base import Deadline
from bilevel_mp.solvers.ipopt import (
    DEFAULT_OPTIONS,
    IPOPT_STATUS,
    WARM_OPTIONS,
    IpoptSolver,
    _mx_hessian_option,
    _mx_problem,
)
from bilevel_mp.status import TerminationStatus
from tests.modeling.test_modeling import contract_model


def _rosenbrock(n: int = 50) -> NLP:
    z = ca.SX.sym("z", n)
    f = ca.sum1((1 - z[:-1]) ** 2 + 100 * (z[1:] - z[:-1] ** 2) ** 2)
    return NLP(z=z, f=f, g=ca.SX(0, 1), z_lb=np.full(n, -np.inf), z_ub=np.full(n, np.inf),
               g_lb=np.zeros(0), g_ub=np.zeros(0), z0=np.full(n, -1.2), p=ca.SX(0, 1),
               p_values=np.zeros(0))


def test_ipopt_solves_rosenbrock():
    res = IpoptSolver(_rosenbrock()).solve(np.zeros(0), np.full(50, -1.2))
    assert res.status is TerminationStatus.LOCALLY_SOLVED
    assert res.raw_status == "Solve_Succeeded"
    np.testing.assert_allclose(res.z, 1.0, atol=1e-6)


def test_expired_deadline_stops_ipopt_with_time_limit():
    res = IpoptSolver(_rosenbrock()).solve(np.zeros(0), np.full(50, -1.2),
                                           deadline=Deadline.after(0.0))
    assert res.status is TerminationStatus.TIME_LIMIT
    assert res.raw_status == "User_Requested_Stop"


def test_infeasible_nlp_is_a_status():
    z = ca.SX.sym("z")
    nlp = NLP(z=z, f=z**2, g=ca.vertcat(z, z), z_lb=np.array([-np.inf]),
              z_ub=np.array([np.inf]), g_lb=np.array([1.0, -np.inf]),
              g_ub=np.array([np.inf, -1.0]), z0=np.zeros(1), p=ca.SX(0, 1),
              p_values=np.zeros(0))
    res = IpoptSolver(nlp).solve(np.zeros(0), np.zeros(1))
    assert res.status is TerminationStatus.LOCALLY_INFEASIBLE


def test_status_table_never_claims_global_optimality():
    assert TerminationStatus.OPTIMAL not in IPOPT_STATUS.values()


def test_time_limit_returns_time_limit_status_not_exception():
    # a limit that runs out before the method starts (0 itself is an OptionError)
    res = bmp.solve(contract_model(), method="kkt-scholtes", time_limit=1e-9)
    assert res.termination is TerminationStatus.TIME_LIMIT
    assert res.verification is bmp.Verification.NOT_CHECKED
    assert not res.has_point


def test_infeasible_bilevel_problem_gives_status():
    m = contract_model()
    m.x.setub(0.2)  # y = x <= 0.2 and x + y >= 1 cannot both hold
    # a local method can only say "locally infeasible"; auto starts with kkt-bigm here (the
    # KKT system is linear), whose MILP with proven Ms proves infeasibility
    for method, status in (("kkt-scholtes", TerminationStatus.LOCALLY_INFEASIBLE),
                           ("auto", TerminationStatus.INFEASIBLE)):
        res = bmp.solve(m, method=method)
        assert res.termination is status
        assert res.verification is bmp.Verification.NOT_CHECKED
    with pytest.raises(bmp.NoSolutionError, match="LOCALLY_INFEASIBLE"):
        bmp.solve(m, method="kkt-scholtes", raise_on_failure=True)


@pytest.mark.skipif(importlib.util.find_spec("cyipopt") is None,
                    reason="cyipopt not installed (optional back-end)")
def test_cyipopt_matches_casadi_ipopt():
    a = bmp.solve(contract_model(), method="kkt-scholtes", solver="cyipopt")
    b = bmp.solve(contract_model(), method="kkt-scholtes")
    assert a.verification is bmp.Verification.CERTIFIED
    assert a.upper_objective == pytest.approx(b.upper_objective, abs=1e-6)


def test_unavailable_backend_says_what_to_install(monkeypatch):
    monkeypatch.setattr(importlib.util, "find_spec", lambda name: None)
    from bilevel_mp.solvers.registry import get_backend

    with pytest.raises(bmp.SolverUnavailable, match="pip install"):
        get_backend("cyipopt")


class _ExpiresAfterChecks(Deadline):
    """A deadline that passes after a fixed number of checks (deterministic timing)."""

    def __init__(self, checks: int) -> None:
        super().__init__(None)
        self.left = checks

    def expired(self) -> bool:
        self.left -= 1
        return self.left < 0


def test_deadline_mid_homotopy_returns_best_point_so_far():
    from bilevel_mp.ir.structure import analyze
    from bilevel_mp.methods.homotopy import KKTOptions, run_kkt
    from bilevel_mp.modeling.compile import compile_pyomo

    program, _ = compile_pyomo(contract_model())
    outcome = run_kkt(program, analyze(program), "scholtes", KKTOptions(),
                      _ExpiresAfterChecks(30), "ipopt")
    assert outcome.status is TerminationStatus.TIME_LIMIT
    assert outcome.solution is not None
    assert 1 <= len(outcome.stats["stages"]) < 9  # the full homotopy takes 9 stages
    # the last completed stage's point is feasible for the relaxed problem: x + y >= 1
    assert outcome.solution.x[0] + outcome.solution.y[0] >= 1 - 1e-6


def test_highs_returns_its_improving_solutions_and_takes_a_start():
    # knapsack-like: max 5a + 4b + 3c s.t. 2a + 3b + c <= 5, binaries; optimum a = b = 1
    # (or a = c = 1 with value 8 < 9), value -9 as a minimization.
    import scipy.sparse as sp

    from bilevel_mp.ir.milp import MILP
    from bilevel_mp.solvers.highs import solve_highs

    milp = MILP(c=np.array([-5.0, -4.0, -3.0]), A=sp.csr_matrix([[2.0, 3.0, 1.0]]),
                row_lb=np.array([-np.inf]), row_ub=np.array([5.0]), col_lb=np.zeros(3),
                col_ub=np.ones(3), integer=np.ones(3, dtype=bool))
    res = solve_highs(milp, options={"mip_improving_solution_save": True})
    assert res.objective == pytest.approx(-9.0)
    improving = res.extra["improving"]
    assert improving and improving[-1] == pytest.approx(res.z)
    assert all(milp.A @ z <= 5.0 + 1e-9 for z in improving)
    started = solve_highs(milp, start=np.array([1.0, 0.0, 1.0]))
    assert started.objective == pytest.approx(-9.0)
    assert "improving" not in started.extra


@pytest.mark.parametrize("kind", [ca.SX, ca.MX])
def test_the_warm_variant_shares_the_cold_ones_derivatives_and_solves_alike(kind):
    z, p = kind.sym("z", 4), kind.sym("p", 2)
    nlp = NLP(z=z, f=ca.sum1((z - p[0]) ** 4) + ca.exp(z[0] * z[1]) + p[1] * z[3] ** 2,
              g=ca.vertcat(ca.sumsqr(z) - 4, z[0] * z[2] + p[1], ca.sum1(z)),
              z_lb=np.full(4, -3.0), z_ub=np.full(4, 3.0), g_lb=np.array([-np.inf, 0.0, -1.0]),
              g_ub=np.array([0.0, 0.0, 1.0]), z0=np.full(4, 0.5), p=p,
              p_values=np.array([0.3, 0.2]))
    solver = IpoptSolver(nlp)
    cold = solver.solve(np.array([0.3, 0.2]), nlp.z0)
    warm = solver.solve(np.array([0.25, 0.3]), cold.z, cold.lam_g, cold.lam_z, warm=True)
    # the warm variant built apart, deriving the NLP itself (the independent truth)
    reference = ca.nlpsol("reference", "ipopt", _mx_problem(nlp), {
        "ipopt": {**DEFAULT_OPTIONS, **WARM_OPTIONS}, "print_time": False,
        "error_on_fail": False, **_mx_hessian_option(nlp)})
    out = reference(x0=cold.z, p=np.array([0.25, 0.3]), lbx=nlp.z_lb, ubx=nlp.z_ub,
                    lbg=nlp.g_lb, ubg=nlp.g_ub, lam_g0=cold.lam_g, lam_x0=cold.lam_z)
    assert warm.status is TerminationStatus.LOCALLY_SOLVED
    assert warm.iterations == reference.stats()["iter_count"]
    assert np.array_equal(warm.z, np.asarray(out["x"]).ravel())
    assert np.array_equal(warm.lam_g, np.asarray(out["lam_g"]).ravel())
    assert np.array_equal(warm.lam_z, np.asarray(out["lam_x"]).ravel())
