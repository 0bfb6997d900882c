"""The vectorized bound rows of :func:`bilevel_mp.ir.program.bound_rows` against a loop."""

from __future__ import annotations

import casadi as ca
import numpy as np
import pytest

from bilevel_mp.ir.program import bound_row_names, bound_rows


def _loop(y, lb, ub, names):
    """Variable by variable, one scalar row per finite bound (the independent truth)."""
    rows, row_names = [], []
    for j, name in enumerate(names):
        lower, upper = bound_row_names(name, lb[j], ub[j])
        if lower is not None:
            rows.append(lb[j] - y[j])
            row_names.append(lower)
        if upper is not None:
            rows.append(y[j] - ub[j])
            row_names.append(upper)
    return (ca.vertcat(*rows) if rows else type(y)(0, 1)), tuple(row_names)


CASES = [
    ([0.0, -np.inf, -2.0, 1.5, -np.inf, 0.0], [np.inf, np.inf, 3.0, 1.5, 0.0, 1e-3]),
    ([-np.inf] * 3, [np.inf] * 3),
    ([0.0] * 3, [np.inf] * 3),
    ([-np.inf] * 3, [1.0, 2.0, 3.0]),
]


@pytest.mark.parametrize("kind", [ca.SX, ca.MX])
@pytest.mark.parametrize(("lb", "ub"), CASES)
def test_vectorized_bound_rows_match_the_loop(kind, lb, ub):
    lb, ub = np.array(lb), np.array(ub)
    y = kind.sym("y", lb.size)
    names = [f"y[{i}]" for i in range(lb.size)]
    want, want_names = _loop(y, lb, ub, names)
    got, got_names = bound_rows(y, lb, ub, names)
    assert got_names == want_names
    assert got.shape == want.shape
    if want.numel():
        values = ca.Function("rows", [y], [got, want])(np.linspace(-2.0, 3.0, lb.size))
        assert np.array_equal(np.asarray(values[0]), np.asarray(values[1]))
    if kind is ca.SX:  # the same scalar expressions, row by row
        assert [str(got[i]) for i in range(got.numel())] == [
            str(want[i]) for i in range(want.numel())]


@pytest.mark.parametrize("kind", [ca.SX, ca.MX])
@pytest.mark.parametrize(("lb", "ub"), [([0.0], [np.inf]), ([-np.inf], [2.0]), ([0.0], [2.0])])
def test_one_variable(kind, lb, ub):
    y = kind.sym("y")
    got, names = bound_rows(y, np.array(lb), np.array(ub), ["y"])
    want, want_names = _loop(y, np.array(lb), np.array(ub), ["y"])
    assert names == want_names and got.shape == want.shape
    values = ca.Function("rows", [y], [got, want])(0.5)
    assert np.array_equal(np.asarray(values[0]), np.asarray(values[1]))
