"""Sparse Jacobians that stay cheap when a matrix has both dense rows and dense columns.

CasADi colours a Jacobian for forward *or* reverse mode. A KKT system has dense rows (a
lower-level constraint over many y, e.g. a budget) and dense columns (its multiplier,
which enters every stationarity row), so either mode needs about n colours and the cost
grows like n². Splitting the rows fixes it: the dense rows go through reverse mode (one
sweep each), the rest through CasADi's usual colouring, which is then cheap.
"""

from __future__ import annotations

import casadi as ca
import numpy as np


def dense_rows(expr: ca.SX, wrt: ca.SX, threshold: int | None = None) -> np.ndarray:
    """Indices of the rows of ``jacobian(expr, wrt)`` with more than ``threshold`` nonzeros.

    The default threshold is ``max(64, 4 sqrt(n))`` for ``n = wrt.numel()``.
    """
    n = wrt.numel()
    if expr.numel() == 0 or n == 0:
        return np.zeros(0, dtype=int)
    limit = threshold if threshold is not None else max(64, int(4 * np.sqrt(n)))
    pattern = ca.jacobian_sparsity(expr, wrt)
    rows, _ = pattern.get_triplet()
    counts = np.bincount(np.asarray(rows, dtype=int), minlength=expr.numel())
    return np.flatnonzero(counts > limit)


def sparse_jacobian(expr: ca.SX, wrt: ca.SX) -> ca.SX:
    """``jacobian(expr, wrt)`` computed by rows: dense rows apart from the others."""
    dense = dense_rows(expr, wrt)
    if dense.size == 0:
        return ca.jacobian(expr, wrt)
    mask = np.ones(expr.numel(), dtype=bool)
    mask[dense] = False
    sparse_idx = np.flatnonzero(mask)
    parts = [ca.jacobian(expr[sparse_idx.tolist()], wrt), ca.jacobian(expr[dense.tolist()], wrt)]
    stacked = ca.vertcat(*parts)
    order = np.argsort(np.concatenate([sparse_idx, dense]))  # back to the original rows
    return stacked[order.tolist(), :]


def hessian(expr: ca.SX | ca.MX, wrt: ca.SX | ca.MX) -> ca.SX | ca.MX:
    """``∇²_wrt expr`` of a scalar expression.

    For ``SX`` this is CasADi's ``hessian`` (symmetric colouring, cheapest for sparse
    Hessians). For ``MX`` it is the Jacobian of the gradient: CasADi's symmetric colouring
    of a dense ``MX`` Hessian costs minutes at a thousand variables (its star colouring
    walks the dense pattern), while forward sweeps over the gradient take well under a
    second there.
    """
    if isinstance(expr, ca.MX):
        return ca.jacobian(ca.gradient(expr, wrt), wrt)
    return ca.hessian(expr, wrt)[0]


def jacobian_function(name: str, expr: ca.SX, inputs: list[ca.SX]) -> ca.Function:
    """The function ``name`` of ``inputs`` returning ``expr``, with a custom Jacobian.

    CasADi's nlpsol (MX problem) uses the custom Jacobian of every call, so the cheap row
    split of :func:`sparse_jacobian` is what IPOPT's constraint Jacobian is built from.
    """
    out = type(expr).sym("out", expr.sparsity())
    jac = ca.Function(f"jac_{name}", [*inputs, out],
                      [sparse_jacobian(expr, arg) for arg in inputs])
    return ca.Function(name, inputs, [expr], {"custom_jacobian": jac, "jac_penalty": 0})
