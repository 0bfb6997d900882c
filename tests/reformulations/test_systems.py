"""The equation-system reformulations (KKT W-stationarity, LLVF (8.13)) and their methods.

Independent truth: a bilevel program whose solution is known in closed form; the identity
of the square and non-square LLVF systems when the copy ``z`` equals ``y`` (survey §8.4);
the KKT conditions of the lower level checked by hand at the returned point; BOLIB records.
"""

from __future__ import annotations

import casadi as ca
import numpy as np
import pytest

import bolib_problems
from bilevel_mp import BilevelProgram, solve
from bilevel_mp.errors import OptionError
from bilevel_mp.ir.equations import SystemFunctions
from bilevel_mp.reformulations.systems import KKTSystem, ValueFunctionSystem
from bilevel_mp.status import TerminationStatus, Verification


def _closed_form() -> BilevelProgram:
    """min (x-1)² + (y-2)²  s.t. y solves min ½y² - x y  s.t.  y >= 0, y <= 3;  x in [-5, 5].

    The lower level gives y(x) = min(max(x, 0), 3); the upper level then wants x = y = 1.5.
    """
    return BilevelProgram.from_functions(
        1, 1, F=lambda x, y: (x[0] - 1) ** 2 + (y[0] - 2) ** 2,
        f=lambda x, y: 0.5 * y[0] ** 2 - x[0] * y[0],
        x_bounds=([-5.0], [5.0]), y_bounds=([0.0], [3.0]), x0=[3.0], y0=[2.5],
    )


@pytest.mark.parametrize("method", ["kkt-sn", "kkt-lm", "llvf-sn"])
def test_closed_form_solution(method: str) -> None:
    result = solve(_closed_form(), method=method)
    assert result.termination is TerminationStatus.LOCALLY_SOLVED
    assert result.verification is Verification.CERTIFIED
    np.testing.assert_allclose([result.x_array[0], result.y_array[0]], [1.5, 1.5], atol=1e-3)


def test_llvf_lm_least_squares_point_is_feasible_but_not_optimal_here() -> None:
    """Partial calmness fails for this program (the LL solution is interior and moves with
    x), so (8.13) without the copy z has no root for any λ: LM returns least-squares
    points; with y re-solved they are bilevel feasible, and none beats the optimum 0.5."""
    result = solve(_closed_form(), method="llvf-lm")
    assert result.verification is Verification.CERTIFIED
    assert "least-squares point" in result.raw_status
    assert result.upper_objective >= 0.5 - 1e-9
    assert result.y_array[0] == pytest.approx(min(max(result.x_array[0], 0.0), 3.0), abs=1e-6)


def test_kkt_system_is_square_and_split_form_has_q_more_rows() -> None:
    prog = _closed_form()
    square, _ = KKTSystem(square=True).apply(prog)
    split, _ = KKTSystem(square=False).apply(prog)
    q = prog.g.numel()
    assert square.square and split.n_rows == square.n_rows + q and split.nz == square.nz


def test_llvf_square_and_nonsquare_systems_agree_when_z_equals_y() -> None:
    """With z = y the rows coincide except ∇_y L_λ, which differ by λ ∇_y ℓ(x, y, w, ω)
    (the substitution ∇_y f = -∇_y g'w - ∇_y h'ω of survey §8.4)."""
    prog = bolib_problems.load("AiyoshiShimizu1984Ex2").program()
    sq, sq_inv = ValueFunctionSystem(square=True).apply(prog)
    ns, _ = ValueFunctionSystem(square=False).apply(prog)
    rng = np.random.default_rng(3)
    n, m, q = prog.nx, prog.ny, prog.g.numel()
    point_ns = rng.normal(size=ns.nz)
    # square unknowns: x, y, z, u, v, ...; non-square: x, y, u, v, ... (same order after y)
    point_sq = np.concatenate([point_ns[:n + m], point_ns[n:n + m], point_ns[n + m:]])
    for lam in (0.5, 7.0):
        r_sq = SystemFunctions(sq).residual(point_sq, sq.params(**{"lambda": lam}))
        r_ns = SystemFunctions(ns).residual(point_ns, ns.params(**{"lambda": lam}))
        grad_y, grad_ll = slice(n, n + m), slice(n + m, n + 2 * m)
        np.testing.assert_allclose(r_sq[grad_y] - r_ns[grad_y], lam * r_ns[grad_ll], rtol=1e-12)
        rest = np.r_[0:n, n + m:r_ns.size]
        np.testing.assert_allclose(r_sq[rest], r_ns[rest], rtol=1e-12, atol=1e-12)
    assert sq.square and ns.n_rows == ns.nz + m
    assert sq_inv.ll_u.stop - sq_inv.ll_u.start == q


