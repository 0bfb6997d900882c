"""The lower level at a fixed upper-level point, as one parametric object.

``LowerLevelAtX(program)`` is ``min_y f(x̄, y) s.t. g(x̄, y) <= 0, h(x̄, y) = 0`` with the
upper-level point ``x̄`` a parameter (the bounds of y are rows of ``g``, as everywhere in
the IR). Everything that solves the lower level at a given x builds on it: the
verification's re-solves (:mod:`bilevel_mp.checks.verify`: its exact LP/QP view and its
multistart and best-response NLPs), the implicit method's lower-level solves
(:mod:`bilevel_mp.methods.implicit`), the optimistic response of ``kkt-bigm``'s direction
cuts (:mod:`bilevel_mp.methods.bigm_cuts`, its LP view) and the exact cut points of
``llvf-cuts`` (:mod:`bilevel_mp.methods.value_function_cuts`). It is built once per
program and compiles nothing until a view is asked for.
"""

from __future__ import annotations

from functools import cached_property

import casadi as ca
import numpy as np

from bilevel_mp.ir.derivatives import hessian
from bilevel_mp.ir.nlp import NLP
from bilevel_mp.ir.program import BilevelProgram, symbol_like


class LowerLevelAtX:
    """The lower level of ``program`` with x a parameter (module docstring).

    Parameters
    ----------
    program
        The bilevel program.
    """

    def __init__(self, program: BilevelProgram) -> None:
        self.program = program

    @cached_property
    def x_fixed(self) -> ca.SX | ca.MX:
        """The parameter that stands for x."""
        pr = self.program
        return symbol_like(pr.x, "x_fixed", pr.nx)

    def at_fixed_x(self, expr: ca.SX | ca.MX) -> ca.SX | ca.MX:
        """``expr`` (in the program's symbols) with x replaced by :attr:`x_fixed`."""
        return ca.substitute(expr, self.program.x, self.x_fixed)

    @property
    def n_rows(self) -> int:
        """Number of rows ``[g; h]``."""
        return self.program.g.numel() + self.program.h.numel()

    def nlp(self, objective: ca.SX | ca.MX | None = None,
            extra_rows: ca.SX | ca.MX | None = None,
            extra: ca.SX | ca.MX | None = None, weighted: bool = False) -> NLP:
        """The NLP view: ``min_y objective s.t. [g; h; extra_rows]`` over free y.

        ``objective`` defaults to f; ``objective`` and ``extra_rows`` may use the
        symbols ``extra`` (further parameters). The parameter vector is ``[p; x̄; extra]``
        (see :meth:`parameters`) and, when ``weighted``, then ``[w; w0]``: the rows are
        multiplied by ``w`` and the objective by ``w0``, so that a caller can scale each
        row and the objective at solve time (the row bounds it passes are scaled alike).
        Rows are ``<= 0`` for g and ``= 0`` for h (the extra rows ``<= 0``); a weighted
        caller passes its own bounds at solve time.
        """
        pr = self.program
        objective = pr.f if objective is None else objective
        rows = ca.vertcat(pr.g, pr.h) if extra_rows is None else ca.vertcat(pr.g, pr.h,
                                                                            extra_rows)
        objective, rows = self.at_fixed_x(objective), self.at_fixed_x(rows)
        extra = type(pr.x)(0, 1) if extra is None else extra
        n_rows, q = rows.numel(), pr.g.numel()
        p = ca.vertcat(pr.p, self.x_fixed, extra)
        p_values = self.parameters(pr.x0, np.zeros(extra.numel()))
        if weighted:
            weights, weight0 = symbol_like(pr.x, "row_weights", n_rows), symbol_like(pr.x, "w0")
            objective, rows = weight0 * objective, weights * rows
            p = ca.vertcat(p, weights, weight0)
            p_values = np.concatenate([p_values, np.ones(n_rows + 1)])
        g_lb = np.full(n_rows, -np.inf)
        g_lb[q:q + pr.h.numel()] = 0.0
        return NLP(z=pr.y, f=objective, g=rows, z_lb=np.full(pr.ny, -np.inf),
                   z_ub=np.full(pr.ny, np.inf), g_lb=g_lb, g_ub=np.zeros(n_rows), z0=pr.y0,
                   p=p, p_values=p_values)

    def parameters(self, x: np.ndarray, extra: np.ndarray | list[float] = ()) -> np.ndarray:
        """The parameter vector ``[p; x̄; extra]`` of :meth:`nlp` at ``x̄ = x``."""
        return np.concatenate([self.program.p_values, np.asarray(x, dtype=float).ravel(),
                               np.asarray(extra, dtype=float).ravel()])

    @cached_property
    def f_hessian(self) -> ca.SX | ca.MX:
        """``∇²_yy f`` in the program's symbols, built once (the structure analysis's
        convexity test and the LP/QP view share it)."""
        return hessian(self.program.f, self.program.y)

    @cached_property
    def qp_data(self) -> ca.Function:
        """The LP/QP view: ``(x, p) -> (c, Q, Ag, bg, Ah, bh, f0)``, the data of ``f``,
        ``g`` and ``h`` at x as ``f0 + c'y + y'Qy/2``, ``Ag y + bg``, ``Ah y + bh`` (exact
        when f is at most quadratic and the rows linear in y; the structure analysis
        says when)."""
        pr = self.program
        zero = ca.DM.zeros(pr.ny)

        def at_zero(e):
            return ca.substitute(e, pr.y, zero)

        return ca.Function(
            "ll_qp_data", [pr.x, pr.p],
            [at_zero(ca.gradient(pr.f, pr.y)), at_zero(self.f_hessian),
             at_zero(ca.jacobian(pr.g, pr.y)), at_zero(pr.g),
             at_zero(ca.jacobian(pr.h, pr.y)), at_zero(pr.h), at_zero(pr.f)],
        )
