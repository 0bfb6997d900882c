"""The README's showcase: a method table and a performance profile of a stored BOLIB run.

Reads a run of ``bilevel-mp bench --suite bolib`` from its SQLite database and writes
``benchmarks/figures/bolib_profile.png`` (Dolan–Moré profile of the chosen methods) and
prints the per-method table (``bilevel_mp.bench.report.method_table``) of the same run.

Run (from the repository root)::

    bilevel-mp bench --all --methods auto,kkt-scholtes,kkt-bigm,llvf-sn,llvf-cuts,implicit \\
        --jobs 1 --time-limit 20 --db runs.sqlite
    python benchmarks/bolib_showcase.py runs.sqlite \\
        --methods auto,kkt-scholtes,kkt-bigm,llvf-sn,llvf-cuts,implicit
"""

from __future__ import annotations

import argparse
from pathlib import Path

from bilevel_mp.bench.records import ResultsDB
from bilevel_mp.bench.report import method_table
from bilevel_mp.plots import performance_profile

FIGURE = Path(__file__).parent / "figures" / "bolib_profile.png"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("db", help="SQLite database of a bench run")
    parser.add_argument("--run", help="run id (default: the newest)")
    parser.add_argument("--methods", help="comma-separated methods to show (default: all)")
    parser.add_argument("--out", type=Path, default=FIGURE, help="where the PNG goes")
    args = parser.parse_args()
    db = ResultsDB(args.db)
    run = args.run or db.latest_run()
    if run is None:
        parser.error(f"{args.db} holds no run")
    outcomes = db.outcomes(run)
    if args.methods:
        keep = set(args.methods.split(","))
        outcomes = [o for o in outcomes if o.method in keep]
    n = len({o.problem for o in outcomes})
    print(f"run {run}: {n} examples, {len(outcomes)} outcomes")
    print(method_table(outcomes))
    fig = performance_profile(outcomes, title=f"BOLIB, {n} examples: time to a solved answer")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(args.out, dpi=110, bbox_inches="tight")
    print(f"profile written to {args.out}")


if __name__ == "__main__":
    main()
