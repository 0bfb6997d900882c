"""Every KKT method on the literature problems, against their known optima.

For the (problem, method) pairs listed in ``EXPECTED`` the test asserts
``|F - F*| <= 1e-3 max(1, |F*|)`` and a CERTIFIED (convex LL) or NO_BETTER_FOUND
(non-convex LL) verification. The list was measured, not assumed; a pair that leaves it
is a regression, a pair that joins it is an improvement to record here.

For every pair, whatever the outcome, the verification must not lie: a point reported
CERTIFIED or NO_BETTER_FOUND is checked against a brute-force minimization of the lower
level at the returned x (a dense grid plus local polish, independent of the library).
"""

from __future__ import annotations

import itertools
import warnings

import numpy as np
import pyomo.environ as pyo
import pytest
from scipy.optimize import minimize

import bilevel_mp as bmp
from bilevel_mp.methods.auto import GLOBAL_METHODS
from bilevel_mp.modeling.compile import compile_pyomo
from bilevel_mp.reformulations.bigm import linear_kkt_reason
from tests.problems.literature import PROBLEMS

KKT_METHODS = [m for m in bmp.methods() if m.startswith("kkt-")]

# Measured with every method on every problem (2026-11-22); a pair listed here must keep
# reaching F* within 1e-3 relative with a verified answer.
EXPECTED: dict[str, set[str]] = {
    "AnandalinghamWhite1990": {"kkt-bigm", "kkt-fb", "kkt-kadrani", "kkt-kanzow-schwartz"},
    "Bard1984a": {
        "kkt-bigm",
        "kkt-fb",
        "kkt-kadrani",
        "kkt-kanzow-schwartz",
        "kkt-min",
        "kkt-penalty",
        "kkt-product",
        "kkt-scholtes",
    },
    "Bard1991Ex2": {
        "kkt-bigm",
        "kkt-fb",
        "kkt-kanzow-schwartz",
        "kkt-lin-fukushima",
        "kkt-min",
        "kkt-penalty",
        "kkt-scholtes",
        "kkt-steffensen-ulbrich",
    },
    "BardFalk1982Ex2": {
        "kkt-bigm",
        "kkt-fb",
        "kkt-kadrani",
        "kkt-lin-fukushima",
        "kkt-min",
        "kkt-penalty",
        "kkt-product",
        "kkt-scholtes",
        "kkt-steffensen-ulbrich",
    },
    "BialasKarwan1984a": {
        "kkt-bigm",
        "kkt-fb",
        "kkt-kadrani",
        "kkt-kanzow-schwartz",
        "kkt-lin-fukushima",
        "kkt-min",
        "kkt-penalty",
        "kkt-scholtes",
        "kkt-steffensen-ulbrich",
    },
    "CandlerTownsley1982": {
        "kkt-bigm",
        "kkt-fb",
        "kkt-kadrani",
        "kkt-kanzow-schwartz",
        "kkt-lin-fukushima",
        "kkt-min",
        "kkt-penalty",
        "kkt-scholtes",
    },
    "ClarkWesterberg1988": {
        "kkt-bigm",
        "kkt-fb",
        "kkt-kadrani",
        "kkt-kanzow-schwartz",
        "kkt-lin-fukushima",
        "kkt-min",
        "kkt-penalty",
        "kkt-product",
        "kkt-scholtes",
        "kkt-steffensen-ulbrich",
    },
    "HaurieSavardWhite1990": {
        "kkt-bigm",
        "kkt-fb",
        "kkt-kanzow-schwartz",
        "kkt-lin-fukushima",
        "kkt-min",
        "kkt-penalty",
    },
    "LiuHart1994": {
        "kkt-bigm",
        "kkt-fb",
        "kkt-kadrani",
        "kkt-lin-fukushima",
        "kkt-min",
        "kkt-penalty",
        "kkt-scholtes",
        "kkt-steffensen-ulbrich",
    },
    "AllendeStill2013": {
        "kkt-fb",
        "kkt-kadrani",
        "kkt-kanzow-schwartz",
        "kkt-lin-fukushima",
        "kkt-min",
        "kkt-penalty",
        "kkt-product",
        "kkt-scholtes",
        "kkt-steffensen-ulbrich",
    },
    "Bard1988Ex1": {
        "kkt-bigm",
        "kkt-fb",
        "kkt-kadrani",
        "kkt-kanzow-schwartz",
        "kkt-lin-fukushima",
        "kkt-min",
        "kkt-penalty",
        "kkt-product",
        "kkt-scholtes",
        "kkt-steffensen-ulbrich",
    },
    "Bard1991Ex1": {
        "kkt-bigm",
        "kkt-fb",
        "kkt-kadrani",
        "kkt-kanzow-schwartz",
        "kkt-lin-fukushima",
        "kkt-min",
        "kkt-penalty",
        "kkt-product",
        "kkt-scholtes",
        "kkt-steffensen-ulbrich",
    },
    "BardBook1998": {
        "kkt-bigm",
        "kkt-fb",
        "kkt-kadrani",
        "kkt-kanzow-schwartz",
        "kkt-lin-fukushima",
        "kkt-min",
        "kkt-scholtes",
    },
    "ClarkWesterberg1990a": {"kkt-bigm", "kkt-penalty", "kkt-scholtes"},
    "DeSilva1978": {
        "kkt-bigm",
        "kkt-fb",
        "kkt-kadrani",
        "kkt-kanzow-schwartz",
        "kkt-lin-fukushima",
        "kkt-min",
        "kkt-penalty",
        "kkt-product",
        "kkt-scholtes",
        "kkt-steffensen-ulbrich",
    },
    # the KKT relaxations stop at x1 = -1e-8 .. -6e-8, where the follower's only optimal
    # y1 is 2 (F ≈ 7.96); the check finds x1 = 0 (within tolerance), where y1 = 1 is an
    # exact response and F* = 5 holds
    "DempeFranke2011Ex41": {
        "kkt-bigm",
        "kkt-kadrani",
        "kkt-lin-fukushima",
        "kkt-penalty",
        "kkt-product",
        "kkt-scholtes",
    },
    "GumusFloudas2001Ex4": {
        "kkt-bigm",
        "kkt-fb",
        "kkt-kadrani",
        "kkt-kanzow-schwartz",
        "kkt-lin-fukushima",
        "kkt-min",
        "kkt-penalty",
        "kkt-product",
        "kkt-scholtes",
        "kkt-steffensen-ulbrich",
    },
    "HatzEtal2013": {
        "kkt-bigm",
        "kkt-fb",
        "kkt-kadrani",
        "kkt-kanzow-schwartz",
        "kkt-lin-fukushima",
        "kkt-min",
        "kkt-penalty",
        "kkt-product",
        "kkt-scholtes",
        "kkt-steffensen-ulbrich",
    },
    "LamparielloSagratella2017Ex35": {"kkt-bigm", "kkt-kanzow-schwartz", "kkt-min"},
    "ShimizuAiyoshi1981Ex1": {
        "kkt-bigm",
        "kkt-fb",
        "kkt-kadrani",
        "kkt-kanzow-schwartz",
        "kkt-lin-fukushima",
        "kkt-min",
        "kkt-penalty",
        "kkt-product",
        "kkt-scholtes",
        "kkt-steffensen-ulbrich",
    },
    "ShimizuAiyoshi1981Ex2": {
        "kkt-bigm",
        "kkt-fb",
        "kkt-kadrani",
        "kkt-kanzow-schwartz",
        "kkt-lin-fukushima",
        "kkt-min",
        "kkt-penalty",
        "kkt-product",
        "kkt-scholtes",
        "kkt-steffensen-ulbrich",
    },
    # kkt-lin-fukushima left on 2026-12-04: it stops at x = x* + 1.2e-8, where
    # x + e^x = -2e-8 < 0 makes y = 1 the follower's only optimum, which violates y <= 0.1;
    # y = 0 was optimal there only within the gap tolerance.
    "MitsosBarton2006Ex38": {
        "kkt-fb",
        "kkt-kadrani",
        "kkt-kanzow-schwartz",
        "kkt-min",
        "kkt-penalty",
        "kkt-product",
        "kkt-scholtes",
        "kkt-steffensen-ulbrich",
    },
    "MitsosBarton2006Ex39": {
        "kkt-kadrani",
        "kkt-kanzow-schwartz",
        "kkt-lin-fukushima",
        "kkt-scholtes",
    },
    "MitsosBarton2006Ex312": set(),
    "MitsosBarton2006Ex313": set(),
    "MitsosBarton2006Ex314": set(),
    "MitsosBarton2006Ex315": set(),
    "MitsosBarton2006Ex316": {"kkt-fb", "kkt-min", "kkt-product"},
    "PaulaviciusAdjiman2017a": set(),
    "PaulaviciusAdjiman2017b": {
        "kkt-fb",
        "kkt-kadrani",
        "kkt-kanzow-schwartz",
        "kkt-lin-fukushima",
        "kkt-min",
        "kkt-penalty",
        "kkt-scholtes",
        "kkt-steffensen-ulbrich",
    },
}

