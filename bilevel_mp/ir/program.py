"""The bilevel intermediate representation :class:`BilevelProgram`.

Standard optimistic bilevel program (survey §2, problem (P)), all inequalities ``<= 0``::

    min_{x,y} F(x, y)   s.t.  G(x, y) <= 0,  H(x, y) = 0,  x_lb <= x <= x_ub,
                              y solves  min_y f(x, y)  s.t.  g(x, y) <= 0,  h(x, y) = 0.

Lower-level variable bounds are rows of ``g`` (they receive multipliers). Maximization
is negated at the edge: ``F`` and ``f`` are always minimized, and ``F_sign``/``f_sign``
map internal values back to the user's sense (user value = sign * internal value).
"""

from __future__ import annotations

import numbers
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import TYPE_CHECKING

import casadi as ca
import numpy as np

from bilevel_mp.errors import ModelError

if TYPE_CHECKING:
    from bilevel_mp.ir.lower_level import LowerLevelAtX

SYMBOLIC_KINDS = {"SX": ca.SX, "MX": ca.MX}
"""CasADi expression types a program can be built from (see ``from_functions``)."""


def symbol_like(expr: ca.SX | ca.MX, name: str, shape: int | ca.Sparsity = 1) -> ca.SX | ca.MX:
    """A new symbol of the same CasADi type as ``expr`` (``SX`` or ``MX``).

    Code that adds unknowns or parameters to a program (multipliers, slacks, method
    parameters) creates them with this, so a program built on ``MX`` stays ``MX``.
    """
    return type(expr).sym(name, shape)


def _column(value: object, what: str, kind: type = ca.SX) -> ca.SX | ca.MX:
    """Turn a scalar, list of scalars or expression into a column vector of type ``kind``."""
    if value is None:
        return kind(0, 1)
    try:
        if isinstance(value, list | tuple):
            return ca.vertcat(*[kind(v) for v in value]) if value else kind(0, 1)
        col = kind(value)
    except (NotImplementedError, TypeError, RuntimeError):  # CasADi's "wrong arguments"
        raise ModelError(f"{what} must return numbers or CasADi expressions of x and y, "
                         f"got {type(value).__name__} {value!r}"[:300]) from None
    if col.size2() != 1:
        if col.size1() == 1:
            return col.T
        raise ModelError(f"{what} must be a vector, got shape {col.shape}")
    return col


