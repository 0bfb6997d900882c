"""Wall time of ``BilevelLayer`` on a batch, sequential against ``processes=k``.

The program is the pricing model of ``benchmarks/sensitivity_scale.py`` with ``n``
products; the layer takes the demand ``D`` and the first three costs as input, a batch of
``B`` instances (the demand varied by ±10 %). For each setting the script prints the time
of the forward pass (the ``B`` solves), of the backward pass (the ``B`` vjps), and of
re-attaching the ``B`` programs to the results that come back from the workers without
them (``replace(program, p_values=θ)``), which is what the parent does instead of
recompiling; and it checks that the pool's outputs and gradients equal the sequential ones
(largest relative difference). The pool is started before timing (its start-up, a
``fork`` per worker, is printed separately).

Run: ``python benchmarks/layer_pool.py [n] [B] [k]`` (default 200 8 2).
"""

from __future__ import annotations

import sys
import time
import warnings

import numpy as np
import torch

from benchmarks.sensitivity_scale import build
from bilevel_mp import BilevelWarning
from bilevel_mp.torch import BilevelLayer


def timed(layer: BilevelLayer, batch: torch.Tensor) -> tuple[float, float, np.ndarray,
                                                             np.ndarray]:
    theta = batch.clone().requires_grad_(True)
    start = time.perf_counter()
    x, y = layer(theta)
    forward = time.perf_counter() - start
    start = time.perf_counter()
    (x.sum() + (y ** 2).sum()).backward()
    return forward, time.perf_counter() - start, y.detach().numpy(), theta.grad.numpy()


def main(n: int, size: int, processes: int) -> None:
    program = build(n)
    params = ["D", "c[0]", "c[1]", "c[2]"]
    base = np.array([program.p_values[-1], *program.p_values[:3]])
    scale = np.linspace(0.9, 1.1, size)
    batch = torch.tensor(np.column_stack([base[0] * scale,
                                          np.tile(base[1:], (size, 1))]))
    warnings.simplefilter("ignore", BilevelWarning)
    sequential = BilevelLayer(program, params)
    pooled = BilevelLayer(program, params, processes=processes)
    start = time.perf_counter()
    pooled.pool().submit(int).result()
    print(f"n = {n}, B = {size}: pool of {processes} started in "
          f"{time.perf_counter() - start:.2f} s")
    f_seq, b_seq, y_seq, g_seq = timed(sequential, batch)
    f_pool, b_pool, y_pool, g_pool = timed(pooled, batch)
    start = time.perf_counter()
    for row in batch.numpy():
        pooled.instance(row)
    attach = time.perf_counter() - start
    pooled.close()
    print(f"sequential : forward {f_seq:.2f} s, backward {b_seq:.2f} s")
    print(f"processes={processes}: forward {f_pool:.2f} s, backward {b_pool:.2f} s; "
          f"re-attaching {size} programs {1e3 * attach:.2f} ms")

    def differ(a: np.ndarray, b: np.ndarray) -> float:
        return float(np.max(np.abs(a - b) / np.maximum(np.abs(a), 1e-12)))

    print(f"largest relative difference: outputs {differ(y_seq, y_pool):.1e}, "
          f"gradients {differ(g_seq, g_pool):.1e}")


if __name__ == "__main__":
    args = [int(a) for a in sys.argv[1:]]
    main(*(args + [200, 8, 2][len(args):]))
