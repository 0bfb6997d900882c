"""SCIP global solves: the expression translation, the lower-level check, ``llvf-cuts``.

Independent truth: brute-force grids over small boxes; BOLIB records.
"""

from __future__ import annotations

import dataclasses
import importlib

import casadi as ca
import numpy as np
import pytest

import bolib_problems
from bilevel_mp import BilevelProgram, solve
from bilevel_mp.checks.verify import LowerLevelChecker
from bilevel_mp.solvers import scip_nlp
from bilevel_mp.solvers.base import Deadline
from bilevel_mp.solvers.scip_nlp import NotExpressible, solve_scip_nlp
from bilevel_mp.status import NEAR_FEASIBLE_FACTOR, TerminationStatus, Verification

pytest.importorskip("pyscipopt")


def _grid_min(fun: ca.Function, feasible, lo: float, hi: float, n: int = 1201) -> float:
    """Smallest value of ``fun`` over the feasible points of an n×n grid (vectorized)."""
    grid = np.linspace(lo, hi, n)
    xx, yy = (a.ravel() for a in np.meshgrid(grid, grid, indexing="ij"))
    values = np.asarray(fun.map(xx.size)(np.vstack([xx, yy]))).ravel()
    return float(values[feasible(xx, yy)].min())


def test_global_minimum_of_a_nonconvex_function_matches_grid() -> None:
    z = ca.SX.sym("z", 2)
    f = ((z[0] ** 2 - 1) ** 2 + 0.3 * z[0] + ca.sin(3 * z[1]) + 0.2 * z[1] ** 2
         + ca.exp(z[0]) / 4 + ca.fabs(z[0] - z[1]) + ca.sqrt(z[1] + 3))
    res = solve_scip_nlp(z, f, ca.vertcat(z[0] + z[1]), np.array([-np.inf]), np.array([1.5]),
                         np.array([-2.0, -2.0]), np.array([2.0, 2.0]))
    assert res.status is TerminationStatus.OPTIMAL
    fun = ca.Function("f", [z], [f])
    best = _grid_min(fun, lambda a, b: a + b <= 1.5, -2.0, 2.0)
    assert res.objective <= best + 1e-9  # no grid point is better
    assert res.objective == pytest.approx(best, abs=1e-3)  # and the grid comes close


def test_operations_without_scip_counterpart_are_reported() -> None:
    z = ca.SX.sym("z", 2)
    with pytest.raises(NotExpressible, match="fmax"):
        solve_scip_nlp(z, ca.fmax(z[0], z[1]), ca.SX.zeros(0), np.zeros(0), np.zeros(0),
                       -np.ones(2), np.ones(2))


def _ring(z: ca.SX) -> ca.SX:
    """A quartic with a coupling ring: bounded below, but not by SCIP over free variables
    (its relaxations of the products are unbounded). Since z_i z_{i+1} >= -(z_i² +
    z_{i+1}²)/2, it is >= Σ (z_i⁴ - 4 z_i²) >= -4n, reached at z_i = -z_{i+1} = ±√2."""
    n = z.numel()
    return sum(z[i] ** 4 - 3 * z[i] ** 2 + z[i] * z[(i + 1) % n] for i in range(n))


def _spy_on_scip(monkeypatch: pytest.MonkeyPatch, module) -> list[str]:
    """The raw statuses of the SCIP runs that ``module`` makes, in order."""
    statuses = []

    def spy(*args, **kwargs):
        res = scip_nlp.solve_scip_nlp(*args, **kwargs)
        statuses.append(res.raw_status)
        return res

    monkeypatch.setattr(module, "solve_scip_nlp", spy)
    return statuses


def test_scip_gives_up_when_its_bound_stays_infinite_after_the_wait() -> None:
    z = ca.SX.sym("z", 6)
    free = np.full(6, np.inf)
    res = solve_scip_nlp(z, _ring(z), ca.SX.zeros(0), np.zeros(0), np.zeros(0), -free,
                         free, Deadline.after(60.0), bound_wait=0.2)
    assert res.status is TerminationStatus.TIME_LIMIT and res.extra["no_bound"]
    assert res.raw_status == "timelimit (no finite lower bound after 0.2 s)"
    assert res.extra["dual_bound"] <= -1e19


def test_the_bound_wait_leaves_a_bounded_solve_as_it_was() -> None:
    """Over a box SCIP's bound is finite at once: the same search, node for node."""
    z = ca.SX.sym("z", 2)
    f = (z[0] ** 2 - 1) ** 2 + 0.3 * z[0] + ca.sin(3 * z[1]) + 0.2 * z[1] ** 2
    runs = [solve_scip_nlp(z, f, ca.SX.zeros(0), np.zeros(0), np.zeros(0),
                           -2 * np.ones(2), 2 * np.ones(2), Deadline.after(60.0),
                           bound_wait=wait) for wait in (None, 1e-3)]
    assert [r.status for r in runs] == [TerminationStatus.OPTIMAL] * 2
    assert runs[0].iterations == runs[1].iterations > 1  # SCIP's node count
    assert runs[0].objective == runs[1].objective
    fun = ca.Function("f", [z], [f])
    everywhere = lambda a, b: np.ones(a.shape, dtype=bool)  # noqa: E731
    assert runs[0].objective <= _grid_min(fun, everywhere, -2.0, 2.0) + 1e-9


