"""Random small bilevel programs for the property test and the trust sweep.

A program is first drawn as a *spec*: a plain dict of numbers (printable, JSON-able,
reproducible), then built with :func:`build_program` through
``BilevelProgram.from_functions``. The same drawing code, :func:`draw_spec`, reads its
random choices from a :class:`Source`: :class:`NumpySource` (a seeded
``numpy.random.RandomState``, used by ``benchmarks/trust_sweep.py`` without hypothesis) or
:class:`HypothesisSource` (hypothesis's ``draw``, used by :func:`bilevel_specs`). Both
draw from the same support with the same structure; the probabilities differ only in
that hypothesis biases towards small and boundary values, and shrinks towards zero.

What is drawn
-------------
* 1-2 upper-level variables x on finite boxes (integer bounds; each x integer with
  probability 1/4), 1-2 lower-level variables y on finite boxes; a y that appears in a
  ``1/y`` term has a box in ``[0.25, 4.5]``, away from 0.
* The lower-level objective f, of one of four kinds: ``linear`` in y (an LP lower level
  when the rows are linear), ``convex`` (a positive quadratic in y), ``nonconvex``
  (polynomial of degree <= 4 in y with possibly negative quadratic and cubic parts and a
  Mitsos-Barton coupling ``c x y^2``) or ``special``: a polynomial plus fractional powers
  ``c (y + s)^1.5`` with ``y + s >= 0`` on the box (c < 0 gives a concave term), ``c / y``
  terms, or ``c |y - a x - b|``. Couplings ``c x_i y_j`` make the LL depend on x.
* The upper-level objective F: linear or a sum of squares in x and y plus a coupling.
* 0-2 LL rows g (linear, quadratic ``(y - q)^2 + a x``, or with a ``c / y`` term) and 0-1
  UL rows G (linear in x and y). Every row is shifted so that a drawn anchor point
  ``(x0, y0)`` of the box satisfies it with a margin: the LL is feasible at x0.
* f, F and each row are multiplied by ``10^k``; k is 0 with probability 1/2, else an
  integer in [-12, 6].

Expression format
-----------------
An expression is ``{"exp": k, "const": c0, "terms": [...]}`` with value
``10^k (c0 + sum of terms)``; a term is one of ``{"kind": "mono", "c", "pow": {var: p}}``,
``{"kind": "sq", "c", "lin"}`` (``c lin^2``), ``{"kind": "abs", "c", "lin"}``,
``{"kind": "pow15", "c", "var", "shift"}`` and ``{"kind": "inv", "c", "var"}``, where a
variable is named ``"x0"``, ``"x1"``, ``"y0"``, ``"y1"`` and ``lin`` is
``{"a": {var: coef}, "b": b}``.
"""

from __future__ import annotations

import dataclasses
from typing import Any, Protocol

import numpy as np

import bilevel_mp as bmp

LL_KINDS = ("linear", "convex", "nonconvex", "special")
"""Kinds of lower-level objectives."""


class Source(Protocol):
    """Where :func:`draw_spec` gets its random choices."""

    def integer(self, lo: int, hi: int) -> int:
        """An integer in ``[lo, hi]``."""

    def flag(self, p: float) -> bool:
        """True with probability about ``p``."""


class NumpySource:
    """Random choices from a seeded ``numpy.random.RandomState``.

    Parameters
    ----------
    seed
        Seed of the generator: the same seed gives the same program.
    """

    def __init__(self, seed: int) -> None:
        self.rs = np.random.RandomState(seed)

    def integer(self, lo: int, hi: int) -> int:
        """An integer in ``[lo, hi]``, uniformly."""
        return int(self.rs.randint(lo, hi + 1))

    def flag(self, p: float) -> bool:
        """True with probability ``p``."""
        return bool(self.rs.random_sample() < p)


class HypothesisSource:
    """Random choices from hypothesis's ``draw`` (inside ``st.composite``).

    Flags shrink to False and integers towards 0, so a falsifying example shrinks to a
    plain, unscaled program.
    """

    def __init__(self, draw: Any) -> None:
        from hypothesis import strategies as st

        self.draw, self.st = draw, st

    def integer(self, lo: int, hi: int) -> int:
        """An integer in ``[lo, hi]``."""
        return int(self.draw(self.st.integers(lo, hi)))

    def flag(self, p: float) -> bool:
        """True with probability about ``p`` (shrinks to False)."""
        return self.draw(self.st.integers(0, 999)) >= 1000 - round(1000 * p)


