"""Reformulation interface: ``apply`` turns a problem into another, ``invert`` maps back."""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from bilevel_mp.errors import ReformulationNotApplicable


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
    """One step of a chain: ``apply(problem) -> (target, inverse_data)``; pure.

    A solution of the target is the solver's point vector ``z``: ``invert`` maps it to
    the source's point vector, or, for the first step of a chain (whose source is the
    bilevel program), to a :class:`BilevelSolution`."""

    name: str

    @abstractmethod
    def accepts(self, problem: Any) -> tuple[bool, str]:
        """Whether ``apply`` can be used on ``problem``, and if not, why."""

    @abstractmethod
    def apply(self, problem: Any) -> tuple[Any, InverseData]:
        """The reformulated problem and what is needed to invert solutions."""

    @abstractmethod
    def invert(self, solution: np.ndarray, inverse_data: InverseData) -> Any:
        """Map a point of the target back to a point of the source."""


@dataclass(frozen=True)
class ChainInverseData(InverseData):
    """Each step's inverse data, and the problem each step was applied to (``sources[0]``
    is the chain's input; ``sources[k]`` the target of step ``k - 1``)."""

    steps: tuple[InverseData, ...]
    sources: tuple[Any, ...]


class Chain:
    """Reformulations applied left to right and inverted right to left."""

    def __init__(self, *steps: Reformulation) -> None:
        self.steps = steps

    @property
    def name(self) -> str:
        """Dotted names of the steps joined by ``->``."""
        return " -> ".join(s.name for s in self.steps)

    def accepts(self, problem: Any) -> tuple[bool, str]:
        """The first step's verdict on ``problem`` (each later step is checked on its own
        source by :meth:`apply`)."""
        return self.steps[0].accepts(problem)

    def apply(self, problem: Any) -> tuple[Any, ChainInverseData]:
        """Apply every step; the final target and the inverse data of the chain.

        Raises
        ------
        ReformulationNotApplicable
            When a step does not accept its source (with the step's reason).
        """
        data, sources = [], []
        for step in self.steps:
            ok, reason = step.accepts(problem)
            if not ok:
                raise ReformulationNotApplicable(step.name, reason)
            sources.append(problem)
            problem, inverse = step.apply(problem)
            data.append(inverse)
        return problem, ChainInverseData(tuple(data), tuple(sources))

    def invert(self, solution: np.ndarray, inverse: ChainInverseData) -> Any:
        """Map a point of the final target back through every step."""
        for step, data in zip(reversed(self.steps), reversed(inverse.steps), strict=True):
            solution = step.invert(solution, data)
        return solution
