"""Scales of the rows and objectives of a program around a point (see
:mod:`bilevel_mp.tolerances` for how the tolerances use them)."""

from __future__ import annotations

from dataclasses import dataclass

import casadi as ca
import numpy as np

from bilevel_mp.ir.program import BilevelProgram
from bilevel_mp.ir.structure import to_csc


@dataclass(frozen=True)
class RowScales:
    """Gradient scale of every row: ``ul`` for ``[G; H]``, ``ll`` for ``[g; h]``."""

    ul: np.ndarray
    ll: np.ndarray


def unit_steps(center: np.ndarray, lb: np.ndarray, ub: np.ndarray) -> list[np.ndarray]:
    """``center - 1`` and ``center + 1`` in every coordinate, clipped to ``[lb, ub]``."""
    return [np.clip(center + step, lb, ub) for step in (-1.0, 1.0)]


def row_scales(program: BilevelProgram, x: np.ndarray, y: np.ndarray) -> RowScales:
    """``s_r = max_z ||∇_{(x,y)} r(z)||_∞`` over ``z`` in ``(x, y)``, the model's start and
    unit steps around ``(x, y)`` inside the bounds.

    A row whose gradient vanishes at every sample (a constant row) gets its largest
    magnitude there instead, so that a violated constant row stays violated.
    """
    pr = program
    points = [(x, y), (pr.x0, pr.y0),
              *zip(unit_steps(x, pr.x_lb, pr.x_ub), unit_steps(y, pr.y_lb, pr.y_ub),
                   strict=True)]
    scales = [np.zeros(pr.G.numel() + pr.H.numel()), np.zeros(pr.g.numel() + pr.h.numel())]
    for xs, ys in points:
        for k, jac in enumerate(pr.row_jacobians(xs, ys, pr.p_values)):
            if jac.numel() and jac.size1():
                norms = abs(to_csc(ca.DM(jac))).max(axis=1).toarray().ravel()
                scales[k] = np.maximum(scales[k], norms)
    values = pr.evaluate(x, y)
    magnitudes = [np.abs(np.concatenate([values["G"], values["H"]])),
                  np.abs(np.concatenate([values["g"], values["h"]]))]
    ul, ll = (np.where(s > 0, s, m) for s, m in zip(scales, magnitudes, strict=True))
    return RowScales(ul=ul, ll=ll)


def objective_spreads(program: BilevelProgram, xs: list[np.ndarray],
                      ys: list[np.ndarray]) -> dict[str, float]:
    """``{"F": ..., "f": ...}``: the largest spread ``max - min`` of each objective
    (minimization form) over the lower-level points ``ys`` at one upper-level point of
    ``xs``, from one evaluation per pair; non-finite values are skipped.

    Taking spreads at the model's start as well as at x̂ measures the data's scale, which a
    degenerate x̂ (where the lower-level objective is flat in y) would hide.
    """
    spreads = {"F": 0.0, "f": 0.0}
    for x in xs:
        values = [program.evaluate(x, y) for y in ys if y is not None]
        for key in spreads:
            finite = [v[key] for v in values if np.isfinite(v[key])]
            if finite:
                spreads[key] = max(spreads[key], max(finite) - min(finite))
    return spreads


def objective_magnitudes(program: BilevelProgram, x: np.ndarray,
                         ys: list[np.ndarray | None]) -> dict[str, float]:
    """``{"F": s_F, "f": s_f}``: the scale of each objective (minimization form) for the
    tolerances of the lower-level gap and of the upper-level value
    (:mod:`bilevel_mp.tolerances`), the larger of

    * the size of its terms at the answer, ``max(|v(x, y)|, Σ_i |∂v/∂y_i · y_i|)`` over
      the lower-level points ``ys`` at the upper-level point ``x`` (an objective that is
      a sum of large terms cancelling to 0, ``-3·10 + 3·10``, carries their rounding
      error);
    * its spread at the model's start, ``max - min`` of ``v(x0, ·)`` over ``y0`` and
      ``y0 ± 1`` (clipped to the bounds): the data's scale, which an answer where the
      terms vanish (f = 0 at an exact fit) would hide.

    Non-finite values are skipped. Neither part can be inflated by the answer: a variable
    the follower leaves at 0 adds nothing however large its cost, and nothing is measured
    away from x̂ and x0. (A spread over ``ŷ ± 1`` at x̂ and over ``x0 ± 1`` took the
    leader's own large tolls on unused arcs as the scale of f and certified a follower
    point 17 % worse than optimal in BOLIB's TollSettingP3; it took the 2.8e8 that f
    reaches at x0 ± 1 in CalveteGale1999P1, and the steep side of a pole next to x̂ in
    NetworkDesignP1.)"""
    out = objective_spreads(program, [program.x0],
                            [program.y0, *unit_steps(program.y0, program.y_lb, program.y_ub)])
    for y in ys:
        if y is None:
            continue
        values = program.evaluate(x, y)
        grads = program.objective_gradients(x, y, program.p_values)
        for key, grad in zip(("F", "f"), grads, strict=True):
            terms = np.abs(np.asarray(grad, dtype=float).ravel() * y)
            size = max(abs(float(values[key])), float(np.sum(terms)))
            if np.isfinite(size):
                out[key] = max(out[key], size)
    return out


def with_floor(spread: float, floor: float) -> float:
    """``max(spread, |floor|)``, the floor ignored when it is not finite."""
    return float(max(spread, abs(floor) if np.isfinite(floor) else 0.0))
