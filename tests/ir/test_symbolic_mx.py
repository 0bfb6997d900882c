"""Programs built on CasADi ``MX`` (``symbolic="MX"``) against the same programs on ``SX``.

Independent truth: the ``SX`` build of the same callables (the library's reference path),
CasADi's own ``hessian`` on ``SX``, and for the ridge lower level the closed form
``y(x) = (Q + diag(eˣ))⁻¹ c`` with its hypergradient from the adjoint of that formula.
"""

from __future__ import annotations

import warnings

import casadi as ca
import numpy as np
import pytest

from bilevel_mp import BilevelProgram, solve
from bilevel_mp.errors import ModelError
from bilevel_mp.ir.derivatives import hessian
from bilevel_mp.methods.implicit import ImplicitOptions, ImplicitProblem
from bilevel_mp.methods.registry import METHODS


def _bard(kind: str) -> BilevelProgram:
    """Bard's textbook example, F* = 5 at (1, 3)."""
    return BilevelProgram.from_functions(
        1, 1, F=lambda x, y: (x[0] - 3) ** 2 + (y[0] - 2) ** 2,
        f=lambda x, y: (y[0] - 5) ** 2,
        g=lambda x, y: [-2 * x[0] + y[0] - 1, x[0] - 2 * y[0] + 2, x[0] + 2 * y[0] - 14],
        x_bounds=([0], [8]), y_bounds=([0], [None]), symbolic=kind)


@pytest.mark.parametrize("method", [m for m in METHODS if m != "implicit"])
def test_every_method_gives_the_sx_answer_on_mx(method: str) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ref, got = (solve(_bard(kind), method=method, time_limit=30) for kind in ("SX", "MX"))
    assert got.termination is ref.termination
    assert got.verification is ref.verification
    assert got.upper_objective == pytest.approx(ref.upper_objective, abs=1e-6)
    np.testing.assert_allclose(got.x_array, ref.x_array, atol=1e-5)


def test_as_sx_evaluates_like_the_mx_program() -> None:
    prog = _bard("MX")
    sx = prog.as_sx
    assert isinstance(sx.f, ca.SX) and sx.as_sx is sx
    point = ([2.5], [1.5], [])

    def values(program):
        return np.concatenate([np.asarray(v, dtype=float).ravel()
                               for v in program.evaluator(*point)])

    np.testing.assert_allclose(values(sx), values(prog))


def test_unknown_symbolic_kind_is_named() -> None:
    with pytest.raises(ModelError, match="'XX'"):
        BilevelProgram.from_functions(1, 1, F=lambda x, y: y[0], f=lambda x, y: y[0] ** 2,
                                      symbolic="XX")


def test_hessian_helper_matches_casadi_on_sx() -> None:
    rng = np.random.default_rng(3)
    a = ca.DM(rng.normal(size=(4, 4)))

    def expr(z):
        return ca.dot(z, ca.mtimes(a, z)) + ca.sum1(ca.exp(z)) * z[0]

    z_sx, z_mx = ca.SX.sym("z", 4), ca.MX.sym("z", 4)
    point = rng.normal(size=4)
    reference = ca.Function("h", [z_sx], [ca.hessian(expr(z_sx), z_sx)[0]])(point)
    for z in (z_sx, z_mx):
        np.testing.assert_allclose(ca.Function("h", [z], [hessian(expr(z), z)])(point),
                                   reference, rtol=1e-12, atol=1e-12)


def _ridge(kind: str, d: int = 12) -> tuple[BilevelProgram, dict[str, np.ndarray]]:
    rng = np.random.default_rng(0)
    a, a_v = rng.normal(size=(60, d)), rng.normal(size=(40, d))
    w = rng.normal(size=d)
    data = {"Q": a.T @ a / 60, "c": a.T @ (a @ w + rng.normal(size=60)) / 60,
            "Qv": a_v.T @ a_v / 40, "cv": a_v.T @ (a_v @ w + rng.normal(size=40)) / 40}
    q, c, qv, cv = (ca.DM(data[k]) for k in ("Q", "c", "Qv", "cv"))
    prog = BilevelProgram.from_functions(
        d, d, F=lambda x, y: 0.5 * ca.dot(y, ca.mtimes(qv, y)) - ca.dot(cv, y),
        f=lambda x, y: 0.5 * ca.dot(y, ca.mtimes(q, y)) - ca.dot(c, y)
        + 0.5 * ca.dot(ca.exp(x), y * y),
        x0=np.zeros(d), y0=np.zeros(d), symbolic=kind)
    return prog, data


@pytest.mark.parametrize("variant", ["exact", "aid"])
def test_ridge_hypergradient_on_mx_matches_the_closed_form(variant: str) -> None:
    prog, data = _ridge("MX")
    x = np.linspace(-2.0, 1.0, prog.nx)
    lam = np.exp(x)
    k = data["Q"] + np.diag(lam)
    y = np.linalg.solve(k, data["c"])
    adjoint = np.linalg.solve(k, data["Qv"] @ y - data["cv"])  # K is symmetric
    expected = -adjoint * lam * y  # dF/dx_j = -λ_j y_j (K⁻¹ ∇_y F)_j
    problem = ImplicitProblem(prog, ImplicitOptions(hypergradient=variant,
                                                    ll_ipopt_options={"tol": 1e-12}))
    value, grad = problem.evaluate(x, 0.0)
    assert value == pytest.approx(0.5 * y @ data["Qv"] @ y - data["cv"] @ y, rel=1e-10)
    np.testing.assert_allclose(grad, expected, rtol=1e-6, atol=1e-10)


def test_implicit_on_mx_reaches_the_sx_optimum() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ref, got = (solve(_ridge(kind)[0], method="implicit") for kind in ("SX", "MX"))
    assert got.upper_objective == pytest.approx(ref.upper_objective, rel=1e-7)
    assert got.verification.name == "CERTIFIED"
