"""``sensitivity``, ``vjp`` and ``jvp``: derivatives of a solved bilevel program with
respect to its parameters θ (BiGrad's "push-back" for continuous problems: Alesiani,
arXiv 2302.14473, ``../shared/papers/bigrad-summary.md``).

The solution ``(x*(θ), y*(θ))`` and the value ``F*(θ) = F(x*, y*, θ)`` are differentiated
by the implicit function theorem on the active system of the single-level (KKT/MPCC)
problem at the returned point (:mod:`bilevel_mp.differentiation.active_system`), piece by
piece where the point is degenerate (:mod:`bilevel_mp.differentiation.pieces`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from bilevel_mp.differentiation import inputs
from bilevel_mp.differentiation.active_system import SensitivityOptions, linearize
from bilevel_mp.differentiation.pieces import Linearization
from bilevel_mp.ir.program import BilevelProgram
from bilevel_mp.options import make_options
from bilevel_mp.result import BilevelResult
from bilevel_mp.status import Verification

NONDEGENERATE = ("nondegenerate point: LICQ, strict complementarity and second-order "
                 "sufficiency hold for the active system; derivatives are two-sided")


@dataclass(frozen=True)
class Derivatives:
    """Derivatives of the solution with respect to each parameter.

    Attributes
    ----------
    dx, dy
        ``{variable name: {parameter name: d(variable)/dθ}}``, variables named as in
        ``result.x`` / ``result.y``.
    dF
        ``{parameter name: dF*/dθ}``, in the user's sense of the upper-level objective.
    """

    dx: dict[str, dict[str, float]]
    dy: dict[str, dict[str, float]]
    dF: dict[str, float]


@dataclass(frozen=True)
class Sensitivity:
    """Derivatives of a solved bilevel program (:func:`sensitivity`).

    Attributes
    ----------
    params
        Parameter names, in the order given.
    dx, dy, dF
        The derivatives (as in :class:`Derivatives`); NaN for an entry that is not
        differentiable in that parameter (its one-sided derivatives differ or are
        unknown).
    right, left
        One-sided derivatives: ``right`` along ``θ_k`` increasing,
        ``lim (φ(θ + t e_k) - φ(θ)) / t``; ``left`` from below,
        ``lim (φ(θ) - φ(θ - t e_k)) / t`` (NaN where they could not be determined).
        Both equal the derivative where it exists.
    degenerate
        Whether an assumption of the implicit function theorem fails at the point
        (biactive or weakly active constraints, LICQ at either level, a singular system,
        a point that is not strongly stationary); ``message`` says which.
    message
        What was found.
    """

    params: tuple[str, ...]
    dx: dict[str, dict[str, float]]
    dy: dict[str, dict[str, float]]
    dF: dict[str, float]
    right: Derivatives
    left: Derivatives
    degenerate: bool
    message: str


@dataclass(frozen=True)
class ParameterGradient:
    """A vector–Jacobian product ``gᵀ d(x*, y*)/dθ`` (:func:`vjp`).

    Attributes
    ----------
    grad
        ``{parameter name: value}``; NaN where the solution is not differentiable in it.
    right, left
        The same with the one-sided derivatives (see :class:`Sensitivity`).
    degenerate, message
        As in :class:`Sensitivity`.
    """

    grad: dict[str, float]
    right: dict[str, float]
    left: dict[str, float]
    degenerate: bool
    message: str


@dataclass(frozen=True)
class DirectionalDerivative:
    """The derivative along a direction ``d`` of the parameters (:func:`jvp`):
    ``lim (φ(θ + t d) - φ(θ)) / t`` for ``t ↓ 0``, which exists at many degenerate points
    where the derivative does not (NaN where it could not be determined).

    Attributes
    ----------
    dx, dy
        ``{variable name: derivative}``.
    dF
        The derivative of ``F*`` (user's sense).
    degenerate, message
        As in :class:`Sensitivity`.
    """

    dx: dict[str, float]
    dy: dict[str, float]
    dF: float
    degenerate: bool
    message: str


@dataclass
class _Setup:
    """A result linearized for some parameters."""

    result: BilevelResult
    names: tuple[str, ...]
    linearization: Linearization
    notes: list[str]

    @property
    def program(self) -> BilevelProgram:
        """The program solved."""
        return self.result.program

    def message(self, directional_notes: Iterable[str] = ()) -> tuple[bool, str]:
        """``(degenerate, message)``."""
        issues = self.linearization.issues + [n for n in directional_notes if n]
        text = "; ".join(issues) if issues else NONDEGENERATE
        return bool(issues), "; ".join([text, *self.linearization.system.notes, *self.notes])


def _setup(result: BilevelResult, params, options: dict | None) -> _Setup:
    opts = make_options(SensitivityOptions, options, "sensitivity")
    program = inputs.program_of(result)
    names, index = inputs.parameters(program, params)
    system = linearize(program, np.asarray(result.x_array, dtype=float),
                       np.asarray(result.y_array, dtype=float), index, opts)
    notes = []
    if np.any(program.x_integer):
        notes.append("integer upper-level variables are held at their values (the "
                     "solution map is piecewise constant in them; jumps are not detected)")
    if result.verification is Verification.SUBOPTIMAL:
        notes.append("the check found a better lower-level point at x (SUBOPTIMAL): these "
                     "are derivatives of a KKT point, not of a bilevel solution")
    return _Setup(result, names, Linearization(system, opts), notes)


def _solution_rows(setup: _Setup) -> tuple[sp.csr_matrix, np.ndarray]:
    """Tracked rows ``x``, ``y`` and ``F`` (user's sense) on ``dz``."""
    system, program = setup.linearization.system, setup.program
    n, m = system.nx, system.ny
    n_z = system.grad_F.size
    unit = sp.csr_matrix((np.ones(n + m), (np.arange(n + m), np.arange(n + m))),
                         shape=(n + m, n_z))
    rows = sp.vstack([unit, sp.csr_matrix(program.F_sign * system.grad_F)]).tocsr()
    rows_p = np.vstack([np.zeros((n + m, len(setup.names))),
                        program.F_sign * system.grad_F_p])
    return rows, rows_p


def _one_sided(setup: _Setup, tracked_rows: Callable[[], tuple[sp.csr_matrix, np.ndarray]],
               n_out: int, directions: np.ndarray | None
               ) -> tuple[np.ndarray, np.ndarray, list[str], list[str]]:
    """:meth:`Linearization.one_sided` of the rows ``tracked_rows()`` builds; NaN when no
    derivative exists (the reason is then among the linearization's issues)."""
    linearization = setup.linearization
    if linearization.fatal:
        n_dir = len(setup.names) if directions is None else directions.shape[1]
        nan = np.full((n_out, n_dir), np.nan)
        return nan, nan.copy(), [""] * n_dir, [""] * n_dir
    return linearization.one_sided(*tracked_rows(), directions)


def _as_derivatives(setup: _Setup, values: np.ndarray) -> Derivatives:
    program = setup.program
    n, m = program.nx, program.ny

    def by_param(row: np.ndarray) -> dict[str, float]:
        return dict(zip(setup.names, map(float, row), strict=True))

    return Derivatives(
        dx={name: by_param(values[i]) for i, name in enumerate(program.names["x"])},
        dy={name: by_param(values[n + j]) for j, name in enumerate(program.names["y"])},
        dF=by_param(values[n + m]))


def _two_sided(right: np.ndarray, left: np.ndarray, names: Sequence[str], tol: float,
               why_right: list[str], why_left: list[str]) -> tuple[np.ndarray, list[str]]:
    """The derivative of each tracked row where both one-sided derivatives exist and agree
    (relative to the column's largest entry; NaN elsewhere), and notes on the parameters
    where some does not."""
    with np.errstate(invalid="ignore"):
        scale = np.maximum(1.0, np.fmax(np.nanmax(np.abs(right), axis=0, initial=0.0),
                                        np.nanmax(np.abs(left), axis=0, initial=0.0)))
        agree = np.abs(right - left) <= tol * scale
    known = np.isfinite(right) & np.isfinite(left)
    groups: dict[str, list[str]] = {}
    for k, name in enumerate(names):
        for side, why in (("right", why_right[k]), ("left", why_left[k])):
            if why:
                groups.setdefault(f"{side} derivative not determined ({why})", []).append(name)
        if not np.all(agree[:, k] | ~known[:, k]):
            groups.setdefault("not differentiable: the one-sided derivatives differ",
                              []).append(name)
    notes = [f"{what} in {_listing(group)}" for what, group in groups.items()]
    return np.where(agree, right, np.nan), notes


def _listing(names: list[str], shown: int = 10) -> str:
    """``a, b, c`` or ``a, b, ... (25 parameters)``."""
    more = f", ... ({len(names)} parameters)" if len(names) > shown else ""
    return ", ".join(names[:shown]) + more


def sensitivity(result: BilevelResult, params, *, options: dict | None = None
                ) -> Sensitivity:
    """Derivatives of the solution ``(x*, y*)`` and of ``F*`` with respect to parameters.

    By the implicit function theorem on the active system of the single-level (KKT/MPCC)
    problem at ``result``'s point: with ``z = (x, y, u_A, v)``, the active rows ``c`` and
    the upper-level Lagrangian ``𝓛 = F + λᵀc``,
    ``[[∇²_zz 𝓛, ∇_z cᵀ], [∇_z c, 0]] d(z, λ)/dθ = -[∂(∇_z 𝓛)/∂θ; ∂c/∂θ]``
    (Fiacco's theorem on the tightened MPCC; see
    :mod:`bilevel_mp.differentiation.active_system`), solved with one sparse LU. At a
    degenerate point the map is followed piece by piece
    (:mod:`bilevel_mp.differentiation.pieces`) and one-sided derivatives are returned.

    Parameters
    ----------
    result
        A result of :func:`bilevel_mp.solve` with a point (it keeps the program solved).
    params
        Mutable Pyomo ``Param`` s (an indexed one stands for all its entries), or names of
        ``result.program.parameter_names`` (``Param.name`` for a compiled Pyomo model).
    options
        :class:`SensitivityOptions` fields (tolerances).

    Returns
    -------
    Sensitivity

    Raises
    ------
    SensitivityError
        On a result without a point or program, or a parameter the program does not have
        (naming it); :class:`~bilevel_mp.errors.OptionError` on a bad option.

    Examples
    --------
    >>> import pyomo.environ as pyo, bilevel_mp as bmp
    >>> m = pyo.ConcreteModel()
    >>> m.a = pyo.Param(initialize=1.0, mutable=True)
    >>> m.x = pyo.Var(bounds=(-5, 5))
    >>> m.L = bmp.LowerLevel()
    >>> m.L.y = pyo.Var()
    >>> m.L.obj = pyo.Objective(expr=(m.L.y - m.x - m.a) ** 2)
    >>> m.obj = pyo.Objective(expr=(m.x - 1) ** 2 + (m.L.y - 3) ** 2)
    >>> s = bmp.sensitivity(bmp.solve(m, "kkt-scholtes"), [m.a])
    >>> round(s.dx["x"]["a"], 6), round(s.dy["L.y"]["a"], 6)
    (-0.5, 0.5)
    """
    setup = _setup(result, params, options)
    program = setup.program
    right, left, why_right, why_left = _one_sided(
        setup, lambda: _solution_rows(setup), program.nx + program.ny + 1, None)
    both, notes = _two_sided(right, left, setup.names, setup.linearization.options.check_tol,
                             why_right, why_left)
    degenerate, message = setup.message(notes)
    two = _as_derivatives(setup, both)
    return Sensitivity(params=setup.names, dx=two.dx, dy=two.dy, dF=two.dF,
                       right=_as_derivatives(setup, right), left=_as_derivatives(setup, left),
                       degenerate=degenerate, message=message)


def vjp(result: BilevelResult, params,
        grad_x: Mapping[str, float] | Sequence[float] | np.ndarray | None = None,
        grad_y: Mapping[str, float] | Sequence[float] | np.ndarray | None = None, *,
        options: dict | None = None) -> ParameterGradient:
    """Reverse mode: ``(dx*/dθ)ᵀ grad_x + (dy*/dθ)ᵀ grad_y`` for each parameter θ.

    One adjoint solve with the active system's matrix (it is symmetric), whatever the
    number of parameters: with ``a`` solving ``W a = [grad_x; grad_y; 0]``, the product is
    ``-Bᵀ a`` with ``B = [∂(∇_z 𝓛)/∂θ; ∂c/∂θ]`` (notation of :func:`sensitivity`).

    Parameters
    ----------
    result, params, options
        As in :func:`sensitivity`.
    grad_x, grad_y
        The gradient of a loss with respect to ``x*`` and ``y*``: ``{variable name:
        value}`` (names as in ``result.x`` / ``result.y``, absent ones 0) or arrays in the
        order of ``result.x_array`` / ``result.y_array``; ``None`` is zero.

    Returns
    -------
    ParameterGradient
    """
    setup = _setup(result, params, options)
    program = setup.program
    g = np.concatenate([inputs.vector(grad_x, program.names["x"], "grad_x"),
                        inputs.vector(grad_y, program.names["y"], "grad_y")])

    def loss_row() -> tuple[sp.csr_matrix, np.ndarray]:
        n_z = setup.linearization.system.grad_F.size
        return (sp.csr_matrix(np.concatenate([g, np.zeros(n_z - g.size)])),
                np.zeros((1, len(setup.names))))

    right, left, why_right, why_left = _one_sided(setup, loss_row, 1, None)
    both, notes = _two_sided(right, left, setup.names, setup.linearization.options.check_tol,
                             why_right, why_left)
    degenerate, message = setup.message(notes)

    def by_param(values: np.ndarray) -> dict[str, float]:
        return dict(zip(setup.names, map(float, values[0]), strict=True))

    return ParameterGradient(grad=by_param(both), right=by_param(right), left=by_param(left),
                             degenerate=degenerate, message=message)


def jvp(result: BilevelResult, params,
        tangent: Mapping[str, float] | Sequence[float] | np.ndarray, *,
        options: dict | None = None) -> DirectionalDerivative:
    """Forward mode: the derivative of ``(x*, y*, F*)`` along the direction ``tangent`` of
    the parameters (one solve with the active system's matrix).

    Parameters
    ----------
    result, params, options
        As in :func:`sensitivity`.
    tangent
        The direction: ``{parameter name: value}`` (absent ones 0) or an array in the
        order of ``params``.

    Returns
    -------
    DirectionalDerivative
        The one-sided directional derivative, which is the Jacobian–vector product where
        the solution is differentiable.
    """
    setup = _setup(result, params, options)
    direction = inputs.vector(tangent, setup.names, "tangent")
    program = setup.program
    n, m = program.nx, program.ny
    right, _, why, _ = _one_sided(setup, lambda: _solution_rows(setup), n + m + 1,
                                  direction[:, None])
    values = right[:, 0]
    degenerate, message = setup.message([f"along the tangent: {why[0]}" if why[0] else ""])
    return DirectionalDerivative(
        dx=dict(zip(program.names["x"], map(float, values[:n]), strict=True)),
        dy=dict(zip(program.names["y"], map(float, values[n:n + m]), strict=True)),
        dF=float(values[n + m]), degenerate=degenerate, message=message)
