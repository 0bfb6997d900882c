"""The vectorized degree analysis (:mod:`bilevel_mp.ir.structure`) against a row-by-row one."""

from __future__ import annotations

import casadi as ca
import numpy as np
import pytest

from bilevel_mp.ir.structure import (
    Degree,
    degrees,
    is_nonsmooth,
    nonsmooth_rows,
)


def _row_by_row(v: ca.SX | ca.MX, wrt: ca.SX | ca.MX) -> tuple[Degree, ...]:
    """Each entry on its own, by CasADi's symbolic tests (the independent truth)."""
    out = []
    for i in range(v.numel()):
        row = v[i]
        if not ca.depends_on(row, wrt):
            out.append(Degree.CONSTANT)
        elif is_nonsmooth(row):
            out.append(Degree.NONLINEAR)
        elif ca.is_linear(row, wrt):
            out.append(Degree.LINEAR)
        elif ca.is_quadratic(row, wrt):
            out.append(Degree.QUADRATIC)
        else:
            out.append(Degree.NONLINEAR)
    return tuple(out)


def _rows(kind: type) -> tuple:
    x, y, p = kind.sym("x", 2), kind.sym("y", 3), kind.sym("p")
    rows = [
        3.0 + p,                            # constant (a parameter is no variable)
        2 * x[0] - y[1] + p,                # linear
        x[0] * y[0] + y[2] ** 2,            # quadratic
        x[1] * y[1],                        # bilinear: quadratic in (x, y), linear in y
        ca.exp(y[0]) + x[0],                # nonlinear
        y[0] ** 3,                          # cubic
        ca.fabs(y[1]) + y[0],               # nonsmooth
        ca.fmin(x[0], y[2]),                # nonsmooth
        ca.fabs(p) * 2,                     # nonsmooth but constant
        x[0] ** 2 * y[1],                   # cubic in (x, y), linear in y
        (y[0] - x[1]) ** 2 + 0.5 * (y[0] - y[1]) ** 2,  # convex quadratic
    ]
    return x, y, p, rows


@pytest.mark.parametrize("kind", [ca.SX, ca.MX])
def test_vectorized_degrees_agree_with_a_row_by_row_test(kind):
    x, y, _, rows = _rows(kind)
    v = ca.vertcat(*rows)
    for wrt in (ca.vertcat(x, y), y, x):
        assert degrees(v, wrt) == _row_by_row(v, wrt)
    expected_in_xy = (Degree.CONSTANT, Degree.LINEAR, Degree.QUADRATIC, Degree.QUADRATIC,
                      Degree.NONLINEAR, Degree.NONLINEAR, Degree.NONLINEAR, Degree.NONLINEAR,
                      Degree.CONSTANT, Degree.NONLINEAR, Degree.QUADRATIC)
    assert degrees(v, ca.vertcat(x, y)) == expected_in_xy


@pytest.mark.parametrize("kind", [ca.SX, ca.MX])
def test_a_column_without_nonlinear_rows_skips_the_jacobian_but_not_the_answer(kind):
    x, y, _, rows = _rows(kind)
    v = ca.vertcat(*rows[:2], x[0] - y[2], kind(0, 1))
    assert degrees(v, ca.vertcat(x, y)) == _row_by_row(v, ca.vertcat(x, y))
    assert degrees(kind(0, 1), y) == ()


def test_nonsmooth_rows_match_the_test_of_each_row():
    x, y, _, rows = _rows(ca.SX)
    v = ca.vertcat(*rows)
    assert nonsmooth_rows(v).tolist() == [is_nonsmooth(r) for r in rows]
    smooth = ca.vertcat(*rows[:6])
    assert not nonsmooth_rows(smooth).any() and nonsmooth_rows(smooth).shape == (6,)


def test_degrees_take_the_nonsmooth_rows_the_caller_has():
    x, y, _, rows = _rows(ca.SX)
    v = ca.vertcat(*rows)
    wrt = ca.vertcat(x, y)
    assert degrees(v, wrt, nonsmooth_rows(v)) == degrees(v, wrt)
    # rows flagged as nonsmooth are nonlinear wherever they depend on wrt
    flags = np.ones(v.numel(), dtype=bool)
    assert all(d in (Degree.CONSTANT, Degree.NONLINEAR) for d in degrees(v, wrt, flags))