@dataclass(frozen=True, eq=False)
class BilevelProgram:
    """A bilevel program in symbolic form; frozen, never mutated after construction.

    Attributes
    ----------
    x, y, p
        CasADi symbol columns: upper-level variables (n), lower-level variables (m),
        parameters (k) whose values are ``p_values``.
    F, G, H, f, g, h
        Objectives (1x1) and constraint columns, inequalities ``<= 0``.
    x_lb, x_ub
        Bounds of the upper-level variables (``±inf`` when absent).
    y_lb, y_ub
        Bounds of the lower-level variables, for information and start points: they are
        also rows of ``g`` (see ``g_bound_rows``).
    x_integer, y_integer
        Integrality flags.
    x0, y0
        Start values.
    names
        ``x``, ``y``, ``G``, ``H``, ``g``, ``h`` -> tuple of names, so results map back;
        optionally ``p``, the names of the parameters (see ``parameter_names``).
    F_sign, f_sign
        ``+1`` for minimization, ``-1`` where the user maximizes.
    g_bound_rows
        Indices of rows of ``g`` that are bounds of lower-level variables.
    bigm_hints
        User bounds for Big-M, by ``g`` row name: ``(slack bound, multiplier bound)``,
        ``None`` where not given.
    """

    x: ca.SX
    y: ca.SX
    F: ca.SX
    G: ca.SX
    H: ca.SX
    f: ca.SX
    g: ca.SX
    h: ca.SX
    x_lb: np.ndarray
    x_ub: np.ndarray
    y_lb: np.ndarray
    y_ub: np.ndarray
    names: dict[str, tuple[str, ...]]
    p: ca.SX = field(default_factory=lambda: ca.SX(0, 1))
    p_values: np.ndarray = field(default_factory=lambda: np.zeros(0))
    x_integer: np.ndarray | None = None
    y_integer: np.ndarray | None = None
    x0: np.ndarray | None = None
    y0: np.ndarray | None = None
    F_sign: float = 1.0
    f_sign: float = 1.0
    g_bound_rows: tuple[int, ...] = ()
    bigm_hints: dict[str, tuple[float | None, float | None]] = field(default_factory=dict)
    source: str = ""

    def __post_init__(self) -> None:
        n, m = self.nx, self.ny
        fill = object.__setattr__
        if self.x_integer is None:
            fill(self, "x_integer", np.zeros(n, dtype=bool))
        if self.y_integer is None:
            fill(self, "y_integer", np.zeros(m, dtype=bool))
        if self.x0 is None:
            fill(self, "x0", _default_start(self.x_lb, self.x_ub))
        if self.y0 is None:
            fill(self, "y0", _default_start(self.y_lb, self.y_ub))
        if self.p.numel() == 0 and not isinstance(self.p, type(self.x)):
            fill(self, "p", type(self.x)(0, 1))
        for key, size in (("x", n), ("y", m), ("G", self.G.numel()), ("H", self.H.numel()),
                          ("g", self.g.numel()), ("h", self.h.numel())):
            got = len(self.names.get(key, ()))
            if got != size:
                raise ModelError(f"{got} names given for {size} entries of {key}")
        if "p" in self.names and len(self.names["p"]) != self.p.numel():
            raise ModelError(f"{len(self.names['p'])} names given for {self.p.numel()} "
                             "entries of p")

    # sizes -------------------------------------------------------------------------
    @property
    def nx(self) -> int:
        """Number of upper-level variables."""
        return self.x.numel()

    @property
    def ny(self) -> int:
        """Number of lower-level variables."""
        return self.y.numel()

    def integer_ll_reason(self, consequence: str) -> str:
        """``""`` when every lower-level variable is continuous; otherwise the reason a
        method cannot take the program: the integer variables by name, then
        ``consequence`` (what fails for that method)."""
        names = [n for n, i in zip(self.names["y"], self.y_integer, strict=True) if i]
        if not names:
            return ""
        return f"lower-level variables {', '.join(names)} are integer: {consequence}"

    @property
    def parameter_names(self) -> tuple[str, ...]:
        """Names of the parameters ``p``: ``names["p"]`` when given (a compiled Pyomo model
        names each mutable ``Param`` entry as ``Param.name`` gives it), else ``p[i]``."""
        return self.names.get("p", tuple(f"p[{i}]" for i in range(self.p.numel())))

    # numeric evaluation ------------------------------------------------------------
    @cached_property
    def as_sx(self) -> BilevelProgram:
        """The same program on ``SX`` (itself when it already is).

        Consumers that walk scalar expression graphs (the SCIP translation, the
        Newton-type systems) use this; an ``MX`` program is expanded once, which costs
        one scalar node per entry of its dense data.
        """
        if isinstance(self.x, ca.SX):
            return self
        x, y, p = (ca.SX.sym(k, v.numel()) for k, v in (("x", self.x), ("y", self.y),
                                                       ("p", self.p)))
        F, G, H, f, g, h = self.evaluator.expand()(x, y, p)
        return replace(self, x=x, y=y, p=p, F=F, G=G, H=H, f=f, g=g, h=h)

    @cached_property
    def evaluator(self) -> ca.Function:
        """``(x, y, p) -> (F, G, H, f, g, h)`` as one CasADi function."""
        return ca.Function(
            "bilevel_eval",
            [self.x, self.y, self.p],
            [self.F, self.G, self.H, self.f, self.g, self.h],
            ["x", "y", "p"],
            ["F", "G", "H", "f", "g", "h"],
        )

    @cached_property
    def row_jacobians(self) -> ca.Function:
        """``(x, y, p) -> (J_UL, J_LL)``: Jacobians in ``(x, y)`` of the upper-level rows
        ``[G; H]`` and of the lower-level rows ``[g; h]`` (sparse), for row scales."""
        z = ca.vertcat(self.x, self.y)
        return ca.Function(
            "row_jacobians", [self.x, self.y, self.p],
            [ca.jacobian(ca.vertcat(self.G, self.H), z),
             ca.jacobian(ca.vertcat(self.g, self.h), z)])

    @cached_property
    def lower_level(self) -> LowerLevelAtX:
        """The lower level at a fixed x, with its NLP and LP/QP views
        (:class:`~bilevel_mp.ir.lower_level.LowerLevelAtX`)."""
        from bilevel_mp.ir.lower_level import LowerLevelAtX

        return LowerLevelAtX(self)

    @cached_property
    def objective_gradients(self) -> ca.Function:
        """``(x, y, p) -> (∇_y F, ∇_y f, ∇_x F, ∇_x f)`` (dense columns), for the
        rounding floor of the tolerances; one reverse sweep per objective, over (x, y)."""
        xy, n = ca.vertcat(self.x, self.y), self.nx
        (gx_F, gy_F), (gx_f, gy_f) = (
            ca.vertsplit(ca.densify(ca.gradient(v, xy)), [0, n, n + self.ny])
            for v in (self.F, self.f))
        return ca.Function("objective_gradients", [self.x, self.y, self.p],
                           [gy_F, gy_f, gx_F, gx_f])

    def evaluate(self, x: np.ndarray, y: np.ndarray) -> dict[str, np.ndarray | float]:
        """Evaluate every function at ``(x, y)`` with the stored parameter values."""
        out = self.evaluator(x=x, y=y, p=self.p_values)
        return {
            k: float(v) if k in ("F", "f") else np.asarray(v, dtype=float).ravel()
            for k, v in out.items()
        }

    def ul_violation(self, x: np.ndarray, y: np.ndarray) -> float:
        """Largest violation of ``G <= 0``, ``H = 0`` and the bounds of ``x``."""
        ev = self.evaluate(x, y)
        parts = [
            np.maximum(ev["G"], 0.0),
            np.abs(ev["H"]),
            np.maximum(self.x_lb - x, 0.0),
            np.maximum(x - self.x_ub, 0.0),
        ]
        return float(max((float(p.max()) for p in parts if p.size), default=0.0))

    def ll_violation(self, x: np.ndarray, y: np.ndarray) -> float:
        """Largest violation of ``g <= 0`` and ``h = 0`` (LL bounds included)."""
        ev = self.evaluate(x, y)
        parts = [np.maximum(ev["g"], 0.0), np.abs(ev["h"])]
        return float(max((float(p.max()) for p in parts if p.size), default=0.0))

    # construction --------------------------------------------------------------------
    @classmethod
    def from_functions(
        cls,
        nx: int,
        ny: int,
        F: Callable[[ca.SX, ca.SX], object],
        f: Callable[[ca.SX, ca.SX], object],
        G: Callable[[ca.SX, ca.SX], object] | None = None,
        H: Callable[[ca.SX, ca.SX], object] | None = None,
        g: Callable[[ca.SX, ca.SX], object] | None = None,
        h: Callable[[ca.SX, ca.SX], object] | None = None,
        x_bounds: tuple[Sequence[float], Sequence[float]] | None = None,
        y_bounds: tuple[Sequence[float], Sequence[float]] | None = None,
        x_names: Sequence[str] | None = None,
        y_names: Sequence[str] | None = None,
        x0: Sequence[float] | None = None,
        y0: Sequence[float] | None = None,
        F_sign: float = 1.0,
        f_sign: float = 1.0,
        bigm_hints: dict[str, tuple[float | None, float | None]] | None = None,
        source: str = "",
        symbolic: str = "SX",
    ) -> BilevelProgram:
        """Build a program from callables of CasADi column vectors ``x`` and ``y``.

        Each callable returns a scalar (``F``, ``f``) or a scalar / list / column of
        constraint values, inequalities ``<= 0``. ``y_bounds`` become rows of ``g``
        (after the user's rows), named ``"<y name> >= lb"`` / ``"<y name> <= ub"``.
        ``F``, ``f`` are minimized; pass ``F_sign=-1`` when ``F`` is the negation of a
        maximized objective so reported values use the original sense.

        ``symbolic="MX"`` builds the program on CasADi's matrix expressions instead of
        scalar ones (``SX``). A product with a dense data matrix is then one node, not one
        node per entry, so models with large dense data (a Gram matrix of a regression
        with hundreds of features) build and differentiate in seconds; derivatives are
        evaluated more slowly per call. ``"SX"`` suits everything else.

        Examples
        --------
        >>> prog = BilevelProgram.from_functions(
        ...     1, 1, F=lambda x, y: (x[0] - 3) ** 2 + (y[0] - 2) ** 2,
        ...     f=lambda x, y: (y[0] - 5) ** 2,
        ...     g=lambda x, y: [-2 * x[0] + y[0] - 1, x[0] - 2 * y[0] + 2],
        ...     x_bounds=([0], [8]), y_bounds=([0], [None]))
        >>> prog.nx, prog.ny, prog.g.numel()
        (1, 1, 3)
        """
        if symbolic not in SYMBOLIC_KINDS:
            raise ModelError(f"symbolic must be one of {sorted(SYMBOLIC_KINDS)}, not "
                             f"{symbolic!r}")
        kind = SYMBOLIC_KINDS[symbolic]
        nx, ny = _size(nx, "nx", minimum=0), _size(ny, "ny", minimum=1)
        x = kind.sym("x", nx)
        y = kind.sym("y", ny)
        xn = tuple(x_names) if x_names is not None else tuple(f"x[{i}]" for i in range(nx))
        yn = tuple(y_names) if y_names is not None else tuple(f"y[{i}]" for i in range(ny))

        def call(fn, what):
            return _column(_call_user(fn, x, y, what), what, kind)

        Fv, fv = _scalar(call(F, "F"), "F"), _scalar(call(f, "f"), "f")
        Gv, Hv, gv, hv = call(G, "G"), call(H, "H"), call(g, "g"), call(h, "h")
        for what, expr in (("F", Fv), ("f", fv), ("G", Gv), ("H", Hv), ("g", gv), ("h", hv)):
            _check_constants(expr, [x, y], what)
        x_lb, x_ub = _bounds(x_bounds, nx, "x_bounds")
        y_lb, y_ub = _bounds(y_bounds, ny, "y_bounds")
        g_rows, bound_names = bound_rows(y, y_lb, y_ub, yn)
        first_bound = gv.numel()
        names = {
            "x": xn,
            "y": yn,
            "G": tuple(f"G[{i}]" for i in range(Gv.numel())),
            "H": tuple(f"H[{i}]" for i in range(Hv.numel())),
            "g": tuple(f"g[{i}]" for i in range(gv.numel())) + bound_names,
            "h": tuple(f"h[{i}]" for i in range(hv.numel())),
        }
        return cls(
            x=x, y=y, F=Fv, f=fv,
            G=Gv, H=Hv, g=ca.vertcat(gv, g_rows), h=hv,
            x_lb=x_lb, x_ub=x_ub, y_lb=y_lb, y_ub=y_ub, names=names,
            x0=_start(x0, nx, "x0"), y0=_start(y0, ny, "y0"),
            F_sign=F_sign, f_sign=f_sign,
            g_bound_rows=tuple(range(first_bound, first_bound + g_rows.numel())),
            bigm_hints=dict(bigm_hints or {}),
            source=source,
        )


