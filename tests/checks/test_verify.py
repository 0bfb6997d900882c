"""The lower-level re-solve: exact (HiGHS) where the LL is a convex LP/QP, global (SCIP)
where SCIP can express it, else multistart."""

from __future__ import annotations

import casadi as ca
import numpy as np
import pytest

from bilevel_mp import BilevelProgram, Verification
from bilevel_mp.checks.verify import LowerLevelChecker, VerifyOptions

NO_SCIP = VerifyOptions(scip_max_vars=0)


def contract_program() -> BilevelProgram:
    # LL: min (y - x)^2 s.t. y <= 2x, y >= 0 -> y(x) = x for x >= 0
    return BilevelProgram.from_functions(
        1, 1, F=lambda x, y: x[0] + y[0], f=lambda x, y: (y[0] - x[0]) ** 2,
        g=lambda x, y: [y[0] - 2 * x[0]], y_bounds=([0.0], [None]), x_bounds=([0], [10]))


def test_convex_qp_lower_level_is_certified_at_its_solution():
    report = LowerLevelChecker(contract_program()).check(np.array([1.0]), np.array([1.0]))
    assert report.verification is Verification.CERTIFIED
    assert report.ll_solver == "highs-qp"
    assert abs(report.ll_gap) < 1e-9


def test_suboptimal_lower_level_point_reports_the_gap():
    report = LowerLevelChecker(contract_program()).check(np.array([1.0]), np.array([0.5]))
    assert report.verification is Verification.SUBOPTIMAL
    assert report.ll_gap == pytest.approx(0.25, abs=1e-9)


def test_infeasible_lower_level_point_is_suboptimal_with_violation():
    report = LowerLevelChecker(contract_program()).check(np.array([1.0]), np.array([3.0]))
    assert report.verification is Verification.SUBOPTIMAL
    assert report.ll_violation == pytest.approx(1.0)
    assert "violates" in report.message


def test_lp_lower_level_uses_highs_lp_and_detects_unbounded():
    # LL: min_y x*y over y in [0, inf): at x = 1 the optimum is y = 0; at x = -1 unbounded.
    prog = BilevelProgram.from_functions(
        1, 1, F=lambda x, y: x[0] ** 2, f=lambda x, y: x[0] * y[0], y_bounds=([0.0], [None]))
    checker = LowerLevelChecker(prog)
    ok = checker.check(np.array([1.0]), np.array([0.0]))
    assert (ok.verification, ok.ll_solver) == (Verification.CERTIFIED, "highs-lp")
    bad = checker.check(np.array([-1.0]), np.array([0.0]))
    assert bad.verification is Verification.SUBOPTIMAL
    assert bad.ll_gap == np.inf


@pytest.mark.parametrize(("options", "global_solver"), [(NO_SCIP, "ipopt-multistart"),
                                                        (VerifyOptions(), "scip(global)")])
def test_x_dependent_hessian_uses_highs_only_where_convex(options, global_solver):
    # LL: min_y x*y^2 - y over y in [-3, 3]: convex at x = 1 (y = 0.5), concave at x = -1.
    if global_solver == "scip(global)":
        pytest.importorskip("pyscipopt")
    prog = BilevelProgram.from_functions(
        1, 1, F=lambda x, y: x[0] ** 2, f=lambda x, y: x[0] * y[0] ** 2 - y[0],
        y_bounds=([-3.0], [3.0]))
    checker = LowerLevelChecker(prog, options=options)
    convex = checker.check(np.array([1.0]), np.array([0.5]))
    assert (convex.verification, convex.ll_solver) == (Verification.CERTIFIED, "highs-qp")
    # at x = -1, f = -y^2 - y: global min over [-3, 3] at y = 3 (f = -12), y = -3 gives -6
    local = checker.check(np.array([-1.0]), np.array([-3.0]))
    assert local.verification is Verification.SUBOPTIMAL
    assert local.ll_solver.startswith(global_solver)
    assert local.ll_gap == pytest.approx(6.0, abs=1e-6)
    best = checker.check(np.array([-1.0]), np.array([3.0]))
    assert best.verification is (Verification.CERTIFIED if global_solver == "scip(global)"
                                 else Verification.NO_BETTER_FOUND)


