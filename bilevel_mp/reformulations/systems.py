"""Bilevel programs as semismooth equation systems (survey §7.4 and §8.4).

Shared notation: ``Ĝ(x, y) <= 0`` collects the upper-level inequalities ``G`` and the
finite bounds of ``x`` (the systems have no variable bounds), ``g, h`` are the lower-level
constraints (bounds of ``y`` included in ``g``) and ``ℓ(x, y, w, ω) = f + w'g + ω'h`` is
the lower-level Lagrangian. Every complementarity condition ``a >= 0, b >= 0, a b = 0``
becomes a Fischer–Burmeister row ``φ_FB(a, b) = 0`` of an
:class:`~bilevel_mp.ir.equations.EquationSystem`.

**KKT, W-stationarity** (§7.4, (7.6)–(7.8)). Unknowns ``(x, y, u, v, α, ζ, β, δ, γ)``
with the LL multipliers ``u, v`` and the MPCC multipliers ``α`` (of Ĝ), ``ζ`` (of H),
``β`` (of g), ``δ`` (of h), ``γ`` (of the LL stationarity ``∇_y ℓ = 0``)::

    L_K = F + α'Ĝ + ζ'H + β'g + δ'h + γ'∇_y ℓ(x, y, u, v)
    ∇_x L_K = 0,  ∇_y L_K = 0,  ∇_y ℓ = 0,  h = 0,  H = 0,  ∇_v L_K = ∇_y h γ = 0,
    φ_FB(α, -Ĝ) = 0,  φ_FB(u, -g) = 0,
    β_i g_i + u_i (∇_y g_i · γ) = 0         (square form, semismooth Newton)
    β_i g_i = 0,  u_i (∇_y g_i · γ) = 0     (split form, Levenberg–Marquardt)

The last rows give (7.8): ``β_i = 0`` where ``g_i < 0`` and ``∇_y g_i·γ = 0`` where
``u_i > 0``; the sign condition (7.9) on biactive pairs is not imposed, so a root is a
weakly stationary point; the stationarity classifier reports which type it is. The square
form has ``n + 2m + 2q + 2r + p_G + p_H`` rows and unknowns.

**LLVF** (§8.4, (8.13)) with penalty ``λ > 0`` (a parameter of the system). Square form,
with the copy ``z`` of ``y`` in the value-function blocks (unknowns
``(x, y, z, u, v, ζ, μ, w, ω)``)::

    L_λ = F + v'Ĝ + ζ'H + u'g(x, y) + μ'h(x, y) + λ (f(x, y) - ℓ(x, z, w, ω))
    ∇_x L_λ = 0,  ∇_y L_λ = 0,  ∇_z ℓ(x, z, w, ω) = 0,  H = 0,  h(x, y) = 0,  h(x, z) = 0,
    φ_FB(u, -g(x, y)) = 0,  φ_FB(v, -Ĝ) = 0,  φ_FB(w, -g(x, z)) = 0.

Non-square form (no copy; ``m - r`` more rows than unknowns)::

    L_λ = F + v'Ĝ + ζ'H + (u - λ w)'g + (μ - λ ω)'h
    ∇_{x,y} L_λ = 0,  ∇_y ℓ(x, y, w, ω) = 0,  H = 0,  h = 0,
    φ_FB(u, -g) = 0,  φ_FB(v, -Ĝ) = 0,  φ_FB(w, -g) = 0.

The two agree when ``z = y``: then ``∇_x (f(x, y) - ℓ(x, y, w, ω)) = -∇_x g'w - ∇_x h'ω``
and ``∇_y f = -∇_y g'w - ∇_y h'ω``.
"""

from __future__ import annotations

from dataclasses import dataclass

import casadi as ca
import numpy as np

from bilevel_mp.ir.equations import EquationSystem
from bilevel_mp.ir.program import BilevelProgram
from bilevel_mp.reformulations.base import BilevelSolution, InverseData, Reformulation


@dataclass(frozen=True)
class SystemInverseData(InverseData):
    """Where ``x``, ``y`` and the lower-level multipliers sit in the unknowns."""

    x: slice
    y: slice
    ll_u: slice
    ll_v: slice


