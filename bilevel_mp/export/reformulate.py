"""``reformulate``: the single-level problem of a method as a Pyomo model; ``load_solution``:
its solution mapped back to the bilevel program and verified.

Every form is built by our own reformulation code (:mod:`bilevel_mp.reformulations`,
the ``kkt-bigm`` M-value inference, the ``llvf-cuts`` relaxation) and translated, row by
row, into Pyomo: the CasADi rows through :mod:`bilevel_mp.export.casadi_to_pyomo`, the
MILPs through :mod:`bilevel_mp.solvers.pyomo_interface`. Nothing is re-derived, so the
Pyomo model is the problem our solvers see, with recognizable names:

``x[...]``, ``y[...]``
    upper- and lower-level variables, indexed by their names in the bilevel model;
``u[<row>]``, ``v[<row>]``
    multipliers of each lower-level inequality ``g <= 0`` (variable bounds included,
    named ``"<var> >= lb"``) and equality ``h = 0``; ``s[<row>] = -g`` the slacks of the
    relaxations, ``w[<row>]`` the Big-M activity binaries;
``F``
    the upper-level objective in the user's sense (a maximization stays one), plus the
    penalty term for ``kkt-penalty``;
``G``, ``H``, ``g``, ``h``
    upper- and lower-level constraints (inequalities ``<= 0``), ``stationarity[<y>]`` the
    rows ``∇_y (f + u'g + v'h) = 0``, ``slack[<row>]`` the rows ``g + s = 0``.

Forms (survey §7 and §8; formulas in :mod:`bilevel_mp.reformulations`):

===================== ================================================================
method                single-level problem
===================== ================================================================
``kkt``               the KKT MPCC (survey (KKT)) with ``pyomo.mpec`` complementarity
                      ``complementarity[<row>]: complements(u >= 0, -g(x, y) >= 0)``
``kkt-<handling>``    the NLP our homotopy solves at one value of its parameter: the
                      MPCC with slacks ``s = -g`` and the handling's rows on ``(u, s)``
                      (``product``; the relaxations ``scholtes``, ``lin-fukushima``,
                      ``kadrani``, ``steffensen-ulbrich``, ``kanzow-schwartz`` at ``t``;
                      ``penalty`` at ``lam`` = λ; ``fb``, ``min`` at ``mu``), as a mutable
                      ``Param`` (``t``, ``lam``, ``mu``) the user may change and re-solve
``kkt-bigm``          the Big-M MILP (7.12) (an MIQP for a quadratic ``F``) with the M
                      values ``kkt-bigm`` proves, as the immutable ``Param`` s
                      ``M_primal``, ``M_dual``, their sources in ``M_primal_source``,
                      ``M_dual_source``; always with dual Ms (the direction-cut loop of
                      ``dual="cuts"`` has no single-MILP form), on ``f`` as given (the
                      solve path divides ``f`` by its gradient scale when that is outside
                      [1e-3, 1e3], which only rescales the multipliers)
``kkt-sos1``          the linear KKT system with SOS1 pairs ``{u_i, s_i}`` and the column
                      bounds ``kkt-sos1`` proves
``llvf-cuts``         the value-function relaxation ``R_k`` of ``llvf-cuts``:
                      ``f(x, y) <= f(x, z_j)`` for given lower-level points ``z_j``
                      (option ``cut_points``; ``res.stats["cut_points"]`` of a
                      ``llvf-cuts`` run gives its last relaxation), i.e. ``φ`` represented
                      from above by sampled responses; without points, the high-point
                      relaxation
===================== ================================================================

``auto``, ``implicit`` and the equation-system methods (``kkt-sn``, ``kkt-lm``,
``llvf-sn``, ``llvf-lm``) have no single-level optimization problem to export.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import casadi as ca
import numpy as np
import pyomo.environ as pyo
from pyomo.mpec import Complementarity, complements

from bilevel_mp.api import _finish, _prepare
from bilevel_mp.errors import (
    ModelError,
    NoSolutionError,
    OptionError,
    ReformulationNotApplicable,
)
from bilevel_mp.export.casadi_to_pyomo import ExpressionTranslator
from bilevel_mp.export.model import ExportInfo, Position, SingleLevelModel
from bilevel_mp.ir.milp import MILP
from bilevel_mp.ir.nlp import MPCC, NLP
from bilevel_mp.ir.program import BilevelProgram
from bilevel_mp.methods.bigm import BigMOptions, with_proven_bounds
from bilevel_mp.methods.bigm_cuts import exact_solve_outcome
from bilevel_mp.methods.driver import no_stages
from bilevel_mp.methods.homotopy import KKTOptions, MethodOutcome
from bilevel_mp.methods.registry import METHODS
from bilevel_mp.modeling.compile import compile_pyomo
from bilevel_mp.options import CheckedOptions, make_options
from bilevel_mp.oracles.bigm_bounds import infer_dual_ms, infer_primal_ms
from bilevel_mp.reformulations.base import BilevelSolution
from bilevel_mp.reformulations.bigm import (
    BigMReformulation,
    LinearKKT,
    SOS1Reformulation,
    linear_kkt_data,
    linear_kkt_reason,
)
from bilevel_mp.reformulations.complementarity import HANDLINGS, ComplementarityHandling
from bilevel_mp.reformulations.kkt import KKTInverseData, KKTReformulation
from bilevel_mp.reformulations.value_function import ValueFunctionRelaxation
from bilevel_mp.result import BilevelResult
from bilevel_mp.solvers.base import BackendResult, Deadline
from bilevel_mp.solvers.pyomo_interface import (
    PYOMO_STATUS,
    Block,
    add_rows,
    add_variables,
    index_labels,
    milp_objective,
    milp_to_pyomo,
)
from bilevel_mp.status import TerminationStatus

# --- options -------------------------------------------------------------------------


@dataclass(frozen=True)
class NoExportOptions(CheckedOptions):
    """Forms without options (``kkt``, ``kkt-product``, ``kkt-sos1``)."""


@dataclass(frozen=True)
class RelaxationExportOptions(CheckedOptions):
    """Options of the relaxations: ``t > 0``, the relaxation parameter (default: the first
    stage of the homotopy, ``KKTOptions.start``)."""

    t: float = KKTOptions.start


@dataclass(frozen=True)
class SmoothingExportOptions(CheckedOptions):
    """Options of the smoothed NCP functions: ``mu >= 0`` (``0``: the exact NCP
    function)."""

    mu: float = KKTOptions.start


@dataclass(frozen=True)
class PenaltyExportOptions(CheckedOptions):
    """Options of the partial penalization: ``lam >= 0``, the penalty λ."""

    lam: float = KKTOptions.start


@dataclass(frozen=True)
class BigMExportOptions(CheckedOptions):
    """Options of the Big-M MILP, as in :class:`~bilevel_mp.methods.bigm.BigMOptions`:
    ``default_big_m`` where nothing is proven or given, ``lp_bounds`` to tighten the Ms
    with one LP per row."""

    default_big_m: float = BigMOptions.default_big_m
    lp_bounds: bool = BigMOptions.lp_bounds


@dataclass(frozen=True)
class CutsExportOptions(CheckedOptions):
    """Options of the value-function relaxation: ``cut_points``, lower-level points
    ``z_j`` (each ``ny`` numbers) of the cuts ``f(x, y) <= f(x, z_j)``."""

    cut_points: tuple[tuple[float, ...], ...] = ()


PARAMETER_OPTIONS: dict[str | None, tuple[type, str]] = {
    None: (NoExportOptions, ""),
    "t": (RelaxationExportOptions, "t"),
    "mu": (SmoothingExportOptions, "mu"),
    "lambda": (PenaltyExportOptions, "lam"),
}
"""Handling parameter -> its options class and the option (and ``Param``) name."""


# --- building blocks -----------------------------------------------------------------


def _new_model(program: BilevelProgram, method: str) -> SingleLevelModel:
    source = program.source or "a bilevel program"
    return SingleLevelModel(name=f"{method} single-level problem of {source}")


def _objective(model: SingleLevelModel, program: BilevelProgram, expr: Any) -> None:
    """``F`` in the user's sense: ``expr`` is the minimized (internal) form."""
    if program.F_sign < 0:
        model.F = pyo.Objective(expr=-expr, sense=pyo.maximize)
    else:
        model.F = pyo.Objective(expr=expr, sense=pyo.minimize)


