"""Semismooth Newton and Levenberg–Marquardt on systems with known roots.

Independent truth: finite differences for the Jacobian element away from kinks; the
definition of the B-subdifferential (limit of derivatives along the chosen direction) at
kinks; brute-force enumeration of the complementarity patterns of a small LCP for the
root; hand-computed roots of smooth systems.
"""

from __future__ import annotations

import itertools

import casadi as ca
import numpy as np
import pytest

from bilevel_mp.errors import OptionError
from bilevel_mp.ir.equations import EquationSystem, SystemFunctions
from bilevel_mp.solvers.levenberg_marquardt import LevenbergMarquardtStep
from bilevel_mp.solvers.newton_driver import NewtonOptions, solve_system
from bilevel_mp.solvers.semismooth_newton import SemismoothNewtonStep
from bilevel_mp.status import TerminationStatus

RNG = np.random.default_rng(7)


def _system(z: ca.SX, smooth, fb_a, fb_b, z0) -> EquationSystem:
    return EquationSystem(z=z, smooth=ca.vertcat(*smooth), fb_a=np.asarray(fb_a, dtype=int),
                          fb_b=ca.vertcat(*fb_b), p=ca.SX.zeros(0), p_values=np.zeros(0),
                          z0=np.asarray(z0, dtype=float))


def _lcp_system(m: np.ndarray, q: np.ndarray) -> EquationSystem:
    """``0 <= z ⊥ M z + q >= 0`` as ``φ_FB(z_i, (Mz + q)_i) = 0``."""
    z = ca.SX.sym("z", q.size)
    w = ca.mtimes(ca.DM(m), z) + ca.DM(q)
    return _system(z, [], range(q.size), [w[i] for i in range(q.size)], np.ones(q.size))


def _lcp_by_enumeration(m: np.ndarray, q: np.ndarray) -> np.ndarray:
    """The LCP solution found by trying every active set (unique for positive definite M)."""
    n = q.size
    for pattern in itertools.product((False, True), repeat=n):
        free = np.array(pattern)
        z = np.zeros(n)
        if free.any():
            z[free] = np.linalg.solve(m[np.ix_(free, free)], -q[free])
        w = m @ z + q
        if np.all(z >= -1e-12) and np.all(w >= -1e-12):
            return z
    raise AssertionError("no solution")


def _mixed_system() -> tuple[EquationSystem, ca.SX]:
    z = ca.SX.sym("z", 4)
    smooth = [z[0] ** 2 + ca.sin(z[1]) - z[2] * z[3], ca.exp(z[0]) - z[1] * z[3]]
    fb_b = [z[0] - z[1] ** 2, 3 * z[0] + z[1] * z[2] - 1]
    return _system(z, smooth, [2, 3], fb_b, np.zeros(4)), z


def _fd_jacobian(funcs: SystemFunctions, z: np.ndarray, h: float = 1e-7) -> np.ndarray:
    p = np.zeros(0)
    cols = [(funcs.residual(z + h * e, p) - funcs.residual(z - h * e, p)) / (2 * h)
            for e in np.eye(z.size)]
    return np.column_stack(cols)


@pytest.mark.parametrize("seed", range(5))
def test_jacobian_element_matches_finite_differences_away_from_kinks(seed: int) -> None:
    system, _ = _mixed_system()
    funcs = SystemFunctions(system)
    z = np.random.default_rng(seed).normal(size=4)
    _, jac = funcs.evaluate(z, np.zeros(0))
    np.testing.assert_allclose(jac.toarray(), _fd_jacobian(funcs, z), rtol=1e-6, atol=1e-6)


def test_jacobian_element_at_kink_is_a_limit_of_derivatives() -> None:
    """At a = b = 0 the element equals the derivative at z + t d for small t > 0, where d
    is 1 on the paired variables of the kink rows (De Luca–Facchinei–Kanzow)."""
    system, _ = _mixed_system()
    funcs = SystemFunctions(system)
    # row 2: a = z[2] = 0, b = z0 - z1² = 0; row 3: a = z[3] = 0, b = 3 z0 + z1 z2 - 1 = 0
    z = np.array([1 / 3, np.sqrt(1 / 3), 0.0, 0.0])
    phi, jac = funcs.evaluate(z, np.zeros(0))
    np.testing.assert_allclose(phi[2:], 0.0, atol=1e-15)
    d = np.array([0.0, 0.0, 1.0, 1.0])
    for t in (1e-5, 1e-7):
        np.testing.assert_allclose(jac.toarray()[2:], _fd_jacobian(funcs, z + t * d, 1e-10)[2:],
                                   atol=1e-3)
    # in the generalized gradient: (ξ - 1, ρ - 1) with ξ² + ρ² <= 1 for each FB row
    for row, (a_idx, b_grad) in zip((2, 3), ((2, [1, -2 * np.sqrt(1 / 3), 0, 0]),
                                             (3, [3, 0, np.sqrt(1 / 3), 0])), strict=True):
        dense = jac.toarray()[row]
        b_grad = np.asarray(b_grad)
        # the coefficient of ∇b: ρ - 1 where dense = (ξ - 1) e_a + (ρ - 1) ∇b
        rho_minus_1 = dense[0] / b_grad[0]
        xi_minus_1 = dense[a_idx] - rho_minus_1 * b_grad[a_idx]
        assert (xi_minus_1 + 1) ** 2 + (rho_minus_1 + 1) ** 2 <= 1 + 1e-12


