"""Feedback on long work: log records, ``tee``, progress callbacks and progress bars.

Every loop of a method (homotopy stages in t, μ or λ; Big-M enlargements; direction-cut
rounds; value-function cut rounds; the penalty λ of the LLVF systems; Tikhonov stages of
``implicit``) reports each step through one helper, :func:`iteration`. It

1. logs one line at ``INFO`` on the logger ``bilevel_mp`` (standard :mod:`logging`; the
   package installs only a ``NullHandler``, so nothing is shown unless the application
   configures logging),
2. with ``tee=True`` on the running :func:`bilevel_mp.solve` / :func:`bilevel_mp.compare`
   call, writes the same line to ``sys.stdout`` (as Pyomo's ``tee`` streams a solver's
   log), and
3. hands an :class:`IterationEvent` to that call's ``progress`` callback, if any.

:func:`bilevel_mp.compare` and :func:`bilevel_mp.bench` add one :class:`MethodEvent` per
method and one :class:`BenchEvent` per (model, method) pair; with ``progress=True`` they
draw a progress bar (``rich``, from the ``report`` extra), or log one plain line per step
when ``rich`` is not installed.

The callback and the method name travel in :mod:`contextvars`, so the drivers need no
extra argument and concurrent calls in other threads do not see each other's callbacks.
An exception raised by a callback propagates and stops the call (a way to cancel).
"""

from __future__ import annotations

import logging
import math
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TextIO

from bilevel_mp.errors import OptionError

if TYPE_CHECKING:
    from bilevel_mp.bench.records import Outcome
    from bilevel_mp.result import BilevelResult

logger = logging.getLogger("bilevel_mp")


@dataclass(frozen=True)
class ProgressEvent:
    """Base of the events handed to a ``progress`` callback.

    Attributes
    ----------
    method
        The method the event belongs to (e.g. ``"kkt-scholtes"``; inside ``auto``, the
        method ``auto`` is running).
    """

    method: str


@dataclass(frozen=True)
class IterationEvent(ProgressEvent):
    """One step of a method's loop. Numbers that the loop does not know are ``nan``.

    Attributes
    ----------
    loop
        What the loop is: ``"stage"`` (homotopy), ``"enlargement"`` (Big-M re-solves),
        ``"cut round"`` (direction cuts, value-function cuts), ``"lambda"`` (LLVF
        penalty), ``"tikhonov stage"`` (``implicit``).
    index
        0-based number of the step within the loop.
    parameter
        Name of the parameter the loop moves (``"t"``, ``"mu"``, ``"lambda"``,
        ``"alpha"``), or ``""``.
    value
        Its value at this step.
    residual
        The step's residual: complementarity residual (homotopies), ``‖Φ‖∞`` (equation
        systems), lower-level gap (value-function cuts).
    incumbent
        Upper-level objective ``F`` of the step's point or of the best point so far
        (minimization form where a loop works in it).
    bound
        A proven lower bound on ``F`` (global methods).
    gap
        ``incumbent - bound`` or the MILP solver's relative gap, where known.
    status
        The step's raw solver status.
    """

    loop: str
    index: int
    parameter: str = ""
    value: float = math.nan
    residual: float = math.nan
    incumbent: float = math.nan
    bound: float = math.nan
    gap: float = math.nan
    status: str = ""

    def describe(self) -> str:
        """One line, with only the numbers that are known."""
        parts = [f"{self.method}", f"{self.loop} {self.index}"]
        if self.parameter:
            parts.append(f"{self.parameter}={self.value:.3g}")
        for name in ("residual", "incumbent", "bound", "gap"):
            number = getattr(self, name)
            if not math.isnan(number):
                parts.append(f"{name}={number:.6g}")
        if self.status:
            parts.append(f"[{self.status}]")
        return "  ".join(parts)


@dataclass(frozen=True)
class MethodEvent(ProgressEvent):
    """A method of :func:`bilevel_mp.compare` started (``result is None``) or finished.

    Attributes
    ----------
    index, total
        1-based position of the method and number of methods.
    seconds
        Wall time of the method (0 when it starts).
    result
        The verified result, once the method has finished.
    """

    index: int
    total: int
    seconds: float = 0.0
    result: BilevelResult | None = None

    def describe(self) -> str:
        """One line: position, method, and the outcome once finished."""
        head = f"[{self.index}/{self.total}] {self.method}"
        r = self.result
        if r is None:
            return f"{head} started"
        return (f"{head} {r.termination.name} {r.verification.name} "
                f"F={r.upper_objective:.6g} ({self.seconds:.2f} s)")


@dataclass(frozen=True)
class BenchEvent(ProgressEvent):
    """A (model, method) pair of a benchmark finished.

    Attributes
    ----------
    problem
        The model's name.
    done, total
        Pairs finished so far and pairs in the run.
    outcome
        The pair's :class:`~bilevel_mp.bench.records.Outcome`.
    """

    problem: str
    done: int
    total: int
    outcome: Outcome

    def describe(self) -> str:
        """One line: position, model, method and what happened."""
        o = self.outcome
        mark = o.outcome if o.outcome != "ok" else "solved" if o.solved else "failed"
        return (f"[{self.done}/{self.total}] {self.problem} {self.method}: {mark} "
                f"({o.seconds:.2f} s)")


ProgressCallback = Callable[[ProgressEvent], Any]
"""What ``progress=`` accepts besides ``None`` (and ``True`` where a bar is offered)."""

