"""Status enums shared by every layer."""

from __future__ import annotations

from enum import Enum


class TerminationStatus(Enum):
    """How a method ended.

    ``OPTIMAL`` is reserved for globally certified answers (e.g. a Big-M MILP with
    proven M values); local methods report ``LOCALLY_SOLVED`` at best.
    """

    OPTIMAL = "optimal"
    LOCALLY_SOLVED = "locally_solved"
    ITERATION_LIMIT = "iteration_limit"
    TIME_LIMIT = "time_limit"
    INFEASIBLE = "infeasible"
    LOCALLY_INFEASIBLE = "locally_infeasible"
    UNBOUNDED = "unbounded"
    NUMERICAL_ERROR = "numerical_error"
    INVALID_MODEL = "invalid_model"
    OTHER_ERROR = "other_error"

    @property
    def has_point(self) -> bool:
        """Whether a method ending this way can still hand back a candidate point."""
        return self in _WITH_POINT


_WITH_POINT = {
    TerminationStatus.OPTIMAL,
    TerminationStatus.LOCALLY_SOLVED,
    TerminationStatus.ITERATION_LIMIT,
    TerminationStatus.TIME_LIMIT,
    TerminationStatus.NUMERICAL_ERROR,
}


class Verification(Enum):
    """Outcome of re-solving the lower level at the returned upper-level point x̂.

    - ``CERTIFIED``: the LL at x̂ was solved to global optimality by an exact method
      (HiGHS on an LP / convex QP) and the gap is within tolerance.
    - ``NO_BETTER_FOUND``: the LL is not proven convex; a multistart local re-solve found
      no LL point better than ŷ.
    - ``SUBOPTIMAL``: a better LL point exists, or ŷ is LL-infeasible: the answer is not
      bilevel feasible.
    - ``NOT_CHECKED``: no point to check.
    """

    CERTIFIED = "certified"
    NO_BETTER_FOUND = "no_better_found"
    SUBOPTIMAL = "suboptimal"
    NOT_CHECKED = "not_checked"


class Stationarity(Enum):
    """Stationarity type of an MPCC point (Scheel–Scholtes; survey §7.4).

    Decided from the biactive index set μ and the multipliers of the complementarity
    constraints. ``UNDECIDED`` when the multipliers needed are not available or the
    point is not MPCC-feasible to tolerance.
    """

    S = "S"
    M = "M"
    C = "C"
    W = "W"
    UNDECIDED = "undecided"