def _positions(blocks: Sequence[Block], entries: Sequence[Any]) -> tuple[Position | None,
                                                                         ...]:
    """Positions of a program's entries given its blocks (``None`` where ``entries`` is)."""
    out: list[Position | None] = []
    for name, labels in blocks:
        out += [(name, label) for label in labels]
    return tuple(None if entry is None else pos for pos, entry in zip(out, entries,
                                                                       strict=True))


def _column_blocks(program: BilevelProgram, keys: Sequence[str]) -> list[Block]:
    """Column blocks ``x``, ``y`` and per-row blocks (``u``, ``s``, ``w``: one per ``g``
    row; ``v``: one per ``h`` row), in the order of ``keys``."""
    names = {"x": program.names["x"], "y": program.names["y"], "u": program.names["g"],
             "s": program.names["g"], "w": program.names["g"], "v": program.names["h"]}
    return [(key, index_labels(names[key], key)) for key in keys]


def _row_block(key: str, names: Sequence[str]) -> Block:
    return key, index_labels(names, key)


def _kkt_row_blocks(program: BilevelProgram) -> list[Block]:
    """Rows of the KKT NLP (:class:`~bilevel_mp.reformulations.kkt.KKTReformulation`):
    ``G, H, ∇_y ℓ, h, g + s``."""
    nm = program.names
    return [_row_block("G", nm["G"]), _row_block("H", nm["H"]),
            _row_block("stationarity", nm["y"]), _row_block("h", nm["h"]),
            _row_block("slack", nm["g"])]


