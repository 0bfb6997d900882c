"""Run every method on one program and judge each answer (shared by the property test and
``benchmarks/trust_sweep.py``)."""

from __future__ import annotations

import time
import traceback
import warnings
from dataclasses import dataclass, field

import bilevel_mp as bmp
from tests.trust.oracle import Oracle, claims_of, judge

DEFAULT_TIME_LIMIT = 2.0
"""Seconds per method and instance (the programs are tiny)."""


def all_methods() -> list[str]:
    """Every registered method and ``auto``."""
    return list(bmp.methods())


@dataclass
class Outcome:
    """One method on one program.

    Attributes
    ----------
    method
        The method name.
    status
        ``"ok"`` (a result was judged), ``"n/a"`` (a ``BilevelError`` such as
        ``ReformulationNotApplicable``) or ``"crash"`` (any other exception).
    claims
        Claims made (``CERTIFIED``, ``NO_BETTER_FOUND``, ``OPTIMAL``).
    false
        The judge's findings (empty when every claim holds).
    detail
        The error for ``n/a`` and ``crash``; the result's summary line otherwise.
    seconds
        Time of the solve.
    """

    method: str
    status: str
    claims: list[str] = field(default_factory=list)
    false: list[str] = field(default_factory=list)
    detail: str = ""
    seconds: float = 0.0


def run_and_judge(program, methods: list[str], time_limit: float = DEFAULT_TIME_LIMIT,
                  oracle: Oracle | None = None) -> list[Outcome]:
    """Solve ``program`` with each method and judge the claims of each result."""
    oracle = oracle or Oracle(program)
    out = []
    for name in methods:
        t0 = time.perf_counter()
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                res = bmp.solve(program, name, time_limit=time_limit)
        except bmp.BilevelError as exc:
            out.append(Outcome(name, "n/a", detail=f"{type(exc).__name__}: {exc}",
                               seconds=time.perf_counter() - t0))
            continue
        except Exception as exc:  # a traceback from a dependency is a defect, not a claim
            tb = traceback.format_exception_only(type(exc), exc)[-1].strip()
            out.append(Outcome(name, "crash", detail=tb, seconds=time.perf_counter() - t0))
            continue
        seconds = time.perf_counter() - t0
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            false = judge(program, res, oracle)
        out.append(Outcome(
            name, "ok", claims_of(res), false, seconds=seconds,
            detail=(f"{res.method}: {res.termination.name}/{res.verification.name} "
                    f"F={res.stats.get('F_min_form', float('nan')):.6g} "
                    f"x={list(res.x_array)} y={list(res.y_array)}")))
    return out
