"""``auto``: which methods to try for a given structure, and when to stop (the best answer
is chosen by :class:`bilevel_mp.candidates.Candidate`).

The portfolio is one ordered table, :data:`PORTFOLIO`: each entry is a method and the
structures ``auto`` wants it for. A wanted method is tried when it accepts the problem
(``MethodSpec.accepts``); one that does not is recorded with its reason and skipped.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from bilevel_mp.errors import OptionError
from bilevel_mp.ir.program import BilevelProgram
from bilevel_mp.ir.structure import Structure
from bilevel_mp.methods.registry import get_method
from bilevel_mp.options import CheckedOptions
from bilevel_mp.result import BilevelResult
from bilevel_mp.solvers.registry import SolverChoice
from bilevel_mp.solvers.scip_nlp import scip_available
from bilevel_mp.status import ProofKind, Verification


@dataclass(frozen=True)
class AutoOptions(CheckedOptions):
    """``auto``'s own options (the methods' options are passed on to them).

    Attributes
    ----------
    processes
        ``2`` (default): when the portfolio starts with global methods and a second core
        is free, they run in a second process while the local methods run in this one
        (:mod:`bilevel_mp.methods.parallel`); ``1``: every method in this process, one
        after the other.
    patience
        Once a method returns a verified answer (CERTIFIED or NO_BETTER_FOUND) after
        ``t`` seconds, the seconds ``auto`` still spends looking for a better one:
        :func:`settle_time`, ``max(patience, t)``. Then the method running in each lane is
        stopped (its best point is kept and verified) and the methods not yet started are
        skipped. In a race the clock starts with the local lane's first verified answer.
        ``None``: every method runs to the end of its budget.
    """

    processes: Literal[1, 2] = 2
    patience: float | None = 5.0

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.patience is not None and self.patience < 0:
            raise OptionError(f"option 'patience' of method 'auto' must be at least 0 "
                              f"seconds or None, got {self.patience}")


CUTS_MAX_VARS = 50
"""Largest ``nx + ny`` for which ``auto`` starts with ``llvf-cuts`` (SCIP relaxations)."""


def _always(program: BilevelProgram, structure: Structure) -> bool:
    return True


def _nonconvex(program: BilevelProgram, structure: Structure) -> bool:
    return not structure.ll_convex


def _convex(program: BilevelProgram, structure: Structure) -> bool:
    return structure.ll_convex


def _global_cuts(program: BilevelProgram, structure: Structure) -> bool:
    return (not structure.ll_convex and scip_available()
            and program.nx + program.ny <= CUTS_MAX_VARS)


@dataclass(frozen=True)
class Entry:
    """A method of the portfolio and when ``auto`` wants it."""

    method: str
    wanted: Callable[[BilevelProgram, Structure], bool] = _always


PORTFOLIO: tuple[Entry, ...] = (
    # global for linear KKT systems; with every M proven its answer is OPTIMAL and
    # nothing else runs
    Entry("kkt-bigm"),
    # the same system without M values (SCIP), when an M of kkt-bigm was not proven
    Entry("kkt-sos1"),
    # global for small nonconvex lower levels with SCIP
    Entry("llvf-cuts", _global_cuts),
    Entry("kkt-scholtes"),
    # nonconvex: the methods that most often find a point the others miss come first, as
    # the patience of AutoOptions may stop the portfolio after them (BOLIB sweep)
    Entry("llvf-lm", _nonconvex),
    Entry("kkt-product", _nonconvex),
    Entry("kkt-kanzow-schwartz", _nonconvex),
    Entry("llvf-sn", _nonconvex),
    Entry("kkt-penalty"),
    Entry("kkt-fb"),
    Entry("kkt-min", _nonconvex),  # more starts of the local KKT family, convexity unproven
    Entry("kkt-kadrani", _nonconvex),
    # convex: a certified point stops the portfolio; the relaxations first, then the
    # value-function systems, which catch what the relaxations miss
    Entry("kkt-kanzow-schwartz", _convex),
    Entry("llvf-lm", _convex),
    Entry("llvf-sn", _convex),
    Entry("kkt-product", _convex),
)
"""The methods ``auto`` tries, in order, each when wanted for the structure and accepted
by the method (a method appears twice when its place depends on the structure). Every
answer is verified by the lower-level re-solve and the best is kept; a method enters this
table only when the BOLIB sweep shows that it helps."""

CANDIDATES = tuple(dict.fromkeys(entry.method for entry in PORTFOLIO))
"""Every method :func:`portfolio` can return (``auto``'s options are checked against
these before the problem's portfolio is known)."""


def portfolio(program: BilevelProgram, structure: Structure, options: dict[str, object],
              solver: SolverChoice) -> tuple[tuple[str, ...], dict[str, str]]:
    """The methods ``auto`` tries, in order, and ``{method: reason}`` of the wanted ones
    that do not accept the problem.

    Parameters
    ----------
    options
        Each method's checked options (``MethodSpec.options`` instances), by name.
    solver
        The back-end of each problem class (``solver=`` of :func:`bilevel_mp.solve`).
    """
    tried, declined = [], {}
    for entry in PORTFOLIO:
        if not entry.wanted(program, structure):
            continue
        spec = get_method(entry.method)
        ok, reason = spec.accepts(program, structure, options[entry.method],
                                  solver.of(spec.solver_class))
        if ok:
            tried.append(entry.method)
        else:
            declined[entry.method] = reason
    return tuple(tried), declined


GLOBAL_METHODS = frozenset({"kkt-bigm", "kkt-sos1", "llvf-cuts"})
"""Methods that can prove global optimality, infeasibility or unboundedness."""


def lanes(names: tuple[str, ...]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The portfolio split for a race on two cores: the global methods it starts with (run
    in a second process) and the rest (run in the calling process, from the same instant);
    ``((), names)`` when there is nothing to race.

    The local lane used to wait 1 s for the head's proof before it started. On BOLIB
    (``auto`` at defaults, the 173 examples one after the other, at e304c7c) starting both
    at once took 364 s instead of 414 s with the same examples solved and certified: a
    proof of the head that comes within a second costs the local lane no more than its
    first method, and every other example gains that second."""
    k = 0
    while k < len(names) and names[k] in GLOBAL_METHODS:
        k += 1
    return (names[:k], names[k:]) if 0 < k < len(names) else ((), names)


def settle_time(patience: float, elapsed: float) -> float:
    """Seconds ``auto`` keeps looking for a better answer once a verified one came after
    ``elapsed`` seconds: ``max(patience, elapsed)`` (a search that took long to find its
    first answer gets as long again to improve it)."""
    return max(patience, elapsed)


def should_stop(result: BilevelResult, structure: Structure, next_method: str | None) -> bool:
    """Whether ``auto`` can stop after ``result``: always on a proof that survived the
    verification (global optimality of a certified point, or no finite optimum); on a
    certified point of a convex lower level unless a global method comes next."""
    if result.proof is not None and result.proof.kind is not ProofKind.LOWER_BOUND:
        return True
    return (result.verification is Verification.CERTIFIED and structure.ll_convex
            and next_method not in GLOBAL_METHODS)
