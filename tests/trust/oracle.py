"""An independent brute-force judge of the claims a bilevel result makes.

The judge re-derives everything it needs from the program's functions alone
(``program.evaluator``, the CasADi function ``(x, y, p) -> (F, G, H, f, g, h)``, and the
first derivatives of the same expressions in y); it uses numpy and scipy, never
``bilevel_mp.checks``. It is meant for small programs with finite boxes on x and y (one or
two variables per level), where a dense grid makes a brute-force answer trustworthy.

Lower level at a given x
------------------------
``φ(x) = min_y f(x, y)`` over ``{y : g(x, y) <= 0, h(x, y) = 0}`` is computed by a dense
grid over the y box (2001 points for one y, 201 x 201 for two), then a local polish with
scipy's SLSQP from the best few grid points that lie in different parts of the box (and
from the least-violating points when few grid points are feasible); at x̂ the answer's ŷ
is one more start and candidate (it can lower φ, never invent a witness). SLSQP keeps y
in the box exactly and aims ``INWARD = 1e-8`` (normalized) inside the other rows, since it
stops a few 1e-9 outside its constraints. Only points feasible
within the admitted violation are kept, so every value the oracle reports is attained by
a point it can show: ``φ`` as computed is an upper bound of the true ``φ``, and every
"better point exists" verdict below comes with its witness.

The *optimistic value* at x is ``min F(x, y)`` over ``{y feasible, f(x, y) <= φ(x) + δ}``,
again by the grid points in that set and an SLSQP polish of ``min F`` under those
constraints from the near-optimal LL points. ``δ = 1e-8 · s_f`` is tiny: this is the best F
an (essentially exactly) optimal lower-level response reaches.

The global bilevel optimum ``F*`` (only needed to judge ``OPTIMAL``) is the best
optimistic value, with the upper-level constraints added and the strict
``δ_g = 1e-13 · s_f`` (near an unconstrained LL minimum the δ-optimal set is ~sqrt(δ) wide,
and a witness must not profit from it), over a grid of x: every integer
value of an integer coordinate, 41 (one x) or 11 per axis (two x) values of a continuous
one, then a finer grid around the two best x. It is again an upper bound with a witness.

Scales and tolerances (scale-aware)
-----------------------------------
The oracle samples 2048 points of the x-y box (fixed seed) and takes

* ``s_F``, ``s_f``: the standard deviation of F, f over the sample (the size of their
  variation, invariant to an added constant), plus ``1e-12 · max|value|`` for round-off;
* ``s_i`` for every row of G, H, g, h: the root mean square of the row over the sample.

A row's *normalized violation* is ``max(row, 0) / s_i`` (``|row| / s_i`` for equalities);
a point's violation is the largest over the rows. With these, and ``Tolerances``:

* ``τ_f = gap_rel · s_f``, ``τ_F = gap_rel · s_F`` with ``gap_rel = 1e-4``;
* a point is *feasible* when its normalized violation is ``<= feas_rel = 1e-5``; the oracle's
  own points must satisfy ``<= tight = 1e-9``;
* x bounds are violated beyond ``feas_rel · max(1, ub - lb)``, integrality beyond
  ``int_abs = 1e-5``.

These are looser than the library's (``1e-6`` absolute) where the data are of order one,
so that solver noise is not counted, and much tighter where the data are scaled down.

Rules: when is a claim false
----------------------------
A result makes up to four claims, each asserting what its field means in the library's
result model (MathOptInterface-style axes):

* ``CERTIFIED`` or ``NO_BETTER_FOUND`` (``res.verification``): about the lower level at
  x̂ — ŷ is feasible and optimal there, and the reported F is reached by an optimal
  response (rules ``reported-F``, ``ll-feasibility``, ``ll-gap``, ``optimistic-value``);
* ``FEASIBLE_POINT`` (``res.primal_status``): about the whole point — x̂ integral and in
  its box, ``(x̂, ŷ)`` within the upper- and lower-level rows (rules ``integrality``,
  ``x-bounds``, ``ul-feasibility``, ``ll-feasibility``);
* ``OPTIMAL`` (``res.termination``): every rule, and ``global``.

A claim is false when one of its rules fails at the returned ``(x̂, ŷ)`` with reported
``F̂`` (min form, ``stats["F_min_form"]``):

``no-point``
    the result has no point, or its values are not finite.
``reported-F``
    ``|F̂ - F(x̂, ŷ)| > τ_F``: the reported value is not the value at the returned point.
``integrality``
    an integer x̂ coordinate is farther than ``int_abs`` from an integer.
``x-bounds``, ``ul-feasibility``, ``ll-feasibility``
    x̂ leaves its box, or ``(x̂, ŷ)`` violates G/H, or g/h, beyond the tolerances above.
``ll-gap``
    a y with normalized violation at most ``max(tight, violation of ŷ)`` (the same
    feasibility ŷ was admitted with) has ``f(x̂, ŷ) - f(x̂, y) > τ_f``.
``optimistic-value``
    ``F̂ < (optimistic value at x̂) - τ_F``: the answer reports an F that no optimal
    lower-level response at x̂ reaches (it lives on an ε-optimal ŷ). Only judged when the
    lower level at x̂ has a point feasible within ``tight``.
``global``
    (``OPTIMAL`` only) a bilevel-feasible witness ``(x', y')`` (x' in its box and integral,
    y' optimal within δ at x', UL rows within ``tight``) has ``F(x', y') < F̂ - τ_F``.

Each finding is reported as ``"<CLAIM> [rule]: what is false"``; :func:`judge` returns the
list (empty when every claim holds).
"""

