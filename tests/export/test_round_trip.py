"""Round trips, one per reformulation family: the exported Pyomo model against our own form.

* NLP families (KKT MPCC, ``kkt-product``, the five relaxations, penalty, the two NCP
  smoothings, the LLVF relaxation): IPOPT is not installed as an executable (CasADi
  bundles it), so the exported model is *evaluated* at our own solution (IPOPT on our
  CasADi NLP) and at random points; objective and every row's slacks agree to 1e-8.
* MILP families (Big-M, SOS1): the exported model is *solved* by a Pyomo solver
  (``appsi_highs``; ``scip_direct`` for the SOS1 pairs) and our own MILP by our back-end;
  the optimal values agree to 1e-8, and so do the row values of both programs at either
  solution. The M values are the ones ``kkt-bigm`` itself reports.
"""

from __future__ import annotations

import casadi as ca
import numpy as np
import pyomo.environ as pyo
import pytest

import bilevel_mp as bmp
from bilevel_mp.ir.nlp import NLP
from bilevel_mp.methods.bigm import BigMOptions, with_proven_bounds
from bilevel_mp.modeling.compile import compile_pyomo
from bilevel_mp.oracles.bigm_bounds import infer_dual_ms, infer_primal_ms
from bilevel_mp.reformulations.bigm import (
    BigMReformulation,
    SOS1Reformulation,
    linear_kkt_data,
)
from bilevel_mp.reformulations.complementarity import HANDLINGS, ComplementarityHandling
from bilevel_mp.reformulations.kkt import KKTReformulation
from bilevel_mp.reformulations.value_function import ValueFunctionRelaxation
from bilevel_mp.solvers.highs import solve_highs
from bilevel_mp.solvers.registry import get_backend
from tests.export.helpers import (
    HIGHS_TIGHT,
    nonlinear_model,
    objective_value,
    point_of,
    qp_lower_level,
    row_deviation,
    set_point,
)
from tests.modeling.test_modeling import contract_model
from tests.reformulations.test_bigm import bard_lp

TOL = 1e-8

NLP_FAMILIES = [
    ("kkt-product", {}),
    ("kkt-scholtes", {"t": 1e-2}),
    ("kkt-lin-fukushima", {"t": 1e-2}),
    ("kkt-kadrani", {"t": 1e-2}),
    ("kkt-steffensen-ulbrich", {"t": 1e-2}),
    ("kkt-kanzow-schwartz", {"t": 1e-2}),
    ("kkt-penalty", {"lam": 10.0}),
    ("kkt-fb", {"mu": 1e-3}),
    ("kkt-min", {"mu": 1e-3}),
]
MODELS = {"contract": contract_model, "nonlinear": nonlinear_model}


def _evaluate(nlp: NLP, z: np.ndarray, p: np.ndarray) -> tuple[float, np.ndarray]:
    f, g = ca.Function("ours", [nlp.z, nlp.p], [nlp.f, nlp.g])(z, p)
    return float(f), np.asarray(g, dtype=float).ravel()


def _points(solution: np.ndarray, seed: int = 0) -> list[np.ndarray]:
    rng = np.random.default_rng(seed)
    return [solution] + [rng.normal(scale=2.0, size=solution.size) for _ in range(5)]


def _assert_agree(exported, nlp: NLP, p: np.ndarray, points: list[np.ndarray]) -> float:
    worst = 0.0
    for z in points:
        set_point(exported, z)
        f, g = _evaluate(nlp, z, p)
        worst = max(worst, abs(objective_value(exported) - f) / max(1.0, abs(f)),
                    row_deviation(exported, g, nlp.g_lb, nlp.g_ub))
    assert worst <= TOL
    return worst


