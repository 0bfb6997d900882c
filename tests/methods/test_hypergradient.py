"""Hypergradients against finite differences of x ↦ F(x, y(x)), and the diagnostics.

Independent truth: central differences of the reduced objective with y(x) re-solved by
IPOPT to tolerance 1e-12 (ITD: of its own unrolled objective); hand-derived one-sided
derivatives where strict complementarity fails.
"""

from __future__ import annotations

import casadi as ca
import numpy as np
import pytest

from bilevel_mp import BilevelProgram, solve
from bilevel_mp.errors import ReformulationNotApplicable
from bilevel_mp.methods.implicit import ImplicitOptions, ImplicitProblem

TIGHT = {"tol": 1e-12, "acceptable_tol": 1e-12}


def _quadratic_x_dependent() -> BilevelProgram:
    """Unconstrained LL, Hessian depending on x."""
    return BilevelProgram.from_functions(
        2, 2,
        F=lambda x, y: (y[0] - 1) ** 2 + 2 * (y[1] + 0.5) ** 2 + x[0] * x[1],
        f=lambda x, y: 0.5 * ((2 + x[0] ** 2) * y[0] ** 2 + y[0] * y[1]
                              + (1 + x[1] ** 2) * y[1] ** 2) - x[0] * y[0] - ca.sin(x[1]) * y[1],
        x0=[0.7, -0.4], y0=[0.0, 0.0])


def _exponential() -> BilevelProgram:
    """Unconstrained, strongly convex, not quadratic."""
    return BilevelProgram.from_functions(
        3, 3,
        F=lambda x, y: ca.sumsqr(y - ca.DM([1, 2, 3])) + 0.1 * ca.sumsqr(x),
        f=lambda x, y: ca.sum1(ca.exp(y)) + 0.5 * ca.sumsqr(y) - ca.dot(x, y)
        + 0.3 * y[0] * y[1],
        x0=[0.5, 1.0, 2.0], y0=[0.0, 0.0, 0.0])


def _active_linear() -> BilevelProgram:
    """Projection onto y1 + y2 <= 1: active with a positive multiplier at x = (1, 1.2)."""
    return BilevelProgram.from_functions(
        2, 2, F=lambda x, y: y[0] ** 2 + 3 * y[1] + x[0] * y[1],
        f=lambda x, y: 0.5 * ca.sumsqr(y - x), g=lambda x, y: [y[0] + y[1] - 1],
        x0=[1.0, 1.2], y0=[0.0, 0.0])


def _equality() -> BilevelProgram:
    """Nonlinear objective, one equality depending on x."""
    return BilevelProgram.from_functions(
        1, 2, F=lambda x, y: (y[0] - 2) ** 2 + y[1] ** 3 + x[0],
        f=lambda x, y: y[0] ** 2 + y[1] ** 2 + y[0] * y[1] + ca.exp(0.1 * y[0]),
        h=lambda x, y: [y[0] + 2 * y[1] - x[0] ** 2], x0=[1.3], y0=[0.0, 0.0])


def _active_bound() -> BilevelProgram:
    """y >= 0 active with multiplier -x > 0 (x < 0): dy/dx = 0 on the first component."""
    return BilevelProgram.from_functions(
        2, 2, F=lambda x, y: (y[0] - 1) ** 2 + (y[1] - 1) ** 2 + x[0] ** 2,
        f=lambda x, y: 0.5 * ca.sumsqr(y) - ca.dot(x, y) + 0.1 * y[0] * y[1],
        y_bounds=([0.0, 0.0], [None, None]), x0=[-0.5, 0.8], y0=[1.0, 1.0])


def _nonlinear_constraint() -> BilevelProgram:
    """A disc constraint ‖y‖² <= x0 active, two x."""
    return BilevelProgram.from_functions(
        2, 2, F=lambda x, y: y[0] + 2 * y[1] + 0.5 * ca.sumsqr(x),
        f=lambda x, y: (y[0] - 2) ** 2 + (y[1] - x[1]) ** 2,
        g=lambda x, y: [y[0] ** 2 + y[1] ** 2 - x[0]], x0=[1.5, 0.7], y0=[0.0, 0.0])


