"""The plot helpers: the data each figure draws, checked against hand computations."""

from __future__ import annotations

import sys

import matplotlib  # noqa: F401  (the extra "test" installs it; a missing plot library fails)
import numpy as np
import pyomo.environ as pyo
import pytest

import bilevel_mp as bmp
from bilevel_mp import plots
from bilevel_mp.bench.records import Outcome
from tests.modeling.test_modeling import contract_model


def _o(problem, method, seconds, solved=True):
    return Outcome(problem, method, "ok", verification="CERTIFIED" if solved else "SUBOPTIMAL",
                   solved=solved, seconds=seconds, upper_objective=0.0)


def _lines(fig):
    return {line.get_label(): (np.asarray(line.get_xdata(), float),
                               np.asarray(line.get_ydata(), float))
            for ax in fig.axes for line in ax.get_lines()}


def test_performance_profile_draws_the_hand_computed_steps():
    # p1: A 1 s, B 2 s; p2: A 4 s, B 1 s; p3: A unsolved, B 3 s.
    # Ratios A: 1, 4, inf -> rho = 1/3 from tau 1, 2/3 from tau 4 (never 1).
    # Ratios B: 2, 1, 1   -> rho = 2/3 from tau 1, 1 from tau 2.
    outcomes = [_o("p1", "A", 1), _o("p1", "B", 2), _o("p2", "A", 4), _o("p2", "B", 1),
                _o("p3", "A", 5, solved=False), _o("p3", "B", 3)]
    lines = _lines(plots.performance_profile(outcomes))
    tau_a, rho_a = lines["A"]
    tau_b, rho_b = lines["B"]
    end = 4 * 1.5  # the lines are held to 1.5 times the largest finite ratio
    np.testing.assert_allclose(tau_a, [1, 1, 4, end])
    np.testing.assert_allclose(rho_a, [1 / 3, 1 / 3, 2 / 3, 2 / 3])
    np.testing.assert_allclose(tau_b, [1, 1, 1, 2, end])
    np.testing.assert_allclose(rho_b, [2 / 3, 2 / 3, 2 / 3, 1, 1])


def test_profile_of_comparisons_counts_verified_points_and_uses_their_times():
    first = bmp.compare(contract_model(), ["kkt-bigm", "kkt-scholtes"])
    second = bmp.compare(contract_model(), ["kkt-bigm", "kkt-scholtes"])
    outcomes = plots.outcomes_of({"one": first, "two": second})
    assert [(o.problem, o.method, o.solved) for o in outcomes] == [
        ("one", "kkt-bigm", True), ("one", "kkt-scholtes", True),
        ("two", "kkt-bigm", True), ("two", "kkt-scholtes", True)]
    lines = _lines(plots.performance_profile({"one": first, "two": second}))
    # both methods solve both models, so each reaches rho = 1 at the larger of its ratios
    for method in ("kkt-bigm", "kkt-scholtes"):
        ratios = [c.seconds[method] / min(c.seconds.values()) for c in (first, second)]
        tau, rho = lines[method]
        assert rho[-1] == 1.0
        assert tau[np.argmax(rho == 1.0)] == pytest.approx(max(ratios))


def test_homotopy_path_draws_each_stage():
    results = bmp.compare(contract_model(), ["kkt-scholtes", "kkt-fb", "kkt-bigm"])
    fig = plots.homotopy_path(results)
    residual_ax, value_ax = fig.axes
    for method, parameter in (("kkt-scholtes", "t"), ("kkt-fb", "mu")):
        stages = results[method].stats["stages"]
        label = f"{method} ({parameter})"
        (t, r), = [(ln.get_xdata(), ln.get_ydata()) for ln in residual_ax.get_lines()
                   if ln.get_label() == label]
        (t2, F), = [(ln.get_xdata(), ln.get_ydata()) for ln in value_ax.get_lines()
                    if ln.get_label() == label]
        np.testing.assert_allclose(t, [s["param"] for s in stages if s["residual"] > 0])
        np.testing.assert_allclose(r, [s["residual"] for s in stages if s["residual"] > 0])
        np.testing.assert_allclose(t2, 0.1 ** np.arange(len(stages)))
        np.testing.assert_allclose(F, 1.0, atol=1e-6)  # F = 2x = 1 on every stage
    # kkt-bigm has no homotopy: not drawn
    assert not any("kkt-bigm" in ln.get_label() for ln in residual_ax.get_lines())
    with pytest.raises(bmp.OptionError, match="no result has homotopy stages"):
        plots.homotopy_path({"kkt-bigm": results["kkt-bigm"]})


