"""Status enums and the proof record shared by every layer.

A result has three axes, as in MathOptInterface, each set once where it is known and
never rewritten afterwards:

- :class:`TerminationStatus`: why the method stopped (set by the method's driver);
- :class:`PrimalStatus`: what the returned point is (decided once, from the verified
  violations, by :func:`bilevel_mp.candidates.primal_status`);
- :class:`Verification`: what the independent lower-level re-solve says;

and the :class:`Proof` (global optimality, a lower bound, infeasibility or unboundedness,
and who proved it) is its own field.

The enums are string enums whose value is the member's name
(``TerminationStatus.OPTIMAL == "OPTIMAL"``), so ``json.dumps`` writes them as their names
and ``TerminationStatus("OPTIMAL")`` reads them back; compare members with ``is``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum


class TerminationStatus(StrEnum):
    """Why a method stopped.

    ``OPTIMAL`` is reserved for methods that solve the bilevel program globally (e.g. a
    Big-M MILP with proven M values); local methods report ``LOCALLY_SOLVED`` at best, or
    ``ALMOST_LOCALLY_SOLVED`` when IPOPT met only its acceptable tolerances. ``INFEASIBLE``,
    ``UNBOUNDED`` and ``INFEASIBLE_OR_UNBOUNDED`` say what the method's solver concluded;
    whether that is a proof for the bilevel program is said by the result's ``proof``.
    ``NORM_LIMIT``: a local solver's iterates grew beyond its limit (IPOPT's
    ``Diverging_Iterates``), which says nothing about boundedness (MathOptInterface's
    ``NORM_LIMIT``, as Ipopt.jl reports it).
    """

    OPTIMAL = "OPTIMAL"
    LOCALLY_SOLVED = "LOCALLY_SOLVED"
    ALMOST_LOCALLY_SOLVED = "ALMOST_LOCALLY_SOLVED"
    ITERATION_LIMIT = "ITERATION_LIMIT"
    TIME_LIMIT = "TIME_LIMIT"
    INFEASIBLE = "INFEASIBLE"
    LOCALLY_INFEASIBLE = "LOCALLY_INFEASIBLE"
    INFEASIBLE_OR_UNBOUNDED = "INFEASIBLE_OR_UNBOUNDED"
    UNBOUNDED = "UNBOUNDED"
    NORM_LIMIT = "NORM_LIMIT"
    NUMERICAL_ERROR = "NUMERICAL_ERROR"
    INVALID_MODEL = "INVALID_MODEL"
    OTHER_ERROR = "OTHER_ERROR"

    @property
    def has_point(self) -> bool:
        """Whether a method ending this way can still hand back a candidate point."""
        return self in _WITH_POINT

    @property
    def is_local_solution(self) -> bool:
        """A local solver stopped at a local solution: ``LOCALLY_SOLVED``, or
        ``ALMOST_LOCALLY_SOLVED`` (IPOPT's acceptable level, which every loop that
        continues from a local solution accepts as well)."""
        return self in (TerminationStatus.LOCALLY_SOLVED,
                        TerminationStatus.ALMOST_LOCALLY_SOLVED)


_WITH_POINT = {
    TerminationStatus.OPTIMAL,
    TerminationStatus.LOCALLY_SOLVED,
    TerminationStatus.ALMOST_LOCALLY_SOLVED,
    TerminationStatus.ITERATION_LIMIT,
    TerminationStatus.TIME_LIMIT,
    TerminationStatus.NUMERICAL_ERROR,
}


class PrimalStatus(StrEnum):
    """What the returned point is, judged by its verified constraint violations.

    With ``v = max(UL violation, LL violation)`` (UL rows and x bounds, LL rows and y
    bounds) and the verification's feasibility tolerance ``ε``:

    - ``FEASIBLE_POINT``: ``v <= ε``;
    - ``NEAR_FEASIBLE_POINT``: ``ε < v <= NEAR_FEASIBLE_FACTOR · ε``;
    - ``INFEASIBLE_POINT``: larger, or not finite;
    - ``NO_SOLUTION``: no point was returned.

    Lower-level *optimality* is the other axis, :class:`Verification`.
    """

    FEASIBLE_POINT = "FEASIBLE_POINT"
    NEAR_FEASIBLE_POINT = "NEAR_FEASIBLE_POINT"
    INFEASIBLE_POINT = "INFEASIBLE_POINT"
    NO_SOLUTION = "NO_SOLUTION"


NEAR_FEASIBLE_FACTOR = 100.0
"""A point violating its constraints by at most this many feasibility tolerances is
``NEAR_FEASIBLE_POINT``."""


class Verification(StrEnum):
    """Outcome of re-solving the lower level at the returned upper-level point x̂.

    - ``CERTIFIED``: the LL at x̂ was solved to global optimality by an exact method
      (HiGHS on an LP / convex QP) and the gap is within tolerance.
    - ``NO_BETTER_FOUND``: the LL is not proven convex; a multistart local re-solve found
      no LL point better than ŷ.
    - ``SUBOPTIMAL``: a better LL point exists, or ŷ is LL-infeasible: the answer is not
      bilevel feasible.
    - ``NOT_CHECKED``: no point to check.
    """

    CERTIFIED = "CERTIFIED"
    NO_BETTER_FOUND = "NO_BETTER_FOUND"
    SUBOPTIMAL = "SUBOPTIMAL"
    NOT_CHECKED = "NOT_CHECKED"


class ProofKind(StrEnum):
    """What a :class:`Proof` establishes about the bilevel program (minimization form).

    - ``GLOBAL_OPTIMUM``: the returned point is a global optimum (to the prover's
      tolerances); ``Proof.bound`` is its value ``F*``.
    - ``LOWER_BOUND``: ``F* >= Proof.bound`` (e.g. the value of a relaxation).
    - ``INFEASIBLE``: no bilevel-feasible point exists.
    - ``UNBOUNDED``: ``F`` is unbounded below over the bilevel-feasible set.
    - ``INFEASIBLE_OR_UNBOUNDED``: one of the two; no finite optimum exists.
    """

    GLOBAL_OPTIMUM = "GLOBAL_OPTIMUM"
    LOWER_BOUND = "LOWER_BOUND"
    INFEASIBLE = "INFEASIBLE"
    UNBOUNDED = "UNBOUNDED"
    INFEASIBLE_OR_UNBOUNDED = "INFEASIBLE_OR_UNBOUNDED"

    @property
    def excludes_finite_optimum(self) -> bool:
        """Whether the claim is that the bilevel program has no finite optimum."""
        return self in (ProofKind.INFEASIBLE, ProofKind.UNBOUNDED,
                        ProofKind.INFEASIBLE_OR_UNBOUNDED)


@dataclass(frozen=True)
class Proof:
    """A claim about the bilevel program and who proved it.

    Attributes
    ----------
    kind
        What is proven (:class:`ProofKind`).
    prover
        Who proved it, e.g. ``"kkt-bigm: HiGHS MILP with proven Ms"``,
        ``"kkt-sos1: SCIP"``, ``"llvf-cuts: SCIP"``.
    bound
        ``F*`` (``GLOBAL_OPTIMUM``) or a lower bound on it (``LOWER_BOUND``), in
        minimization form; ``nan`` for the other kinds.
    """

    kind: ProofKind
    prover: str
    bound: float = math.nan

    @classmethod
    def of_exact_solve(cls, status: TerminationStatus, prover: str,
                       value: float = math.nan) -> Proof | None:
        """What a global solve of an *exact* single-level reformulation proves when it
        ends with ``status``: ``OPTIMAL`` a global optimum of value ``value``;
        ``INFEASIBLE``, ``UNBOUNDED``, ``INFEASIBLE_OR_UNBOUNDED`` the same of the bilevel
        program; any other status nothing (``None``)."""
        kind = _PROVEN_BY_EXACT_SOLVE.get(status)
        if kind is None:
            return None
        return cls(kind, prover, value if kind is ProofKind.GLOBAL_OPTIMUM else math.nan)

    def describe(self) -> str:
        """One line: what is proven, and by whom."""
        value = "" if math.isnan(self.bound) else f" {self.bound:.10g}"
        return f"{self.kind.name}{value} (by {self.prover})"


_PROVEN_BY_EXACT_SOLVE = {
    TerminationStatus.OPTIMAL: ProofKind.GLOBAL_OPTIMUM,
    TerminationStatus.INFEASIBLE: ProofKind.INFEASIBLE,
    TerminationStatus.UNBOUNDED: ProofKind.UNBOUNDED,
    TerminationStatus.INFEASIBLE_OR_UNBOUNDED: ProofKind.INFEASIBLE_OR_UNBOUNDED,
}


class Stationarity(StrEnum):
    """Stationarity type of an MPCC point (Scheel–Scholtes; survey §7.4).

    Decided from the biactive index set μ and the multipliers of the complementarity
    constraints. ``UNDECIDED`` when the multipliers needed are not available or the
    point is not MPCC-feasible to tolerance.
    """

    S = "S"
    M = "M"
    C = "C"
    W = "W"
    UNDECIDED = "UNDECIDED"
