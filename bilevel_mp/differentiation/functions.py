"""Compiled derivatives of the single-level active system of a bilevel program.

With the lower-level Lagrangian ``ℓ = f + uᵀg + vᵀh``, the unknowns ``z = (x, y, u, v)``
and the nonlinear rows ``c = [∇_y ℓ; g; h; G; H]`` of the KKT reformulation (survey §7,
problem (KKT)), the upper-level Lagrangian of the active system is
``𝓛 = F + μᵀc`` (rows left out of the active system get ``μ = 0``; the linear rows —
bounds of ``x``, ``u_i = 0`` — have no curvature and are added by
:mod:`bilevel_mp.differentiation.active_system`).
"""

from __future__ import annotations

from collections import OrderedDict

import casadi as ca

from bilevel_mp.ir.derivatives import hessian, sparse_jacobian
from bilevel_mp.ir.program import BilevelProgram, symbol_like

CACHE_SIZE = 8
"""Programs whose compiled functions are kept (a learning loop re-solves one program with
new parameter values: the symbols, hence the functions, are shared)."""

_CACHE: OrderedDict[tuple[int, ...], tuple[tuple, SystemFunctions]] = OrderedDict()


class SystemFunctions:
    """The derivatives of one program's active system, as CasADi functions.

    ``point(x, y, p)``
        ``F, G, H, g, h, ∇_y f`` and the Jacobian of ``[G; H; g; h]`` in ``(x, y)``.
    ``first(x, y, u, v, p)``
        ``∇_z F, ∇_p F, c, ∂c/∂z, ∂c/∂p``.
    ``second(x, y, u, v, p, μ)``
        ``∇²_zz 𝓛`` and ``∂(∇_z 𝓛)/∂p``.
    """

    def __init__(self, program: BilevelProgram) -> None:
        pr = program
        m, q, r = pr.ny, pr.g.numel(), pr.h.numel()
        u, v = symbol_like(pr.x, "u", q), symbol_like(pr.x, "v", r)
        z = ca.vertcat(pr.x, pr.y, u, v)
        rows = ca.vertcat(ca.gradient(pr.f + ca.dot(u, pr.g) + ca.dot(v, pr.h), pr.y),
                          pr.g, pr.h, pr.G, pr.H)
        mult = symbol_like(pr.x, "mu", m + q + r + pr.G.numel() + pr.H.numel())
        lagrangian = pr.F + ca.dot(mult, rows)
        args = [pr.x, pr.y, u, v, pr.p]
        self.point = ca.Function(
            "sensitivity_point", [pr.x, pr.y, pr.p],
            [pr.F, pr.G, pr.H, pr.g, pr.h, ca.gradient(pr.f, pr.y),
             sparse_jacobian(ca.vertcat(pr.G, pr.H, pr.g, pr.h), ca.vertcat(pr.x, pr.y))])
        self.first = ca.Function(
            "sensitivity_first", args,
            [ca.gradient(pr.F, z), ca.gradient(pr.F, pr.p), rows, sparse_jacobian(rows, z),
             ca.jacobian(rows, pr.p)])
        self.second = ca.Function(
            "sensitivity_second", [*args, mult],
            [hessian(lagrangian, z), ca.jacobian(ca.gradient(lagrangian, z), pr.p)])


def system_functions(program: BilevelProgram) -> SystemFunctions:
    """The compiled :class:`SystemFunctions` of ``program``, shared by every program with
    the same symbols (``dataclasses.replace(program, p_values=...)`` compiles nothing)."""
    symbols = (program.x, program.y, program.p, program.F, program.G, program.H, program.f,
               program.g, program.h)
    key = tuple(map(id, symbols))  # the entry holds the symbols, so the ids stay theirs
    if key in _CACHE:
        _CACHE.move_to_end(key)
        return _CACHE[key][1]
    functions = SystemFunctions(program)
    _CACHE[key] = (symbols, functions)
    if len(_CACHE) > CACHE_SIZE:
        _CACHE.popitem(last=False)
    return functions
