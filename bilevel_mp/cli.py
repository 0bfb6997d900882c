"""The ``bilevel-mp`` command.

``bilevel-mp solve FILE.py[:NAME] --method M``  solve a model defined in a Python file
``bilevel-mp methods``                           list the methods
``bilevel-mp bench --suite bolib --methods ...``  compare methods on BOLIB examples
``bilevel-mp bench --models FILE.py --methods ...``  compare methods on your own models
"""

from __future__ import annotations

import argparse
import ast
import math
import sys
import time
import warnings
from collections.abc import Sequence
from pathlib import Path

from bilevel_mp.errors import BilevelError, BilevelWarning
from bilevel_mp.options import DEFAULT_TIME_LIMIT
from bilevel_mp.progress import BenchEvent, ProgressBar, emit


def _time_limit(text: str) -> float | str | None:
    """``--time-limit``: positive seconds, ``none`` for no limit or ``default`` (the
    budget of :func:`bilevel_mp.solve`)."""
    word = text.strip().lower()
    if word in ("none", "default"):
        return None if word == "none" else "default"
    try:
        seconds = float(text)
    except ValueError:
        seconds = math.nan
    if not seconds > 0:
        raise argparse.ArgumentTypeError(
            f"expected positive seconds, 'none' (no limit) or 'default', got {text!r}")
    return seconds


def _parse_value(text: str):
    try:
        return ast.literal_eval(text)
    except (ValueError, SyntaxError):
        return text


def _options(pairs: Sequence[str]) -> dict:
    out = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep:
            raise BilevelError(f"--option expects KEY=VALUE, got {pair!r}")
        out[key] = _parse_value(value)
    return out


def _cmd_solve(args: argparse.Namespace) -> int:
    from bilevel_mp.api import solve
    from bilevel_mp.modeling.files import load_model

    model = load_model(args.target)
    result = solve(model, method=args.method, solver=args.solver, time_limit=args.time_limit,
                   options=_options(args.option))
    print(result.summary())
    return 0 if result.termination.has_point else 1


def _cmd_methods(_: argparse.Namespace) -> int:
    from bilevel_mp.methods.registry import method_descriptions

    descriptions = method_descriptions()
    width = max(map(len, descriptions))
    for name, text in descriptions.items():
        print(f"{name:<{width}}  {text}")
    return 0


def _cmd_bench(args: argparse.Namespace) -> int:
    methods = [m.strip() for m in args.methods.split(",") if m.strip()]
    if args.models:
        return _bench_models(args, methods)
    import bolib_problems
    from bilevel_mp.bench.records import ResultsDB
    from bilevel_mp.bench.report import method_table
    from bilevel_mp.bench.runner import DaskExecutor, LocalExecutor, parse_method, run_suite
    from bilevel_mp.methods.registry import get_method

    for label in methods:
        name, _ = parse_method(label)  # a malformed or unknown method fails now,
        if name != "auto":             # not in every worker
            get_method(name)
    if args.names:
        problems = [n.strip() for n in args.names.split(",") if n.strip()]
    elif args.collection or args.all:
        problems = bolib_problems.names(args.collection)
    else:
        problems = bolib_problems.representative()
    executor = (DaskExecutor(args.scheduler) if args.scheduler
                else LocalExecutor(args.jobs))
    db = ResultsDB(args.db)
    print(f"{len(problems)} problems x {len(methods)} methods on {executor.name} executor "
          f"({args.jobs} jobs), time limit {args.time_limit:g} s, results in {args.db}",
          flush=True)
    start = time.perf_counter()
    with ProgressBar(len(problems) * len(methods), "bench") as bar:
        def advance(done: int, total: int, outcome) -> None:
            event = BenchEvent(outcome.method, outcome.problem, done, total, outcome)
            emit(event)
            bar.advance(event)
        run_id = run_suite(problems, methods, db, suite=args.suite,
                           time_limit=args.time_limit, executor=executor, progress=advance)
    print(f"\nrun {run_id}: {time.perf_counter() - start:.1f} s wall time\n")
    print(method_table(db.outcomes(run_id)))
    return 0


def _bench_models(args: argparse.Namespace, methods: list[str]) -> int:
    """``bench --models FILE.py[:NAME,...]``: the user's models
    (:mod:`bilevel_mp.modeling.files`), each pair in a local worker process."""
    from bilevel_mp.bench.user_models import bench

    if args.scheduler:
        raise BilevelError("--models runs on the local executor: drop --scheduler")
    print(f"models of {args.models} x {len(methods)} methods ({args.jobs} jobs), time limit "
          f"{args.time_limit:g} s, results in {args.db}", flush=True)
    result = bench(args.models, methods, time_limit=args.time_limit, jobs=args.jobs,
                   db=args.db, progress=True)
    print(f"\nrun {result.run_id}\n\n{result.table()}\n\n{result.grid()}")
    return 0


