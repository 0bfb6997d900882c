"""Handlings of the complementarity pairs ``0 <= a ⊥ b >= 0`` of an MPCC (survey §7.1–7.3).

Each handling turns an :class:`~bilevel_mp.ir.nlp.MPCC` into an :class:`~bilevel_mp.ir.nlp.NLP`
with one method parameter (relaxation ``t``, penalty ``lambda`` or smoothing ``mu``) that a
driver moves without rebuilding the solver. In the KKT MPCC ``a = u`` (LL multipliers) and
``b = s = -g`` (LL slacks), so ``u_i g_i = 0`` reads ``a_i b_i = 0``.

=====================  =====================================================================
handling               constraints on each pair (t > 0 driven to 0 unless stated)
=====================  =====================================================================
product                ``a b = 0`` with ``a, b >= 0`` (no parameter)
scholtes               ``a b <= t``, ``a, b >= 0``  — Scholtes (2001); (KKT_t), R = S
lin-fukushima          ``a b <= t²``, ``(a + t)(b + t) >= t²``, ``a, b >= -t`` — Lin and
                       Fukushima (2005); R = LF. The bounds ``>= -t`` cut off the second
                       branch of the hyperbola and vanish as t -> 0.
kadrani                ``a >= -t``, ``b >= -t``, ``(a - t)(b - t) <= 0`` — Kadrani, Dussault
                       and Benchakroun (2009); R = KDB
steffensen-ulbrich     ``a, b >= 0``, ``φ_SU(a, b; t) <= 0`` with
                       ``φ_SU = a + b - |a - b|`` for ``|a - b| >= t`` and
                       ``a + b - t θ((a - b)/t)`` otherwise, ``θ(z) = 2/π sin(zπ/2 + 3π/2) + 1``
                       — Steffensen and Ulbrich (2010); R = SU
kanzow-schwartz        ``a, b >= 0``, ``φ_KS(a, b; t) <= 0`` with ``φ_KS = (a - t)(b - t)`` for
                       ``a + b >= 2t`` and ``-½((a - t)² + (b - t)²)`` otherwise — Kanzow
                       and Schwartz (2013); R = KS
penalty                objective ``+ λ Σ a_i b_i``, ``a, b >= 0``; λ increased — partial
                       penalization (KKT_λ), §7.1 (``-λ u'g = λ u's``)
fb                     ``sqrt(a² + b² + 2μ²) - a - b = 0`` — smoothed Fischer–Burmeister
                       NCP function (7.4); at μ = 0 it is φ_FB(a, b) = 0; μ -> 0
min                    ``a + b - sqrt((a - b)² + 4μ²) = 0`` — smoothed (CHKS) min NCP
                       function, ``= 2 min(a, b)`` at μ = 0; μ -> 0
=====================  =====================================================================

The Scholtes row of (7.3) in the survey lists only ``g <= 0, -u <= 0``; the coupling
``u(-g) <= t`` above is Scholtes' original and the form compared in Hoheisel, Kanzow and
Schwartz (2013), the survey's reference [123] for all five relaxations.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

import casadi as ca
import numpy as np

from bilevel_mp.ir.nlp import MPCC, NLP
from bilevel_mp.reformulations.base import InverseData, Reformulation

INF = np.inf


@dataclass(frozen=True)
class PairRows:
    """What a handling adds for the pair vectors ``a``, ``b``."""

    rows: tuple[tuple[ca.SX, float, float], ...] = ()
    objective: ca.SX | None = None
    free_pair_bounds: bool = False


def _theta(z: ca.SX) -> ca.SX:
    return 2.0 / np.pi * ca.sin(z * np.pi / 2.0 + 3.0 * np.pi / 2.0) + 1.0


def _product(a, b, _):
    return PairRows(rows=((a * b, 0.0, 0.0),))


def _scholtes(a, b, t):
    return PairRows(rows=((a * b - t, -INF, 0.0),))


def _lin_fukushima(a, b, t):
    return PairRows(
        rows=((a * b - t**2, -INF, 0.0), ((a + t) * (b + t) - t**2, 0.0, INF),
              (a + t, 0.0, INF), (b + t, 0.0, INF)),
        free_pair_bounds=True,
    )


def _kadrani(a, b, t):
    return PairRows(
        rows=((a + t, 0.0, INF), (b + t, 0.0, INF), ((a - t) * (b - t), -INF, 0.0)),
        free_pair_bounds=True,
    )


def _steffensen_ulbrich(a, b, t):
    d = a - b
    phi = ca.if_else(ca.fabs(d) >= t, a + b - ca.fabs(d), a + b - t * _theta(d / t))
    return PairRows(rows=((phi, -INF, 0.0),))


def _kanzow_schwartz(a, b, t):
    phi = ca.if_else(a + b >= 2 * t, (a - t) * (b - t), -0.5 * ((a - t) ** 2 + (b - t) ** 2))
    return PairRows(rows=((phi, -INF, 0.0),))


def _penalty(a, b, lam):
    return PairRows(objective=lam * ca.dot(a, b))


def _fischer_burmeister(a, b, mu):
    return PairRows(rows=((ca.sqrt(a**2 + b**2 + 2 * mu**2) - a - b, 0.0, 0.0),))


def _smoothed_min(a, b, mu):
    return PairRows(rows=((a + b - ca.sqrt((a - b) ** 2 + 4 * mu**2), 0.0, 0.0),))


@dataclass(frozen=True)
class HandlingSpec:
    """A complementarity handling: its builder and how its parameter is driven."""

    key: str
    build: Callable[[ca.SX, ca.SX, ca.SX], PairRows]
    parameter: str | None
    description: str


HANDLINGS: dict[str, HandlingSpec] = {
    spec.key: spec
    for spec in (
        HandlingSpec("product", _product, None, "u_i g_i = 0 handed to the NLP solver"),
        HandlingSpec("scholtes", _scholtes, "t", "Scholtes relaxation u_i(-g_i) <= t"),
        HandlingSpec("lin-fukushima", _lin_fukushima, "t", "Lin–Fukushima relaxation"),
        HandlingSpec("kadrani", _kadrani, "t", "Kadrani–Dussault–Benchakroun relaxation"),
        HandlingSpec("steffensen-ulbrich", _steffensen_ulbrich, "t",
                     "Steffensen–Ulbrich relaxation"),
        HandlingSpec("kanzow-schwartz", _kanzow_schwartz, "t", "Kanzow–Schwartz relaxation"),
        HandlingSpec("penalty", _penalty, "lambda", "partial penalization F + λ u'(-g)"),
        HandlingSpec("fb", _fischer_burmeister, "mu", "smoothed Fischer–Burmeister NCP"),
        HandlingSpec("min", _smoothed_min, "mu", "smoothed min NCP function"),
    )
}
"""Every complementarity handling by key."""


@dataclass(frozen=True)
class ComplementarityInverseData(InverseData):
    """Nothing is substituted: the NLP keeps the MPCC's variables."""

    handling: str