@pytest.mark.parametrize("model", sorted(MODELS))
@pytest.mark.parametrize(("method", "options"), NLP_FAMILIES)
def test_nlp_family_matches_our_form_at_our_solution(method, options, model):
    program, _ = compile_pyomo(MODELS[model]())
    key = method.removeprefix("kkt-")
    mpcc, _ = KKTReformulation().apply(program)
    nlp, _ = ComplementarityHandling(key).apply(mpcc)
    parameter = HANDLINGS[key].parameter
    p = nlp.params(**{parameter: next(iter(options.values()))}) if parameter else nlp.p_values
    ours = get_backend("ipopt").build(nlp, {}).solve(p, nlp.z0)
    assert ours.z.size == nlp.nz
    exported = bmp.reformulate(MODELS[model](), method, **options)
    assert exported.export_info.parameters == {k: float(v) for k, v in options.items()}
    _assert_agree(exported, nlp, p, _points(ours.z))
    if parameter:  # the parameter is a mutable Param: a new value changes the rows alike
        name = next(iter(options))
        exported.component(name).set_value(0.5)
        _assert_agree(exported, nlp, nlp.params(**{parameter: 0.5}), _points(ours.z, 1))


@pytest.mark.parametrize("model", sorted(MODELS))
def test_kkt_mpcc_matches_our_form(model):
    program, _ = compile_pyomo(MODELS[model]())
    mpcc, inverse = KKTReformulation().apply(program)
    nlp = mpcc.nlp
    product, _ = ComplementarityHandling("product").apply(mpcc)
    ours = get_backend("ipopt").build(product, {}).solve(product.p_values, product.z0)
    exported = bmp.reformulate(MODELS[model](), "kkt")
    assert exported.export_info.form == "MPCC"
    n_rows = nlp.g.numel() - program.g.numel()  # our rows but g + s = 0
    labels = list(exported.complementarity.keys())
    assert labels == list(program.names["g"])
    worst = 0.0
    for z in _points(ours.z):
        set_point(exported, z[:inverse.s.start])
        f, g = _evaluate(nlp, z, nlp.p_values)
        worst = max(worst, abs(objective_value(exported) - f),
                    row_deviation(exported, g[:n_rows], nlp.g_lb[:n_rows],
                                  nlp.g_ub[:n_rows]))
        # our pairs are (u, s) with s = -g: the exported pairs are (u, -g(x, y))
        minus_g = z[inverse.s] - g[n_rows:]
        for i, label in enumerate(labels):
            first, second = exported.complementarity[label]._args
            worst = max(worst, abs(pyo.value(first.args[1]) - z[inverse.u][i]),
                        abs(pyo.value(second.args[1]) - minus_g[i]))
    assert worst <= TOL


def _bigm_milp(build):
    program, _ = compile_pyomo(build())
    data = linear_kkt_data(program)
    options = BigMOptions()
    primal = infer_primal_ms(data, program, options.default_big_m, options.lp_bounds)
    dual = infer_dual_ms(data, program, options.default_big_m, primal, options.lp_bounds)
    return BigMReformulation(primal.ms, dual).apply(program)[0]


def _assert_milp_agrees(exported, milp, ours_z: np.ndarray) -> None:
    theirs_z = point_of(exported)
    for z in (theirs_z, ours_z):
        set_point(exported, z)
        assert row_deviation(exported, milp.A @ z, milp.row_lb, milp.row_ub) <= TOL
        assert objective_value(exported) == pytest.approx(milp.objective(z), abs=TOL)


@pytest.mark.parametrize("build", [bard_lp, qp_lower_level])
def test_bigm_milp_solved_by_appsi_highs_matches_ours(build):
    if not pyo.SolverFactory("appsi_highs").available(exception_flag=False):
        pytest.skip("appsi_highs is not available")
    milp = _bigm_milp(build)
    ours = solve_highs(milp, options=BigMOptions().highs_options)
    exported = bmp.reformulate(build(), "kkt-bigm")
    results = pyo.SolverFactory("appsi_highs").solve(exported, options=HIGHS_TIGHT)
    assert results.solver.termination_condition == pyo.TerminationCondition.optimal
    assert objective_value(exported) == pytest.approx(ours.objective, abs=TOL)
    _assert_milp_agrees(exported, milp, ours.z)


@pytest.mark.parametrize("build", [bard_lp, qp_lower_level])
def test_bigm_values_are_those_kkt_bigm_reports(build):
    exported = bmp.reformulate(build(), "kkt-bigm")
    driver = bmp.solve(build(), "kkt-bigm", options={"dual": "big-m"})
    reported = {row: {side: (float(value), source) for side, (value, source) in ms.items()}
                for row, ms in driver.stats["big_m"].items()}
    assert exported.export_info.big_m == reported
    assert exported.export_info.exact  # every M of these is proven
    for row, ms in reported.items():
        assert exported.M_primal[row] == ms["primal"][0]
        assert exported.M_dual[row] == ms["dual"][0]
        assert exported.M_dual_source[row] == ms["dual"][1]


