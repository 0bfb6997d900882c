"""An integer price against a follower who buys below its valuation.

The leader picks an integer price ``x ∈ {0, ..., 5}``; the follower buys a fraction
``y ∈ [0, 1]`` and minimizes ``(x - c) y``: it buys everything when ``x < c`` and nothing
when ``x > c``. The leader maximizes its revenue ``x y`` less a small cost ``0.01 x`` (which
breaks the tie at ``x = c`` towards the lower price). The answer is the largest integer at
most ``c``, ``x*(c) = Σⱼ [c ≥ j]`` (``j = 1..5``), a piecewise-constant solution map: the
smallest case of the combinatorial gradients of BiGrad (Alesiani 2023), on which
``bmp.perturbed_gradient`` is checked against the closed form of its Gaussian smoothing.
Solved globally by ``kkt-bigm`` (a linear lower level).
"""

from __future__ import annotations

import pyomo.environ as pyo

import bilevel_mp as bmp


def build(c: float = 2.5) -> pyo.ConcreteModel:
    """The model with valuation ``c`` (a mutable Param ``m.c``)."""
    m = pyo.ConcreteModel(name="integer_pricing")
    m.c = pyo.Param(initialize=c, mutable=True)
    m.x = pyo.Var(within=pyo.Integers, bounds=(0, 5))
    m.L = bmp.LowerLevel()
    m.L.y = pyo.Var(bounds=(0, 1))
    m.L.obj = pyo.Objective(expr=(m.x - m.c) * m.L.y)
    m.obj = pyo.Objective(expr=m.x * m.L.y - 0.01 * m.x, sense=pyo.maximize)
    return m