@pytest.mark.parametrize("seed", range(6))
def test_semismooth_newton_solves_lcp_with_quadratic_rate(seed: int) -> None:
    rng = np.random.default_rng(seed)
    a = rng.normal(size=(5, 5))
    m = a @ a.T + 0.5 * np.eye(5)
    q = rng.normal(size=5)
    result = solve_system(_lcp_system(m, q), SemismoothNewtonStep(),
                          NewtonOptions(tol=1e-13, max_iter=100))
    assert result.status is TerminationStatus.LOCALLY_SOLVED
    np.testing.assert_allclose(result.z, _lcp_by_enumeration(m, q), atol=1e-10)
    _assert_quadratic_tail(result.history)


def _assert_quadratic_tail(history: list[dict]) -> None:
    """The last Newton steps square the residual: r_{k+1} <= C r_k² with a moderate C."""
    res = [h["residual"] for h in history]
    tail = [(a, b) for a, b in zip(res, res[1:], strict=False) if 1e-11 < a < 1e-2]
    assert tail, res
    assert all(b <= 50.0 * a ** 2 for a, b in tail), res


def test_semismooth_newton_smooth_system_known_root() -> None:
    z = ca.SX.sym("z", 2)
    system = _system(z, [z[0] ** 2 + z[1] ** 2 - 4, z[0] - z[1]], [], [], [3.0, 1.0])
    result = solve_system(system, SemismoothNewtonStep(), NewtonOptions(tol=1e-14))
    assert result.status is TerminationStatus.LOCALLY_SOLVED
    np.testing.assert_allclose(result.z, [np.sqrt(2), np.sqrt(2)], rtol=1e-13)
    _assert_quadratic_tail(result.history)


def test_semismooth_newton_rejects_non_square_system() -> None:
    z = ca.SX.sym("z", 2)
    system = _system(z, [z[0], z[1], z[0] + z[1]], [], [], [1.0, 1.0])
    with pytest.raises(OptionError, match="3 equations in 2 unknowns"):
        solve_system(system, SemismoothNewtonStep())


def test_levenberg_marquardt_overdetermined_consistent_system() -> None:
    """Three equations, two unknowns, root (1, 2); quadratic rate under the error bound."""
    z = ca.SX.sym("z", 2)
    smooth = [z[0] ** 2 - 1 + (z[1] - 2), z[0] * z[1] - 2, ca.exp(z[1] - 2) - z[0]]
    system = _system(z, smooth, [], [], [3.0, 0.0])
    result = solve_system(system, LevenbergMarquardtStep(), NewtonOptions(tol=1e-13))
    assert result.status is TerminationStatus.LOCALLY_SOLVED
    np.testing.assert_allclose(result.z, [1.0, 2.0], rtol=1e-12)
    _assert_quadratic_tail(result.history)


def test_levenberg_marquardt_rank_deficient_lcp() -> None:
    """An LCP with a positive semidefinite singular M still has its root found."""
    m = np.array([[1.0, 1.0, 0.0], [1.0, 1.0, 0.0], [0.0, 0.0, 2.0]])
    q = np.array([-2.0, -2.0, 1.0])
    result = solve_system(_lcp_system(m, q), LevenbergMarquardtStep(),
                          NewtonOptions(tol=1e-12))
    assert result.status is TerminationStatus.LOCALLY_SOLVED
    z = result.z
    w = m @ z + q
    assert np.all(z >= -1e-10) and np.all(w >= -1e-10) and abs(z @ w) <= 1e-9


def test_no_root_is_reported_not_hidden() -> None:
    """``z² + 1 = 0`` has no root: the merit function is stationary at 0."""
    z = ca.SX.sym("z", 1)
    system = _system(z, [z[0] ** 2 + 1], [], [], [0.7])
    result = solve_system(system, SemismoothNewtonStep(), NewtonOptions(max_iter=100))
    assert result.status is TerminationStatus.LOCALLY_INFEASIBLE
    assert abs(result.z[0]) < 1e-4 and result.residual == pytest.approx(1.0, abs=1e-6)


@pytest.mark.parametrize("bad", [np.inf, np.nan])
def test_non_finite_jacobian_gives_no_direction_instead_of_a_crash(bad: float) -> None:
    """SuperLU segfaults on a non-finite matrix entry (auto on TollSettingP2 killed its
    process in llvf-sn): the Newton direction and the LM step are refused instead."""
    import scipy.sparse as sp

    from bilevel_mp.solvers.newton_driver import NewtonState
    from bilevel_mp.solvers.semismooth_newton import _newton_direction

    jac = sp.csr_matrix(np.array([[1.0, bad], [0.0, 2.0]]))
    state = NewtonState(z=np.zeros(2), phi=np.array([1.0, 1.0]), jac=jac)
    assert _newton_direction(state) is None
    assert LevenbergMarquardtStep().step(state, None, np.zeros(0), NewtonOptions()) is None
    finite = NewtonState(z=np.zeros(2), phi=np.array([1.0, 1.0]),
                         jac=sp.csr_matrix(np.array([[1.0, 0.0], [0.0, 2.0]])))
    np.testing.assert_allclose(_newton_direction(finite), [-1.0, -0.5])


def test_line_search_trials_that_overflow_are_rejected_without_numpy_warnings():
    # llvf-sn on BOLIB's KleniatiAdjiman2014Ex4 tries steps whose residual overflows
    # (inf - inf in sqrt(a² + b²) - a - b, 0.5 φ'φ beyond the largest float): 279 numpy
    # RuntimeWarnings reached the user before; the trials are rejected all the same
    import warnings

    import bilevel_mp as bmp
    from bilevel_mp.bench.runner import load_problem

    program, F_star = load_problem("bolib", "KleniatiAdjiman2014Ex4")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", bmp.BilevelWarning)
        warnings.simplefilter("error", RuntimeWarning)
        res = bmp.solve(program, method="llvf-sn")
    # a certified local answer (F = -5 here), never below the known optimum F* = -10
    assert res.verification is bmp.Verification.CERTIFIED
    assert res.upper_objective >= F_star - 1e-6
