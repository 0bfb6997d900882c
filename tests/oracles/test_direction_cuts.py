"""Direction cuts (``kkt-bigm`` without dual Ms): cut rows, validity against brute-force
enumeration of multiplier supports, and the method end to end."""

from __future__ import annotations

import importlib
import itertools
import warnings
from dataclasses import replace
from fractions import Fraction

import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import example, given, settings
from hypothesis import strategies as st

import bilevel_mp as bmp
from bilevel_mp.methods.bigm_cuts import LowerLevelResponse
from bilevel_mp.oracles.bigm_bounds import infer_primal_ms
from bilevel_mp.oracles.direction_cuts import (
    DirectionCutData,
    _dot,
    _exact_cut,
    _projected,
    _rational,
    blocking_cuts,
    exact_signs,
    lookahead_cuts,
    monotonicity_cuts,
    multipliers_on,
)
from bilevel_mp.reformulations.bigm import linear_kkt_data
from tests.property.test_bigm_oracle import oracle, program_of, random_instance
from tests.reformulations.test_bigm import bard_lp, unbounded_slack_model


def cut_data_of(program: bmp.BilevelProgram) -> DirectionCutData:
    data = linear_kkt_data(program)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", bmp.BilevelWarning)
        bounds = infer_primal_ms(data, program, 1e4)
    return DirectionCutData.of(data, bounds.can_be_active)


def test_monotonicity_cuts_name_the_rows_that_hold_each_variable():
    # LL: min y1 - y2 s.t. r0: y1 + y2 <= x + 2, r1: -y1 + y2 <= 3, 0 <= y <= 10.
    # y1 wants to decrease: held by r1 (coefficient -1) or y1 >= 0. y2 wants to increase:
    # held by r0 or r1 (y2 <= 10 never binds: r0 keeps y2 <= x + 2 <= 3, so it is no
    # candidate).
    program = bmp.BilevelProgram.from_functions(
        1, 2, F=lambda x, y: x[0] + y[0], f=lambda x, y: y[0] - y[1],
        g=lambda x, y: [y[0] + y[1] - x[0] - 2, -y[0] + y[1] - 3],
        x_bounds=([0.0], [1.0]), y_bounds=([0.0, 0.0], [10.0, 10.0]))
    cuts = cut_data_of(program)
    names = program.names["g"]
    got = sorted(sorted(names[i] for i in rows) for rows in monotonicity_cuts(cuts))
    assert got == [["g[0]", "g[1]"], ["g[1]", "y[0] >= 0"]]
    assert not cuts.candidates[names.index("y[1] <= 10")]


def _supports_with_multipliers(cuts: DirectionCutData) -> list[np.ndarray]:
    """Every set of candidate rows on which lower-level multipliers exist (brute force)."""
    rows = np.flatnonzero(cuts.candidates)
    out = []
    for size in range(rows.size + 1):
        for subset in itertools.combinations(rows.tolist(), size):
            mask = np.zeros(cuts.candidates.size, dtype=bool)
            mask[list(subset)] = True
            if multipliers_on(cuts, np.flatnonzero(mask)) is not None:
                out.append(mask)
    return out


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), equalities=st.booleans())
def test_cuts_are_valid_and_separate_every_support_without_multipliers(seed, equalities):
    """Brute force over all supports W of a small lower level: a cut from a support
    without multipliers misses W (it separates it) and meets every support that has
    multipliers (it is valid: it cuts off no KKT point)."""
    cuts = cut_data_of(program_of(random_instance(seed, equalities)))
    good = _supports_with_multipliers(cuts)
    for rows in monotonicity_cuts(cuts):
        assert all(w[rows].any() for w in good)
    rng = np.random.default_rng(seed)
    for _ in range(8):
        support = cuts.candidates & (rng.random(cuts.candidates.size) < 0.4)
        found = blocking_cuts(cuts, support, max_cuts=5)
        if multipliers_on(cuts, np.flatnonzero(support)) is not None:
            assert found == []
            continue
        assert found, "a support without multipliers must be separated"
        for rows in found:
            assert not support[rows].any()
            assert all(w[rows].any() for w in good)