PROBLEMS = {
    "quadratic": _quadratic_x_dependent, "exponential": _exponential,
    "active-linear": _active_linear, "equality": _equality, "active-bound": _active_bound,
    "disc": _nonlinear_constraint,
}


def _reduced(problem: ImplicitProblem, x: np.ndarray) -> float:
    y, _, _ = problem.lower_level(x, 0.0)
    return float(problem.program.evaluate(x, y)["F"])


def _central(fun, x: np.ndarray, h: float = 1e-5) -> np.ndarray:
    return np.array([(fun(x + h * e) - fun(x - h * e)) / (2 * h) for e in np.eye(x.size)])


@pytest.mark.parametrize("variant", ["exact", "aid"])
@pytest.mark.parametrize("name", list(PROBLEMS))
def test_hypergradient_matches_finite_differences(name: str, variant: str) -> None:
    program = PROBLEMS[name]()
    problem = ImplicitProblem(program, ImplicitOptions(hypergradient=variant,
                                                       ll_ipopt_options=TIGHT))
    x = np.asarray(program.x0, dtype=float)
    _, grad = problem.value_and_gradient(x, 0.0)
    fd = _central(lambda z: _reduced(problem, z), x)
    np.testing.assert_allclose(grad, fd, rtol=1e-5, atol=1e-7)
    assert problem.diag.summary() == ""


@pytest.mark.parametrize("name", ["quadratic", "exponential", "active-bound"])
def test_itd_gradient_matches_its_unrolled_objective(name: str) -> None:
    program = PROBLEMS[name]()
    problem = ImplicitProblem(program, ImplicitOptions(hypergradient="itd", itd_steps=60))
    x = np.asarray(program.x0, dtype=float)
    y0 = np.clip(program.y0, program.y_lb, program.y_ub)
    unrolled = problem.unrolled(0.0)
    value, grad = problem.value_and_gradient(x, 0.0)
    assert value == pytest.approx(unrolled(x, y0)[0], rel=1e-14)
    fd = _central(lambda z: unrolled(z, y0)[0], x, h=1e-6)
    np.testing.assert_allclose(grad, fd, rtol=1e-5, atol=1e-8)


def test_itd_approaches_the_exact_hypergradient_with_more_steps() -> None:
    program = _exponential()
    x = np.asarray(program.x0, dtype=float)
    exact = ImplicitProblem(program, ImplicitOptions(ll_ipopt_options=TIGHT))
    _, g_exact = exact.value_and_gradient(x, 0.0)
    errors = []
    for steps in (3, 8, 20):
        itd = ImplicitProblem(program, ImplicitOptions(hypergradient="itd", itd_steps=steps))
        errors.append(np.linalg.norm(itd.value_and_gradient(x, 0.0)[1] - g_exact))
    assert errors[0] > errors[1] > errors[2] and errors[2] < 1e-6


def test_strict_complementarity_failure_gives_the_one_sided_derivative() -> None:
    """y(x) = max(x, 0) at x = 0: the constraint y >= 0 is weakly active; the derivative
    used is the right one, d y/dx = 1, and the result says so."""
    program = BilevelProgram.from_functions(
        1, 1, F=lambda x, y: y[0] + 0.5 * x[0] ** 2, f=lambda x, y: 0.5 * (y[0] - x[0]) ** 2,
        y_bounds=([0.0], [None]), x0=[0.0], y0=[0.0])
    problem = ImplicitProblem(program, ImplicitOptions(ll_ipopt_options=TIGHT))
    _, grad = problem.value_and_gradient(np.zeros(1), 0.0)
    h = 1e-3  # y(x) = x exactly for x > 0, so the forward difference is 1 + h/2 up to ŷ(0)
    right = (_reduced(problem, np.array([h])) - _reduced(problem, np.zeros(1))) / h
    assert grad[0] == pytest.approx(right, abs=2e-3) and grad[0] == pytest.approx(1.0, abs=1e-6)
    assert problem.diag.strict_complementarity == 1
    assert "one-sided" in problem.diag.summary() and "y[0] >= 0" in problem.diag.summary()