class _Blocks:
    """Consecutive named blocks of unknowns (symbols, names and positions)."""

    def __init__(self) -> None:
        self.symbols: list[ca.SX] = []
        self.names: list[str] = []
        self.slices: dict[str, slice] = {}

    def add(self, key: str, size: int, names: tuple[str, ...] | None = None) -> ca.SX:
        start = sum(s.numel() for s in self.symbols)
        sym = ca.SX.sym(key, size)
        self.symbols.append(sym)
        self.names += list(names) if names is not None else [f"{key}[{i}]" for i in range(size)]
        self.slices[key] = slice(start, start + size)
        return sym

    def vector(self) -> ca.SX:
        return ca.vertcat(*self.symbols)


def ul_inequalities(program: BilevelProgram) -> tuple[ca.SX, tuple[str, ...]]:
    """``Ĝ``: the rows of ``G`` and the finite bounds of ``x`` as rows ``<= 0``."""
    rows, names = [program.G], list(program.names["G"])
    x = program.x
    for i, name in enumerate(program.names["x"]):
        if np.isfinite(program.x_lb[i]):
            rows.append(program.x_lb[i] - x[i])
            names.append(f"{name} >= {program.x_lb[i]:g}")
        if np.isfinite(program.x_ub[i]):
            rows.append(x[i] - program.x_ub[i])
            names.append(f"{name} <= {program.x_ub[i]:g}")
    return ca.vertcat(*rows), tuple(names)


def _system(blocks: _Blocks, program: BilevelProgram, smooth: list[ca.SX],
            fb: list[tuple[str, ca.SX]], z0_parts: dict[str, np.ndarray],
            parameters: dict[str, tuple[ca.SX, float]] | None = None) -> EquationSystem:
    """Assemble the :class:`EquationSystem`; FB rows pair block ``key`` with ``b``;
    ``parameters`` are method parameters ``{name: (symbol, default)}`` appended to ``p``."""
    parameters = parameters or {}
    n_p = program.p.numel()
    z = blocks.vector()
    fb_a = np.concatenate([np.arange(blocks.slices[k].start, blocks.slices[k].stop)
                           for k, _ in fb]) if fb else np.zeros(0, dtype=int)
    z0 = np.zeros(z.numel())
    for key, value in z0_parts.items():
        z0[blocks.slices[key]] = value
    return EquationSystem(
        z=z, smooth=ca.vertcat(*smooth), fb_a=fb_a.astype(int),
        fb_b=ca.vertcat(*[b for _, b in fb]),
        p=ca.vertcat(program.p, *[sym for sym, _ in parameters.values()]),
        p_values=np.concatenate([program.p_values, [v for _, v in parameters.values()]]),
        z0=z0, z_names=tuple(blocks.names),
        p_index={name: n_p + i for i, name in enumerate(parameters)},
    )


def _start(program: BilevelProgram) -> tuple[ca.SX, _Blocks, ca.SX, ca.SX]:
    """``Ĝ``, the blocks with ``x`` and ``y`` added, and those two symbols."""
    blocks = _Blocks()
    x = blocks.add("x", program.nx, program.names["x"])
    y = blocks.add("y", program.ny, program.names["y"])
    return ul_inequalities(program)[0], blocks, x, y


def _inverse(blocks: _Blocks, u: str, v: str) -> SystemInverseData:
    s = blocks.slices
    return SystemInverseData(x=s["x"], y=s["y"], ll_u=s[u], ll_v=s[v])


class _SystemReformulation(Reformulation):
    """Shared ``accepts``/``invert`` of the equation-system reformulations."""

    def accepts(self, problem: BilevelProgram) -> tuple[bool, str]:
        """Continuous lower-level variables are needed (the systems use ``∇_y``)."""
        if reason := problem.integer_ll_reason("no stationarity system exists"):
            return False, reason
        return True, ""

    def invert(self, solution: np.ndarray, inverse_data: SystemInverseData) -> BilevelSolution:
        """``x``, ``y`` and the lower-level multipliers read off a root."""
        d = inverse_data
        return BilevelSolution(x=solution[d.x], y=solution[d.y], u=solution[d.ll_u],
                               v=solution[d.ll_v])