def _nlp_model(model: SingleLevelModel, program: BilevelProgram, nlp: NLP,
               columns: Sequence[Block], rows: Sequence[Block],
               parameter: tuple[str, str, float] | None, objective: ca.SX | None = None
               ) -> tuple[list[Any], list[Any]]:
    """Variables, objective and rows of ``nlp`` in ``model``.

    ``parameter`` is ``(name in nlp.p_index, Param name, value)`` for the method parameter,
    a mutable ``Param``; model parameters enter as their values. ``objective`` replaces
    ``nlp.f`` (in the minimized form) when given.
    """
    integer = np.concatenate([program.x_integer, np.zeros(nlp.nz - program.nx, dtype=bool)])
    variables: list[Any] = []
    start = 0
    for block in columns:
        part = slice(start, start + len(block[1]))
        variables += add_variables(model, block, nlp.z_lb[part], nlp.z_ub[part],
                                   integer[part], nlp.z0[part])
        start = part.stop
    leaves: list[Any] = [float(v) for v in nlp.p_values]
    if parameter is not None:
        key, name, value = parameter
        model.add_component(name, pyo.Param(mutable=True, initialize=float(value),
                                            domain=pyo.NonNegativeReals))
        leaves[nlp.p_index[key]] = model.component(name)
    translator = ExpressionTranslator([nlp.z, nlp.p], [variables, leaves])
    f = objective if objective is not None else nlp.f
    _objective(model, program, translator.translate(f, ["the objective"])[0])
    names = nlp.g_names or tuple(map(str, range(nlp.g.numel())))
    bodies = translator.translate(nlp.g, [f"row {name!r} of the single-level problem"
                                          for name in names])
    constraints: list[Any] = []
    start = 0
    for block in rows:
        part = slice(start, start + len(block[1]))
        constraints += add_rows(model, block, bodies[part], nlp.g_lb[part], nlp.g_ub[part])
        start = part.stop
    return variables, constraints