def test_large_qp_convex_only_at_x_hat_goes_to_ipopt_and_is_certified():
    # LL: min_y ½ Σ x_j y_j² - Σ y_j: its Hessian diag(x) is PSD only for x >= 0, so
    # convexity is not proven for all x; at x̂ = (1, 2, 4) it is, and with HiGHS capped at
    # 2 variables the exact re-solve is IPOPT's (y_j = 1/x_j, f* = -Σ 1/(2 x_j) = -0.875).
    prog = BilevelProgram.from_functions(
        3, 3, F=lambda x, y: ca.sumsqr(y), f=lambda x, y: 0.5 * ca.dot(x, y * y) - ca.sum1(y))
    checker = LowerLevelChecker(prog, options=VerifyOptions(highs_qp_max_size=2,
                                                            scip_max_vars=0))
    x_hat = np.array([1.0, 2.0, 4.0])
    ok = checker.check(x_hat, 1.0 / x_hat)
    # at the optimum the Lagrangian bound proves it without building IPOPT
    assert (ok.verification, ok.ll_solver) == (Verification.CERTIFIED,
                                               "lagrangian bound (convex QP)")
    assert ok.ll_best_value == pytest.approx(-0.875, abs=1e-12)
    off = checker.check(x_hat, np.ones(3))
    assert (off.verification, off.ll_solver) == (Verification.SUBOPTIMAL,
                                                 "ipopt(convex QP)")
    assert off.ll_gap == pytest.approx(0.5 * 7 - 3 + 0.875, abs=1e-7)


def _chain_program(n: int) -> BilevelProgram:
    # LL: min_y Σ (y_i - x_i)² + ½ Σ (y_i - y_{i+1})² s.t. y >= 0, Σ y <= n/4, y_0 = y_1:
    # benchmarks/overhead.py's lower level with an equality row; at x = (1, ..., 1) the
    # budget binds, at x with negative entries bounds bind
    return BilevelProgram.from_functions(
        n, n, F=lambda x, y: ca.sumsqr(y),
        f=lambda x, y: ca.sumsqr(y - x) + 0.5 * ca.sumsqr(y[1:] - y[:-1]),
        g=lambda x, y: [ca.sum1(y) - n / 4], h=lambda x, y: [y[0] - y[1]],
        y_bounds=([0.0] * n, [None] * n))


@pytest.mark.parametrize("x_kind", ["budget", "bounds"])
def test_lagrangian_bound_changes_no_verdict_of_the_convex_qp_resolve(x_kind, monkeypatch):
    # the bound only replaces IPOPT where it proves ŷ exact; each point gets the verdict
    # and gap of the IPOPT route: the optimum, points off it by 1e-9 to 1e-2 in f, and a
    # point a hair outside the bounds (admitted, the rows relaxed by its violation)
    n = 40
    prog = _chain_program(n)
    options = VerifyOptions(highs_qp_max_size=n - 1, scip_max_vars=0)
    x_hat = np.ones(n) if x_kind == "budget" else np.linspace(-1.0, 1.0, n)
    exact = LowerLevelChecker(prog, options=VerifyOptions(scip_max_vars=0))
    y_star = exact.check(x_hat, np.full(n, 0.1)).ll_best_y  # HiGHS's optimum
    rng = np.random.default_rng(7)

    def feasible_near(step: float) -> np.ndarray:
        y = np.maximum(y_star + step * rng.normal(size=n), 0.0)
        y[1] = y[0]
        return y * min(1.0, n / 4 / y.sum())
    points = [y_star, *(feasible_near(s) for s in (1e-9, 1e-6, 1e-3)), y_star - 1e-9]
    with_bound = LowerLevelChecker(prog, options=options)
    without = LowerLevelChecker(prog, options=options)
    monkeypatch.setattr(without, "_dual_certificate", lambda *args: None)
    seen = []
    for y in points:
        a, b = with_bound.check(x_hat, y), without.check(x_hat, y)
        assert a.verification is b.verification, (a.message, b.message)
        assert a.ll_gap == pytest.approx(b.ll_gap, abs=1e-7)
        seen.append((a.verification, a.ll_solver))
    assert seen[0] == (Verification.CERTIFIED, "lagrangian bound (convex QP)")
    # the points 1e-3 off are admitted and suboptimal: IPOPT's better point shows it
    assert seen[3] == (Verification.SUBOPTIMAL, "ipopt(convex QP)")


def _sine_program() -> BilevelProgram:
    # LL: min_y -y^2 + 0.1 y*sin(y) over [-1, 1]: not quadratic; global minima at y = ±1.
    return BilevelProgram.from_functions(
        1, 1, F=lambda x, y: y[0], f=lambda x, y: -y[0] ** 2 + 0.1 * y[0] * ca.sin(y[0]),
        y_bounds=([-1.0], [1.0]))