@settings(max_examples=200, deadline=None)
@given(seed=st.integers(0, 2**32 - 1))
def test_exact_signs_agree_with_rational_arithmetic(seed):
    """Signs of ``a_i'r`` against sums in Fractions, on rows built to cancel exactly
    (``a = (p, q)``, ``r = (q, -p)``), to miss zero by one ulp, at random, and where a
    small term is absorbed by large ones in floating point."""
    rng = np.random.default_rng(seed)
    p, q = rng.normal(size=2) * 10.0 ** rng.integers(-6, 7, size=2)
    rows = [[p, q, 0.0], [p, np.nextafter(q, np.inf), 0.0], [p, np.nextafter(q, -np.inf), 0.0],
            [0.0, 0.0, 1.0]] + rng.normal(size=(6, 3)).tolist()
    A = sp.csr_matrix(np.array(rows))
    r = {0: Fraction(float(q)), 1: Fraction(float(-p))}
    if rng.random() < 0.5:
        r[2] = Fraction(int(rng.integers(1, 9)), int(rng.integers(1, 9))) * 1e-9
    expected = [(v > 0) - (v < 0) for v in
                (sum((Fraction(float(a)) * r.get(j, 0) for j, a in enumerate(row)), Fraction(0))
                 for row in A.toarray())]
    assert expected[0] == 0 and expected[1] != 0 and expected[2] != 0  # the hard cases
    assert exact_signs(A, r).tolist() == expected
    big, small = 10.0 ** rng.integers(16, 20), rng.uniform(-1, 1)  # absorbed in floats
    ones = {0: Fraction(1), 1: Fraction(1), 2: Fraction(1)}
    assert exact_signs(sp.csr_matrix([[big, small, -big]]), ones)[0] == np.sign(small)


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), equalities=st.booleans())
def test_lookahead_cuts_are_valid_and_rule_out_each_one_row_repair(seed, equalities):
    """Brute force over all supports: every lookahead cut meets every support that has
    multipliers (valid), misses the support it was computed at, and for each row i of the
    cuts found there, the repaired support W ∪ {i}, when it has no multipliers, misses
    one of them."""
    cuts = cut_data_of(program_of(random_instance(seed, equalities)))
    good = _supports_with_multipliers(cuts)
    rng = np.random.default_rng(seed)
    for _ in range(6):
        support = cuts.candidates & (rng.random(cuts.candidates.size) < 0.4)
        found = blocking_cuts(cuts, support, max_cuts=5)
        slack = rng.random(cuts.candidates.size)
        ahead = lookahead_cuts(cuts, support, found, slack, max_rows=10, max_cuts=5)
        for rows in ahead:
            assert not support[rows].any()
            assert all(w[rows].any() for w in good)
        for i in {int(i) for rows in found for i in rows}:
            repaired = support.copy()
            repaired[i] = True
            if multipliers_on(cuts, np.flatnonzero(repaired)) is None:
                assert any(not repaired[rows].any() for rows in ahead)


def test_lookahead_takes_the_rows_of_least_slack_first():
    """With one row per cut, the repair looked at is the row of least slack (instance 5:
    the first cut is rows {3, 5}; repairing by row 3 or by row 5 leads to different
    cuts)."""
    cuts = cut_data_of(program_of(random_instance(5, False)))
    support = np.zeros(cuts.candidates.size, dtype=bool)
    found = blocking_cuts(cuts, support, max_cuts=1)
    rows = found[0]
    assert rows.tolist() == [3, 5]
    for least in (rows[0], rows[-1]):
        slack = np.ones(cuts.candidates.size)
        slack[least] = 0.0
        repaired = support.copy()
        repaired[least] = True
        expected = blocking_cuts(cuts, repaired, max_cuts=5)
        got = lookahead_cuts(cuts, support, found, slack, max_rows=1, max_cuts=5)
        assert expected and [r.tolist() for r in got] == [r.tolist() for r in expected]


@settings(max_examples=15, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), equalities=st.booleans())
@example(seed=109562473, equalities=False)  # a warm solve left 6e-15 on a column fixed at 0
def test_warm_started_multiplier_lp_answers_like_a_fresh_one(seed, equalities):
    """The multiplier LP is one HiGHS model re-solved with other bounds: over every
    support, in sequence, it answers as a fresh model would, and its multipliers are
    stationary, nonnegative and supported on the rows asked for."""
    warm = cut_data_of(program_of(random_instance(seed, equalities)))
    rows = np.flatnonzero(warm.candidates)
    for size in range(rows.size + 1):
        for subset in itertools.combinations(rows.tolist(), size):
            support = np.array(subset, dtype=int)
            got = multipliers_on(warm, support)
            fresh = multipliers_on(replace(warm, _warm={}), support)
            assert (got is None) == (fresh is None)
            if got is not None:
                u, v = got
                assert np.abs(warm.c + warm.Ay.T @ u + warm.E.T @ v).max() <= 1e-7
                assert u.min() >= 0.0 and not np.delete(u, support).any()


