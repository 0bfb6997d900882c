"""``auto``: which methods to try for a given structure, and when to stop (the best answer
is chosen by :class:`bilevel_mp.candidates.Candidate`)."""

from __future__ import annotations

import casadi as ca

from bilevel_mp.ir.program import BilevelProgram
from bilevel_mp.ir.structure import Structure
from bilevel_mp.reformulations.bigm import linear_kkt_reason
from bilevel_mp.result import BilevelResult
from bilevel_mp.solvers.scip_nlp import scip_available
from bilevel_mp.status import ProofKind, Verification

CONVEX_PORTFOLIO = ("kkt-scholtes", "kkt-penalty", "kkt-fb", "kkt-kanzow-schwartz",
                    "llvf-lm", "llvf-sn", "kkt-product")
"""Tried in order when the LL is proven convex (KKT is exact there); the value-function
systems and the plain product catch what the relaxations miss."""

NONCONVEX_PORTFOLIO = ("kkt-scholtes", "kkt-penalty", "kkt-fb", "kkt-min",
                       "kkt-kanzow-schwartz", "kkt-kadrani", "llvf-lm", "llvf-sn",
                       "kkt-product")
"""Tried when convexity is not proven: more starts of the local KKT family and the
value-function systems, each verified by the lower-level re-solve, keeping the best answer
with no better LL point found. ``llvf-cuts`` goes first when SCIP can make it global."""

CANDIDATES = tuple(dict.fromkeys(("kkt-bigm", "kkt-sos1", "llvf-cuts", *CONVEX_PORTFOLIO,
                                  *NONCONVEX_PORTFOLIO)))
"""Every method :func:`portfolio` can return (``auto``'s options are checked against
these before the problem's portfolio is known)."""

CUTS_MAX_VARS = 50
"""Largest ``nx + ny`` for which ``auto`` starts with ``llvf-cuts`` (SCIP relaxations)."""


def portfolio(program: BilevelProgram, structure: Structure) -> tuple[str, ...]:
    """The methods ``auto`` tries, in order.

    A linear KKT system with a linear upper-level objective (or SCIP for a quadratic one)
    goes to ``kkt-bigm`` first: its answer is global, and when every M is proven it is
    ``OPTIMAL`` and nothing else needs to run; when an M is not proven, ``kkt-sos1`` (no M,
    SCIP) follows. A lower level not proven convex goes to ``llvf-cuts`` first when SCIP is
    installed and the problem is small.
    """
    local = CONVEX_PORTFOLIO if structure.ll_convex else NONCONVEX_PORTFOLIO
    if not structure.ll_convex and scip_available() and (
            program.nx + program.ny <= CUTS_MAX_VARS):
        local = ("llvf-cuts", *local)
    if linear_kkt_reason(program) == "" and (
        ca.is_linear(program.F, ca.vertcat(program.x, program.y))
        or scip_available()
    ):
        return ("kkt-bigm", *(("kkt-sos1",) if scip_available() else ()), *local)
    return local


GLOBAL_METHODS = frozenset({"kkt-bigm", "kkt-sos1", "llvf-cuts"})
"""Methods that can prove global optimality, infeasibility or unboundedness."""


def should_stop(result: BilevelResult, structure: Structure, next_method: str | None) -> bool:
    """Whether ``auto`` can stop after ``result``: always on a proof that survived the
    verification (global optimality of a certified point, or no finite optimum); on a
    certified point of a convex lower level unless a global method comes next."""
    if result.proof is not None and result.proof.kind is not ProofKind.LOWER_BOUND:
        return True
    return (result.verification is Verification.CERTIFIED and structure.ll_convex
            and next_method not in GLOBAL_METHODS)
