"""Reports of benchmark runs: per-method tables, performance profiles, CSV, run diffs.

Performance profiles follow Dolan and Moré, "Benchmarking optimization software with
performance profiles", Math. Programming 91 (2002): for method s and problem p with time
``t_{p,s}`` (infinite when s did not solve p), ``r_{p,s} = t_{p,s} / min_s t_{p,s}`` and
``ρ_s(τ) = |{p : r_{p,s} <= τ}| / n_p``.
"""

from __future__ import annotations

import csv
import math
import statistics
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path

import numpy as np

from bilevel_mp.bench.records import OUTCOME_COLUMNS, Outcome

NOT_APPLICABLE = "not_applicable"
"""``Outcome.outcome`` of a method whose reformulation does not apply to the problem."""


def method_table(outcomes: Sequence[Outcome]) -> str:
    """Solved, certified, not applicable, failed, timeouts, median and total time per
    method. "n/a" counts the problems the method does not apply to (e.g. ``kkt-bigm`` on a
    nonlinear lower level); "failed" the others it did not solve (timeouts included)."""
    methods = sorted({o.method for o in outcomes}, key=_method_order)
    n = len({o.problem for o in outcomes})
    w = max([24, *(len(m) for m in methods)])
    lines = [f"{'method':<{w}} {'solved':>7} {'certified':>10} {'n/a':>5} {'failed':>7} "
             f"{'timeout':>8} {'median s':>9} {'total s':>9}   (of {n} problems)"]
    for m in methods:
        mine = [o for o in outcomes if o.method == m]
        solved = sum(o.solved for o in mine)
        certified = sum(o.verification == "CERTIFIED" and o.solved for o in mine)
        not_applicable = sum(o.outcome == NOT_APPLICABLE for o in mine)
        timeouts = sum(o.outcome == "timeout" for o in mine)
        times = [o.seconds for o in mine]
        lines.append(f"{m:<{w}} {solved:>7} {certified:>10} {not_applicable:>5} "
                     f"{len(mine) - solved - not_applicable:>7} {timeouts:>8} "
                     f"{statistics.median(times) if times else 0:>9.3f} {sum(times):>9.1f}")
    best = {o.problem for o in outcomes if o.solved}
    lines.append(f"{'best of portfolio':<{w}} {len(best):>7}")
    return "\n".join(lines)


def _method_order(name: str) -> tuple[int, str]:
    return (1 if name == "auto" else 0, name)


def outcome_label(o: Outcome) -> str:
    """What one pair came to, in a few words: ``solved F=…``, ``n/a``, ``failed
    (<verification>) F=…``, or the outcome (``timeout``, ``error``, ``crash``,
    ``build_error``)."""
    if o.outcome == NOT_APPLICABLE:
        return "n/a"
    if o.outcome != "ok":
        return o.outcome
    value = "" if o.upper_objective is None else f" F={o.upper_objective:.6g}"
    return f"solved{value}" if o.solved else f"failed ({o.verification}){value}"


def outcome_grid(outcomes: Sequence[Outcome]) -> str:
    """One line per problem, one column per method, each cell :func:`outcome_label`."""
    methods = sorted({o.method for o in outcomes}, key=_method_order)
    problems = sorted({o.problem for o in outcomes})
    cell = {(o.problem, o.method): outcome_label(o) for o in outcomes}
    pw = max([7, *(len(p) for p in problems)])
    widths = [max([len(m), *(len(cell.get((p, m), "")) for p in problems)]) for m in methods]
    lines = [f"{'problem':<{pw}}  " + "  ".join(f"{m:<{w}}" for m, w in zip(
        methods, widths, strict=True))]
    lines += [f"{p:<{pw}}  " + "  ".join(f"{cell.get((p, m), '-'):<{w}}" for m, w in zip(
        methods, widths, strict=True)) for p in problems]
    return "\n".join(line.rstrip() for line in lines)


def performance_profile(outcomes: Sequence[Outcome]) -> dict[str, tuple[np.ndarray,
                                                                        np.ndarray]]:
    """``{method: (tau, rho)}`` step functions of the Dolan–Moré profile on solve time."""
    methods = sorted({o.method for o in outcomes}, key=_method_order)
    problems = sorted({o.problem for o in outcomes})
    t = {(o.problem, o.method): (max(o.seconds, 1e-6) if o.solved else math.inf)
         for o in outcomes}
    ratios = {m: [] for m in methods}
    for p in problems:
        best = min(t.get((p, m), math.inf) for m in methods)
        for m in methods:
            tp = t.get((p, m), math.inf)
            ratios[m].append(tp / best if math.isfinite(best) and math.isfinite(tp)
                             else math.inf)
    out = {}
    for m in methods:
        r = np.sort(np.array(ratios[m]))
        finite = r[np.isfinite(r)]
        tau = np.concatenate([[1.0], finite])
        rho = np.array([np.sum(r <= x) / len(problems) for x in tau])
        out[m] = (tau, rho)
    return out


def write_csv(outcomes: Sequence[Outcome], path: Path) -> Path:
    """All outcomes as CSV."""
    with path.open("w", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(OUTCOME_COLUMNS))
        writer.writeheader()
        for o in outcomes:
            writer.writerow(asdict(o))
    return path


def compare_runs(a: Sequence[Outcome], b: Sequence[Outcome]) -> str:
    """Pairs whose solved status or outcome changed between run A and run B."""
    before = {(o.problem, o.method): o for o in a}
    after = {(o.problem, o.method): o for o in b}
    lines = [f"{'problem':<30} {'method':<22} {'A':<28} {'B':<28}"]
    changed = 0
    for key in sorted(set(before) | set(after)):
        oa, ob = before.get(key), after.get(key)
        da, db = _describe(oa), _describe(ob)
        if da != db:
            changed += 1
            lines.append(f"{key[0]:<30} {key[1]:<22} {da:<28} {db:<28}")
    gained = sum(1 for k in after if after[k].solved and not (k in before and before[k].solved))
    lost = sum(1 for k in before if before[k].solved and not (k in after and after[k].solved))
    lines.append(f"{changed} pair(s) changed; newly solved {gained}, no longer solved {lost}")
    return "\n".join(lines)


def _describe(o: Outcome | None) -> str:
    if o is None:
        return "absent"
    if o.outcome != "ok":
        return "n/a" if o.outcome == NOT_APPLICABLE else o.outcome
    return f"{'solved' if o.solved else 'failed'} {o.verification[:10]}"


def failures(outcomes: Sequence[Outcome], method: str, limit: int = 20) -> list[str]:
    """The first ``limit`` unsolved problems of ``method`` with a reason each (problems
    the method does not apply to are not failures and are left out)."""
    out = []
    for o in outcomes:
        if o.method != method or o.solved or o.outcome == NOT_APPLICABLE:
            continue
        if o.outcome != "ok":
            reason = f"{o.outcome}: {o.message.splitlines()[-1] if o.message else ''}"
        elif o.verification in ("CERTIFIED", "NO_BETTER_FOUND"):
            reason = f"verified but F = {o.upper_objective:.6g} vs F* = {o.F_star:.6g}"
            if o.ul_violation is not None and o.ul_violation > 1e-6:
                reason = f"UL violation {o.ul_violation:.2g}"
        else:
            reason = f"{o.termination}/{o.verification}: {o.message[:80]}"
        out.append(f"{o.problem}: {reason}")
        if len(out) >= limit:
            break
    return out
