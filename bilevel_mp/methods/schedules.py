"""The penalty schedules of the value-function methods ``llvf-sn`` and ``llvf-lm``.

The LLVF systems need the penalty ``λ`` (survey §8.4: partial calmness makes the LLVF
problem equivalent to its partial penalization for λ large enough, but the right λ is not
known in advance). A schedule turns the option ``lambdas`` into the values solved for,
and says where each solve starts. Option ``lambda_policy`` names one entry of
:data:`LAMBDA_SCHEDULES`; a new schedule is one more entry here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal


@dataclass(frozen=True)
class LambdaSchedule:
    """How the λ values of a run are chosen and where each solve starts.

    Attributes
    ----------
    description
        One line for the documentation.
    values
        ``lambdas`` (the option) -> the values solved for, in order.
    warm_start
        Whether a solve starts from the previous solve's root (when it found one) rather
        than from the start point.
    """

    description: str
    values: Callable[[tuple[float, ...]], tuple[float, ...]]
    warm_start: bool


LAMBDA_SCHEDULES: dict[str, LambdaSchedule] = {
    "fixed": LambdaSchedule(
        "one solve with lambdas[0] (the published SNLLVF code uses λ = 1)",
        lambda lambdas: lambdas[:1], warm_start=False),
    "continuation": LambdaSchedule(
        "one solve per value of lambdas (increasing), each warm-started from the previous "
        "root (or from the start point when the previous solve found none)",
        lambda lambdas: lambdas, warm_start=True),
    "restarts": LambdaSchedule(
        "one solve per value of lambdas, each from the start point",
        lambda lambdas: lambdas, warm_start=False),
}

Policy = Literal[tuple(LAMBDA_SCHEDULES)]  # type: ignore[valid-type]
"""The values of ``NewtonMethodOptions.lambda_policy``: the keys of
:data:`LAMBDA_SCHEDULES`."""
