"""The shared driver of the Newton-type equation solvers (semismooth Newton, LM).

Both solve ``Φ(z) = 0`` for an :class:`~bilevel_mp.ir.equations.EquationSystem` by
decreasing the merit function ``Ψ(z) = ½‖Φ(z)‖²``. The driver owns the loop — init,
step, terminate — and a :class:`StepRule` owns how one step is computed.

Stopping rule (checked after init and after every step, first match wins); each
:class:`StoppingReason` maps to a termination through :data:`NEWTON_STATUS`:

1. ``Φ`` or ``z`` not finite: ``NOT_FINITE`` (``NUMERICAL_ERROR``);
2. ``‖Φ(z)‖∞ <= tol``: a root, ``ROOT`` (``LOCALLY_SOLVED``);
3. with ``least_squares``: ``‖∇Ψ(z)‖∞ <= tol``, a least-squares point, ``LEAST_SQUARES``
   (``LOCALLY_SOLVED``); otherwise ``‖∇Ψ(z)‖∞ <= stationary_tol ‖Φ(z)‖∞`` while
   ``‖Φ‖∞ > tol`` (``∇Ψ = VᵀΦ`` vanishing while ``Φ`` does not): a stationary point of the
   merit function that is not a root, ``MERIT_STATIONARY`` (``LOCALLY_INFEASIBLE``);
4. ``max_iter`` steps taken: ``ITERATION_LIMIT``;
5. the deadline passed: ``DEADLINE`` (``TIME_LIMIT``);
6. the step rule finds no decrease of ``Ψ`` (the line search falls below ``min_step``, or
   the damping of LM grows without bound): ``NO_DECREASE`` (``LOCALLY_INFEASIBLE``).

Every outcome keeps the last point and the per-iteration log (residual, merit, step
length, step kind), in which local quadratic convergence shows as the residual roughly
squaring from one iteration to the next.
"""

from __future__ import annotations

import time
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from enum import Enum

import numpy as np
import scipy.sparse as sp

from bilevel_mp.errors import OptionError
from bilevel_mp.ir.equations import EquationSystem, SystemFunctions
from bilevel_mp.options import CheckedOptions
from bilevel_mp.solvers.base import Deadline
from bilevel_mp.status import TerminationStatus


class StoppingReason(Enum):
    """Why the driver stopped (the rule of the module docstring, in its order)."""

    NOT_FINITE = "residual not finite"
    ROOT = "root"
    LEAST_SQUARES = "least-squares point"
    MERIT_STATIONARY = "stationary point of the merit function that is not a root"
    ITERATION_LIMIT = "iteration limit"
    DEADLINE = "deadline"
    NO_DECREASE = "no decrease of the merit function"


NEWTON_STATUS: dict[StoppingReason, TerminationStatus] = {
    StoppingReason.NOT_FINITE: TerminationStatus.NUMERICAL_ERROR,
    StoppingReason.ROOT: TerminationStatus.LOCALLY_SOLVED,
    StoppingReason.LEAST_SQUARES: TerminationStatus.LOCALLY_SOLVED,
    StoppingReason.MERIT_STATIONARY: TerminationStatus.LOCALLY_INFEASIBLE,
    StoppingReason.ITERATION_LIMIT: TerminationStatus.ITERATION_LIMIT,
    StoppingReason.DEADLINE: TerminationStatus.TIME_LIMIT,
    StoppingReason.NO_DECREASE: TerminationStatus.LOCALLY_INFEASIBLE,
}
"""Every :class:`StoppingReason` -> :class:`TerminationStatus` (a test checks that each
reason has an entry)."""


@dataclass(frozen=True)
class NewtonOptions(CheckedOptions):
    """Options shared by the Newton-type solvers.

    Attributes
    ----------
    tol
        Convergence: ``‖Φ‖∞ <= tol``.
    max_iter
        Largest number of steps.
    sigma
        Armijo constant of the line search, ``Ψ(z + t d) <= Ψ(z) + σ t ∇Ψ·d``.
    backtrack
        Step shrink factor of the line search.
    min_step
        Smallest step length tried before declaring no decrease.
    stationary_tol
        ``‖∇Ψ‖∞ / ‖Φ‖∞`` below which a point that is not a root is declared a
        stationary point of the merit function.
    least_squares
        The system is overdetermined and need not have a root (LLVF (8.13) without the
        copy ``z``): a stationary point of ``Ψ`` with ``‖∇Ψ‖∞ <= tol`` is the answer
        (``LOCALLY_SOLVED``, raw status saying it is a least-squares point).
    """

    tol: float = 1e-9
    max_iter: int = 200
    sigma: float = 1e-4
    backtrack: float = 0.5
    min_step: float = 1e-10
    stationary_tol: float = 1e-10
    least_squares: bool = False


@dataclass
class NewtonState:
    """The iterate and what the driver knows about it."""

    z: np.ndarray
    phi: np.ndarray
    jac: sp.csr_matrix
    iteration: int = 0
    history: list[dict] = field(default_factory=list)

    @property
    def merit(self) -> float:
        """``Ψ(z) = ½‖Φ(z)‖²``."""
        return 0.5 * float(self.phi @ self.phi)

    @property
    def residual(self) -> float:
        """``‖Φ(z)‖∞``."""
        return float(np.max(np.abs(self.phi), initial=0.0))

    def gradient(self) -> np.ndarray:
        """``∇Ψ(z) = Vᵀ Φ(z)`` with the generalized Jacobian element ``V``."""
        return self.jac.T @ self.phi