def test_check_of_a_free_lower_level_falls_to_the_multistart_at_the_wait(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """SCIP cannot bound ``_ring`` over free y: the check stops it at ``scip_bound_wait``
    and the multistart decides (ShehuEtal2019Ex42's ℓ1 lower level ran to 10 s per
    check)."""
    statuses = _spy_on_scip(monkeypatch, importlib.import_module("bilevel_mp.checks.verify"))
    prog = BilevelProgram.from_functions(
        1, 4, F=lambda x, y: x[0] ** 2 + ca.sumsqr(y), f=lambda x, y: _ring(y) + x[0] * y[0],
        x_bounds=([-1.0], [1.0]), x0=[0.0], y0=[0.0] * 4)
    t = np.sqrt(2.0)  # a global minimizer of _ring over R⁴, x = 0
    report = LowerLevelChecker(prog).check(np.zeros(1), np.array([t, -t, t, -t]))
    assert statuses == ["timelimit (no finite lower bound after 0.5 s)"]
    assert report.verification is Verification.NO_BETTER_FOUND
    assert report.ll_solver != "scip(global)"


def _double_well() -> BilevelProgram:
    """LL: min_y (y² - 1)² + 0.3 y on [-2, 2] (local min near 0.96, global near -1.04)."""
    return BilevelProgram.from_functions(
        1, 1, F=lambda x, y: x[0] ** 2 + y[0], f=lambda x, y: (y[0] ** 2 - 1) ** 2 + 0.3 * y[0],
        x_bounds=([-1.0], [1.0]), y_bounds=([-2.0], [2.0]), x0=[0.0], y0=[0.0],
    )


def test_check_certifies_global_and_rejects_local_lower_level_minimum() -> None:
    prog = _double_well()
    checker = LowerLevelChecker(prog)
    ys = np.linspace(-2, 2, 400001)
    values = (ys ** 2 - 1) ** 2 + 0.3 * ys
    y_global = ys[np.argmin(values)]
    right = ys > 0
    y_local = ys[right][np.argmin(values[right])]
    good = checker.check(np.zeros(1), np.array([y_global]))
    assert good.ll_solver == "scip(global)" and good.verification is Verification.CERTIFIED
    bad = checker.check(np.zeros(1), np.array([y_local]))
    assert bad.verification is Verification.SUBOPTIMAL
    assert bad.ll_gap == pytest.approx(values[right].min() - values.min(), abs=1e-6)


def test_check_leaves_scip_out_at_a_point_far_outside_the_upper_level() -> None:
    """x̂ = 1.5 lies 0.5 outside x <= 1 (about 5e5 tolerances of 1e-6): no answer,
    whatever its lower level, so the multistart checks it; x̂ = 1 + 2e-5 (about 20
    tolerances) is near feasible and SCIP checks it."""
    prog = _double_well()
    ys = np.linspace(-2, 2, 400001)
    y_global = ys[np.argmin((ys ** 2 - 1) ** 2 + 0.3 * ys)]
    checker = LowerLevelChecker(prog)
    far = checker.check(np.array([1.5]), np.array([y_global]))
    assert not far.ul_feasible and far.ll_solver.startswith("ipopt-multistart")
    assert far.verification is Verification.NO_BETTER_FOUND
    near = checker.check(np.array([1.0 + 2e-5]), np.array([y_global]))
    assert not near.ul_feasible and 1.0 < near.excess <= NEAR_FEASIBLE_FACTOR
    assert near.ll_solver == "scip(global)" and near.verification is Verification.CERTIFIED


def test_check_leaves_scip_out_when_y_violates_the_lower_level() -> None:
    """ŷ = 2.1 lies outside y <= 2: SUBOPTIMAL whatever the re-solve finds, so the
    multistart supplies the better point (the global minimizer near -1.04)."""
    prog = _double_well()
    ys = np.linspace(-2, 2, 400001)
    values = (ys ** 2 - 1) ** 2 + 0.3 * ys
    report = LowerLevelChecker(prog).check(np.zeros(1), np.array([2.1]))
    assert not report.ll_feasible and report.verification is Verification.SUBOPTIMAL
    assert report.ll_solver.startswith("ipopt-multistart")
    assert report.ll_best_value == pytest.approx(values.min(), abs=1e-8)
    assert "violates the lower-level constraints" in report.message


@pytest.mark.parametrize("name", [
    "MitsosBarton2006Ex38", "MitsosBarton2006Ex310",
    # cut points put exactly inside the rows (SCIP's re-solves stop ~1e-8 outside)
    "DempeFranke2011Ex41", "Outrata1990Ex2a",
    # the re-solve's point outside the box of y no longer makes ŷ = 0 look ε-optimal at
    # the tie x = 0.5 of the follower (f(x, ±1) = x - 1/2 = f(x, 0))
    "PaulaviciusAdjiman2017a",
    # x1 = -1 - 3.5e-10 makes the follower's LP unbounded; the repair clips x̂ to -1
    "DempeFranke2011Ex42",
])
def test_llvf_cuts_proves_bolib_records(name: str) -> None:
    """Lower-level feasible set independent of x: cuts are exact and SCIP makes it global
    (BOLIB's recorded F*, rounded to 1e-2 for DempeFranke2011Ex42: 2.13 for 2.125)."""
    ex = bolib_problems.load(name)
    result = solve(ex.program(), method="llvf-cuts")
    assert result.termination is TerminationStatus.OPTIMAL and result.is_proven_optimal
    assert result.verification is Verification.CERTIFIED
    assert result.upper_objective == pytest.approx(ex.known.F_star, abs=6e-3)


def test_llvf_cuts_bounds_mitsos_barton_ex316() -> None:
    """Ex3.16: at x = -1 the follower's ε-optimal set is |y| <= √(2ε), so the relaxation's
    bound (-2.00004) sits below the value of an exact response (-2.00001) by more than the
    optimality tolerance: a certified point and a proven bound, no claim of optimality."""
    ex = bolib_problems.load("MitsosBarton2006Ex316")
    result = solve(ex.program(), method="llvf-cuts")
    assert result.verification is Verification.CERTIFIED
    assert result.upper_objective == pytest.approx(ex.known.F_star, abs=1e-3)
    assert result.proof is not None and result.proof.bound <= result.upper_objective
    assert result.upper_objective - result.proof.bound <= 1e-4
    assert result.stats["exact_cuts"] and result.stats["global_relaxation"]


def test_llvf_cuts_goes_on_locally_when_scip_cannot_bound_its_relaxation(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """F = ring(y) over free y: SCIP's relaxations have no finite bound, so after
    ``scip_bound_wait`` the loop goes on with IPOPT and claims nothing global. The follower
    tracks x (y = x·1), so F = 4x⁴ - 8x² and the bilevel optimum is F* = -4 at x = ±1."""
    # (by module object: bilevel_mp.methods exports a function of the module's name)
    raw = _spy_on_scip(monkeypatch,
                       importlib.import_module("bilevel_mp.methods.value_function_cuts"))
    prog = BilevelProgram.from_functions(
        1, 4, F=lambda x, y: _ring(y), f=lambda x, y: ca.sumsqr(y - x[0]),
        x_bounds=([-1.0], [1.0]), x0=[0.5], y0=[0.0] * 4)
    result = solve(prog, method="llvf-cuts", options={"scip_bound_wait": 0.2})
    assert raw == ["timelimit (no finite lower bound after 0.2 s)"]  # SCIP once, then IPOPT
    assert not result.stats["global_relaxation"]
    assert ("SCIP stopped on a relaxation: timelimit (no finite lower bound after 0.2 s); "
            "the loop went on with IPOPT's local relaxations") in result.message
    assert result.termination is not TerminationStatus.OPTIMAL and result.proof is None
    assert result.verification is Verification.CERTIFIED
    # a local cutting loop: near F*, and never below it (the point is bilevel feasible)
    assert -4.0 - 1e-9 <= result.upper_objective <= -4.0 + 1e-4


def test_llvf_cuts_stops_when_scip_cannot_bound_a_relaxation_with_integer_x() -> None:
    """The same program with x integral: IPOPT cannot take the relaxation, so the loop ends
    at the first relaxation and says so (no local relaxations that it did not run)."""
    prog = BilevelProgram.from_functions(
        1, 4, F=lambda x, y: _ring(y), f=lambda x, y: ca.sumsqr(y - x[0]),
        x_bounds=([-1.0], [1.0]), x0=[1.0], y0=[0.0] * 4)
    prog = dataclasses.replace(prog, x_integer=np.array([True]))
    result = solve(prog, method="llvf-cuts", options={"scip_bound_wait": 0.2})
    assert ("timelimit (no finite lower bound after 0.2 s); the loop stopped there (integer "
            "x needs SCIP's relaxation), no global claim") in result.message
    assert result.termination is not TerminationStatus.OPTIMAL and result.proof is None


def test_llvf_cuts_makes_no_global_claim_when_the_feasible_set_moves() -> None:
    result = solve(bolib_problems.load("Bard1984a").program(), method="llvf-cuts")
    assert result.termination is not TerminationStatus.OPTIMAL
    assert "depends on x" in result.message
    assert result.verification is Verification.CERTIFIED  # still bilevel feasible
