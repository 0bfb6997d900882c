"""KKT reformulation of a bilevel program (survey §7, problem (KKT), equivalence (7.2)).

With the LL Lagrangian ``ℓ(x, y, u, v) = f + u' g + v' h`` the bilevel program becomes::

    min_{x,y,u,v,s}  F(x, y)
    s.t.  G(x, y) <= 0,  H(x, y) = 0,  x_lb <= x <= x_ub,
          ∇_y ℓ(x, y, u, v) = 0,  h(x, y) = 0,  g(x, y) + s = 0,
          0 <= u ⊥ s >= 0.

The slacks ``s = -g`` put every complementarity pair between two variables, so the
relaxations of :mod:`bilevel_mp.reformulations.complementarity` act on simple bilinear
terms. Equivalent to (P) when the LL is convex and satisfies a constraint qualification
(Slater for convex LL); otherwise KKT points need not be LL optimal.
"""

from __future__ import annotations

from dataclasses import dataclass

import casadi as ca
import numpy as np

from bilevel_mp.ir.nlp import MPCC, NLP
from bilevel_mp.ir.program import BilevelProgram, symbol_like
from bilevel_mp.reformulations.base import BilevelSolution, InverseData, Reformulation

DISCRETE_LL_HAS_NO_KKT = ("the KKT conditions do not characterize optimality of a discrete "
                          "lower level")
"""Why no KKT-based method takes integer lower-level variables."""


@dataclass(frozen=True)
class KKTInverseData(InverseData):
    """Positions of x, y, the multipliers u (of g), v (of h) and slacks s in ``z``."""

    x: slice
    y: slice
    u: slice
    v: slice
    s: slice
    u_names: tuple[str, ...]
    v_names: tuple[str, ...]


def _block(start: int, size: int) -> slice:
    return slice(start, start + size)


class KKTReformulation(Reformulation):
    """Bilevel program -> MPCC through the LL KKT conditions."""

    name = "kkt"

    def accepts(self, problem: BilevelProgram) -> tuple[bool, str]:
        """KKT needs continuous LL variables (integer LL variables have no KKT system)."""
        if reason := problem.integer_ll_reason(DISCRETE_LL_HAS_NO_KKT):
            return False, reason
        return True, ""

    def apply(self, problem: BilevelProgram) -> tuple[MPCC, KKTInverseData]:
        """Build the MPCC; see the module docstring for the formula."""
        n, m = problem.nx, problem.ny
        q, r = problem.g.numel(), problem.h.numel()
        u, v, s = (symbol_like(problem.x, k, n) for k, n in (("u", q), ("v", r), ("s", q)))
        lagrangian = problem.f + ca.dot(u, problem.g) + ca.dot(v, problem.h)
        stationarity = ca.gradient(lagrangian, problem.y)
        z = ca.vertcat(problem.x, problem.y, u, v, s)
        rows = [problem.G, problem.H, stationarity, problem.h, problem.g + s]
        nG, nH = problem.G.numel(), problem.H.numel()
        g_lb = np.concatenate([np.full(nG, -np.inf), np.zeros(nH + m + r + q)])
        g_ub = np.zeros(nG + nH + m + r + q)
        free_y, free_v = np.full(m, np.inf), np.full(r, np.inf)
        z_lb = np.concatenate([problem.x_lb, -free_y, np.zeros(q), -free_v, np.zeros(q)])
        z_ub = np.concatenate([problem.x_ub, free_y, np.full(q, np.inf), free_v,
                               np.full(q, np.inf)])
        g0 = np.asarray(problem.evaluate(problem.x0, problem.y0)["g"])
        z0 = np.concatenate([problem.x0, problem.y0, np.zeros(q + r), np.maximum(-g0, 0.0)])
        u_names = tuple(f"u[{name}]" for name in problem.names["g"])
        v_names = tuple(f"v[{name}]" for name in problem.names["h"])
        nlp = NLP(
            z=z, f=problem.F, g=ca.vertcat(*rows), z_lb=z_lb, z_ub=z_ub,
            g_lb=g_lb, g_ub=g_ub, z0=z0, p=problem.p, p_values=problem.p_values,
            z_names=problem.names["x"] + problem.names["y"] + u_names + v_names
            + tuple(f"s[{name}]" for name in problem.names["g"]),
            g_names=problem.names["G"] + problem.names["H"]
            + tuple(f"dL/d{name}" for name in problem.names["y"]) + problem.names["h"]
            + tuple(f"{name} + s" for name in problem.names["g"]),
        )
        start_u, start_s = n + m, n + m + q + r
        inverse = KKTInverseData(
            x=_block(0, n), y=_block(n, m), u=_block(start_u, q), v=_block(start_u + q, r),
            s=_block(start_s, q), u_names=u_names, v_names=v_names,
        )
        mpcc = MPCC(
            nlp=nlp,
            pairs_a=np.arange(start_u, start_u + q),
            pairs_b=np.arange(start_s, start_s + q),
            pair_names=problem.names["g"],
        )
        return mpcc, inverse

    def invert(self, solution: np.ndarray, inverse_data: KKTInverseData) -> BilevelSolution:
        """Read x, y and the LL multipliers off the MPCC's point ``z``."""
        z = solution
        d = inverse_data
        return BilevelSolution(x=z[d.x], y=z[d.y], u=z[d.u], v=z[d.v])
