"""Which of ``auto``'s answers is reported: a proven global optimum wins over a local
answer that is better only within the tolerances, not over one that is really better."""

from __future__ import annotations

import pytest

from bilevel_mp import BilevelProgram
from bilevel_mp.api import _proven_if_tied
from bilevel_mp.checks.verify import LowerLevelChecker
from bilevel_mp.result import BilevelResult
from bilevel_mp.status import (
    PrimalStatus,
    Proof,
    ProofKind,
    TerminationStatus,
    Verification,
)


def _checker(scale: float) -> LowerLevelChecker:
    # F = scale·(x - y) over x, y in [0, 1]: the data's scale of F is about `scale`
    program = BilevelProgram.from_functions(
        1, 1, F=lambda x, y: scale * (x[0] - y[0]), f=lambda x, y: y[0] ** 2,
        x_bounds=([0.0], [1.0]), y_bounds=([0.0], [1.0]))
    return LowerLevelChecker(program)


def _result(method: str, F: float, proven: bool,
            verification: Verification = Verification.CERTIFIED) -> BilevelResult:
    return BilevelResult(
        termination=TerminationStatus.OPTIMAL if proven else TerminationStatus.LOCALLY_SOLVED,
        verification=verification, primal_status=PrimalStatus.FEASIBLE_POINT,
        proof=Proof(ProofKind.GLOBAL_OPTIMUM, "a global method", F) if proven else None,
        upper_objective=F, method=method, stats={"F_min_form": F})


@pytest.mark.parametrize("scale", [1e-6, 1.0, 1e6])
@pytest.mark.parametrize("below", [1e-12, 1e-9, 6e-6])
def test_a_proven_optimum_wins_a_tie_within_the_tolerances(scale, below):
    # local methods stop below a proven optimum by a rounding error (HendersonQuandt1958:
    # 7e-11 relative) or within the row and gap tolerances (ShimizuAiyoshi1981Ex1:
    # 99.99942 against 100, 5.8e-6)
    checker = _checker(scale)
    F = -0.5 * scale
    results = [_result("local", F - below * scale, False), _result("global", F, True)]
    assert _proven_if_tied(results, checker) == 1


@pytest.mark.parametrize("scale", [1e-6, 1.0, 1e6])
def test_a_really_better_answer_is_not_hidden_by_a_proof(scale):
    # a point better by 1e-2 of the scale contradicts the proof: the better point is
    # reported (the proof's claim does not decide the choice)
    checker = _checker(scale)
    F = -0.5 * scale
    results = [_result("global", F, True), _result("local", F - 1e-2 * scale, False)]
    assert _proven_if_tied(results, checker) == 1


def test_the_proof_needs_the_same_rank_apart_from_F():
    # a proven answer that is only NO_BETTER_FOUND (no exact lower-level solve) does not
    # displace a CERTIFIED one, whatever their values
    checker = _checker(1.0)
    results = [_result("local", -0.5, False),
               _result("global", -0.5, True, Verification.NO_BETTER_FOUND)]
    assert _proven_if_tied(results, checker) == 0


def test_without_a_proof_the_ranking_decides():
    checker = _checker(1.0)
    results = [_result("a", -0.4, False), _result("b", -0.5, False)]
    assert _proven_if_tied(results, checker) == 1
    assert checker.ties(-0.5, -0.5) and not checker.ties(-0.5, -0.4)