def _info(model: SingleLevelModel, program: BilevelProgram, method: str, form: str,
          columns: Sequence[Block], variables: Sequence[Any], rows: Sequence[Block],
          constraints: Sequence[Any], description: str, **extra: Any) -> SingleLevelModel:
    roles = {role: role for role in ("x", "y", "u", "v") if model.component(role) is not None}
    model.export_info = ExportInfo(
        method=method, form=form, names=dict(program.names),
        roles=roles, columns=_positions(columns, variables),
        rows=_positions(rows, constraints), description=description, **extra)
    return model


# --- the forms -----------------------------------------------------------------------


def _kkt_program(program: BilevelProgram, method: str) -> tuple[MPCC, KKTInverseData]:
    kkt = KKTReformulation()
    ok, reason = kkt.accepts(program)
    if not ok:
        raise ReformulationNotApplicable(method, reason)
    return kkt.apply(program)


def _mpcc(program: BilevelProgram, options: NoExportOptions) -> SingleLevelModel:
    """The KKT MPCC with ``pyomo.mpec`` complementarity (module docstring)."""
    mpcc, inv = _kkt_program(program, "kkt")
    nlp = mpcc.nlp
    keep_rows = nlp.g.numel() - program.g.numel()  # all but the slack rows g + s = 0
    nlp = dataclasses.replace(
        nlp, z=nlp.z[:inv.s.start], z_lb=nlp.z_lb[:inv.s.start],
        z_ub=nlp.z_ub[:inv.s.start], z0=nlp.z0[:inv.s.start],
        g=nlp.g[:keep_rows], g_lb=nlp.g_lb[:keep_rows], g_ub=nlp.g_ub[:keep_rows],
        g_names=nlp.g_names[:keep_rows])
    model = _new_model(program, "kkt")
    columns = _column_blocks(program, ("x", "y", "u", "v"))
    rows = _kkt_row_blocks(program)[:-1]
    variables, constraints = _nlp_model(model, program, nlp, columns, rows, None)
    translator = ExpressionTranslator([nlp.z, nlp.p], [variables, list(nlp.p_values)])
    minus_g = translator.translate(-program.g, [f"lower-level row {n!r}"
                                                for n in program.names["g"]])
    u = variables[inv.u]
    labels = index_labels(program.names["g"], "complementarity")
    pairs = dict(zip(labels, zip(u, minus_g, strict=True), strict=True))
    if labels:
        model.complementarity = Complementarity(
            list(labels), rule=lambda _, label: complements(pairs[label][0] >= 0,
                                                            pairs[label][1] >= 0))
    return _info(model, program, "kkt", "MPCC", columns, variables, rows, constraints,
                 "min F  s.t.  G <= 0, H = 0, ∇_y(f + u'g + v'h) = 0, h = 0, "
                 "0 <= u ⊥ -g >= 0 (survey (KKT))")


def _handling(key: str) -> Callable[[BilevelProgram, Any], SingleLevelModel]:
    spec = HANDLINGS[key]
    method = f"kkt-{key}"

    def build(program: BilevelProgram, options: Any) -> SingleLevelModel:
        mpcc, _ = _kkt_program(program, method)
        nlp, _ = ComplementarityHandling(key).apply(mpcc)
        model = _new_model(program, method)
        columns = _column_blocks(program, ("x", "y", "u", "v", "s"))
        rows = _kkt_row_blocks(program)
        q = program.g.numel()
        extra = (nlp.g.numel() - sum(len(labels) for _, labels in rows)) // q if q else 0
        family = key.replace("-", "_")
        rows += [_row_block(family if extra == 1 else f"{family}_{k}", program.names["g"])
                 for k in range(extra)]
        parameter, values = None, {}
        if spec.parameter is not None:
            name = PARAMETER_OPTIONS[spec.parameter][1]
            value = getattr(options, name)
            parameter, values = (spec.parameter, name, value), {name: value}
        variables, constraints = _nlp_model(model, program, nlp, columns, rows, parameter)
        return _info(model, program, method, "NLP", columns, variables, rows, constraints,
                     f"the KKT MPCC with slacks s = -g and the {spec.description} on (u, s)",
                     parameters=values)
    return build


