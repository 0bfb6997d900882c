"""Sensitivities against central finite differences of re-solves and closed forms.

Truth: each parameter moved by ±1e-4 in a new model solved from scratch
(``kkt-scholtes`` with IPOPT at tol 1e-12, or the ``implicit`` method); closed forms of
the solution map where the cases give them, differentiated by central differences of the
formula. Acceptance (issue 18): relative error ``‖J - J_fd‖∞ / max(1, ‖J_fd‖∞)`` at most
1e-5 at nondegenerate points; one-sided derivatives checked with one-sided differences at
the degenerate ones.
"""

from __future__ import annotations

import numpy as np
import pytest

import bilevel_mp as bmp
from tests.sensitivity import problems
from tests.sensitivity.problems import CASES, Case

ACCEPT = 1e-5


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_sensitivity_matches_central_differences_of_resolves(case: Case):
    result, model = problems.solve(case, case.values)
    sens = bmp.sensitivity(result, [model.component(name) for name in case.values])
    assert not sens.degenerate, sens.message
    assert "nondegenerate" in sens.message
    assert sens.params == tuple(case.values)
    computed = problems.jacobian(sens)
    truth = problems.central_differences(case)
    assert problems.relative_error(computed, truth) <= ACCEPT, (computed, truth)
    # both sides agree with the derivative at a nondegenerate point
    np.testing.assert_array_equal(problems.jacobian(sens, sens.right), computed)
    np.testing.assert_array_equal(problems.jacobian(sens, sens.left), computed)


@pytest.mark.parametrize("case", [c for c in CASES if c.solution is not None],
                         ids=lambda c: c.name)
def test_sensitivity_matches_the_closed_form(case: Case):
    result, _ = problems.solve(case, case.values)
    np.testing.assert_allclose(problems.point(result), case.solution(case.values), atol=1e-6)
    sens = bmp.sensitivity(result, list(case.values))  # parameters by name
    step = 1e-6
    analytic = np.column_stack([
        (case.solution({**case.values, k: v + step}) - case.solution({**case.values, k: v - step}))
        / (2 * step) for k, v in case.values.items()])
    assert problems.relative_error(problems.jacobian(sens), analytic) <= ACCEPT


def test_closed_form_values_by_hand():
    """The first case's derivatives written out: x = (b + 3 - a)/2, y = x + a,
    F = (x - b)² + (y - 3)² = (3 - a - b)²/2."""
    case = CASES[0]
    result, model = problems.solve(case, case.values)
    sens = bmp.sensitivity(result, [model.a, model.b])
    a, b = case.values["a"], case.values["b"]
    assert sens.dx["x"] == pytest.approx({"a": -0.5, "b": 0.5}, abs=1e-9)
    assert sens.dy["L.y"] == pytest.approx({"a": 0.5, "b": 0.5}, abs=1e-9)
    assert sens.dF == pytest.approx({"a": -(3 - a - b), "b": -(3 - a - b)}, abs=1e-9)


def test_maximization_reports_dF_in_the_users_sense():
    """The LP-LP case maximizes x + y: F* = 2r - s."""
    case = next(c for c in CASES if c.name == "linear")
    result, model = problems.solve(case, case.values)
    sens = bmp.sensitivity(result, [model.r, model.s])
    assert sens.dF == pytest.approx({"r": 2.0, "s": -1.0}, abs=1e-8)
    assert sens.dx["x"] == pytest.approx({"r": 1.0, "s": 0.0}, abs=1e-8)
    assert sens.dy["L.y"] == pytest.approx({"r": 1.0, "s": -1.0}, abs=1e-8)
