"""BLAS threads during a solve: one by default, through threadpoolctl when installed.

Every BLAS call of the method is on vectors (L-BFGS-B's two-loop recursion, level-2
products with dense data), where threads bring little; but OpenBLAS worker threads
spin-wait between calls, and when the other core of a two-core machine is busy they take
time from the main thread. Measured on this project's machine at n = 10⁵ (ridge, 100
L-BFGS-B iterations, another process on one core): 30.6 s with OpenBLAS's default two
threads, 8.4 s with one. threadpoolctl (extra ``learning``) sets the limit for the
duration of the call only; without it the BLAS configuration is left as it is, and the
result's ``stats["blas_threads"]`` says which happened.
"""

from __future__ import annotations

import contextlib
import importlib
from collections.abc import Iterator


@contextlib.contextmanager
def blas_threads(limit: int | None) -> Iterator[str]:
    """Limit BLAS to ``limit`` threads inside the block (``None``: no change); yields
    what was done, for the result's stats."""
    if limit is None:
        yield "as configured"
        return
    try:
        threadpoolctl = importlib.import_module("threadpoolctl")
    except ImportError:
        yield "as configured (threadpoolctl not installed)"
        return
    with threadpoolctl.threadpool_limits(limits=limit, user_api="blas"):
        yield f"limited to {limit}"