def _milp_form(milp: MILP, sos: bool) -> str:
    kind = "MIQP" if milp.Q is not None and milp.Q.nnz else "MILP"
    return f"{kind} with SOS1" if sos else kind


def _linear_kkt(program: BilevelProgram, method: str) -> LinearKKT:
    reason = linear_kkt_reason(program)
    if reason:
        raise ReformulationNotApplicable(method, reason)
    return linear_kkt_data(program)


def _milp_model(model: SingleLevelModel, program: BilevelProgram, milp: MILP,
                columns: list[Block], rows: list[Block], sos1: Block | None = None
                ) -> tuple[list[Any], list[Any]]:
    variables, constraints = milp_to_pyomo(milp, model, columns, rows, sos1)
    _objective(model, program, milp_objective(milp, variables))
    return variables, constraints


def _bigm(program: BilevelProgram, options: BigMExportOptions) -> SingleLevelModel:
    """The Big-M MILP of ``kkt-bigm`` with the Ms it proves (module docstring)."""
    data = _linear_kkt(program, "kkt-bigm")
    primal = infer_primal_ms(data, program, options.default_big_m, options.lp_bounds)
    dual = infer_dual_ms(data, program, options.default_big_m, primal, options.lp_bounds)
    milp, _ = BigMReformulation(primal.ms, dual).apply(program)
    model = _new_model(program, "kkt-bigm")
    nm = program.names
    columns = _column_blocks(program, ("x", "y", "u", "v", "w"))
    rows = [_row_block("G", nm["G"]), _row_block("H", nm["H"]), _row_block("h", nm["h"]),
            _row_block("g", nm["g"]), _row_block("stationarity", nm["y"]),
            _row_block("big_m_dual", nm["g"]), _row_block("big_m_primal", nm["g"])]
    variables, constraints = _milp_model(model, program, milp, columns, rows)
    labels = index_labels(nm["g"], "M")
    for name, ms in (("primal", primal.ms), ("dual", dual)):
        model.add_component(f"M_{name}", pyo.Param(
            list(labels), initialize=dict(zip(labels, (b.value for b in ms), strict=True)),
            within=pyo.Reals))
        model.add_component(f"M_{name}_source", pyo.Param(
            list(labels), initialize=dict(zip(labels, (b.describe() for b in ms), strict=True)),
            within=pyo.Any))
    big_m = {row: {"primal": (float(p.value), p.describe()),
                   "dual": (float(d.value), d.describe())}
             for row, p, d in zip(nm["g"], primal.ms, dual, strict=True)}
    exact = all(b.proven for b in (*primal.ms, *dual))
    return _info(model, program, "kkt-bigm", _milp_form(milp, False), columns, variables,
                 rows, constraints,
                 "min F  s.t.  G <= 0, H = 0, h = 0, g <= 0, ∇_y(f + u'g + v'h) = 0, "
                 "u <= M_dual w, -g <= M_primal (1 - w), w binary (survey (7.12))",
                 big_m=big_m, exact=exact, objective_scale=data.F_scale)


def _sos1(program: BilevelProgram, options: NoExportOptions) -> SingleLevelModel:
    """The SOS1 program of ``kkt-sos1`` (module docstring)."""
    data = _linear_kkt(program, "kkt-sos1")
    milp, inv = SOS1Reformulation().apply(program)
    milp = with_proven_bounds(milp, inv, data, program)
    model = _new_model(program, "kkt-sos1")
    nm = program.names
    columns = _column_blocks(program, ("x", "y", "u", "v", "s"))
    rows = [_row_block("G", nm["G"]), _row_block("H", nm["H"]), _row_block("h", nm["h"]),
            _row_block("stationarity", nm["y"]), _row_block("slack", nm["g"])]
    sos = _row_block("complementarity", nm["g"])
    variables, constraints = _milp_model(model, program, milp, columns, rows, sos)
    return _info(model, program, "kkt-sos1", _milp_form(milp, True), columns, variables,
                 rows, constraints,
                 "min F  s.t.  G <= 0, H = 0, h = 0, ∇_y(f + u'g + v'h) = 0, g + s = 0, "
                 "u, s >= 0, SOS1 {u_i, s_i} (survey §7.5)",
                 exact=True, objective_scale=data.F_scale)