def test_nonconvex_lower_level_certified_by_scip():
    pytest.importorskip("pyscipopt")
    checker = LowerLevelChecker(_sine_program())
    best = checker.check(np.array([0.0]), np.array([1.0]))
    assert (best.verification, best.ll_solver) == (Verification.CERTIFIED, "scip(global)")
    assert checker.check(np.array([0.0]), np.array([0.0])).verification is (
        Verification.SUBOPTIMAL)


def test_nonconvex_lower_level_never_certified_without_a_global_solver():
    prog = _sine_program()
    checker = LowerLevelChecker(prog, options=NO_SCIP)
    stationary = checker.check(np.array([0.0]), np.array([0.0]))  # a local maximum
    assert stationary.verification is Verification.SUBOPTIMAL
    best = checker.check(np.array([0.0]), np.array([1.0]))
    assert best.verification is Verification.NO_BETTER_FOUND
    assert checker.structure.ll_kind == "NLP"


@pytest.mark.parametrize("method", ["llvf-sn", "llvf-cuts"])
def test_methods_that_verify_use_the_callers_checker_and_verify_each_point_once(
        method, monkeypatch):
    """A method that verifies inside its loop gets the API's checker: the user's
    ``verify_options`` hold there, and the final point is not re-solved a second time."""
    import bilevel_mp as bmp
    from bilevel_mp.checks import verify

    checkers, verified = [], []
    init, run = verify.LowerLevelChecker.__init__, verify.LowerLevelChecker._verify

    def counting_init(self, *args, **kwargs):
        checkers.append(self)
        init(self, *args, **kwargs)

    def counting_verify(self, x, y, deadline):
        verified.append((x.tobytes(), y.tobytes()))
        return run(self, x, y, deadline)

    monkeypatch.setattr(verify.LowerLevelChecker, "__init__", counting_init)
    monkeypatch.setattr(verify.LowerLevelChecker, "_verify", counting_verify)
    res = bmp.solve(contract_program(), method=method, verify_options={"n_starts": 3})
    assert res.verification is Verification.CERTIFIED
    assert res.x_array == pytest.approx([0.0], abs=1e-6)  # F = 2x at y = x, x >= 0
    assert len(checkers) == 1 and checkers[0].options.n_starts == 3
    assert len(verified) == len(set(verified))  # no point verified twice
    assert (res.x_array.tobytes(), res.y_array.tobytes()) in verified


def test_a_checker_returns_the_report_of_a_point_it_verified_before():
    checker = LowerLevelChecker(contract_program())
    first = checker.check(np.array([1.0]), np.array([0.5]))
    assert checker.check(np.array([1.0]), np.array([0.5])) is first
    assert checker.check(np.array([1.0]), np.array([1.0])) is not first
    assert checker.for_program(checker.program) is checker


def test_a_global_solvers_bound_alone_is_inconclusive(monkeypatch):
    # LL min (y - 1)^2 + y^4 sin(y) on [-2, 2] (not a convex QP: the global tier answers).
    # The global solver stops with ŷ as its incumbent and a bound 0.5 below it: nothing
    # shows a better point, and nothing proves ŷ optimal.
    from bilevel_mp.checks import verify

    prog = BilevelProgram.from_functions(
        1, 1, F=lambda x, y: y[0], f=lambda x, y: (y[0] - 1) ** 2 + y[0] ** 4 * ca.sin(y[0]),
        y_bounds=([-2.0], [2.0]), x_bounds=([0.0], [1.0]))
    y_hat = np.array([0.7])
    value = float(prog.evaluate(np.array([0.5]), y_hat)["f"])
    monkeypatch.setattr(LowerLevelChecker, "_global", lambda self, x, y, adm, deadline:
                        verify._Resolve("scip(global)", value, y, bound=value - 0.5))
    report = LowerLevelChecker(prog).check(np.array([0.5]), y_hat)
    assert report.verification is Verification.NOT_CHECKED
    assert report.ll_gap == 0.0
    assert report.message.startswith("inconclusive")
    monkeypatch.setattr(LowerLevelChecker, "_global", lambda self, x, y, adm, deadline:
                        verify._Resolve("scip(global)", value - 0.5, y - 0.1, bound=value - 0.5))
    worse = LowerLevelChecker(prog).check(np.array([0.5]), y_hat)
    assert worse.verification is Verification.SUBOPTIMAL
