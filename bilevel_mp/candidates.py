"""What a point is, and which of several answers is best: one ranking for every loop.

:func:`primal_status` decides the :class:`~bilevel_mp.status.PrimalStatus` of a point
from its verified violations. :class:`Candidate` orders answers; ``auto`` uses it to pick
among methods, and the methods that keep a best point among their iterates (the λ
policies of ``llvf-sn``/``llvf-lm``, the rounds of ``llvf-cuts``, the M-free proof of
``kkt-bigm``, the evaluations of ``implicit``) use it too.

Order (smaller :attr:`Candidate.key` is better):

1. a proof that ``F`` is unbounded below (proven ``UNBOUNDED``, or
   ``INFEASIBLE_OR_UNBOUNDED``, which next to a feasible point means unbounded): a
   feasible point with a finite value does not contradict it, and reporting that point
   would suggest an optimum that does not exist;
2. a feasible point whose lower level was CERTIFIED, smaller ``F`` first;
3. a proof that no bilevel-feasible point exists (proven ``INFEASIBLE``): it beats every
   unproven answer, but not a certified feasible point, which is evidence against it;
4. every other answer by primal status (feasible, near feasible, infeasible, no point),
   then verification (CERTIFIED, NO_BETTER_FOUND, SUBOPTIMAL, NOT_CHECKED), then smaller
   ``F`` (minimization form).

A termination status alone never ranks an answer: ``INFEASIBLE`` from a method counts
only through the proof it comes with.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bilevel_mp.status import (
    NEAR_FEASIBLE_FACTOR,
    PrimalStatus,
    Proof,
    ProofKind,
    Verification,
)

if TYPE_CHECKING:
    import numpy as np

    from bilevel_mp.checks.verify import LowerLevelChecker, VerificationReport
    from bilevel_mp.ir.program import BilevelProgram
    from bilevel_mp.result import BilevelResult
    from bilevel_mp.solvers.base import Deadline

_PRIMAL_RANK = {PrimalStatus.FEASIBLE_POINT: 0, PrimalStatus.NEAR_FEASIBLE_POINT: 1,
                PrimalStatus.INFEASIBLE_POINT: 2, PrimalStatus.NO_SOLUTION: 3}
_VERIFICATION_RANK = {Verification.CERTIFIED: 0, Verification.NO_BETTER_FOUND: 1,
                      Verification.SUBOPTIMAL: 2, Verification.NOT_CHECKED: 3}


def primal_status(excess: float, value_off_the_box: bool = False) -> PrimalStatus:
    """The primal status of a point whose worst row has the scaled violation ``excess``.

    ``excess`` is the largest ratio of a row's violation to its scale-aware tolerance
    (:mod:`bilevel_mp.tolerances`; integrality and the bounds of x included):
    ``FEASIBLE_POINT`` when ``excess <= 1``, ``NEAR_FEASIBLE_POINT`` when
    ``excess <= NEAR_FEASIBLE_FACTOR``, else (and when it is ``nan``)
    ``INFEASIBLE_POINT``. A point within the tolerance whose value is reached only
    because x lies outside its bounds (``value_off_the_box``, from
    :meth:`~bilevel_mp.checks.verify.LowerLevelChecker.value_off_the_box`) is
    ``NEAR_FEASIBLE_POINT``: it does not rank with the points of the box. A missing point
    is ``NO_SOLUTION``, decided by the caller.
    """
    if math.isnan(excess):
        return PrimalStatus.INFEASIBLE_POINT
    if excess <= 1.0:
        return (PrimalStatus.NEAR_FEASIBLE_POINT if value_off_the_box
                else PrimalStatus.FEASIBLE_POINT)
    if excess <= NEAR_FEASIBLE_FACTOR:
        return PrimalStatus.NEAR_FEASIBLE_POINT
    return PrimalStatus.INFEASIBLE_POINT


@dataclass(frozen=True)
class Candidate:
    """One answer as the ranking sees it.

    Attributes
    ----------
    primal_status
        What the point is (``NO_SOLUTION`` without one).
    verification
        What the lower-level re-solve said.
    value
        ``F`` in minimization form (``inf`` when there is no point or it is not finite).
    proof
        The proof that comes with the answer, if any (only one that excludes a finite
        optimum changes the rank; a proof of optimality is about a point, which the other
        fields rank).
    """

    primal_status: PrimalStatus
    verification: Verification
    value: float = math.inf
    proof: Proof | None = None

    @classmethod
    def of_point(cls, value: float, excess: float, verification: Verification) -> Candidate:
        """A checked point of a method's loop (no proof yet); ``excess`` as in
        :func:`primal_status`."""
        return cls(primal_status(excess), verification, _finite_or_inf(value))

    @classmethod
    def of_result(cls, result: BilevelResult) -> Candidate:
        """A finished result (its primal status, verification, ``F`` and proof)."""
        return cls(result.primal_status, result.verification,
                   _finite_or_inf(result.stats.get("F_min_form", math.inf)), result.proof)

    @property
    def is_certified_feasible(self) -> bool:
        """A feasible point whose lower level was solved exactly (CERTIFIED)."""
        return (self.primal_status is PrimalStatus.FEASIBLE_POINT
                and self.verification is Verification.CERTIFIED)

    @property
    def is_verified_feasible(self) -> bool:
        """A feasible point with CERTIFIED or NO_BETTER_FOUND verification."""
        return (self.primal_status is PrimalStatus.FEASIBLE_POINT
                and _VERIFICATION_RANK[self.verification] <= 1)

    @property
    def proves_no_finite_optimum(self) -> bool:
        """Whether the answer is a proof of infeasibility and/or unboundedness."""
        return self.proof is not None and self.proof.kind.excludes_finite_optimum

    @property
    def key(self) -> tuple[int, int, int, float]:
        """``(tier, primal rank, verification rank, F)``; smaller is better (module
        docstring)."""
        if self.proves_no_finite_optimum:
            tier = 2 if self.proof.kind is ProofKind.INFEASIBLE else 0
        else:
            tier = 1 if self.is_certified_feasible else 3
        return (tier, _PRIMAL_RANK[self.primal_status],
                _VERIFICATION_RANK[self.verification], self.value)

    def better_than(self, other: Candidate | None) -> bool:
        """Strictly better than ``other`` (anything beats ``None``)."""
        return other is None or self.key < other.key


def checked_candidate(checker: LowerLevelChecker, x: np.ndarray, y: np.ndarray,
                      deadline: Deadline | None = None
                      ) -> tuple[Candidate, VerificationReport]:
    """Verify ``(x, y)`` with ``checker`` and rank it: the candidate and the report (the
    candidate is the point the report checked, ``(x, report.y)``)."""
    report = checker.check(x, y, deadline)
    return candidate_of(checker.program, x, y, report), report


def candidate_of(program: BilevelProgram, x: np.ndarray, y: np.ndarray,
                 report: VerificationReport) -> Candidate:
    """The candidate of ``(x, y)`` as ``report`` checked it: at ``(x, report.y)`` when the
    check replaced an ε-optimal ``y`` by an exact response."""
    checked_y = y if report.y is None else report.y
    value = float(program.evaluate(x, checked_y)["F"])
    return Candidate.of_point(value, report.excess, report.verification)


def best_index(candidates: Sequence[Candidate]) -> int:
    """Index of the best candidate (the first of equals)."""
    if not candidates:
        raise ValueError("no candidates to rank")
    return min(range(len(candidates)), key=lambda i: candidates[i].key)


def _finite_or_inf(value: float) -> float:
    return float(value) if math.isfinite(value) else math.inf
