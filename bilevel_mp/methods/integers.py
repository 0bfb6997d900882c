"""Integer upper-level variables for methods that solve continuous problems.

``kkt-bigm`` and ``kkt-sos1`` (MILPs / MIQPs) and ``llvf-cuts`` (SCIP's MINLP relaxations)
keep integer upper-level variables integral themselves. Every other method solves
continuous NLPs or equation systems; for them the driver *fixes the integers and
re-solves* (a rounding heuristic, as in the "relax, round, fix" scheme of MINLP
heuristics):

1. solve the continuous relaxation (integrality dropped) to get ``x̃``;
2. form integer assignments for the integer entries: the nearest rounding of ``x̃`` first,
   then the other floor/ceil combinations (all of them for up to three integer variables,
   the one-variable flips otherwise), each clipped to the bounds, at most
   :data:`MAX_ASSIGNMENTS`;
3. solve the method again with the integer entries fixed at each assignment (as equal
   bounds), verify every answer, and keep the best by the usual ranking.

The answer is integral by construction, and never claims more than ``LOCALLY_SOLVED``:
another assignment may be better.
"""

from __future__ import annotations

import itertools
from dataclasses import replace

import numpy as np

from bilevel_mp.ir.program import BilevelProgram
from bilevel_mp.tolerances import SOLVER

INTEGER_METHODS = frozenset({"kkt-bigm", "kkt-sos1", "llvf-cuts"})
"""Methods that keep integer upper-level variables integral themselves."""

MAX_ASSIGNMENTS = 8
"""Largest number of integer assignments re-solved by the fix-and-resolve driver."""


def integer_names(program: BilevelProgram) -> str:
    """The names of the integer upper-level variables, comma-separated."""
    return ", ".join(n for n, i in zip(program.names["x"], program.x_integer, strict=True)
                     if i)


def relaxed(program: BilevelProgram) -> BilevelProgram:
    """The program with the integrality of its upper-level variables dropped."""
    return replace(program, x_integer=np.zeros(program.nx, dtype=bool))


def fixed(program: BilevelProgram, x: np.ndarray) -> BilevelProgram:
    """The continuous program with each integer entry of x fixed at its value in ``x``."""
    integer = program.x_integer
    return replace(program, x_lb=np.where(integer, x, program.x_lb),
                   x_ub=np.where(integer, x, program.x_ub),
                   x0=np.where(integer, x, program.x0),
                   x_integer=np.zeros(program.nx, dtype=bool))


def assignments(program: BilevelProgram, x_relaxed: np.ndarray) -> list[np.ndarray]:
    """Integer assignments to try, best guess first (see the module docstring).

    Returns full x vectors (continuous entries from ``x_relaxed``), unique, integral and
    within the bounds; empty when the bounds admit no integer value.
    """
    integer = np.flatnonzero(program.x_integer)
    lo = np.ceil(program.x_lb[integer] - SOLVER.bound_rounding)
    hi = np.floor(program.x_ub[integer] + SOLVER.bound_rounding)
    if np.any(lo > hi):
        return []
    base = np.clip(np.nan_to_num(np.asarray(x_relaxed, dtype=float)[integer]), lo, hi)
    nearest = np.clip(np.round(base), lo, hi)
    floors, ceils = np.clip(np.floor(base), lo, hi), np.clip(np.ceil(base), lo, hi)
    if integer.size <= 3:
        choices = [nearest, *(np.where(mask, ceils, floors) for mask in
                              itertools.product((False, True), repeat=integer.size))]
    else:
        choices = [nearest]
        for k in range(integer.size):
            flip = nearest.copy()
            flip[k] = ceils[k] if nearest[k] == floors[k] else floors[k]
            choices.append(flip)
    out: list[np.ndarray] = []
    for values in choices:
        x = np.asarray(x_relaxed, dtype=float).copy()
        x[integer] = values
        if not any(np.array_equal(x, seen) for seen in out):
            out.append(x)
    return out[:MAX_ASSIGNMENTS]
