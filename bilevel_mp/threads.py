"""BLAS threads during a computation, limited through threadpoolctl.

Every BLAS call of the learning front-end (:mod:`bilevel_mp.learning`) and of the
stationarity classification's sparse least squares (:mod:`bilevel_mp.checks.stationarity`)
is on vectors (L-BFGS-B's two-loop recursion, level-2 products with dense data, LSQR's
norms), where threads bring little; but OpenBLAS worker threads spin-wait between calls,
and when the other core of a two-core machine is busy they take time from the main
thread. Measured on this project's machine at n = 10⁵ (ridge, 100 L-BFGS-B iterations,
another process on one core): 30.6 s with OpenBLAS's default two threads, 8.4 s with one;
a norm of a vector of 30000 entries took 8 ms with two threads and 4 µs with one.
threadpoolctl (a dependency) sets the limit for the duration of the call only; where it
cannot be imported the BLAS configuration is left as it is, and the learning result's
``stats["blas_threads"]`` says which happened.
"""

from __future__ import annotations

import contextlib
import functools
import importlib
from collections.abc import Iterator
from typing import Any


@contextlib.contextmanager
def blas_threads(limit: int | None) -> Iterator[str]:
    """Limit BLAS to ``limit`` threads inside the block (``None``: no change); yields
    what was done, for the result's stats."""
    if limit is None:
        yield "as configured"
        return
    controller = _controller()
    if controller is None:
        yield "as configured (threadpoolctl not installed)"
        return
    with controller.limit(limits=limit, user_api="blas"):
        yield f"limited to {limit}"


@functools.cache
def _controller() -> Any:
    """threadpoolctl's ``ThreadpoolController`` (``None`` without threadpoolctl), made
    once: making one looks up the loaded libraries (about 6 ms), limiting through it
    takes microseconds. A BLAS library loaded after the first call is not limited."""
    try:
        threadpoolctl = importlib.import_module("threadpoolctl")
    except ImportError:
        return None
    return threadpoolctl.ThreadpoolController()