def _llvf_cuts(program: BilevelProgram, options: CutsExportOptions) -> SingleLevelModel:
    """The value-function relaxation ``R_k`` of ``llvf-cuts`` (module docstring)."""
    for k, point in enumerate(options.cut_points):
        if len(point) != program.ny:
            raise OptionError(f"cut_points[{k}] has {len(point)} entries; a lower-level "
                              f"point has {program.ny} (one per y)")
    relaxation = ValueFunctionRelaxation(options.cut_points)
    ok, reason = relaxation.accepts(program)
    if not ok:
        raise ReformulationNotApplicable("llvf-cuts", reason)
    nlp, inverse = relaxation.apply(program)
    model = _new_model(program, "llvf-cuts")
    nm = program.names
    columns = _column_blocks(program, ("x", "y"))
    rows = [_row_block("G", nm["G"]), _row_block("H", nm["H"]), _row_block("g", nm["g"]),
            _row_block("h", nm["h"]),
            ("value_function_cut", tuple(range(len(options.cut_points))))]
    variables, constraints = _nlp_model(model, program, nlp, columns, rows, None,
                                        objective=nlp.f * inverse.F_scale)
    return _info(model, program, "llvf-cuts", "NLP", columns, variables, rows, constraints,
                 "min F  s.t.  G <= 0, H = 0, g <= 0, h = 0, f(x, y) <= f(x, z_j) for each "
                 "cut point z_j (survey (LLVF), §8.5: φ(x) <= f(x, z_j))")


@dataclass(frozen=True)
class _Form:
    options: type
    build: Callable[[BilevelProgram, Any], SingleLevelModel]


FORMS: dict[str, _Form] = {
    "kkt": _Form(NoExportOptions, _mpcc),
    **{f"kkt-{key}": _Form(PARAMETER_OPTIONS[spec.parameter][0], _handling(key))
       for key, spec in HANDLINGS.items()},
    "kkt-bigm": _Form(BigMExportOptions, _bigm),
    "kkt-sos1": _Form(NoExportOptions, _sos1),
    "llvf-cuts": _Form(CutsExportOptions, _llvf_cuts),
}
"""Every method with a single-level form, by name."""

NO_SINGLE_LEVEL_FORM: dict[str, str] = {
    "auto": "it chooses and runs several methods; export one of them",
    "implicit": "it minimizes F(x, y(x)) over x with y(x) computed by inner solves and "
                "hypergradients, not a single-level problem",
    **{name: "it solves a semismooth equation system with our own Newton-type solver, "
             "not an optimization problem" for name in ("kkt-sn", "kkt-lm", "llvf-sn",
                                                          "llvf-lm")},
}
"""Methods without a single-level form, and why."""


# --- the public functions ------------------------------------------------------------


def _program_of(model: Any) -> BilevelProgram:
    program = model if isinstance(model, BilevelProgram) else compile_pyomo(model)[0]
    try:
        return program.as_sx
    except RuntimeError as exc:  # an MX node without an SX expansion
        raise ModelError(f"the program's MX expressions cannot be expanded to SX for the "
                         f"translation to Pyomo: {' '.join(str(exc).split())[:300]}") from None


