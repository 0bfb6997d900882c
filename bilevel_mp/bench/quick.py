"""In-process comparison of methods on BOLIB examples, printed as a table.

This is the light sequential runner behind ``bilevel-mp bench``; every (example, method)
pair is solved with :func:`bilevel_mp.solve` and judged with :func:`is_solved`.
"""

from __future__ import annotations

import math
import statistics
import time
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TextIO

from bilevel_mp.api import solve
from bilevel_mp.errors import BilevelError, BilevelWarning
from bilevel_mp.result import BilevelResult
from bilevel_mp.status import Verification

SOLVED_VERIFICATIONS = (Verification.CERTIFIED, Verification.NO_BETTER_FOUND)


def is_solved(result: BilevelResult, F_star: float, feas_tol: float = 1e-6,
              rel_tol: float = 1e-2) -> bool:
    """Verified, feasible, and ``|F - F*| <= rel_tol·max(1, |F*|)`` or better than F*.

    BOLIB minimizes both levels, so "better" means smaller. Without a recorded F* a
    verified feasible point counts as solved.
    """
    if result.verification not in SOLVED_VERIFICATIONS:
        return False
    if not (result.ul_violation <= feas_tol and result.ll_violation <= feas_tol):
        return False
    if math.isnan(F_star):
        return True
    return result.upper_objective <= F_star + rel_tol * max(1.0, abs(F_star))


@dataclass
class Row:
    """One (example, method) outcome."""

    example: str
    method: str
    solved: bool
    certified: bool
    seconds: float
    F: float
    note: str


def run_quick_comparison(
    methods: Sequence[str],
    collection: str | None = None,
    names: Sequence[str] | None = None,
    time_limit: float | None = 60.0,
    out: TextIO | None = None,
) -> str:
    """Solve every selected example with every method; return the summary table."""
    import bolib_problems

    selected = list(names) if names else bolib_problems.names(collection)
    rows: list[Row] = []
    total = len(selected) * len(methods)
    for i, name in enumerate(selected):
        example = bolib_problems.load(name)
        for method in methods:
            start = time.perf_counter()
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore", BilevelWarning)
                    res = solve(example.program(), method=method, time_limit=time_limit)
                row = Row(name, method, is_solved(res, example.known.F_star),
                          res.verification is Verification.CERTIFIED,
                          time.perf_counter() - start, res.upper_objective,
                          res.verification.name)
            except BilevelError as exc:
                row = Row(name, method, False, False, time.perf_counter() - start, math.nan,
                          f"error: {exc}")
            rows.append(row)
            if out is not None:
                done = i * len(methods) + methods.index(method) + 1
                print(f"[{done}/{total}] {name:<28} {method:<24} "
                      f"{'solved' if row.solved else 'failed':<7} F={row.F:<12.6g} "
                      f"F*={example.known.F_star:<10.6g} {row.seconds:6.2f}s {row.note}",
                      file=out, flush=True)
    return format_summary(rows, methods)


def format_summary(rows: Sequence[Row], methods: Sequence[str]) -> str:
    """Per-method counts and times as a plain-text table."""
    n = len({r.example for r in rows})
    lines = [f"{'method':<24} {'solved':>8} {'certified':>10} {'failed':>7} "
             f"{'median s':>9} {'total s':>8}   (of {n} examples)"]
    for method in methods:
        mine = [r for r in rows if r.method == method]
        times = [r.seconds for r in mine]
        solved = sum(r.solved for r in mine)
        lines.append(
            f"{method:<24} {solved:>8} {sum(r.certified for r in mine):>10} "
            f"{len(mine) - solved:>7} {statistics.median(times) if times else 0:>9.3f} "
            f"{sum(times):>8.2f}")
    return "\n".join(lines)