def _grid(src: Source, lo: float, hi: float, step: float) -> float:
    return src.integer(round(lo / step), round(hi / step)) * step


def _choice(src: Source, seq: tuple | list) -> Any:
    return seq[src.integer(0, len(seq) - 1)]


def _exp(src: Source) -> int:
    return src.integer(-12, 6) if src.flag(0.5) else 0


def _nonzero(src: Source, lo: float, hi: float, step: float) -> float:
    v = _grid(src, lo, hi, step)
    return v if v != 0 else step


def draw_spec(src: Source) -> dict:
    """Draw one program spec (see the module docstring for the distribution).

    Parameters
    ----------
    src
        The source of random choices.

    Returns
    -------
    dict
        ``nx``, ``ny``, ``x_lb``, ``x_ub``, ``x_int``, ``y_lb``, ``y_ub``, ``anchor``,
        ``ll_kind`` and the expressions ``F``, ``f``, ``G`` (list), ``g`` (list).
    """
    nx, ny = src.integer(1, 2), src.integer(1, 2)
    ll_kind = _choice(src, LL_KINDS)
    x_int = [src.flag(0.25) for _ in range(nx)]
    x_lb = [float(src.integer(-2, 0)) for _ in range(nx)]
    x_ub = [lb + src.integer(1, 4) for lb in x_lb]
    inv_y = [ll_kind == "special" and src.flag(0.3) for _ in range(ny)]
    y_lb, y_ub = [], []
    for j in range(ny):
        lo = _grid(src, 0.25, 1.0, 0.25) if inv_y[j] else _grid(src, -2.0, 0.0, 0.5)
        y_lb.append(lo)
        y_ub.append(lo + _grid(src, 1.0, 3.5, 0.5))
    x0 = [float(src.integer(int(lb), int(ub))) if x_int[i]
          else _grid(src, lb, ub, 0.25) for i, (lb, ub) in enumerate(zip(x_lb, x_ub, strict=True))]
    y0 = [_grid(src, lb, ub, 0.25) for lb, ub in zip(y_lb, y_ub, strict=True)]
    xs = [f"x{i}" for i in range(nx)]
    ys = [f"y{j}" for j in range(ny)]

    def lin(a: dict[str, float], b: float = 0.0) -> dict:
        return {"a": {k: v for k, v in a.items() if v != 0}, "b": b}

    # lower-level objective ---------------------------------------------------------
    f_terms: list[dict] = []
    for j, yj in enumerate(ys):
        xi = _choice(src, xs)
        f_terms.append({"kind": "mono", "c": _grid(src, -2, 2, 0.5), "pow": {yj: 1}})
        f_terms.append({"kind": "mono", "c": _nonzero(src, -2, 2, 0.5),
                        "pow": {xi: 1, yj: 1}})
        if ll_kind == "convex":
            f_terms.append({"kind": "sq", "c": _grid(src, 0.5, 2, 0.5),
                            "lin": lin({yj: 1.0}, -_grid(src, -2, 2, 0.25))})
        elif ll_kind in ("nonconvex", "special"):
            for power, lo, hi in ((4, 0.0, 1.0), (3, -1.0, 1.0), (2, -2.0, 1.0)):
                c = _grid(src, lo, hi, 0.5)
                if c:
                    f_terms.append({"kind": "mono", "c": c, "pow": {yj: power}})
            if src.flag(0.4):
                f_terms.append({"kind": "mono", "c": _nonzero(src, -2, 2, 0.5),
                                "pow": {xi: 1, yj: 2}})
        if ll_kind == "special":
            if src.flag(0.4):
                shift = -y_lb[j] + (0.0 if src.flag(0.25) else _grid(src, 0.25, 1.0, 0.25))
                f_terms.append({"kind": "pow15", "c": _nonzero(src, -2, 2, 0.5), "var": yj,
                                "shift": shift})
            if inv_y[j]:
                f_terms.append({"kind": "inv", "c": _nonzero(src, -2, 2, 0.5), "var": yj})
            if src.flag(0.35):
                f_terms.append({"kind": "abs", "c": _grid(src, 0.5, 2, 0.5), "lin": lin(
                    {yj: 1.0, xi: -_grid(src, -1, 1, 0.5)}, -_grid(src, -1, 1, 0.25))})
    if ny == 2 and ll_kind != "linear" and src.flag(0.5):
        f_terms.append({"kind": "mono", "c": _nonzero(src, -1, 1, 0.5),
                        "pow": {"y0": 1, "y1": 1}})
    f = {"exp": _exp(src), "const": 0.0, "terms": f_terms}

    # upper-level objective ---------------------------------------------------------
    F_terms: list[dict] = []
    quadratic = src.flag(0.7)
    for k, v in enumerate(xs + ys):
        if quadratic:
            F_terms.append({"kind": "sq", "c": _grid(src, 0, 2, 0.5),
                            "lin": lin({v: 1.0}, -_grid(src, -2, 2, 0.25))})
        # F is never identically zero (a structurally zero F is a bad-input case, not this
        # test's subject): the first linear coefficient is nonzero
        coef = _nonzero(src, -2, 2, 0.5) if k == 0 else _grid(src, -2, 2, 0.5)
        F_terms.append({"kind": "mono", "c": coef, "pow": {v: 1}})
    if src.flag(0.4):
        F_terms.append({"kind": "mono", "c": _nonzero(src, -2, 2, 0.5),
                        "pow": {_choice(src, xs): 1, _choice(src, ys): 1}})
    F = {"exp": _exp(src), "const": 0.0, "terms": F_terms}

    # rows --------------------------------------------------------------------------
    point = {**dict(zip(xs, x0, strict=True)), **dict(zip(ys, y0, strict=True))}

    def anchored(terms: list[dict]) -> dict:
        """A row ``<= 0`` through the terms, satisfied at the anchor with a margin."""
        value = sum(_term_value(t, point) for t in terms)
        margin = _grid(src, 0.0, 1.0, 0.25)
        return {"exp": _exp(src), "const": -float(value) - margin, "terms": terms}

    g = []
    for _ in range(_choice(src, (0, 0, 1, 1, 2))):
        kind = _choice(src, ("linear", "linear", "quadratic", "inverse"))
        yj, xi = _choice(src, ys), _choice(src, xs)
        terms = [{"kind": "mono", "c": _grid(src, -2, 2, 0.5), "pow": {xi: 1}}]
        if kind == "quadratic":
            terms.append({"kind": "sq", "c": 1.0, "lin": lin({yj: 1.0},
                                                               -_grid(src, -1, 1, 0.25))})
        elif kind == "inverse" and inv_y[ys.index(yj)]:
            terms.append({"kind": "inv", "c": _nonzero(src, -2, 2, 0.5), "var": yj})
        else:
            terms += [{"kind": "mono", "c": _nonzero(src, -2, 2, 0.5), "pow": {v: 1}}
                      for v in ys]
        g.append(anchored(terms))
    G = []
    if src.flag(0.3):
        terms = [{"kind": "mono", "c": _grid(src, -2, 2, 0.5), "pow": {v: 1}}
                 for v in xs + (ys if src.flag(0.5) else [])]
        G.append(anchored(terms))
    return {"nx": nx, "ny": ny, "x_lb": x_lb, "x_ub": x_ub, "x_int": x_int, "y_lb": y_lb,
            "y_ub": y_ub, "anchor": {"x": x0, "y": y0}, "ll_kind": ll_kind,
            "F": F, "f": f, "G": G, "g": g}