from __future__ import annotations

import math
import weakref
from dataclasses import dataclass, field
from typing import Any

import casadi as ca
import numpy as np
from scipy.optimize import minimize

CLAIMS = ("CERTIFIED", "NO_BETTER_FOUND", "FEASIBLE_POINT", "OPTIMAL")
"""The claims the judge checks (``verification`` names, the ``FEASIBLE_POINT`` primal
status and the ``OPTIMAL`` termination)."""

RULES_OF = {
    "CERTIFIED": {"no-point", "reported-F", "ll-feasibility", "ll-gap", "optimistic-value"},
    "NO_BETTER_FOUND": {"no-point", "reported-F", "ll-feasibility", "ll-gap",
                        "optimistic-value"},
    "FEASIBLE_POINT": {"no-point", "integrality", "x-bounds", "ul-feasibility",
                       "ll-feasibility"},
    "OPTIMAL": {"no-point", "reported-F", "integrality", "x-bounds", "ul-feasibility",
                "ll-feasibility", "ll-gap", "optimistic-value", "global"},
}
"""Which rules each claim asserts (see the module docstring)."""

INWARD = 1e-8
"""SLSQP polishes aim this far (normalized) inside the inequality rows, because SLSQP
stops up to a few 1e-9 outside them; a polished point is kept only if it is feasible
within the admitted level."""


@dataclass(frozen=True)
class Tolerances:
    """Relative tolerances of the judge (see the module docstring).

    Attributes
    ----------
    gap_rel
        LL gaps and F comparisons, relative to ``s_f`` and ``s_F``.
    feas_rel
        Normalized row violation accepted for the returned point.
    tight
        Normalized row violation accepted for the oracle's own witness points.
    delta_rel
        Width ``δ / s_f`` of the set of optimal LL responses in the optimistic value at
        x̂ (generous to the answer: a larger δ admits more responses, a lower value).
    delta_global_rel
        The same for the witnesses of ``global_optimum`` (strict: near an unconstrained
        LL minimum the δ-optimal set has width ~sqrt(δ), which a witness must not use).
    int_abs
        Distance to the nearest integer accepted for an integer x coordinate.
    """

    gap_rel: float = 1e-4
    feas_rel: float = 1e-5
    tight: float = 1e-9
    delta_rel: float = 1e-8
    delta_global_rel: float = 1e-13
    int_abs: float = 1e-5


@dataclass(frozen=True)
class Finding:
    """One false claim: which claim, by which rule, and what is false."""

    claim: str
    rule: str
    message: str

    def __str__(self) -> str:
        return f"{self.claim} [{self.rule}]: {self.message}"