@pytest.mark.parametrize("seed", [3, 17, 2250])
def test_multipliers_of_the_answer_satisfy_stationarity(seed):
    inst = random_instance(seed, equalities=True)
    expected = oracle(inst)
    program = program_of(inst)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", bmp.BilevelWarning)
        res = bmp.solve(program, method="kkt-bigm")
    if np.isinf(expected):
        assert res.termination is bmp.TerminationStatus.INFEASIBLE
        return
    assert res.upper_objective == pytest.approx(expected, abs=1e-6)
    cuts = cut_data_of(program)
    u = np.array([res.ll_multipliers[n] for n in program.names["g"]])
    v = np.array([res.ll_multipliers[n] for n in program.names["h"]])
    assert np.abs(cuts.c + cuts.Ay.T @ u + cuts.E.T @ v).max() <= 1e-6


def test_unknown_dual_option_is_an_option_error_naming_it():
    with pytest.raises(bmp.OptionError, match="'m-values'"):
        bmp.solve(bard_lp(), method="kkt-bigm", options={"dual": "m-values"})


def test_unbounded_slack_falls_back_to_dual_ms():
    # y has no upper bound, so the slacks have no proven primal M: the cut path does not
    # apply and the classic Big-M path (with its provenance) runs.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", bmp.BilevelWarning)
        res = bmp.solve(unbounded_slack_model(), method="kkt-bigm")
    assert res.stats["chain"] == "kkt -> bigm"
    assert res.upper_objective == pytest.approx(-10.0, abs=1e-7)


@pytest.mark.parametrize("seed", [5, 11, 40])
def test_lower_level_response_at_the_optimal_x_recovers_the_optimum(seed):
    """The incumbents of the cut loop (LL LP at the master's x, then the optimistic pick
    among its solutions) reach the enumeration optimum at the optimal x."""
    inst = random_instance(seed)
    expected = oracle(inst)
    if np.isinf(expected):
        pytest.skip("infeasible instance")
    program = program_of(inst)
    res = bmp.solve(program, method="kkt-bigm")
    point = LowerLevelResponse(program, linear_kkt_data(program))(res.x_array)
    assert point is not None
    assert abs(point.F - expected) <= 1e-6 * max(1.0, abs(expected))
    slack = -np.array(program.evaluate(point.x, point.y)["g"], dtype=float).ravel()
    assert slack.min() >= -1e-9
    assert np.abs(slack * point.u).max() <= 1e-6  # complementary
    data = linear_kkt_data(program)
    stationarity = (data.grad_f.b + data.jac_y(data.g).T @ point.u
                    + data.jac_y(data.h).T @ point.v)
    assert np.abs(stationarity).max() <= 1e-8 and point.u.min() >= 0.0


def test_face_descent_improves_incumbents_and_keeps_them_bilevel_feasible():
    """From the lower-level response at a vertex of the relaxation, the face descent never
    worsens F, never goes below the enumeration optimum, and lands on points whose y
    solves the lower level (checked by an independent scipy LP); on some instances it
    strictly improves."""
    from scipy.optimize import linprog

    from bilevel_mp.methods.bigm_cuts import FaceLP, _descend_faces
    from bilevel_mp.oracles.bigm_bounds import region_lp

    improved = 0
    for seed in range(40):
        inst = random_instance(seed)
        expected = oracle(inst)
        if np.isinf(expected):
            continue
        program = program_of(inst)
        data = linear_kkt_data(program)
        respond = LowerLevelResponse(program, data)
        lp = region_lp(data, program)
        cost = np.random.default_rng(seed).normal(size=lp.c.size)
        A_ub, b_ub = sp.vstack([lp.A, -lp.A]).toarray(), np.concatenate([lp.row_ub, -lp.row_lb])
        finite = np.isfinite(b_ub)
        vertex = linprog(cost, A_ub=A_ub[finite], b_ub=b_ub[finite],
                         bounds=list(zip(lp.col_lb, lp.col_ub, strict=True)))
        start = respond(vertex.x[:data.n])
        if start is None:
            continue
        point = _descend_faces(FaceLP(data, program), respond, start)
        tol = 1e-6 * max(1.0, abs(expected))
        assert expected - tol <= point.F <= start.F + 1e-9
        ll = linprog(inst["d"], A_ub=inst["B"], b_ub=inst["b"] - inst["A"] @ point.x,
                     bounds=[(0.0, upper) for upper in inst["y_ub"]])
        assert inst["d"] @ point.y <= ll.fun + 1e-7
        gain = start.F - point.F
        improved += gain > tol
    assert improved >= 10


