"""The ``bilevel-mp`` command.

``bilevel-mp solve FILE.py[:NAME] --method M``  solve a model defined in a Python file
``bilevel-mp methods``                           list the methods
``bilevel-mp bench --suite bolib --methods ...``  compare methods on BOLIB examples
"""

from __future__ import annotations

import argparse
import ast
import math
import runpy
import sys
import time
import traceback
import warnings
from collections.abc import Sequence
from pathlib import Path

from bilevel_mp.api import DEFAULT_TIME_LIMIT, solve
from bilevel_mp.errors import BilevelError, BilevelWarning, ModelError
from bilevel_mp.ir.program import BilevelProgram
from bilevel_mp.methods.registry import get_method, method_descriptions


def _load_model(target: str):
    """``FILE.py[:NAME]`` -> a model; NAME may be a model or a function returning one."""
    path, _, name = target.partition(":")
    if not Path(path).is_file():
        raise BilevelError(f"no such file: {path}")
    namespace = _run_user_code(path, f"running {path}", runpy.run_path, path,
                               run_name="__bilevel_mp_model__")
    if name:
        if name not in namespace:
            raise BilevelError(f"{path} defines no {name!r}")
        obj = namespace[name]
    else:
        obj = _default_model(namespace, path)
    if callable(obj) and not _is_model(obj):
        obj = _run_user_code(path, f"{target}()", obj)
    if not _is_model(obj):
        raise BilevelError(f"{target} is a {type(obj).__name__}, not a Pyomo model, a "
                           "BilevelProgram or a function returning one")
    return obj


def _run_user_code(path: str, what: str, fn, *args, **kwargs):
    """``fn(*args, **kwargs)`` for code of the user's model file: an exception there is a
    :class:`ModelError` of one line naming the file and line, not a traceback."""
    try:
        return fn(*args, **kwargs)
    except SyntaxError as exc:
        raise ModelError(f"{path}, line {exc.lineno}: syntax error: {exc.msg}") from None
    except Exception as exc:  # noqa: BLE001 (the user's code can raise anything)
        where = _user_line(exc, path)
        raise ModelError(f"{what} raised {type(exc).__name__}: "
                         f"{' '.join(str(exc).split())}{where}") from None


def _user_line(exc: BaseException, path: str) -> str:
    """`` (FILE, line N)`` of the innermost frame of ``exc`` in the file ``path``."""
    target = Path(path).resolve()
    lines = [frame.lineno for frame in traceback.extract_tb(exc.__traceback__)
             if Path(frame.filename).resolve() == target]
    return f" ({path}, line {lines[-1]})" if lines else ""


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


def _is_model(obj) -> bool:
    return isinstance(obj, BilevelProgram) or hasattr(obj, "component_data_objects")


def _default_model(namespace: dict, path: str):
    models = {k: v for k, v in namespace.items() if _is_model(v) and not k.startswith("_")}
    if len(models) == 1:
        return next(iter(models.values()))
    for key in ("model", "build_model", "m"):
        if key in namespace:
            return namespace[key]
    found = ", ".join(models) or "none"
    raise BilevelError(f"{path}: name the model as FILE.py:NAME (models found: {found})")


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
    model = _load_model(args.target)
    result = solve(model, method=args.method, solver=args.solver, time_limit=args.time_limit,
                   options=_options(args.option))
    print(result.summary())
    return 0 if result.termination.has_point else 1


def _cmd_methods(_: argparse.Namespace) -> int:
    descriptions = method_descriptions()
    width = max(map(len, descriptions))
    for name, text in descriptions.items():
        print(f"{name:<{width}}  {text}")
    return 0


def _cmd_bench(args: argparse.Namespace) -> int:
    import bolib_problems
    from bilevel_mp.bench.records import ResultsDB
    from bilevel_mp.bench.report import method_table
    from bilevel_mp.bench.runner import DaskExecutor, LocalExecutor, parse_method, run_suite

    methods = [m.strip() for m in args.methods.split(",") if m.strip()]
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
    run_id = run_suite(problems, methods, db, suite=args.suite, time_limit=args.time_limit,
                       executor=executor, progress=_progress_printer())
    print(f"\nrun {run_id}: {time.perf_counter() - start:.1f} s wall time\n")
    print(method_table(db.outcomes(run_id)))
    return 0


def _progress_printer():
    """A progress callback: a rich bar when rich is installed, else one line per pair."""
    try:
        from rich.progress import Progress
    except ImportError:
        def plain(done, total, o):
            mark = "solved" if o.solved else o.outcome if o.outcome != "ok" else "failed"
            print(f"[{done}/{total}] {o.problem:<30} {o.method:<22} {mark:<8} "
                  f"{o.seconds:6.2f}s", flush=True)
        return plain
    bar = Progress(transient=False)
    state = {}

    def fancy(done, total, o):
        if "task" not in state:
            bar.start()
            state["task"] = bar.add_task("solving", total=total)
        bar.update(state["task"], completed=done,
                   description=f"{o.problem[:24]:<24} {o.method[:18]:<18}")
        if done == total:
            bar.stop()
    return fancy


def _cmd_report(args: argparse.Namespace) -> int:
    from bilevel_mp.bench.records import ResultsDB
    from bilevel_mp.bench.report import compare_runs, method_table, plot_profiles, write_csv

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
                             "representative subset; --all for all 173)")
    p_bench.add_argument("--suite", default="bolib", choices=["bolib"])
    p_bench.add_argument("--collection", default=None,
                         choices=[None, "linear", "nonlinear", "simple"])
    p_bench.add_argument("--all", action="store_true", help="every example of the suite")
    p_bench.add_argument("--names", default=None, help="comma-separated example names")
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
