"""Run every (problem, method) pair of a suite in isolated worker processes.

Each pair runs in a process of its own (forked, so the libraries are already imported):
a crash costs only that pair, and a pair that outlives ``time_limit`` plus a grace period
is killed and recorded as a timeout. The solve itself also receives ``time_limit`` so it
can return its best point in time. Outcomes go to SQLite as they arrive.

Executors: :class:`LocalExecutor` (the standard library's ``multiprocessing``, default)
and :class:`DaskExecutor` (a ``dask.distributed`` cluster; each task again runs its pair
in a killable child process on the worker).
"""

from __future__ import annotations

import ast
import math
import multiprocessing as mp
import time
import traceback
import warnings
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from multiprocessing.connection import wait
from typing import Any, Literal

import highspy

from bilevel_mp.bench.records import Outcome, ResultsDB
from bilevel_mp.errors import BilevelWarning, ReformulationNotApplicable

GRACE_SECONDS = 30.0
"""Time a worker gets beyond the solve's own time limit before it is killed."""


@dataclass(frozen=True)
class Task:
    """One (problem, method) pair.

    ``build`` builds the problem (a user's model, see
    :mod:`bilevel_mp.modeling.files`); without it the problem is ``problem`` of ``suite``
    (:func:`load_problem`). A built model has no known optimal value (``F*`` is ``nan``).
    """

    suite: str
    problem: str
    method: str
    time_limit: float | Literal["default"]
    build: Callable[[], Any] | None = None

    @property
    def budget(self) -> float:
        """Seconds the solve may take: ``time_limit``, or for ``"default"`` (the solve's
        own default, as a user calls it) :data:`bilevel_mp.api.DEFAULT_TIME_LIMIT`."""
        if self.time_limit == "default":
            from bilevel_mp.api import DEFAULT_TIME_LIMIT

            return DEFAULT_TIME_LIMIT
        return float(self.time_limit)


def load_problem(suite: str, name: str):
    """``(program, F_star)`` of a suite's problem."""
    if suite != "bolib":
        raise ValueError(f"unknown suite {suite!r}; valid suites: bolib")
    import bolib_problems

    example = bolib_problems.load(name)
    return example.program(), float(example.known.F_star)


def is_solved(verification: str, F: float, F_star: float, ul_violation: float,
              ll_violation: float, feas_tol: float = 1e-6, rel_tol: float = 1e-2,
              primal_status: str = "FEASIBLE_POINT") -> tuple[bool, bool]:
    """``(solved, improvement)`` by the BOLIB rule.

    Solved: verification CERTIFIED or NO_BETTER_FOUND, a ``FEASIBLE_POINT`` (not a point
    whose value is reached only outside the bounds of x, which is near feasible),
    violations <= ``feas_tol``, and ``|F - F*| <= rel_tol·max(1, |F*|)`` or F better
    (smaller) than F* by more than that, which is flagged as an improvement. Without F* a
    verified feasible point counts.
    """
    ok = (verification in ("CERTIFIED", "NO_BETTER_FOUND") and ul_violation <= feas_tol
          and ll_violation <= feas_tol and primal_status == "FEASIBLE_POINT")
    if not ok or math.isnan(F):
        return False, False
    if math.isnan(F_star):
        return True, False
    tol = rel_tol * max(1.0, abs(F_star))
    if abs(F - F_star) <= tol:
        return True, False
    return F_star - tol > F, F_star - tol > F


def parse_method(label: str) -> tuple[str, dict]:
    """``"llvf-sn@lambda_policy=fixed;max_iter=50"`` -> ``("llvf-sn", {...})``.

    A method label may carry options after ``@``, ``;``-separated ``key=value`` pairs whose
    values are Python literals (strings may be bare), so one sweep can compare variants.
    """
    name, _, text = label.partition("@")
    options = {}
    for item in filter(None, text.split(";")):
        key, sep, value = item.partition("=")
        if not sep:
            raise ValueError(f"method option {item!r} in {label!r} is not key=value")
        try:
            options[key.strip()] = ast.literal_eval(value.strip())
        except (ValueError, SyntaxError):
            options[key.strip()] = value.strip()
    return name, options


def solve_task(task: Task) -> Outcome:
    """Run one pair in this process (no isolation); never raises."""
    from bilevel_mp.api import solve

    start = time.perf_counter()
    try:
        if task.build is not None:
            program, F_star = task.build(), math.nan
        else:
            program, F_star = load_problem(task.suite, task.problem)
    except Exception as exc:  # noqa: BLE001 (a broken problem is a recorded outcome)
        return Outcome(task.problem, task.method, "build_error", seconds=0.0,
                       message=f"{type(exc).__name__}: {exc}")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", BilevelWarning)
            name, options = parse_method(task.method)
            res = solve(program, method=name, time_limit=task.time_limit, options=options)
    except ReformulationNotApplicable as exc:
        return Outcome(task.problem, task.method, "not_applicable", F_star=_num(F_star),
                       seconds=time.perf_counter() - start, message=exc.reason)
    except Exception as exc:  # noqa: BLE001
        return Outcome(task.problem, task.method, "error", F_star=F_star,
                       seconds=time.perf_counter() - start,
                       message=f"{type(exc).__name__}: {exc}")
    solved, improvement = is_solved(res.verification.name, res.upper_objective, F_star,
                                    res.ul_violation, res.ll_violation,
                                    primal_status=res.primal_status.name)
    times = res.stats.get("time", {})
    return Outcome(
        task.problem, task.method, "ok", termination=res.termination.name,
        verification=res.verification.name, upper_objective=_num(res.upper_objective),
        lower_objective=_num(res.lower_objective), F_star=_num(F_star), ll_gap=_num(res.ll_gap),
        ul_violation=_num(res.ul_violation), ll_violation=_num(res.ll_violation),
        solved=solved, improvement=improvement, seconds=time.perf_counter() - start,
        time_compile=times.get("compile"), time_reformulate=times.get("reformulate"),
        time_solve=times.get("solve"), time_verify=times.get("verify"),
        iterations=res.stats.get("iterations"), message=res.message[:2000])


