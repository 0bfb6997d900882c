"""Methods by name: each is a reformulation chain, a back-end and a driver loop."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bilevel_mp.errors import OptionError
from bilevel_mp.ir.program import BilevelProgram
from bilevel_mp.ir.structure import Structure
from bilevel_mp.methods.bigm import (
    BigMOptions,
    SOS1Options,
    bigm_accepts,
    run_bigm,
    run_sos1,
    sos1_accepts,
)
from bilevel_mp.methods.homotopy import KKTOptions, MethodOutcome, kkt_chain, run_kkt
from bilevel_mp.methods.implicit import ImplicitOptions, implicit_accepts, run_implicit
from bilevel_mp.methods.newton import (
    NewtonMethodOptions,
    run_kkt_system,
    run_llvf,
    system_reformulation,
)
from bilevel_mp.methods.value_function_cuts import CutsOptions, cuts_accepts, run_llvf_cuts
from bilevel_mp.reformulations.complementarity import HANDLINGS
from bilevel_mp.solvers.registry import ProblemClass


@dataclass(frozen=True)
class MethodSpec:
    """A named method."""

    name: str
    description: str
    options: type
    run: Callable[..., MethodOutcome]
    accepts: Callable[[BilevelProgram, Structure, Any, str], tuple[bool, str]] = (
        lambda *_: (True, ""))
    """``accepts(program, structure, options, solver) -> (ok, reason)``: whether ``run``
    applies (``run`` raises :class:`~bilevel_mp.errors.ReformulationNotApplicable` with the
    same reason when not); ``auto`` chooses by it. Default: every program."""
    solver_class: ProblemClass | None = None
    """The problem class whose back-end ``solver=`` selects for this method
    (:mod:`bilevel_mp.solvers.registry`); ``None``: the method runs its own solvers and
    refuses any other choice. ``run`` receives that class's back-end name."""
    verifies: bool = False
    """Whether the method verifies points inside its loop; it then receives the caller's
    :class:`~bilevel_mp.checks.verify.LowerLevelChecker` as ``checker=`` (the user's
    ``verify_options`` hold there too, and its final point is verified once)."""


def _kkt(key: str) -> MethodSpec:
    spec = HANDLINGS[key]
    return MethodSpec(
        name=f"kkt-{key}",
        description=f"KKT reformulation (MPCC), {spec.description}"
        + ("" if spec.parameter is None else f"; {spec.parameter} driven by a homotopy"),
        options=KKTOptions,
        run=lambda program, structure, options, deadline, solver: run_kkt(
            program, structure, key, options, deadline, solver),
        accepts=lambda program, *_: kkt_chain(key).accepts(program),
        solver_class=ProblemClass.NLP,
    )


METHODS: dict[str, MethodSpec] = {
    **{f"kkt-{key}": _kkt(key) for key in HANDLINGS},
    "kkt-bigm": MethodSpec(
        name="kkt-bigm",
        description="KKT reformulation with Big-M complementarity: a MILP solved globally "
        "by HiGHS (linear KKT systems); M values proven by FBBT and LPs, and for LP lower "
        "levels no multiplier M at all (direction cuts)",
        options=BigMOptions, run=run_bigm, accepts=bigm_accepts,
        solver_class=ProblemClass.MILP),
    "kkt-sos1": MethodSpec(
        name="kkt-sos1",
        description="KKT reformulation with SOS1 complementarity (no M values), solved "
        "globally by SCIP (linear KKT systems)",
        options=SOS1Options, run=run_sos1, accepts=sos1_accepts,
        solver_class=ProblemClass.MILP),
    **{f"kkt-{kind}": MethodSpec(
        name=f"kkt-{kind}",
        description=f"KKT W-stationarity system with Fischer–Burmeister rows, {label} "
        "(survey §7.4)",
        options=NewtonMethodOptions,
        run=lambda program, structure, options, deadline, solver, kind=kind: run_kkt_system(
            program, structure, options, deadline, kind),
        accepts=lambda program, *_, kind=kind: system_reformulation(f"kkt-{kind}").accepts(
            program))
       for kind, label in (("sn", "semismooth Newton"), ("lm", "Levenberg–Marquardt"))},
    **{f"llvf-{kind}": MethodSpec(
        name=f"llvf-{kind}",
        description=f"value-function stationarity system (8.13), {label}, penalty λ by "
        "schedule; needs no lower-level convexity",
        options=NewtonMethodOptions,
        run=lambda program, structure, options, deadline, solver, checker, kind=kind: run_llvf(
            program, structure, options, deadline, kind, checker),
        accepts=lambda program, *_, kind=kind: system_reformulation(f"llvf-{kind}").accepts(
            program), verifies=True)
       for kind, label in (("sn", "semismooth Newton with the copy z"),
                           ("lm", "Levenberg–Marquardt"))},
    "llvf-cuts": MethodSpec(
        name="llvf-cuts",
        description="value-function cuts f(x,y) <= f(x,z_k) refined by global lower-level "
        "solves; global with SCIP when the LL feasible set does not depend on x",
        options=CutsOptions, run=run_llvf_cuts, accepts=cuts_accepts, verifies=True,
        solver_class=ProblemClass.NLP),
    "implicit": MethodSpec(
        name="implicit",
        description="implicit function (hypergradient) method: min_x F(x, y(x)) with exact, "
        "AID or ITD hypergradients; needs a unique nondegenerate LL solution",
        options=ImplicitOptions, run=run_implicit, accepts=implicit_accepts,
        solver_class=ProblemClass.NLP),
}
"""Every method but ``auto`` (which :mod:`bilevel_mp.methods.auto` defines)."""

AUTO_DESCRIPTION = ("choose methods from the problem structure, fall back on failure, "
                    "return the best verified answer")


def solver_methods() -> str:
    """Which methods take ``solver=``, in words (for error messages)."""
    nlp = ", ".join(n for n, m in METHODS.items() if m.solver_class is ProblemClass.NLP)
    milp = ", ".join(n for n, m in METHODS.items() if m.solver_class is ProblemClass.MILP)
    return (f"an NLP back-end (ipopt, cyipopt) for {nlp}; a MILP back-end (highs, scip or "
            f"a Pyomo solver) for {milp}")


def get_method(name: str) -> MethodSpec:
    """The method called ``name``; ``OptionError`` listing the valid ones otherwise."""
    if name not in METHODS:
        raise OptionError(f"unknown method {name!r}; valid methods: auto, "
                          + ", ".join(METHODS))
    return METHODS[name]


def method_descriptions() -> dict[str, str]:
    """``{name: one-line description}`` of every method, ``auto`` first."""
    return {"auto": AUTO_DESCRIPTION, **{n: m.description for n, m in METHODS.items()}}


methods = method_descriptions
"""The public ``bilevel_mp.methods()``."""
