"""Reformulation interface: ``apply`` turns a problem into another, ``invert`` maps back."""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import Any

import numpy as np


@dataclass(frozen=True)
class InverseData:
    """Base class of the per-reformulation record needed to map a solution back."""


@dataclass(frozen=True)
class BilevelSolution:
    """A candidate bilevel point with the LL multipliers a reformulation produced.

    ``u`` are the multipliers of the LL inequalities ``g <= 0`` (bounds included) and
    ``v`` those of the LL equalities ``h = 0``, so that
    ``∇_y f + ∇_y g' u + ∇_y h' v = 0`` at a KKT point.
    """

    x: np.ndarray
    y: np.ndarray
    u: np.ndarray = field(default_factory=lambda: np.zeros(0))
    v: np.ndarray = field(default_factory=lambda: np.zeros(0))


class Reformulation(ABC):
    """One step of a chain: ``apply(problem) -> (target, inverse_data)``; pure."""

    name: str

    @abstractmethod
    def accepts(self, problem: Any) -> tuple[bool, str]:
        """Whether ``apply`` can be used on ``problem``, and if not, why."""

    @abstractmethod
    def apply(self, problem: Any) -> tuple[Any, InverseData]:
        """The reformulated problem and what is needed to invert solutions."""

    @abstractmethod
    def invert(self, solution: Any, inverse_data: InverseData) -> Any:
        """Map a solution of the target back to a solution of the source."""


class Chain:
    """Reformulations applied left to right and inverted right to left."""

    def __init__(self, *steps: Reformulation) -> None:
        self.steps = steps

    @property
    def name(self) -> str:
        """Dotted names of the steps joined by ``->``."""
        return " -> ".join(s.name for s in self.steps)

    def apply(self, problem: Any) -> tuple[Any, list[InverseData]]:
        """Apply every step; returns the final target and the inverse data of each."""
        inverse = []
        for step in self.steps:
            problem, data = step.apply(problem)
            inverse.append(data)
        return problem, inverse

    def invert(self, solution: Any, inverse: list[InverseData]) -> Any:
        """Map a solution of the final target back through every step."""
        for step, data in zip(reversed(self.steps), reversed(inverse), strict=True):
            solution = step.invert(solution, data)
        return solution
