"""``bilevel_mp.bench(models, methods)``: the benchmark harness on the user's own models.

Every (model, method) pair runs in a worker process of its own, as for BOLIB
(:mod:`bilevel_mp.bench.runner`): a crash or a hang costs only that pair. The models have
no recorded optimal value, so a pair counts as *solved* when its point is verified
(``CERTIFIED`` or ``NO_BETTER_FOUND``) and feasible; the tables show ``F`` next to it.
A method whose reformulation does not apply to a model (``kkt-bigm`` on a nonlinear lower
level, ``implicit`` with coupling constraints, ...) is recorded as ``not_applicable``,
which the tables show as ``n/a``, apart from the failures.
"""

from __future__ import annotations

import contextlib
import html
import math
import numbers
import sqlite3
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from bilevel_mp.bench.records import Outcome, ResultsDB
from bilevel_mp.bench.report import method_table, outcome_grid, outcome_label
from bilevel_mp.bench.runner import LocalExecutor, parse_method, run_suite
from bilevel_mp.errors import OptionError
from bilevel_mp.jsonable import to_jsonable
from bilevel_mp.methods.registry import get_method
from bilevel_mp.modeling.files import Builder, is_model, model_builders
from bilevel_mp.optional import import_optional
from bilevel_mp.options import make_options
from bilevel_mp.progress import BenchEvent, ProgressBar, ProgressCallback, check_progress, emit
from bilevel_mp.progress import reporting as _reporting

Models = str | Path | Mapping[str, Any] | Sequence[Any] | Callable[[], Any]
"""What :func:`bench` accepts as ``models``."""


@dataclass
class BenchResult:
    """The outcomes of one :func:`bench` run.

    Attributes
    ----------
    run_id
        The run's id in the results database.
    outcomes
        One :class:`~bilevel_mp.bench.records.Outcome` per (model, method) pair.
    db
        Where the run is stored (``":memory:"`` when no file was given).
    """

    run_id: str
    outcomes: list[Outcome]
    db: str

    def table(self) -> str:
        """Per method: solved, certified, n/a, failed, timeouts and times."""
        return method_table(self.outcomes)

    def grid(self) -> str:
        """Per model and method: ``solved F=…``, ``n/a``, ``failed (…)``, ``timeout``, …"""
        return outcome_grid(self.outcomes)

    def __str__(self) -> str:
        return f"run {self.run_id} ({self.db})\n{self.table()}\n\n{self.grid()}"

    def to_dict(self) -> dict[str, Any]:
        """``{"run_id", "db", "outcomes": [...]}``, JSON-safe (:mod:`bilevel_mp.jsonable`)."""
        return {"run_id": self.run_id, "db": self.db,
                "outcomes": [to_jsonable(asdict(o)) for o in self.outcomes]}

    def to_frame(self):
        """A ``pandas.DataFrame``, one row per pair, the columns of ``Outcome`` (a missing
        number is ``NaN``).

        Raises
        ------
        OptionalDependencyError
            When pandas is not installed (extra ``report``).
        """
        pd = import_optional("pandas", "BenchResult.to_frame")
        return pd.DataFrame([asdict(o) for o in self.outcomes])

    def _repr_html_(self) -> str:
        """The model × method grid as an HTML table."""
        methods = list(dict.fromkeys(o.method for o in self.outcomes))
        problems = list(dict.fromkeys(o.problem for o in self.outcomes))
        cell = {(o.problem, o.method): outcome_label(o) for o in self.outcomes}
        head = "".join(f"<th>{html.escape(m)}</th>" for m in methods)
        body = "".join(
            f"<tr><th>{html.escape(p)}</th>" + "".join(
                f"<td>{html.escape(cell.get((p, m), '-'))}</td>" for m in methods) + "</tr>"
            for p in problems)
        return (f"<table class='bilevel-bench'><thead><tr><th>model</th>{head}</tr></thead>"
                f"<tbody>{body}</tbody></table>")