# evaluation and construction -------------------------------------------------------------
def _lin_value(lin: dict, point: dict) -> Any:
    out = lin["b"]
    for k, a in lin["a"].items():
        out = out + a * point[k]
    return out


def _term_value(t: dict, point: dict) -> Any:
    """The value of one term, for numbers or CasADi symbols in ``point``."""
    kind = t["kind"]
    if kind == "mono":
        out = t["c"]
        for k, p in t["pow"].items():
            out = out * point[k] ** p
        return out
    if kind == "sq":
        return t["c"] * _lin_value(t["lin"], point) ** 2
    if kind == "abs":
        return t["c"] * abs(_lin_value(t["lin"], point))
    if kind == "pow15":
        return t["c"] * (point[t["var"]] + t["shift"]) ** 1.5
    if kind == "inv":
        return t["c"] / point[t["var"]]
    raise ValueError(f"unknown term kind {kind!r}")


def expr_value(expr: dict, point: dict) -> Any:
    """``10^exp (const + sum of terms)`` at ``point`` (numbers or CasADi symbols)."""
    out = expr["const"]
    for t in expr["terms"]:
        out = out + _term_value(t, point)
    return 10.0 ** expr["exp"] * out


def build_program(spec: dict) -> bmp.BilevelProgram:
    """The ``BilevelProgram`` of a spec (integer x flags set with ``dataclasses.replace``)."""
    nx, ny = spec["nx"], spec["ny"]

    def point(x, y):
        return {**{f"x{i}": x[i] for i in range(nx)}, **{f"y{j}": y[j] for j in range(ny)}}

    prog = bmp.BilevelProgram.from_functions(
        nx, ny,
        F=lambda x, y: expr_value(spec["F"], point(x, y)),
        f=lambda x, y: expr_value(spec["f"], point(x, y)),
        G=(lambda x, y: [expr_value(e, point(x, y)) for e in spec["G"]]) if spec["G"]
        else None,
        g=(lambda x, y: [expr_value(e, point(x, y)) for e in spec["g"]]) if spec["g"]
        else None,
        x_bounds=(spec["x_lb"], spec["x_ub"]), y_bounds=(spec["y_lb"], spec["y_ub"]),
        source="tests.trust.generators")
    if any(spec["x_int"]):
        prog = dataclasses.replace(prog, x_integer=np.array(spec["x_int"], dtype=bool))
    return prog