_CALLBACK: ContextVar[ProgressCallback | None] = ContextVar("bilevel_mp_progress",
                                                            default=None)
_METHOD: ContextVar[str] = ContextVar("bilevel_mp_method", default="")
_STREAMS: ContextVar[tuple[tuple[TextIO, tuple[type, ...]], ...]] = ContextVar(
    "bilevel_mp_streams", default=())
"""Streams that events are written to as lines (``tee``, a bar without ``rich``), each
with the event types it shows (empty: all)."""
_FORWARD: ContextVar[Callable[[ProgressEvent], Any] | None] = ContextVar(
    "bilevel_mp_forward", default=None)
"""In a worker process of ``auto`` (:mod:`bilevel_mp.methods.parallel`): where events go
instead of being emitted here (the caller emits them)."""


def iteration(loop: str, index: int, **numbers: Any) -> None:
    """Report one step of a method's loop (see the module docstring).

    ``numbers`` are the fields of :class:`IterationEvent` the loop knows; ``None`` is
    taken as unknown (``nan``).
    """
    if (_CALLBACK.get() is None and not _STREAMS.get() and _FORWARD.get() is None
            and not logger.isEnabledFor(logging.INFO)):
        return
    known = {k: str(v) if k in ("parameter", "status") else math.nan if v is None
             else float(v) for k, v in numbers.items()}
    emit(IterationEvent(method=_METHOD.get(), loop=loop, index=index, **known))


def emit(event: ProgressEvent) -> None:
    """Log ``event`` at ``INFO`` (the record carries it as ``record.event``), write its
    line to the streams of the running call, and hand it to the call's callback (in a
    worker process, hand it to the caller instead: :func:`forwarding`)."""
    forward = _FORWARD.get()
    if forward is not None:
        forward(event)
        return
    line = event.describe()
    logger.info(line, extra={"event": event})
    for stream, types in _STREAMS.get():
        if not types or isinstance(event, types):
            stream.write(line + "\n")
            stream.flush()
    callback = _CALLBACK.get()
    if callback is not None:
        callback(event)


@contextmanager
def forwarding(send: Callable[[ProgressEvent], Any]) -> Iterator[None]:
    """Within the block (a worker process), every event is handed to ``send`` only; the
    calling process emits it (log, streams, callback)."""
    token = _FORWARD.set(send)
    try:
        yield
    finally:
        _FORWARD.reset(token)


@contextmanager
def running_method(name: str) -> Iterator[None]:
    """Events reported inside the block belong to method ``name``."""
    token = _METHOD.set(name)
    try:
        yield
    finally:
        _METHOD.reset(token)


@contextmanager
def _writing_to(stream: TextIO, only: tuple[type, ...] = ()) -> Iterator[None]:
    """Within the block, events (of the types ``only``; all when empty) are also written
    to ``stream``, one line each."""
    token = _STREAMS.set((*_STREAMS.get(), (stream, only)))
    try:
        yield
    finally:
        _STREAMS.reset(token)


def check_tee(tee: object) -> bool:
    """``tee`` as a bool; :class:`OptionError` for anything but ``True``/``False``."""
    if not isinstance(tee, bool):
        raise OptionError(f"tee must be True or False, got {type(tee).__name__} {tee!r}")
    return tee


def check_progress(progress: object, bar: bool) -> ProgressCallback | bool | None:
    """``progress`` checked: ``None``, a callable, or (when ``bar``) ``True``/``False``.

    Raises
    ------
    OptionError
        Naming ``progress`` and what it accepts.
    """
    if progress is None or callable(progress):
        return progress
    if bar and isinstance(progress, bool):
        return progress
    accepted = ("None, True (a progress bar) or a callable taking a ProgressEvent" if bar
                else "None or a callable taking a ProgressEvent")
    raise OptionError(f"progress must be {accepted}, got {type(progress).__name__} "
                      f"{progress!r}")


@contextmanager
def reporting(progress: ProgressCallback | None, tee: bool) -> Iterator[None]:
    """Within the block, events go to ``progress`` and, with ``tee``, each event's line
    is written to ``sys.stdout``."""
    token = _CALLBACK.set(progress)
    try:
        if tee:
            with _writing_to(sys.stdout):
                yield
        else:
            yield
    finally:
        _CALLBACK.reset(token)


class ProgressBar:
    """A bar over ``total`` steps: ``rich`` when installed (on stderr); else the
    :class:`MethodEvent` and :class:`BenchEvent` lines of the ``bilevel_mp`` logger are
    written to stderr for the bar's lifetime (one plain line per step).

    Use as a context manager; :meth:`advance` after each step's event was emitted.
    """

    def __init__(self, total: int, description: str) -> None:
        self.total = total
        self.description = description
        self._bar = None
        self._task = None
        self._plain = None

    def __enter__(self) -> ProgressBar:
        try:
            from rich.console import Console
            from rich.progress import Progress
        except ImportError:
            self._plain = _writing_to(sys.stderr, only=(MethodEvent, BenchEvent))
            self._plain.__enter__()
        else:
            self._bar = Progress(console=Console(stderr=True), transient=False)
            self._bar.start()
            self._task = self._bar.add_task(self.description, total=self.total)
        return self

    def advance(self, event: MethodEvent | BenchEvent) -> None:
        """One step done; ``event`` says which (without ``rich`` its log line is the
        step's line)."""
        if self._bar is not None:
            self._bar.update(self._task, advance=1, description=event.describe())

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.stop()
        if self._plain is not None:
            self._plain.__exit__(None, None, None)