@dataclass
class LowerLevelSet:
    """Points of the lower level at one x, feasible within ``level``.

    Attributes
    ----------
    phi
        Best value found (``inf`` when no point is feasible within ``level``).
    y
        The points, one per row, and their ``f``, ``F`` and UL violation.
    """

    phi: float
    y: np.ndarray
    f: np.ndarray
    F: np.ndarray
    ul_viol: np.ndarray

    @property
    def y_best(self) -> np.ndarray | None:
        """A point attaining ``phi`` (``None`` when there is none)."""
        return self.y[int(np.argmin(self.f))] if self.f.size else None


@dataclass
class Oracle:
    """Brute-force lower-level and bilevel solves of one small program.

    Parameters
    ----------
    program
        A ``BilevelProgram`` with finite bounds on y (and, for ``global_optimum``, on x).
    tol
        The judge's tolerances.
    seed
        Seed of the sample that sets the scales.
    """

    program: Any
    tol: Tolerances = field(default_factory=Tolerances)
    seed: int = 0

    def __post_init__(self) -> None:
        pr = self.program
        self.nx, self.ny = pr.nx, pr.ny
        self._maps: dict[int, ca.Function] = {}
        self.x_lb, self.x_ub = _finite_box(pr.x_lb, pr.x_ub, pr.x0)
        self.y_lb, self.y_ub = _finite_box(pr.y_lb, pr.y_ub, pr.y0)
        self._g_free = np.setdiff1d(np.arange(pr.g.numel()), pr.g_bound_rows)
        self._derivs = ca.Function(
            "oracle_derivs", [pr.x, pr.y, pr.p],
            [ca.jacobian(pr.F, pr.y), ca.jacobian(pr.G, pr.y), ca.jacobian(pr.H, pr.y),
             ca.jacobian(pr.f, pr.y), ca.jacobian(pr.g, pr.y), ca.jacobian(pr.h, pr.y)])
        self._scales()
        self._ll_cache: dict[tuple, LowerLevelSet] = {}
        self._opt_cache: dict[tuple, tuple[float, np.ndarray | None]] = {}
        self._global: tuple[float, np.ndarray | None, np.ndarray | None] | None = None

    # evaluation --------------------------------------------------------------------
    def batch(self, x: np.ndarray, y: np.ndarray) -> dict[str, np.ndarray]:
        """Every function at many points; ``x`` is (n, nx) or (nx,), ``y`` is (n, ny).

        Returns arrays ``F``, ``f`` of shape (n,) and ``G``, ``H``, ``g``, ``h`` of shape
        (n, rows).
        """
        y = np.atleast_2d(np.asarray(y, dtype=float))
        n = y.shape[0]
        x = np.asarray(x, dtype=float)
        xm = np.broadcast_to(x.reshape(-1, self.nx), (n, self.nx)) if self.nx else x
        if n not in self._maps:
            self._maps[n] = self.program.evaluator.map(n)
        out = self._maps[n](np.asarray(xm).T.reshape(self.nx, n), y.T.reshape(self.ny, n),
                            self.program.p_values)
        arrays = [np.asarray(v, dtype=float).reshape(-1, n).T for v in out]
        names = ("F", "G", "H", "f", "g", "h")
        res = dict(zip(names, arrays, strict=True))
        res["F"], res["f"] = res["F"][:, 0], res["f"][:, 0]
        return res

    def point(self, x: np.ndarray, y: np.ndarray) -> dict[str, np.ndarray]:
        """Every function at one point (arrays; ``F``, ``f`` of size 1)."""
        out = self.program.evaluator(np.asarray(x, dtype=float), np.asarray(y, dtype=float),
                                     self.program.p_values)
        return {k: np.asarray(v, dtype=float).ravel()
                for k, v in zip(("F", "G", "H", "f", "g", "h"), out, strict=True)}

    def _scales(self) -> None:
        rng = np.random.default_rng(self.seed)
        n = 2048
        xs = self.x_lb + rng.random((n, self.nx)) * (self.x_ub - self.x_lb)
        ys = self.y_lb + rng.random((n, self.ny)) * (self.y_ub - self.y_lb)
        ev = self.batch(xs, ys)
        self.s_F, self.s_f = (_spread(ev[k]) for k in ("F", "f"))
        self.s_rows = {k: _rms(ev[k]) for k in ("G", "H", "g", "h")}
        self.tau_F = self.tol.gap_rel * self.s_F
        self.tau_f = self.tol.gap_rel * self.s_f
        self.delta = self.tol.delta_rel * self.s_f

    def ll_violation(self, ev: dict[str, np.ndarray]) -> np.ndarray:
        """Normalized LL violation of each point of a (batch or point) evaluation."""
        return self._violation(ev, "g", "h")

    def ul_violation(self, ev: dict[str, np.ndarray]) -> np.ndarray:
        """Normalized violation of G and H of each point of an evaluation."""
        return self._violation(ev, "G", "H")

    def _violation(self, ev: dict[str, np.ndarray], ineq: str, eq: str) -> np.ndarray:
        g = np.atleast_2d(ev[ineq]) / self.s_rows[ineq]
        h = np.abs(np.atleast_2d(ev[eq])) / self.s_rows[eq]
        parts = [np.maximum(g, 0.0), h]
        n = max(p.shape[0] for p in parts)
        viol = np.zeros(n)
        for p in parts:
            if p.shape[1]:
                viol = np.maximum(viol, p.max(axis=1))
        bad = ~np.isfinite(np.atleast_1d(ev["f"])) | ~np.isfinite(np.atleast_1d(ev["F"]))
        for p in (np.atleast_2d(ev[ineq]), np.atleast_2d(ev[eq])):
            if p.shape[1]:
                bad |= ~np.all(np.isfinite(p), axis=1)
        return np.where(bad, np.inf, viol)

    def x_bound_violation(self, x: np.ndarray) -> float:
        """Largest violation of the x box, relative to ``max(1, ub - lb)`` per coordinate."""
        pr = self.program
        width = np.where(np.isfinite(pr.x_ub - pr.x_lb), pr.x_ub - pr.x_lb, 1.0)
        viol = np.maximum(np.maximum(pr.x_lb - x, x - pr.x_ub), 0.0) / np.maximum(1.0, width)
        return float(viol.max(initial=0.0))

    # lower level -----------------------------------------------------------------------
    def _y_grid(self, per_axis: int) -> np.ndarray:
        axes = [np.linspace(lo, hi, per_axis) for lo, hi in zip(self.y_lb, self.y_ub,
                                                                strict=True)]
        return np.stack([a.ravel() for a in np.meshgrid(*axes, indexing="ij")], axis=1)

    def lower_level(self, x: np.ndarray, level: float | None = None,
                    coarse: bool = False, seeds: tuple[np.ndarray, ...] = ()) -> LowerLevelSet:
        """The LL at ``x``: points feasible within ``level`` (default ``tight``).

        ``coarse`` uses a smaller grid and fewer polishes (for the x grid of
        ``global_optimum``). ``seeds`` are extra points (the answer's ŷ): polished like
        the grid points and kept when feasible within ``level``.
        """
        level = self.tol.tight if level is None else max(level, self.tol.tight)
        x = np.asarray(x, dtype=float)
        seeds = tuple(np.asarray(s, dtype=float).ravel() for s in seeds)
        key = (x.tobytes(), float(level), coarse, b"".join(s.tobytes() for s in seeds))
        if key in self._ll_cache:
            return self._ll_cache[key]
        per_axis = (401 if coarse else 2001) if self.ny == 1 else (61 if coarse else 201)
        ys = self._y_grid(per_axis)
        ev = self.batch(x, ys)
        viol = self.ll_violation(ev)
        fv = np.where(np.isfinite(ev["f"]), ev["f"], np.inf)
        feas = viol <= level
        order = np.flatnonzero(feas)[np.argsort(fv[feas], kind="stable")]
        k = 3 if coarse else 5
        starts = list(_spread_pick(ys, order, k, 0.05 * self._y_diag()))
        if order.size < k:
            close = np.argsort(viol, kind="stable")[: 50 * k]
            close = close[np.isfinite(viol[close])]
            starts += list(_spread_pick(ys, close, k - order.size, 0.05 * self._y_diag()))
        keep = order[:200]
        pts = [ys[i] for i in keep] + list(seeds)
        for y0 in [ys[i] for i in starts] + list(seeds):
            y = self._polish_ll(x, y0, level)
            if y is not None:
                pts.append(y)
        res = self._collect(x, pts, level)
        self._ll_cache[key] = res
        return res

    def _collect(self, x: np.ndarray, pts: list[np.ndarray], level: float) -> LowerLevelSet:
        if not pts:
            empty = np.zeros(0)
            return LowerLevelSet(np.inf, np.zeros((0, self.ny)), empty, empty, empty)
        ys = np.array(pts, dtype=float).reshape(-1, self.ny)
        ev = self.batch(x, ys)
        ok = (self.ll_violation(ev) <= level) & np.isfinite(ev["f"]) & np.isfinite(ev["F"])
        ys, f, F = ys[ok], ev["f"][ok], ev["F"][ok]
        ulv = self.ul_violation(ev)[ok]
        return LowerLevelSet(float(f.min()) if f.size else np.inf, ys, f, F, ulv)

    def _y_diag(self) -> float:
        return float(np.linalg.norm(self.y_ub - self.y_lb))

    def _polish(self, x: np.ndarray, y0: np.ndarray, objective: str,
                extra: list[dict], level: float, with_ul: bool = False) -> np.ndarray | None:
        """SLSQP on ``objective`` (``"f"`` or ``"F"``) in y with the LL rows (and, with
        ``with_ul``, the UL rows) relaxed by ``level``, plus ``extra`` constraints."""
        scale = self.s_f if objective == "f" else self.s_F
        idx_obj = 3 if objective == "f" else 0
        sG, sH, sg, sh = (self.s_rows[k] for k in ("G", "H", "g", "h"))
        x = np.asarray(x, dtype=float)
        p = self.program.p_values

        memo: dict[tuple[str, bytes], list[np.ndarray]] = {}

        def ev(y):
            key = ("ev", np.asarray(y, dtype=float).tobytes())
            if key not in memo:
                memo[key] = [np.asarray(v, dtype=float).ravel()
                             for v in self.program.evaluator(x, y, p)]
            return memo[key]

        def jac(y):
            key = ("jac", np.asarray(y, dtype=float).tobytes())
            if key not in memo:
                memo[key] = [np.asarray(v, dtype=float).reshape(-1, self.ny)
                             for v in self._derivs(x, y, p)]
            return memo[key]

        base = float(ev(y0)[idx_obj][0])
        if not np.isfinite(base):
            return None

        # rows as (output index, kept rows, scales, equality); the bounds of y are rows of
        # g but SLSQP keeps y in the box exactly, so they are left out
        rows = [(4, self._g_free, sg, False), (5, slice(None), sh, True)]
        if with_ul:
            rows += [(1, slice(None), sG, False), (2, slice(None), sH, True)]
        target = level - INWARD  # SLSQP ends a little outside its constraints: aim inside
        cons = []
        for i, keep, s, is_eq in rows:
            s = s[keep]
            if s.size == 0:
                continue
            pairs = [(level, 1.0), (level, -1.0)] if is_eq else [(target, 1.0)]
            for rhs, sign in pairs:
                cons.append({
                    "type": "ineq",
                    "fun": lambda y, i=i, k=keep, s=s, r=rhs, d=sign: r - d * ev(y)[i][k] / s,
                    "jac": lambda y, i=i, k=keep, s=s, d=sign: -d * jac(y)[i][k] / s[:, None]})
        cons += extra
        try:
            with np.errstate(all="ignore"):
                sol = minimize(
                    lambda y: (float(ev(y)[idx_obj][0]) - base) / scale, y0,
                    jac=lambda y: jac(y)[idx_obj].ravel() / scale, method="SLSQP",
                    bounds=list(zip(self.y_lb, self.y_ub, strict=True)), constraints=cons,
                    options={"maxiter": 100, "ftol": 1e-14})
        except (ValueError, ArithmeticError, RuntimeError):
            return None
        y = np.clip(np.asarray(sol.x, dtype=float), self.y_lb, self.y_ub)
        return y if np.all(np.isfinite(y)) else None

    def _polish_ll(self, x: np.ndarray, y0: np.ndarray, level: float) -> np.ndarray | None:
        return self._polish(x, y0, "f", [], level)

    # optimistic value ------------------------------------------------------------------
    def optimistic(self, x: np.ndarray, with_ul: bool = False, coarse: bool = False,
                   seeds: tuple[np.ndarray, ...] = (),
                   delta: float | None = None) -> tuple[float, np.ndarray | None]:
        """Best F over the (δ-)optimal LL responses at ``x`` and a point attaining it.

        With ``with_ul`` only responses satisfying the UL rows within ``tight`` count.
        ``seeds`` as in :meth:`lower_level`; ``delta`` replaces ``δ``. ``(inf, None)`` when
        the LL at x has no point feasible within ``tight`` (or none satisfies the UL rows).
        """
        x = np.asarray(x, dtype=float)
        seeds = tuple(np.asarray(s, dtype=float).ravel() for s in seeds)
        delta = self.delta if delta is None else delta
        key = (x.tobytes(), with_ul, coarse, b"".join(s.tobytes() for s in seeds), delta)
        if key in self._opt_cache:
            return self._opt_cache[key]
        ll = self.lower_level(x, coarse=coarse, seeds=seeds)
        if not np.isfinite(ll.phi):
            self._opt_cache[key] = (np.inf, None)
            return self._opt_cache[key]
        cap = ll.phi + max(delta, 1e-14 * abs(ll.phi))
        tight = self.tol.tight
        pts = [y for y, fv, uv in zip(ll.y, ll.f, ll.ul_viol, strict=True)
               if fv <= cap and (not with_ul or uv <= tight)]
        near = np.flatnonzero(ll.f <= ll.phi + self.tau_f)
        near = near[np.argsort(ll.F[near], kind="stable")]
        p = self.program.p_values

        def cap_fun(y):  # aim δ/2 inside the cap (see INWARD)
            value = float(self.program.evaluator(x, y, p)[3])
            return (cap - 0.5 * (cap - ll.phi) - value) / self.s_f

        def cap_jac(y):
            return -np.asarray(self._derivs(x, y, p)[3], dtype=float).ravel() / self.s_f

        extra = [{"type": "ineq", "fun": cap_fun, "jac": cap_jac}]
        for i in _spread_pick(ll.y, near, 2 if coarse else 3, 0.02 * self._y_diag()):
            y = self._polish(x, ll.y[i], "F", extra, tight, with_ul=with_ul)
            if y is not None:
                pts.append(y)
        best, arg = np.inf, None
        if pts:
            ys = np.array(pts).reshape(-1, self.ny)
            ev = self.batch(x, ys)
            ok = (self.ll_violation(ev) <= tight) & (ev["f"] <= cap) & np.isfinite(ev["F"])
            if with_ul:
                ok &= self.ul_violation(ev) <= tight
            if ok.any():
                j = int(np.argmin(np.where(ok, ev["F"], np.inf)))
                best, arg = float(ev["F"][j]), ys[j]
        self._opt_cache[key] = (best, arg)
        return best, arg

    # global optimum -----------------------------------------------------------------
    def _x_axes(self, refine_around: np.ndarray | None = None,
                half_width: np.ndarray | None = None) -> list[np.ndarray]:
        pr = self.program
        axes = []
        for i in range(self.nx):
            lo, hi = self.x_lb[i], self.x_ub[i]
            if pr.x_integer[i]:
                axes.append(np.arange(math.ceil(lo - 1e-9), math.floor(hi + 1e-9) + 1,
                                      dtype=float))
            elif refine_around is not None:
                c, w = refine_around[i], half_width[i]
                axes.append(np.unique(np.clip(np.linspace(c - w, c + w, 7), lo, hi)))
            else:
                axes.append(np.linspace(lo, hi, 41 if self.nx == 1 else 11))
        return axes

    def global_optimum(self) -> tuple[float, np.ndarray | None, np.ndarray | None]:
        """``(F*, x*, y*)``: the best bilevel-feasible point found on the x grid."""
        if self._global is not None:
            return self._global
        pr = self.program
        tight = self.tol.tight
        found: list[tuple[float, np.ndarray, np.ndarray]] = []

        def visit(axes):
            for xs in np.stack([a.ravel() for a in np.meshgrid(*axes, indexing="ij")], 1):
                if self.x_bound_violation(xs) > 0:
                    continue
                val, y = self.optimistic(xs, with_ul=True, coarse=True,
                                         delta=self.tol.delta_global_rel * self.s_f)
                if y is None or not np.isfinite(val):
                    continue
                ev = self.point(xs, y)
                ulv = self._violation({k: v[None, :] if k not in ("F", "f") else v
                                       for k, v in ev.items()}, "G", "H")[0]
                if ulv <= tight:
                    found.append((val, xs, y))

        visit(self._x_axes())
        cont = ~np.asarray(pr.x_integer, dtype=bool)
        if found and cont.any():
            step = (self.x_ub - self.x_lb) / (40 if self.nx == 1 else 10)
            for _, xs, _ in sorted(found, key=lambda t: t[0])[:2]:
                visit(self._x_axes(xs, step))
        if not found:
            self._global = (np.inf, None, None)
        else:
            val, xs, y = min(found, key=lambda t: t[0])
            self._global = (val, xs, y)
        return self._global


