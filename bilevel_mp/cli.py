"""The ``bilevel-mp`` command.

``bilevel-mp solve FILE.py[:NAME] --method M``  solve a model defined in a Python file
``bilevel-mp methods``                           list the methods
``bilevel-mp bench --suite bolib --methods ...``  compare methods on BOLIB examples
"""

from __future__ import annotations

import argparse
import ast
import runpy
import sys
import time
import warnings
from collections.abc import Sequence
from pathlib import Path

from bilevel_mp.api import solve
from bilevel_mp.errors import BilevelError, BilevelWarning
from bilevel_mp.ir.program import BilevelProgram
from bilevel_mp.methods.registry import method_descriptions


def _load_model(target: str):
    """``FILE.py[:NAME]`` -> a model; NAME may be a model or a function returning one."""
    path, _, name = target.partition(":")
    if not Path(path).is_file():
        raise BilevelError(f"no such file: {path}")
    namespace = runpy.run_path(path, run_name="__bilevel_mp_model__")
    if name:
        if name not in namespace:
            raise BilevelError(f"{path} defines no {name!r}")
        obj = namespace[name]
    else:
        obj = _default_model(namespace, path)
    if callable(obj) and not _is_model(obj):
        obj = obj()
    if not _is_model(obj):
        raise BilevelError(f"{target} is a {type(obj).__name__}, not a Pyomo model, a "
                           "BilevelProgram or a function returning one")
    return obj


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
    from bilevel_mp.bench.quick import run_quick_comparison

    methods = [m.strip() for m in args.methods.split(",") if m.strip()]
    names = [n.strip() for n in args.names.split(",")] if args.names else None
    start = time.perf_counter()
    table = run_quick_comparison(methods, collection=args.collection, names=names,
                                 time_limit=args.time_limit, out=sys.stdout)
    print(table)
    print(f"total wall time {time.perf_counter() - start:.1f} s")
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``bilevel-mp``."""
    parser = argparse.ArgumentParser(prog="bilevel-mp", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p_solve = sub.add_parser("solve", help="solve a model defined in a Python file")
    p_solve.add_argument("target", help="FILE.py or FILE.py:NAME (a model or a function)")
    p_solve.add_argument("--method", default="auto")
    p_solve.add_argument("--solver", default="ipopt")
    p_solve.add_argument("--time-limit", type=float, default=None)
    p_solve.add_argument("--option", action="append", default=[], metavar="KEY=VALUE",
                         help="method option, e.g. --option comp_tol=1e-8 (repeatable)")
    p_solve.set_defaults(func=_cmd_solve)
    p_methods = sub.add_parser("methods", help="list the methods")
    p_methods.set_defaults(func=_cmd_methods)
    p_bench = sub.add_parser("bench", help="compare methods on BOLIB examples")
    p_bench.add_argument("--suite", default="bolib", choices=["bolib"])
    p_bench.add_argument("--collection", default=None,
                         choices=[None, "linear", "nonlinear", "simple"])
    p_bench.add_argument("--names", default=None, help="comma-separated example names")
    p_bench.add_argument("--methods", default="kkt-scholtes,kkt-penalty,kkt-fb,auto")
    p_bench.add_argument("--time-limit", type=float, default=60.0)
    p_bench.set_defaults(func=_cmd_bench)
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
