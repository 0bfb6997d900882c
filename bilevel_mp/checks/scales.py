"""Scales of the rows and objectives of a program around a point (see
:mod:`bilevel_mp.tolerances` for how the tolerances use them)."""

from __future__ import annotations

from dataclasses import dataclass

import casadi as ca
import numpy as np

from bilevel_mp.ir.program import BilevelProgram, unit_steps
from bilevel_mp.ir.structure import to_csc


@dataclass(frozen=True)
class RowScales:
    """Gradient scale of every row: ``ul`` for ``[G; H]``, ``ll`` for ``[g; h]``."""

    ul: np.ndarray
    ll: np.ndarray


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


@dataclass(frozen=True)
class ObjectiveScales:
    """Scales of the objectives (minimization form) at an answer, for
    :mod:`bilevel_mp.tolerances`.

    Attributes
    ----------
    data_F, data_f
        The data's own scale of F and f: their spread at the model's start, ``max - min``
        of ``v(x0, ·)`` over ``y0`` and unit steps from it (:func:`data_scales`). The
        tolerances use ``max(|value at the optimum|, data scale)``.
    noise_F, noise_f
        The size of the terms that make up each objective at the answer,
        ``max(|v|, Σ_i |∂v/∂y_i · y_i|, Σ_j |∂v/∂x_j · x_j|)`` over the lower-level points
        given: what rounding x, y and the terms to double precision can change in v
        (``-3·10 + 3·10`` evaluates to about 1e-14, not 0; ``φ(x) y`` with ``φ(1.75) = 0``
        evaluates to 4e-16 at the x next to 1.75). Used for the rounding floor only.
    """

    data_F: float
    data_f: float
    noise_F: float
    noise_f: float


def data_scales(program: BilevelProgram) -> dict[str, float]:
    """``{"F": d_F, "f": d_f}``: the spread of each objective at the model's start,
    ``max - min`` of ``v(x0, ·)`` over ``y0``, ``y0 ± 1`` and ``y0 ± sign(∇_y v(x0, y0))``
    for v = F, f (clipped to the bounds).

    The steps along the signs of the gradients are the unit steps (in every coordinate)
    that change a linear objective most: along ``±1`` alone, ``f = 4 y0 - 4 y1`` does not
    change at all and its scale was 0, so a gap of 6e-31 at ŷ = -8e-31 was a
    suboptimality (``kkt-bigm`` property test, seed 714)."""
    pr = program
    grads = pr.objective_gradients(pr.x0, pr.y0, pr.p_values)
    steps = [np.ones(pr.ny)] + [np.sign(np.nan_to_num(np.asarray(g, dtype=float).ravel()))
                                for g in grads[:2]]
    ys = [pr.y0] + [y for step in steps
                    for y in (np.clip(pr.y0 - step, pr.y_lb, pr.y_ub),
                              np.clip(pr.y0 + step, pr.y_lb, pr.y_ub))]
    return objective_spreads(pr, [pr.x0], ys)


def objective_scales(program: BilevelProgram, x: np.ndarray, ys: list[np.ndarray | None],
                     data: dict[str, float]) -> ObjectiveScales:
    """The :class:`ObjectiveScales` of ``program`` at ``x`` and the lower-level points
    ``ys`` (``None`` entries skipped; non-finite values too), with ``data`` the program's
    :func:`data_scales` (constant per program: the caller keeps it).

    Nothing measured at the answer enters the data scale, so the answer cannot loosen
    its own test: a spread over ``ŷ ± 1`` at x̂ took the leader's large tolls on unused arcs
    as the scale of f and certified a follower point 17 % worse than optimal in BOLIB's
    TollSettingP3; the size of f's terms at ŷ certified a gap of 0.01 at φ = -1 in
    WangJiaoLi2005, where ŷ = (-4.2e6, 4.2e6) lies far out along a direction in which f is
    constant."""
    noise = {"F": 0.0, "f": 0.0}
    for y in ys:
        if y is None:
            continue
        values = program.evaluate(x, y)
        grads = program.objective_gradients(x, y, program.p_values)
        for k, key in enumerate(("F", "f")):
            terms = (np.abs(np.asarray(grads[k], dtype=float).ravel() * y).sum()
                     + np.abs(np.asarray(grads[2 + k], dtype=float).ravel() * x).sum())
            size = max(abs(float(values[key])), float(terms))
            if np.isfinite(size):
                noise[key] = max(noise[key], size)
    return ObjectiveScales(data["F"], data["f"], noise["F"], noise["f"])


def with_floor(spread: float, floor: float) -> float:
    """``max(spread, |floor|)``, the floor ignored when it is not finite."""
    return float(max(spread, abs(floor) if np.isfinite(floor) else 0.0))