# judge ---------------------------------------------------------------------------------
_ORACLES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def oracle_for(program: Any, tol: Tolerances | None = None) -> Oracle:
    """The (cached) oracle of ``program`` with default or given tolerances."""
    if tol is not None:
        return Oracle(program, tol)
    if program not in _ORACLES:
        _ORACLES[program] = Oracle(program)
    return _ORACLES[program]


def claims_of(result: Any) -> list[str]:
    """The claims a result makes among :data:`CLAIMS`."""
    out = []
    ver = getattr(result.verification, "name", str(result.verification))
    if ver in ("CERTIFIED", "NO_BETTER_FOUND"):
        out.append(ver)
    primal = getattr(result, "primal_status", None)
    if getattr(primal, "name", str(primal)) == "FEASIBLE_POINT":
        out.append("FEASIBLE_POINT")
    if getattr(result.termination, "name", str(result.termination)) == "OPTIMAL" or getattr(
            result, "is_proven_optimal", False):  # the method's word, or a kept proof
        out.append("OPTIMAL")
    return out


def reported_F(program: Any, result: Any) -> float:
    """The reported upper-level value in minimization form."""
    value = result.stats.get("F_min_form") if isinstance(result.stats, dict) else None
    if value is None:
        value = program.F_sign * result.upper_objective
    return float(value)


