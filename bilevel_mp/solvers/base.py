"""Back-end interface: a compiled solver for one problem structure."""

from __future__ import annotations

import os
import sys
import time
from abc import ABC, abstractmethod
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import numpy as np

from bilevel_mp.status import TerminationStatus


@contextmanager
def mute_c_output(fds: tuple[int, ...] = (1,)) -> Iterator[None]:
    """Silence writes of compiled code to the process's file descriptors ``fds`` (1: stdout,
    2: stderr) — solver banners and LP-solver notes that no option turns off."""
    sys.stdout.flush()
    sys.stderr.flush()
    saved = [os.dup(fd) for fd in fds]
    try:
        with open(os.devnull, "w") as devnull:
            for fd in fds:
                os.dup2(devnull.fileno(), fd)
            yield
    finally:
        for fd, copy in zip(fds, saved, strict=True):
            os.dup2(copy, fd)
            os.close(copy)


@dataclass
class BackendResult:
    """What a back-end returns from one solve.

    ``raw_status`` is the solver's own status text, always kept next to the mapped
    ``status``. Multipliers follow CasADi's sign convention: the Lagrangian is
    ``f + lam_g' g + lam_z' z`` (so an active lower bound has a negative ``lam_z``).
    """

    status: TerminationStatus
    raw_status: str
    z: np.ndarray
    objective: float
    g: np.ndarray
    lam_g: np.ndarray
    lam_z: np.ndarray
    iterations: int = 0
    solve_time: float = 0.0
    extra: dict = field(default_factory=dict)


@dataclass
class Deadline:
    """An absolute wall-clock deadline (``None``: no limit). Every deadline of the process
    also ends at :func:`end_all_deadlines` (how ``auto`` asks its second process to wrap
    up: each loop stops at its next check and hands back its best point)."""

    at: float | None = None

    @classmethod
    def after(cls, seconds: float | None) -> Deadline:
        """The deadline ``seconds`` from now."""
        return cls(None if seconds is None else time.perf_counter() + float(seconds))

    def no_later_than(self, at: float | None) -> Deadline:
        """This deadline, or the ``time.perf_counter()`` instant ``at`` if that is earlier
        (``None``: no other limit)."""
        if at is None:
            return self
        return Deadline(at if self.at is None else min(self.at, at))

    def remaining(self) -> float:
        """Seconds left (``inf`` without a limit)."""
        at = _PROCESS_CUTOFF if self.at is None else min(self.at, _PROCESS_CUTOFF)
        return at - time.perf_counter()

    def expired(self) -> bool:
        """Whether the deadline has passed."""
        return self.remaining() <= 0.0


_PROCESS_CUTOFF = np.inf
"""When every deadline of this process ends (:func:`end_all_deadlines`)."""


def end_all_deadlines() -> None:
    """End every :class:`Deadline` of this process now (safe in a signal handler)."""
    global _PROCESS_CUTOFF
    _PROCESS_CUTOFF = time.perf_counter()


def all_deadlines_ended() -> bool:
    """Whether :func:`end_all_deadlines` was called (a solver's interrupt callback asks)."""
    return time.perf_counter() >= _PROCESS_CUTOFF


class CompiledSolver(ABC):
    """A solver built once for one problem structure and re-solved with new numbers;
    ``build_time`` is the seconds its compilation took (reported as set-up time)."""

    build_time: float = 0.0

    @abstractmethod
    def solve(
        self,
        p: np.ndarray,
        z0: np.ndarray,
        lam_g0: np.ndarray | None = None,
        lam_z0: np.ndarray | None = None,
        deadline: Deadline | None = None,
        warm: bool = False,
        g_bounds: tuple[np.ndarray, np.ndarray] | None = None,
    ) -> BackendResult:
        """Solve with parameter values ``p`` from ``z0`` (and multipliers when ``warm``);
        ``g_bounds = (g_lb, g_ub)`` replaces the NLP's row bounds for this solve (same
        structure, other numbers)."""


class MILPBackend(ABC):
    """A MILP solver (HiGHS, SCIP, a Pyomo solver): the back-end class of ``kkt-bigm`` and
    ``kkt-sos1``. ``capabilities`` says what it takes beyond a MILP: ``"miqp"`` (a
    quadratic objective), ``"sos1"`` (SOS1 pairs)."""

    name: str
    capabilities: frozenset[str] = frozenset()

    @abstractmethod
    def available(self) -> tuple[bool, str]:
        """Whether the back-end can run here; otherwise what to install."""

    @abstractmethod
    def solve(self, milp, deadline: Deadline | None = None, start: np.ndarray | None = None,
              options: dict | None = None) -> BackendResult:
        """Solve ``milp`` (an :class:`~bilevel_mp.ir.milp.MILP`) within ``deadline``,
        offering ``start`` as a first incumbent when the solver takes one; ``options`` are
        the solver's own (HiGHS options for HiGHS)."""


class Backend(ABC):
    """A family of NLP solvers (IPOPT through CasADi, cyipopt, ...)."""

    name: str

    @abstractmethod
    def available(self) -> tuple[bool, str]:
        """Whether the back-end can run here; otherwise what to install."""

    @abstractmethod
    def build(self, nlp, options: dict | None = None) -> CompiledSolver:
        """Compile a solver for ``nlp`` (an :class:`~bilevel_mp.ir.nlp.NLP`)."""