def _cmd_report(args: argparse.Namespace) -> int:
    from bilevel_mp.bench.records import ResultsDB
    from bilevel_mp.bench.report import compare_runs, method_table, write_csv
    from bilevel_mp.plots import plot_profiles

    db = ResultsDB(args.db)
    if args.compare:
        a, b = args.compare
        print(compare_runs(db.outcomes(a), db.outcomes(b)))
        return 0
    run_id = args.run or db.latest_run()
    if run_id is None:
        raise BilevelError(f"{args.db} holds no run")
    outcomes = db.outcomes(run_id)
    print(f"run {run_id}\n{method_table(outcomes)}")
    if args.out:
        out = Path(args.out)
        out.mkdir(parents=True, exist_ok=True)
        print(f"wrote {write_csv(outcomes, out / f'{run_id}.csv')}")
        png = plot_profiles(outcomes, out / f"{run_id}-profile.png")
        print(f"wrote {png}" if png else "matplotlib not installed: no profile plot")
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``bilevel-mp``."""
    parser = argparse.ArgumentParser(prog="bilevel-mp", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p_solve = sub.add_parser("solve", help="solve a model defined in a Python file")
    p_solve.add_argument("target", help="FILE.py or FILE.py:NAME (a model or a function)")
    p_solve.add_argument("--method", default="auto")
    p_solve.add_argument("--solver", default="ipopt")
    p_solve.add_argument(
        "--time-limit", type=_time_limit, default="default",
        help=f"seconds, or 'none' for no limit (default: {DEFAULT_TIME_LIMIT:g} s for auto "
        "and the global methods kkt-bigm, kkt-sos1, llvf-cuts; none for the others)")
    p_solve.add_argument("--option", action="append", default=[], metavar="KEY=VALUE",
                         help="method option, e.g. --option comp_tol=1e-8 (repeatable)")
    p_solve.set_defaults(func=_cmd_solve)
    p_methods = sub.add_parser("methods", help="list the methods")
    p_methods.set_defaults(func=_cmd_methods)
    p_bench = sub.add_parser("bench", help="compare methods on BOLIB examples (default: a "
                             "representative subset; --all for all 173) or on your own "
                             "models (--models FILE.py)")
    p_bench.add_argument("--suite", default="bolib", choices=["bolib"])
    p_bench.add_argument("--collection", default=None,
                         choices=[None, "linear", "nonlinear", "simple"])
    p_bench.add_argument("--all", action="store_true", help="every example of the suite")
    p_bench.add_argument("--names", default=None, help="comma-separated example names")
    p_bench.add_argument(
        "--models", default=None, metavar="FILE.py[:NAME,...]",
        help="bench your own models instead of BOLIB: the file's functions named build..., "
        "its module-level models, or its MODELS dict (see bilevel_mp.modeling.files)")
    p_bench.add_argument(
        "--methods", default="kkt-scholtes,kkt-penalty,kkt-fb,kkt-bigm,auto",
        help="comma-separated methods; options after @, e.g. llvf-sn@lambda_policy=fixed")
    p_bench.add_argument("--jobs", type=int, default=2)
    p_bench.add_argument("--time-limit", type=float, default=60.0)
    p_bench.add_argument("--db", default="bilevel_mp_results.sqlite")
    p_bench.add_argument("--scheduler", default=None,
                         help="address of a dask.distributed scheduler (extra 'dask')")
    p_bench.set_defaults(func=_cmd_bench)
    p_report = sub.add_parser("report", help="tables, profiles and CSV of a benchmark run")
    p_report.add_argument("--db", default="bilevel_mp_results.sqlite")
    p_report.add_argument("--run", default=None, help="run id (default: the newest)")
    p_report.add_argument("--out", default=None, help="directory for CSV and PNG")
    p_report.add_argument("--compare", nargs=2, metavar=("RUN_A", "RUN_B"))
    p_report.set_defaults(func=_cmd_report)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script."""
    args = build_parser().parse_args(argv)
    if args.command == "bench":
        warnings.simplefilter("ignore", BilevelWarning)
    try:
        return args.func(args)
    except BilevelError as exc:
        print(f"bilevel-mp: error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