def unit_steps(center: np.ndarray, lb: np.ndarray, ub: np.ndarray) -> list[np.ndarray]:
    """``center - 1`` and ``center + 1`` in every coordinate, clipped to ``[lb, ub]``."""
    return [np.clip(center + step, lb, ub) for step in (-1.0, 1.0)]


def bound_rows(
    y: ca.SX, lb: np.ndarray, ub: np.ndarray, names: Sequence[str]
) -> tuple[ca.SX, tuple[str, ...]]:
    """Rows ``lb - y <= 0`` and ``y - ub <= 0`` for the finite bounds of ``y``, variable by
    variable (its lower row before its upper row), built as two vector operations."""
    lb, ub = np.asarray(lb, dtype=float), np.asarray(ub, dtype=float)
    slots = np.flatnonzero(np.column_stack([np.isfinite(lb), np.isfinite(ub)]).ravel())
    if not slots.size:
        return type(y)(0, 1), ()
    var, upper = slots // 2, slots % 2 == 1  # slot 2j: lower bound of y_j, 2j + 1: upper
    low, high = var[~upper].tolist(), var[upper].tolist()
    # (CasADi indexes a 1x1 matrix by an empty list as 1x0: empty parts are left out)
    rows = ca.vertcat(*([ca.DM(lb[low]) - y[low]] if low else []),
                      *([y[high] - ca.DM(ub[high])] if high else []))
    # back to the order of the slots: the lower rows come first in ``rows``
    order = np.argsort(np.concatenate([slots[~upper], slots[upper]]), kind="stable")
    row_names = [row for j, name in enumerate(names)
                 for row in bound_row_names(name, lb[j], ub[j]) if row is not None]
    return rows[order.tolist()], tuple(row_names)


