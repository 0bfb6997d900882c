"""IPOPT through CasADi's ``nlpsol`` (the IPOPT bundled with CasADi, exact sparse Hessians).

The solver is built once per NLP structure; every number a driver changes (relaxation t,
penalty λ, smoothing μ, the x of a lower-level re-solve) is an entry of the parameter
vector ``p``, so a homotopy re-solves without recompiling.
"""

from __future__ import annotations

import time

import casadi as ca
import numpy as np

from bilevel_mp.errors import OptionError
from bilevel_mp.ir.derivatives import hessian, jacobian_function
from bilevel_mp.ir.nlp import NLP
from bilevel_mp.solvers.base import Backend, BackendResult, CompiledSolver, Deadline
from bilevel_mp.status import TerminationStatus

IPOPT_STATUS: dict[str, TerminationStatus] = {
    "Solve_Succeeded": TerminationStatus.LOCALLY_SOLVED,
    "Solved_To_Acceptable_Level": TerminationStatus.ALMOST_LOCALLY_SOLVED,
    "Feasible_Point_Found": TerminationStatus.LOCALLY_SOLVED,
    "Infeasible_Problem_Detected": TerminationStatus.LOCALLY_INFEASIBLE,
    "Search_Direction_Becomes_Too_Small": TerminationStatus.NUMERICAL_ERROR,
    "Diverging_Iterates": TerminationStatus.NORM_LIMIT,
    "User_Requested_Stop": TerminationStatus.TIME_LIMIT,
    "Maximum_Iterations_Exceeded": TerminationStatus.ITERATION_LIMIT,
    "Maximum_CpuTime_Exceeded": TerminationStatus.TIME_LIMIT,
    "Maximum_WallTime_Exceeded": TerminationStatus.TIME_LIMIT,
    "Restoration_Failed": TerminationStatus.NUMERICAL_ERROR,
    "Error_In_Step_Computation": TerminationStatus.NUMERICAL_ERROR,
    "Invalid_Number_Detected": TerminationStatus.NUMERICAL_ERROR,
    "Not_Enough_Degrees_Of_Freedom": TerminationStatus.INVALID_MODEL,
    "Invalid_Problem_Definition": TerminationStatus.INVALID_MODEL,
    "Invalid_Option": TerminationStatus.INVALID_MODEL,
    "Unrecoverable_Exception": TerminationStatus.OTHER_ERROR,
    "NonIpopt_Exception_Thrown": TerminationStatus.OTHER_ERROR,
    "Insufficient_Memory": TerminationStatus.OTHER_ERROR,
    "Internal_Error": TerminationStatus.OTHER_ERROR,
}
"""IPOPT's ``ApplicationReturnStatus`` (CasADi's ``return_status`` text) ->
:class:`TerminationStatus`; every value of IPOPT's enum has an entry (a test checks it).

``Solved_To_Acceptable_Level`` (only the ``acceptable_*`` tolerances met) is
``ALMOST_LOCALLY_SOLVED``; ``Diverging_Iterates`` (iterates beyond
``diverging_iterates_tol``) is ``NORM_LIMIT``: a local solver whose iterates grow has
not shown that the problem is unbounded; ``User_Requested_Stop``
comes from our deadline callback (``OTHER_ERROR`` when the deadline has not passed, see
:func:`ipopt_termination`)."""


def ipopt_termination(raw: str, deadline_passed: bool) -> TerminationStatus:
    """The termination of an IPOPT run with return status ``raw``.

    A status outside :data:`IPOPT_STATUS` (none is known) is ``OTHER_ERROR``; the raw text
    is kept next to it by the caller. ``User_Requested_Stop`` is ``TIME_LIMIT`` only when
    our deadline callback asked for it (``deadline_passed``).
    """
    if raw == "User_Requested_Stop" and not deadline_passed:
        return TerminationStatus.OTHER_ERROR
    return IPOPT_STATUS.get(raw, TerminationStatus.OTHER_ERROR)