def _checked_options(method: str, options: dict[str, Any]) -> Any:
    if method in NO_SINGLE_LEVEL_FORM:
        raise ReformulationNotApplicable(method, "it has no single-level form to export: "
                                         + NO_SINGLE_LEVEL_FORM[method])
    if method not in FORMS:
        known = "" if method in METHODS else "unknown method; "
        raise OptionError(f"{known}no single-level form called {method!r}; valid: "
                          + ", ".join(FORMS))
    if options and not dataclasses.fields(FORMS[method].options):
        raise OptionError(f"reformulate({method!r}) takes no options, got "
                          + ", ".join(sorted(options)))
    given = {k: (v.tolist() if isinstance(v, np.ndarray) else v) for k, v in options.items()}
    if isinstance(given.get("cut_points"), list | tuple):  # points may be arrays
        given["cut_points"] = [p.tolist() if isinstance(p, np.ndarray) else p
                               for p in given["cut_points"]]
    opts = make_options(FORMS[method].options, given, f"reformulate({method!r})")
    for name, lowest, strict in (("t", 0.0, True), ("mu", 0.0, False), ("lam", 0.0, False)):
        value = getattr(opts, name, None)
        if value is not None and (value < lowest or (strict and value == lowest)):
            raise OptionError(f"option {name!r} of reformulate({method!r}) must be "
                              f"{'>' if strict else '>='} {lowest:g}, got {value!r}")
    return opts


def reformulate(model: Any, method: str, **options: Any) -> SingleLevelModel:
    """The single-level problem of ``method`` as a Pyomo model.

    Parameters
    ----------
    model
        A Pyomo model with :class:`~bilevel_mp.LowerLevel` blocks, or a
        :class:`~bilevel_mp.BilevelProgram`.
    method
        ``"kkt"`` (the MPCC with ``pyomo.mpec`` complementarity), ``"kkt-<handling>"``,
        ``"kkt-bigm"``, ``"kkt-sos1"`` or ``"llvf-cuts"`` (see the module docstring for
        each problem).
    **options
        ``t`` (relaxations), ``mu`` (``kkt-fb``, ``kkt-min``), ``lam`` (``kkt-penalty``),
        ``default_big_m`` and ``lp_bounds`` (``kkt-bigm``), ``cut_points``
        (``llvf-cuts``).

    Returns
    -------
    SingleLevelModel
        A ``pyo.ConcreteModel``: ``pprint()`` it, ``write()`` it (.nl, .lp, .mps, .gms),
        solve it with any ``SolverFactory`` solver and map the solution back with
        :func:`load_solution`. ``model.export_info`` (:class:`ExportInfo`) says what it
        is, with the Big-M values and their sources.

    Raises
    ------
    OptionError
        On an unknown method or option, or an option value of the wrong type or range.
    ReformulationNotApplicable
        When the method has no single-level form (``auto``, ``implicit``, the equation
        systems) or does not apply to this program (naming why).
    ModelError
        When the model is malformed, or a row uses an operation Pyomo has no counterpart
        for (naming the row).

    Examples
    --------
    >>> relaxed = bmp.reformulate(m, "kkt-scholtes", t=1e-3)  # doctest: +SKIP
    >>> relaxed.write("scholtes.nl")                           # doctest: +SKIP
    """
    opts = _checked_options(method, options)
    return FORMS[method].build(_program_of(model), opts)


def _values(reformulated: SingleLevelModel, component: str | None) -> np.ndarray:
    if component is None:
        return np.zeros(0)
    var = reformulated.component(component)
    missing = [v.name for v in var.values() if v.value is None]
    if missing:
        raise NoSolutionError(f"the single-level model holds no value for {missing[0]}; "
                              "solve it first (or set the variables' values)")
    return np.array([float(v.value) for v in var.values()])