def bound_row_names(name: str, lb: float, ub: float) -> tuple[str | None, str | None]:
    """Names of the rows that :func:`bound_rows` makes of the bounds ``lb``, ``ub`` of the
    variable ``name`` (``None`` for an infinite bound: no row)."""
    return (f"{name} >= {lb:g}" if np.isfinite(lb) else None,
            f"{name} <= {ub:g}" if np.isfinite(ub) else None)


def _size(value: object, what: str, minimum: int) -> int:
    """A number of variables: an integer of at least ``minimum``."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < minimum:
        raise ModelError(f"{what} must be an integer >= {minimum}, got {value!r}")
    return int(value)


def _call_user(fn: Callable | None, x, y, what: str) -> object:
    """``fn(x, y)``; a :class:`ModelError` naming ``what`` when ``fn`` is not callable or
    raises (the user's callable can raise anything, hence the broad ``except``)."""
    if fn is None:
        return None
    if not callable(fn):
        raise ModelError(f"{what} must be a callable (x, y) -> expression, got "
                         f"{type(fn).__name__} {fn!r}")
    try:
        return fn(x, y)
    except Exception as exc:  # noqa: BLE001 (user code)
        raise ModelError(f"{what}(x, y) raised {type(exc).__name__}: "
                         f"{' '.join(str(exc).split())}") from exc


def _scalar(expr: ca.SX | ca.MX, what: str) -> ca.SX | ca.MX:
    if expr.numel() != 1:
        raise ModelError(f"{what} must return a scalar, got {expr.numel()} entries")
    return expr


def _check_constants(expr: ca.SX | ca.MX, symbols: list, what: str) -> None:
    """A :class:`ModelError` naming the row of ``expr`` that holds a NaN or infinite
    number (``SX`` only: ``MX`` graphs are not walked)."""
    if not isinstance(expr, ca.SX) or expr.numel() == 0:
        return
    function = ca.Function("constants", symbols, [expr])
    if all(np.isfinite(_constants(function))):
        return
    for i in range(expr.numel()):
        row = ca.Function("row", symbols, [expr[i]])
        if not all(np.isfinite(_constants(row))):
            name = what if expr.numel() == 1 else f"{what}[{i}]"
            raise ModelError(f"{name} holds a number that is not finite: {expr[i]}")


def _constants(function: ca.Function) -> list[float]:
    return [function.instruction_constant(k) for k in range(function.n_instructions())
            if function.instruction_id(k) == ca.OP_CONST]


def _bounds(
    bounds: tuple[Sequence[float | None], Sequence[float | None]] | None, n: int, what: str
) -> tuple[np.ndarray, np.ndarray]:
    """Lower and upper bounds (``None``: ``-inf`` / ``inf``), checked: numbers, ``n`` of
    each, no NaN, and ``lb <= ub``."""
    if bounds is None:
        return np.full(n, -np.inf), np.full(n, np.inf)
    if isinstance(bounds, str) or not isinstance(bounds, Sequence) or len(bounds) != 2:
        raise ModelError(f"{what} must be a pair (lower bounds, upper bounds), got {bounds!r}")
    lo = _bound_values(bounds[0], -np.inf, n, f"{what} lower")
    hi = _bound_values(bounds[1], np.inf, n, f"{what} upper")
    crossed = np.flatnonzero(lo > hi)
    if crossed.size:
        j = crossed[0]
        raise ModelError(f"{what}: lower bound {lo[j]:g} of entry {j} exceeds its upper "
                         f"bound {hi[j]:g}")
    if np.any(lo == np.inf) or np.any(hi == -np.inf):
        raise ModelError(f"{what}: a lower bound is +inf or an upper bound -inf")
    return lo, hi


def _bound_values(values: object, absent: float, n: int, what: str) -> np.ndarray:
    if isinstance(values, str) or not isinstance(values, Sequence | np.ndarray):
        raise ModelError(f"{what} bounds must be a sequence of {n} numbers or None, got "
                         f"{values!r}")
    try:
        out = np.array([absent if v is None else float(v) for v in values], dtype=float)
    except (TypeError, ValueError):
        raise ModelError(f"{what} bounds must be numbers or None, got {values!r}") from None
    if out.shape != (n,):
        raise ModelError(f"{what} bounds must have {n} entries, got {out.shape[0]}")
    if np.any(np.isnan(out)):
        raise ModelError(f"{what} bounds hold NaN: {values!r}")
    return out


def _start(values: Sequence[float] | None, n: int, what: str) -> np.ndarray | None:
    """A start point: ``n`` finite numbers (``None``: the default start)."""
    if values is None:
        return None
    try:
        out = np.asarray(values, dtype=float).ravel()
    except (TypeError, ValueError):
        raise ModelError(f"{what} must be {n} numbers, got {values!r}") from None
    if out.shape != (n,) or not np.all(np.isfinite(out)):
        raise ModelError(f"{what} must be {n} finite numbers, got {values!r}")
    return out


def _default_start(lb: np.ndarray, ub: np.ndarray) -> np.ndarray:
    """Zero projected onto the box."""
    return np.clip(np.zeros_like(lb), lb, ub)