def bench(
    models: Models,
    methods: Sequence[str] = ("auto",),
    *,
    time_limit: float = 60.0,
    jobs: int = 1,
    db: str | Path | None = None,
    progress: ProgressCallback | bool | None = None,
    suite: str | None = None,
) -> BenchResult:
    """Run every method on every model, each pair in an isolated worker process.

    Parameters
    ----------
    models
        A model file ``"FILE.py"`` or ``"FILE.py:NAME,NAME"`` (the convention of
        :mod:`bilevel_mp.modeling.files`); a dict ``{name: model or builder}``; a list of
        builders (named by ``__name__``) or models; or one builder. A builder is a
        function of no argument returning a Pyomo model or a ``BilevelProgram``; it runs
        in the worker, so an error in it is recorded as ``build_error``. With ``suite``:
        the suite's example names.
    methods
        Method names, each optionally with options after ``@``
        (``"llvf-sn@lambda_policy=fixed"``).
    time_limit
        Seconds per pair; a pair still running ``GRACE_SECONDS`` later is killed and
        recorded as ``timeout``.
    jobs
        Pairs run at the same time.
    db
        SQLite file to store the run in (``bilevel-mp report --db FILE`` reads it);
        ``None`` keeps it in memory.
    progress
        A callable receiving a :class:`~bilevel_mp.progress.BenchEvent` per finished
        pair, or ``True`` for a progress bar (``rich``; plain lines on stderr without it).
    suite
        ``"bolib"``: ``models`` is then a list of BOLIB example names
        (``bolib_problems.names()``), each loaded in the worker with its recorded optimal
        value ``F*``, and a pair is solved by the BOLIB rule of ``bilevel-mp bench --suite
        bolib`` (:func:`~bilevel_mp.bench.runner.is_solved`: verified, feasible and ``F``
        within ``1e-2 · max(1, |F*|)`` of ``F*`` or better).

    Returns
    -------
    BenchResult

    Raises
    ------
    OptionError
        On an unknown method or option, a bad ``time_limit``, ``jobs``, ``progress`` or
        ``db``, an unknown ``suite`` or a name that is not one of its examples.
    BilevelError
        When a model file does not exist or offers no model (:mod:`bilevel_mp.modeling.files`).
    ModelError
        When running a model file raises.
    """
    labels = _method_labels(methods)
    if isinstance(time_limit, bool) or not isinstance(time_limit, numbers.Real) or not (
            0 < time_limit < math.inf):
        raise OptionError(f"time_limit must be a positive finite number of seconds, got "
                          f"{time_limit!r}")
    if isinstance(jobs, bool) or not isinstance(jobs, numbers.Integral) or jobs < 1:
        raise OptionError(f"jobs must be a positive integer, got {jobs!r}")
    callback = check_progress(progress, bar=True)
    if suite is None:
        builders = _builders(models)
        problems = list(builders)
    else:
        builders, problems = None, _suite_problems(suite, models)
    try:
        store = ResultsDB(":memory:" if db is None else db)
    except sqlite3.Error as exc:
        raise OptionError(f"db {str(db)!r} cannot be opened as a SQLite file: {exc}") from None
    bar = ProgressBar(len(problems) * len(labels), "bench") if callback is True else None

    def on_pair(done: int, total: int, outcome: Outcome) -> None:
        # the callback is set around the event only: the workers, forked earlier, never
        # see it
        event = BenchEvent(outcome.method, outcome.problem, done, total, outcome)
        with _reporting(callback if callable(callback) else None, tee=False):
            emit(event)
        if bar is not None:
            bar.advance(event)

    label = suite or (f"models:{models}" if isinstance(models, str | Path) else "models")
    with bar or contextlib.nullcontext():
        run_id = run_suite(problems, labels, store, suite=label,
                           time_limit=float(time_limit), executor=LocalExecutor(int(jobs)),
                           progress=on_pair, builders=builders)
    return BenchResult(run_id, store.outcomes(run_id), str(store.path))


def _method_labels(methods: Sequence[str]) -> list[str]:
    """The method labels, each checked (name and options) before any work."""
    if isinstance(methods, str) or not isinstance(methods, Sequence) or not methods:
        raise OptionError(f"methods must be a non-empty list of method names, e.g. ['auto', "
                          f"'kkt-scholtes'], got {methods!r}")
    for label in methods:
        if not isinstance(label, str):
            raise OptionError(f"methods must be names (str), got {label!r}")
        try:
            name, options = parse_method(label)
        except ValueError as exc:
            raise OptionError(str(exc)) from None
        if name != "auto":
            make_options(get_method(name).options, options, f"method {name!r}")
        elif options:
            raise OptionError(f"{label!r}: give auto's options to the methods themselves")
    return list(methods)


def _suite_problems(suite: str, names: Any) -> list[str]:
    """The example names of ``suite`` that ``names`` lists, each checked before any work."""
    if suite != "bolib":
        raise OptionError(f"unknown suite {suite!r}; valid suites: bolib")
    if isinstance(names, str) or not isinstance(names, Sequence) or not names or not all(
            isinstance(n, str) for n in names):
        raise OptionError("with suite='bolib', models must be a non-empty list of BOLIB "
                          f"example names (bolib_problems.names()), got {names!r}")
    import bolib_problems

    known = set(bolib_problems.names())
    for name in names:
        if name not in known:
            try:
                bolib_problems.load(name)
            except KeyError as exc:
                raise OptionError(str(exc.args[0])) from None
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated:
        raise OptionError(f"models lists the same example twice: {', '.join(repeated)}")
    return list(names)


def _builders(models: Models) -> dict[str, Builder]:
    """``models`` as ``{name: builder}`` (see :func:`bench`)."""
    if isinstance(models, str | Path):
        return model_builders(str(models))
    if isinstance(models, Mapping):
        items = [(str(k), v) for k, v in models.items()]
    elif callable(models) and not is_model(models):
        items = [(getattr(models, "__name__", "model"), models)]
    elif isinstance(models, Sequence) and models:
        items = [(_name_of(v, i), v) for i, v in enumerate(models)]
    else:
        raise OptionError("models must be a model file 'FILE.py', a dict {name: model or "
                          f"builder}}, or a non-empty list of builders or models, got "
                          f"{type(models).__name__}")
    names = [name for name, _ in items]
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated:
        raise OptionError(f"models have the same name: {', '.join(repeated)}; pass a dict "
                          "{name: model} to name them")
    if not items:
        raise OptionError("models is empty")
    out = {}
    for name, value in items:
        if not (is_model(value) or callable(value)):
            raise OptionError(f"model {name!r} is a {type(value).__name__}, not a model or a "
                              "function returning one")
        out[name] = (lambda value=value: value) if is_model(value) else value
    return out


def _name_of(value: Any, index: int) -> str:
    """A model's name in a list: a builder's ``__name__``, a Pyomo model's ``name`` (unless
    Pyomo's default ``"unknown"``), a program's ``source``, else ``model_<index>``."""
    name = getattr(value, "__name__", None) if callable(value) and not is_model(value) else (
        getattr(value, "name", None) or getattr(value, "source", None))
    return name if isinstance(name, str) and name not in ("", "unknown") else f"model_{index}"