def _termination(info: ExportInfo, results: Any, reformulated: SingleLevelModel,
                 program: BilevelProgram) -> tuple[TerminationStatus, str, Any]:
    """Termination, raw status and proof of a solution read off ``reformulated``.

    A global optimum (or infeasibility) proves something about the bilevel program only
    for an exact form (Big-M with every M proven, SOS1) and a solver that proved it
    (bound within the tolerance of the objective's scale, as our own ``kkt-bigm``
    judges it); a local solver's ``optimal`` on an MPCC or a relaxation is
    ``LOCALLY_SOLVED``.
    """
    if results is None:
        return (TerminationStatus.LOCALLY_SOLVED,
                "the point held by the single-level model (no solver results given)", None)
    condition = results.solver.termination_condition
    status = PYOMO_STATUS.get(condition, TerminationStatus.OTHER_ERROR)
    raw = f"Pyomo solver: {condition}"
    if not info.exact:
        local = {TerminationStatus.OPTIMAL: TerminationStatus.LOCALLY_SOLVED,
                 TerminationStatus.INFEASIBLE: TerminationStatus.LOCALLY_INFEASIBLE}
        return local.get(status, status), raw, None
    value = np.nan
    if status.has_point and all(v.value is not None for v in
                                reformulated.component_data_objects(pyo.Var)):
        value = program.F_sign * float(pyo.value(reformulated.F))
    maximize = reformulated.F.sense == pyo.maximize
    bound = results.problem.upper_bound if maximize else results.problem.lower_bound
    bound = np.nan if bound is None else program.F_sign * float(bound)
    res = BackendResult(status, raw, np.zeros(0), value, np.zeros(0), np.zeros(0),
                        np.zeros(0), extra={"mip_dual_bound": bound})
    prover = f"{info.method}: Pyomo solver on the exported {info.form}"
    status, proof = exact_solve_outcome(res, prover, info.objective_scale)
    return status, raw, proof


def load_solution(model: Any, reformulated: SingleLevelModel, results: Any = None, *,
                  verify_options: dict | None = None,
                  time_limit: float | None = None) -> BilevelResult:
    """Map the solution held by ``reformulated`` back to ``model`` and verify it.

    Parameters
    ----------
    model
        The Pyomo model (or :class:`~bilevel_mp.BilevelProgram`) ``reformulated`` was
        built from; a Pyomo model's variables receive the verified point.
    reformulated
        A model returned by :func:`reformulate`, its variables holding a solution (as
        any Pyomo solver leaves them).
    results
        The ``SolverResults`` of that solve, for the termination: ``None`` takes the
        point as ``LOCALLY_SOLVED``. ``OPTIMAL`` with a proof of global optimality only
        for an exact form (``kkt-bigm`` with every M proven, ``kkt-sos1``) whose
        solver's bound meets its value.
    verify_options
        Tolerances of the lower-level re-solve (as for :func:`~bilevel_mp.solve`).
    time_limit
        Seconds for the verification (``None``: no limit).

    Returns
    -------
    BilevelResult
        The point verified as every answer of :func:`~bilevel_mp.solve` is (lower level
        re-solved at x̂), with the multipliers ``u``, ``v`` of the form where it has them.

    Raises
    ------
    ModelError
        When ``reformulated`` was not built by :func:`reformulate` from this model.
    NoSolutionError
        When a variable of ``reformulated`` holds no value.
    """
    info = getattr(reformulated, "export_info", None)
    if not isinstance(info, ExportInfo):
        raise ModelError("load_solution needs a model returned by bilevel_mp.reformulate")
    problem = _prepare(model, verify_options)
    program = problem.program
    # the names of variables and rows decide (parameters' names do not: their values are
    # the model's own)
    differ = next((k for k in ("x", "y", "G", "H", "g", "h")
                   if program.names.get(k) != info.names.get(k)), None)
    if differ is not None:
        raise ModelError(f"the single-level model was built from another program (its "
                         f"names of {differ} are {info.names.get(differ)}, this model's "
                         f"{program.names.get(differ)})")
    t0 = time.perf_counter()
    status, raw, proof = _termination(info, results, reformulated, program)
    solution = None
    if status.has_point:
        x, y = (_values(reformulated, info.roles.get(k)) for k in ("x", "y"))
        u, v = (_values(reformulated, info.roles.get(k)) for k in ("u", "v"))
        if u.size != program.g.numel() or v.size != program.h.numel():
            u, v = np.zeros(0), np.zeros(0)
        solution = BilevelSolution(x=x, y=y, u=u, v=v)
    outcome = MethodOutcome(status, raw, solution,
                            no_stages({"read": time.perf_counter() - t0},
                                      f"{info.method} -> Pyomo {info.form}"),
                            proof=proof)
    result = _finish(problem, f"{info.method} (exported {info.form})", outcome,
                     Deadline.after(time_limit))
    if result.has_point and problem.binding is not None:
        problem.binding.load(result.x_array, result.y_array)
    return result