class ComplementarityHandling(Reformulation):
    """MPCC -> NLP by one of :data:`HANDLINGS` (name ``mpcc.<key>``)."""

    def __init__(self, key: str) -> None:
        self.spec = HANDLINGS[key]
        self.name = f"mpcc.{key}"

    def accepts(self, problem: MPCC) -> tuple[bool, str]:
        """Every MPCC is accepted."""
        return True, ""

    def apply(self, problem: MPCC) -> tuple[NLP, ComplementarityInverseData]:
        """Add the pair rows (and objective term) of the handling to the MPCC's NLP."""
        nlp = problem.nlp
        param = ca.SX(0)
        if self.spec.parameter is not None:
            nlp, param = nlp.with_parameter(self.spec.parameter, 1.0)
        if problem.n_pairs == 0:
            return nlp, ComplementarityInverseData(self.spec.key)
        a = nlp.z[problem.pairs_a.tolist()]
        b = nlp.z[problem.pairs_b.tolist()]
        extra = self.spec.build(a, b, param)
        n = problem.n_pairs
        g = [nlp.g]
        g_lb, g_ub = [nlp.g_lb], [nlp.g_ub]
        g_names = list(nlp.g_names)
        for k, (expr, lo, hi) in enumerate(extra.rows):
            g.append(expr)
            g_lb.append(np.full(n, lo))
            g_ub.append(np.full(n, hi))
            g_names += [f"{self.spec.key}[{k}]({name})" for name in problem.pair_names]
        z_lb = nlp.z_lb.copy()
        if extra.free_pair_bounds:
            z_lb[problem.pairs_a] = -INF
            z_lb[problem.pairs_b] = -INF
        target = replace(
            nlp,
            f=nlp.f if extra.objective is None else nlp.f + extra.objective,
            g=ca.vertcat(*g), g_lb=np.concatenate(g_lb), g_ub=np.concatenate(g_ub),
            z_lb=z_lb, g_names=tuple(g_names),
        )
        return target, ComplementarityInverseData(self.spec.key)

    def invert(self, solution: np.ndarray,
               inverse_data: ComplementarityInverseData) -> np.ndarray:
        """The NLP's point is the MPCC's point."""
        return solution