AUTO_EXPECTED: set[str] = {
    "AllendeStill2013",
    "AnandalinghamWhite1990",
    "Bard1984a",
    "Bard1988Ex1",
    "Bard1991Ex1",
    "Bard1991Ex2",
    "BardBook1998",
    "BardFalk1982Ex2",
    "BialasKarwan1984a",
    "CandlerTownsley1982",
    "ClarkWesterberg1988",
    "ClarkWesterberg1990a",
    "DeSilva1978",
    "DempeFranke2011Ex41",
    "GumusFloudas2001Ex4",
    "HatzEtal2013",
    "HaurieSavardWhite1990",
    "LamparielloSagratella2017Ex35",
    "LiuHart1994",
    "MitsosBarton2006Ex316",
    "MitsosBarton2006Ex38",
    "MitsosBarton2006Ex39",
    "PaulaviciusAdjiman2017b",
    "ShimizuAiyoshi1981Ex1",
    "ShimizuAiyoshi1981Ex2",
}

BRUTE_FORCE_MAX_NY = 3


def _brute_force_ll_min(program: bmp.BilevelProgram, x: np.ndarray, y_hat: np.ndarray):
    """min_y f(x, y) s.t. g <= 0, h = 0 by grid search and SLSQP polish (small ny only)."""
    lo = np.where(np.isfinite(program.y_lb), program.y_lb, np.minimum(y_hat, 0) - 20)
    hi = np.where(np.isfinite(program.y_ub), program.y_ub, np.maximum(y_hat, 0) + 20)
    points = 41 if program.ny <= 2 else 17
    grids = [np.linspace(a, b, points) for a, b in zip(lo, hi, strict=True)]
    best = np.inf
    starts = []
    for y in itertools.product(*grids):
        y = np.array(y)
        ev = program.evaluate(x, y)
        if program.ll_violation(x, y) <= 1e-9:
            best = min(best, ev["f"])
        starts.append((ev["f"] + 1e3 * program.ll_violation(x, y), y))
    starts.sort(key=lambda t: t[0])
    cons = [{"type": "ineq", "fun": lambda y: -program.evaluate(x, y)["g"]}]
    if program.h.numel():
        cons.append({"type": "eq", "fun": lambda y: program.evaluate(x, y)["h"]})
    for _, y0 in starts[:10] + [(0, y_hat)]:
        r = minimize(
            lambda y: program.evaluate(x, y)["f"],
            y0,
            constraints=cons,
            method="SLSQP",
            options={"ftol": 1e-12, "maxiter": 500},
        )
        if r.success and program.ll_violation(x, r.x) <= 1e-7:
            best = min(best, r.fun)
    return best