class KKTSystem(_SystemReformulation):
    """The KKT reformulation as a W-stationarity system (module docstring)."""

    def __init__(self, square: bool = True) -> None:
        self.square = square
        self.name = "kkt-system" + ("" if square else ".split")

    def apply(self, problem: BilevelProgram) -> tuple[EquationSystem, SystemInverseData]:
        """Build the system of the module docstring."""
        pr = problem.as_sx  # the system's scalar rows (FB) are built on SX
        q, r, m = pr.g.numel(), pr.h.numel(), pr.ny
        G_hat, b, x, y = _start(pr)
        u, v = b.add("u", q), b.add("v", r)
        alpha, zeta = b.add("alpha", G_hat.numel()), b.add("zeta", pr.H.numel())
        beta, delta, gamma = b.add("beta", q), b.add("delta", r), b.add("gamma", m)
        sub = [pr.x, pr.y]
        G_hat, F, H, g, h, f = (ca.substitute([e], sub, [x, y])[0]
                                for e in (G_hat, pr.F, pr.H, pr.g, pr.h, pr.f))
        ll_stat = ca.gradient(f + ca.dot(u, g) + ca.dot(v, h), y)
        lk = (F + ca.dot(alpha, G_hat) + ca.dot(zeta, H) + ca.dot(beta, g) + ca.dot(delta, h)
              + ca.dot(gamma, ll_stat))
        dg_gamma = ca.gradient(lk, u)  # ∇_y g_i · γ
        comp = [beta * g + u * dg_gamma] if self.square else [beta * g, u * dg_gamma]
        smooth = [ca.gradient(lk, x), ca.gradient(lk, y), ll_stat, h, H,
                  ca.gradient(lk, v), *comp]
        system = _system(b, pr, smooth, [("alpha", -G_hat), ("u", -g)],
                         {"x": pr.x0, "y": pr.y0})
        return system, _inverse(b, "u", "v")


class ValueFunctionSystem(_SystemReformulation):
    """The LLVF stationarity system (8.13), square (copy ``z``) or not (module docstring)."""

    def __init__(self, square: bool = True) -> None:
        self.square = square
        self.name = "llvf-system" + ("" if square else ".nonsquare")

    def apply(self, problem: BilevelProgram) -> tuple[EquationSystem, SystemInverseData]:
        """Build the system; the penalty ``λ`` is the system parameter ``"lambda"``."""
        pr = problem.as_sx  # the system's scalar rows (FB) are built on SX
        q, r, m = pr.g.numel(), pr.h.numel(), pr.ny
        G_hat, b, x, y = _start(pr)
        zc = b.add("z", m) if self.square else y
        u, v = b.add("u", q), b.add("v", G_hat.numel())
        zeta, mu = b.add("zeta", pr.H.numel()), b.add("mu", r)
        w, omega = b.add("w", q), b.add("omega", r)
        lam = ca.SX.sym("lambda")

        def at(expr: ca.SX, yy: ca.SX) -> ca.SX:
            return ca.substitute([expr], [pr.x, pr.y], [x, yy])[0]

        F, G_h, H = at(pr.F, y), at(G_hat, y), at(pr.H, y)
        f, g, h = at(pr.f, y), at(pr.g, y), at(pr.h, y)
        g_z, h_z = at(pr.g, zc), at(pr.h, zc)
        ll_lagrangian = at(pr.f, zc) + ca.dot(w, g_z) + ca.dot(omega, h_z)
        base = F + ca.dot(v, G_h) + ca.dot(zeta, H)
        if self.square:
            lagrangian = base + ca.dot(u, g) + ca.dot(mu, h) + lam * (f - ll_lagrangian)
            smooth = [ca.gradient(lagrangian, x), ca.gradient(lagrangian, y),
                      ca.gradient(ll_lagrangian, zc), H, h, h_z]
            fb = [("u", -g), ("v", -G_h), ("w", -g_z)]
        else:
            lagrangian = base + ca.dot(u - lam * w, g) + ca.dot(mu - lam * omega, h)
            smooth = [ca.gradient(lagrangian, x), ca.gradient(lagrangian, y),
                      ca.gradient(ll_lagrangian, y), H, h]
            fb = [("u", -g), ("v", -G_h), ("w", -g)]
        start = {"x": pr.x0, "y": pr.y0}
        if self.square:
            start["z"] = pr.y0
        system = _system(b, pr, smooth, fb, start, {"lambda": (lam, 1.0)})
        return system, _inverse(b, "w", "omega")