def judge_findings(program: Any, result: Any, oracle: Oracle | None = None) -> list[Finding]:
    """Every false claim of ``result`` on ``program`` (see the module docstring)."""
    claims = claims_of(result)
    if not claims:
        return []
    orc = oracle or oracle_for(program)
    tol = orc.tol
    x = np.asarray(result.x_array, dtype=float).ravel()
    y = np.asarray(result.y_array, dtype=float).ravel()
    if x.size != program.nx or y.size != program.ny or not (
            np.all(np.isfinite(x)) and np.all(np.isfinite(y))):
        return [Finding(c, "no-point", f"no finite point (x={x}, y={y})") for c in claims]
    ev = orc.point(x, y)
    F_hat = reported_F(program, result)
    F_at = float(ev["F"][0])
    f_at = float(ev["f"][0])
    problems: list[tuple[str, str]] = []  # (rule, message), for every claim
    if not (np.isfinite(F_hat) and np.isfinite(F_at) and np.isfinite(f_at)):
        problems.append(("no-point", f"non-finite values: reported F={F_hat}, "
                                     f"F(x̂,ŷ)={F_at}, f(x̂,ŷ)={f_at}"))
        return [Finding(c, r, m) for c in claims for r, m in problems]
    if abs(F_hat - F_at) > orc.tau_F:
        problems.append(("reported-F", f"reported F={F_hat:.6g} but F(x̂,ŷ)={F_at:.6g} "
                                       f"(τ_F={orc.tau_F:.3g})"))
    frac = np.abs(x - np.round(x))
    bad_int = np.flatnonzero(np.asarray(program.x_integer, dtype=bool) & (frac > tol.int_abs))
    if bad_int.size:
        names = program.names["x"]
        problems.append(("integrality", ", ".join(
            f"{names[i]}={x[i]:.8g} is not integral" for i in bad_int)))
    xb = orc.x_bound_violation(x)
    if xb > tol.feas_rel:
        problems.append(("x-bounds", f"x̂={x} leaves its box by {xb:.3g} (relative)"))
    evb = {k: (v if k in ("F", "f") else v[None, :]) for k, v in ev.items()}
    ulv = float(orc.ul_violation(evb)[0])
    if ulv > tol.feas_rel:
        problems.append(("ul-feasibility", f"(x̂,ŷ) violates G/H by {ulv:.3g} "
                                           "(relative to the row scale)"))
    llv = float(orc.ll_violation(evb)[0])
    if llv > tol.feas_rel:
        problems.append(("ll-feasibility", f"ŷ violates g/h by {llv:.3g} "
                                           "(relative to the row scale)"))
    else:
        ll = orc.lower_level(x, level=max(tol.tight, llv), seeds=(y,))
        if np.isfinite(ll.phi) and f_at - ll.phi > orc.tau_f:
            problems.append(("ll-gap", f"at x̂={x} the LL point y={ll.y_best} (violation <= "
                                       f"{max(tol.tight, llv):.2g}) has f={ll.phi:.6g}, "
                                       f"better than f(x̂,ŷ)={f_at:.6g} by {f_at - ll.phi:.3g} "
                                       f"(τ_f={orc.tau_f:.3g})"))
        opt, y_opt = orc.optimistic(x, seeds=(y,))
        if np.isfinite(opt) and F_hat < opt - orc.tau_F:
            problems.append(("optimistic-value",
                             f"reported F={F_hat:.6g} is below the best F over optimal LL "
                             f"responses at x̂={x}: {opt:.6g} at y={y_opt} "
                             f"(τ_F={orc.tau_F:.3g})"))
    findings = [Finding(c, r, m) for c in claims for r, m in problems if r in RULES_OF[c]]
    if "OPTIMAL" in claims:
        best, xs, ys = orc.global_optimum()
        if xs is not None and best < F_hat - orc.tau_F:
            findings.append(Finding("OPTIMAL", "global", (
                f"the bilevel-feasible point x={xs}, y={ys} has F={best:.6g}, below the "
                f"reported F={F_hat:.6g} by {F_hat - best:.3g} (τ_F={orc.tau_F:.3g})")))
    return findings


