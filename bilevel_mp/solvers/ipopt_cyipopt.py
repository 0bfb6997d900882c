"""Optional IPOPT back-end through cyipopt (``pip install bilevel_mp[cyipopt]``).

Uses the system's IPOPT (whatever cyipopt links against) with derivatives from CasADi:
gradient, sparse constraint Jacobian and the sparse lower triangle of the Lagrangian
Hessian. Statuses map through the same table as the CasADi back-end.
"""

from __future__ import annotations

import importlib.util
import time

import casadi as ca
import numpy as np

from bilevel_mp.ir.derivatives import sparse_jacobian
from bilevel_mp.ir.nlp import NLP
from bilevel_mp.solvers.base import Backend, BackendResult, CompiledSolver, Deadline
from bilevel_mp.solvers.ipopt import DEFAULT_OPTIONS, WARM_OPTIONS, ipopt_termination

CYIPOPT_STATUS_NAMES: dict[int, str] = {
    0: "Solve_Succeeded", 1: "Solved_To_Acceptable_Level",
    2: "Infeasible_Problem_Detected", 3: "Search_Direction_Becomes_Too_Small",
    4: "Diverging_Iterates", 5: "User_Requested_Stop", 6: "Feasible_Point_Found",
    -1: "Maximum_Iterations_Exceeded", -2: "Restoration_Failed",
    -3: "Error_In_Step_Computation", -4: "Maximum_CpuTime_Exceeded",
    -5: "Maximum_WallTime_Exceeded", -10: "Not_Enough_Degrees_Of_Freedom",
    -11: "Invalid_Problem_Definition", -12: "Invalid_Option",
    -13: "Invalid_Number_Detected", -100: "Unrecoverable_Exception",
    -101: "NonIpopt_Exception_Thrown", -102: "Insufficient_Memory", -199: "Internal_Error",
}
"""IPOPT's numeric ApplicationReturnStatus -> its name (then
:data:`~bilevel_mp.solvers.ipopt.IPOPT_STATUS`)."""


class _Callbacks:
    """The cyipopt problem interface for one NLP and fixed parameter values."""

    def __init__(self, funcs: dict[str, ca.Function], p: np.ndarray, deadline: Deadline):
        self.f, self.p, self.deadline = funcs, p, deadline
        self.iterations = 0

    def objective(self, z):  # noqa: D102 (cyipopt protocol)
        return float(self.f["f"](z, self.p))

    def gradient(self, z):  # noqa: D102
        return np.asarray(self.f["grad"](z, self.p)).ravel()

    def constraints(self, z):  # noqa: D102
        return np.asarray(self.f["g"](z, self.p)).ravel()

    def jacobian(self, z):  # noqa: D102
        return np.asarray(self.f["jac"](z, self.p).nonzeros())

    def jacobianstructure(self):  # noqa: D102
        return self.f["jac_rc"]

    def hessian(self, z, lagrange, obj_factor):  # noqa: D102
        return np.asarray(self.f["hess"](z, self.p, obj_factor, lagrange).nonzeros())

    def hessianstructure(self):  # noqa: D102
        return self.f["hess_rc"]

    def intermediate(self, *args):  # noqa: D102
        self.iterations = int(args[1])
        return not self.deadline.expired()


class CyipoptSolver(CompiledSolver):
    """An NLP compiled into CasADi derivative functions, solved by cyipopt."""

    def __init__(self, nlp: NLP, options: dict | None = None) -> None:
        t0 = time.perf_counter()
        self.nlp = nlp
        self.options = {**DEFAULT_OPTIONS, **(options or {})}
        z, p = nlp.z, nlp.p
        sigma = ca.SX.sym("sigma")
        lam = ca.SX.sym("lam", nlp.g.numel())
        jac = sparse_jacobian(nlp.g, z)
        hess = ca.tril(ca.hessian(sigma * nlp.f + ca.dot(lam, nlp.g), z)[0])
        self.funcs = {
            "f": ca.Function("cy_f", [z, p], [nlp.f]),
            "grad": ca.Function("cy_grad", [z, p], [ca.gradient(nlp.f, z)]),
            "g": ca.Function("cy_g", [z, p], [nlp.g]),
            "jac": ca.Function("cy_jac", [z, p], [jac]),
            "hess": ca.Function("cy_hess", [z, p, sigma, lam], [hess]),
            "jac_rc": tuple(np.asarray(i) for i in jac.sparsity().get_triplet()),
            "hess_rc": tuple(np.asarray(i) for i in hess.sparsity().get_triplet()),
        }
        self.build_time = time.perf_counter() - t0

    def solve(self, p, z0, lam_g0=None, lam_z0=None, deadline=None, warm=False,
              g_bounds=None):
        """Solve once; see :meth:`CompiledSolver.solve`."""
        import cyipopt

        nlp = self.nlp
        cb = _Callbacks(self.funcs, p, deadline or Deadline())
        g_lb, g_ub = g_bounds if g_bounds is not None else (nlp.g_lb, nlp.g_ub)
        problem = cyipopt.Problem(
            n=nlp.nz, m=nlp.g.numel(), problem_obj=cb,
            lb=nlp.z_lb, ub=nlp.z_ub, cl=g_lb, cu=g_ub,
        )
        for key, val in {**self.options, **(WARM_OPTIONS if warm else {})}.items():
            problem.add_option(key, val)
        kwargs = {}
        if warm and lam_g0 is not None:
            kwargs["lagrange"] = lam_g0
        if warm and lam_z0 is not None:
            kwargs["zl"] = np.maximum(-lam_z0, 0.0)
            kwargs["zu"] = np.maximum(lam_z0, 0.0)
        t0 = time.perf_counter()
        z, info = problem.solve(np.clip(z0, nlp.z_lb, nlp.z_ub), **kwargs)
        elapsed = time.perf_counter() - t0
        raw = CYIPOPT_STATUS_NAMES.get(int(info["status"]), str(info["status_msg"]))
        status = ipopt_termination(raw, cb.deadline.expired())
        return BackendResult(
            status=status, raw_status=raw, z=np.asarray(z), objective=float(info["obj_val"]),
            g=np.asarray(info["g"]), lam_g=np.asarray(info["mult_g"]),
            lam_z=np.asarray(info["mult_x_U"]) - np.asarray(info["mult_x_L"]),
            iterations=cb.iterations, solve_time=elapsed,
        )


class CyipoptBackend(Backend):
    """IPOPT via cyipopt (optional)."""

    name = "cyipopt"

    def available(self) -> tuple[bool, str]:
        """Available when cyipopt can be imported."""
        return (importlib.util.find_spec("cyipopt") is not None,
                "pip install 'bilevel_mp[cyipopt]' (cyipopt needs a system IPOPT, e.g. "
                "Debian's coinor-libipopt-dev, or conda-forge's cyipopt)")

    def build(self, nlp: NLP, options: dict | None = None) -> CyipoptSolver:
        """Compile ``nlp``'s derivative functions."""
        return CyipoptSolver(nlp, options)