def test_sos1_program_solved_by_scip_direct_matches_ours():
    if not pyo.SolverFactory("scip_direct").available(exception_flag=False):
        pytest.skip("scip_direct (PySCIPOpt) is not available")
    from bilevel_mp.solvers.scip import solve_scip

    program, _ = compile_pyomo(bard_lp())
    data = linear_kkt_data(program)
    milp, inverse = SOS1Reformulation().apply(program)
    milp = with_proven_bounds(milp, inverse, data, program)
    ours = solve_scip(milp)
    exported = bmp.reformulate(bard_lp(), "kkt-sos1")
    assert exported.export_info.form == "MILP with SOS1"
    results = pyo.SolverFactory("scip_direct").solve(exported)
    assert results.solver.termination_condition == pyo.TerminationCondition.optimal
    assert objective_value(exported) == pytest.approx(ours.objective, abs=TOL)
    assert objective_value(exported) == pytest.approx(-18.0, abs=TOL)
    _assert_milp_agrees(exported, milp, ours.z)
    for i, label in enumerate(program.names["g"]):  # the SOS1 pairs are ours
        pair = [v.name for v in exported.complementarity[label].get_variables()]
        assert pair == [exported.u[label].name, exported.s[label].name], i


def test_llvf_cut_relaxation_matches_ours_with_the_cuts_of_a_run():
    res = bmp.solve(contract_model(), "llvf-cuts")
    points = res.stats["cut_points"]
    assert len(points) >= 1
    program, _ = compile_pyomo(contract_model())
    nlp, inverse = ValueFunctionRelaxation(points).apply(program)
    ours = NLP(**{**{f: getattr(nlp, f) for f in ("z", "g", "z_lb", "z_ub", "g_lb", "g_ub",
                                                   "z0", "p", "p_values")},
                  "f": nlp.f * inverse.F_scale})
    exported = bmp.reformulate(contract_model(), "llvf-cuts",
                               cut_points=np.array(points))
    assert len(exported.value_function_cut) == len(points)
    solution = np.concatenate([res.x_array, res.y_array])
    _assert_agree(exported, ours, np.zeros(0), _points(solution))


def test_a_maximized_objective_stays_maximized():
    exported = bmp.reformulate(nonlinear_model(), "kkt-scholtes", t=0.1)
    assert exported.F.sense == pyo.maximize
    exported = bmp.reformulate(qp_lower_level(), "kkt-bigm")
    assert exported.F.sense == pyo.maximize


def test_mx_program_exports_like_sx():
    def build(symbolic):
        return bmp.BilevelProgram.from_functions(
            1, 2, F=lambda x, y: (x[0] - 1) ** 2 + y[0] * y[1],
            f=lambda x, y: (y[0] - x[0]) ** 2 + (y[1] - 1) ** 2,
            g=lambda x, y: [y[0] + y[1] - 2 * x[0]],
            x_bounds=([0], [2]), y_bounds=([0, 0], [None, 3]), symbolic=symbolic)
    sx = bmp.reformulate(build("SX"), "kkt-scholtes", t=0.1)
    mx = bmp.reformulate(build("MX"), "kkt-scholtes", t=0.1)
    assert list(sx.u.keys()) == ["g[0]", "y[0] >= 0", "y[1] >= 0", "y[1] <= 3"]
    assert list(sx.x.keys()) == [0] and list(sx.y.keys()) == [0, 1]
    rng = np.random.default_rng(3)
    for _ in range(5):
        z = rng.normal(size=len(sx.export_info.columns))
        set_point(sx, z)
        set_point(mx, z)
        assert pyo.value(mx.F) == pytest.approx(pyo.value(sx.F), abs=1e-12)
        for a, b in zip(sx.component_data_objects(pyo.Constraint),
                        mx.component_data_objects(pyo.Constraint), strict=True):
            assert a.name == b.name
            assert pyo.value(a.body) == pytest.approx(pyo.value(b.body), abs=1e-12)
