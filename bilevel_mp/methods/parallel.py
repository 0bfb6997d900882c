"""A second lane for ``auto``: work run in a forked worker process next to the caller.

``auto`` races the global head of its portfolio (``llvf-cuts``, ``kkt-bigm``, ...) against
the local methods when the machine has a second core (issue: a fast ``auto``). The worker is
a ``fork`` of the calling process, so the compiled program, its structure and the checker
come with it unpickled; what it hands back (results) is pickled through a pipe. Progress
events of the worker are forwarded through the same pipe and emitted by the caller, in its
own thread, whenever it polls the lane (:mod:`bilevel_mp.progress`).

Only where ``fork`` is the platform's native way to start processes (Linux) and more than
one core is available; elsewhere ``auto`` runs its portfolio in one process.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import queue
import signal
import sys
import threading
import time
import traceback
from collections.abc import Callable
from typing import Any

from bilevel_mp import progress
from bilevel_mp.errors import BilevelError
from bilevel_mp.solvers.base import Deadline, end_all_deadlines

GRACE_SECONDS = 10.0
"""How long after its deadline a worker may take to hand back its answer before it is
killed (methods check the deadline between stages, and a solve can overrun it a little)."""


WRAP_UP = (signal.SIGUSR1, signal.SIGINT)
"""The signals that ask a worker to wrap up: every deadline in it ends now
(:func:`~bilevel_mp.solvers.base.end_all_deadlines`), so each loop stops at its next check
and the worker hands back its best points. A running solve stops too: IPOPT and HiGHS ask
for the deadlines in their callbacks, and SCIP stops on ``SIGINT`` (its ``catchctrlc``)
with its incumbent."""


class LaneError(BilevelError):
    """The worker process of a lane failed (its traceback is the message)."""


def cores() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def available() -> bool:
    """Whether a second lane can run here: Linux (``fork``), at least two cores, and not
    inside a daemonic process (a benchmark worker), which may not have children."""
    return (sys.platform.startswith("linux") and cores() >= 2
            and not mp.current_process().daemon)


def _worker(work: Callable[[], Any], conn) -> None:
    import highspy

    # a forked child inherits HiGHS's global thread scheduler without its worker threads
    # (when the parent solved anything before) and would wait on them forever
    highspy.Highs.resetGlobalScheduler(True)
    for signum in WRAP_UP:
        signal.signal(signum, lambda signum, frame: end_all_deadlines())
    try:
        with progress.forwarding(lambda event: conn.send(("event", event))):
            value = work()
        conn.send(("done", value))
    except BaseException:  # noqa: BLE001 (everything goes back to the caller)
        conn.send(("error", traceback.format_exc()[-4000:]))
    finally:
        conn.close()


class Lane:
    """``work()`` running in a forked worker; :meth:`poll` relays its progress events and
    picks up its answer, :meth:`result` waits for it, :meth:`stop` ends the worker.

    Parameters
    ----------
    work
        A function of no arguments whose value can be pickled.
    deadline
        When the work must be done; the worker is killed :data:`GRACE_SECONDS` later.
    """

    def __init__(self, work: Callable[[], Any], deadline: Deadline) -> None:
        ctx = mp.get_context("fork")
        self._conn, child = ctx.Pipe(duplex=False)
        self._proc = ctx.Process(target=_worker, args=(work, child), daemon=True)
        self._proc.start()
        child.close()
        self.deadline = deadline
        self.started = time.perf_counter()
        self._answer: tuple[str, Any] | None = None
        # a thread empties the pipe as messages come, so that the worker never blocks on
        # a full pipe while the caller runs a long method; the caller emits them in its
        # own thread when it polls
        self._inbox: queue.Queue[tuple[str, Any]] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        while True:
            try:
                message = self._conn.recv()
            except (EOFError, OSError):
                self._inbox.put(("error", "the worker died without an answer"))
                return
            self._inbox.put(message)
            if message[0] != "event":
                return

    @property
    def done(self) -> bool:
        """Whether the worker has handed back its answer (or failed)."""
        return self._answer is not None

    def poll(self, timeout: float = 0.0) -> bool:
        """Relay the events the worker sent, waiting up to ``timeout`` seconds for more;
        whether its answer has arrived."""
        end = time.perf_counter() + max(timeout, 0.0)
        while not self.done:
            try:
                kind, payload = self._inbox.get(timeout=max(end - time.perf_counter(), 0.0))
            except queue.Empty:
                break
            if kind == "event":
                progress.emit(payload)
            else:
                self._answer = (kind, payload)
                self._proc.join(timeout=1.0)
        return self.done

    def result(self, within: float | None = None) -> Any:
        """The worker's value, waiting for it until the deadline plus
        :data:`GRACE_SECONDS` (or ``within`` seconds from now); ``None`` when it did not
        answer by then (the worker is killed).

        Raises
        ------
        LaneError
            When the worker raised (with its traceback).
        """
        end = Deadline.after(within) if within is not None else Deadline(
            None if self.deadline.at is None else self.deadline.at + GRACE_SECONDS)
        while not self.poll(timeout=min(end.remaining(), 0.5)):
            if end.expired():
                self.stop()
                return None
        kind, payload = self._answer
        if kind == "error":
            raise LaneError(f"the second lane of auto failed:\n{payload}")
        return payload

    def wrap_up(self) -> None:
        """Ask the worker to stop at its next deadline check and hand back what it has
        (:data:`WRAP_UP`); :meth:`result` then collects it."""
        if self._proc.is_alive() and not self.done:
            for signum in WRAP_UP:
                os.kill(self._proc.pid, signum)

    def stop(self) -> None:
        """End the worker (its answer, if any, is kept)."""
        if self._proc.is_alive():
            self._proc.kill()
        self._proc.join()
        self._conn.close()