@dataclass
class EquationResult:
    """What a Newton-type solve returns: the stopping reason, its termination
    (:data:`NEWTON_STATUS`) and the raw text with the numbers behind it."""

    reason: StoppingReason
    raw_status: str
    z: np.ndarray
    residual: float
    iterations: int
    solve_time: float
    history: list[dict]

    @property
    def status(self) -> TerminationStatus:
        """The termination of the solve."""
        return NEWTON_STATUS[self.reason]


class StepRule(ABC):
    """How one step is computed from the state."""

    name: str
    needs_square: bool = False

    @abstractmethod
    def step(self, state: NewtonState, funcs: SystemFunctions, p: np.ndarray,
             options: NewtonOptions) -> tuple[np.ndarray, str] | None:
        """The next iterate and the kind of step taken, or ``None`` when no decrease."""


def armijo(state: NewtonState, direction: np.ndarray, funcs: SystemFunctions,
           p: np.ndarray, options: NewtonOptions) -> np.ndarray | None:
    """Backtracking line search on ``Ψ`` along ``direction``; the new point or ``None``."""
    slope = float(state.gradient() @ direction)
    if not slope < 0.0:
        return None
    t = 1.0
    while t >= options.min_step:
        trial = state.z + t * direction
        # a long trial step may overflow the residual (inf - inf in Fischer-Burmeister's
        # sqrt(a² + b²) - a - b): such a trial is rejected, not reported to the user
        with np.errstate(over="ignore", invalid="ignore"):
            phi = funcs.residual(trial, p)
            accept = np.all(np.isfinite(phi)) and (
                0.5 * phi @ phi <= state.merit + options.sigma * t * slope)
        if accept:
            return trial
        t *= options.backtrack
    return None


def solve_system(
    system: EquationSystem,
    rule: StepRule,
    options: NewtonOptions | None = None,
    z0: np.ndarray | None = None,
    p: np.ndarray | None = None,
    deadline: Deadline | None = None,
    funcs: SystemFunctions | None = None,
) -> EquationResult:
    """Run ``rule`` on ``system`` from ``z0`` until the stopping rule of the module fires.

    Raises
    ------
    OptionError
        When ``rule`` needs a square system and ``system`` is not square.
    """
    if rule.needs_square and not system.square:
        raise OptionError(f"{rule.name} needs a square system; this one has {system.n_rows} "
                          f"equations in {system.nz} unknowns (use levenberg-marquardt)")
    options = options or NewtonOptions()
    deadline = deadline or Deadline()
    funcs = funcs or SystemFunctions(system)
    p = system.p_values if p is None else p
    t0 = time.perf_counter()
    z = np.array(system.z0 if z0 is None else z0, dtype=float)
    state = NewtonState(z, *funcs.evaluate(z, p))
    reason, raw = _stop(state, options, deadline)
    kind = "start"
    while reason is None:
        state.history.append({"iteration": state.iteration, "residual": state.residual,
                              "merit": state.merit, "step": kind})
        taken = rule.step(state, funcs, p, options)
        if taken is None:
            reason, raw = StoppingReason.NO_DECREASE, StoppingReason.NO_DECREASE.value
            break
        z_new, kind = taken
        state.z = z_new
        state.phi, state.jac = funcs.evaluate(z_new, p)
        state.iteration += 1
        reason, raw = _stop(state, options, deadline)
    state.history.append({"iteration": state.iteration, "residual": state.residual,
                          "merit": state.merit, "step": kind})
    return EquationResult(reason, raw, state.z, state.residual, state.iteration,
                          time.perf_counter() - t0, state.history)


def _stop(state: NewtonState, options: NewtonOptions,
          deadline: Deadline) -> tuple[StoppingReason | None, str]:
    """The stopping rule of the module docstring: the reason and its raw text (``None``:
    go on)."""
    if not np.all(np.isfinite(state.phi)) or not np.all(np.isfinite(state.z)):
        return StoppingReason.NOT_FINITE, StoppingReason.NOT_FINITE.value
    if state.residual <= options.tol:
        return StoppingReason.ROOT, f"‖Φ‖∞ = {state.residual:.2e} <= tol"
    gradient = float(np.max(np.abs(state.gradient()), initial=0.0))
    if options.least_squares and gradient <= options.tol:
        return (StoppingReason.LEAST_SQUARES,
                f"least-squares point: ‖∇Ψ‖∞ = {gradient:.2e}, ‖Φ‖∞ = {state.residual:.2e}")
    if gradient <= options.stationary_tol * state.residual:
        return StoppingReason.MERIT_STATIONARY, StoppingReason.MERIT_STATIONARY.value
    if state.iteration >= options.max_iter:
        return StoppingReason.ITERATION_LIMIT, f"{options.max_iter} iterations"
    if deadline.expired():
        return StoppingReason.DEADLINE, StoppingReason.DEADLINE.value
    return None, ""