def test_projection_makes_a_round_off_zero_exact():
    # a = (0.1, 0.3, 0.7) and r with a'r = 0 in real numbers: in binary floating point
    # a'r is a tiny nonzero, which would put a blocked row into the cut; the exact
    # projection onto a'r = 0 restores it
    cuts = DirectionCutData(c=np.array([-1.0, 0.0, 0.0]),
                            Ay=sp.csr_matrix([[0.1, 0.3, 0.7], [1.0, 0.0, 0.0]]),
                            E=sp.csr_matrix((0, 3)), candidates=np.array([True, True]))
    r = np.array([1.0, 1.0 / 3.0, 0.0])
    r[2] = -(0.1 * r[0] + 0.3 * r[1]) / 0.7
    assert _dot(cuts.Ay.getrow(0), _rational(r)) != 0
    exact = _projected(cuts, r, np.array([True, False]))
    assert _dot(cuts.Ay.getrow(0), exact) == 0
    assert np.allclose([float(exact.get(j, 0)) for j in range(3)], r, atol=1e-12)
    # c'r = -1 < 0; row 0 (blocked) is exactly not in the cut, row 1 (a = e_0) stops r
    assert _exact_cut(cuts, exact).tolist() == [1]
    assert [c.tolist() for c in blocking_cuts(cuts, np.array([True, False]), 3)] == [[1]]


def _cut_loop(inst: dict, stop_at_call: int | None):
    """``run_direction_cuts`` on ``inst`` with HiGHS masters; with ``stop_at_call``, that
    master "runs out of time" (HiGHS's time-limit status, no point). Returns the outcome
    and the master objectives seen."""
    from bilevel_mp.methods.bigm_cuts import run_direction_cuts
    from bilevel_mp.solvers.base import Deadline
    from bilevel_mp.solvers.highs import solve_highs
    from bilevel_mp.status import TerminationStatus

    program = program_of(inst)
    data = linear_kkt_data(program)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", bmp.BilevelWarning)
        bounds = infer_primal_ms(data, program, 1e4)
    calls = []

    def master(milp, deadline, start):
        res = solve_highs(milp, deadline, {"mip_rel_gap": 1e-9, "mip_abs_gap": 1e-9}, start)
        calls.append(res.objective)
        if len(calls) == stop_at_call:
            return replace(res, status=TerminationStatus.TIME_LIMIT, z=np.zeros(0), extra={})
        return res

    out = run_direction_cuts(program, data, bounds.ms, bounds.can_be_active, Deadline(), 20, 20,
                             master)
    return out, calls


def test_a_master_stopped_by_the_clock_returns_the_best_bilevel_point_and_the_bound():
    """The second master "runs out of time": the loop returns TIME_LIMIT, the best
    bilevel-feasible point found at the first master's x, and the first master's optimum
    as the lower bound; no OPTIMAL claim."""
    seed = next(s for s in range(200) if np.isfinite(oracle(random_instance(s)))
                and len(_cut_loop(random_instance(s), None)[1]) >= 2)
    inst = random_instance(seed)
    out, calls = _cut_loop(inst, stop_at_call=2)
    assert out.status is bmp.TerminationStatus.TIME_LIMIT
    assert out.stats["lower_bound"] == pytest.approx(calls[0])
    assert out.solution is not None
    program = program_of(inst)
    assert program.ll_violation(out.solution.x, out.solution.y) <= 1e-7
    F = float(program.evaluate(out.solution.x, out.solution.y)["F"])
    assert oracle(inst) - 1e-6 <= F  # a feasible point cannot beat the optimum
    assert "lower bound" in out.message


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 2**32 - 1))
def test_exclusive_pairs_are_never_active_together(seed):
    """Every pair found cannot have both rows at 0 (an LP over free x, y says so), and
    the bound pairs y_j >= 0, y_j <= 10 are all found."""
    from scipy.optimize import linprog

    from bilevel_mp.reformulations.bigm_cuts import exclusive_pairs

    program = program_of(random_instance(seed, equalities=seed % 2 == 0))
    data = linear_kkt_data(program)
    pairs = exclusive_pairs(data)
    A = data.g.A.toarray()
    for i, k in pairs:
        both = linprog(np.zeros(A.shape[1]), A_eq=A[[i, k]], b_eq=-data.g.b[[i, k]],
                       bounds=[(None, None)] * A.shape[1], method="highs")
        assert both.status == 2, (program.names["g"][i], program.names["g"][k])
    names = {(program.names["g"][i], program.names["g"][k]) for i, k in pairs}
    for j in range(program.ny):
        assert (f"y[{j}] >= 0", f"y[{j}] <= 10") in names


def test_master_options_drop_sub_mips_only_on_small_masters_and_user_options_win():
    bigm = importlib.import_module("bilevel_mp.methods.bigm")
    small = bigm._master_options({}, bigm.SMALL_MASTER_BINARIES)
    large = bigm._master_options({}, bigm.SMALL_MASTER_BINARIES + 1)
    assert small["mip_heuristic_run_rins"] is False and small["presolve"] == "off"
    assert "mip_heuristic_run_rins" not in large and large["mip_improving_solution_save"]
    user = bigm._master_options({"mip_heuristic_run_rins": True, "presolve": "on"}, 10)
    assert user["mip_heuristic_run_rins"] is True and user["presolve"] == "on"