def test_kkt_sn_point_satisfies_lower_level_kkt_by_hand() -> None:
    """Bard1984a: at the returned point, ∇_y f + ∇_y g' u = 0, u >= 0, u ⊥ g."""
    ex = bolib_problems.load("Bard1984a")
    prog = ex.program()
    result = solve(prog, method="kkt-sn")
    assert result.termination is TerminationStatus.LOCALLY_SOLVED
    x, y = result.x_array, result.y_array
    u = np.array(list(result.ll_multipliers.values()))
    grad = ca.Function("grad", [prog.x, prog.y, prog.p],
                       [ca.gradient(prog.f, prog.y), ca.jacobian(prog.g, prog.y), prog.g])
    df, jg, g = (np.asarray(v, dtype=float) for v in grad(x, y, prog.p_values))
    np.testing.assert_allclose(df.ravel() + jg.T @ u, 0.0, atol=1e-7)
    assert np.all(u >= -1e-8) and np.all(g <= 1e-8)
    np.testing.assert_allclose(u * g.ravel(), 0.0, atol=1e-7)


@pytest.mark.parametrize(("name", "method"), [
    ("DeSilva1978", "llvf-sn"), ("AllendeStill2013", "llvf-sn"), ("Bard1984a", "kkt-lm"),
])
def test_bolib_records(name: str, method: str) -> None:
    ex = bolib_problems.load(name)
    result = solve(ex.program(), method=method)
    assert result.verification in (Verification.CERTIFIED, Verification.NO_BETTER_FOUND)
    assert result.upper_objective == pytest.approx(ex.known.F_star, abs=1e-2 * abs(ex.known.F_star))


def test_lambda_policy_is_validated() -> None:
    with pytest.raises(OptionError, match="lambda_policy"):
        solve(_closed_form(), method="llvf-sn", options={"lambda_policy": "magic"})
    with pytest.raises(OptionError, match="positive"):
        solve(_closed_form(), method="llvf-lm", options={"lambdas": (0.0,)})


def test_fixed_policy_solves_once() -> None:
    result = solve(_closed_form(), method="llvf-sn",
                   options={"lambda_policy": "fixed", "lambdas": (100.0,)})
    assert [e["param"] for e in result.stats["stages"]] == [100.0]


def _ll_equality() -> BilevelProgram:
    """min (x-2)² + (y1-1.5)²  s.t. y solves min y1² + y2²  s.t.  y1 + y2 = x.

    y(x) = (x/2, x/2), so F(x) = (x-2)² + (x/2-1.5)² is least at x = 2.2, y = (1.1, 1.1).
    """
    return BilevelProgram.from_functions(
        1, 2, F=lambda x, y: (x[0] - 2) ** 2 + (y[0] - 1.5) ** 2,
        f=lambda x, y: y[0] ** 2 + y[1] ** 2, h=lambda x, y: [y[0] + y[1] - x[0]],
        x0=[0.0], y0=[0.0, 0.0],
    )


@pytest.mark.parametrize("method", ["kkt-scholtes", "kkt-bigm", "kkt-sn", "kkt-lm",
                                    "llvf-sn"])
def test_lower_level_equality(method: str) -> None:
    """Lower-level equalities carry free multipliers (a KKT bound bug once broke them)."""
    result = solve(_ll_equality(), method=method)
    assert result.verification is Verification.CERTIFIED
    np.testing.assert_allclose(np.r_[result.x_array, result.y_array], [2.2, 1.1, 1.1],
                               atol=1e-3)