def _num(v: float) -> float | None:
    return None if v is None or (isinstance(v, float) and math.isnan(v)) else float(v)


def _child(task: Task, conn) -> None:
    # a forked child inherits HiGHS's global thread scheduler without its worker threads
    # (when the parent solved anything before, e.g. in a notebook) and would wait on them
    # forever: start it afresh
    highspy.Highs.resetGlobalScheduler(True)
    try:
        conn.send(solve_task(task))
    except Exception:  # noqa: BLE001 (report anything to the parent)
        conn.send(Outcome(task.problem, task.method, "crash",
                          message=traceback.format_exc()[-2000:]))
    finally:
        conn.close()


@dataclass
class _Running:
    task: Task
    proc: mp.Process
    conn: object
    started: float


def _start(task: Task) -> _Running:
    ctx = mp.get_context("fork")
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(task, child), daemon=True)
    proc.start()
    child.close()
    return _Running(task, proc, parent, time.perf_counter())


def _finish(run: _Running, grace: float) -> Outcome:
    """Collect a finished (or overdue) child's outcome and reap it."""
    outcome = None
    if run.conn.poll():
        try:
            outcome = run.conn.recv()
        except EOFError:
            outcome = None
    run.proc.join(timeout=1.0)
    if run.proc.is_alive():
        run.proc.kill()
        run.proc.join()
    elapsed = time.perf_counter() - run.started
    if outcome is not None:
        return outcome
    t = run.task
    if elapsed >= t.budget + grace:
        return Outcome(t.problem, t.method, "timeout", seconds=elapsed,
                       message=f"killed after {elapsed:.1f} s (limit {t.budget} s "
                       f"+ {grace} s grace)")
    return Outcome(t.problem, t.method, "crash", seconds=elapsed,
                   message=f"worker died with exit code {run.proc.exitcode}")


def run_isolated(task: Task, grace: float = GRACE_SECONDS) -> Outcome:
    """Run one pair in a child process; kill it after ``time_limit + grace`` seconds."""
    return next(iter(LocalExecutor(1, grace).map([task])))


class LocalExecutor:
    """Up to ``jobs`` isolated pairs at a time on this machine (standard library only).

    One loop in the calling thread starts forked children, waits on their pipes with
    ``multiprocessing.connection.wait`` and kills the ones past their deadline.
    """

    name = "local"

    def __init__(self, jobs: int, grace: float = GRACE_SECONDS) -> None:
        self.jobs = max(1, jobs)
        self.grace = grace

    def map(self, tasks: Sequence[Task]) -> Iterable[Outcome]:
        """Yield outcomes as they complete."""
        pending = list(tasks)[::-1]
        running: list[_Running] = []
        while pending or running:
            while pending and len(running) < self.jobs:
                running.append(_start(pending.pop()))
            now = time.perf_counter()
            timeout = min(r.started + r.task.budget + self.grace for r in running) - now
            ready = wait([r.conn for r in running], timeout=max(timeout, 0.0))
            now = time.perf_counter()
            for run in list(running):
                overdue = now >= run.started + run.task.budget + self.grace
                if run.conn in ready or overdue:
                    running.remove(run)
                    yield _finish(run, self.grace)


class DaskExecutor:
    """Pairs as tasks on a ``dask.distributed`` cluster (``pip install 'bilevel_mp[dask]'``)."""

    name = "dask"

    def __init__(self, address: str) -> None:
        from dask.distributed import Client

        self.client = Client(address)

    def map(self, tasks: Sequence[Task]) -> Iterable[Outcome]:
        """Yield outcomes as they complete."""
        from dask.distributed import as_completed

        futures = self.client.map(run_isolated, list(tasks), pure=False)
        for fut in as_completed(futures):
            yield fut.result()


def run_suite(
    problems: Sequence[str], methods: Sequence[str], db: ResultsDB, *, suite: str = "bolib",
    time_limit: float = 60.0, executor: LocalExecutor | DaskExecutor | None = None,
    progress: Callable[[int, int, Outcome], None] | None = None,
    builders: Mapping[str, Callable[[], Any]] | None = None,
) -> str:
    """Run every pair, store each outcome as it arrives; returns the run id.

    With ``builders`` (``{problem: builder}``), each problem is built by its builder in
    the worker instead of being loaded from ``suite`` (``suite`` is then only a label).
    """
    executor = executor or LocalExecutor(1)
    jobs = getattr(executor, "jobs", 0)
    run_id = db.start_run(suite, list(methods), time_limit, jobs, executor.name)
    tasks = [Task(suite, p, m, time_limit, None if builders is None else builders[p])
             for p in problems for m in methods]
    start = time.perf_counter()
    for done, outcome in enumerate(executor.map(tasks), start=1):
        db.add(run_id, outcome)
        if progress is not None:
            progress(done, len(tasks), outcome)
    db.finish_run(run_id, time.perf_counter() - start)
    return run_id