DEFAULT_OPTIONS: dict[str, object] = {
    "tol": 1e-9,
    "acceptable_tol": 1e-6,
    "max_iter": 3000,
    "print_level": 0,
    "sb": "yes",
}
"""IPOPT options used unless the caller overrides them (``ipopt_options=``)."""

WARM_OPTIONS: dict[str, object] = {
    "warm_start_init_point": "yes",
    "warm_start_bound_push": 1e-9,
    "warm_start_mult_bound_push": 1e-9,
    "mu_init": 1e-6,
}
"""Extra options of the warm-start variant used from the second homotopy stage on."""


class _DeadlineCallback(ca.Callback):
    """IPOPT iteration callback that requests a stop once the deadline has passed."""

    def __init__(self, nz: int, ng: int, np_: int) -> None:
        ca.Callback.__init__(self)
        self._sizes = {"x": nz, "lam_x": nz, "g": ng, "lam_g": ng, "p": np_, "lam_p": np_}
        self.deadline = Deadline()
        self.construct("deadline", {})

    def get_n_in(self):  # noqa: D102 (CasADi protocol)
        return ca.nlpsol_n_out()

    def get_n_out(self):  # noqa: D102
        return 1

    def get_name_in(self, i):  # noqa: D102
        return ca.nlpsol_out(i)

    def get_name_out(self, i):  # noqa: D102
        return "ret"

    def get_sparsity_in(self, i):  # noqa: D102
        name = ca.nlpsol_out(i)
        if name == "f":
            return ca.Sparsity.scalar()
        return ca.Sparsity.dense(self._sizes.get(name, 0))

    def eval(self, arg):  # noqa: D102
        return [1 if self.deadline.expired() else 0]


def _mx_problem(nlp: NLP) -> dict[str, ca.MX]:
    """The NLP as calls of SX functions, the constraints with a row-split Jacobian.

    IPOPT then gets exact sparse derivatives without CasADi colouring a Jacobian that has
    both dense rows and dense columns (see :mod:`bilevel_mp.ir.derivatives`).
    """
    z = ca.MX.sym("z", nlp.nz)
    p = ca.MX.sym("p", nlp.p.numel())
    objective = ca.Function("nlp_f", [nlp.z, nlp.p], [nlp.f])
    constraints = jacobian_function("nlp_g", nlp.g, [nlp.z, nlp.p])
    return {"x": z, "p": p, "f": objective(z, p), "g": constraints(z, p)}


def _mx_hessian_option(nlp: NLP) -> dict[str, ca.Function]:
    """For an NLP on ``MX``: IPOPT's Hessian of the Lagrangian (upper triangle) as the
    Jacobian of its gradient (see :func:`bilevel_mp.ir.derivatives.hessian`); CasADi's
    default builds it with a symmetric colouring that is prohibitive for dense ``MX``."""
    if not isinstance(nlp.f, ca.MX):
        return {}
    lam_f, lam_g = ca.MX.sym("lam_f"), ca.MX.sym("lam_g", nlp.g.numel())
    lagrangian = lam_f * nlp.f + ca.dot(lam_g, nlp.g)
    hess = ca.triu(hessian(lagrangian, nlp.z))
    return {"hess_lag": ca.Function("nlp_hess_l", [nlp.z, nlp.p, lam_f, lam_g], [hess],
                                    ["x", "p", "lam_f", "lam_g"], ["hess_gamma_x_x"])}


def _last_line(message: str) -> str:
    """The reason at the end of a CasADi error (``.../file.cpp:320: No such IPOPT option:
    nope`` -> ``No such IPOPT option: nope``)."""
    line = message.strip().splitlines()[-1]
    return line.split(": ", 1)[-1] if line.startswith(".../") else line


DERIVATIVE_FUNCTIONS: dict[str, str] = {
    "grad_f": "nlp_grad_f", "jac_g": "nlp_jac_g", "hess_lag": "nlp_hess_l"}
"""``nlpsol`` options that take the derivative functions IPOPT calls, and the names under
which a built solver holds the ones it made (``nlp_hess_l`` only with exact Hessians)."""


