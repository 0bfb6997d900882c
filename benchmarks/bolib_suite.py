"""The whole BOLIB suite with ``auto``, as a user runs it (issue 20).

One process, default options (``auto``'s default budget, no time limit passed), the 173
examples one after the other. Prints the wall time, the per-example time quantiles, how
many were solved and certified, the slowest examples with their messages, and the same
figures of the previous run stored in the SQLite database, with every example whose
outcome changed. ``solved`` is the BOLIB rule of :func:`bilevel_mp.bench.runner.is_solved`
(a verified point within 1 % of the recorded F*, or better).

Usage::

    python benchmarks/bolib_suite.py                       # all 173, results in
                                                           # benchmarks/results/bolib_suite.db
    python benchmarks/bolib_suite.py --first 20 --db /tmp/suite.db
    python benchmarks/bolib_suite.py --processes 1   # auto without its second process
    python benchmarks/bolib_suite.py --patience 2    # auto's option patience (None: wait)
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import bolib_problems  # noqa: E402
from bilevel_mp.bench.records import Outcome, ResultsDB  # noqa: E402
from bilevel_mp.bench.runner import Task, solve_task  # noqa: E402

SUITE = "bolib-suite-auto"
"""The suite label of these runs in the database (other benchmarks share the file)."""


def summary(outcomes: list[Outcome], wall: float) -> dict[str, float]:
    """Wall time, example-time quantiles, solved and certified counts of one run."""
    seconds = np.array([o.seconds for o in outcomes], dtype=float)
    return {
        "examples": len(outcomes),
        "wall s": wall,
        "median s": float(np.median(seconds)) if seconds.size else np.nan,
        "p95 s": float(np.quantile(seconds, 0.95)) if seconds.size else np.nan,
        "max s": float(seconds.max()) if seconds.size else np.nan,
        "solved": sum(o.solved for o in outcomes),
        "certified": sum(o.verification == "CERTIFIED" for o in outcomes),
        "proven optimal": sum(o.termination == "OPTIMAL" and o.verification == "CERTIFIED"
                              for o in outcomes),
    }


def _label(o: Outcome | None) -> str:
    if o is None:
        return "-"
    return f"{o.termination or o.outcome}/{o.verification or '-'} solved={o.solved}"


def report(outcomes: list[Outcome], wall: float, previous: tuple[list[Outcome], float] | None,
           slowest: int) -> str:
    """The text the script prints (this run next to the previous one)."""
    now = summary(outcomes, wall)
    before = summary(*previous) if previous else None
    lines = [f"{'':16s} {'this run':>12s} {'previous':>12s}"]
    for key, value in now.items():
        old = "-" if before is None else f"{before[key]:12.4g}"
        lines.append(f"{key:16s} {value:12.4g} {old:>12s}")
    lines.append(f"\n{slowest} slowest examples:")
    for o in sorted(outcomes, key=lambda o: -o.seconds)[:slowest]:
        lines.append(f"  {o.problem:30s} {o.seconds:7.1f} s  {_label(o)}  "
                     f"{o.message[:140]}")
    if previous:
        old = {o.problem: o for o in previous[0]}
        changed = [o for o in outcomes if (o.solved, o.verification) != (
            (old[o.problem].solved, old[o.problem].verification) if o.problem in old
            else (None, None))]
        lines.append(f"\n{len(changed)} examples changed since the previous run:")
        for o in changed:
            lines.append(f"  {o.problem:30s} {_label(old.get(o.problem))} -> {_label(o)}")
    return "\n".join(lines)


def _previous(db: ResultsDB, current: str) -> tuple[list[Outcome], float] | None:
    for run in db.runs():
        if run["suite"] == SUITE and run["run_id"] != current and run["wall_seconds"]:
            return db.outcomes(run["run_id"]), float(run["wall_seconds"])
    return None


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", default=str(Path(__file__).parent / "results" / "bolib_suite.db"),
                    help="SQLite file of the runs (created when missing)")
    ap.add_argument("--first", type=int, default=None, help="only the first N examples")
    ap.add_argument("--slowest", type=int, default=5, help="slowest examples listed")
    ap.add_argument("--processes", type=int, choices=(1, 2), default=2,
                    help="auto's option processes: 2 races its global methods in a second "
                    "process (the default), 1 runs every method in this one")
    ap.add_argument("--patience", default=None,
                    help="auto's option patience in seconds, or None (default: auto's own)")
    args = ap.parse_args(argv)
    options = [f"processes={args.processes}"] if args.processes != 2 else []
    options += [f"patience={args.patience}"] if args.patience is not None else []
    label = "auto" + ("@" + ";".join(options) if options else "")
    names = bolib_problems.names()[:args.first]
    Path(args.db).parent.mkdir(parents=True, exist_ok=True)
    db = ResultsDB(args.db)
    run_id = db.start_run(SUITE, [label], float("nan"), args.processes,
                          label if options else "one process, default options")
    outcomes = []
    t0 = time.perf_counter()
    for i, name in enumerate(names, 1):
        outcome = solve_task(Task("bolib", name, label, "default"))
        db.add(run_id, outcome)
        outcomes.append(outcome)
        print(f"[{i:3d}/{len(names)}] {name:30s} {outcome.seconds:7.2f} s  {_label(outcome)}",
              flush=True)
    wall = time.perf_counter() - t0
    db.finish_run(run_id, wall)
    print()
    print(report(outcomes, wall, _previous(db, run_id), args.slowest))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
