"""The value-function relaxation ``R_k`` of ``llvf-cuts``: an NLP in ``z = (x, y)``.

Survey §8, (LLVF), §8.5: ``y ∈ S(x)`` is ``f(x, y) <= φ(x)`` with
``φ(x) = min_z {f(x, z) : g(x, z) <= 0, h(x, z) = 0}``, and for lower-level points
``z_1, ..., z_k`` feasible at every x, ``φ(x) <= f(x, z_j)``, so

    R_k:  min_{x,y} F(x, y)  s.t.  G <= 0, H = 0, g(x, y) <= 0, h(x, y) = 0,
                                   f(x, y) - f(x, z_j) <= 0,  j = 1..k

relaxes the bilevel program. The objective is ``F / s_F``
(:func:`upper_objective_scale`), so that a solver's absolute epsilons are relative to
F's scale; :attr:`ValueFunctionInverseData.F_scale` maps values back. Model parameters
are substituted by their values. This layer builds the problem and solves nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import casadi as ca
import numpy as np

from bilevel_mp.ir.nlp import NLP
from bilevel_mp.ir.program import BilevelProgram, unit_steps
from bilevel_mp.reformulations.base import BilevelSolution, InverseData, Reformulation


def upper_objective_scale(program: BilevelProgram) -> float:
    """``s_F``: the spread of F over the model's start and unit steps around it (x and y
    moved together), or ``|F|`` there when larger; 1 when both vanish."""
    xs = [program.x0, *unit_steps(program.x0, program.x_lb, program.x_ub)]
    ys = [program.y0, *unit_steps(program.y0, program.y_lb, program.y_ub)]
    values = [program.evaluate(x, y)["F"] for x, y in zip(xs, ys, strict=True)]
    values = [v for v in values if np.isfinite(v)]
    scale = max([max(values) - min(values), *map(abs, values)], default=0.0)
    return scale if scale > 0 else 1.0


@dataclass(frozen=True)
class ValueFunctionInverseData(InverseData):
    """What maps a point and a value of ``R_k`` back: ``n`` upper-level variables lead
    ``z``, the objective is ``F / F_scale``, and ``integer`` flags the entries of ``z``
    that must be integral (the integer upper-level variables)."""

    n: int
    F_scale: float
    integer: np.ndarray


class ValueFunctionRelaxation(Reformulation):
    """Bilevel program -> ``R_k`` with one cut ``f(x, y) <= f(x, z_j)`` per lower-level
    point of ``cut_points`` (module docstring)."""

    name = "llvf relaxation"

    def __init__(self, cut_points: Sequence[np.ndarray] = ()) -> None:
        self.cut_points = [np.asarray(p, dtype=float) for p in cut_points]

    def accepts(self, problem: BilevelProgram) -> tuple[bool, str]:
        """Any program without integer lower-level variables."""
        reason = problem.integer_ll_reason("the relaxation does not support them")
        return reason == "", reason

    def apply(self, problem: BilevelProgram) -> tuple[NLP, ValueFunctionInverseData]:
        """``R_k`` started at the model's start point."""
        pr = problem
        F, G, H, g, h, f = (ca.substitute([e], [pr.p], [ca.DM(pr.p_values)])[0]
                            for e in (pr.F, pr.G, pr.H, pr.g, pr.h, pr.f))
        cuts = [f - ca.substitute([f], [pr.y], [ca.DM(point)])[0] for point in self.cut_points]
        nG, nH, nq, nh = G.numel(), H.numel(), g.numel(), h.numel()
        scale = upper_objective_scale(pr)
        nlp = NLP(
            z=ca.vertcat(pr.x, pr.y), f=F / scale, g=ca.vertcat(G, H, g, h, *cuts),
            z_lb=np.concatenate([pr.x_lb, pr.y_lb]), z_ub=np.concatenate([pr.x_ub, pr.y_ub]),
            g_lb=np.concatenate([np.full(nG, -np.inf), np.zeros(nH), np.full(nq, -np.inf),
                                 np.zeros(nh), np.full(len(cuts), -np.inf)]),
            g_ub=np.zeros(nG + nH + nq + nh + len(cuts)),
            z0=np.concatenate([pr.x0, pr.y0]), p=ca.SX.zeros(0), p_values=np.zeros(0))
        integer = np.concatenate([pr.x_integer, np.zeros(pr.ny, dtype=bool)])
        return nlp, ValueFunctionInverseData(pr.nx, scale, integer)

    def invert(self, solution: np.ndarray, inverse_data: ValueFunctionInverseData
               ) -> BilevelSolution:
        """x and y of a point of ``R_k``."""
        z = np.asarray(solution, dtype=float)
        return BilevelSolution(x=z[:inverse_data.n], y=z[inverse_data.n:])