def _derivative_functions(solver: ca.Function) -> dict[str, ca.Function]:
    """The derivative functions of the built ``solver``, as ``nlpsol`` options for another
    solver of the same NLP."""
    return {option: solver.get_function(name) for option, name in DERIVATIVE_FUNCTIONS.items()
            if solver.has_function(name)}


class IpoptSolver(CompiledSolver):
    """One NLP structure compiled for IPOPT (a cold and, on demand, a warm variant)."""

    def __init__(self, nlp: NLP, options: dict | None = None) -> None:
        self.nlp = nlp
        self._ipopt_options = {**DEFAULT_OPTIONS, **(options or {})}
        self._callback = _DeadlineCallback(nlp.nz, nlp.g.numel(), nlp.p.numel())
        t0 = time.perf_counter()
        self._problem = _mx_problem(nlp)
        self._hessian = _mx_hessian_option(nlp)
        self._solvers: dict[bool, ca.Function] = {}
        self.build_time = time.perf_counter() - t0
        self._get(False)

    def _get(self, warm: bool) -> ca.Function:
        if warm not in self._solvers:
            t0 = time.perf_counter()
            opts = {**self._ipopt_options, **(WARM_OPTIONS if warm else {})}
            # the warm variant calls the cold one's derivative functions: CasADi derives
            # the NLP once (the warm options are IPOPT's, the derivatives are the same)
            derivatives = _derivative_functions(self._solvers[False]) if warm else {}
            try:
                self._solvers[warm] = ca.nlpsol(
                    "ipopt_warm" if warm else "ipopt", "ipopt", self._problem,
                    {
                        "ipopt": opts,
                        "print_time": False,
                        "error_on_fail": False,
                        "iteration_callback": self._callback,
                        **self._hessian,
                        **derivatives,
                    },
                )
            except RuntimeError as exc:  # CasADi reports IPOPT's option check this way
                raise OptionError(f"IPOPT rejected the options {self._ipopt_options}: "
                                  f"{_last_line(str(exc))}") from None
            self.build_time += time.perf_counter() - t0
        return self._solvers[warm]

    def solve(self, p, z0, lam_g0=None, lam_z0=None, deadline=None, warm=False,
              g_bounds=None):
        """Solve once; see :meth:`CompiledSolver.solve`."""
        nlp = self.nlp
        solver = self._get(warm)
        self._callback.deadline = deadline or Deadline()
        g_lb, g_ub = g_bounds if g_bounds is not None else (nlp.g_lb, nlp.g_ub)
        args = {
            "x0": np.clip(z0, nlp.z_lb, nlp.z_ub), "p": p,
            "lbx": nlp.z_lb, "ubx": nlp.z_ub, "lbg": g_lb, "ubg": g_ub,
        }
        if warm and lam_g0 is not None:
            args["lam_g0"] = lam_g0
        if warm and lam_z0 is not None:
            args["lam_x0"] = lam_z0
        t0 = time.perf_counter()
        out = solver(**args)
        elapsed = time.perf_counter() - t0
        stats = solver.stats()
        raw = str(stats.get("return_status", "unknown"))
        status = ipopt_termination(raw, self._callback.deadline.expired())
        return BackendResult(
            status=status, raw_status=raw,
            z=np.asarray(out["x"]).ravel(), objective=float(out["f"]),
            g=np.asarray(out["g"]).ravel(), lam_g=np.asarray(out["lam_g"]).ravel(),
            lam_z=np.asarray(out["lam_x"]).ravel(),
            iterations=int(stats.get("iter_count", 0)), solve_time=elapsed,
        )


class IpoptBackend(Backend):
    """IPOPT via CasADi (always available: CasADi ships IPOPT)."""

    name = "ipopt"

    def available(self) -> tuple[bool, str]:
        """CasADi's bundled IPOPT is a hard dependency, so always available."""
        return ca.has_nlpsol("ipopt"), "reinstall casadi (its wheel bundles IPOPT)"

    def build(self, nlp: NLP, options: dict | None = None) -> IpoptSolver:
        """Compile ``nlp``; ``options`` are IPOPT options overriding the defaults."""
        return IpoptSolver(nlp, options)