CASES = [(p, m) for p in PROBLEMS for m in KKT_METHODS]


@pytest.mark.parametrize(("problem", "method"), CASES, ids=[f"{p.name}-{m}" for p, m in CASES])
def test_method_on_literature_problem(problem, method):
    model = problem.build()
    if method in ("kkt-bigm", "kkt-sos1") and linear_kkt_reason(
            compile_pyomo(problem.build())[0]):
        with pytest.raises(bmp.ReformulationNotApplicable):
            bmp.solve(model, method=method)
        return
    _check(problem, model, method, method in EXPECTED.get(problem.name, set()))


@pytest.mark.parametrize("problem", PROBLEMS, ids=[p.name for p in PROBLEMS])
def test_auto_on_literature_problem(problem):
    _check(problem, problem.build(), "auto", problem.name in AUTO_EXPECTED)


def _check(problem, model, method: str, expected: bool) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", bmp.BilevelWarning)
        res = bmp.solve(model, method=method, time_limit=60)
    verified = res.verification in (bmp.Verification.CERTIFIED, bmp.Verification.NO_BETTER_FOUND)
    if expected:
        assert verified, res.summary()
        assert abs(res.upper_objective - problem.F_star) <= 1e-3 * max(1, abs(problem.F_star))
        if bmp.analyze(compile_pyomo(problem.build())[0]).ll_convex:
            assert res.verification is bmp.Verification.CERTIFIED
    if verified:
        program, _ = compile_pyomo(model)
        if program.ny <= BRUTE_FORCE_MAX_NY:
            best = _brute_force_ll_min(program, res.x_array, res.y_array)
            f_hat = program.evaluate(res.x_array, res.y_array)["f"]
            assert f_hat <= best + 1e-5 * max(1.0, abs(best)), (
                f"{res.verification.name} but the lower level at x has value {best} < {f_hat}"
            )
        assert res.ll_violation <= 1e-6
    if not problem.ll_convex:
        assert res.verification is not bmp.Verification.CERTIFIED or res.ll_solver.startswith(
            ("highs", "scip(global)")
        ), "a non-convex lower level can only be certified by an exact or global LL solve"
    if res.termination is bmp.TerminationStatus.OPTIMAL:
        # only a global method may claim it, and a proven optimum cannot be worse than the
        # best point the literature records
        assert res.method.split(" -> ")[-1] in GLOBAL_METHODS
        assert res.verification is bmp.Verification.CERTIFIED
        assert res.upper_objective <= problem.F_star + 1e-6 * max(1, abs(problem.F_star))
    if res.has_point:  # the model holds the point: Pyomo's own evaluation agrees with ours
        ul_objective = next(
            o
            for o in model.component_data_objects(pyo.Objective, active=True)
            if o.parent_block() is model
        )
        assert pyo.value(ul_objective) == pytest.approx(res.upper_objective, rel=1e-9, abs=1e-9)