def describe(spec: dict) -> str:
    """The program of a spec in one readable block (for reports and reproducers)."""
    def term(t: dict) -> str:
        def lin(li: dict) -> str:
            parts = [f"{a:g}*{k}" for k, a in li["a"].items()]
            if li["b"]:
                parts.append(f"{li['b']:g}")
            return " + ".join(parts) or "0"
        kind = t["kind"]
        if kind == "mono":
            return f"{t['c']:g}*" + "*".join(
                k if p == 1 else f"{k}^{p}" for k, p in t["pow"].items())
        if kind == "sq":
            return f"{t['c']:g}*({lin(t['lin'])})^2"
        if kind == "abs":
            return f"{t['c']:g}*|{lin(t['lin'])}|"
        if kind == "pow15":
            return f"{t['c']:g}*({t['var']} + {t['shift']:g})^1.5"
        return f"{t['c']:g}/{t['var']}"

    def expr(e: dict) -> str:
        body = " + ".join([term(t) for t in e["terms"] if t.get("c", 1) != 0]
                          + ([f"{e['const']:g}"] if e["const"] else [])) or "0"
        return body if e["exp"] == 0 else f"1e{e['exp']} * ({body})"

    lines = [f"x in [{spec['x_lb']}, {spec['x_ub']}] integer={spec['x_int']}; "
             f"y in [{spec['y_lb']}, {spec['y_ub']}]; LL kind {spec['ll_kind']}",
             f"F = {expr(spec['F'])}"]
    lines += [f"G[{i}] = {expr(e)} <= 0" for i, e in enumerate(spec["G"])]
    lines.append(f"f = {expr(spec['f'])}")
    lines += [f"g[{i}] = {expr(e)} <= 0" for i, e in enumerate(spec["g"])]
    return "\n".join(lines)


def spec_from_seed(seed: int) -> dict:
    """The spec drawn by :class:`NumpySource` with ``seed`` (the sweep's instance)."""
    return draw_spec(NumpySource(seed))


def bilevel_specs():
    """A hypothesis strategy of program specs (build them with :func:`build_program`)."""
    from hypothesis import strategies as st

    return st.composite(lambda draw: draw_spec(HypothesisSource(draw)))()