def test_llicq_failure_and_singular_hessian_are_reported() -> None:
    duplicated = BilevelProgram.from_functions(
        1, 1, F=lambda x, y: y[0], f=lambda x, y: 0.5 * (y[0] - x[0]) ** 2,
        g=lambda x, y: [y[0] - 1, 2 * y[0] - 2], x0=[3.0], y0=[0.0])
    problem = ImplicitProblem(duplicated, ImplicitOptions())
    problem.value_and_gradient(np.array([3.0]), 0.0)
    assert problem.diag.llicq >= 1 and "LLICQ" in problem.diag.summary()
    flat = BilevelProgram.from_functions(
        1, 2, F=lambda x, y: y[0] ** 2 + y[1] ** 2, f=lambda x, y: 0.5 * (y[0] + y[1] - x[0]) ** 2,
        x0=[1.0], y0=[0.0, 0.0])
    problem = ImplicitProblem(flat, ImplicitOptions())
    problem.value_and_gradient(np.array([1.0]), 0.0)
    assert problem.diag.singular == 1 and "not isolated" in problem.diag.summary()


def test_tikhonov_selects_the_minimum_norm_lower_level_solution() -> None:
    """f = ½(y1 + y2 - x)² has a line of solutions; with ψ = ½‖y‖² and α -> 0 the
    selected y(x) = (x/2, x/2), so F = (y1 - 1)² + y2² + (x - 3)² / 10 is least at the
    x solving d/dx [(x/2 - 1)² + x²/4 + (x - 3)²/10] = 0, i.e. x = 8/6 ... computed below."""
    program = BilevelProgram.from_functions(
        1, 2, F=lambda x, y: (y[0] - 1) ** 2 + y[1] ** 2 + (x[0] - 3) ** 2 / 10,
        f=lambda x, y: 0.5 * (y[0] + y[1] - x[0]) ** 2, x0=[0.0], y0=[0.0, 0.0])
    # d/dx: (x/2 - 1) + x/2 + (x - 3)/5 = 0  ->  x (1 + 1/5) = 1 + 3/5  ->  x = 4/3
    result = solve(program, method="implicit",
                   options={"tikhonov": 1e-2, "tikhonov_min": 1e-7})
    assert result.x_array[0] == pytest.approx(4 / 3, abs=1e-4)
    np.testing.assert_allclose(result.y_array, [2 / 3, 2 / 3], atol=1e-4)


def test_coupling_upper_level_constraints_are_named() -> None:
    program = BilevelProgram.from_functions(
        1, 1, F=lambda x, y: y[0], f=lambda x, y: 0.5 * (y[0] - x[0]) ** 2,
        G=lambda x, y: [x[0] - 2, x[0] + y[0] - 3], x0=[0.0], y0=[0.0])
    with pytest.raises(ReformulationNotApplicable, match=r"G\[1\]"):
        solve(program, method="implicit")


@pytest.mark.parametrize("variant", ["exact", "aid", "itd"])
def test_implicit_solves_closed_form(variant: str) -> None:
    """min (x-1)² + (y-2)²,  y = argmin ½y² - x y on [0, 3]: x = y = 1.5."""
    program = BilevelProgram.from_functions(
        1, 1, F=lambda x, y: (x[0] - 1) ** 2 + (y[0] - 2) ** 2,
        f=lambda x, y: 0.5 * y[0] ** 2 - x[0] * y[0], x_bounds=([-5.0], [5.0]),
        y_bounds=([0.0], [3.0]), x0=[0.5], y0=[0.5])
    result = solve(program, method="implicit", options={"hypergradient": variant,
                                                        "itd_steps": 300})
    np.testing.assert_allclose([result.x_array[0], result.y_array[0]], [1.5, 1.5], atol=1e-4)


def test_program_without_upper_level_variables_solves_the_lower_level_once() -> None:
    """A simple bilevel program (nx = 0): y(x) is one point, nothing to optimize over."""
    program = BilevelProgram.from_functions(
        0, 2, F=lambda x, y: y[0] + y[1], f=lambda x, y: (y[0] - 1) ** 2 + (y[1] + 2) ** 2,
        y0=[0.0, 0.0])
    result = solve(program, method="implicit")
    np.testing.assert_allclose(result.y_array, [1.0, -2.0], atol=1e-7)
    assert result.stats["lower_level_solves"] == 1