def test_landscape_of_one_variable_is_the_follower_objective_where_feasible():
    # contract model at x̂ = 0.5: f(x̂, y) = (y - 0.5)², feasible for 0 <= y <= 2x̂ = 1;
    # the default range is [lb, ŷ + max(1, 2|ŷ|)] = [0, 1.5]
    m = contract_model()
    res = bmp.solve(m, method="kkt-bigm")
    lines = _lines(plots.lower_level_landscape(m, res, points=31))
    y, f = lines["f(x̂, y), y feasible"]
    np.testing.assert_allclose(y, np.linspace(0, 1.5, 31))
    feasible = y <= 1.0 + 1e-12
    np.testing.assert_allclose(f[feasible], (y[feasible] - 0.5) ** 2, atol=1e-12)
    assert np.all(np.isnan(f[~feasible]))
    (y_hat,), (f_hat,) = lines["ŷ"]
    assert (y_hat, f_hat) == pytest.approx((0.5, 0.0), abs=1e-9)


def test_landscape_in_the_followers_sense_and_in_two_dimensions():
    # LL: max -(y1 - x)² - (y2 - 1)² s.t. y1 + y2 <= 1 over [-1, 2]²; UL: min (x - 1)² + y1²
    m = pyo.ConcreteModel()
    m.x = pyo.Var(bounds=(0, 2))
    m.L = bmp.LowerLevel()
    m.L.y1 = pyo.Var(bounds=(-1, 2))
    m.L.y2 = pyo.Var(bounds=(-1, 2))
    m.L.obj = pyo.Objective(expr=-(m.L.y1 - m.x) ** 2 - (m.L.y2 - 1) ** 2,
                            sense=pyo.maximize)
    m.L.c = pyo.Constraint(expr=m.L.y1 + m.L.y2 <= 1)
    m.obj = pyo.Objective(expr=(m.x - 1) ** 2 + m.L.y1 ** 2)
    res = bmp.solve(m, method="kkt-scholtes")
    fig = plots.lower_level_landscape(m, res, points=41)
    (y1, y2), = [(ln.get_xdata(), ln.get_ydata()) for ln in fig.axes[0].get_lines()]
    assert (float(y1[0]), float(y2[0])) == pytest.approx(tuple(res.y_array), abs=1e-9)
    contours = fig.axes[0].collections[0]
    # filled levels span the follower's values over its feasible set (max sense: <= 0)
    assert contours.levels.max() <= 1e-9 and contours.levels.min() < -1.0
    with pytest.raises(bmp.OptionError, match="1 or 2 lower-level variables"):
        m3 = m.clone()
        m3.L.y3 = pyo.Var(bounds=(0, 1))
        plots.lower_level_landscape(m3, res)
    with pytest.raises(bmp.OptionError, match="y_range"):
        plots.lower_level_landscape(m, res, y_range=[(0, 1)])


def test_bad_arguments_are_option_errors():
    res = bmp.solve(contract_model(), method="kkt-bigm")
    with pytest.raises(bmp.OptionError, match="results must be"):
        plots.homotopy_path(3)
    with pytest.raises(bmp.OptionError, match="is not a BilevelResult"):
        plots.homotopy_path({"a": 3})
    with pytest.raises(bmp.OptionError, match="result must be"):
        plots.lower_level_landscape(contract_model(), {"x": 1})
    with pytest.raises(bmp.OptionError, match="points must be"):
        plots.lower_level_landscape(contract_model(), res, points=2)
    with pytest.raises(bmp.OptionError, match="results must be"):
        plots.performance_profile(3)


def test_without_matplotlib_the_error_names_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "matplotlib.figure", None)
    with pytest.raises(bmp.OptionalDependencyError, match=r"matplotlib.*\[report\]"):
        plots.performance_profile([_o("p", "A", 1)])