def judge(program: Any, result: Any, oracle: Oracle | None = None) -> list[str]:
    """The false claims of ``result`` on ``program`` as strings (empty: all claims hold).

    Parameters
    ----------
    program
        The ``BilevelProgram`` that was solved.
    result
        Its ``BilevelResult`` (anything with ``termination``, ``verification``,
        ``x_array``, ``y_array``, ``upper_objective`` and ``stats``).
    oracle
        An :class:`Oracle` of the program (one is built and cached otherwise).

    Returns
    -------
    list of str
        ``"<CLAIM> [rule]: what is false"`` per false claim and rule.
    """
    return [str(f) for f in judge_findings(program, result, oracle)]


# helpers -------------------------------------------------------------------------------
def _finite_box(lb: np.ndarray, ub: np.ndarray,
                start: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
    """The box, with a missing bound replaced 10 away from the start point."""
    lb, ub = np.asarray(lb, dtype=float), np.asarray(ub, dtype=float)
    c = np.zeros_like(lb) if start is None else np.asarray(start, dtype=float)
    lo = np.where(np.isfinite(lb), lb, np.minimum(c, np.where(np.isfinite(ub), ub, c)) - 10)
    hi = np.where(np.isfinite(ub), ub, np.maximum(c, lo) + 10)
    return lo, hi


def _spread(values: np.ndarray) -> float:
    v = values[np.isfinite(values)]
    if v.size == 0:
        return 1.0
    s = float(np.std(v)) + 1e-12 * float(np.max(np.abs(v)))
    return s if s > 0 else 1.0


def _rms(rows: np.ndarray) -> np.ndarray:
    if rows.shape[1] == 0:
        return np.ones(0)
    out = np.empty(rows.shape[1])
    for i in range(rows.shape[1]):
        v = rows[:, i][np.isfinite(rows[:, i])]
        r = float(np.sqrt(np.mean(v**2))) if v.size else 1.0
        out[i] = r if r > 0 else 1.0
    return out


def _spread_pick(points: np.ndarray, order: np.ndarray, k: int, min_dist: float) -> list[int]:
    """Up to ``k`` indices from ``order`` (best first), pairwise at least ``min_dist``
    apart."""
    picked: list[int] = []
    for i in order:
        if len(picked) >= k:
            break
        if all(np.linalg.norm(points[i] - points[j]) >= min_dist for j in picked):
            picked.append(int(i))
    return picked
